// Telling a producer thread that it is racing another for the claim cursor.
// Two producers claiming back to back from two cores pass the cursor's line
// and the slot lines between them on every claim: with two cores apart, each
// claim waited for a line from the other core and two producers together
// claimed about 12M/s (bench/mp_claim_floor), against 171M/s for the same two
// taking turns on one core. A producer whose claims keep landing between the
// other's, close together, steps aside once (the wait strategy's way: a
// yield) and lets the other run alone for a while.
#pragma once

#include <chrono>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

namespace disruptor::detail {

/// A cheap timestamp for telling claims apart: the x86 time-stamp counter,
/// elsewhere steady_clock's nanoseconds.
[[nodiscard]] inline std::uint64_t claimTicks() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  return __rdtsc();
#else
  return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

/// Ticks of claimTicks() within which two interleaved claims count as a
/// race: 512 time-stamp ticks, 128-256 ns at the 2-4 GHz of current x86
/// parts (a producer claiming back to back takes 20-200 ns a claim).
inline constexpr std::uint64_t kDefaultContentionWindow = 512;

/// One producer thread's view of its claims on one multi-producer ring: a
/// claim is interleaved when another thread claimed since this thread's
/// last one, and two interleaved claims within the window ask the thread to
/// step aside before its next claim.
///
/// Threading: one per thread (claimContention()); never shared.
class ClaimContention {
 public:
  /// Whether the thread should step aside before claiming on `ring` now;
  /// asks once per race seen.
  [[nodiscard]] bool takeStepAside(const void* ring) noexcept {
    if (ring != ring_ || !stepAside_) return false;
    stepAside_ = false;
    return true;
  }

  /// Records a claim of `n` sequences on `ring` that found the cursor at
  /// `current`; `now()` gives the time, read only for an interleaved claim.
  /// A thread that moves to another ring starts afresh there.
  template <class Now>
  void claimed(const void* ring, std::int64_t current, std::int64_t n, std::uint64_t window, Now&& now) noexcept {
    if (ring != ring_) {
      ring_ = ring;
      interleavedBefore_ = false;
      stepAside_ = false;
    } else if (current != highestClaimed_ && window != 0) {
      const std::uint64_t at = now();
      stepAside_ = interleavedBefore_ && at - lastInterleavedAt_ < window;
      interleavedBefore_ = true;
      lastInterleavedAt_ = at;
    } else {
      stepAside_ = false;
    }
    highestClaimed_ = current + n;
  }

  /// The highest sequence this thread last claimed.
  [[nodiscard]] std::int64_t highestClaimed() const noexcept { return highestClaimed_; }

 private:
  const void* ring_ = nullptr;
  std::int64_t highestClaimed_ = -1;
  std::uint64_t lastInterleavedAt_ = 0;
  bool interleavedBefore_ = false;  // on this ring: lastInterleavedAt_ holds a time
  bool stepAside_ = false;
};

/// This thread's ClaimContention. Constant-initialised, so reaching it
/// costs a thread-pointer-relative address and no guard.
[[nodiscard]] inline ClaimContention& claimContention() noexcept {
  static thread_local ClaimContention state;
  return state;
}

}  // namespace disruptor::detail
