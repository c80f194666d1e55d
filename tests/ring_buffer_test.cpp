// The ring buffer and its sequencers, driven from the test thread: claims,
// publishes, gating and capacity, with both producer types.
#include <doctest/doctest.h>

#include <array>
#include <string>
#include <thread>
#include <vector>

#include "disruptor/ring_buffer.hpp"
#include "disruptor/yielding_wait_strategy.hpp"
#include "test_support.hpp"

using namespace disruptor;

namespace {
struct Event {
  std::int64_t value = -1;
  std::int64_t a = 0, b = 0, c = 0;
};

template <ProducerType P>
using Ring = RingBuffer<Event, YieldingWaitStrategy, P>;

/// A ring of 4 gated by one consumer that has handled nothing, with all 4 slots published.
template <ProducerType P>
struct FullRing {
  Ring<P> ring{4};
  Sequence consumer;
  FullRing() {
    ring.addGatingSequences(consumer);
    for (int i = 0; i < 4; ++i) ring.publish(ring.next());
  }
};
}  // namespace

TEST_CASE_TEMPLATE("claims and publishes keep their values across many wrap-arounds", Producer,
                   std::integral_constant<ProducerType, ProducerType::Single>,
                   std::integral_constant<ProducerType, ProducerType::Multi>) {
  Ring<Producer::value> ring(8);
  Sequence consumer;
  ring.addGatingSequences(consumer);
  for (std::int64_t expected = 0; expected < 100; ++expected) {
    const std::int64_t sequence = ring.next();
    CHECK(sequence == expected);
    ring.get(sequence).value = expected * 10;
    ring.publish(sequence);
    CHECK(ring.isAvailable(sequence));
    CHECK(ring[sequence].value == expected * 10);
    consumer.set(sequence);  // the consumer keeps up, so the producer never waits
  }
  CHECK(ring.cursor() == 99);
  CHECK(ring.get(99).value == 990);
  CHECK(&ring.get(99) == &ring.get(99 - 8));  // same slot, one lap apart
}

TEST_CASE_TEMPLATE("a producer never overwrites a slot a gating sequence has not passed", Producer,
                   std::integral_constant<ProducerType, ProducerType::Single>,
                   std::integral_constant<ProducerType, ProducerType::Multi>) {
  FullRing<Producer::value> full;
  auto& [ring, consumer] = full;

  CHECK_FALSE(ring.hasAvailableCapacity(1));
  CHECK_THROWS_AS(ring.tryNext(), InsufficientCapacityException);

  std::atomic<bool> claiming{false};
  std::atomic<std::int64_t> claimed{-1};
  test::BoundedThread producer(
      "a producer in next() on a full ring",
      [&] {
        claiming = true;
        claimed = ring.next();
      },
      [&] { ring.sequencer().halt(HaltCause::Halted); });
  REQUIRE_EVENTUALLY(claiming.load(), "the producer thread to start its claim");
  // A window for a broken gate to show: the claim must not complete while slot 0 is unconsumed.
  const auto window = std::chrono::steady_clock::now() + std::chrono::milliseconds(20);
  while (std::chrono::steady_clock::now() < window) REQUIRE(claimed.load() == -1);
  consumer.set(0);
  REQUIRE_EVENTUALLY(claimed.load() == 4, "the producer to claim sequence 4 once slot 0 was released");
  producer.join();
  ring.publish(4);
}

TEST_CASE_TEMPLATE("remainingCapacity counts the slots not yet passed by every gating sequence", Producer,
                   std::integral_constant<ProducerType, ProducerType::Single>,
                   std::integral_constant<ProducerType, ProducerType::Multi>) {
  Ring<Producer::value> ring(16);
  Sequence slow, fast;
  ring.addGatingSequences(slow, fast);
  CHECK(ring.remainingCapacity() == 16);
  const auto high = ring.next(10);
  ring.publish(high - 9, high);
  CHECK(ring.remainingCapacity() == 6);
  fast.set(9);
  CHECK(ring.remainingCapacity() == 6);  // the slowest decides
  slow.set(3);
  CHECK(ring.remainingCapacity() == 10);
  CHECK(ring.getMinimumGatingSequence() == 3);
}

