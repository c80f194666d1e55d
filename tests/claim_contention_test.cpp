// Producers racing for claims: a thread whose claims keep landing between
// another thread's, close together, steps aside once before its next claim,
// by its wait strategy's stepAside(); never while it holds an unpublished
// claim, never in a tryNext, never with BusySpinWaitStrategy.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <limits>
#include <thread>

#include "disruptor/busy_spin_wait_strategy.hpp"
#include "disruptor/detail/claim_contention.hpp"
#include "disruptor/dsl/disruptor.hpp"
#include "disruptor/lite_timeout_blocking_wait_strategy.hpp"
#include "disruptor/phased_backoff_wait_strategy.hpp"
#include "disruptor/ring_buffer.hpp"
#include "disruptor/sleeping_wait_strategy.hpp"
#include "disruptor/timeout_blocking_wait_strategy.hpp"
#include "disruptor/yielding_wait_strategy.hpp"
#include "test_support.hpp"

using namespace disruptor;

namespace {

constexpr std::uint64_t kForever = std::numeric_limits<std::uint64_t>::max();

/// Yields as YieldingWaitStrategy does, and counts each step aside.
struct CountingStrategy : YieldingWaitStrategy {
  std::atomic<int>* steps = nullptr;
  void stepAside() const noexcept { steps->fetch_add(1); }
};

using Ring = RingBuffer<std::int64_t, CountingStrategy, ProducerType::Multi>;

/// Claims and publishes one slot.
void publishOne(Ring& ring) { ring.publish(ring.next()); }

/// Runs `steps` on a thread of its own, whose claims no earlier test has seen.
template <class Steps>
void onFreshThread(Steps steps) {
  test::BoundedThread thread("a producer's scripted claims", steps);
  thread.join();
}

/// Another producer's claim, made and published between two of ours.
void claimFromAnotherThread(Ring& ring) {
  onFreshThread([&] { publishOne(ring); });
}

/// Two of our claims, each after another thread's: the next claim is then a race.
void interleaveTwice(Ring& ring) {
  publishOne(ring);
  claimFromAnotherThread(ring);
  publishOne(ring);
  claimFromAnotherThread(ring);
}

/// A ring whose strategy counts the steps aside, with the given window.
struct CountedRing {
  std::atomic<int> steps{0};
  Ring ring;
  explicit CountedRing(std::uint64_t window) : ring(64, CountingStrategy{{}, &steps}) {
    ring.sequencer().setContentionWindow(window);
  }
};

}  // namespace

TEST_CASE("two claims that each follow another thread's, within the window, ask to step aside once") {
  detail::ClaimContention contention;
  const int ring = 0;
  std::uint64_t clock = 1'000'000;
  const auto now = [&] { return clock; };
  contention.claimed(&ring, -1, 1, 100, now);  // first claim on this ring: starts afresh
  CHECK_FALSE(contention.takeStepAside(&ring));
  contention.claimed(&ring, 5, 1, 100, now);  // another thread took 1..5
  CHECK_FALSE(contention.takeStepAside(&ring));  // one interleaved claim is no race yet
  clock += 99;
  contention.claimed(&ring, 7, 1, 100, now);  // and 6, 99 ticks later
  CHECK(contention.highestClaimed() == 8);
  CHECK(contention.takeStepAside(&ring));
  CHECK_FALSE(contention.takeStepAside(&ring));  // once per race seen
}

TEST_CASE("claims with nobody else's between them, or further apart than the window, never ask") {
  detail::ClaimContention contention;
  const int ring = 0;
  std::uint64_t clock = 1'000'000;
  const auto now = [&] { return clock; };
  contention.claimed(&ring, -1, 4, 100, now);  // 0..3
  contention.claimed(&ring, 3, 4, 100, now);   // 4..7: straight after our own
  contention.claimed(&ring, 7, 1, 100, now);
  CHECK_FALSE(contention.takeStepAside(&ring));
  contention.claimed(&ring, 20, 1, 100, now);  // interleaved
  clock += 100;
  contention.claimed(&ring, 30, 1, 100, now);  // interleaved again, but a whole window later
  CHECK_FALSE(contention.takeStepAside(&ring));
  clock += 50;
  contention.claimed(&ring, 40, 1, 100, now);  // within the window of the last one
  contention.claimed(&ring, 41, 1, 100, now);  // then one straight after it: the race is over
  CHECK_FALSE(contention.takeStepAside(&ring));
}

