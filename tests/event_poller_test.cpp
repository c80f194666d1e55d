// The pull-style consumer reports Processing, Gating and Idle.
#include <doctest/doctest.h>

#include <vector>

#include "disruptor/event_poller.hpp"
#include "disruptor/ring_buffer.hpp"
#include "disruptor/yielding_wait_strategy.hpp"

using namespace disruptor;

namespace {
struct Event {
  std::int64_t value = 0;
};
using Ring = RingBuffer<Event, YieldingWaitStrategy, ProducerType::Multi>;
}  // namespace

TEST_CASE("a poller is Idle on an empty ring, then Processing once events are published") {
  Ring ring(8);
  auto poller = ring.newPoller();
  ring.addGatingSequences(poller.getSequence());
  std::vector<std::int64_t> seen;
  auto collect = [&](Event& e, std::int64_t, bool) { seen.push_back(e.value); };
  CHECK(poller.poll(collect) == PollState::Idle);
  for (int v : {10, 20, 30}) ring.publishEvent([](Event& e, std::int64_t, int x) { e.value = x; }, v);
  CHECK(poller.poll(collect) == PollState::Processing);
  CHECK(seen == std::vector<std::int64_t>{10, 20, 30});
  CHECK(poller.getSequence().get() == 2);
  CHECK(poller.poll(collect) == PollState::Idle);
}

TEST_CASE("a poller after an upstream sequence reports Gating until the upstream passes") {
  Ring ring(8);
  Sequence upstream;
  auto poller = ring.newPoller(upstream);
  ring.publishEvent([](Event& e, std::int64_t) { e.value = 1; });
  int calls = 0;
  auto count = [&](Event&, std::int64_t, bool) { ++calls; };
  CHECK(poller.poll(count) == PollState::Gating);
  CHECK(calls == 0);
  upstream.set(0);
  CHECK(poller.poll(count) == PollState::Processing);
  CHECK(calls == 1);
}

TEST_CASE("a poller's callback can stop early by returning false, and endOfBatch marks the last available") {
  Ring ring(8);
  auto poller = ring.newPoller();
  for (int i = 0; i < 4; ++i) ring.publishEvent([](Event&, std::int64_t) {});
  std::vector<std::pair<std::int64_t, bool>> seen;
  CHECK(poller.poll([&](Event&, std::int64_t s, bool end) {
    seen.emplace_back(s, end);
    return s < 1;  // stop after sequence 1
  }) == PollState::Processing);
  CHECK(poller.getSequence().get() == 1);
  CHECK(poller.poll([&](Event&, std::int64_t s, bool end) {
    seen.emplace_back(s, end);
    return true;
  }) == PollState::Processing);
  const std::vector<std::pair<std::int64_t, bool>> expected{{0, false}, {1, false}, {2, false}, {3, true}};
  CHECK(seen == expected);
}

TEST_CASE("a poller records its progress even when the callback throws") {
  Ring ring(8);
  auto poller = ring.newPoller();
  for (int i = 0; i < 3; ++i) ring.publishEvent([](Event&, std::int64_t) {});
  CHECK_THROWS_AS(poller.poll([](Event&, std::int64_t s, bool) {
    if (s == 1) throw std::runtime_error("fails on 1");
  }),
                  std::runtime_error);
  CHECK(poller.getSequence().get() == 0);  // 0 done, 1 not
}
