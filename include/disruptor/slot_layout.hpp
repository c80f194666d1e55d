// How a ring lays out its slots. Packed, the default, puts the events back to
// back, as the LMAX Disruptor does: a handler learns from the cursor what is
// published, then reads the event from another line. Stamped puts beside each
// event the sequence its publish ended at, so a handler that has caught up
// waits on the line of the very event it needs: one line crosses between the
// cores per hop instead of two, which is what a request and its reply pay for.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "disruptor/sequence.hpp"

namespace disruptor {

/// How a ring buffer lays out its slots: a template parameter of RingBuffer
/// and Disruptor.
enum class SlotLayout : std::uint8_t {
  /// Events back to back: the most events per line, for streams.
  Packed,
  /// Each event beside the last sequence of the publish that began at its
  /// slot, so a handler that has caught up with the producer waits on the
  /// event's own line: for request and reply, where a round trip then moves
  /// two lines instead of four. 8 more bytes a slot (a stream of 8-byte
  /// events runs at a third of Packed's rate); single producer only.
  Stamped,
};

namespace detail {

/// A slot of a Stamped ring: the event, then its stamp in the same line
/// when the pair fits in one (any pair of 64 bytes or less, aligned).
template <class T>
struct StampedSlot {
  /// The event handlers see.
  T event;
  /// The highest sequence of the publish that began at this slot; below
  /// any sequence of this lap until that publish.
  std::atomic<std::int64_t> stamp{Sequence::kInitialValue};

  /// Holds `made`, as the ring's factory built it.
  explicit StampedSlot(T&& made) : event(std::move(made)) {}
};

/// What a ring with layout L stores in each slot.
template <class T, SlotLayout L>
using SlotFor = std::conditional_t<L == SlotLayout::Stamped, StampedSlot<T>, T>;

/// The event in a slot of either layout.
template <class T>
[[nodiscard]] T& eventIn(T& slot) noexcept {
  return slot;
}
/// The event in a slot of either layout.
template <class T>
[[nodiscard]] T& eventIn(StampedSlot<T>& slot) noexcept {
  return slot.event;
}
/// The event in a slot of either layout.
template <class T>
[[nodiscard]] const T& eventIn(const T& slot) noexcept {
  return slot;
}
/// The event in a slot of either layout.
template <class T>
[[nodiscard]] const T& eventIn(const StampedSlot<T>& slot) noexcept {
  return slot.event;
}

/// What a Packed ring's sequencer has instead of stamps.
struct NoPublishStamps {};

/// The stamps of a Stamped ring, as its sequencer writes and its barriers
/// read them: a view of the slots, which the ring owns.
///
/// Threading: mark() from the one producer; publishedFrom() from any thread.
template <class T>
class PublishStamps {
 public:
  /// The stamps of the `size` slots from `first` (a power of two).
  PublishStamps(StampedSlot<T>* first, std::size_t size) noexcept
      : first_(first), mask_(static_cast<std::int64_t>(size) - 1) {}

  /// Records that the publish beginning at `low` ends at `high`. Release:
  /// whoever reads the stamp sees the events written before it.
  void mark(std::int64_t low, std::int64_t high) noexcept { at(low).store(high, std::memory_order_release); }

  /// The highest sequence published from `from` on, when the publish that
  /// made `from` available began at it; below `from` until then. Acquire:
  /// pairs with mark().
  [[nodiscard]] std::int64_t publishedFrom(std::int64_t from) const noexcept {
    return at(from).load(std::memory_order_acquire);
  }

  /// Sets every stamp below every sequence: after the cursor moves back, a
  /// stamp from before the move would pass for a publish not made yet.
  /// Only while nothing is published.
  void clear() noexcept {
    for (std::int64_t i = 0; i <= mask_; ++i) at(i).store(Sequence::kInitialValue, std::memory_order_relaxed);
  }

 private:
  std::atomic<std::int64_t>& at(std::int64_t sequence) const noexcept { return first_[sequence & mask_].stamp; }

  StampedSlot<T>* first_;
  std::int64_t mask_;
};

}  // namespace detail
}  // namespace disruptor
