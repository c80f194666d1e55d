// SequenceBarrier: what a handler waits on. With no upstream handlers it
// watches the producers (the cursor, and with many producers the slots'
// published flags; in a Stamped ring, once caught up, the stamp of the slot
// it needs); otherwise the slowest of its upstream handlers.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <vector>

#include "disruptor/exceptions.hpp"
#include "disruptor/producer_type.hpp"
#include "disruptor/sequence.hpp"
#include "disruptor/wait_strategy.hpp"

namespace disruptor {

/// Waits, the sequencer's strategy's way, for a sequence to be available to
/// one handler; alert() ends every wait with AlertException.
///
/// Threading: waitFor from the one handler thread that owns the barrier;
/// alert, clearAlert and the queries from any thread.
template <class Sequencer>
class SequenceBarrier {
 public:
  /// Creates a barrier on `sequencer`, after the handlers whose sequences are
  /// `dependents` (none: directly after the producers).
  SequenceBarrier(Sequencer& sequencer, std::vector<const Sequence*> dependents)
      : sequencer_(sequencer), dependents_(std::move(dependents)) {}
  SequenceBarrier(const SequenceBarrier&) = delete;
  SequenceBarrier& operator=(const SequenceBarrier&) = delete;

  /// Waits until `sequence` is available; returns the highest available
  /// sequence (at least `sequence`). Throws AlertException once alerted and
  /// TimeoutException when a timeout strategy's wait expires.
  std::int64_t waitFor(std::int64_t sequence) {
    checkAlert();
    // The stamped wait has a function of its own, so a Packed ring's wait is
    // the code it was: folded into one, it changed GCC's inlining around the
    // processor loop (diamond blocking measured 0.77x).
    if constexpr (kWatchesStamps)
      if (dependents_.empty()) return waitForStamped(sequence);
    const std::int64_t available = sequencer_.waitStrategy().waitFor(sequence, Probe{*this, sequence});
    if (available < sequence) throw TimeoutException();
    return available;
  }

  /// The highest sequence available to this barrier's handler now. A snapshot.
  [[nodiscard]] std::int64_t getCursor() const noexcept {
    return dependents_.empty() ? sequencer_.cursor() : slowestDependent();
  }

  /// Whether alert() was called since the last clearAlert().
  [[nodiscard]] bool isAlerted() const noexcept { return alerted_.load(std::memory_order_acquire); }
  /// Throws AlertException if alerted.
  void checkAlert() const {
    if (isAlerted()) [[unlikely]] throw AlertException();
  }
  /// Ends current and future waits with AlertException, waking blocked waiters.
  void alert() noexcept {
    alerted_.store(true, std::memory_order_release);
    sequencer_.waitStrategy().signalAllWhenBlocking();
  }
  /// Lets waits proceed again.
  void clearAlert() noexcept { alerted_.store(false, std::memory_order_release); }

  /// The highest sequence available from `from` on, without waiting. A
  /// snapshot; below `from` when nothing new is there. Owner thread only.
  [[nodiscard]] std::int64_t availableFrom(std::int64_t from) const noexcept {
    if (!dependents_.empty()) return slowestDependent();  // upstream handlers only pass published sequences
    const std::int64_t cursor = sequencer_.cursor();
    if constexpr (Sequencer::kProducerType == ProducerType::Multi) {
      // Slots once seen published stay so until this handler passes them:
      // resume the scan of the published flags where the last one stopped.
      if (cursor < from) return cursor;
      const std::int64_t start = std::max(from, knownPublished_ + 1);
      knownPublished_ = sequencer_.highestPublished(start, cursor);
      return std::max(knownPublished_, from - 1);
    } else {
      return cursor;
    }
  }

  /// The sequencer this barrier reads.
  [[nodiscard]] Sequencer& sequencer() noexcept { return sequencer_; }
  /// The upstream handlers' sequences; empty when the barrier watches the producers.
  [[nodiscard]] const std::vector<const Sequence*>& dependents() const noexcept { return dependents_; }

 private:
  // Whether the producer stamps the slot each publish begins at (a Stamped ring).
  static constexpr bool kWatchesStamps = requires { requires Sequencer::kStamped; };

  // waitFor right behind the producer of a Stamped ring. Caught up, the next
  // publish begins at `sequence` and stamps its slot: watch that line alone.
  // The cursor's line would be a second one to fetch before the event's, and
  // watching both slows the producer's stores to both (round trip p99 in a
  // model: ~500 ns, against ~445 ns for the stamp alone). Otherwise some
  // publish begins before `sequence`: watch the cursor.
  std::int64_t waitForStamped(std::int64_t sequence) {
    const std::int64_t cursor = sequencer_.cursor();
    if (cursor >= sequence) return cursor;
    const std::int64_t available =
        cursor == sequence - 1 ? sequencer_.waitStrategy().waitFor(sequence, StampProbe{*this, sequence})
                               : sequencer_.waitStrategy().waitFor(sequence, Probe{*this, sequence});
    if (available < sequence) throw TimeoutException();
    return available;
  }

  /// What one waitFor watches: `from` is the first sequence it needs.
  struct Probe {
    const SequenceBarrier& barrier;
    std::int64_t from;
    std::int64_t available() const noexcept { return barrier.availableFrom(from); }
    // Claimed sequences, which a claim-time-signalling strategy waits for
    // without a signal: only a barrier right behind many producers has them.
    std::int64_t claimed() const noexcept {
      if constexpr (Sequencer::kProducerType == ProducerType::Multi)
        if (barrier.dependents_.empty()) return barrier.sequencer_.cursor();
      return std::numeric_limits<std::int64_t>::min();
    }
    bool isAlerted() const noexcept { return barrier.isAlerted(); }
    void checkAlert() const { barrier.checkAlert(); }
    WaitChannel channel() const noexcept {
      return barrier.dependents_.empty() ? WaitChannel::Published : WaitChannel::Progress;
    }
  };

  /// What a caught-up waitFor in a Stamped ring watches: the stamp of the
  /// slot of `from`, where the next publish begins.
  struct StampProbe {
    const SequenceBarrier& barrier;
    std::int64_t from;
    std::int64_t available() const noexcept {
      const std::int64_t high = barrier.sequencer_.publishedFrom(from);
      return high >= from ? high : from - 1;
    }
    bool isAlerted() const noexcept { return barrier.isAlerted(); }
    void checkAlert() const { barrier.checkAlert(); }
    WaitChannel channel() const noexcept { return WaitChannel::Published; }
  };

  std::int64_t slowestDependent() const noexcept {
    return minimumSequence(dependents_, std::numeric_limits<std::int64_t>::max());
  }

  Sequencer& sequencer_;
  std::vector<const Sequence*> dependents_;
  std::atomic<bool> alerted_{false};
  mutable std::int64_t knownPublished_ = Sequence::kInitialValue;  // owner thread only
};

}  // namespace disruptor
