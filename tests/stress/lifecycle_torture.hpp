// Lifecycle torture: one round starts a small random graph, lets producers
// and handlers get going (handlers pausing mid-batch now and then), then ends
// it one of many ways: halt, shutdown, shutdown with a timeout, a handler
// halting its own graph, a fatal failure, the destructor, halt and shutdown
// at once. Every ending must return (the caller bounds it with a Watchdog),
// wake every producer, and leave no thread behind.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bounded_wait.hpp"
#include "checked_handler.hpp"
#include "disruptor/disruptor.hpp"
#include "strategies.hpp"
#include "stress_runs.hpp"
#include "torture_plan.hpp"

namespace stress {

/// The torture's event: just its sequence, written by the producer.
struct TortureEvent {
  std::int64_t sequence = -1;
};

/// Checks order, pauses mid-batch now and then, and at its trigger halts
/// the graph or fails, if it is the round's actor.
///
/// Threading: onEvent on its processor's thread; handled() from any thread;
/// failure() after the processor stopped.
class TortureHandler {
 public:
  /// What the actor does at the trigger.
  enum class Act { None, Halt, Fail };

  TortureHandler(std::uint64_t seed, std::int64_t actAt, Act act, std::function<void()> halt)
      : seed_(seed), actAt_(actAt), act_(act), halt_(std::move(halt)) {}

  void onEvent(TortureEvent& event, std::int64_t sequence, bool) {
    const std::int64_t next = handled_.load(std::memory_order_relaxed);
    if ((sequence != next || event.sequence != sequence) && failure_.empty())
      failure_ = "expected sequence " + std::to_string(next) + ", got " + std::to_string(sequence) + " holding " +
                 std::to_string(event.sequence);
    const std::uint64_t dice = mix(seed_, static_cast<std::uint64_t>(sequence), 7);
    if (dice % 64 == 0) std::this_thread::sleep_for(std::chrono::microseconds(20));  // mid-batch, for a while
    if (dice % 8 == 1) std::this_thread::yield();
    handled_.store(sequence + 1, std::memory_order_release);
    if (sequence != actAt_) return;
    if (act_ == Act::Halt) halt_();
    if (act_ == Act::Fail) throw InjectedFault("injected torture failure at " + std::to_string(sequence));
  }

  /// Events handled so far. A snapshot.
  [[nodiscard]] std::int64_t handled() const noexcept { return handled_.load(std::memory_order_acquire); }
  /// The first ordering violation seen, or empty.
  [[nodiscard]] const std::string& failure() const noexcept { return failure_; }

 private:
  std::uint64_t seed_;
  std::int64_t actAt_;
  Act act_;
  std::function<void()> halt_;
  std::atomic<std::int64_t> handled_{0};
  std::string failure_;
};

/// Runs one torture round; returns what went wrong, or an empty string.
template <class W, disruptor::ProducerType P>
class TortureRound {
 public:
  using D = disruptor::Disruptor<TortureEvent, W, P>;

  TortureRound(const TorturePlan& plan, W strategy)
      : plan_(plan),
        d_([] { return TortureEvent{}; }, static_cast<std::size_t>(plan.bufferSize), std::move(strategy),
           disruptor::Options().withName("torture")) {
    for (int i = 0; i < plan.handlers; ++i) {
      auto act = TortureHandler::Act::None;
      if (i == plan.actor && plan.ending == Ending::HaltFromHandler) act = TortureHandler::Act::Halt;
      if (i == plan.actor && plan.ending == Ending::FatalThenShutdown) act = TortureHandler::Act::Fail;
      handlers_.push_back(std::make_unique<TortureHandler>(plan.seed, plan.trigger, act, [this] { d_.halt(); }));
    }
    build();
  }

  ~TortureRound() { stopProducers(); }

  /// Plays the round to its ending; the failures found, or empty.
  std::string play() {
    if (plan_.ending == Ending::HaltBeforeStart) d_.halt();
    auto& ring = d_.start();
    for (int p = 0; p < plan_.producers; ++p) producers_.emplace_back([this, &ring, p] { produce(ring, p); });
    end();
    stopProducers();
    for (const auto& handler : handlers_) {
      if (!handler->failure().empty()) fail(handler->failure());
      if (handler->handled() > published()) fail("a handler handled more events than were published");
    }
    return failure_;
  }

  /// Where the round is, for the watchdog.
  [[nodiscard]] std::string progress() const { return disruptor::describeProgress(d_.topology()); }

 private:
  void build() {
    auto& first = *handlers_.front();
    auto group = d_.handleEventsWith(first);
    if (plan_.diamond) {
      auto middle = d_.after(first).handleEventsWith(*handlers_[1]);
      for (int i = 2; i + 1 < plan_.handlers; ++i)
        middle = middle.and_(d_.after(first).handleEventsWith(*handlers_[i]));
      middle.then(*handlers_.back());
      return;
    }
    for (std::size_t i = 1; i < handlers_.size(); ++i) group = group.then(*handlers_[i]);
  }

