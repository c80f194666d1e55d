// The event loop: batches and endOfBatch, onBatchStart sizes, lifecycle
// hooks, early release, maxBatchSize, and halting an idle loop.
#include <doctest/doctest.h>

#include <mutex>
#include <thread>
#include <vector>

#include "disruptor/disruptor.hpp"
#include "test_support.hpp"

using namespace disruptor;

namespace {
struct Event {
  std::int64_t value = 0;
};
using Ring = RingBuffer<Event, YieldingWaitStrategy, ProducerType::Single>;

struct Recorder {
  std::mutex mutex;
  std::vector<std::pair<std::int64_t, bool>> events;        // (sequence, endOfBatch)
  std::vector<std::pair<std::int64_t, std::int64_t>> batches;  // (batchSize, queueDepth)
  std::vector<std::string> lifecycle;
  std::atomic<int> startTid{0};
  void onStart() {
    startTid = test::currentTid();
    const std::lock_guard lock(mutex);
    lifecycle.push_back("start");
  }
  void onShutdown() {
    const std::lock_guard lock(mutex);
    lifecycle.push_back("shutdown");
  }
  void onBatchStart(std::int64_t batchSize, std::int64_t queueDepth) {
    const std::lock_guard lock(mutex);
    batches.emplace_back(batchSize, queueDepth);
  }
  void onEvent(Event&, std::int64_t sequence, bool endOfBatch) {
    const std::lock_guard lock(mutex);
    events.emplace_back(sequence, endOfBatch);
  }
};

void publishRange(Ring& ring, std::int64_t n) {
  const std::int64_t high = ring.next(n);
  ring.publish(high - n + 1, high);
}
}  // namespace

TEST_CASE("endOfBatch is true only on the last event of what was available") {
  Ring ring(16);
  Recorder recorder;
  BatchEventProcessor<Ring, Recorder&> processor(ring, ring.newBarrier(), recorder);
  ring.addGatingSequences(processor.getSequence());
  publishRange(ring, 5);  // all five are there before the loop first looks
  test::ProcessorThread thread(processor);
  REQUIRE_EVENTUALLY(processor.getSequence().get() == 4, "the five events to be handled");
  thread.stop();
  const std::vector<std::pair<std::int64_t, bool>> expected{{0, false}, {1, false}, {2, false}, {3, false}, {4, true}};
  CHECK(recorder.events == expected);
  CHECK(recorder.batches == std::vector<std::pair<std::int64_t, std::int64_t>>{{5, 5}});
}

TEST_CASE("maxBatchSize caps each batch and onBatchStart reports size and queue depth") {
  Ring ring(16);
  Recorder recorder;
  BatchEventProcessor<Ring, Recorder&> processor(ring, ring.newBarrier(), recorder);
  processor.setMaxBatchSize(2);
  ring.addGatingSequences(processor.getSequence());
  publishRange(ring, 5);
  test::ProcessorThread thread(processor);
  REQUIRE_EVENTUALLY(processor.getSequence().get() == 4, "the five events to be handled");
  thread.stop();
  CHECK(recorder.batches == std::vector<std::pair<std::int64_t, std::int64_t>>{{2, 5}, {2, 3}, {1, 1}});
  const std::vector<std::pair<std::int64_t, bool>> expected{{0, false}, {1, true}, {2, false}, {3, true}, {4, true}};
  CHECK(recorder.events == expected);
  CHECK_THROWS_WITH_AS(processor.setMaxBatchSize(0), "maxBatchSize must be at least 1, got 0", std::invalid_argument);
}

TEST_CASE("onStart and onShutdown run once each, on the processor's thread, around the events") {
  Ring ring(8);
  Recorder recorder;
  BatchEventProcessor<Ring, Recorder&> processor(ring, ring.newBarrier(), recorder);
  ring.addGatingSequences(processor.getSequence());
  {
    test::ProcessorThread thread(processor);
    REQUIRE_EVENTUALLY(recorder.startTid.load() != 0, "onStart to run");
    CHECK(recorder.startTid.load() != test::currentTid());
    ring.publishEvent([](Event&, std::int64_t) {});
    REQUIRE_EVENTUALLY(processor.getSequence().get() == 0, "the event to be handled");
  }
  CHECK(recorder.lifecycle == std::vector<std::string>{"start", "shutdown"});
  CHECK(recorder.events.size() == 1);
}

TEST_CASE("halt() stops a loop that is waiting on an empty ring") {
  Ring ring(8);
  Recorder recorder;
  BatchEventProcessor<Ring, Recorder&> processor(ring, ring.newBarrier(), recorder);
  test::BoundedThread thread("the processor's run()", [&] { processor.run(); });
  REQUIRE_EVENTUALLY(processor.isRunning(), "the processor to start");
  processor.halt();
  REQUIRE_EVENTUALLY(!processor.isRunning(), "the processor to return from run() after halt()");
  thread.join();
  CHECK(recorder.events.empty());
  CHECK(recorder.lifecycle == std::vector<std::string>{"start", "shutdown"});
}

