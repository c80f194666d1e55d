// Handing consumed slot lines back to the producer: which lines a handler
// flushes, which handlers flush at all, and that the events are intact.
#include <doctest/doctest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <utility>
#include <vector>

#include "disruptor/detail/line_release.hpp"
#include "disruptor/detail/padded_array.hpp"
#include "disruptor/disruptor.hpp"
#include "test_support.hpp"

using namespace disruptor;
using detail::LineReleaser;

namespace {
struct Event8 {
  std::int64_t value = 0;
};
struct Event24 {
  std::int64_t a = 0, b = 0, c = 0;
};
struct alignas(64) Event128 {
  std::array<std::int64_t, 16> values{};
};
using Ring = RingBuffer<Event8, YieldingWaitStrategy, ProducerType::Single>;

template <class T, std::size_t N>
auto slotsOf(std::array<T, N>& slots) {
  return [&slots](std::int64_t sequence) { return &slots[static_cast<std::size_t>(sequence) % N]; };
}

// Handles the events from `next` to `handled` (doing nothing with them),
// flushing as `releaser` does; returns the lines it flushed.
template <class T, class Slot>
std::uint64_t releaseTo(LineReleaser<T>& releaser, std::int64_t& next, std::int64_t handled, Slot slot, bool streaming) {
  const std::uint64_t before = releaser.releasedLines();
  releaser.handleReleasing(next, handled, slot, streaming, [](std::int64_t) {});
  return releaser.releasedLines() - before;
}

// Publishes one event whose value is its sequence.
void publishOne(Ring& ring) { ring.publishEvent([](Event8& e, std::int64_t s) { e.value = s; }); }

// A handler summing the values it sees.
struct Sum {
  std::int64_t total = 0;
  void onEvent(Event8& e, std::int64_t, bool) { total += e.value; }
};

// True, with a message, when this CPU cannot flush a line without a fence,
// so a test of what is flushed has nothing to look at.
bool noLineRelease() {
  if (detail::lineReleaseSupported()) return false;
  MESSAGE("this CPU has no CLFLUSHOPT: lines are never released");
  return true;
}
}  // namespace

TEST_CASE("line release: only whole lines of handled events are flushed, each once, and only while the producer streams") {
  if (noLineRelease()) return;
  alignas(64) std::array<Event8, 64> slots{};
  LineReleaser<Event8> releaser;
  releaser.reset(true, 0);
  REQUIRE(releaser.enabled());
  std::int64_t next = 0;
  CHECK(releaseTo(releaser, next, 6, slotsOf(slots), true) == 0);   // 0..6: the first line is not finished
  CHECK(releaseTo(releaser, next, 7, slotsOf(slots), true) == 1);   // 0..7
  CHECK(releaseTo(releaser, next, 7, slotsOf(slots), true) == 0);   // nothing new
  CHECK(releaseTo(releaser, next, 30, slotsOf(slots), true) == 2);  // 8..15 and 16..23; 24..30 waits
  CHECK(releaseTo(releaser, next, 31, slotsOf(slots), true) == 1);
  CHECK(releaser.releasedLines() == 4);

  // Lines handled while the producer is not streaming are passed over for good.
  CHECK(releaseTo(releaser, next, 39, slotsOf(slots), false) == 0);  // 32..39, one event at a time: kept
  CHECK(releaseTo(releaser, next, 44, slotsOf(slots), false) == 0);  // 40..44: the line is not finished
  CHECK(releaseTo(releaser, next, 47, slotsOf(slots), true) == 1);   // 40..47 finished while streaming
  CHECK(releaseTo(releaser, next, 55, slotsOf(slots), false) == 0);  // 48..55 passed over
  CHECK(releaseTo(releaser, next, 63, slotsOf(slots), true) == 1);   // only 56..63
  CHECK(releaser.releasedLines() == 6);

  // Starting mid-line, the shared first line is left alone.
  releaser.reset(true, 5);
  next = 5;
  CHECK(releaseTo(releaser, next, 7, slotsOf(slots), true) == 0);
  CHECK(releaseTo(releaser, next, 15, slotsOf(slots), true) == 1);

  // An event of two lines releases both.
  alignas(64) std::array<Event128, 4> big{};
  LineReleaser<Event128> bigReleaser;
  bigReleaser.reset(true, 0);
  std::int64_t bigNext = 0;
  CHECK(releaseTo(bigReleaser, bigNext, 2, slotsOf(big), true) == 6);
}