TEST_CASE_TEMPLATE("tryNext throws InsufficientCapacityException when the ring is full", Producer,
                   std::integral_constant<ProducerType, ProducerType::Single>,
                   std::integral_constant<ProducerType, ProducerType::Multi>) {
  Ring<Producer::value> ring(4);
  Sequence consumer;
  ring.addGatingSequences(consumer);
  CHECK(ring.tryNext(3) == 2);
  CHECK(ring.tryNext() == 3);
  CHECK_THROWS_AS(ring.tryNext(), InsufficientCapacityException);
  CHECK_THROWS_AS(ring.tryNext(2), InsufficientCapacityException);
  CHECK(ring.cursor() >= -1);
  consumer.set(1);  // two slots freed
  CHECK_THROWS_AS(ring.tryNext(3), InsufficientCapacityException);
  CHECK(ring.tryNext(2) == 5);
  CHECK_FALSE(ring.hasAvailableCapacity(1));
}

TEST_CASE_TEMPLATE("after resetTo an earlier sequence, claims are gated afresh, not by what was seen before", Producer,
                   std::integral_constant<ProducerType, ProducerType::Single>,
                   std::integral_constant<ProducerType, ProducerType::Multi>) {
  FullRing<Producer::value> full;
  auto& [ring, consumer] = full;
  consumer.set(3);  // everything consumed: the producer may run to 7
  for (int i = 0; i < 4; ++i) ring.publish(ring.next());
  consumer.set(7);
  CHECK(ring.tryNext() == 8);  // the producer has now seen the consumer at 7

  // Recovery: the ring and its consumer both go back to the start.
  ring.resetTo(-1);
  consumer.set(-1);
  for (std::int64_t expected = 0; expected < 4; ++expected) CHECK(ring.tryNext() == expected);
  CHECK_THROWS_AS(ring.tryNext(), InsufficientCapacityException);  // slot 0 is not consumed on this lap
  CHECK(ring.remainingCapacity() == 0);
}

TEST_CASE_TEMPLATE("next(n) refuses n below 1 or above the buffer size, naming the mistake", Producer,
                   std::integral_constant<ProducerType, ProducerType::Single>,
                   std::integral_constant<ProducerType, ProducerType::Multi>) {
  Ring<Producer::value> ring(8);
  CHECK_THROWS_WITH_AS(ring.next(0), "next(n): n must be between 1 and the buffer size 8, got 0", std::invalid_argument);
  CHECK_THROWS_WITH_AS(ring.next(-3), "next(n): n must be between 1 and the buffer size 8, got -3", std::invalid_argument);
  CHECK_THROWS_WITH_AS(ring.next(9), "next(n): n must be between 1 and the buffer size 8, got 9", std::invalid_argument);
  CHECK_THROWS_AS(ring.tryNext(0), std::invalid_argument);
  CHECK(ring.next(8) == 7);
}

