// SleepingWaitStrategy: spin, then yield, then sleep in short naps. Lowest
// CPU of the non-blocking strategies, and the producer never signals.
#pragma once

#include <chrono>
#include <cstdint>
#include <thread>

#include "disruptor/detail/spin_phase.hpp"
#include "disruptor/wait_strategy.hpp"

namespace disruptor {

/// Spins, yields, then sleeps `sleep` between tests.
///
/// Threading: holds only configuration; any number of threads may wait at once.
class SleepingWaitStrategy {
 public:
  /// Sleeping needs no signal from the publisher.
  static constexpr bool kIsBlocking = false;
  /// Tests made with a CPU hint before yielding.
  static constexpr int kSpinTries = 100;
  /// Tests made with a yield before sleeping.
  static constexpr int kYieldTries = 100;

  /// Creates the strategy with 100 ns naps (the kernel's timer slack makes them longer).
  SleepingWaitStrategy() noexcept = default;
  /// Creates the strategy; `sleep` is the nap between tests once yielding is over.
  explicit SleepingWaitStrategy(std::chrono::nanoseconds sleep) noexcept : sleep_(sleep) {}

  /// Waits until `probe` reaches `sequence`.
  template <WaitProbe P>
  std::int64_t waitFor(std::int64_t sequence, const P& probe) const {
    std::int64_t available = detail::pollFor(sequence, probe, kSpinTries, detail::spinPause);
    if (available >= sequence) return available;
    available = detail::pollFor(sequence, probe, kYieldTries, detail::yieldPause);
    if (available >= sequence) return available;
    return detail::pollUntil(sequence, probe, [this] { std::this_thread::sleep_for(sleep_); });
  }
  /// Lets another thread run: a producer racing another for claims steps aside so.
  void stepAside() const noexcept { detail::yieldPause(); }
  /// Nothing to wake.
  void signal(WaitChannel) const noexcept {}
  /// Nothing to wake.
  void signalAllWhenBlocking() const noexcept {}

 private:
  std::chrono::nanoseconds sleep_{100};
};

}  // namespace disruptor
