// The stress event and the handler that checks it. Every field of an event is
// derived from its sequence and producer, and each handler stamps the event
// with the sequence in its own slot, so a handler can check that it sees every
// sequence once, in order, intact, and only after its upstream handlers. The
// handler also injects the iteration's faults and keeps the model of what the
// processor must do next (skip, rewind, halt), so counts reconcile exactly.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <exception>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "disruptor/disruptor.hpp"
#include "stress_plan.hpp"
#include "violations.hpp"

namespace stress {

/// A stamp slot no handler has written on this lap (producers write it).
inline constexpr std::int64_t kUnstamped = std::numeric_limits<std::int64_t>::min();
/// What a handler stamps on an event it skips: never a sequence.
constexpr std::int64_t skipMark(std::int64_t sequence) noexcept { return ~sequence; }

/// An event whose every field a handler can check.
struct StressEvent {
  std::int64_t sequence = -1;
  std::int64_t counter = -1;
  std::int32_t producer = -1;
  std::uint64_t checksum = 0;
  std::array<std::int64_t, kMaxHandlers> stamp{};
};

/// The checksum of an event's payload.
constexpr std::uint64_t checksumOf(std::int64_t sequence, std::int32_t producer, std::int64_t counter) noexcept {
  return mix(static_cast<std::uint64_t>(sequence), static_cast<std::uint64_t>(producer),
             static_cast<std::uint64_t>(counter));
}

/// Fills `event` as producer `producer` does for its `counter`-th event.
inline void fill(StressEvent& event, std::int64_t sequence, std::int32_t producer, std::int64_t counter) noexcept {
  event.sequence = sequence;
  event.counter = counter;
  event.producer = producer;
  event.checksum = checksumOf(sequence, producer, counter);
  event.stamp.fill(kUnstamped);
}

/// The exception the stress handlers throw (besides RewindableException).
class InjectedFault : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Whether `error` is one the stress program threw on purpose.
inline bool isInjected(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const InjectedFault&) {
    return true;
  } catch (const disruptor::RewindableException&) {
    return true;
  } catch (...) {
    return false;
  }
}

/// Counts the event failures it is given and checks them, then hands them on
/// to `inner` (IgnoreExceptionHandler or FatalExceptionHandler).
///
/// Threading: called on the processor threads of the handlers it serves.
class CountingExceptionHandler final : public disruptor::ExceptionHandler<StressEvent> {
 public:
  CountingExceptionHandler(std::shared_ptr<disruptor::ExceptionHandler<StressEvent>> inner, Violations& violations,
                           std::string owner)
      : inner_(std::move(inner)), violations_(violations), owner_(std::move(owner)) {}

  void handleEventException(std::exception_ptr error, std::int64_t sequence, StressEvent* event) override {
    events_.fetch_add(1, std::memory_order_relaxed);
    violations_.require(
        event != nullptr && event->sequence == sequence,
        owner_ + ": exception handler got sequence " + std::to_string(sequence) + " with an event that is not its own");
    violations_.require(isInjected(error), owner_ + ": an exception nobody injected: " + disruptor::describe(error));
    inner_->handleEventException(std::move(error), sequence, event);
  }
  void handleOnStartException(std::exception_ptr error) override {
    violations_.report(owner_ + ": onStart failed: " + disruptor::describe(error));
    inner_->handleOnStartException(std::move(error));
  }
  void handleOnShutdownException(std::exception_ptr error) override {
    violations_.report(owner_ + ": onShutdown failed: " + disruptor::describe(error));
    inner_->handleOnShutdownException(std::move(error));
  }
  /// The event failures handed to this handler so far.
  [[nodiscard]] std::int64_t events() const noexcept { return events_.load(std::memory_order_relaxed); }

 private:
  std::shared_ptr<disruptor::ExceptionHandler<StressEvent>> inner_;
  Violations& violations_;
  std::string owner_;
  std::atomic<std::int64_t> events_{0};
};

/// What a handler counted; read once its processor has stopped.
struct Tally {
  /// Sequences handled to the end at least once.
  std::int64_t distinct = 0;
  /// Sequences it threw on that the exception handler was to skip.
  std::int64_t skipped = 0;
  /// Normal returns for sequences handled before (replays after a rewind).
  std::int64_t replayed = 0;
  /// What the rewinds it caused were to replay: the sum of (failing - batch start).
  std::int64_t expectedReplays = 0;
  /// Rewinds it caused.
  std::int64_t rewinds = 0;
  /// onTimeout calls.
  std::int64_t timeouts = 0;
  /// The next sequence it expects.
  std::int64_t next = 0;
  /// Whether it threw the fatal failure.
  bool threwFatal = false;
  /// onStart and onShutdown calls.
  int starts = 0, shutdowns = 0;
  /// The last counter it saw from each producer.
  std::vector<std::int64_t> lastCounter;
};

