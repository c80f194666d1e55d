// Choosing, while a stream runs, whether flushing consumed slot lines pays.
// Whether it does depends on where the two cores sit, not only on the CPU.
// On one AMD Zen 5 host, while its two vCPUs shared a cache (a bare
// ping-pong round trip of 130-170 ns), unicast_batch ran 1670-1730M
// events/s without the flush and 665-712M with it; while they did not
// (520-640 ns), unicast ran 120-217M without and 416-569M with. The host
// moves between the two for seconds at a time, so the handler times its
// own stream both ways now and then and keeps the faster.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>

namespace disruptor::detail {

/// Picks flush or no flush from the time of equal windows of a stream:
/// mostly the current choice, then a probe of the other, and the other is
/// kept only if it was clearly faster. The first window after each switch
/// is not counted: the producer then still meets lines as the previous
/// choice left them, a ring's lap later. Each probe that keeps the current
/// choice doubles the period to the next, up to kMaxPeriod, since a probe
/// of the slower choice costs its windows.
///
/// Threading: one thread (the handler's).
class FlushChooser {
 public:
  /// Windows from one probe to the next after a reset or a switch.
  static constexpr int kPeriod = 128;
  /// The most windows from one probe to the next.
  static constexpr int kMaxPeriod = 1024;
  /// Windows of each probe: one to settle, the rest timed.
  static constexpr int kProbe = 3;
  /// How much faster the other choice must be to be kept: 10%.
  static constexpr double kMargin = 0.9;

  /// Starts over with `flush` chosen, and the first probe soon.
  void reset(bool flush) noexcept {
    flush_ = flush;
    period_ = kPeriod;
    window_ = period_ - kProbe - kTimedBeforeProbe;
    clearTimes();
  }

  /// Whether lines are to be flushed in the window now running.
  [[nodiscard]] bool flush() const noexcept { return flush_; }

  /// Windows from the last probe to the next.
  [[nodiscard]] int period() const noexcept { return period_; }

  /// Ends a window that took `nanos`, or one not to be counted if negative
  /// (the producer stopped streaming during it).
  void endWindow(std::int64_t nanos) noexcept {
    const int probeFrom = period_ - kProbe;
    if (nanos >= 0) {
      if (window_ < probeFrom)
        current_[window_ & 1] = nanos;  // the last two before the probe are kept
      else if (window_ > probeFrom)
        other_ = std::min(other_, nanos);
    }
    if (++window_ == probeFrom) {
      flush_ = !flush_;
    } else if (window_ == period_) {
      const std::int64_t current = std::min(current_[0], current_[1]);
      const bool otherFaster = other_ != kNone && static_cast<double>(other_) < kMargin * static_cast<double>(current);
      if (otherFaster) {
        period_ = kPeriod;
      } else {
        flush_ = !flush_;
        period_ = std::min(2 * period_, kMaxPeriod);
      }
      window_ = 0;
      clearTimes();
    }
  }

 private:
  static constexpr int kTimedBeforeProbe = 2;
  static constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::max();

  void clearTimes() noexcept {
    current_[0] = current_[1] = kNone;
    other_ = kNone;
  }

  bool flush_ = true;
  int period_ = kPeriod;
  int window_ = 0;
  std::int64_t current_[2] = {kNone, kNone};
  std::int64_t other_ = kNone;
};

}  // namespace disruptor::detail
