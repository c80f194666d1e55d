// Disruptor: the DSL that declares a graph of handlers over one ring buffer,
//   d.handleEventsWith(journal, replicator).then(matcher);
// derives barriers and gating from it (producers wait for the leaves only),
// runs one thread per handler, and reports failures.
#pragma once

#include <boost/hana/all_of.hpp>
#include <boost/hana/bool.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "disruptor/batch_event_processor.hpp"
#include "disruptor/batch_rewind_strategy.hpp"
#include "disruptor/blocking_wait_strategy.hpp"
#include "disruptor/detail/drain.hpp"
#include "disruptor/detail/threads.hpp"
#include "disruptor/dsl/consumer_repository.hpp"
#include "disruptor/dsl/event_handler_group.hpp"
#include "disruptor/dsl/exception_handler_setting.hpp"
#include "disruptor/dsl/options.hpp"
#include "disruptor/dsl/topology.hpp"
#include "disruptor/event_handler.hpp"
#include "disruptor/exception_handler.hpp"
#include "disruptor/exceptions.hpp"
#include "disruptor/logging.hpp"
#include "disruptor/ring_buffer.hpp"

namespace disruptor {

namespace detail {
/// The Disruptor whose processor runs on this thread, if any: how halt() knows
/// it was called from a handler and must not join.
inline thread_local const void* runningFor = nullptr;

/// A handler with its value category, so a Hana pack can forward it.
template <class H>
struct Forwarded {
  std::remove_reference_t<H>* handler;
  H&& get() const noexcept { return std::forward<H>(*handler); }
};

/// The address that identifies a handler.
template <class H>
const void* identityOf(const H& handler) noexcept {
  return static_cast<const void*>(std::addressof(handler));
}
}  // namespace detail

/// A ring buffer of T with a graph of handlers, each on its own thread. L
/// lays out the slots: Packed for streams, Stamped for request and reply.
///
/// Threading: set-up (handleEventsWith, after, exception handlers) and start()
/// from the owner's thread; publishing per ProducerType; halt() from any
/// thread, a handler's own included; shutdown() from any thread but a
/// handler's; queries from any thread.
template <class T, WaitStrategy W = BlockingWaitStrategy, ProducerType P = ProducerType::Multi,
          SlotLayout L = SlotLayout::Packed>
class Disruptor {
 public:
  /// The ring buffer type.
  using RingBufferType = RingBuffer<T, W, P, L>;
  /// The barrier type, for custom processors.
  using BarrierType = typename RingBufferType::BarrierType;
  /// The group type handleEventsWith returns.
  using Group = EventHandlerGroup<Disruptor>;

  /// A Disruptor of `bufferSize` default-constructed events.
  explicit Disruptor(std::size_t bufferSize, W waitStrategy = {}, Options options = {})
    requires std::default_initializable<T>
      : Disruptor([] { return T{}; }, bufferSize, std::move(waitStrategy), std::move(options)) {}

  /// A Disruptor whose `bufferSize` events are built by `factory()`.
  template <class Factory>
    requires std::is_invocable_r_v<T, Factory&>
  Disruptor(Factory&& factory, std::size_t bufferSize, W waitStrategy = {}, Options options = {})
      : ring_(std::forward<Factory>(factory), bufferSize, std::move(waitStrategy)), options_(std::move(options)) {
    if (options_.maxBatchSize < 1)
      throw std::invalid_argument("Options::maxBatchSize must be at least 1, got " + std::to_string(options_.maxBatchSize));
    if constexpr (P == ProducerType::Multi)
      if (!options_.stepAsideWhenClaimsRace) ring_.sequencer().setContentionWindow(0);
  }

  /// Halts and joins every processor thread.
  ~Disruptor() { halt(); }
  Disruptor(const Disruptor&) = delete;
  Disruptor& operator=(const Disruptor&) = delete;

  /// Adds handlers that run after the producers, in parallel. Lvalues are
  /// referenced, rvalues owned. A leading std::shared_ptr<BatchRewindStrategy>
  /// makes them rewindable.
  template <class... Hs>
  Group handleEventsWith(Hs&&... handlers) {
    static_assert(sizeof...(Hs) > 0, "handleEventsWith() needs at least one handler");
    return handleEventsAfter({}, std::forward<Hs>(handlers)...);
  }

  /// The group of handlers already added, to hang more after: after(a).handleEventsWith(d).
  template <class... Hs>
  Group after(const Hs&... handlers) {
    return Group(*this, {consumers_.require(detail::identityOf(handlers), "after()")...});
  }