TEST_CASE("run() on a processor that is already running is refused") {
  Ring ring(8);
  Recorder recorder;
  BatchEventProcessor<Ring, Recorder&> processor(ring, ring.newBarrier(), recorder);
  test::ProcessorThread thread(processor);
  REQUIRE_EVENTUALLY(processor.isRunning(), "the processor to start");
  CHECK_THROWS_WITH_AS(processor.run(), "BatchEventProcessor::run: the processor is already running", std::logic_error);
}

namespace {
/// Releases its sequence early, then holds the batch open until told to go on.
struct EarlyReleaser {
  Sequence* sequence = nullptr;
  std::atomic<bool> holding{false};
  std::atomic<bool> release{false};
  void setSequenceCallback(Sequence& s) { sequence = &s; }
  void onEvent(Event&, std::int64_t seq, bool) {
    if (seq != 1) return;
    sequence->set(seq);  // done with 0 and 1 as far as producers care
    holding = true;
    test::eventually([&] { return release.load(); });
  }
};
}  // namespace

TEST_CASE("a handler can release its sequence early through setSequenceCallback") {
  Ring ring(4);
  EarlyReleaser handler;
  BatchEventProcessor<Ring, EarlyReleaser&> processor(ring, ring.newBarrier(), handler);
  REQUIRE(handler.sequence == &processor.getSequence());
  ring.addGatingSequences(processor.getSequence());
  publishRange(ring, 4);
  test::ProcessorThread thread(processor);
  REQUIRE_EVENTUALLY(handler.holding.load(), "the handler to reach sequence 1");
  // Mid-batch, slots 0 and 1 are already free for the producer.
  CHECK(processor.getSequence().get() == 1);
  CHECK(ring.remainingCapacity() == 2);
  CHECK(ring.tryNext(2) == 5);
  handler.release = true;
  REQUIRE_EVENTUALLY(processor.getSequence().get() == 3, "the batch to finish");
}

TEST_CASE("a callable handler gets each event with its sequence") {
  Ring ring(8);
  std::int64_t sum = 0;
  auto handler = [&sum](Event& e, std::int64_t, bool) { sum += e.value; };
  BatchEventProcessor<Ring, decltype(handler)&> processor(ring, ring.newBarrier(), handler);
  ring.addGatingSequences(processor.getSequence());
  test::ProcessorThread thread(processor);
  for (int i = 1; i <= 10; ++i) ring.publishEvent([](Event& e, std::int64_t, int v) { e.value = v; }, i);
  REQUIRE_EVENTUALLY(processor.getSequence().get() == 9, "ten events to be handled");
  thread.stop();
  CHECK(sum == 55);
}

TEST_CASE("a handler passed as an rvalue is owned by the processor") {
  Ring ring(8);
  auto counter = std::make_shared<int>(0);
  struct Owned {
    std::shared_ptr<int> count;
    void onEvent(Event&, std::int64_t, bool) { ++*count; }
  };
  BatchEventProcessor<Ring, Owned> processor(ring, ring.newBarrier(), Owned{counter});
  CHECK(counter.use_count() == 2);  // moved in, not referenced
  ring.addGatingSequences(processor.getSequence());
  test::ProcessorThread thread(processor);
  ring.publishEvent([](Event&, std::int64_t) {});
  REQUIRE_EVENTUALLY(processor.getSequence().get() == 0, "the event to be handled");
  thread.stop();
  CHECK(*counter == 1);
}

namespace {
/// Records the attempt numbers it is told; halts the processor on the second attempt.
struct HaltingOnSecondAttempt final : BatchRewindStrategy {
  EventProcessor* processor = nullptr;
  std::vector<int> attempts;
  RewindAction handleRewindException(const RewindableException&, int attempt) override {
    attempts.push_back(attempt);
    if (attempt == 2) processor->halt();
    return RewindAction::Rewind;
  }
};
}  // namespace

TEST_CASE("a processor run again counts rewind attempts from 1, even after a halt in the middle of a replay") {
  Ring ring(8);
  std::atomic<int> calls{0};
  auto failingOnce = [&](Event&, std::int64_t, bool) {
    if (++calls <= 3) throw RewindableException("not yet");  // 2 failures in the first run, 1 in the second
  };
  auto strategy = std::make_shared<HaltingOnSecondAttempt>();
  BatchEventProcessor<Ring, decltype(failingOnce)&> processor(ring, ring.newBarrier(), failingOnce, strategy);
  strategy->processor = &processor;
  ring.addGatingSequences(processor.getSequence());
  ring.publishEvent([](Event&, std::int64_t) {});
  test::BoundedThread first("the first run", [&] { processor.run(); }, [&] { processor.halt(); });  // the strategy halts it
  REQUIRE_EVENTUALLY(!processor.isRunning() && calls.load() == 2, "the first run to stop in the middle of its replay");
  first.join();
  {
    test::ProcessorThread second(processor);
    REQUIRE_EVENTUALLY(processor.getSequence().get() == 0, "the second run to handle the event");
  }
  CHECK(strategy->attempts == std::vector<int>{1, 2, 1});
}
