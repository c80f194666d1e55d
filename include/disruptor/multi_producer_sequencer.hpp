// MultiProducerSequencer: claims by atomic add from any number of threads.
// The cursor counts claims, so each slot carries a flag saying which lap was
// published into it; handlers read the flags to find what is really there.
// With a strategy that yields or blocks, a producer whose claims keep racing
// another's steps aside now and then (see detail::ClaimContention).
#pragma once

#include <atomic>
#include <bit>
#include <cstdint>

#include "disruptor/cache_line.hpp"
#include "disruptor/detail/claim_contention.hpp"
#include "disruptor/detail/padded_array.hpp"
#include "disruptor/exceptions.hpp"
#include "disruptor/producer_type.hpp"
#include "disruptor/sequencer_base.hpp"

namespace disruptor {

/// The sequencer for ProducerType::Multi: the cursor is the highest claimed sequence.
///
/// Threading: next, tryNext and publish from any number of threads; queries
/// from any thread.
template <WaitStrategy W>
class MultiProducerSequencer : public SequencerBase<W> {
 public:
  /// This sequencer's producer type.
  static constexpr ProducerType kProducerType = ProducerType::Multi;

  /// Creates the sequencer for a ring of `bufferSize` slots (a power of two).
  explicit MultiProducerSequencer(std::size_t bufferSize, W waitStrategy = {})
      : SequencerBase<W>(bufferSize, std::move(waitStrategy)),
        indexMask_(this->bufferSize_ - 1),
        indexShift_(std::countr_zero(static_cast<std::uint64_t>(this->bufferSize_))),
        published_(bufferSize, [](std::size_t) { return -1; }) {}

  /// Claims the next sequence, waiting the strategy's way while the ring is full.
  std::int64_t next() { return claimNext(1); }

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
    std::int64_t current;
    do {
      current = this->cursor_.get();
      if (!hasCapacity(n, current)) return false;
    } while (!this->cursor_.compareAndSetSeqCst(current, current + n));
    signalClaimed();
    noteClaim(current, n);  // a try never waits: it records the race but does not step aside
    highest = current + n;
    return true;
  }

  /// Whether `n` more sequences could be claimed now. A snapshot.
  [[nodiscard]] bool hasAvailableCapacity(std::int64_t n) { return hasCapacity(n, this->cursor_.get()); }

  /// Slots free for claiming. A snapshot.
  [[nodiscard]] std::int64_t remainingCapacity() const noexcept {
    const std::int64_t produced = this->cursor_.get();
    return this->bufferSize_ - (produced - this->gating_.minimum(produced));
  }

  /// How close together, in detail::claimTicks(), two of a thread's claims
  /// that each came after another thread's must be for it to step aside
  /// before its next claim; 0 never. Only with a strategy that steps aside
  /// (kStepsAside). Set before producers start.
  void setContentionWindow(std::uint64_t ticks) noexcept { contentionWindow_ = ticks; }
  /// The window set by setContentionWindow (default detail::kDefaultContentionWindow).
  [[nodiscard]] std::uint64_t contentionWindow() const noexcept { return contentionWindow_; }

  /// Moves the claim position to `sequence` (for tests and recovery).
  void claim(std::int64_t sequence) noexcept {
    this->cursor_.setVolatile(sequence);
    this->waitStrategy_.signalAllWhenBlocking();  // rare: whoever waits looks again
  }

  /// Publishes one claimed sequence: its slot's flag, released (and a
  /// signal, unless the strategy took it at the claim).
  void publish(std::int64_t sequence) noexcept {
    markPublished(sequence);
    if constexpr (!kSignalsAtClaim<W>) this->signalPublished();
  }
  /// Publishes the claimed range `low`..`high`, signalling once (not at
  /// all when the strategy took its signal at the claim).
  void publish(std::int64_t low, std::int64_t high) noexcept {
    for (std::int64_t sequence = low; sequence <= high; ++sequence) markPublished(sequence);
    if constexpr (!kSignalsAtClaim<W>) this->signalPublished();
  }

  /// Whether `sequence` has been published into its slot on this lap. A snapshot.
  [[nodiscard]] bool isAvailable(std::int64_t sequence) const noexcept {
    return published_[index(sequence)].load(std::memory_order_acquire) == lap(sequence);
  }

  /// The highest sequence from `low` up to `available` below which every slot
  /// is published; `low - 1` when `low` itself is not.
  [[nodiscard]] std::int64_t highestPublished(std::int64_t low, std::int64_t available) const noexcept {
    for (std::int64_t sequence = low; sequence <= available; ++sequence)
      if (!isAvailable(sequence)) return sequence - 1;
    return available;
  }

 private:
  std::int64_t claimNext(std::int64_t n) {
    this->checkNotHalted();
    stepAsideIfRacing();
    const std::int64_t current = this->cursor_.getAndAddSeqCst(n);
    signalClaimed();
    noteClaim(current, n);
    const std::int64_t next = current + n;
    const std::int64_t wrapPoint = next - this->bufferSize_;
    const std::int64_t cachedGating = gatingCache_.get();
    if (wrapPoint > cachedGating || cachedGating > current) [[unlikely]]
      gatingCache_.set(this->waitForCapacity(wrapPoint, current));
    return next;
  }

  bool hasCapacity(std::int64_t n, std::int64_t current) {
    const std::int64_t wrapPoint = current + n - this->bufferSize_;
    const std::int64_t cachedGating = gatingCache_.get();
    if (wrapPoint > cachedGating || cachedGating > current) {
      const std::int64_t minimum = this->gating_.minimum(current);
      gatingCache_.set(minimum);
      if (wrapPoint > minimum) return false;
    }
    return true;
  }

  // With a strategy that takes claim-time signals, the claim just made (a
  // seq_cst read-modify-write of the cursor) orders itself before the look
  // for parked waiters, so neither the claim nor the publish needs a fence:
  // a waiter either sees the claim and waits for the publish on its own, or
  // is seen parked and woken here.
  void signalClaimed() noexcept {
    if constexpr (kSignalsAtClaim<W>) this->waitStrategy_.signalClaimed();
  }

  // Steps aside only once this thread's last claim is published: a claim
  // held across the yield would hold up every handler behind it.
  void stepAsideIfRacing() {
    if constexpr (kStepsAside<W>) {
      auto& contention = detail::claimContention();
      if (contention.takeStepAside(this) && isAvailable(contention.highestClaimed())) this->waitStrategy_.stepAside();
    }
  }
  void noteClaim(std::int64_t current, std::int64_t n) noexcept {
    if constexpr (kStepsAside<W>) detail::claimContention().claimed(this, current, n, contentionWindow_, detail::claimTicks);
  }

  std::size_t index(std::int64_t sequence) const noexcept { return static_cast<std::size_t>(sequence & indexMask_); }
  std::int32_t lap(std::int64_t sequence) const noexcept { return static_cast<std::int32_t>(sequence >> indexShift_); }
  // Release pairs with the acquire in isAvailable: the event's writes are visible to whoever sees the flag.
  void markPublished(std::int64_t sequence) noexcept {
    published_[index(sequence)].store(lap(sequence), std::memory_order_release);
  }

  const std::int64_t indexMask_;
  const int indexShift_;
  std::uint64_t contentionWindow_ = detail::kDefaultContentionWindow;
  detail::PaddedArray<std::atomic<std::int32_t>> published_;
  Sequence gatingCache_;
};

}  // namespace disruptor