  /// Exception handler for handlers without their own, including ones added earlier.
  void setDefaultExceptionHandler(std::shared_ptr<ExceptionHandler<T>> handler) {
    checkNotStarted("setDefaultExceptionHandler()");
    if (!handler) throw std::invalid_argument("setDefaultExceptionHandler(): the exception handler is null");
    defaultExceptionHandler_ = std::move(handler);
  }

  /// Chooses the exception handler of one handler: handleExceptionsFor(h).with(eh).
  template <class H>
  ExceptionHandlerSetting<T> handleExceptionsFor(const H& handler) {
    checkNotStarted("handleExceptionsFor()");
    const std::size_t index = consumers_.require(detail::identityOf(handler), "handleExceptionsFor()");
    return ExceptionHandlerSetting<T>([this, index](std::shared_ptr<ExceptionHandler<T>> chosen) {
      checkNotStarted("handleExceptionsFor().with()");
      consumers_[index].exceptionHandler = std::move(chosen);
    });
  }

  /// Starts one thread per handler and returns the ring buffer to publish to.
  RingBufferType& start() {
    checkAffinityNames();
    if (started_.exchange(true)) throw std::logic_error("start() was called twice: a Disruptor starts once");
    leaves_ = consumers_.leafSequences();
    for (auto& node : consumers_.nodes()) node.installExceptionHandler(exceptionHandlerFor(node));
    try {
      for (auto& node : consumers_.nodes()) {
        node.thread = std::thread([this, &node] { runNode(node); });
        detail::setThreadName(node.thread, options_.name + "-" + node.name);  // named before start() returns
      }
    } catch (...) {
      halt();
      throw;
    }
    detail::log(LogLevel::Debug, "disruptor '" + options_.name + "' started " + std::to_string(consumers_.nodes().size()) +
                                     " processor threads");
    return ring_;
  }

  /// Stops every processor and refuses further publishing. From a handler's
  /// thread it only signals; otherwise it also joins every thread.
  void halt() {
    ring_.sequencer().halt(HaltCause::Halted);
    for (auto& node : consumers_.nodes()) node.processor->halt();
    if (detail::runningFor == this) return;  // a handler halting its own graph: the owner joins later
    joinAll();
  }

  /// Waits, without burning a core, until every published event has passed
  /// every leaf, then halts. Returns at once, leaving the backlog, once the
  /// graph is halted (halt() from any thread, or a fatal failure).
  void shutdown() {
    drain(nullptr);
    halt();
  }

  /// As shutdown(), but throws TimeoutException, without halting, if events
  /// are still in flight after `timeout`.
  void shutdown(std::chrono::nanoseconds timeout) {
    const detail::Deadline deadline = std::chrono::steady_clock::now() + timeout;
    if (!drain(&deadline))
      throw TimeoutException("shutdown(timeout): handlers still had a backlog after " +
                             std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()) + " ms");
    halt();
  }

  /// Whether a fatal handler failure stopped the graph.
  [[nodiscard]] bool halted() const noexcept { return failed_.load(std::memory_order_acquire); }
  /// The first fatal failure, or null.
  [[nodiscard]] std::exception_ptr error() const {
    const std::lock_guard lock(errorMutex_);
    return error_;
  }

  /// The ring buffer.
  [[nodiscard]] RingBufferType& getRingBuffer() noexcept { return ring_; }
  /// The ring's cursor. A snapshot.
  [[nodiscard]] std::int64_t getCursor() const noexcept { return ring_.cursor(); }
  /// The ring's size.
  [[nodiscard]] std::int64_t getBufferSize() const noexcept { return ring_.bufferSize(); }
  /// The last sequence `handler` finished. A snapshot.
  template <class H>
  [[nodiscard]] std::int64_t getSequenceValueFor(const H& handler) const {
    return consumers_.nodes()[consumers_.require(detail::identityOf(handler), "getSequenceValueFor()")]
        .processor->getSequence()
        .get();
  }
  /// Whether some leaf has not yet finished every published (or claimed) event. A snapshot.
  [[nodiscard]] bool hasBacklog() const {
    const std::int64_t cursor = ring_.cursor();
    if (started_.load(std::memory_order_acquire)) return minimumSequence(leaves_, cursor) < cursor;  // no copy
    return minimumSequence(consumers_.leafSequences(), cursor) < cursor;
  }

  /// Publishes one event through the ring buffer: see RingBuffer::publishEvent.
  template <class Translator, class... Args>
  void publishEvent(Translator&& translator, Args&&... args) {
    ring_.publishEvent(std::forward<Translator>(translator), std::forward<Args>(args)...);
  }
  /// Publishes a batch through the ring buffer: see RingBuffer::publishEvents.
  template <class Translator, class... Ranges>
  void publishEvents(Translator&& translator, const Ranges&... ranges) {
    ring_.publishEvents(std::forward<Translator>(translator), ranges...);
  }

