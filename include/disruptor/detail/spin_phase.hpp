// The loops the non-blocking strategies and the blocking strategies' first
// phase share: test the probe, and between tests spin, yield or sleep.
#pragma once

#include <cstdint>
#include <thread>

#include "disruptor/cache_line.hpp"
#include "disruptor/wait_strategy.hpp"

namespace disruptor::detail {

/// Tests the probe up to `tries` times with `pause` in between; returns the
/// available sequence, which is below `sequence` when the tries ran out.
template <WaitProbe P, class Pause>
std::int64_t pollFor(std::int64_t sequence, const P& probe, int tries, Pause pause) {
  std::int64_t available = probe.available();
  for (int i = 0; i < tries && available < sequence; ++i) {
    probe.checkAlert();
    pause();
    available = probe.available();
  }
  return available;
}

/// Tests the probe until it reaches `sequence`, with `pause` in between.
template <WaitProbe P, class Pause>
std::int64_t pollUntil(std::int64_t sequence, const P& probe, Pause pause) {
  std::int64_t available;
  while ((available = probe.available()) < sequence) {
    probe.checkAlert();
    pause();
  }
  return available;
}

/// A pause that only hints the CPU.
inline void spinPause() noexcept { cpuRelax(); }

/// A pause that gives the core to another thread.
inline void yieldPause() noexcept { std::this_thread::yield(); }

}  // namespace disruptor::detail