TEST_CASE("a buffer size that is zero or not a power of two is refused, naming the mistake") {
  CHECK_THROWS_WITH_AS(Ring<ProducerType::Single>(0), "bufferSize must be a power of two greater than zero, got 0",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(Ring<ProducerType::Multi>(1000), "bufferSize must be a power of two greater than zero, got 1000",
                       std::invalid_argument);
  CHECK_NOTHROW(Ring<ProducerType::Single>(1));
}

TEST_CASE("the factory builds every slot once, before any claim") {
  int built = 0;
  RingBuffer<Event, YieldingWaitStrategy, ProducerType::Single> ring(
      [&] {
        ++built;
        return Event{built, 0, 0, 0};
      },
      32);
  CHECK(built == 32);
  CHECK(ring.get(0).value == 1);
  CHECK(ring.get(31).value == 32);
}

TEST_CASE("publishEvent passes the slot, its sequence and 0 to 3 arguments to the translator") {
  Ring<ProducerType::Single> ring(8);
  ring.publishEvent([](Event& e, std::int64_t sequence) { e.value = sequence + 100; });
  ring.publishEvent([](Event& e, std::int64_t, std::int64_t a) { e.a = a; }, 7);
  ring.publishEvent([](Event& e, std::int64_t, std::int64_t a, std::int64_t b) { e.a = a, e.b = b; }, 1, 2);
  ring.publishEvent([](Event& e, std::int64_t, int a, long b, const std::string& c) { e.a = a, e.b = b, e.c = std::ssize(c); },
                    4, 5L, std::string("six"));
  CHECK(ring.cursor() == 3);
  CHECK(ring.get(0).value == 100);
  CHECK(ring.get(1).a == 7);
  CHECK((ring.get(2).a == 1 && ring.get(2).b == 2));
  CHECK((ring.get(3).a == 4 && ring.get(3).b == 5 && ring.get(3).c == 3));
}

TEST_CASE("a translator that throws still publishes its slot, then the exception propagates") {
  Ring<ProducerType::Multi> ring(8);
  CHECK_THROWS_AS(ring.publishEvent([](Event&, std::int64_t) { throw std::runtime_error("bad input"); }), std::runtime_error);
  CHECK(ring.isAvailable(0));  // nothing behind it can stall
}

TEST_CASE_TEMPLATE("publishEvents makes one claim for the whole batch", Producer,
                   std::integral_constant<ProducerType, ProducerType::Single>,
                   std::integral_constant<ProducerType, ProducerType::Multi>) {
  Ring<Producer::value> ring(8);
  Sequence consumer;
  ring.addGatingSequences(consumer);
  ring.publishEvent([](Event& e, std::int64_t) { e.value = 0; });
  const std::array<std::int64_t, 3> as{10, 20, 30};
  const std::vector<int> bs{1, 2, 3};
  // What the ring shows while each event of the batch is filled: one claim of
  // 3 has taken all three slots before the first is filled; 3 claims of 1
  // would show one slot taken per event.
  std::vector<std::int64_t> capacityWhileFilling, cursorWhileFilling;
  ring.publishEvents(
      [&](Event& e, std::int64_t, std::int64_t a, int b) {
        capacityWhileFilling.push_back(ring.remainingCapacity());
        cursorWhileFilling.push_back(ring.cursor());
        e.a = a, e.b = b;
      },
      as, bs);
  CHECK(capacityWhileFilling == std::vector<std::int64_t>{4, 4, 4});  // 8 - 1 - 3 from the first event on
  if constexpr (Producer::value == ProducerType::Single)
    CHECK(cursorWhileFilling == std::vector<std::int64_t>{0, 0, 0});  // published together, after the last is filled
  else
    CHECK(cursorWhileFilling == std::vector<std::int64_t>{3, 3, 3});  // the claim moved the cursor by 3 at once
  CHECK(ring.cursor() == 3);
  for (std::int64_t s = 1; s <= 3; ++s) {
    CHECK(ring.get(s).a == as[s - 1]);
    CHECK(ring.get(s).b == bs[s - 1]);
  }
  CHECK_THROWS_AS(ring.publishEvents([](Event&, std::int64_t, int) {}, std::vector<int>(9)), std::invalid_argument);
  CHECK_THROWS_AS(ring.publishEvents([](Event&, std::int64_t, std::int64_t, int) {}, as, std::vector<int>(2)),
                  std::invalid_argument);
  // A batch that does not fit is refused whole by the try form.
  CHECK_FALSE(ring.tryPublishEvents([](Event&, std::int64_t, int) {}, std::vector<int>(5)));
  CHECK(ring.cursor() == 3);
  capacityWhileFilling.clear();
  cursorWhileFilling.clear();
  CHECK(ring.tryPublishEvents(
      [&](Event& e, std::int64_t, int v) {
        capacityWhileFilling.push_back(ring.remainingCapacity());
        cursorWhileFilling.push_back(ring.cursor());
        e.value = v;
      },
      std::vector<int>{7, 8, 9, 10}));
  CHECK(capacityWhileFilling == std::vector<std::int64_t>{0, 0, 0, 0});  // all four slots taken by one claim
  if constexpr (Producer::value == ProducerType::Single)
    CHECK(cursorWhileFilling == std::vector<std::int64_t>{3, 3, 3, 3});
  else
    CHECK(cursorWhileFilling == std::vector<std::int64_t>{7, 7, 7, 7});
  CHECK(ring.cursor() == 7);
  CHECK(ring.get(7).value == 10);
}

TEST_CASE_TEMPLATE("tryPublishEvent returns false when full and publishes nothing", Producer,
                   std::integral_constant<ProducerType, ProducerType::Single>,
                   std::integral_constant<ProducerType, ProducerType::Multi>) {
  Ring<Producer::value> ring(2);
  Sequence consumer;
  ring.addGatingSequences(consumer);
  CHECK(ring.tryPublishEvent([](Event& e, std::int64_t s, int v) { e.value = s * v; }, 2));
  CHECK(ring.tryPublishEvent([](Event& e, std::int64_t s, int v) { e.value = s * v; }, 2));
  CHECK_FALSE(ring.tryPublishEvent([](Event& e, std::int64_t, int) { e.value = 99; }, 2));
  CHECK(ring.get(0).value == 0);  // the refused event did not touch slot 0
  CHECK(ring.get(1).value == 2);
  consumer.set(0);
  CHECK(ring.tryPublishEvent([](Event& e, std::int64_t, int v) { e.value = v; }, 5));
  CHECK(ring.get(2).value == 5);
}

TEST_CASE("a removed gating sequence no longer holds the producer back") {
  Ring<ProducerType::Single> ring(4);
  Sequence stuck;
  ring.addGatingSequences(stuck);
  for (int i = 0; i < 4; ++i) ring.publish(ring.next());
  CHECK_FALSE(ring.hasAvailableCapacity(1));
  CHECK(ring.removeGatingSequence(stuck));
  CHECK_FALSE(ring.removeGatingSequence(stuck));
  CHECK(ring.hasAvailableCapacity(4));
}

TEST_CASE("a gating sequence added later starts at the cursor, not in the past") {
  Ring<ProducerType::Single> ring(4);
  for (int i = 0; i < 3; ++i) ring.publish(ring.next());
  Sequence late;
  ring.addGatingSequences(late);
  CHECK(late.get() == 2);
  CHECK(ring.remainingCapacity() == 4);
}

TEST_CASE("a halted ring refuses claims and wakes a producer waiting for space") {
  Ring<ProducerType::Multi> ring(2);
  Sequence consumer;
  ring.addGatingSequences(consumer);
  ring.publish(ring.next(2) - 1, 1);
  std::atomic<bool> claiming{false};
  std::atomic<bool> threw{false};
  test::BoundedThread producer("a producer in next() on a full ring", [&] {
    claiming = true;
    try {
      (void)ring.next();
    } catch (const HaltedException&) {
      threw = true;
    }
  });
  REQUIRE_EVENTUALLY(claiming.load(), "the producer thread to start its claim");
  CHECK_FALSE(threw.load());  // the ring is full, not halted: the producer waits
  ring.sequencer().halt(HaltCause::Failed);
  REQUIRE_EVENTUALLY(threw.load(), "the waiting producer to be woken with HaltedException");
  producer.join();
  CHECK_THROWS_WITH_AS(ring.next(), "cannot publish: a handler failed fatally and halted the Disruptor (see error())",
                       HaltedException);
}

TEST_CASE("a halted single-producer ring refuses publishEvent on its quick claim too") {
  Ring<ProducerType::Single> ring{64};
  ring.publishEvent([](Event& e, std::int64_t) { e.value = 1; });  // past the first mark: the next claim is quick
  ring.sequencer().halt(HaltCause::Halted);
  CHECK_THROWS_AS(ring.publishEvent([](Event& e, std::int64_t) { e.value = 2; }), HaltedException);
  CHECK(ring.sequencer().cursor() == 0);
}

namespace {
struct Word {
  std::int64_t value = -1;  // every byte 0xFF: a take that wrote anything else would show
};
}  // namespace

TEST_CASE("publishEvent's marks come once per two lines and offer only slots no handler may still read") {
  SingleProducerSequencer<YieldingWaitStrategy> sequencer(64);
  Sequence consumer;
  sequencer.addGatingSequences({&consumer});
  sequencer.setLineMarks(8, 2);
  struct Mark {
    std::int64_t sequence, ahead;
    bool operator==(const Mark&) const = default;
  };
  std::vector<Mark> marks;
  const auto claimUpTo = [&](std::int64_t last) {
    for (std::int64_t s = 0; sequencer.cursor() < last;) {
      if (!sequencer.tryNextQuick(s)) {
        std::int64_t ahead = 0;
        s = sequencer.nextPastMark(ahead);
        marks.push_back({s, ahead});
        // The offered span lies wholly past this claim and within one lap of the handler.
        if (ahead >= 0) CHECK((ahead > s && ahead + 16 - 1 <= consumer.get() + 64));
      }
      sequencer.publish(s);
    }
  };
  claimUpTo(63);  // the handler has read nothing: the span after 52 would reach 71, a slot it has yet to read
  CHECK(marks == std::vector<Mark>{{0, 8}, {20, 24}, {36, 40}, {52, -1}});
  marks.clear();
  consumer.set(31);
  claimUpTo(95);
  CHECK(marks == std::vector<Mark>{{64, 72}, {84, -1}});
}

namespace {
// One thread publishes the first events, then a second takes the ring over
// once it sees them published, as a handler sending the next request after
// main sent the first does. Nothing the first thread does after its last
// publish may touch a slot the second writes: ThreadSanitizer (test-tsan)
// reports it as a race, and a stale byte written back would corrupt the
// second thread's event. The events must arrive as published.
template <SlotLayout L>
void handOverBetweenPublishingThreads() {
  // Every count of first events up to two spans of marks, so that some
  // handover comes right after a publish at a line mark, whatever the slot size.
  for (std::int64_t first = 1; first <= 40; ++first) {
    RingBuffer<Word, YieldingWaitStrategy, ProducerType::Single, L> ring{64};
    Sequence consumer;
    ring.addGatingSequences(consumer);
    const auto fill = [](Word& e, std::int64_t, std::int64_t v) { e.value = v; };
    // Started first: a thread started after the publishes would be ordered after all of them.
    test::BoundedThread second("the second publishing thread", [&] {
      while (ring.cursor() < first - 1) std::this_thread::yield();  // the handover: the first thread's last publish, seen
      for (std::int64_t i = first; i < 64; ++i) ring.publishEvent(fill, i);
    });
    for (std::int64_t i = 0; i < first; ++i) ring.publishEvent(fill, i);
    second.join();
    for (std::int64_t s = 0; s < 64; ++s) CHECK_MESSAGE(ring.get(s).value == s, "slot " << s << ", handed over after " << first);
  }
}
}  // namespace

TEST_CASE("a single-producer ring passes from one publishing thread to another that has seen its last publish") {
  SUBCASE("packed") { handOverBetweenPublishingThreads<SlotLayout::Packed>(); }
  SUBCASE("stamped") { handOverBetweenPublishingThreads<SlotLayout::Stamped>(); }
}

TEST_CASE("publishEvent with one producer leaves the slots it takes ahead as they were, and delivers every event") {
  RingBuffer<Word, YieldingWaitStrategy, ProducerType::Single> ring{64};
  Sequence consumer;
  ring.addGatingSequences(consumer);
  for (std::int64_t i = 0; i < 40; ++i) ring.publishEvent([](Word& e, std::int64_t, std::int64_t v) { e.value = v; }, i);
  for (std::int64_t s = 0; s < 40; ++s) CHECK(ring.get(s).value == s);
  for (std::int64_t s = 40; s < 64; ++s) CHECK(ring.get(s).value == -1);
  consumer.set(39);
  for (std::int64_t i = 40; i < 104; ++i) ring.publishEvent([](Word& e, std::int64_t, std::int64_t v) { e.value = v; }, i);
  for (std::int64_t s = 40; s < 104; ++s) CHECK(ring.get(s).value == s);
}
