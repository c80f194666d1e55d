// Handing consumed slot lines back to the producer. A ring that fits in the
// cores' private caches keeps a copy of every slot line in the last
// handler's cache after it has read it; when the producer comes round the
// ring again, each write must first invalidate that copy in the other core,
// a cross-core round trip per line that the producer's stores queue behind.
// A line the last handler has flushed is in no private cache, so the
// producer's write takes it from memory, which its prefetcher streams ahead.
// That pays only while the producer streams: a producer that sends one event
// and waits (a request and its reply) would wait for memory on the first
// event of every line instead, which is slower than the other core's cache.
// Nor does it pay when the two cores share a cache, where the other core is
// nearer than memory: so a stream's handler flushes only while that times
// faster than not (FlushChooser).
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "disruptor/cache_line.hpp"
#include "disruptor/detail/flush_chooser.hpp"

namespace disruptor::detail {

/// Whether this CPU can flush a line without ordering the flush against
/// everything else (x86 CLFLUSHOPT). Decided once, on first use.
[[nodiscard]] bool lineReleaseSupported() noexcept;

/// Whether releasing lines is worth it on this CPU, so on by default: on
/// AMD's, where it was measured to lift a slow host's unicast from 35-85M to
/// 445-550M events/s. On Intel's, the producer then waits for memory and
/// unicast_batch ran at about 0.6x, so there it stays off unless asked for.
[[nodiscard]] bool lineReleasePays() noexcept;

/// Evicts the line holding `address` from every cache, writing it back if
/// dirty. Only a hint for speed: the data stays coherent either way.
inline void releaseLine(const void* address) noexcept {
#if defined(__x86_64__)
  asm volatile("clflushopt %0" : : "m"(*static_cast<const char*>(address)));
#else
  (void)address;
#endif
}

/// Flushes the slot lines of the events a handler has finished with, when its
/// reads are the last before the producer rewrites the slots. Events of a
/// power-of-two size never straddle lines; for other sizes it stays off.
///
/// While the producer streams, it flushes only when that measures faster
/// (FlushChooser), timing windows of 2^18 events by `Clock`.
///
/// Threading: reset and handleReleasing on one processor thread; enabled() from any.
template <class T, class Clock = std::chrono::steady_clock>
class LineReleaser {
 public:
  /// Events in one line (1 for events of a line or more).
  static constexpr std::int64_t kEventsPerLine =
      sizeof(T) < kCacheLineSize ? static_cast<std::int64_t>(kCacheLineSize / sizeof(T)) : 1;
  /// Lines in one event (1 for events smaller than a line).
  static constexpr std::size_t kLinesPerEvent = sizeof(T) > kCacheLineSize ? sizeof(T) / kCacheLineSize : 1;
  /// Whether the event's size lets whole lines be told apart.
  static constexpr bool kApplies = std::has_single_bit(sizeof(T));

  /// Turns releasing on or off; `from` is the first sequence the handler will handle.
  void reset(bool enabled, std::int64_t from) noexcept {
    enabled_.store(kApplies && enabled && lineReleaseSupported(), std::memory_order_relaxed);
    // Lines before the first whole one are left alone: another event may share them.
    releasedTo_ = (from + kEventsPerLine - 1) / kEventsPerLine * kEventsPerLine;
    chooser_.reset(true);
    windowEnd_ = (from / kWindowEvents + 1) * kWindowEvents;
    windowCounts_ = false;
  }

  /// Whether lines are being released. A snapshot from any thread.
  [[nodiscard]] bool enabled() const noexcept { return enabled_.load(std::memory_order_relaxed); }