  /// A snapshot of the graph: nodes, upstreams, gating, sequences, backlogs.
  [[nodiscard]] Topology topology() const {
    // Handlers first, cursor last: the cursor only grows, so no handler of the
    // snapshot is ever ahead of its cursor.
    Topology snapshot{options_.name, 0, ring_.bufferSize(), {}};
    for (const auto& node : consumers_.nodes())
      snapshot.nodes.push_back({node.name, node.upstream, node.gatesProducer, node.processor->getSequence().get(), 0,
                                node.processor->isRunning(), node.processor->releasesConsumedLines()});
    snapshot.cursor = ring_.cursor();
    for (auto& node : snapshot.nodes) node.backlog = snapshot.cursor - node.sequence;
    return snapshot;
  }
  /// The graph as Graphviz.
  [[nodiscard]] std::string toDot() const { return disruptor::toDot(topology()); }
  /// The options this Disruptor was built with.
  [[nodiscard]] const Options& options() const noexcept { return options_; }

 private:
  friend Group;

  template <class H>
  static constexpr bool kIsHandler = EventHandlerFor<std::remove_cvref_t<H>, T>;

  template <class First, class... Rest>
  Group handleEventsAfter(const std::vector<std::size_t>& upstream, First&& first, Rest&&... rest) {
    if constexpr (std::is_convertible_v<First, std::shared_ptr<BatchRewindStrategy>>) {
      static_assert(sizeof...(Rest) > 0, "handleEventsWith(rewindStrategy, handlers...) needs at least one handler");
      std::shared_ptr<BatchRewindStrategy> rewind = std::forward<First>(first);
      if (!rewind) throw std::invalid_argument("handleEventsWith(): the batch rewind strategy is null");
      return createEventProcessors(upstream, std::move(rewind), std::forward<Rest>(rest)...);
    } else {
      return createEventProcessors(upstream, nullptr, std::forward<First>(first), std::forward<Rest>(rest)...);
    }
  }

  template <class... Hs>
  Group createEventProcessors(const std::vector<std::size_t>& upstream, const std::shared_ptr<BatchRewindStrategy>& rewind,
                              Hs&&... handlers) {
    namespace hana = boost::hana;
    static_assert(hana::all_of(hana::tuple_t<Hs...>, [](auto h) { return hana::bool_c<kIsHandler<typename decltype(h)::type>>; }),
                  "every handler must have onEvent(T&, std::int64_t, bool) or be callable as (T&, std::int64_t, bool)");
    checkNotStarted("handleEventsWith()");
    const auto pack = hana::make_tuple(detail::Forwarded<Hs>{std::addressof(handlers)}...);
    std::vector<const void*> identities;
    hana::for_each(pack, [&](auto forwarded) { identities.push_back(detail::identityOf(*forwarded.handler)); });
    checkNotAddedYet(identities);
    std::vector<std::size_t> created;
    hana::for_each(pack, [&](auto forwarded) { created.push_back(addNode(upstream, rewind, forwarded.get())); });
    std::vector<Sequence*> createdSequences;
    for (std::size_t index : created) createdSequences.push_back(&consumers_[index].processor->getSequence());
    ring_.sequencer().addGatingSequences(createdSequences);
    for (std::size_t index : upstream) {  // what now runs after these no longer lets them gate
      auto& node = consumers_[index];
      if (std::exchange(node.gatesProducer, false)) ring_.removeGatingSequence(node.processor->getSequence());
    }
    return Group(*this, std::move(created));
  }

  void checkNotAddedYet(const std::vector<const void*>& identities) const {
    for (auto it = identities.begin(); it != identities.end(); ++it)
      if (consumers_.find(*it) || std::find(identities.begin(), it, *it) != it)
        throw std::invalid_argument("handleEventsWith(): the same handler object was added twice; a handler runs on one "
                                  "processor only (use a second object for a second processor)");
  }

