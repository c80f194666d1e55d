// Batch rewind, as the LMAX guide tells it: events 0..149 are handled, then
// 150..155 are published as one range and so arrive as one batch; a handler
// that throws RewindableException at 153 sees the batch again from 150.
#include <doctest/doctest.h>

#include <climits>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "disruptor/disruptor.hpp"
#include "failure_support.hpp"
#include "test_support.hpp"

using namespace disruptor;

namespace {
struct Event {
  std::int64_t value = 0;
};
// Single producer: publish(lo, hi) moves the cursor once, so a waiting
// handler sees the whole range 150..155 as one batch.
using D = Disruptor<Event, BlockingWaitStrategy, ProducerType::Single>;
using Recorder = test::RecordingExceptionHandler<Event>;
using Trace = std::vector<std::string>;

constexpr std::int64_t kFirstOfBatch = 150;
constexpr int kAlways = INT_MAX;

/// Records what it is called with from sequence 150 on ("batch of N" for
/// onBatchStart, the sequence for onEvent), and throws RewindableException
/// at `failAt` the first `failures` times it gets there.
struct Flaky {
  Flaky(std::int64_t failAtSequence, int failureCount) : failAt(failAtSequence), failuresLeft(failureCount) {}

  void onBatchStart(std::int64_t batchSize, std::int64_t) {
    if (last >= kFirstOfBatch - 1) record("batch of " + std::to_string(batchSize));
  }
  void onEvent(Event&, std::int64_t sequence, bool) {
    last = sequence;
    if (sequence >= kFirstOfBatch) record(std::to_string(sequence));
    if (sequence == failAt && failuresLeft > 0) {
      --failuresLeft;
      throw RewindableException("store busy at " + std::to_string(sequence));
    }
  }
  Trace trace() {
    const std::lock_guard lock(mutex);
    return calls;
  }
  /// The onEvent calls only.
  Trace events() {
    Trace onlyEvents;
    for (auto& call : trace())
      if (call.rfind("batch", 0) != 0) onlyEvents.push_back(call);
    return onlyEvents;
  }

  std::int64_t failAt;
  int failuresLeft;
  std::int64_t last = -1;

 private:
  void record(std::string call) {
    const std::lock_guard lock(mutex);
    calls.push_back(std::move(call));
  }
  std::mutex mutex;
  Trace calls;
};

Trace sequences(std::initializer_list<int> values) {
  Trace trace;
  for (int v : values) trace.push_back(std::to_string(v));
  return trace;
}

/// Starts `d`, publishes 0..149 one by one and waits until `handler` has
/// handled them, then publishes 150..155 as one range.
template <class H>
void publishGuideBatch(D& d, const H& handler) {
  auto& ring = d.start();
  for (std::int64_t i = 0; i < kFirstOfBatch; ++i) ring.publishEvent([](Event& e, std::int64_t s) { e.value = s; });
  REQUIRE_EVENTUALLY(d.getSequenceValueFor(handler) == kFirstOfBatch - 1, "events 0..149 to be handled");
  const std::int64_t hi = ring.next(6);
  const std::int64_t lo = hi - 5;
  REQUIRE(lo == kFirstOfBatch);
  for (std::int64_t s = lo; s <= hi; ++s) ring.get(s).value = s;
  ring.publish(lo, hi);
}

void waitForSequence(D& d, const Flaky& handler, std::int64_t sequence) {
  REQUIRE_EVENTUALLY(d.getSequenceValueFor(handler) == sequence, "the handler to finish sequence " << sequence);
}

/// The message of the RewindableException in `error`.
std::string rewindMessage(const std::exception_ptr& error) { return test::messageAs<RewindableException>(error); }

/// The guide's example with `strategy`: runs until `flaky` has finished 155.
void runGuideExample(std::shared_ptr<BatchRewindStrategy> strategy, Flaky& flaky) {
  D d(1024);
  d.handleEventsWith(std::move(strategy), flaky);
  publishGuideBatch(d, flaky);
  waitForSequence(d, flaky, 155);
  CHECK_FALSE(d.halted());
}
}  // namespace

TEST_CASE("a batch 150..155 failing once at 153 is seen as 150 151 152 153 150 151 152 153 154 155") {
  Flaky flaky(153, 1);
  runGuideExample(std::make_shared<SimpleBatchRewindStrategy>(), flaky);
  CHECK(flaky.events() == sequences({150, 151, 152, 153, 150, 151, 152, 153, 154, 155}));
}

TEST_CASE("onBatchStart is called again, with the same batch size, for the replayed batch") {
  Flaky flaky(153, 1);
  runGuideExample(std::make_shared<SimpleBatchRewindStrategy>(), flaky);
  CHECK(flaky.trace() == Trace{"batch of 6", "150", "151", "152", "153",                //
                               "batch of 6", "150", "151", "152", "153", "154", "155"});
}

TEST_CASE("NanosecondPauseBatchRewindStrategy replays the batch from its first sequence") {
  Flaky flaky(153, 2);
  runGuideExample(std::make_shared<NanosecondPauseBatchRewindStrategy>(std::chrono::microseconds(200)), flaky);
  CHECK(flaky.events() == sequences({150, 151, 152, 153, 150, 151, 152, 153, 150, 151, 152, 153, 154, 155}));
}

