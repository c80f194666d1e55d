// Where the original burns cores, this library waits the strategy's way:
// handlers behind a slow stage, a producer on a full ring and shutdown()
// all park with a blocking strategy.
#include <doctest/doctest.h>

#include <sys/resource.h>

#include <atomic>
#include <functional>
#include <semaphore>
#include <thread>

#include "disruptor/disruptor.hpp"
#include "test_support.hpp"

using namespace disruptor;
using namespace std::chrono_literals;

namespace {
struct Event {
  std::int64_t a = 0, b = 0;
};
using D = Disruptor<Event, BlockingWaitStrategy, ProducerType::Single>;

double processCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// CPU seconds the process used, and wall seconds, while `phase` ran.
template <class Phase>
std::pair<double, double> cpuAndWall(Phase phase) {
  const double cpu0 = processCpuSeconds();
  const auto wall0 = std::chrono::steady_clock::now();
  phase();
  return {processCpuSeconds() - cpu0, std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count()};
}

/// The voluntary switches of `tid` over a 50 ms window in which nothing wakes it.
long switchesWhileLeftAlone(int tid) {
  const long before = test::voluntaryContextSwitches(tid);
  std::this_thread::sleep_for(50ms);  // a window to observe, not a wait for anything
  REQUIRE_MESSAGE(before >= 0, "no voluntary_ctxt_switches for thread " << tid);
  return test::voluntaryContextSwitches(tid) - before;
}

struct SlowStage {
  void onEvent(Event& e, std::int64_t sequence, bool) {
    std::this_thread::sleep_for(2ms);
    e.a = sequence;
  }
};
struct Mid {
  void onEvent(Event& e, std::int64_t sequence, bool) { e.b = sequence; }
};
struct Last {
  std::atomic<std::int64_t> handled{0};
  void onEvent(Event&, std::int64_t, bool) { ++handled; }
};
}  // namespace

TEST_CASE("behind a 2 ms stage, a blocking pipeline burns under a quarter of a core, and idle under a tenth") {
  SlowStage slow;
  Mid mid;
  Last last;
  D d(8);
  d.handleEventsWith(slow).then(mid).then(last);
  auto& ring = d.start();

  const auto [idleCpu, idleWall] = cpuAndWall([] { std::this_thread::sleep_for(300ms); });
  MESSAGE("idle: cpu " << idleCpu << " s over " << idleWall << " s");
  CHECK(idleCpu < idleWall / 10);

  const auto [runCpu, runWall] = cpuAndWall([&] {
    for (int i = 0; i < 150; ++i) ring.publish(ring.next());  // the producer blocks on the full ring of 8
    d.shutdown(test::kWaitBound);
  });
  MESSAGE("slow upstream: cpu " << runCpu << " s over " << runWall << " s");
  CHECK(last.handled.load() == 150);
  CHECK(runCpu < runWall / 4);
}

TEST_CASE("shutdown() drains a slow handler without burning a core, with a timeout or without") {
  SlowStage slow;
  Last last;
  D d(256);
  d.handleEventsWith(slow).then(last);
  auto& ring = d.start();
  for (int i = 0; i < 100; ++i) ring.publish(ring.next());
  std::function<void()> shutdown;
  SUBCASE("shutdown(timeout)") { shutdown = [&] { d.shutdown(test::kWaitBound); }; }
  SUBCASE("shutdown()") {
    shutdown = [&] {
      test::BoundedThread closer("shutdown()", [&] { d.shutdown(); }, [&] { d.halt(); });
      closer.join();
    };
  }
  const auto [cpu, wall] = cpuAndWall(shutdown);
  MESSAGE("shutdown draining: cpu " << cpu << " s over " << wall << " s");
  CHECK(last.handled.load() == 100);
  CHECK(cpu < wall / 4);
}

namespace {
struct Gate {
  std::atomic<bool> open{false};
  std::atomic<std::int64_t> handled{0};
  void onEvent(Event&, std::int64_t, bool) {
    test::eventually([&] { return open.load(); });
    ++handled;
  }
};
/// A producer thread that claims one slot of `ring` (full when it starts)
/// and publishes it; constructed once the thread has parked waiting for room.
/// `unblock` halts what it waits on should the test fail first.
struct ParkedProducer {
  std::atomic<int> tid{0};
  std::atomic<std::int64_t> claimed{-1};
  test::BoundedThread thread;

  template <class Ring>
  ParkedProducer(Ring& ring, std::function<void()> unblock)
      : thread(
            "the producer on the full ring",
            [this, &ring] {
              tid = test::currentTid();
              const std::int64_t s = ring.next();
              claimed = s;
              ring.publish(s);
            },
            std::move(unblock)) {
    REQUIRE_EVENTUALLY(tid.load() != 0, "the producer to start");
    REQUIRE_EVENTUALLY(test::threadState(tid.load()) == 'S', "the producer on the full ring to park");
  }
};
}  // namespace

