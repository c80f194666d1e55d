// The DSL builds the graph users declare: every handler sees every event, in
// order, and only after all of its upstream handlers have handled it.
#include <doctest/doctest.h>

#include <array>
#include <vector>

#include "disruptor/disruptor.hpp"
#include "test_support.hpp"

using namespace disruptor;

namespace {
/// Each stage stamps the event with its sequence; later stages check the stamps.
struct Stamped {
  std::int64_t value = -1;
  std::array<std::int64_t, 8> stamp{};
};

/// A stage that checks order and that its upstream stages stamped the event first.
struct Stage {
  int id;
  std::vector<int> upstream;
  std::int64_t expected = 0;
  std::int64_t handled = 0;
  std::int64_t outOfOrder = 0;
  std::int64_t beforeUpstream = 0;
  void onEvent(Stamped& e, std::int64_t sequence, bool) {
    for (int u : upstream)
      if (e.stamp[u] != sequence) ++beforeUpstream;
    if (sequence != expected || e.value != sequence) ++outOfOrder;
    expected = sequence + 1;
    e.stamp[id] = sequence;
    ++handled;
  }
};

using Blocking = Disruptor<Stamped, BlockingWaitStrategy, ProducerType::Single>;
using Yielding = Disruptor<Stamped, YieldingWaitStrategy, ProducerType::Single>;

template <class D>
void publishAndDrain(D& d, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) d.publishEvent([](Stamped& e, std::int64_t s) { e.value = s; });
  d.shutdown(test::kWaitBound);
}

void checkSawAll(const Stage& stage, std::int64_t n) {
  INFO("stage " << stage.id);
  CHECK(stage.handled == n);
  CHECK(stage.outOfOrder == 0);
  CHECK(stage.beforeUpstream == 0);
}
}  // namespace

