// PhasedBackoffWaitStrategy: spin for a while, yield for a while, then hand
// the wait to a fallback strategy (blocking, lite blocking or sleeping).
#pragma once

#include <chrono>
#include <cstdint>
#include <thread>
#include <utility>

#include "disruptor/blocking_wait_strategy.hpp"
#include "disruptor/cache_line.hpp"
#include "disruptor/detail/parking.hpp"
#include "disruptor/lite_blocking_wait_strategy.hpp"
#include "disruptor/sleeping_wait_strategy.hpp"
#include "disruptor/wait_strategy.hpp"

namespace disruptor {

/// Spins until `spinTimeout`, yields until `spinTimeout + yieldTimeout`, then
/// waits as `Fallback` does.
///
/// Threading: as the fallback's; copying copies the configuration only.
template <WaitStrategy Fallback>
class PhasedBackoffWaitStrategy {
 public:
  /// Signals are needed exactly when the fallback blocks.
  static constexpr bool kIsBlocking = Fallback::kIsBlocking;
  /// Claim-time signals exactly when the fallback takes them.
  static constexpr bool kSignalsAtClaim = disruptor::kSignalsAtClaim<Fallback>;

  /// Creates the strategy from the two phase lengths and the fallback.
  PhasedBackoffWaitStrategy(std::chrono::nanoseconds spinTimeout, std::chrono::nanoseconds yieldTimeout,
                            Fallback fallback = {})
      : spinTimeout_(spinTimeout), yieldLimit_(spinTimeout + yieldTimeout), fallback_(std::move(fallback)) {}

  /// Waits until `probe` reaches `sequence`.
  template <WaitProbe P>
  std::int64_t waitFor(std::int64_t sequence, const P& probe) {
    constexpr int kTestsBetweenClockReads = 64;
    const auto start = std::chrono::steady_clock::now();
    for (int tests = 0;; ++tests) {
      const std::int64_t available = probe.available();
      if (available >= sequence) return available;
      probe.checkAlert();
      if (tests % kTestsBetweenClockReads != 0) {
        cpuRelax();
        continue;
      }
      const auto waited = std::chrono::steady_clock::now() - start;
      if (waited > yieldLimit_) return fallback_.waitFor(sequence, probe);
      if (waited > spinTimeout_) std::this_thread::yield();
    }
  }
  /// Waits with a deadline, where the fallback can (the blocking fallbacks).
  template <WaitProbe P>
  std::int64_t waitFor(std::int64_t sequence, const P& probe, const detail::Deadline* deadline)
    requires requires(Fallback& f) { f.waitFor(sequence, probe, deadline); }
  {
    return fallback_.waitFor(sequence, probe, deadline);
  }
  /// Wakes the fallback's waiters of `channel`.
  void signal(WaitChannel channel) noexcept { fallback_.signal(channel); }
  /// Wakes the fallback's waiters for something published, right after a claim.
  void signalClaimed() noexcept
    requires disruptor::kSignalsAtClaim<Fallback>
  {
    fallback_.signalClaimed();
  }
  /// Lets another thread run: a producer racing another for claims steps aside so, as in the yield phase.
  void stepAside() const noexcept { detail::yieldPause(); }
  /// Wakes every fallback waiter.
  void signalAllWhenBlocking() noexcept { fallback_.signalAllWhenBlocking(); }

 private:
  std::chrono::nanoseconds spinTimeout_;
  std::chrono::nanoseconds yieldLimit_;
  Fallback fallback_;
};

/// Phased backoff that falls back to BlockingWaitStrategy.
inline PhasedBackoffWaitStrategy<BlockingWaitStrategy> phasedBackoffWithLock(std::chrono::nanoseconds spin,
                                                                             std::chrono::nanoseconds yield) {
  return {spin, yield};
}
/// Phased backoff that falls back to LiteBlockingWaitStrategy.
inline PhasedBackoffWaitStrategy<LiteBlockingWaitStrategy> phasedBackoffWithLiteLock(
    std::chrono::nanoseconds spin, std::chrono::nanoseconds yield) {
  return {spin, yield};
}
/// Phased backoff that falls back to SleepingWaitStrategy.
inline PhasedBackoffWaitStrategy<SleepingWaitStrategy> phasedBackoffWithSleep(std::chrono::nanoseconds spin,
                                                                             std::chrono::nanoseconds yield) {
  return {spin, yield};
}

}  // namespace disruptor