TEST_CASE("line release: a Stamped ring's lines are told apart by its slots, four 16-byte slots to a line") {
  if (noLineRelease()) return;
  using Slot = detail::StampedSlot<Event8>;
  detail::PaddedArray<Slot> slots(32, [](std::size_t) { return Slot(Event8{}); });  // line-aligned
  const auto slot = [&slots](std::int64_t sequence) { return &slots[static_cast<std::size_t>(sequence) % 32]; };
  LineReleaser<Slot> releaser;
  releaser.reset(true, 0);
  std::int64_t next = 0;
  CHECK(releaseTo(releaser, next, 2, slot, true) == 0);   // 0..2: the first line is not finished
  CHECK(releaseTo(releaser, next, 3, slot, true) == 1);   // 0..3
  CHECK(releaseTo(releaser, next, 13, slot, true) == 2);  // 4..7 and 8..11; 12..13 waits
  CHECK(releaser.releasedLines() == 3);
}

TEST_CASE("line release: handled in one pass, each whole line goes right after its last event, and a throw leaves next at the failing event") {
  if (noLineRelease()) return;
  alignas(64) std::array<Event8, 64> slots{};
  // One log of both calls: a handled sequence as itself, a released line as
  // -1 - its first sequence, so the order of the two shows.
  std::vector<std::int64_t> log;
  auto slot = [&](std::int64_t sequence) {
    log.push_back(-1 - sequence);
    return &slots[static_cast<std::size_t>(sequence) % slots.size()];
  };
  auto handle = [&](std::int64_t sequence) { log.push_back(sequence); };
  // The log expected: `from`..`to` handled, then the line of `released` if it is not -1.
  auto handled = [](std::int64_t from, std::int64_t to, std::int64_t released = -1) {
    std::vector<std::int64_t> out;
    for (std::int64_t s = from; s <= to; ++s) out.push_back(s);
    if (released >= 0) out.push_back(-1 - released);
    return out;
  };
  auto join = [](std::initializer_list<std::vector<std::int64_t>> parts) {
    std::vector<std::int64_t> out;
    for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
    return out;
  };
  LineReleaser<Event8> releaser;
  releaser.reset(true, 5);  // the first line is shared with events before 5: kept

  std::int64_t next = 5;
  releaser.handleReleasing(next, 20, slot, true, handle);
  CHECK(next == 21);
  CHECK(log == join({handled(5, 7), handled(8, 15, 8), handled(16, 20)}));
  CHECK(releaser.releasedLines() == 1);

  // The rest of 16..23 finishes the line: it goes, then the next one.
  log.clear();
  releaser.handleReleasing(next, 31, slot, true, handle);
  CHECK(log == join({handled(21, 23, 16), handled(24, 31, 24)}));
  CHECK(releaser.releasedLines() == 3);

  // A throw at 45: next stays there, the whole line before it went and is
  // counted, and the line it is in stays.
  log.clear();
  auto throwAt45 = [&](std::int64_t sequence) {
    if (sequence == 45) throw std::runtime_error("event 45");
    log.push_back(sequence);
  };
  CHECK_THROWS_AS(releaser.handleReleasing(next, 47, slot, true, throwAt45), std::runtime_error);
  CHECK(next == 45);
  CHECK(log == join({handled(32, 39, 32), handled(40, 44)}));
  CHECK(releaser.releasedLines() == 4);

  // Not streaming: every event handled, and its whole lines passed over for good.
  log.clear();
  releaser.handleReleasing(next, 50, slot, false, handle);
  CHECK(next == 51);
  CHECK(log == handled(45, 50));
  CHECK(releaser.releasedLines() == 4);
  log.clear();
  releaser.handleReleasing(next, 63, slot, true, handle);
  // 48..55 was unfinished, so not passed over: finished while streaming, it goes.
  CHECK(log == join({handled(51, 55, 48), handled(56, 63, 56)}));
  CHECK(releaser.releasedLines() == 6);
}

