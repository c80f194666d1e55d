// Flush or not, chosen from the stream's own timed windows: the chooser's
// probe and decision, and the line releaser following it.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>

#include "disruptor/detail/flush_chooser.hpp"
#include "disruptor/detail/line_release.hpp"

using disruptor::detail::FlushChooser;
using disruptor::detail::LineReleaser;

namespace {

// Ends `count` windows of `nanos` each.
void endWindows(FlushChooser& chooser, int count, std::int64_t nanos) {
  for (int i = 0; i < count; ++i) chooser.endWindow(nanos);
}

// A clock the test moves by hand.
struct HandClock {
  using duration = std::chrono::nanoseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<HandClock>;
  static constexpr bool is_steady = true;
  static inline rep ticks = 0;
  static time_point now() noexcept { return time_point(duration(ticks)); }
};

struct alignas(8) Event8 {
  std::int64_t value;
};

bool noLineRelease() {
  LineReleaser<Event8> probe;
  probe.reset(true, 0);
  return !probe.enabled();
}

}  // namespace

TEST_CASE("flush chooser: probes the other choice soon after a reset, and keeps it only if it was at least 10% faster") {
  FlushChooser chooser;
  chooser.reset(true);
  CHECK(chooser.flush());
  endWindows(chooser, 2, 1000);  // the current choice timed
  CHECK_FALSE(chooser.flush());  // the probe
  endWindows(chooser, 3, 950);   // 5% faster: not enough
  CHECK(chooser.flush());

  // A kept choice doubles the period: the next probe comes 256 windows on,
  // and this time it is 20% faster, so kept.
  REQUIRE(chooser.period() == 2 * FlushChooser::kPeriod);
  endWindows(chooser, chooser.period() - FlushChooser::kProbe - 1, 1000);
  CHECK(chooser.flush());
  endWindows(chooser, 1, 1000);
  CHECK_FALSE(chooser.flush());
  endWindows(chooser, 3, 800);
  CHECK_FALSE(chooser.flush());

  // A switch brings the period back down: the next probe, flushing again,
  // is 128 windows on.
  CHECK(chooser.period() == FlushChooser::kPeriod);
  endWindows(chooser, FlushChooser::kPeriod - FlushChooser::kProbe - 1, 800);
  CHECK_FALSE(chooser.flush());
  endWindows(chooser, 1, 800);
  CHECK(chooser.flush());
}

TEST_CASE("flush chooser: probes that keep the choice space out up to kMaxPeriod windows") {
  FlushChooser chooser;
  chooser.reset(true);
  endWindows(chooser, 5, 1000);  // the first probe, no faster
  int period = 2 * FlushChooser::kPeriod;
  for (int probe = 0; probe < 5; ++probe) {
    CHECK(chooser.period() == period);
    // Every window before the probe keeps the choice; the probe is slower.
    for (int window = 0; window < period - FlushChooser::kProbe; ++window) {
      REQUIRE(chooser.flush());
      chooser.endWindow(1000);
    }
    CHECK_FALSE(chooser.flush());
    endWindows(chooser, FlushChooser::kProbe, 1500);
    period = std::min(2 * period, FlushChooser::kMaxPeriod);
  }
  CHECK(chooser.period() == FlushChooser::kMaxPeriod);
  CHECK(chooser.flush());
}

TEST_CASE("flush chooser: the probe's first window, and windows not counted, do not decide") {
  FlushChooser chooser;
  chooser.reset(false);
  endWindows(chooser, 2, 1000);
  REQUIRE(chooser.flush());
  // The settling window is very fast, the timed ones slower than the current choice.
  chooser.endWindow(10);
  endWindows(chooser, 2, 1200);
  CHECK_FALSE(chooser.flush());

  // A probe whose every window is uncounted (the stream stopped) changes nothing.
  endWindows(chooser, chooser.period() - FlushChooser::kProbe, 1000);
  REQUIRE(chooser.flush());
  endWindows(chooser, FlushChooser::kProbe, -1);
  CHECK_FALSE(chooser.flush());

  // An uncounted window just before the probe leaves the ones before it to decide.
  endWindows(chooser, chooser.period() - FlushChooser::kProbe - 2, 1000);
  chooser.endWindow(1000);
  chooser.endWindow(-1);
  REQUIRE(chooser.flush());
  endWindows(chooser, FlushChooser::kProbe, 850);
  CHECK(chooser.flush());
}

TEST_CASE("line release: a stream's lines are flushed or passed over as its timed windows choose") {
  if (noLineRelease()) return;
  alignas(64) std::array<Event8, 1024> slots{};
  auto slot = [&](std::int64_t sequence) { return &slots[static_cast<std::size_t>(sequence) % slots.size()]; };
  auto nothing = [](std::int64_t) {};
  constexpr std::int64_t kWindow = LineReleaser<Event8, HandClock>::kWindowEvents;
  constexpr std::int64_t kLinesPerWindow = kWindow / LineReleaser<Event8, HandClock>::kEventsPerLine;

  LineReleaser<Event8, HandClock> releaser;
  releaser.reset(true, 0);
  std::int64_t next = 0;
  // Streams one window in batches of 512, the window taking `flushNanos` when
  // flushed and `keepNanos` when not; returns the lines released in it.
  // `pause` makes one batch half way through a window not a stream.
  auto streamWindow = [&](std::int64_t flushNanos, std::int64_t keepNanos, bool pause = false) {
    const std::uint64_t before = releaser.releasedLines();
    HandClock::ticks += releaser.flushing() ? flushNanos : keepNanos;
    const std::int64_t end = next + kWindow - 1, middle = next + kWindow / 2;
    while (next <= end) releaser.handleReleasing(next, next + 511, slot, !(pause && next == middle), nothing);
    return releaser.releasedLines() - before;
  };

  // Two windows flushed, taking 1000 ns: the first not timed, as it began
  // with the reset; then the probe, without flushing.
  CHECK(streamWindow(1000, 1000) == kLinesPerWindow);
  CHECK(streamWindow(1000, 1000) == kLinesPerWindow);
  REQUIRE_FALSE(releaser.flushing());

  SUBCASE("not flushing measures faster: lines stop going") {
    for (int i = 0; i < 3; ++i) CHECK(streamWindow(1000, 500) == 0);
    CHECK_FALSE(releaser.flushing());
    CHECK(streamWindow(1000, 500) == 0);
  }

  SUBCASE("flushing measures faster: lines keep going after the probe") {
    for (int i = 0; i < 3; ++i) CHECK(streamWindow(1000, 2000) == 0);
    CHECK(releaser.flushing());
    CHECK(streamWindow(1000, 2000) == kLinesPerWindow);
  }

  SUBCASE("a window in which the producer paused is not timed") {
    // The probe's windows without flushing look fast, but paused half way.
    for (int i = 0; i < 3; ++i) streamWindow(1000, 500, true);
    CHECK(releaser.flushing());
  }
}
