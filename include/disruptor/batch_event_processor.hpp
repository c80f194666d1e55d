// BatchEventProcessor: the event loop of one handler. It waits for the
// highest available sequence, hands each event to the handler with
// endOfBatch, and stores its own sequence once per batch. Everything on the
// per-event path is inlined: no virtual call, lock or allocation.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "disruptor/batch_rewind_strategy.hpp"
#include "disruptor/detail/batch_coalescer.hpp"
#include "disruptor/detail/line_release.hpp"
#include "disruptor/event_handler.hpp"
#include "disruptor/event_processor.hpp"
#include "disruptor/exception_handler.hpp"
#include "disruptor/exceptions.hpp"
#include "disruptor/gating_sequences.hpp"
#include "disruptor/sequence.hpp"
#include "disruptor/slot_layout.hpp"
#include "disruptor/wait_strategy.hpp"

namespace disruptor {

/// Runs handler H over the events of RingBufferT. H is `U&` for a handler
/// the caller keeps alive, `U` for one the processor owns.
///
/// Threading: run() on one thread; halt(), the setters before run(), and
/// the queries from any thread.
template <class RingBufferT, class H>
class BatchEventProcessor final : public EventProcessor {
 public:
  /// The event type.
  using EventType = typename RingBufferT::EventType;
  /// The barrier type.
  using BarrierType = typename RingBufferT::BarrierType;
  /// What each slot holds (the event, and in a Stamped ring its stamp).
  using SlotType = typename RingBufferT::SlotType;
  /// The handler type, without reference.
  using HandlerType = std::remove_reference_t<H>;
  static_assert(EventHandlerFor<HandlerType, EventType>,
                "a handler must have onEvent(T&, std::int64_t, bool) or be callable as (T&, std::int64_t, bool)");

  /// Called once when the processor stops because of a fatal failure.
  using FailureCallback = std::function<void(std::exception_ptr)>;

  /// Creates a processor for `handler` on `ring`, waiting on `barrier`. A
  /// non-null `rewind` lets the handler throw RewindableException.
  BatchEventProcessor(RingBufferT& ring, std::unique_ptr<BarrierType> barrier, H&& handler,
                      std::shared_ptr<BatchRewindStrategy> rewind = nullptr, std::string name = "handler")
      : ring_(ring),
        barrier_(std::move(barrier)),
        handler_(std::forward<H>(handler)),
        rewindStrategy_(std::move(rewind)),
        name_(std::move(name)) {
    if constexpr (hasName<HandlerType>) name_ = std::string(handler_.get().name());
    if constexpr (hasSetSequenceCallback<HandlerType>) handler_.get().setSequenceCallback(sequence_);
  }

  /// Replaces the exception handler (default: FatalExceptionHandler). Before run().
  void setExceptionHandler(std::shared_ptr<ExceptionHandler<EventType>> handler) {
    if (!handler) throw std::invalid_argument("setExceptionHandler: the exception handler is null");
    exceptionHandler_ = std::move(handler);
  }
  /// The exception handler in use.
  [[nodiscard]] const std::shared_ptr<ExceptionHandler<EventType>>& exceptionHandler() const noexcept {
    return exceptionHandler_;
  }
  /// Caps a batch at `maxBatchSize` events (at least 1). Before run().
  void setMaxBatchSize(std::int64_t maxBatchSize) {
    if (maxBatchSize < 1)
      throw std::invalid_argument("maxBatchSize must be at least 1, got " + std::to_string(maxBatchSize));
    batchLimitOffset_ = maxBatchSize - 1;
  }
  /// Allows or forbids flushing handled slot lines back to the producer
  /// (default: allowed where it pays, detail::lineReleasePays(); it still
  /// needs this to be the ring's one handler). Allowed, a stream's lines are
  /// flushed only while that times faster than not (detail::FlushChooser).
  /// Before run().
  void setReleaseConsumedLines(bool allowed) noexcept { releaseAllowed_ = allowed; }
  /// Sets what to call when a fatal failure stops the processor. Before run().
  void setFailureCallback(FailureCallback callback) { onFailure_ = std::move(callback); }