TEST_CASE("line release: off when not asked for, and for events whose size lets lines be shared unevenly") {
  alignas(64) std::array<Event8, 16> slots{};
  LineReleaser<Event8> releaser;
  releaser.reset(false, 0);
  CHECK_FALSE(releaser.enabled());
  std::int64_t next = 0;
  CHECK(releaseTo(releaser, next, 15, slotsOf(slots), true) == 0);

  std::array<Event24, 16> odd{};
  LineReleaser<Event24> oddReleaser;
  oddReleaser.reset(true, 0);
  CHECK_FALSE(oddReleaser.enabled());
  std::int64_t oddNext = 0;
  CHECK(releaseTo(oddReleaser, oddNext, 15, slotsOf(odd), true) == 0);
}

TEST_CASE("line release: the ring's one handler releases lines; being told not to, a second gating handler or an upstream one turns it off") {
  const bool supported = detail::lineReleaseSupported();
  constexpr std::int64_t kEvents = 10'000;
  auto publishAll = [](Ring& ring) {
    for (std::int64_t i = 0; i < kEvents; ++i) publishOne(ring);
  };

  // A lone handler over ten laps of the ring (or more), so every slot line
  // is rewritten after a flush; returns whether it released lines.
  auto alone = [&](bool allowed, std::size_t ringSize = 1024) {
    Ring ring(ringSize);
    Sum sum;
    BatchEventProcessor<Ring, Sum&> processor(ring, ring.newBarrier(), sum);
    processor.setReleaseConsumedLines(allowed);
    ring.addGatingSequences(processor.getSequence());
    test::ProcessorThread thread(processor);
    publishAll(ring);
    REQUIRE_EVENTUALLY(processor.getSequence().get() == kEvents - 1, "every event to be handled");
    const bool released = processor.releasesConsumedLines();
    thread.stop();
    CHECK(sum.total == kEvents * (kEvents - 1) / 2);  // nothing lost or stale after the flushes
    return released;
  };

  SUBCASE("alone") { CHECK(alone(true) == supported); }
  SUBCASE("alone, but told not to") { CHECK_FALSE(alone(false)); }
  // 8 one-line slots leave the coalescer no lag to stream with, and lines
  // go only while streaming: it is off, and the topology does not claim it.
  SUBCASE("alone, in a ring too small to see a stream") { CHECK_FALSE(alone(true, 8)); }
  SUBCASE("beside another gating handler") {
    Ring ring(1024);
    Sum first, second;
    BatchEventProcessor<Ring, Sum&> a(ring, ring.newBarrier(), first);
    BatchEventProcessor<Ring, Sum&> b(ring, ring.newBarrier(), second);
    a.setReleaseConsumedLines(true);
    b.setReleaseConsumedLines(true);
    ring.addGatingSequences(a.getSequence(), b.getSequence());
    test::ProcessorThread threadA(a), threadB(b);
    publishAll(ring);
    REQUIRE_EVENTUALLY(a.getSequence().get() == kEvents - 1 && b.getSequence().get() == kEvents - 1,
                       "both handlers to handle every event");
    CHECK_FALSE(a.releasesConsumedLines());
    CHECK_FALSE(b.releasesConsumedLines());
    threadA.stop();
    threadB.stop();
    CHECK(first.total == second.total);
  }
  SUBCASE("behind an upstream handler") {
    Ring ring(1024);
    Sum upstream, downstream;
    BatchEventProcessor<Ring, Sum&> a(ring, ring.newBarrier(), upstream);
    BatchEventProcessor<Ring, Sum&> b(ring, ring.newBarrier({&a.getSequence()}), downstream);
    a.setReleaseConsumedLines(true);
    b.setReleaseConsumedLines(true);
    ring.addGatingSequences(b.getSequence());
    test::ProcessorThread threadA(a), threadB(b);
    publishAll(ring);
    REQUIRE_EVENTUALLY(b.getSequence().get() == kEvents - 1, "the downstream handler to handle every event");
    CHECK_FALSE(a.releasesConsumedLines());  // not a gating sequence
    CHECK_FALSE(b.releasesConsumedLines());  // reads lines its upstream also holds
    threadA.stop();
    threadB.stop();
    CHECK(downstream.total == kEvents * (kEvents - 1) / 2);
  }
}

