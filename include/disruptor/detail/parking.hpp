// Where blocked threads sleep: on a futex word (Linux) or on a mutex and
// condition variable. Both are cold paths, compiled in src/parking.cpp.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace disruptor::detail {

/// The instant a timed wait gives up.
using Deadline = std::chrono::steady_clock::time_point;

/// Parks threads on the 32-bit word itself through the kernel's futex, with
/// no lock; on other systems it falls back to C++20 atomic wait.
class FutexParking {
 public:
  /// Sleeps while `word` still holds `seen`, until wakeAll or `deadline`
  /// (none when null). Returns false only when the deadline passed.
  bool park(std::atomic<std::uint32_t>& word, std::uint32_t seen, const Deadline* deadline) noexcept;
  /// Wakes every thread parked on `word`, which the caller has just changed.
  void wakeAll(std::atomic<std::uint32_t>& word) noexcept;
};

/// Parks threads on a mutex and condition variable: the portable classic.
class LockParking {
 public:
  /// Sleeps while `word` still holds `seen`, until wakeAll or `deadline`
  /// (none when null). Returns false only when the deadline passed.
  bool park(std::atomic<std::uint32_t>& word, std::uint32_t seen, const Deadline* deadline) noexcept;
  /// Wakes every thread parked on `word`, which the caller has just changed.
  void wakeAll(std::atomic<std::uint32_t>& word) noexcept;

 private:
  std::mutex mutex_;
  std::condition_variable condition_;
};

}  // namespace disruptor::detail
