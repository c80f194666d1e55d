// Grows batches while a producer streams. A handler that keeps up with a
// fast producer otherwise reads each slot line while the producer is still
// writing it, and its probes of the cursor steal that line on every publish:
// both sides then pay a cross-core transfer per few events. While the
// producer is seen streaming, the handler stays a page of events behind the
// cursor and probes only now and then, for a bounded delay; when the producer
// pauses, or when no stream was seen, everything available is taken at once,
// so sparse traffic (a request and its reply) pays no added latency.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "disruptor/cache_line.hpp"

namespace disruptor::detail {

/// Decides how much of what is available a handler takes now.
///
/// Threading: owned and used by one processor thread.
class BatchCoalescer {
 public:
  /// How far behind the cursor a streaming handler stays: a 4 KiB page, the
  /// reach of the hardware's stream prefetcher.
  static constexpr std::size_t kLagBytes = 4096;
  /// CPU pause hints between two probes of a streaming producer (~250 ns).
  static constexpr int kPausesPerProbe = 8;
  /// Probes before a handler takes what is there anyway: bounds the added delay.
  static constexpr int kMaxProbes = 16;

  /// A coalescer for events of `eventSize` bytes in a ring of `bufferSize`
  /// slots; small rings and large events get a smaller lag, or none.
  BatchCoalescer(std::size_t eventSize, std::int64_t bufferSize) noexcept
      : lag_(std::min<std::int64_t>(static_cast<std::int64_t>(kLagBytes / std::max<std::size_t>(eventSize, 1)),
                                    bufferSize / 8)) {
    if (lag_ < 2) lag_ = 0;
  }

  /// The last sequence to handle now, given that `next`..`available` are
  /// there and whether the handler had to wait for them. May probe `barrier`
  /// again, raising `available` to what the probes saw.
  template <class Barrier>
  std::int64_t batchEnd(std::int64_t next, std::int64_t& available, bool waited, const Barrier& barrier) {
    if (lag_ == 0 || (waited && !streaming_)) return available;
    for (int probes = 0;; ++probes) {
      if (available - next + 1 >= 2 * lag_) {
        streaming_ = true;
        return available - lag_;
      }
      if (probes == kMaxProbes) return available;
      for (int i = 0; i < kPausesPerProbe; ++i) cpuRelax();
      const std::int64_t seen = barrier.availableFrom(next);
      if (seen == available) {  // the producer paused: take everything
        streaming_ = false;
        return available;
      }
      streaming_ = true;
      available = seen;
    }
  }

  /// The lag in events; 0 when coalescing is off.
  [[nodiscard]] std::int64_t lag() const noexcept { return lag_; }

 private:
  std::int64_t lag_;
  bool streaming_ = false;
};

}  // namespace disruptor::detail
