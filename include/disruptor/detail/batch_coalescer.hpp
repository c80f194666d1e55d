// Grows batches while a producer streams. A handler that keeps up with a
// fast producer otherwise reads each slot line while the producer is still
// writing it, and its probes of the cursor steal that line on every publish:
// both sides then pay a cross-core transfer per few events. While the
// producer is seen streaming, the handler stays a page of events behind the
// cursor and probes only now and then; when the producer pauses, or when no
// stream was seen, everything available is taken at once, so sparse traffic
// (a request and its reply) pays no added latency.
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
  /// CPU pause hints before the probe that tells a stream from a pause (~200 ns).
  static constexpr int kDetectPauses = 8;
  /// CPU pause hints between two probes of an established stream (~3 us).
  /// Each probe takes the cursor's line from the producer, whose next
  /// publish then waits for it to come back with every store queued behind
  /// it: rare probes keep the producer's stores flowing.
  static constexpr int kStreamPauses = 128;
  /// Pauses before a handler takes what is there anyway: bounds the added delay (~8 us).
  static constexpr int kMaxPauses = 320;
  /// The most probes one batch makes after its first look at the cursor.
  static constexpr int kMaxProbes = 1 + (kMaxPauses - kDetectPauses + kStreamPauses - 1) / kStreamPauses;
  /// A streaming handler takes at least lag >> kMinBatchShift events at once.
  static constexpr int kMinBatchShift = 2;

  /// A coalescer for events of `eventSize` bytes in a ring of `bufferSize`
  /// slots; small rings and large events get a smaller lag, or none.
  BatchCoalescer(std::size_t eventSize, std::int64_t bufferSize) noexcept
      : lag_(std::min<std::int64_t>(static_cast<std::int64_t>(kLagBytes / std::max<std::size_t>(eventSize, 1)),
                                    bufferSize / 8)) {
    if (lag_ < 2) lag_ = 0;
    minBatch_ = std::max<std::int64_t>(1, lag_ >> kMinBatchShift);
  }

  /// The last sequence to handle from `next`, and in `available` the highest
  /// sequence seen there. `wait()` is the strategy's own wait for `next`.
  template <class Barrier, class Wait>
  std::int64_t batchEnd(std::int64_t next, std::int64_t& available, const Barrier& barrier, Wait&& wait) {
    available = barrier.availableFrom(next);
    if (lag_ == 0 || (!streaming_ && available < next)) return available = settle(next, available, barrier, wait);
    for (int paused = 0; paused < kMaxPauses;) {
      if (streaming_ && available - lag_ >= next + minBatch_ - 1) {
        barrier.checkAlert();  // a handler behind an endless stream must still see halt()
        return available - lag_;
      }
      const int pauses = streaming_ ? kStreamPauses : kDetectPauses;
      for (int i = 0; i < pauses; ++i) cpuRelax();
      paused += pauses;
      const std::int64_t seen = barrier.availableFrom(next);
      if (seen == available) {  // nothing published for a probe's time: the producer paused
        streaming_ = false;
        break;
      }
      streaming_ = true;
      available = seen;
    }
    return available = settle(next, available, barrier, wait);
  }

  /// Whether the last batch was taken from a producer seen streaming.
  [[nodiscard]] bool streaming() const noexcept { return streaming_; }

  /// The lag in events; 0 when coalescing is off.
  [[nodiscard]] std::int64_t lag() const noexcept { return lag_; }

 private:
  // Everything available, after the strategy's wait if nothing is; still an
  // alert check when something is, so halt() stops a busy handler.
  template <class Barrier, class Wait>
  static std::int64_t settle(std::int64_t next, std::int64_t available, const Barrier& barrier, Wait& wait) {
    if (available >= next) {
      barrier.checkAlert();
      return available;
    }
    return wait();
  }

  std::int64_t lag_;
  std::int64_t minBatch_ = 1;
  bool streaming_ = false;
};

}  // namespace disruptor::detail