TEST_CASE("a window of 0 never asks and never reads the clock; another ring starts afresh") {
  detail::ClaimContention contention;
  const int ring = 0, other = 0;
  int clockReads = 0;
  const auto now = [&] {
    ++clockReads;
    return std::uint64_t{5};
  };
  contention.claimed(&ring, -1, 1, 0, now);
  for (std::int64_t s = 10; s < 100; s += 10) contention.claimed(&ring, s, 1, 0, now);
  CHECK_FALSE(contention.takeStepAside(&ring));
  CHECK(clockReads == 0);

  contention.claimed(&ring, 200, 1, kForever, now);
  contention.claimed(&ring, 300, 1, kForever, now);
  contention.claimed(&other, 400, 1, kForever, now);  // a race on `ring` says nothing about `other`
  CHECK_FALSE(contention.takeStepAside(&other));
  CHECK_FALSE(contention.takeStepAside(&ring));
}

TEST_CASE("a producer whose claims race another thread's steps aside before its next claim") {
  std::atomic<int> steps{0};
  Ring ring(64, CountingStrategy{{}, &steps});
  ring.sequencer().setContentionWindow(kForever);  // any two interleaved claims are a race
  onFreshThread([&] {
    publishOne(ring);
    claimFromAnotherThread(ring);
    publishOne(ring);  // after the other thread's claim: interleaved
    CHECK(steps.load() == 0);
    claimFromAnotherThread(ring);
    publishOne(ring);  // interleaved again: a race
    CHECK(steps.load() == 0);
    publishOne(ring);  // steps aside first
    CHECK(steps.load() == 1);
    publishOne(ring);
    CHECK(steps.load() == 1);
  });
  CHECK(ring.cursor() == 6);
  CHECK(ring.sequencer().highestPublished(0, 6) == 6);
}

TEST_CASE("a producer claiming alone never steps aside, whatever the window") {
  CountedRing counted(kForever);
  auto& [steps, ring] = counted;
  onFreshThread([&] {
    for (int i = 0; i < 100; ++i) publishOne(ring);
    ring.publish(ring.next(10) - 9, ring.cursor());
  });
  CHECK(steps.load() == 0);
}

TEST_CASE("a racing producer holding an unpublished claim does not step aside") {
  CountedRing counted(kForever);
  auto& [steps, ring] = counted;
  onFreshThread([&] {
    interleaveTwice(ring);
    const std::int64_t held = ring.next();  // a race, and this claim is not published yet
    const std::int64_t after = ring.next();  // a handler would wait on `held` through a yield here
    CHECK(steps.load() == 0);
    ring.publish(held);
    ring.publish(after);
  });
  CHECK(steps.load() == 0);
}

TEST_CASE("tryNext never steps aside; the next claim that may wait does") {
  CountedRing counted(kForever);
  auto& [steps, ring] = counted;
  onFreshThread([&] {
    interleaveTwice(ring);
    publishOne(ring);  // a race
    ring.publish(ring.tryNext());
    CHECK(steps.load() == 0);
    claimFromAnotherThread(ring);
    ring.publish(ring.tryNext());
    claimFromAnotherThread(ring);
    ring.publish(ring.tryNext());  // a race seen by a try
    CHECK(steps.load() == 0);
    publishOne(ring);
    CHECK(steps.load() == 1);
  });
}

TEST_CASE("a window of 0 turns stepping aside off") {
  CountedRing counted(0);
  auto& [steps, ring] = counted;
  CHECK(ring.sequencer().contentionWindow() == 0);
  onFreshThread([&] {
    interleaveTwice(ring);
    interleaveTwice(ring);
    publishOne(ring);
  });
  CHECK(steps.load() == 0);
}

TEST_CASE("the strategies that yield or block step aside; busy spin does not") {
  CHECK_FALSE(kStepsAside<BusySpinWaitStrategy>);
  CHECK(kStepsAside<YieldingWaitStrategy>);
  CHECK(kStepsAside<SleepingWaitStrategy>);
  CHECK(kStepsAside<BlockingWaitStrategy>);
  CHECK(kStepsAside<LiteBlockingWaitStrategy>);
  CHECK(kStepsAside<TimeoutBlockingWaitStrategy>);
  CHECK(kStepsAside<LiteTimeoutBlockingWaitStrategy>);
  CHECK(kStepsAside<PhasedBackoffWaitStrategy<BusySpinWaitStrategy>>);
  CHECK(kStepsAside<PhasedBackoffWaitStrategy<BlockingWaitStrategy>>);
}

TEST_CASE("Options::stepAsideWhenClaimsRace sets a multi-producer ring's window") {
  Disruptor<std::int64_t, YieldingWaitStrategy, ProducerType::Multi> byDefault(64);
  CHECK(byDefault.getRingBuffer().sequencer().contentionWindow() == detail::kDefaultContentionWindow);
  CHECK(Options().stepAsideWhenClaimsRace);
  Disruptor<std::int64_t, YieldingWaitStrategy, ProducerType::Multi> off(
      64, {}, Options().withStepAsideWhenClaimsRace(false));
  CHECK(off.getRingBuffer().sequencer().contentionWindow() == 0);
}
