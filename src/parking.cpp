// Where blocked threads sleep. The futex variant parks on the word itself;
// the lock variant on a mutex and condition variable. Both are entered only
// when a waiter has marked the word, so an unwatched signal never gets here.
#include "disruptor/detail/parking.hpp"

#include <climits>
#include <thread>

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <ctime>
#endif

namespace disruptor::detail {

#if defined(__linux__)
namespace {
long futex(std::atomic<std::uint32_t>& word, int operation, std::uint32_t value, const timespec* timeout) noexcept {
  static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t), "the futex word must be a plain 32-bit word");
  return syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), operation, value, timeout, nullptr, 0);
}
}  // namespace

bool FutexParking::park(std::atomic<std::uint32_t>& word, std::uint32_t seen, const Deadline* deadline) noexcept {
  if (deadline == nullptr) {
    futex(word, FUTEX_WAIT_PRIVATE, seen, nullptr);  // returns at once if the word moved on
    return true;
  }
  const auto left = *deadline - std::chrono::steady_clock::now();
  if (left <= std::chrono::steady_clock::duration::zero()) return false;
  const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
  const timespec timeout{static_cast<time_t>(nanos / 1'000'000'000), static_cast<long>(nanos % 1'000'000'000)};
  futex(word, FUTEX_WAIT_PRIVATE, seen, &timeout);
  return std::chrono::steady_clock::now() < *deadline;
}

void FutexParking::wakeAll(std::atomic<std::uint32_t>& word) noexcept {
  futex(word, FUTEX_WAKE_PRIVATE, INT_MAX, nullptr);
}
#else
bool FutexParking::park(std::atomic<std::uint32_t>& word, std::uint32_t seen, const Deadline* deadline) noexcept {
  // Without futex, a timed park degrades to a short nap so deadlines still hold.
  if (deadline == nullptr) {
    word.wait(seen, std::memory_order_acquire);
    return true;
  }
  while (word.load(std::memory_order_acquire) == seen) {
    if (std::chrono::steady_clock::now() >= *deadline) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  return true;
}

void FutexParking::wakeAll(std::atomic<std::uint32_t>& word) noexcept { word.notify_all(); }
#endif

bool LockParking::park(std::atomic<std::uint32_t>& word, std::uint32_t seen, const Deadline* deadline) noexcept {
  std::unique_lock lock(mutex_);
  while (word.load(std::memory_order_acquire) == seen) {
    if (deadline == nullptr) {
      condition_.wait(lock);
    } else if (condition_.wait_until(lock, *deadline) == std::cv_status::timeout) {
      return word.load(std::memory_order_acquire) != seen;
    }
  }
  return true;
}

void LockParking::wakeAll(std::atomic<std::uint32_t>&) noexcept {
  // Taking the lock after the word changed: a waiter that saw the old word
  // under the lock is inside wait() by now, so the notification reaches it.
  { const std::lock_guard lock(mutex_); }
  condition_.notify_all();
}

}  // namespace disruptor::detail
