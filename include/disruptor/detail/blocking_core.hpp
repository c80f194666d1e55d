// The machinery shared by the four blocking strategies: a short spin and a
// few yields, then a park on one of two wake channels. A signal costs a
// fence (none right after a seq_cst claim) and one load of a line nobody
// writes while nobody waits; the kernel is entered only when a waiter has
// registered.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

#include "disruptor/cache_line.hpp"
#include "disruptor/detail/parking.hpp"
#include "disruptor/detail/spin_phase.hpp"
#include "disruptor/wait_strategy.hpp"

namespace disruptor::detail {

/// One group of waiters that the same kind of event wakes: an eventcount.
/// The word holds an epoch (bits 1..31) and, in bit 0, whether anyone may be
/// parked. A waiter sets the bit before its last look at the probe; a
/// signaller that finds the bit clears it by moving the epoch on and wakes
/// everyone once. Signals after that find the bit clear and cost no system
/// call until a waiter parks again.
///
/// Threading: any number of waiters and signallers at once.
template <class Parking>
class alignas(kFalseSharingRange) WakeChannel {
 public:
  WakeChannel() = default;
  /// Copies configuration only: a copied strategy starts with no waiters.
  WakeChannel(const WakeChannel&) noexcept {}
  WakeChannel& operator=(const WakeChannel&) = delete;

  /// Wakes the parked waiters, if any; called after the store they wait for.
  /// Always inlined, with the wake-up itself out of line: every publish of a
  /// blocking ring calls it, and left to GCC's inlining budget it became a
  /// call per publish in some builds (pipeline blocking 49-52M events/s
  /// against 65-70M inlined, the same source but for an unrelated line).
  [[gnu::always_inline]] void wakeIfWaiting() noexcept {
    // (2) pairs with (1) in block(): either the waiter's last look sees the
    // caller's store, or this load sees the waiter's bit.
    std::atomic_thread_fence(std::memory_order_seq_cst);
    const std::uint32_t word = word_.load(std::memory_order_relaxed);
    if ((word & kParked) != 0) [[unlikely]] wakeMarked(word);
  }

  /// As wakeIfWaiting, for a caller whose last step was a seq_cst
  /// read-modify-write (a multi-producer claim): that is the fence (2).
  [[gnu::always_inline]] void wakeIfWaitingAfterBarrier() noexcept {
    const std::uint32_t word = word_.load(std::memory_order_seq_cst);
    if ((word & kParked) != 0) [[unlikely]] wakeMarked(word);
  }

  /// Parks until `probe` reaches `sequence`, the probe is alerted (it
  /// throws), or `deadline` passes (returns what is available then).
  template <WaitProbe P>
  std::int64_t block(std::int64_t sequence, const P& probe, const Deadline* deadline) {
    std::chrono::nanoseconds nap = kShortestInFlightNap;
    for (;;) {
      const std::uint32_t seen = word_.fetch_or(kParked, std::memory_order_seq_cst) | kParked;
      std::atomic_thread_fence(std::memory_order_seq_cst);  // (1) pairs with (2)
      probe.checkAlert();
      std::int64_t available = probe.available();
      if (available >= sequence) return available;  // the bit stays: at worst one needless wake
      // Claimed but not yet published: its producer signalled at the claim,
      // so nothing will wake us when it publishes. It normally does within
      // nanoseconds; one that stalls (preempted, or filling the slot slowly)
      // is watched in naps, so the wait costs next to no CPU either way.
      if (claimedBy(probe) >= sequence) {
        available = pollFor(sequence, probe, kInFlightTries, yieldPause);
        if (available >= sequence) return available;
        const Deadline napEnd = std::chrono::steady_clock::now() + nap;
        nap = std::min(2 * nap, kLongestInFlightNap);
        const bool napShorter = deadline == nullptr || napEnd < *deadline;
        if (!parking_.park(word_, seen, napShorter ? &napEnd : deadline) && !napShorter) return probe.available();
        continue;
      }
      if (!parking_.park(word_, seen, deadline)) return probe.available();
    }
  }