  /// The handler.
  [[nodiscard]] HandlerType& handler() noexcept { return handler_.get(); }
  /// The barrier this processor waits on.
  [[nodiscard]] BarrierType& barrier() noexcept { return *barrier_; }
  /// Whether this run flushes the slot lines it has handled back to the
  /// producer while the producer streams: only as the ring's one handler, on
  /// a CPU with CLFLUSHOPT, when allowed (setReleaseConsumedLines).
  /// Decided when run() starts; a snapshot from any thread.
  [[nodiscard]] bool releasesConsumedLines() const noexcept override {
    return lineReleaser_.enabled();
  }
  /// Slot lines flushed so far: only those handled while the producer was
  /// streaming, since a sparse producer's next write would wait for memory.
  /// A snapshot from any thread.
  [[nodiscard]] std::uint64_t releasedLines() const noexcept { return lineReleaser_.releasedLines(); }
  /// The failure that stopped the processor, if one did; read after run() returned.
  [[nodiscard]] std::exception_ptr failure() const noexcept { return failure_; }

  /// The event loop. Throws std::logic_error if already running; otherwise
  /// returns when halted, or after a fatal failure (reported to the callback).
  void run() override {
    int state = kIdle;
    if (!state_.compare_exchange_strong(state, kRunning, std::memory_order_acq_rel)) {
      if (state == kRunning) throw std::logic_error("BatchEventProcessor::run: the processor is already running");
      // Halted before it started: start and stop without handling anything.
      notifyStart();
      notifyShutdown();
      state_.store(kIdle, std::memory_order_release);
      return;
    }
    barrier_->clearAlert();
    rewindAttempts_ = 0;  // a halt may have ended the last run in the middle of a replay
    notifyStart();
    try {
      if (state_.load(std::memory_order_acquire) == kRunning) processEvents();
    } catch (...) {
      failure_ = std::current_exception();
      if (onFailure_) onFailure_(failure_);
    }
    notifyShutdown();
    state_.store(kIdle, std::memory_order_release);
  }

  /// Stops the loop at its next wait.
  void halt() noexcept override {
    state_.store(kHalted, std::memory_order_release);
    barrier_->alert();
  }
  /// The sequence of the last event handled.
  Sequence& getSequence() noexcept override { return sequence_; }
  /// Whether run() is in progress.
  [[nodiscard]] bool isRunning() const noexcept override { return state_.load(std::memory_order_acquire) == kRunning; }
  /// The handler's name() if it has one, otherwise the name given at construction.
  [[nodiscard]] std::string name() const override { return name_; }

 private:
  static constexpr int kIdle = 0;
  static constexpr int kHalted = 1;
  static constexpr int kRunning = 2;

