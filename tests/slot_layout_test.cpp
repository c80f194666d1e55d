// Stamped slots: each publish stamps the slot it began at with its last
// sequence, a caught-up handler waits on that stamp alone, and every other
// wait still watches the cursor. Events arrive as in a Packed ring.
#include <doctest/doctest.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

#include "disruptor/disruptor.hpp"
#include "test_support.hpp"

using namespace disruptor;

namespace {
struct Event {
  std::int64_t value = 0;
};

template <class W>
using StampedRing = RingBuffer<Event, W, ProducerType::Single, SlotLayout::Stamped>;

static_assert(sizeof(detail::StampedSlot<Event>) == 16, "an 8-byte event and its stamp: four slots to a line");
static_assert(std::is_same_v<StampedRing<BlockingWaitStrategy>::SlotType, detail::StampedSlot<Event>>);
static_assert(std::is_same_v<RingBuffer<Event, BlockingWaitStrategy, ProducerType::Single>::SlotType, Event>,
              "Packed, the default, stores the events alone");

// Waits on `barrier` for `sequence` on its own thread, keeping what it returned.
struct Waiter {
  std::atomic<int> tid{0};
  std::atomic<std::int64_t> returned{-100};
  test::BoundedThread thread;
  template <class Barrier>
  Waiter(Barrier& barrier, std::int64_t sequence)
      : thread(
            "a handler waiting on a Stamped ring's barrier",
            [this, &barrier, sequence] {
              tid = test::currentTid();
              returned = barrier.waitFor(sequence);
            },
            [&barrier] { barrier.alert(); }) {}
  // Until the waiter is parked: a publish after this finds it inside waitFor.
  void requireParked() {
    REQUIRE_EVENTUALLY(tid.load() != 0, "the waiter to start");
    REQUIRE_EVENTUALLY(test::threadState(tid.load()) == 'S' || thread.finished(), "the waiter to park");
    REQUIRE_FALSE(thread.finished());
  }
};
}  // namespace

TEST_CASE("a Stamped ring stamps the slot each publish began at with the publish's last sequence") {
  StampedRing<BlockingWaitStrategy> ring(16);
  auto& sequencer = ring.sequencer();
  CHECK(sequencer.publishedFrom(0) < 0);

  ring.publishEvent([](Event& e, std::int64_t s) { e.value = s; });
  CHECK(sequencer.publishedFrom(0) == 0);

  const std::int64_t high = ring.next(5);  // 1..5, one publish
  ring.publish(high - 4, high);
  CHECK(sequencer.publishedFrom(1) == 5);
  for (std::int64_t s = 2; s <= 5; ++s) CHECK_MESSAGE(sequencer.publishedFrom(s) < s, "slot " << s << " is inside the publish");

  ring.next(2);  // 6..7, published by the one-argument form: it begins after the cursor
  ring.publish(7);
  CHECK(sequencer.publishedFrom(6) == 7);

  const std::array<std::int64_t, 3> values{10, 20, 30};
  ring.publishEvents([](Event& e, std::int64_t, std::int64_t v) { e.value = v; }, values);  // 8..10
  CHECK(sequencer.publishedFrom(8) == 10);

  // A lap later the old stamps are below every sequence of the new lap.
  for (std::int64_t s = 11; s < 16; ++s) ring.publishEvent([](Event&, std::int64_t) {});
  CHECK(sequencer.publishedFrom(16) < 16);
  CHECK(sequencer.publishedFrom(17) < 17);
  CHECK(ring.get(9).value == 20);
}

TEST_CASE("a caught-up handler of a Stamped ring is released by the next publish, with all of it") {
  StampedRing<BlockingWaitStrategy> ring(16);
  ring.publishEvent([](Event&, std::int64_t) {});  // 0
  auto barrier = ring.newBarrier();
  Waiter waiter(*barrier, 1);  // the cursor is 0: caught up
  waiter.requireParked();
  const std::int64_t high = ring.next(4);  // 1..4
  for (std::int64_t s = 1; s <= high; ++s) ring.get(s).value = s;
  ring.publish(1, high);
  waiter.thread.join();
  CHECK(waiter.returned.load() == 4);
}

