// Sequence: the padded counter that producers and handlers publish their
// progress through. The memory order is in the method name, as in LMAX's
// Sequence.java: get() acquires, set() releases, setVolatile() is a full fence.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "disruptor/cache_line.hpp"

namespace disruptor {

/// A sequence number on its own pair of cache lines, starting at -1.
///
/// Threading: any thread may read; by convention one thread writes (the
/// producer for a cursor, the processor for a handler's sequence).
/// compareAndSet and addAndGet are safe from many writers.
class alignas(kFalseSharingRange) Sequence {
 public:
  /// The value of a sequence that has seen nothing yet.
  static constexpr std::int64_t kInitialValue = -1;

  /// Creates a sequence holding `initial`.
  explicit Sequence(std::int64_t initial = kInitialValue) noexcept : value_(initial) {}
  Sequence(const Sequence&) = delete;
  Sequence& operator=(const Sequence&) = delete;

  /// Reads the value; acquire pairs with the writer's set().
  [[nodiscard]] std::int64_t get() const noexcept { return value_.load(std::memory_order_acquire); }

  /// Reads the value without ordering: for the owning thread's own sequence.
  [[nodiscard]] std::int64_t getPlain() const noexcept { return value_.load(std::memory_order_relaxed); }

  /// Publishes a value; release makes every write before it visible to get().
  void set(std::int64_t value) noexcept { value_.store(value, std::memory_order_release); }

  /// Publishes a value with a full fence, so later loads cannot pass it.
  void setVolatile(std::int64_t value) noexcept { value_.store(value, std::memory_order_seq_cst); }

  /// Sets `desired` if the value is `expected`; true when it did.
  bool compareAndSet(std::int64_t expected, std::int64_t desired) noexcept {
    return value_.compare_exchange_strong(expected, desired, std::memory_order_acq_rel,
                                          std::memory_order_acquire);
  }

  /// Adds `increment` atomically and returns the new value.
  std::int64_t addAndGet(std::int64_t increment) noexcept {
    return value_.fetch_add(increment, std::memory_order_acq_rel) + increment;
  }

  /// Adds `increment` atomically and returns the value before it.
  std::int64_t getAndAdd(std::int64_t increment) noexcept {
    return value_.fetch_add(increment, std::memory_order_acq_rel);
  }

  /// As getAndAdd, in the single total order of seq_cst operations (the
  /// same instruction on x86), for protocols that pair it with other
  /// seq_cst operations, as a claim does with a blocking strategy's waiters.
  std::int64_t getAndAddSeqCst(std::int64_t increment) noexcept {
    return value_.fetch_add(increment, std::memory_order_seq_cst);
  }

  /// As compareAndSet, in the single total order of seq_cst operations.
  bool compareAndSetSeqCst(std::int64_t expected, std::int64_t desired) noexcept {
    return value_.compare_exchange_strong(expected, desired, std::memory_order_seq_cst, std::memory_order_acquire);
  }

  /// Adds one atomically and returns the new value.
  std::int64_t incrementAndGet() noexcept { return addAndGet(1); }

 private:
  std::atomic<std::int64_t> value_;
  [[maybe_unused]] char padding_[kFalseSharingRange - sizeof(std::atomic<std::int64_t>)]{};
};

static_assert(sizeof(Sequence) == kFalseSharingRange,
              "a Sequence must fill exactly one false-sharing range so neighbours never share its lines");
static_assert(alignof(Sequence) == kFalseSharingRange,
              "a Sequence must start on a false-sharing boundary");
static_assert(std::atomic<std::int64_t>::is_always_lock_free,
              "Sequence relies on lock-free 64-bit atomics");

/// The smallest value among `sequences`, or `whenEmpty` if there are none. A snapshot.
template <class Sequences>
[[nodiscard]] std::int64_t minimumSequence(const Sequences& sequences, std::int64_t whenEmpty) noexcept {
  std::int64_t minimum = whenEmpty;
  for (const Sequence* sequence : sequences) minimum = std::min(minimum, sequence->get());
  return minimum;
}

}  // namespace disruptor
