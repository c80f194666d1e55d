// EventPoller: a pull-style consumer. The owner's thread calls poll() when
// it likes, instead of giving a thread to a processor.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "disruptor/sequence.hpp"
#include "disruptor/wait_strategy.hpp"

namespace disruptor {

/// What one poll() found.
enum class PollState {
  Processing,  ///< events were handed to the callback
  Gating,      ///< events are published but an upstream handler has not passed them yet
  Idle,        ///< nothing published beyond this poller
};

/// Pulls events from a ring on demand; its sequence records its progress and,
/// added as a gating sequence, keeps producers from lapping it.
///
/// Threading: poll() from one thread at a time; getSequence() from any.
template <class RingBufferT>
class EventPoller {
 public:
  /// The event type.
  using EventType = typename RingBufferT::EventType;

  /// A poller of `ring` after the handlers owning `dependents` (none: after the producers).
  EventPoller(RingBufferT& ring, std::vector<const Sequence*> dependents)
      : ring_(&ring), dependents_(std::move(dependents)) {}
  /// Takes over `other`'s ring, dependents and progress.
  EventPoller(EventPoller&& other) noexcept
      : ring_(other.ring_), dependents_(std::move(other.dependents_)), sequence_(other.sequence_.get()) {}

  /// Hands each available event to `callback(event, sequence, endOfBatch)`,
  /// which may return false to stop early (a void callback takes them all).
  template <class Callback>
  PollState poll(Callback&& callback) {
    const std::int64_t current = sequence_.getPlain();
    std::int64_t nextSequence = current + 1;
    const std::int64_t cursor = ring_->sequencer().cursor();
    const std::int64_t upstream = minimumSequence(dependents_, cursor);
    const std::int64_t available = ring_->sequencer().highestPublished(nextSequence, upstream);
    if (nextSequence > available) return cursor >= nextSequence ? PollState::Gating : PollState::Idle;

    std::int64_t processed = current;
    struct StoreOnExit {  // progress is recorded even if the callback throws
      EventPoller& poller;
      const std::int64_t& processed;
      ~StoreOnExit() { poller.advanceTo(processed); }
    } storeOnExit{*this, processed};
    bool more = true;
    do {
      more = deliver(callback, ring_->get(nextSequence), nextSequence, nextSequence == available);
      processed = nextSequence++;
    } while (nextSequence <= available && more);
    return PollState::Processing;
  }

  /// The sequence of the last event polled.
  [[nodiscard]] Sequence& getSequence() noexcept { return sequence_; }

 private:
  template <class Callback>
  static bool deliver(Callback& callback, EventType& event, std::int64_t sequence, bool endOfBatch) {
    if constexpr (std::is_void_v<std::invoke_result_t<Callback&, EventType&, std::int64_t, bool>>) {
      callback(event, sequence, endOfBatch);
      return true;
    } else {
      return static_cast<bool>(callback(event, sequence, endOfBatch));
    }
  }

  void advanceTo(std::int64_t sequence) noexcept {
    sequence_.set(sequence);
    ring_->sequencer().signalProgress();
  }

  RingBufferT* ring_;
  std::vector<const Sequence*> dependents_;
  Sequence sequence_;
};

}  // namespace disruptor