TEST_CASE("a handler of a Stamped ring waiting past the next sequence watches the cursor") {
  // Only the first slot of a publish is stamped: a wait for a later slot
  // that watched its stamp would never end.
  StampedRing<BlockingWaitStrategy> ring(16);
  auto barrier = ring.newBarrier();
  Waiter waiter(*barrier, 2);  // the cursor is -1
  waiter.requireParked();
  ring.publish(0, ring.next(4));  // 0..3: only slot 0 is stamped
  waiter.thread.join();
  CHECK(waiter.returned.load() == 3);
}

TEST_CASE("moving a Stamped ring's cursor back forgets the stamps past it") {
  StampedRing<BlockingWaitStrategy> ring(16);
  for (int i = 0; i < 10; ++i) ring.publishEvent([](Event& e, std::int64_t s) { e.value = s; });
  ring.resetTo(3);
  CHECK(ring.sequencer().publishedFrom(4) < 4);
  auto barrier = ring.newBarrier();
  Waiter waiter(*barrier, 4);  // caught up at the new cursor: slot 4's old stamp must not release it
  waiter.requireParked();
  ring.publishEvent([](Event& e, std::int64_t) { e.value = 40; });
  waiter.thread.join();
  CHECK(waiter.returned.load() == 4);
  CHECK(ring.get(4).value == 40);
}

TEST_CASE("the DSL runs a graph over a Stamped ring, every publish form, every event in order") {
  struct Order {
    std::int64_t id = 0;
    bool journalled = false, replicated = false;
  };
  std::int64_t matched = 0, wrong = 0, next = 0;
  Disruptor<Order, BlockingWaitStrategy, ProducerType::Single, SlotLayout::Stamped> d(8);  // laps every 8
  d.handleEventsWith([](Order& o, std::int64_t, bool) { o.journalled = true; },
                     [](Order& o, std::int64_t, bool) { o.replicated = true; })
      .then([&](Order& o, std::int64_t sequence, bool) {
        wrong += o.id != sequence || sequence != next || !o.journalled || !o.replicated;
        next = sequence + 1, ++matched;
      });
  auto& ring = d.start();
  const auto fill = [](Order& o, std::int64_t sequence) { o = Order{sequence}; };
  const std::int64_t rounds = test::scaled(20'000, 500);
  for (std::int64_t round = 0; round < rounds; ++round) {
    ring.publishEvent(fill);
    const std::int64_t high = ring.next(3);
    for (std::int64_t s = high - 2; s <= high; ++s) fill(ring.get(s), s);
    ring.publish(high - 2, high);
    const std::int64_t one = ring.next();
    fill(ring.get(one), one);
    ring.publish(one);
    const std::array<int, 2> two{};
    ring.publishEvents([&](Order& o, std::int64_t s, int) { fill(o, s); }, two);
    while (!ring.tryPublishEvent(fill)) std::this_thread::yield();
  }
  d.shutdown();
  CHECK(matched == rounds * 8);
  CHECK(wrong == 0);
}

TEST_CASE("an event poller reads a Stamped ring") {
  StampedRing<YieldingWaitStrategy> ring(8);
  auto poller = ring.newPoller();
  ring.addGatingSequences(poller.getSequence());
  std::vector<std::int64_t> seen;
  for (std::int64_t round = 0; round < 3; ++round) {
    for (int i = 0; i < 5; ++i) ring.publishEvent([](Event& e, std::int64_t s) { e.value = s * 10; });
    poller.poll([&](Event& e, std::int64_t, bool) {
      seen.push_back(e.value);
      return true;
    });
  }
  REQUIRE(seen.size() == 15);
  for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == static_cast<std::int64_t>(i) * 10);
}
