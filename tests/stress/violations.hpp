// Violations: what the stress checks found wrong in one iteration. Handler
// threads report from their hot loop only when a check fails, so a mutex is
// fine here; the first few messages are kept, the rest only counted.
#pragma once

#include <atomic>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace stress {

/// The failed checks of one iteration.
///
/// Threading: report() and the queries from any thread.
class Violations {
 public:
  /// Records one failed check.
  void report(std::string what) {
    count_.fetch_add(1, std::memory_order_relaxed);
    const std::lock_guard lock(mutex_);
    if (messages_.size() < kKept) messages_.push_back(std::move(what));
  }
  /// Records a failed check unless `holds`.
  void require(bool holds, const std::string& what) {
    if (!holds) [[unlikely]]
      report(what);
  }
  /// Whether any check failed.
  [[nodiscard]] bool any() const noexcept { return count_.load(std::memory_order_relaxed) != 0; }
  /// The failed checks, the first few in full, then how many more.
  [[nodiscard]] std::string summary() const {
    const std::lock_guard lock(mutex_);
    std::string out;
    for (const std::string& message : messages_) out += "  " + message + "\n";
    const std::size_t count = count_.load(std::memory_order_relaxed);
    if (count > messages_.size()) out += "  ... and " + std::to_string(count - messages_.size()) + " more\n";
    return out;
  }

 private:
  static constexpr std::size_t kKept = 12;
  mutable std::mutex mutex_;
  std::vector<std::string> messages_;
  std::atomic<std::size_t> count_{0};
};

}  // namespace stress
