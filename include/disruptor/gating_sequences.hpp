// GatingSequences: the set of handler sequences a producer must not lap.
// Read by the producer whenever its cached minimum runs out; changed rarely
// (graph set-up, pollers). Readers take no lock and no reference count.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "disruptor/sequence.hpp"

namespace disruptor {

/// A copy-on-write set of Sequence pointers.
///
/// Threading: minimum() and size() from any thread at any time, lock-free;
/// add() and remove() from any thread, serialised by a mutex. Every snapshot
/// lives as long as the set, so a reader never sees freed memory; a removed
/// Sequence must outlive any claim that may still be reading it.
class GatingSequences {
 public:
  GatingSequences() { snapshots_.push_back(std::make_unique<const Snapshot>()); current_ = snapshots_.back().get(); }
  GatingSequences(const GatingSequences&) = delete;
  GatingSequences& operator=(const GatingSequences&) = delete;

  /// Adds `sequences`, each first set to `startAt` so it does not gate on the past.
  void add(const std::vector<Sequence*>& sequences, std::int64_t startAt) {
    const std::lock_guard lock(writeMutex_);
    Snapshot next = *current_.load(std::memory_order_relaxed);
    for (Sequence* sequence : sequences) {
      sequence->set(startAt);
      next.push_back(sequence);
    }
    publish(std::move(next));
  }

  /// Removes every occurrence of `sequence`; true when one was there.
  bool remove(const Sequence& sequence) {
    const std::lock_guard lock(writeMutex_);
    Snapshot next = *current_.load(std::memory_order_relaxed);
    const auto removed = std::erase(next, &sequence);
    if (removed != 0) publish(std::move(next));
    return removed != 0;
  }

  /// The smallest sequence in the set, or `whenEmpty` if there is none. A snapshot.
  [[nodiscard]] std::int64_t minimum(std::int64_t whenEmpty) const noexcept {
    return minimumSequence(*current_.load(std::memory_order_acquire), whenEmpty);
  }

  /// How many sequences gate. A snapshot.
  [[nodiscard]] std::size_t size() const noexcept { return current_.load(std::memory_order_acquire)->size(); }

  /// Whether `sequence` is in the set. A snapshot.
  [[nodiscard]] bool contains(const Sequence& sequence) const noexcept {
    const Snapshot& items = *current_.load(std::memory_order_acquire);
    return std::find(items.begin(), items.end(), &sequence) != items.end();
  }

 private:
  using Snapshot = std::vector<const Sequence*>;

  void publish(Snapshot next) {
    snapshots_.push_back(std::make_unique<const Snapshot>(std::move(next)));
    current_.store(snapshots_.back().get(), std::memory_order_release);
  }

  std::atomic<const Snapshot*> current_{nullptr};
  std::mutex writeMutex_;
  std::vector<std::unique_ptr<const Snapshot>> snapshots_;
};

}  // namespace disruptor