/// A handler that checks every event it gets and injects its planned faults.
///
/// Threading: called on its processor's thread only; tally() after that stopped.
class CheckedHandler {
 public:
  CheckedHandler(int id, const GraphPlan& plan, Violations& violations)
      : id_(id),
        seed_(plan.seed),
        plan_(plan.handlers[static_cast<std::size_t>(id)]),
        violations_(violations),
        maxBatchSize_(plan.maxBatchSize),
        producers_(static_cast<std::int32_t>(plan.quotas.size())) {
    tally_.lastCounter.assign(plan.quotas.size(), -1);
    if (plan_.rewindEvery != 0) rewound_.assign(static_cast<std::size_t>(plan.total()), 0);
  }

  [[nodiscard]] std::string name() const { return "h" + std::to_string(id_); }
  void setSequenceCallback(disruptor::Sequence& sequence) { sequence_ = &sequence; }
  void onStart() { ++tally_.starts; }
  void onShutdown() { ++tally_.shutdowns; }
  void onTimeout(std::int64_t sequence) {
    ++tally_.timeouts;
    check(sequence == tally_.next - 1, [&] {
      return "onTimeout got " + std::to_string(sequence) + ", its last sequence is " + std::to_string(tally_.next - 1);
    });
  }

  void onBatchStart(std::int64_t batchSize, std::int64_t queueDepth) {
    check(batchLeft_ == 0,
          [&] { return "a batch started with " + std::to_string(batchLeft_) + " events of the last one unseen"; });
    check(batchSize >= 1 && batchSize <= maxBatchSize_ && queueDepth >= batchSize, [&] {
      return "onBatchStart(" + std::to_string(batchSize) + ", " + std::to_string(queueDepth) + ") with maxBatchSize " +
             std::to_string(maxBatchSize_);
    });
    batchStart_ = tally_.next;
    batchLeft_ = batchSize;
  }

  void onEvent(StressEvent& event, std::int64_t sequence, bool endOfBatch) {
    checkPlace(sequence, endOfBatch);
    checkPayload(event, sequence);
    if (sequence == firstSight_) {
      checkProducerOrder(event);
      ++firstSight_;
    }
    pauseNow(sequence);
    injectFaults(event, sequence);  // may throw: the event is then skipped, replayed, or fatal
    event.stamp[static_cast<std::size_t>(id_)] = sequence;
    if (sequence < highWater_) {
      ++tally_.replayed;
    } else {
      ++tally_.distinct;
      highWater_ = sequence + 1;
    }
    tally_.next = sequence + 1;
    if (endOfBatch) attempts_ = 0;
    check(event.sequence == sequence, [&] {
      return "the slot of " + std::to_string(sequence) +
             " was overwritten while handled: a producer passed a gating handler";
    });
    if (plan_.earlyRelease &&
        mix(seed_, 100 + static_cast<std::uint64_t>(id_), static_cast<std::uint64_t>(sequence)) % 8 == 0)
      sequence_->set(sequence);
  }

  /// What it counted. After its processor stopped.
  [[nodiscard]] const Tally& tally() const noexcept { return tally_; }
  /// Its plan.
  [[nodiscard]] const HandlerPlan& plan() const noexcept { return plan_; }

 private:
  // `message` builds the text only when the check fails: the checks run on every event.
  template <class Message>
  void check(bool holds, Message&& message) {
    if (!holds) [[unlikely]]
      violations_.report("seed " + std::to_string(seed_) + " handler " + std::to_string(id_) + ": " + message());
  }

  // Exactly once, in order, inside a batch of the size announced.
  void checkPlace(std::int64_t sequence, bool endOfBatch) {
    check(!tally_.threwFatal, [&] { return "got " + std::to_string(sequence) + " after its fatal failure"; });
    if (sequence != tally_.next) [[unlikely]] {
      check(false,
            [&] { return "expected sequence " + std::to_string(tally_.next) + ", got " + std::to_string(sequence); });
      tally_.next = sequence;  // resynchronise, so one slip is reported once
    }
    check(batchLeft_ > 0,
          [&] { return "got " + std::to_string(sequence) + " beyond the batch size onBatchStart announced"; });
    --batchLeft_;
    check(endOfBatch == (batchLeft_ == 0), [&] {
      return "endOfBatch " + std::to_string(endOfBatch) + " at " + std::to_string(sequence) + " with " +
             std::to_string(batchLeft_) + " events left in the batch";
    });
  }

