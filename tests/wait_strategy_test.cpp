// Every wait strategy moves events between two threads; the blocking ones
// really park and are woken by the publish; the timeout ones call onTimeout.
#include <doctest/doctest.h>

#include "disruptor/disruptor.hpp"
#include "test_support.hpp"

using namespace disruptor;
using namespace std::chrono_literals;

namespace {
struct Event {
  std::int64_t value = 0;
};

/// Sums values, checks order, and records its thread for inspection.
struct Summer {
  std::atomic<int> tid{0};
  std::int64_t sum = 0;
  std::int64_t misordered = 0;
  std::int64_t expected = 0;
  void onStart() { tid = test::currentTid(); }
  void onEvent(Event& e, std::int64_t sequence, bool) {
    if (e.value != sequence || sequence != expected) ++misordered;
    expected = sequence + 1;
    sum += e.value;
  }
};

template <class Wait>
Wait makeStrategy() {
  if constexpr (std::is_same_v<Wait, TimeoutBlockingWaitStrategy> || std::is_same_v<Wait, LiteTimeoutBlockingWaitStrategy>)
    return Wait(1ms);
  else if constexpr (requires { Wait(1us, 1us); })
    return Wait(10us, 50us);
  else
    return Wait{};
}

template <class Wait, ProducerType P, SlotLayout L = SlotLayout::Packed>
void moveEventsBetweenTwoThreads() {
  using Ring = RingBuffer<Event, Wait, P, L>;
  Ring ring([] { return Event{}; }, 64, makeStrategy<Wait>());
  Summer summer;
  BatchEventProcessor<Ring, Summer&> processor(ring, ring.newBarrier(), summer);
  ring.addGatingSequences(processor.getSequence());
  test::ProcessorThread consumer(processor);

  const std::int64_t n = test::scaled(200'000, 5'000);
  for (std::int64_t i = 0; i < n; ++i) ring.publishEvent([](Event& e, std::int64_t s) { e.value = s; });
  REQUIRE_EVENTUALLY(processor.getSequence().get() == n - 1, "the consumer to handle every event");
  consumer.stop();
  CHECK(summer.sum == n * (n - 1) / 2);
  CHECK(summer.misordered == 0);
}
}  // namespace

TEST_CASE_TEMPLATE("every wait strategy moves every event, in order, between two threads", Wait, BusySpinWaitStrategy,
                   YieldingWaitStrategy, SleepingWaitStrategy, BlockingWaitStrategy, LiteBlockingWaitStrategy,
                   TimeoutBlockingWaitStrategy, LiteTimeoutBlockingWaitStrategy,
                   PhasedBackoffWaitStrategy<BlockingWaitStrategy>, PhasedBackoffWaitStrategy<LiteBlockingWaitStrategy>,
                   PhasedBackoffWaitStrategy<SleepingWaitStrategy>) {
  SUBCASE("one producer") { moveEventsBetweenTwoThreads<Wait, ProducerType::Single>(); }
  // A caught-up handler waits on the stamp of the slot it needs, not on the cursor.
  SUBCASE("one producer, stamped slots") {
    moveEventsBetweenTwoThreads<Wait, ProducerType::Single, SlotLayout::Stamped>();
  }
  // Blocking strategies take a multi-producer ring's signals at claim time, not at publish time.
  SUBCASE("the multi-producer sequencer") { moveEventsBetweenTwoThreads<Wait, ProducerType::Multi>(); }
}

namespace {
template <class Ring>
void parkAndWake() {
  Ring ring([] { return Event{}; }, 16, makeStrategy<typename Ring::SequencerType::WaitStrategyType>());
  Summer summer;
  BatchEventProcessor<Ring, Summer&> processor(ring, ring.newBarrier(), summer);
  ring.addGatingSequences(processor.getSequence());
  test::ProcessorThread consumer(processor);

  REQUIRE_EVENTUALLY(summer.tid.load() != 0, "the handler to start");
  for (int round = 0; round < 3; ++round) {
    REQUIRE_EVENTUALLY(test::threadState(summer.tid.load()) == 'S', "the idle handler to park (round " << round << ")");
    ring.publishEvent([](Event& e, std::int64_t s) { e.value = s; });
    REQUIRE_EVENTUALLY(processor.getSequence().get() == round, "the publish to wake the parked handler (round " << round << ")");
  }
}
}  // namespace

TEST_CASE_TEMPLATE("a blocking strategy parks an idle handler and the next publish wakes it", Wait, BlockingWaitStrategy,
                   LiteBlockingWaitStrategy, PhasedBackoffWaitStrategy<LiteBlockingWaitStrategy>) {
  SUBCASE("many producers") { parkAndWake<RingBuffer<Event, Wait, ProducerType::Multi>>(); }
  // Parked on the stamp of the slot it needs: the publish's signal comes after the stamp.
  SUBCASE("one producer, stamped slots") {
    parkAndWake<RingBuffer<Event, Wait, ProducerType::Single, SlotLayout::Stamped>>();
  }
}

