// SingleProducerSequencer: claims for one publishing thread with no atomic
// read-modify-write; the gating minimum is cached so the gating sequences are
// read only when the producer might lap them.
#pragma once

#include <atomic>
#include <cstdint>

#include "disruptor/cache_line.hpp"
#include "disruptor/exceptions.hpp"
#include "disruptor/producer_type.hpp"
#include "disruptor/sequencer_base.hpp"

namespace disruptor {

/// The sequencer for ProducerType::Single: the cursor is the last published sequence.
///
/// Threading: next, tryNext, claim and publish from one producer thread only;
/// queries from any thread.
template <WaitStrategy W>
class SingleProducerSequencer : public SequencerBase<W> {
 public:
  /// This sequencer's producer type.
  static constexpr ProducerType kProducerType = ProducerType::Single;

  /// Creates the sequencer for a ring of `bufferSize` slots (a power of two).
  explicit SingleProducerSequencer(std::size_t bufferSize, W waitStrategy = {})
      : SequencerBase<W>(bufferSize, std::move(waitStrategy)) {}

  /// Claims the next `n` sequences, waiting the strategy's way while the ring
  /// is full; returns the highest one claimed.
  std::int64_t next(std::int64_t n = 1) {
    this->checkClaimSize(n);
    this->checkNotHalted();
    const std::int64_t current = producer_.claimed.load(std::memory_order_relaxed);
    const std::int64_t next = current + n;
    const std::int64_t wrapPoint = next - this->bufferSize_;
    if (wrapPoint > producer_.cachedGating || producer_.cachedGating > current) [[unlikely]]
      producer_.cachedGating = this->waitForCapacity(wrapPoint, current);
    producer_.claimed.store(next, std::memory_order_relaxed);
    return next;
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

  /// Moves the claim position to `sequence` (for tests and recovery).
  void claim(std::int64_t sequence) noexcept { producer_.claimed.store(sequence, std::memory_order_relaxed); }

  /// Publishes every sequence up to `sequence`: one release store.
  void publish(std::int64_t sequence) noexcept {
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

  /// The highest published sequence from `low` up to `available`: with one
  /// producer the cursor only covers published slots, so `available` itself.
  [[nodiscard]] std::int64_t highestPublished(std::int64_t /*low*/, std::int64_t available) const noexcept {
    return available;
  }

 private:
  bool hasCapacity(std::int64_t n, std::int64_t current) {
    const std::int64_t wrapPoint = current + n - this->bufferSize_;
    if (wrapPoint > producer_.cachedGating || producer_.cachedGating > current) {
      producer_.cachedGating = this->gating_.minimum(current);
      if (wrapPoint > producer_.cachedGating) return false;
    }
    return true;
  }

  /// Written only by the producer: kept off the cursor's lines so handlers
  /// reading the cursor never pull in the producer's claim position.
  struct alignas(kFalseSharingRange) ProducerState {
    std::atomic<std::int64_t> claimed{Sequence::kInitialValue};  // atomic only so queries may read it
    std::int64_t cachedGating = Sequence::kInitialValue;
  };
  ProducerState producer_;
};

}  // namespace disruptor
