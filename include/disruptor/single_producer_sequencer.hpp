// SingleProducerSequencer: claims for one publishing thread with no atomic
// read-modify-write; the gating minimum is cached so the gating sequences are
// read only when the producer might lap them. In a Stamped ring each publish
// also stamps the slot it began at (see slot_layout.hpp).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "disruptor/cache_line.hpp"
#include "disruptor/exceptions.hpp"
#include "disruptor/producer_type.hpp"
#include "disruptor/sequencer_base.hpp"
#include "disruptor/slot_layout.hpp"

namespace disruptor {

/// The sequencer for ProducerType::Single: the cursor is the last published
/// sequence. `Stamps` is detail::PublishStamps for a Stamped ring's slots.
///
/// Threading: next, tryNext, claim and publish from one producer thread only;
/// queries from any thread.
template <WaitStrategy W, class Stamps = detail::NoPublishStamps>
class SingleProducerSequencer : public SequencerBase<W> {
 public:
  /// This sequencer's producer type.
  static constexpr ProducerType kProducerType = ProducerType::Single;
  /// Whether each publish stamps the slot it began at.
  static constexpr bool kStamped = !std::is_same_v<Stamps, detail::NoPublishStamps>;

  /// Creates the sequencer for a ring of `bufferSize` slots (a power of
  /// two); a Stamped ring passes its slots' `stamps`.
  explicit SingleProducerSequencer(std::size_t bufferSize, W waitStrategy = {}, Stamps stamps = {})
      : SequencerBase<W>(bufferSize, std::move(waitStrategy)), stamps_(stamps) {
    producer_.claimLimit = Sequence::kInitialValue + this->bufferSize_;
    producer_.quickLimit = producer_.claimLimit;
  }

  /// Claims the next sequence, waiting the strategy's way while the ring is full.
  std::int64_t next() { return claimNext(1); }

  /// Claims the next sequence if one comparison allows it: the claim is
  /// within the capacity last read and short of the next line mark (see
  /// setLineMarks). False, claiming nothing, otherwise: then nextPastMark().
  bool tryNextQuick(std::int64_t& sequence) {
    this->checkNotHalted();
    const std::int64_t next = producer_.claimed.load(std::memory_order_relaxed) + 1;
    if (next > producer_.quickLimit) return false;
    producer_.claimed.store(next, std::memory_order_relaxed);
    sequence = next;
    return true;
  }

  /// Claims the next sequence as next() does, when tryNextQuick() would not.
  /// `ahead` gets the first sequence of the next line of slots if every slot
  /// from there to the mark's span is claimable now (no handler reads them
  /// any more), else -1. The next mark is then half way through the span's
  /// last line.
  std::int64_t nextPastMark(std::int64_t& ahead) {
    const std::int64_t sequence = claimNext(1);
    ahead = -1;
    const std::int64_t line = producer_.lineSlots;
    if (line == 0) {
      producer_.quickLimit = producer_.claimLimit;
      return sequence;
    }
    const std::int64_t nextLine = (sequence | (line - 1)) + 1;
    const std::int64_t spanEnd = nextLine + producer_.spanSlots;
    // Every slot taken must be claimable: a handler still reading one would
    // have its line taken from under it.
    if (spanEnd - 1 <= producer_.claimLimit) ahead = nextLine;
    producer_.quickLimit = std::min(producer_.claimLimit, spanEnd - (line >> 1) - 1);
    return sequence;
  }

  /// Stops tryNextQuick half way through the last of every `linesPerMark`
  /// lines of `slotsPerLine` slots (powers of two; 0 slots: never), so the
  /// ring can take the next lines ahead of the producer.
  void setLineMarks(std::int64_t slotsPerLine, std::int64_t linesPerMark) noexcept {
    producer_.lineSlots = slotsPerLine;
    producer_.spanSlots = slotsPerLine * linesPerMark;
    producer_.quickLimit = std::min(producer_.quickLimit, producer_.claimed.load(std::memory_order_relaxed));
  }

  /// Claims the next `n` sequences, waiting the strategy's way while the ring
  /// is full; returns the highest one claimed.
  std::int64_t next(std::int64_t n) {
    this->checkClaimSize(n);
    return claimNext(n);
  }

  /// Claims `n` sequences if there is room right now; false, claiming nothing, if not.
  bool tryClaim(std::int64_t n, std::int64_t& highest) {
    this->checkClaimSize(n);
    this->checkNotHalted();
    const std::int64_t current = producer_.claimed.load(std::memory_order_relaxed);
    if (!hasCapacity(n, current)) return false;
    highest = current + n;
    producer_.claimed.store(highest, std::memory_order_relaxed);
    return true;
  }