 private:
  static constexpr std::uint32_t kParked = 1;
  /// Yields while a claimed sequence is being published, before napping.
  static constexpr int kInFlightTries = 16;
  /// Naps while a claimed sequence is still unpublished: the first, which
  /// doubles up to the longest, so a slow publisher costs few wake-ups.
  static constexpr std::chrono::nanoseconds kShortestInFlightNap = std::chrono::microseconds(50);
  /// The longest nap, and so the most a late publication is noticed late by.
  static constexpr std::chrono::nanoseconds kLongestInFlightNap = std::chrono::milliseconds(1);

  // `word`, read with the parked bit set: moves the epoch on and wakes everyone.
  [[gnu::noinline]] void wakeMarked(std::uint32_t word) noexcept {
    if (word_.compare_exchange_strong(word, word + 1, std::memory_order_acq_rel))
      parking_.wakeAll(word_);  // word + 1: the next epoch, bit clear; one signaller wins, it wakes all
  }

  std::atomic<std::uint32_t> word_{0};
  Parking parking_;
};

/// Spin briefly, then park on the probe's channel; `timeout` empty: no deadline.
///
/// Threading: any number of waiters and signallers at once.
template <class Parking>
class BlockingCore {
 public:
  /// Blocking strategies need the publisher's and the processors' signals.
  static constexpr bool kIsBlocking = true;
  /// Multi-producer rings signal at claim time (see WakeChannel::block()).
  static constexpr bool kSignalsAtClaim = true;
  /// Tests made with a CPU hint before parking: most waits in a busy graph
  /// end within this, and a park costs two system calls.
  static constexpr int kSpinTries = 128;
  /// Tests made with a yield after the spin: with more threads than cores,
  /// the thread we wait for may be queued on our core, and a yield lets it
  /// publish without the wake-up a park would cost (multicast and diamond,
  /// blocking, on 2 cores: about 2x and 1.4x the throughput).
  static constexpr int kYieldTries = 4;

  /// Creates the core; a wait longer than `timeout` returns early.
  explicit BlockingCore(std::optional<std::chrono::nanoseconds> timeout = std::nullopt) noexcept
      : timeout_(timeout) {}

  /// Waits until `probe` reaches `sequence`; below it only after the strategy's timeout.
  template <WaitProbe P>
  std::int64_t waitFor(std::int64_t sequence, const P& probe) {
    if (!timeout_) return waitFor(sequence, probe, nullptr);
    const Deadline deadline = std::chrono::steady_clock::now() + *timeout_;
    return waitFor(sequence, probe, &deadline);
  }

  /// Waits until `probe` reaches `sequence`; below it only once `deadline`
  /// (none when null) has passed. Ignores the strategy's own timeout.
  template <WaitProbe P>
  std::int64_t waitFor(std::int64_t sequence, const P& probe, const Deadline* deadline) {
    std::int64_t available = pollFor(sequence, probe, kSpinTries, spinPause);
    if (available >= sequence) return available;
    available = pollFor(sequence, probe, kYieldTries, yieldPause);
    if (available >= sequence) return available;
    return channelFor(probe.channel()).block(sequence, probe, deadline);
  }

  /// Wakes the waiters of `channel`, if any.
  void signal(WaitChannel channel) noexcept { channelFor(channel).wakeIfWaiting(); }

  /// Wakes the waiters for something published, right after a seq_cst claim.
  void signalClaimed() noexcept { published_.wakeIfWaitingAfterBarrier(); }

  /// Lets another thread run: a producer racing another for claims steps aside so (a yield, not a park).
  void stepAside() const noexcept { detail::yieldPause(); }

  /// Wakes every waiter, of both channels.
  void signalAllWhenBlocking() noexcept {
    published_.wakeIfWaiting();
    progress_.wakeIfWaiting();
  }

  /// The timeout of a timed strategy; empty for an untimed one.
  [[nodiscard]] std::optional<std::chrono::nanoseconds> timeout() const noexcept { return timeout_; }

 private:
  WakeChannel<Parking>& channelFor(WaitChannel channel) noexcept {
    return channel == WaitChannel::Published ? published_ : progress_;
  }

  std::optional<std::chrono::nanoseconds> timeout_;
  WakeChannel<Parking> published_;
  WakeChannel<Parking> progress_;
};

}  // namespace disruptor::detail