  // The payload is the producer's, for this sequence, and every upstream handler is done with it.
  void checkPayload(const StressEvent& event, std::int64_t sequence) {
    check(event.sequence == sequence && event.producer >= 0 && event.producer < producers_ &&
              event.checksum == checksumOf(event.sequence, event.producer, event.counter),
          [&] {
            return "event at " + std::to_string(sequence) + " holds sequence " + std::to_string(event.sequence) +
                   " of producer " + std::to_string(event.producer) + " with a checksum that does not match";
          });
    for (int upstream : plan_.upstream) {
      const std::int64_t stamp = event.stamp[static_cast<std::size_t>(upstream)];
      check(stamp == sequence || stamp == skipMark(sequence), [&] {
        return "got " + std::to_string(sequence) + " before upstream handler " + std::to_string(upstream) +
               " was done with it (its stamp: " + std::to_string(stamp) + ")";
      });
    }
  }

  // Each producer's events arrive in the order it published them, none missing.
  void checkProducerOrder(const StressEvent& event) {
    if (event.producer < 0 || event.producer >= producers_) return;  // reported by checkPayload
    std::int64_t& last = tally_.lastCounter[static_cast<std::size_t>(event.producer)];
    check(event.counter == last + 1, [&] {
      return "producer " + std::to_string(event.producer) + "'s event " + std::to_string(event.counter) +
             " follows its event " + std::to_string(last);
    });
    last = event.counter;
  }

  // Now and then a handler gives its core away mid-batch, to shake up the interleavings.
  void pauseNow(std::int64_t sequence) const {
    if (mix(seed_, 200 + static_cast<std::uint64_t>(id_), static_cast<std::uint64_t>(sequence)) % 211 == 0)
      std::this_thread::yield();
  }

  bool plannedAt(int every, std::uint64_t salt, std::int64_t sequence) const {
    return every != 0 &&
           mix(seed_, salt * kMaxHandlers + static_cast<std::uint64_t>(id_), static_cast<std::uint64_t>(sequence)) %
                   static_cast<std::uint64_t>(every) ==
               0;
  }

  void injectFaults(StressEvent& event, std::int64_t sequence) {
    if (sequence == plan_.fatalAt) {
      tally_.threwFatal = true;
      batchLeft_ = 0;
      throw InjectedFault("injected fatal failure: handler " + std::to_string(id_) + " at sequence " +
                          std::to_string(sequence));
    }
    if (plannedAt(plan_.rewindEvery, 1, sequence) && sequence < static_cast<std::int64_t>(rewound_.size()) &&
        rewound_[static_cast<std::size_t>(sequence)] < plan_.rewindTimes) {
      ++rewound_[static_cast<std::size_t>(sequence)];
      throwRewindable(event, sequence);
    }
    if (plannedAt(plan_.failEvery, 2, sequence)) {
      expectSkip(event, sequence);
      throw InjectedFault("injected failure: handler " + std::to_string(id_) + " at sequence " +
                          std::to_string(sequence));
    }
  }

  // Mirrors the processor: the strategy rewinds until a batch has failed
  // `rewind` times in a row (never, for SimpleBatchRewindStrategy); then the
  // exception handler gets the event, and the ignoring one skips it.
  [[noreturn]] void throwRewindable(StressEvent& event, std::int64_t sequence) {
    ++attempts_;
    if (plan_.rewind < 0 || attempts_ < plan_.rewind) {
      ++tally_.rewinds;
      tally_.expectedReplays += sequence - batchStart_;
      tally_.next = batchStart_;
      batchLeft_ = 0;
    } else {
      attempts_ = 0;
      expectSkip(event, sequence);
    }
    throw disruptor::RewindableException("injected rewind: handler " + std::to_string(id_) + " at sequence " +
                                         std::to_string(sequence));
  }

  void expectSkip(StressEvent& event, std::int64_t sequence) {
    event.stamp[static_cast<std::size_t>(id_)] = skipMark(sequence);
    ++tally_.skipped;
    tally_.next = sequence + 1;
    highWater_ = std::max(highWater_, sequence + 1);
    batchLeft_ = 0;
  }

  const int id_;
  const std::uint64_t seed_;
  const HandlerPlan plan_;
  Violations& violations_;
  const std::int64_t maxBatchSize_;
  const std::int32_t producers_;
  disruptor::Sequence* sequence_ = nullptr;
  Tally tally_;
  std::int64_t batchStart_ = 0;
  std::int64_t batchLeft_ = 0;
  std::int64_t firstSight_ = 0;
  std::int64_t highWater_ = 0;
  int attempts_ = 0;
  std::vector<std::uint8_t> rewound_;
};

}  // namespace stress