  /// Calls `handle(s)` for each sequence s from `next` to `end`, with `next`
  /// at s during the call, so a throw leaves it at the failing event. While
  /// `streaming` (the producer is seen publishing faster than one event at
  /// a time), each whole line goes as soon as its last event is handled,
  /// rather than after the batch: the flushes then overlap
  /// the loads of the lines after them instead of queueing in a pass of
  /// their own (unicast_batch on Zen 4, medians of 5 interleaved pairs:
  /// busyspin 1009M events/s before, 1280M; yielding 801M before, 1257M).
  /// That is while flushing() too; otherwise those lines are passed over for
  /// good. `slot(s)` is the address of sequence s's slot. Each batch is
  /// timed for the choice.
  template <class Slot, class Handle>
  void handleReleasing(std::int64_t& next, std::int64_t end, Slot&& slot, bool streaming, Handle&& handle) {
    if (!enabled()) {
      for (; next <= end; ++next) handle(next);
      return;
    }
    if (!streaming || !chooser_.flush()) {
      for (; next <= end; ++next) handle(next);
      passOver(end);
    } else {
      // Counted line by line, so a throw later in the batch keeps the count
      // of the lines already flushed.
      while (next <= end) {
        const std::int64_t lineEnd = std::min(end, next | (kEventsPerLine - 1));
        for (; next <= lineEnd; ++next) handle(next);
        count(releaseUpTo(lineEnd, slot));
      }
    }
    timeWindow(end, streaming);
  }

  /// Whether a stream's lines are flushed now, as timed (see FlushChooser).
  /// The handler's thread only.
  [[nodiscard]] bool flushing() const noexcept { return chooser_.flush(); }

  /// Events in one timed window.
  static constexpr std::int64_t kWindowEvents = std::int64_t{1} << 18;

  /// Lines released since the releaser was made. A snapshot from any thread.
  [[nodiscard]] std::uint64_t releasedLines() const noexcept { return releasedLines_.load(std::memory_order_relaxed); }

 private:
  // Flushes every whole line of events up to `handled` not flushed yet.
  template <class Slot>
  std::size_t releaseUpTo(std::int64_t handled, Slot& slot) noexcept {
    std::size_t released = 0;
    for (; releasedTo_ + kEventsPerLine - 1 <= handled; releasedTo_ += kEventsPerLine) {
      const auto* first = reinterpret_cast<const std::byte*>(slot(releasedTo_));
      for (std::size_t line = 0; line < kLinesPerEvent; ++line) releaseLine(first + line * kCacheLineSize);
      released += kLinesPerEvent;
    }
    return released;
  }

  // Lines of events up to `handled` are not to be flushed later.
  void passOver(std::int64_t handled) noexcept {
    if (handled >= releasedTo_) releasedTo_ = (handled + 1) / kEventsPerLine * kEventsPerLine;
  }

  // Ends the window `handled` is past, if any: 2^18 events, several laps
  // of a usual ring, so a window's time is the choice's and not the last's.
  void timeWindow(std::int64_t handled, bool streaming) noexcept {
    if (handled + 1 < windowEnd_) {
      windowCounts_ = windowCounts_ && streaming;
      return;
    }
    const std::int64_t windows = (handled + 1 - windowEnd_) / kWindowEvents + 1;  // a batch may span several
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
    chooser_.endWindow(windowCounts_ && streaming ? (now - windowStart_) / windows : -1);
    windowEnd_ += windows * kWindowEvents;
    windowStart_ = now;
    windowCounts_ = streaming;
  }

  void count(std::size_t released) noexcept {
    if (released != 0)
      releasedLines_.store(releasedLines_.load(std::memory_order_relaxed) + released, std::memory_order_relaxed);
  }

  std::atomic<bool> enabled_{false};  // atomic only so other threads may ask; a plain load here
  std::int64_t releasedTo_ = 0;
  std::atomic<std::uint64_t> releasedLines_{0};  // written by the owner only: a load and a store, no read-modify-write
  FlushChooser chooser_;
  std::int64_t windowEnd_ = 0;    // the first sequence past the window now running
  std::int64_t windowStart_ = 0;  // Clock's time when it began, in ns
  bool windowCounts_ = false;     // whether the producer streamed all through it
};

}  // namespace disruptor::detail