TEST_CASE("a pipeline a -> b -> c hands each event down only after the stage before has handled it") {
  Stage a{0, {}}, b{1, {0}}, c{2, {1}};
  Blocking d(64);
  d.handleEventsWith(a).then(b).then(c);
  d.start();
  const std::int64_t n = test::scaled(100'000);
  publishAndDrain(d, n);
  for (const Stage* s : {&a, &b, &c}) checkSawAll(*s, n);
}

TEST_CASE("a diamond a, b -> c hands each event to c only after both a and b have handled it") {
  Stage a{0, {}}, b{1, {}}, c{2, {0, 1}};
  Yielding d(64);
  d.handleEventsWith(a, b).then(c);
  d.start();
  const std::int64_t n = test::scaled(100'000);
  publishAndDrain(d, n);
  for (const Stage* s : {&a, &b, &c}) checkSawAll(*s, n);
}

TEST_CASE("multicast a, b, c: each handler sees every event in order") {
  Stage a{0, {}}, b{1, {}}, c{2, {}};
  Blocking d(32);
  d.handleEventsWith(a, b, c);
  d.start();
  const std::int64_t n = test::scaled(50'000);
  publishAndDrain(d, n);
  for (const Stage* s : {&a, &b, &c}) checkSawAll(*s, n);
}

TEST_CASE("after(a).handleEventsWith(d) runs d after a only, beside the rest of the graph") {
  Stage a{0, {}}, b{1, {0}}, later{2, {0}};
  Blocking disruptor(64);
  disruptor.handleEventsWith(a).then(b);
  disruptor.after(a).handleEventsWith(later);
  const Topology graph = disruptor.topology();
  REQUIRE(graph.nodes.size() == 3);
  CHECK(graph.nodes[2].upstream == std::vector<std::size_t>{0});
  CHECK(graph.nodes[1].gatesProducer);
  CHECK(graph.nodes[2].gatesProducer);
  CHECK_FALSE(graph.nodes[0].gatesProducer);
  disruptor.start();
  const std::int64_t n = test::scaled(50'000);
  publishAndDrain(disruptor, n);
  for (const Stage* s : {&a, &b, &later}) checkSawAll(*s, n);
}

TEST_CASE("and_ joins two groups so the next handler waits for both") {
  Stage a{0, {}}, b{1, {}}, c{2, {0, 1}};
  Blocking d(64);
  auto left = d.handleEventsWith(a);
  auto right = d.handleEventsWith(b);
  left.and_(right).then(c);
  CHECK(d.topology().nodes[2].upstream == std::vector<std::size_t>{0, 1});
  d.start();
  const std::int64_t n = test::scaled(50'000);
  publishAndDrain(d, n);
  for (const Stage* s : {&a, &b, &c}) checkSawAll(*s, n);
}

namespace {
/// A leaf that holds its first event until released.
struct HeldLeaf {
  std::atomic<bool> holding{false};
  std::atomic<bool> release{false};
  std::int64_t handled = 0;
  void onEvent(Stamped&, std::int64_t sequence, bool) {
    if (sequence == 0) {
      holding = true;
      test::eventually([&] { return release.load(); });
    }
    ++handled;
  }
};
}  // namespace

TEST_CASE("the producer is gated by the leaf only: a held leaf stops it at exactly bufferSize events") {
  constexpr std::int64_t kSize = 16;
  Stage a{0, {}}, b{1, {}};
  HeldLeaf leaf;
  Blocking d(kSize);
  d.handleEventsWith(a, b).then(leaf);
  auto& ring = d.start();
  for (std::int64_t i = 0; i < kSize; ++i) ring.publish(ring.tryNext());
  CHECK_THROWS_AS(ring.tryNext(), InsufficientCapacityException);
  // a and b run ahead of the held leaf through everything published.
  REQUIRE_EVENTUALLY(d.getSequenceValueFor(a) == kSize - 1 && d.getSequenceValueFor(b) == kSize - 1,
                     "a and b to handle every published event while the leaf is held");
  REQUIRE_EVENTUALLY(leaf.holding.load(), "the leaf to hold its first event");
  CHECK(d.getSequenceValueFor(leaf) == -1);
  CHECK(d.hasBacklog());
  CHECK_THROWS_AS(ring.tryNext(), InsufficientCapacityException);

  leaf.release = true;
  REQUIRE_EVENTUALLY(d.getSequenceValueFor(leaf) == kSize - 1, "the released leaf to finish");
  for (std::int64_t i = 0; i < kSize; ++i) ring.publish(ring.next());
  d.shutdown(test::kWaitBound);
  CHECK(leaf.handled == 2 * kSize);
  CHECK(a.handled == 2 * kSize);
}

TEST_CASE("handlers may be lambdas, function objects or classes with hooks; lvalues are referenced, rvalues owned") {
  struct Counted {
    std::shared_ptr<std::atomic<int>> events = std::make_shared<std::atomic<int>>(0);
    void operator()(Stamped&, std::int64_t, bool) const { ++*events; }
  };
  struct WithHooks {
    std::atomic<int> started{0}, stopped{0}, events{0};
    std::atomic<std::int64_t> batches{0};
    void onStart() { ++started; }
    void onShutdown() { ++stopped; }
    void onBatchStart(std::int64_t size, std::int64_t) { batches += size; }
    void onEvent(Stamped&, std::int64_t, bool) { ++events; }
    std::string name() const { return "hooks"; }
  };
  std::atomic<int> lambdaEvents{0};
  Counted owned;
  auto sharedCount = owned.events;
  WithHooks hooks;
  Blocking d(16);
  d.handleEventsWith([&](Stamped&, std::int64_t, bool) { ++lambdaEvents; }, std::move(owned), hooks);
  CHECK(sharedCount.use_count() == 2);  // the moved-from object and the owned copy inside the processor
  CHECK(d.topology().nodes[2].name == "hooks");
  d.start();
  publishAndDrain(d, 100);
  CHECK(lambdaEvents.load() == 100);
  CHECK(sharedCount->load() == 100);
  CHECK(hooks.events.load() == 100);
  CHECK(hooks.batches.load() == 100);
  CHECK(hooks.started.load() == 1);
  CHECK(hooks.stopped.load() == 1);
}

TEST_CASE("asSequenceBarrier gives a custom consumer a barrier that waits for the whole group") {
  Stage a{0, {}};
  HeldLeaf b;  // holds event 0: the barrier must wait for it although a has passed 0
  Blocking d(16);
  auto group = d.handleEventsWith(a, b);
  auto barrier = group.asSequenceBarrier();
  CHECK(barrier->dependents().size() == 2);
  d.start();
  d.publishEvent([](Stamped& e, std::int64_t s) { e.value = s; });

  std::atomic<int> consumerTid{0};
  std::atomic<std::int64_t> returned{-100};
  test::BoundedThread consumer(
      "a custom consumer in barrier->waitFor(0)",
      [&] {
        consumerTid = test::currentTid();
        returned = barrier->waitFor(0);
      },
      [&] {
        b.release = true;
        barrier->alert();
      });
  REQUIRE_EVENTUALLY(d.getSequenceValueFor(a) == 0 && b.holding.load(), "a to pass 0 and b to hold it");
  REQUIRE_EVENTUALLY(consumerTid.load() != 0, "the custom consumer to start");
  REQUIRE_EVENTUALLY(test::threadState(consumerTid.load()) == 'S' || consumer.finished(),
                     "the custom consumer to park in waitFor(0) behind b");
  REQUIRE(returned.load() == -100);  // a alone has passed 0: not enough
  CHECK(d.getSequenceValueFor(b) == -1);

  b.release = true;
  REQUIRE_EVENTUALLY(consumer.finished(), "waitFor(0) to return once b passed 0");
  consumer.join();
  CHECK(returned.load() == 0);  // returns only once both a and b have passed 0
  CHECK(d.getSequenceValueFor(a) >= 0);
  CHECK(d.getSequenceValueFor(b) >= 0);
}

TEST_CASE("only the leaves of the graph gate the ring: a node gains gating when added and loses it once followed") {
  Stage a{0, {}}, b{1, {}}, c{2, {0, 1}}, e{3, {0}};
  Blocking d(16);
  const auto& gating = d.getRingBuffer().sequencer().gatingSequences();
  const auto sequenceOf = [&d](const auto& handler) { return d.after(handler).asSequenceBarrier()->dependents().at(0); };
  CHECK(gating.size() == 0);

  auto ab = d.handleEventsWith(a, b);
  const Sequence* sa = sequenceOf(a);
  const Sequence* sb = sequenceOf(b);
  CHECK(gating.size() == 2);
  CHECK((gating.contains(*sa) && gating.contains(*sb)));

  ab.then(c);
  const Sequence* sc = sequenceOf(c);
  CHECK(gating.size() == 1);
  CHECK(gating.contains(*sc));
  CHECK_FALSE(gating.contains(*sa));
  CHECK_FALSE(gating.contains(*sb));

  d.after(a).handleEventsWith(e);
  const Sequence* se = sequenceOf(e);
  d.start();
  CHECK(gating.size() == 2);
  CHECK((gating.contains(*sc) && gating.contains(*se)));
  CHECK_FALSE(gating.contains(*sa));
  CHECK_FALSE(gating.contains(*sb));
  publishAndDrain(d, 100);
  for (const Stage* s : {&a, &b, &c, &e}) checkSawAll(*s, 100);
}

TEST_CASE("topology, getCursor and getBufferSize report nodes, upstreams, gating, sequences and backlog; toDot draws them") {
  Stage a{0, {}}, b{1, {}};
  HeldLeaf leaf;
  Blocking d([] { return Stamped{}; }, 16, BlockingWaitStrategy{}, Options().withName("orders"));
  d.handleEventsWith(a, b).then(leaf);
  d.start();
  CHECK(d.getCursor() == -1);
  for (int i = 0; i < 4; ++i) d.publishEvent([](Stamped&, std::int64_t) {});
  REQUIRE_EVENTUALLY(leaf.holding.load() && d.getSequenceValueFor(a) == 3 && d.getSequenceValueFor(b) == 3,
                     "a and b to finish and the leaf to hold");
  CHECK(d.getBufferSize() == 16);
  CHECK(d.getCursor() == 3);
  const Topology graph = d.topology();
  CHECK(graph.name == "orders");
  CHECK(graph.cursor == 3);
  REQUIRE(graph.nodes.size() == 3);
  CHECK(graph.nodes[2].upstream == std::vector<std::size_t>{0, 1});
  CHECK((!graph.nodes[0].gatesProducer && !graph.nodes[1].gatesProducer && graph.nodes[2].gatesProducer));
  CHECK(graph.nodes[0].backlog == 0);
  CHECK(graph.nodes[2].sequence == -1);
  CHECK(graph.nodes[2].backlog == 4);
  const std::string dot = d.toDot();
  CHECK(dot.find("digraph \"orders\"") != std::string::npos);
  CHECK(dot.find("n0 -> n2") != std::string::npos);
  CHECK(dot.find("n1 -> n2") != std::string::npos);
  CHECK(dot.find("backlog 4") != std::string::npos);
  CHECK(describeProgress(graph).find("backlog=4") != std::string::npos);
  leaf.release = true;
}

TEST_CASE("a topology snapshot taken while events stream never shows a handler ahead of its cursor") {
  std::atomic<std::int64_t> handled{0};
  auto fast = [&](Stamped&, std::int64_t, bool) { handled.fetch_add(1, std::memory_order_relaxed); };
  Yielding d(64);
  d.handleEventsWith(fast);
  d.start();
  const std::int64_t n = test::scaled(500'000, 20'000);
  test::BoundedThread producer(
      "a producer streaming events",
      [&] {
        for (std::int64_t i = 0; i < n; ++i) d.publishEvent([](Stamped& e, std::int64_t s) { e.value = s; });
      },
      [&] { d.halt(); });
  std::int64_t snapshots = 0, ahead = 0;
  const auto deadline = std::chrono::steady_clock::now() + test::kWaitBound;
  while (handled.load(std::memory_order_relaxed) < n && std::chrono::steady_clock::now() < deadline) {
    const Topology graph = d.topology();
    for (const auto& node : graph.nodes)
      if (node.sequence > graph.cursor || node.backlog < 0) ++ahead;
    ++snapshots;
  }
  REQUIRE_EVENTUALLY(producer.finished(), "the producer to publish its " << n << " events");
  producer.join();
  d.shutdown(test::kWaitBound);
  MESSAGE(snapshots << " snapshots");
  CHECK(handled.load() == n);
  CHECK(ahead == 0);
}
