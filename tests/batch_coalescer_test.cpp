// The batch coalescer against a scripted barrier: what each probe of the
// cursor sees is fixed in advance, so every decision is deterministic.
#include <doctest/doctest.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "disruptor/detail/batch_coalescer.hpp"

namespace {

using disruptor::detail::BatchCoalescer;

/// Answers availableFrom() with the next scripted value, repeating the last.
struct ScriptedBarrier {
  std::vector<std::int64_t> script;
  mutable std::size_t probes = 0;
  mutable int alertChecks = 0;
  std::int64_t availableFrom(std::int64_t) const {
    const std::int64_t seen = script.at(probes < script.size() ? probes : script.size() - 1);
    ++probes;
    return seen;
  }
  void checkAlert() const { ++alertChecks; }
};

struct Event8 {
  std::int64_t value;
};

constexpr std::int64_t kRing = 1 << 16;

}  // namespace

TEST_CASE("coalescer: the lag is a page of events, capped by an eighth of the ring, and off for big events or tiny rings") {
  CHECK(BatchCoalescer(sizeof(Event8), kRing).lag() == 512);
  CHECK(BatchCoalescer(sizeof(Event8), 1024).lag() == 128);
  CHECK(BatchCoalescer(4096, kRing).lag() == 0);
  CHECK(BatchCoalescer(sizeof(Event8), 8).lag() == 0);
}

TEST_CASE("coalescer: with nothing available it waits the strategy's way and takes all that wait returns") {
  BatchCoalescer coalescer(sizeof(Event8), kRing);
  ScriptedBarrier barrier{{-1}};
  int waits = 0;
  std::int64_t available = 0;
  const std::int64_t end = coalescer.batchEnd(0, available, barrier, [&] {
    ++waits;
    return std::int64_t{3};
  });
  CHECK(waits == 1);
  CHECK(end == 3);
  CHECK(available == 3);
}

TEST_CASE("coalescer: events already there from a producer that has stopped are taken at once, after one probe") {
  BatchCoalescer coalescer(sizeof(Event8), kRing);
  ScriptedBarrier barrier{{9, 9}};
  std::int64_t available = 0;
  const std::int64_t end = coalescer.batchEnd(0, available, barrier, [] () -> std::int64_t {
    throw std::logic_error("must not wait: events are available");
  });
  CHECK(end == 9);
  CHECK(barrier.probes == 2);
  CHECK(barrier.alertChecks == 1);  // a busy handler still sees halt()
}

TEST_CASE("coalescer: behind a streaming producer the handler stays the lag behind the cursor") {
  BatchCoalescer coalescer(sizeof(Event8), kRing);
  const std::int64_t lag = coalescer.lag();
  // The producer moves 400 events between probes (about 130M a second).
  std::vector<std::int64_t> script;
  for (std::int64_t seen = 399; seen < 100000; seen += 400) script.push_back(seen);
  ScriptedBarrier barrier{script};
  std::int64_t available = 0;
  const std::int64_t end = coalescer.batchEnd(0, available, barrier, [] () -> std::int64_t {
    throw std::logic_error("must not wait while the producer streams");
  });
  CHECK(end == available - lag);
  CHECK(end - 0 + 1 >= lag / 4);  // a batch worth taking
  CHECK(barrier.probes == 2);     // one look, and one probe that sees the stream
  CHECK(barrier.alertChecks == 1);  // halt() still reaches a handler that never waits
}

TEST_CASE("coalescer: a producer silent for a probe's time ends the stream, and the next batch finds a new one") {
  BatchCoalescer coalescer(sizeof(Event8), kRing);
  const std::int64_t lag = coalescer.lag();
  std::int64_t available = 0;
  // Growth on the first probe starts a stream; the script then repeats 199:
  // nothing more is published, so the stream ends and everything is taken.
  ScriptedBarrier starting{{99, 199}};
  const std::int64_t first = coalescer.batchEnd(0, available, starting, [] { return std::int64_t{-1}; });
  CHECK(first == 199);
  CHECK(starting.probes == 3);

  // The next batch starts from no stream: the short probe sees growth, the
  // long one sees the producer far past the lag, and the lag is kept again.
  ScriptedBarrier resumed{{299, 399, 399 + 2 * lag}};
  const std::int64_t second = coalescer.batchEnd(200, available, resumed, [] { return std::int64_t{-1}; });
  CHECK(second == 399 + 2 * lag - lag);
  CHECK(resumed.probes == 3);
}

TEST_CASE("coalescer: a producer that keeps trickling is not waited on for ever: the delay is bounded") {
  BatchCoalescer coalescer(sizeof(Event8), kRing);
  // One event per probe: a stream, but never a lag's worth ahead.
  std::vector<std::int64_t> script;
  for (std::int64_t seen = 0; seen < 1000; ++seen) script.push_back(seen);
  ScriptedBarrier barrier{script};
  std::int64_t available = 0;
  const std::int64_t end = coalescer.batchEnd(0, available, barrier, [] { return std::int64_t{-1}; });
  CHECK(barrier.probes == 1 + BatchCoalescer::kMaxProbes);
  CHECK(end == available);
  CHECK(end == BatchCoalescer::kMaxProbes);
}