TEST_CASE("line release: a lone handler flushes lines behind a streaming producer, none behind one that waits for each event") {
  if (noLineRelease()) return;
  Ring ring(1024);
  Sum sum;
  BatchEventProcessor<Ring, Sum&> processor(ring, ring.newBarrier(), sum);
  processor.setReleaseConsumedLines(true);  // on this CPU too, where it may not be the default
  ring.addGatingSequences(processor.getSequence());
  test::ProcessorThread thread(processor);

  // A request and its reply: each event is handled before the next is sent,
  // over two laps, so every line is rewritten after it was handled.
  for (int i = 0; i < 2048; ++i) {
    publishOne(ring);
    REQUIRE_EVENTUALLY(processor.getSequence().get() == i, "event " << i << " to be handled");
  }
  CHECK(processor.releasesConsumedLines());
  CHECK(processor.releasedLines() == 0);

  // A stream: laps published back to back until the handler sees it as one.
  const auto deadline = std::chrono::steady_clock::now() + test::kWaitBound;
  std::int64_t published = 2048;
  while (processor.releasedLines() == 0 && std::chrono::steady_clock::now() < deadline)
    for (int i = 0; i < 1024; ++i, ++published) publishOne(ring);
  REQUIRE_MESSAGE(processor.releasedLines() > 0, "no line released behind " << published - 2048 << " streamed events");
  REQUIRE_EVENTUALLY(processor.getSequence().get() == published - 1, "every streamed event to be handled");
  thread.stop();
  CHECK(sum.total == published * (published - 1) / 2);
}

TEST_CASE("line release: the topology shows which handlers release lines, and Options can turn it off") {
  const bool supported = detail::lineReleaseSupported();
  using D = Disruptor<Event8, YieldingWaitStrategy, ProducerType::Single>;
  auto handled = [](D& d, std::int64_t events) {
    auto& ring = d.start();
    for (std::int64_t i = 0; i < events; ++i) publishOne(ring);
    REQUIRE_EVENTUALLY(!d.hasBacklog(), "every event to be handled");
    return d.topology();
  };
  auto noop = [](Event8&, std::int64_t, bool) {};

  SUBCASE("one handler, by default: only where it pays") {
    CHECK(Options().releaseConsumedLines == detail::lineReleasePays());
    CHECK((!detail::lineReleasePays() || supported));  // paying needs the instruction
    D d([] { return Event8{}; }, 1024);
    d.handleEventsWith(noop);
    CHECK(handled(d, 2048).nodes.at(0).releasesLines == detail::lineReleasePays());
    d.halt();
  }
  SUBCASE("one handler, turned on") {
    D d([] { return Event8{}; }, 1024, {}, Options().withReleaseConsumedLines(true));
    d.handleEventsWith(noop);
    CHECK(handled(d, 2048).nodes.at(0).releasesLines == supported);
    d.halt();
  }
  SUBCASE("one handler, turned off") {
    D d([] { return Event8{}; }, 1024, {}, Options().withReleaseConsumedLines(false));
    d.handleEventsWith(noop);
    CHECK_FALSE(handled(d, 2048).nodes.at(0).releasesLines);
    d.halt();
  }
  SUBCASE("a pipeline, even when asked") {
    D d([] { return Event8{}; }, 1024, {}, Options().withReleaseConsumedLines(true));
    d.handleEventsWith(noop).then([](Event8&, std::int64_t, bool) {});
    const Topology topology = handled(d, 2048);
    CHECK_FALSE(topology.nodes.at(0).releasesLines);
    CHECK_FALSE(topology.nodes.at(1).releasesLines);
    d.halt();
  }
}