TEST_CASE_TEMPLATE("a producer on a full ring parks, and is released when the leaf catches up", Wait, BlockingWaitStrategy,
                   LiteBlockingWaitStrategy, TimeoutBlockingWaitStrategy) {
  Gate gate;
  Disruptor<Event, Wait, ProducerType::Single> d([] { return Event{}; }, 4, [] {
    if constexpr (std::is_same_v<Wait, TimeoutBlockingWaitStrategy>)
      return Wait(1ms);
    else
      return Wait{};
  }());
  d.handleEventsWith(gate);
  auto& ring = d.start();
  for (int i = 0; i < 4; ++i) ring.publish(ring.next());

  ParkedProducer producer(ring, [&] { d.halt(); });
  // Parked in the kernel, not polling: a sleep or yield loop would switch
  // dozens of times in the window; a timed strategy wakes once per timeout.
  const long switches = switchesWhileLeftAlone(producer.tid.load());
  if constexpr (std::is_same_v<Wait, TimeoutBlockingWaitStrategy>)
    CHECK(switches <= 60);
  else
    CHECK(switches <= 1);
  CHECK(producer.claimed.load() == -1);
  gate.open = true;
  REQUIRE_EVENTUALLY(producer.claimed.load() == 4, "the parked producer to be released once the leaf moved");
  producer.thread.join();
  d.shutdown(test::kWaitBound);
  CHECK(gate.handled.load() == 5);
}

TEST_CASE("a handler waiting on an upstream handler parks with a blocking strategy") {
  Gate gate;
  struct Watcher {
    std::atomic<int> tid{0};
    void onStart() { tid = test::currentTid(); }
    void onEvent(Event&, std::int64_t, bool) {}
  } watcher;
  D d(16);
  d.handleEventsWith(gate).then(watcher);
  d.start();
  d.publishEvent([](Event&, std::int64_t) {});  // gate holds it: the watcher waits on the gate, not on the cursor
  REQUIRE_EVENTUALLY(watcher.tid.load() != 0, "the downstream handler to start");
  REQUIRE_EVENTUALLY(test::threadState(watcher.tid.load()) == 'S', "the downstream handler to park behind its upstream");
  CHECK(switchesWhileLeftAlone(watcher.tid.load()) <= 1);  // parked, not polling its upstream
  gate.open = true;
  REQUIRE_EVENTUALLY(d.getSequenceValueFor(watcher) == 0, "the downstream handler to be woken by its upstream's progress");
}

TEST_CASE("removing the gating sequence a parked producer waits on releases it") {
  RingBuffer<Event, BlockingWaitStrategy, ProducerType::Single> ring(4);
  Sequence consumer;  // never moves: only its removal can make room
  ring.addGatingSequences(consumer);
  for (int i = 0; i < 4; ++i) ring.publish(ring.next());

  ParkedProducer producer(ring, [&] { ring.sequencer().halt(HaltCause::Halted); });
  CHECK(ring.removeGatingSequence(consumer));
  REQUIRE_EVENTUALLY(producer.claimed.load() == 4, "the parked producer to wake when its only gating sequence was removed");
  producer.thread.join();
}


namespace {
/// Counts events and records its thread, to see whether it is parked.
struct Counter {
  std::atomic<int> tid{0};
  std::atomic<std::int64_t> handled{0};
  void onStart() { tid = test::currentTid(); }
  void onEvent(Event&, std::int64_t, bool) { ++handled; }
};
}  // namespace

TEST_CASE_TEMPLATE("behind many producers, a slot claimed long before it is published is waited for quietly", Wait,
                   BlockingWaitStrategy, LiteBlockingWaitStrategy) {
  // The claim wakes the parked handler (a multi-producer ring signals at
  // claim time); finding the slot claimed but unpublished, the handler must
  // neither take it nor spin on it, and must still see it once published.
  Counter counter;
  Disruptor<Event, Wait, ProducerType::Multi> d(16);
  d.handleEventsWith(counter);
  auto& ring = d.start();
  REQUIRE_EVENTUALLY(counter.tid.load() != 0, "the handler to start");
  REQUIRE_EVENTUALLY(test::threadState(counter.tid.load()) == 'S', "the idle handler to park");

  std::binary_semaphore publishNow{0};
  test::BoundedThread producer(
      "the producer holding its claim",
      [&] {
        const std::int64_t sequence = ring.next();
        const bool released = publishNow.try_acquire_for(test::kWaitBound);
        ring.get(sequence).a = 42;
        ring.publish(sequence);  // published in any case, so nothing waits for ever
        REQUIRE_MESSAGE(released, "the test never released the claim");
      },
      [&] { publishNow.release(); });
  REQUIRE_EVENTUALLY(ring.cursor() == 0, "the producer to claim");
  const auto [cpu, wall] = cpuAndWall([] { std::this_thread::sleep_for(200ms); });  // the claim is held
  MESSAGE("claimed, unpublished: cpu " << cpu << " s over " << wall << " s");
  CHECK(counter.handled.load() == 0);
  CHECK(cpu < wall / 10);
  publishNow.release();
  producer.join();
  REQUIRE_EVENTUALLY(counter.handled.load() == 1, "the handler to take the slot once it was published");
  d.shutdown(test::kWaitBound);
}