  template <class H>
  std::size_t addNode(const std::vector<std::size_t>& upstream, const std::shared_ptr<BatchRewindStrategy>& rewind,
                      H&& handler) {
    using Processor = BatchEventProcessor<RingBufferType, H>;
    auto processor = std::make_unique<Processor>(ring_, barrierAfter(upstream), std::forward<H>(handler), rewind,
                                                 "handler" + std::to_string(consumers_.nodes().size()));
    processor->setMaxBatchSize(options_.maxBatchSize);
    processor->setReleaseConsumedLines(options_.releaseConsumedLines);
    processor->setFailureCallback([this](std::exception_ptr error) { onProcessorFailure(std::move(error)); });
    Processor* typed = processor.get();
    dsl::ConsumerNode<T> node;
    node.identity = detail::identityOf(typed->handler());
    node.name = typed->name();
    node.upstream = upstream;
    node.installExceptionHandler = [typed](std::shared_ptr<ExceptionHandler<T>> chosen) {
      typed->setExceptionHandler(std::move(chosen));
    };
    if (const auto pinned = options_.cpuAffinity.find(node.name); pinned != options_.cpuAffinity.end())
      node.cpu = pinned->second;
    node.processor = std::move(processor);
    return consumers_.add(std::move(node));
  }

  std::unique_ptr<BarrierType> barrierAfter(const std::vector<std::size_t>& upstream) {
    return ring_.newBarrier(consumers_.sequencesOf(upstream));
  }

  std::shared_ptr<ExceptionHandler<T>> exceptionHandlerFor(const dsl::ConsumerNode<T>& node) const {
    if (node.exceptionHandler) return node.exceptionHandler;
    if (defaultExceptionHandler_) return defaultExceptionHandler_;
    return std::make_shared<FatalExceptionHandler<T>>();
  }

  void checkNotStarted(const char* operation) const {
    if (started_.load(std::memory_order_acquire))
      throw std::logic_error(std::string(operation) + " after start(): the graph and its exception handlers are fixed "
                                                      "once the Disruptor has started");
  }

  // A pinning for a name no handler has would be lost without a word (a typo, a renamed handler).
  void checkAffinityNames() const {
    for (const auto& [name, cpu] : options_.cpuAffinity) {
      const auto& nodes = consumers_.nodes();
      if (std::none_of(nodes.begin(), nodes.end(), [&](const auto& node) { return node.name == name; }))
        throw std::invalid_argument("Options::withCpuAffinity(\"" + name + "\", " + std::to_string(cpu) +
                                    "): no handler of this Disruptor is named \"" + name + "\"");
    }
  }

  void runNode(dsl::ConsumerNode<T>& node) noexcept {
    detail::runningFor = this;
    if (node.cpu) detail::setCurrentThreadAffinity(*node.cpu);
    try {
      node.processor->run();
    } catch (...) {
      onProcessorFailure(std::current_exception());
    }
    detail::runningFor = nullptr;
  }

  // Called on the failing processor's thread: records the first failure,
  // refuses and wakes producers, and stops every processor without joining.
  void onProcessorFailure(std::exception_ptr error) noexcept {
    {
      const std::lock_guard lock(errorMutex_);
      if (!error_) error_ = error;
    }
    failed_.store(true, std::memory_order_release);
    ring_.sequencer().halt(HaltCause::Failed);
    for (auto& node : consumers_.nodes()) node.processor->halt();
    detail::log(LogLevel::Critical, "disruptor '" + options_.name + "' halted after a fatal handler failure: " + describe(error));
  }

  void joinAll() {
    const std::lock_guard lock(joinMutex_);
    bool joined = false;
    for (auto& node : consumers_.nodes()) {
      if (!node.thread.joinable()) continue;
      node.thread.join();
      joined = true;
    }
    if (joined) detail::log(LogLevel::Debug, "disruptor '" + options_.name + "' halted and joined its processor threads");
  }

  // True once drained (or halted meanwhile, or never started); false if the deadline passed first.
  bool drain(const detail::Deadline* deadline) {
    if (!started_.load(std::memory_order_acquire)) return true;
    if (detail::runningFor == this)
      throw std::logic_error("shutdown() from a handler of the same Disruptor would wait for itself; call halt() instead");
    const detail::DrainProbe<typename RingBufferType::SequencerType> probe{leaves_, ring_.sequencer()};
    while (hasBacklog() && !ring_.sequencer().isHalted())
      if (!detail::waitForDrain(ring_.sequencer().waitStrategy(), ring_.cursor(), probe, deadline)) return false;
    return true;
  }

  RingBufferType ring_;
  Options options_;
  dsl::ConsumerRepository<T> consumers_;
  std::vector<const Sequence*> leaves_;
  std::shared_ptr<ExceptionHandler<T>> defaultExceptionHandler_;
  std::atomic<bool> started_{false};
  std::atomic<bool> failed_{false};
  mutable std::mutex errorMutex_;
  std::exception_ptr error_;
  std::mutex joinMutex_;
};

}  // namespace disruptor
