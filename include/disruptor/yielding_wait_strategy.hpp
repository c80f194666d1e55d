// YieldingWaitStrategy: spins briefly, then gives the core away between
// tests, so more threads than cores still make progress.
#pragma once

#include <cstdint>

#include "disruptor/detail/spin_phase.hpp"
#include "disruptor/wait_strategy.hpp"

namespace disruptor {

/// Spins `kSpinTries` times, then calls std::this_thread::yield() between tests.
///
/// Threading: stateless; any number of threads may wait at once.
struct YieldingWaitStrategy {
  /// Yielding needs no signal from the publisher.
  static constexpr bool kIsBlocking = false;
  /// Tests made with a CPU hint before the first yield.
  static constexpr int kSpinTries = 100;

  /// Waits until `probe` reaches `sequence`.
  template <WaitProbe P>
  std::int64_t waitFor(std::int64_t sequence, const P& probe) const {
    const std::int64_t available = detail::pollFor(sequence, probe, kSpinTries, detail::spinPause);
    if (available >= sequence) return available;
    return detail::pollUntil(sequence, probe, detail::yieldPause);
  }
  /// Lets another thread run: a producer racing another for claims steps aside so.
  void stepAside() const noexcept { detail::yieldPause(); }
  /// Nothing to wake.
  void signal(WaitChannel) const noexcept {}
  /// Nothing to wake.
  void signalAllWhenBlocking() const noexcept {}
};

}  // namespace disruptor
