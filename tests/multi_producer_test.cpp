// Many producers: availability is per slot, so a handler never reads a slot
// that was claimed but not yet published, whatever order publishes land in.
#include <doctest/doctest.h>

#include <array>
#include <deque>
#include <vector>

#include "disruptor/batch_event_processor.hpp"
#include "disruptor/blocking_wait_strategy.hpp"
#include "disruptor/event_poller.hpp"
#include "disruptor/ring_buffer.hpp"
#include "disruptor/yielding_wait_strategy.hpp"
#include "test_support.hpp"

using namespace disruptor;

namespace {
struct Event {
  int producer = -1;
  std::int64_t value = -1;
};
}  // namespace

TEST_CASE("a slot claimed but not published stays invisible even when a later slot is published first") {
  RingBuffer<Event, YieldingWaitStrategy, ProducerType::Multi> ring(8);
  const std::int64_t first = ring.next();
  const std::int64_t second = ring.next();
  ring.get(second).value = 2;
  ring.publish(second);

  CHECK(ring.cursor() == second);  // the cursor counts claims...
  CHECK(ring.isAvailable(second));
  CHECK_FALSE(ring.isAvailable(first));  // ...but slot 0 is not there yet
  CHECK(ring.sequencer().highestPublished(first, ring.cursor()) == first - 1);

  auto barrier = ring.newBarrier();
  std::atomic<std::int64_t> seen{-100};
  std::atomic<bool> waiting{false};
  test::BoundedThread handler(
      "a handler in barrier->waitFor(0)",
      [&] {
        waiting = true;
        seen = barrier->waitFor(first);
      },
      [&] { barrier->alert(); });
  REQUIRE_EVENTUALLY(waiting.load(), "the handler thread to start waiting");
  const auto window = std::chrono::steady_clock::now() + std::chrono::milliseconds(20);
  while (std::chrono::steady_clock::now() < window) REQUIRE(seen.load() == -100);

  ring.get(first).value = 1;
  ring.publish(first);
  REQUIRE_EVENTUALLY(seen.load() == second, "the barrier to release both slots once slot 0 was published");
  handler.join();
}

TEST_CASE("a range published by many producers is seen only up to its first gap") {
  RingBuffer<Event, YieldingWaitStrategy, ProducerType::Multi> ring(16);
  const std::int64_t high = ring.next(5);  // 0..4
  ring.publish(3);
  ring.publish(4);
  ring.publish(0);
  CHECK(ring.sequencer().highestPublished(0, high) == 0);
  ring.publish(1);
  ring.publish(2);
  CHECK(ring.sequencer().highestPublished(0, high) == 4);
}

namespace {
/// Checks that each producer's values arrive complete and in order.
struct PerProducerOrder {
  static constexpr int kProducers = 4;
  std::array<std::int64_t, kProducers> next{};
  std::int64_t outOfOrder = 0;
  std::int64_t total = 0;
  void onEvent(Event& e, std::int64_t, bool) {
    if (e.producer < 0 || e.producer >= kProducers || e.value != next[e.producer]) ++outOfOrder;
    if (e.producer >= 0 && e.producer < kProducers) next[e.producer] = e.value + 1;
    ++total;
  }
};

template <class Wait>
void fourProducersIntoOneConsumer() {
  const std::int64_t perProducer = test::scaled(1'000'000, 20'000);
  using Ring = RingBuffer<Event, Wait, ProducerType::Multi>;
  Ring ring(1024);
  PerProducerOrder check;
  BatchEventProcessor<Ring, PerProducerOrder&> processor(ring, ring.newBarrier(), check);
  ring.addGatingSequences(processor.getSequence());
  test::ProcessorThread consumer(processor);

  // A producer left waiting on a full ring (a consumer that stopped) is woken
  // by halting the ring, so a failed REQUIRE below never leaves one joinable.
  std::deque<test::BoundedThread> producers;
  for (int p = 0; p < PerProducerOrder::kProducers; ++p)
    producers.emplace_back(
        "a producer publishing its events",
        [&ring, p, perProducer] {
          for (std::int64_t i = 0; i < perProducer; ++i)
            ring.publishEvent(
                [](Event& e, std::int64_t, int producer, std::int64_t value) { e.producer = producer, e.value = value; }, p, i);
        },
        [&ring] { ring.sequencer().halt(HaltCause::Halted); });
  for (std::size_t p = 0; p < producers.size(); ++p) {
    REQUIRE_EVENTUALLY(producers[p].finished(), "producer " << p << " to publish its " << perProducer << " events");
    producers[p].join();
  }
  const std::int64_t last = PerProducerOrder::kProducers * perProducer - 1;
  REQUIRE_EVENTUALLY(processor.getSequence().get() == last, "the consumer to handle every event");
  consumer.stop();
  CHECK(check.total == last + 1);
  CHECK(check.outOfOrder == 0);
  for (std::int64_t n : check.next) CHECK(n == perProducer);
}
}  // namespace

TEST_CASE("4 producers x 1M events through 1024 slots arrive complete and in order (yielding)") {
  fourProducersIntoOneConsumer<YieldingWaitStrategy>();
}

TEST_CASE("4 producers x 1M events through 1024 slots arrive complete and in order (blocking)") {
  fourProducersIntoOneConsumer<BlockingWaitStrategy>();
}
