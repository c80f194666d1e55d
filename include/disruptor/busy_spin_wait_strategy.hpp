// BusySpinWaitStrategy: the lowest latency, one core per waiting thread.
// Only for threads that each have a core of their own.
#pragma once

#include <cstdint>

#include "disruptor/detail/spin_phase.hpp"
#include "disruptor/wait_strategy.hpp"

namespace disruptor {

/// Spins on the probe with a CPU pause hint; never yields the core.
///
/// Threading: stateless; any number of threads may wait at once.
struct BusySpinWaitStrategy {
  /// Spinning needs no signal from the publisher.
  static constexpr bool kIsBlocking = false;

  /// Spins until `probe` reaches `sequence`.
  template <WaitProbe P>
  std::int64_t waitFor(std::int64_t sequence, const P& probe) const {
    return detail::pollUntil(sequence, probe, detail::spinPause);
  }
  /// Nothing to wake.
  void signal(WaitChannel) const noexcept {}
  /// Nothing to wake.
  void signalAllWhenBlocking() const noexcept {}
};

}  // namespace disruptor