  void processEvents() {
    std::int64_t nextSequence = sequence_.getPlain() + 1;
    // Lines are flushed only by the ring's one handler: the sole gating
    // sequence, reading straight from the producers. Behind other handlers
    // the lines are dirty with their writes, and flushing them measured no
    // better in a pipeline.
    const auto& gating = ring_.sequencer().gatingSequences();
    // Lines go only while the producer streams, which a coalescer with no
    // lag (large events, tiny rings) never sees: then it is off, and says so.
    lineReleaser_.reset(releaseAllowed_ && coalescer_.lag() > 0 && barrier_->dependents().empty() && gating.size() == 1 &&
                            gating.contains(sequence_),
                        nextSequence);
    // The slots' base and mask in locals: a handler's stores to its own
    // state could otherwise alias them and force a reload per event.
    SlotType* const slots = &ring_.slot(0);
    const std::int64_t mask = ring_.bufferSize() - 1;
    const auto slot = [slots, mask](std::int64_t sequence) { return &slots[sequence & mask]; };
    for (;;) {
      const std::int64_t startOfBatch = nextSequence;
      try {
        try {
          std::int64_t available = 0;
          const std::int64_t takeUpTo =
              coalescer_.batchEnd(nextSequence, available, *barrier_, [&] { return barrier_->waitFor(nextSequence); });
          const std::int64_t endOfBatch =
              takeUpTo - nextSequence > batchLimitOffset_ ? nextSequence + batchLimitOffset_ : takeUpTo;
          if constexpr (hasOnBatchStart<HandlerType>)
            handler_.get().onBatchStart(endOfBatch - nextSequence + 1, available - nextSequence + 1);
          lineReleaser_.handleReleasing(nextSequence, endOfBatch, slot, coalescer_.streaming(), [&](std::int64_t s) {
            callOnEvent(handler_.get(), detail::eventIn(*slot(s)), s, s == endOfBatch);
          });
          rewindAttempts_ = 0;
          advanceTo(endOfBatch);
        } catch (const RewindableException& error) {
          if (!rewindStrategy_ || rewindStrategy_->handleRewindException(error, ++rewindAttempts_) != RewindAction::Rewind) {
            rewindAttempts_ = 0;
            throw;
          }
          nextSequence = startOfBatch;
        }
      } catch (const AlertException&) {
        if (state_.load(std::memory_order_acquire) != kRunning) return;
      } catch (const TimeoutException&) {
        notifyTimeout(sequence_.getPlain());
      } catch (...) {
        // A throw from the exception handler leaves this loop: fatal.
        exceptionHandler_->handleEventException(std::current_exception(), nextSequence, &ring_.get(nextSequence));
        advanceTo(nextSequence);
        ++nextSequence;
      }
    }
  }

  void advanceTo(std::int64_t sequence) noexcept {
    sequence_.set(sequence);
    ring_.sequencer().signalProgress();
  }

  void notifyTimeout(std::int64_t sequence) {
    if constexpr (hasOnTimeout<HandlerType>) {
      try {
        handler_.get().onTimeout(sequence);
      } catch (...) {
        exceptionHandler_->handleEventException(std::current_exception(), sequence, nullptr);
      }
    }
  }

  void notifyStart() {
    if constexpr (hasOnStart<HandlerType>) {
      try {
        handler_.get().onStart();
      } catch (...) {
        reportLifecycleFailure(&ExceptionHandler<EventType>::handleOnStartException);
      }
    }
  }

  void notifyShutdown() {
    if constexpr (hasOnShutdown<HandlerType>) {
      try {
        handler_.get().onShutdown();
      } catch (...) {
        reportLifecycleFailure(&ExceptionHandler<EventType>::handleOnShutdownException);
      }
    }
  }

  // Routes a failed hook to the exception handler; if that throws too, the
  // failure is reported as fatal rather than allowed to escape the thread.
  void reportLifecycleFailure(void (ExceptionHandler<EventType>::*route)(std::exception_ptr)) noexcept {
    try {
      ((*exceptionHandler_).*route)(std::current_exception());
    } catch (...) {
      if (!failure_) failure_ = std::current_exception();
      if (onFailure_) onFailure_(failure_);
    }
  }

  // The sequence comes first: it is written every batch and read by others,
  // and sits on its own pair of lines.
  Sequence sequence_;
  RingBufferT& ring_;
  std::unique_ptr<BarrierType> barrier_;
  detail::HandlerStorage<H> handler_;
  std::int64_t batchLimitOffset_ = std::numeric_limits<std::int64_t>::max();
  detail::BatchCoalescer coalescer_{sizeof(SlotType), ring_.bufferSize()};
  // Hands the slot lines back to the producer when this is the ring's one handler.
  detail::LineReleaser<SlotType> lineReleaser_;
  bool releaseAllowed_ = detail::lineReleasePays();
  int rewindAttempts_ = 0;
  std::atomic<int> state_{kIdle};
  std::shared_ptr<BatchRewindStrategy> rewindStrategy_;
  std::shared_ptr<ExceptionHandler<EventType>> exceptionHandler_ = std::make_shared<FatalExceptionHandler<EventType>>();
  FailureCallback onFailure_;
  std::exception_ptr failure_;
  std::string name_;
};

}  // namespace disruptor