  /// Whether `n` more sequences could be claimed now. A snapshot.
  [[nodiscard]] bool hasAvailableCapacity(std::int64_t n) {
    return hasCapacity(n, producer_.claimed.load(std::memory_order_relaxed));
  }

  /// Slots free for claiming. A snapshot.
  [[nodiscard]] std::int64_t remainingCapacity() const noexcept {
    const std::int64_t produced = producer_.claimed.load(std::memory_order_relaxed);
    return this->bufferSize_ - (produced - this->gating_.minimum(produced));
  }

  /// Moves the claim position to `sequence` (for tests and recovery); the
  /// next claim looks at the gating sequences afresh. A Stamped ring's
  /// stamps are cleared, so none from before a move back passes for a
  /// publish after it.
  void claim(std::int64_t sequence) noexcept {
    if constexpr (kStamped) stamps_.clear();
    producer_.claimed.store(sequence, std::memory_order_relaxed);
    producer_.claimLimit = sequence;
    producer_.quickLimit = sequence;
  }

  /// Publishes every sequence up to `sequence`: one release store (in a
  /// Stamped ring, two: the stamp first).
  void publish(std::int64_t sequence) noexcept {
    if constexpr (kStamped) {
      // This publish begins right after the last: the cursor is this thread's own.
      const std::int64_t low = this->cursor_.getPlain() + 1;
      if (low <= sequence) stamps_.mark(low, sequence);
    }
    this->cursor_.set(sequence);
    this->signalPublished();
  }
  /// Publishes `low`..`high`, which must be the producer's latest claim.
  void publish(std::int64_t /*low*/, std::int64_t high) noexcept { publish(high); }

  /// Whether `sequence` is published and not yet overwritten. A snapshot.
  [[nodiscard]] bool isAvailable(std::int64_t sequence) const noexcept {
    const std::int64_t cursor = this->cursor_.get();
    return sequence <= cursor && sequence > cursor - this->bufferSize_;
  }

  /// In a Stamped ring, the highest sequence published from `from` on if
  /// the publish that made `from` available began at it, else a value below
  /// `from`. A handler that has caught up (the cursor is `from` - 1) waits
  /// on this, the line of the event it needs, rather than on the cursor.
  [[nodiscard]] std::int64_t publishedFrom(std::int64_t from) const noexcept
    requires kStamped
  {
    return stamps_.publishedFrom(from);
  }

  /// The highest published sequence from `low` up to `available`: with one
  /// producer the cursor only covers published slots, so `available` itself.
  [[nodiscard]] std::int64_t highestPublished(std::int64_t /*low*/, std::int64_t available) const noexcept {
    return available;
  }

 private:
  // One comparison per claim: the gating sequences are read only when the
  // claim would pass the highest sequence the last reading allowed.
  std::int64_t claimNext(std::int64_t n) {
    this->checkNotHalted();
    const std::int64_t next = producer_.claimed.load(std::memory_order_relaxed) + n;
    if (next > producer_.claimLimit) [[unlikely]]
      producer_.claimLimit = this->waitForCapacity(next - this->bufferSize_, next - n) + this->bufferSize_;
    producer_.claimed.store(next, std::memory_order_relaxed);
    return next;
  }

  bool hasCapacity(std::int64_t n, std::int64_t current) {
    const std::int64_t next = current + n;
    if (next > producer_.claimLimit) {
      producer_.claimLimit = this->gating_.minimum(current) + this->bufferSize_;
      if (next > producer_.claimLimit) return false;
    }
    return true;
  }

  // Set once: read by the producer and the handlers that wait on stamps, so
  // it sits between the cursor's lines and the producer's.
  [[no_unique_address]] Stamps stamps_;

  /// Written only by the producer: kept off the cursor's lines so handlers
  /// reading the cursor never pull in the producer's claim position.
  struct alignas(kFalseSharingRange) ProducerState {
    std::atomic<std::int64_t> claimed{Sequence::kInitialValue};  // atomic only so queries may read it
    std::int64_t claimLimit = 0;  // the gating minimum last read, plus the buffer size
    std::int64_t quickLimit = 0;  // tryNextQuick's limit: at most claimLimit, short of the next line mark
    std::int64_t lineSlots = 0;   // slots per line for the marks; 0: none
    std::int64_t spanSlots = 0;   // slots the ring takes at each mark
  };
  ProducerState producer_;
};

}  // namespace disruptor