  template <class Ring>
  void produce(Ring& ring, int producer) {
    std::mt19937_64 random(mix(plan_.seed, static_cast<std::uint64_t>(producer), 99));
    try {
      while (!stop_.load(std::memory_order_acquire)) {
        const std::int64_t n = detail::between(random, 1, plan_.maxClaim);
        const std::int64_t high = ring.next(n);
        for (std::int64_t s = high - n + 1; s <= high; ++s) ring.get(s).sequence = s;
        ring.publish(high - n + 1, high);
        published_.fetch_add(n, std::memory_order_relaxed);
      }
    } catch (const disruptor::HaltedException& e) {
      halted_.fetch_add(1, std::memory_order_relaxed);
      const std::string why = e.what();
      if (plan_.ending == Ending::FatalThenShutdown &&
          why != "cannot publish: a handler failed fatally and halted the Disruptor (see error())")
        failLater("a producer was stopped with '" + why + "' after a fatal failure");
    }
  }

  void end() {
    using namespace std::chrono_literals;
    switch (plan_.ending) {
      case Ending::HaltWhileRunning:
        awaitTrigger();
        d_.halt();
        break;
      case Ending::ShutdownAfterProducers:
        awaitTrigger();
        stopProducers();
        shutdownWithin(test::kWaitBound);
        for (const auto& handler : handlers_)
          if (handler->handled() != published())
            fail("shutdown() returned with " + std::to_string(handler->handled()) + " of " +
                 std::to_string(published()) + " events handled");
        break;
      case Ending::ShutdownTimeoutWhileRunning:
        awaitTrigger();
        try {
          d_.shutdown(std::chrono::microseconds(plan_.trigger * 10));
        } catch (const disruptor::TimeoutException&) {
          d_.halt();
        }
        break;
      case Ending::HaltFromHandler:
        if (!test::eventually([&] { return halted_.load() == plan_.producers; }))
          fail("producers were not stopped after a handler halted the graph");
        break;
      case Ending::DestroyWhileBusy:
        awaitTrigger();
        stopProducers();
        break;
      case Ending::HaltDuringShutdown: {
        awaitTrigger();
        stopProducers();
        std::thread halter([&] { d_.halt(); });
        shutdownWithin(test::kWaitBound);
        halter.join();
        break;
      }
      case Ending::HaltThenShutdown:
        awaitTrigger();
        d_.halt();
        d_.shutdown();
        shutdownWithin(1ms);
        break;
      case Ending::HaltBeforeStart:
        if (!test::eventually([&] { return halted_.load() == plan_.producers; }))
          fail("producers could publish on a Disruptor halted before start()");
        for (const auto& handler : handlers_)
          if (handler->handled() != 0) fail("a handler of a Disruptor halted before start() handled events");
        break;
      case Ending::FatalThenShutdown:
        if (!test::eventually([&] { return d_.halted(); })) fail("the fatal failure did not halt the graph");
        d_.shutdown();
        if (disruptor::describe(d_.error()) != "injected torture failure at " + std::to_string(plan_.trigger))
          fail("error() is '" + disruptor::describe(d_.error()) + "'");
        break;
    }
  }

  void awaitTrigger() {
    if (!test::eventually([&] { return handlers_.front()->handled() >= plan_.trigger; }))
      fail("the first handler never handled " + std::to_string(plan_.trigger) + " events");
  }

  void shutdownWithin(std::chrono::nanoseconds bound) {
    try {
      d_.shutdown(bound);
    } catch (const disruptor::TimeoutException& e) {
      fail(std::string("shutdown: ") + e.what() + "; " + progress());
    }
  }

  void stopProducers() {
    stop_.store(true, std::memory_order_release);
    for (auto& producer : producers_)
      if (producer.joinable()) producer.join();
    if (!pending_.empty()) fail(pending_);
  }

  std::int64_t published() const { return published_.load(std::memory_order_relaxed); }
  void fail(const std::string& what) {
    if (failure_.empty())
      failure_ = "seed " + std::to_string(plan_.seed) + " (" + toString(plan_.ending) + "): " + what;
  }
  // From a producer thread: kept until the producers are joined.
  void failLater(const std::string& what) {
    const std::lock_guard lock(pendingMutex_);
    if (pending_.empty()) pending_ = what;
  }

  const TorturePlan& plan_;
  std::vector<std::unique_ptr<TortureHandler>> handlers_;
  D d_;
  std::vector<std::thread> producers_;
  std::atomic<bool> stop_{false};
  std::atomic<std::int64_t> published_{0};
  std::atomic<int> halted_{0};
  std::mutex pendingMutex_;
  std::string pending_;
  std::string failure_;
};

template <disruptor::ProducerType P>
std::string tortureAs(const TorturePlan& plan, const DumpSetter& setDump) {
  std::string failure;
  withStrategy(plan.strategy, plan.timeout, [&](auto strategy) {
    TortureRound<decltype(strategy), P> round(plan, std::move(strategy));
    setDump([&round] { return round.progress(); });
    failure = round.play();
    setDump(nullptr);
  });
  return failure;
}

}  // namespace stress