TEST_CASE("EventuallyGiveUpBatchRewindStrategy(3) hands the exception to the exception handler on the third failure") {
  Flaky flaky(153, kAlways);
  auto recorder = std::make_shared<Recorder>();
  D d(1024);
  d.handleEventsWith(std::make_shared<EventuallyGiveUpBatchRewindStrategy>(3), flaky);
  d.handleExceptionsFor(flaky).with(recorder);
  publishGuideBatch(d, flaky);
  waitForSequence(d, flaky, 155);  // the recorder skips 153, so the handler goes on

  CHECK(flaky.failuresLeft == kAlways - 3);  // three attempts at 153, then no more
  CHECK(flaky.events() == sequences({150, 151, 152, 153, 150, 151, 152, 153, 150, 151, 152, 153, 154, 155}));
  const auto failures = recorder->events();
  REQUIRE(failures.size() == 1);
  CHECK(failures[0].sequence == 153);
  CHECK(rewindMessage(failures[0].error) == "store busy at 153");
}

TEST_CASE("a batch that EventuallyGiveUp gives up on halts the Disruptor under the default FatalExceptionHandler") {
  test::LogCapture log;
  Flaky flaky(153, kAlways);
  D d(1024);
  d.handleEventsWith(std::make_shared<EventuallyGiveUpBatchRewindStrategy>(2), flaky);
  publishGuideBatch(d, flaky);
  REQUIRE_EVENTUALLY(d.halted(), "the exhausted rewind to halt the Disruptor");
  CHECK(rewindMessage(d.error()) == "store busy at 153");
  CHECK(flaky.failuresLeft == kAlways - 2);
  CHECK(d.getSequenceValueFor(flaky) == kFirstOfBatch - 1);  // nothing of the failed batch was released
  CHECK(log.count(spdlog::level::critical, "handler failed at sequence 153: store busy at 153") == 1);
  test::finishesWithinBound("shutdown() after a fatal failure", [&] { d.shutdown(); });
}

TEST_CASE("the strategy is told how many times the batch has failed, counting from 1 again for the next batch") {
  struct CountingStrategy final : BatchRewindStrategy {
    RewindAction handleRewindException(const RewindableException&, int attempts) override {
      const std::lock_guard lock(mutex);
      seen.push_back(attempts);
      return RewindAction::Rewind;
    }
    std::mutex mutex;
    std::vector<int> seen;
  };
  auto strategy = std::make_shared<CountingStrategy>();
  Flaky flaky(153, 2);
  D d(1024);
  d.handleEventsWith(strategy, flaky);
  publishGuideBatch(d, flaky);
  waitForSequence(d, flaky, 155);

  flaky.failAt = 158;  // safe: the handler is idle, and the publish below orders this write before its next call
  flaky.failuresLeft = 2;
  auto& ring = d.getRingBuffer();
  const std::int64_t hi = ring.next(5);
  ring.publish(hi - 4, hi);
  waitForSequence(d, flaky, 160);

  const std::lock_guard lock(strategy->mutex);
  CHECK(strategy->seen == std::vector<int>{1, 2, 1, 2});
}

TEST_CASE("a RewindableException from a handler registered without a rewind strategy goes to its exception handler") {
  Flaky flaky(153, 1);
  auto recorder = std::make_shared<Recorder>();
  D d(1024);
  d.handleEventsWith(flaky);
  d.handleExceptionsFor(flaky).with(recorder);
  publishGuideBatch(d, flaky);
  waitForSequence(d, flaky, 155);

  CHECK(flaky.events() == sequences({150, 151, 152, 153, 154, 155}));  // no replay
  const auto failures = recorder->events();
  REQUIRE(failures.size() == 1);
  CHECK(failures[0].sequence == 153);
  REQUIRE(failures[0].event.has_value());
  CHECK(failures[0].event->value == 153);
  CHECK(rewindMessage(failures[0].error) == "store busy at 153");
}

TEST_CASE("handlers after a rewinding handler see every event exactly once, in order") {
  struct Seen {
    std::vector<std::int64_t> sequences;
    void onEvent(Event&, std::int64_t sequence, bool) { sequences.push_back(sequence); }
  } downstream;
  Flaky flaky(153, 3);
  D d(1024);
  d.handleEventsWith(std::make_shared<SimpleBatchRewindStrategy>(), flaky).then(downstream);
  publishGuideBatch(d, flaky);
  d.shutdown(test::kWaitBound);  // orders the downstream's writes before the reads below

  std::vector<std::int64_t> expected;
  for (std::int64_t s = 0; s <= 155; ++s) expected.push_back(s);
  CHECK(downstream.sequences == expected);
}

TEST_CASE("a rewind replays only the batch that maxBatchSize cut, not the whole range published") {
  Flaky flaky(155, 1);
  D d([] { return Event{}; }, 1024, {}, Options().withMaxBatchSize(4));
  d.handleEventsWith(std::make_shared<SimpleBatchRewindStrategy>(), flaky);
  publishGuideBatch(d, flaky);
  waitForSequence(d, flaky, 155);
  CHECK(flaky.trace() == Trace{"batch of 4", "150", "151", "152", "153",  //
                               "batch of 2", "154", "155",                //
                               "batch of 2", "154", "155"});
}