namespace {
struct TimeoutCounter {
  std::atomic<int> timeouts{0};
  std::atomic<std::int64_t> lastSequence{-100};
  void onEvent(Event&, std::int64_t, bool) {}
  void onTimeout(std::int64_t sequence) {
    lastSequence = sequence;
    ++timeouts;
  }
};
}  // namespace

TEST_CASE_TEMPLATE("a timeout strategy calls onTimeout with the handler's sequence while nothing arrives", Wait,
                   TimeoutBlockingWaitStrategy, LiteTimeoutBlockingWaitStrategy) {
  using Ring = RingBuffer<Event, Wait, ProducerType::Single>;
  Ring ring([] { return Event{}; }, 16, Wait(2ms));
  TimeoutCounter counter;
  BatchEventProcessor<Ring, TimeoutCounter&> processor(ring, ring.newBarrier(), counter);
  ring.addGatingSequences(processor.getSequence());
  test::ProcessorThread consumer(processor);

  REQUIRE_EVENTUALLY(counter.timeouts.load() >= 3, "onTimeout to be called while the ring is idle");
  CHECK(counter.lastSequence.load() == -1);
  ring.publishEvent([](Event&, std::int64_t) {});
  REQUIRE_EVENTUALLY(counter.lastSequence.load() == 0, "onTimeout to report the new sequence after an event");
}

TEST_CASE("a timeout strategy does not make a producer on a full ring give up") {
  using Ring = RingBuffer<Event, LiteTimeoutBlockingWaitStrategy, ProducerType::Single>;
  Ring ring([] { return Event{}; }, 2, LiteTimeoutBlockingWaitStrategy(1ms));
  Sequence consumer;
  ring.addGatingSequences(consumer);
  ring.publish(ring.next(2));
  std::atomic<int> producerTid{0};
  std::atomic<std::int64_t> claimed{-1};
  test::BoundedThread producer(
      "a producer in next() on a full ring",
      [&] {
        producerTid = test::currentTid();
        claimed = ring.next();
      },
      [&] { ring.sequencer().halt(HaltCause::Halted); });
  REQUIRE_EVENTUALLY(producerTid.load() != 0, "the producer thread to start");
  const int tid = producerTid.load();
  REQUIRE_EVENTUALLY(test::threadState(tid) == 'S', "the producer to park in next() on the full ring");
  // Each 1 ms wait that times out ends a park: three more voluntary switches
  // are three timeouts (nothing signals the ring meanwhile) after which the
  // producer parked again instead of giving up.
  const long parks = test::voluntaryContextSwitches(tid);
  REQUIRE(parks >= 0);
  REQUIRE_EVENTUALLY(test::voluntaryContextSwitches(tid) >= parks + 3 || producer.finished(),
                     "several of the strategy's timeouts to pass");
  CHECK(claimed.load() == -1);
  REQUIRE_FALSE(producer.finished());
  consumer.set(0);
  ring.signalProgress();  // a gating sequence of our own: moving it is ours to signal
  REQUIRE_EVENTUALLY(claimed.load() == 2, "the producer to claim once space was released");
  producer.join();
}

template <class W, ProducerType P>
struct StrategyOn {
  using Wait = W;
  static constexpr ProducerType kProducerType = P;
};

TEST_CASE_TEMPLATE("blocking strategies lose no wake-up over thousands of park and wake cycles", Combo,
                   StrategyOn<BlockingWaitStrategy, ProducerType::Single>,
                   StrategyOn<LiteBlockingWaitStrategy, ProducerType::Single>,
                   StrategyOn<BlockingWaitStrategy, ProducerType::Multi>,
                   StrategyOn<LiteBlockingWaitStrategy, ProducerType::Multi>) {
  // Two rings bounce one event back and forth: every hop finds its handler
  // idle, so each round trip is two parks and two wakes. A lost wake-up hangs.
  using D = Disruptor<Event, typename Combo::Wait, Combo::kProducerType>;
  const std::int64_t roundTrips = test::scaled(20'000, 2'000);
  std::atomic<std::int64_t> returned{0};
  typename D::RingBufferType* rings[2] = {nullptr, nullptr};
  auto echo = [&rings](Event& e, std::int64_t, bool) {
    rings[1]->publishEvent([](Event& out, std::int64_t, std::int64_t v) { out.value = v; }, e.value);
  };
  auto reply = [&](Event& e, std::int64_t, bool) {
    returned.store(e.value + 1, std::memory_order_release);
    if (e.value + 1 < roundTrips)
      rings[0]->publishEvent([](Event& out, std::int64_t, std::int64_t v) { out.value = v; }, e.value + 1);
  };
  D ping(16), pong(16);
  ping.handleEventsWith(echo);
  pong.handleEventsWith(reply);
  rings[0] = &ping.start();
  rings[1] = &pong.start();
  rings[0]->publishEvent([](Event& out, std::int64_t) { out.value = 0; });
  REQUIRE_EVENTUALLY(returned.load() == roundTrips, "every round trip to complete (got " << returned.load() << ")");
  ping.halt();
  pong.halt();
}
