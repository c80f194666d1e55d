// What the doctest suite and the stress program share, without doctest:
// bounded waits, a scale factor that shrinks the big runs under sanitizers,
// and thread counting from /proc.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <thread>

namespace test {

#ifndef DISRUPTOR_TEST_SCALE
#define DISRUPTOR_TEST_SCALE 1.0
#endif

/// `n` scaled down for slow builds (sanitizers), never below `atLeast`.
inline std::int64_t scaled(std::int64_t n, std::int64_t atLeast = 1000) {
  const auto s = static_cast<std::int64_t>(static_cast<double>(n) * DISRUPTOR_TEST_SCALE);
  return s < atLeast ? std::min(n, atLeast) : s;
}

/// The bound on every wait in the tests: a hang becomes a failure, not a stuck CI.
inline constexpr std::chrono::seconds kWaitBound{20};

/// Polls `condition` until it holds or `bound` passes; true if it held.
inline bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds bound = kWaitBound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return condition();
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return true;
}

/// The number of threads in this process, from /proc/self/task.
inline int threadCount() {
  // ThreadSanitizer starts a helper thread of its own with the process's
  // first thread: start one here, so that a count taken before a test's
  // first thread is comparable with the counts taken after.
  static const bool sanitizerHelpersStarted = (std::thread([] {}).join(), true);
  (void)sanitizerHelpersStarted;
  int n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

}  // namespace test
