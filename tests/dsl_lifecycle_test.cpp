// start, halt, shutdown and the destructor: one thread per node, nothing
// lost on shutdown, every wait bounded, no thread outliving its Disruptor.
#include <doctest/doctest.h>

#include <dirent.h>

#include <set>
#include <thread>
#include <vector>

#include "disruptor/disruptor.hpp"
#include "test_support.hpp"

using namespace disruptor;
using namespace std::chrono_literals;

namespace {
struct Event {
  std::int64_t value = 0;
};
using Blocking = Disruptor<Event, BlockingWaitStrategy, ProducerType::Multi>;

struct Counter {
  std::atomic<std::int64_t> handled{0};
  void onEvent(Event&, std::int64_t, bool) { ++handled; }
};

/// Handles events slowly, to leave a backlog for shutdown to drain.
struct Slow {
  std::atomic<std::int64_t> handled{0};
  void onEvent(Event&, std::int64_t, bool) {
    std::this_thread::sleep_for(50us);
    ++handled;
  }
};

/// Never finishes its first event until released.
struct Stuck {
  std::atomic<bool> inside{false};
  std::atomic<bool> release{false};
  void onEvent(Event&, std::int64_t, bool) {
    inside = true;
    test::eventually([&] { return release.load(); });
  }
};
}  // namespace

TEST_CASE("start adds exactly one thread per node and halt takes them all away") {
  Counter a, b, c, d;
  const int before = test::threadCount();
  {
    Blocking disruptor(64);
    disruptor.handleEventsWith(a, b).then(c).then(d);
    CHECK(test::threadCount() == before);
    disruptor.start();
    CHECK(test::threadCount() == before + 4);
    disruptor.halt();
    REQUIRE_EVENTUALLY(test::threadCount() == before, "the halted processor threads to leave the process");
  }
  CHECK(test::threadCount() == before);
}

TEST_CASE("the destructor halts and joins: no thread outlives the Disruptor") {
  Counter a, b;
  const int before = test::threadCount();
  {
    Blocking disruptor(64);
    disruptor.handleEventsWith(a).then(b);
    disruptor.start();
    disruptor.publishEvent([](Event&, std::int64_t) {});
    CHECK(test::threadCount() == before + 2);
  }
  REQUIRE_EVENTUALLY(test::threadCount() == before, "the joined processor threads to leave the process");
}

TEST_CASE("processor threads are named <name>-<handler>") {
  struct Journal {
    void onEvent(Event&, std::int64_t, bool) {}
    std::string name() const { return "journal"; }
  } journal;
  Disruptor<Event, BlockingWaitStrategy> d([] { return Event{}; }, 16, {}, Options().withName("ex"));
  d.handleEventsWith(journal);
  d.start();
  CHECK(test::threadNames().count("ex-journal") == 1);
}

TEST_CASE("shutdown() handles every published event before it halts") {
  Slow slow;
  Counter after;
  Blocking d(16);
  d.handleEventsWith(slow).then(after);
  d.start();
  const std::int64_t n = 300;
  for (std::int64_t i = 0; i < n; ++i) d.publishEvent([](Event& e, std::int64_t s) { e.value = s; });
  CHECK(d.getBufferSize() == 16);
  CHECK(d.getCursor() == n - 1);  // every claim is counted, handled or not
  // The unbounded form, run where a hang fails with a message: halt() wakes it.
  test::BoundedThread shutdown("shutdown() draining 300 events", [&] { d.shutdown(); }, [&] { d.halt(); });
  REQUIRE_EVENTUALLY(shutdown.finished(), "shutdown() to drain the backlog and return");
  shutdown.join();
  CHECK(slow.handled.load() == n);
  CHECK(after.handled.load() == n);
  CHECK_FALSE(d.hasBacklog());
  CHECK_THROWS_AS(d.publishEvent([](Event&, std::int64_t) {}), HaltedException);
}

TEST_CASE("shutdown(timeout) throws TimeoutException when a handler is stuck, and the Disruptor still stops") {
  Stuck stuck;
  const int before = test::threadCount();
  {
    Blocking d(16);
    d.handleEventsWith(stuck);
    d.start();
    d.publishEvent([](Event&, std::int64_t) {});
    REQUIRE_EVENTUALLY(stuck.inside.load(), "the handler to get stuck");
    CHECK_THROWS_WITH_AS(d.shutdown(20ms), "shutdown(timeout): handlers still had a backlog after 20 ms", TimeoutException);
    CHECK(d.hasBacklog());
    stuck.release = true;
  }
  REQUIRE_EVENTUALLY(test::threadCount() == before, "the processor thread to leave the process");
}

TEST_CASE_TEMPLATE("shutdown(timeout) returns once drained, for non-blocking strategies too", Wait, YieldingWaitStrategy,
                   SleepingWaitStrategy, LiteBlockingWaitStrategy) {
  Slow slow;
  Disruptor<Event, Wait> d(8);
  d.handleEventsWith(slow);
  d.start();
  for (int i = 0; i < 50; ++i) d.publishEvent([](Event&, std::int64_t) {});
  d.shutdown(test::kWaitBound);
  CHECK(slow.handled.load() == 50);
}

TEST_CASE("halt() stops a graph that is waiting on an empty ring") {
  Counter a, b;
  const int before = test::threadCount();
  Blocking d([] { return Event{}; }, 16, {}, Options().withName("idle"));
  d.handleEventsWith(a).then(b);
  d.start();
  REQUIRE_EVENTUALLY(d.topology().nodes[1].running, "the processors to start");
  for (const char* name : {"idle-handler0", "idle-handler1"}) {
    const std::vector<int> tids = test::threadIdsNamed(name);
    REQUIRE_MESSAGE(tids.size() == 1, "one thread named " << name);
    REQUIRE_EVENTUALLY(test::threadState(tids[0]) == 'S', name << " to park on the empty ring");
  }
  d.halt();
  for (const auto& node : d.topology().nodes) CHECK_FALSE(node.running);
  REQUIRE_EVENTUALLY(test::threadCount() == before, "the halted processor threads to leave the process");
  CHECK_FALSE(d.halted());  // halted by its owner, not by a failure
}

TEST_CASE("a Disruptor that was never started shuts down and is destroyed at once") {
  Counter a;
  Blocking d(16);
  d.handleEventsWith(a);
  test::finishesWithinBound("shutdown() of a Disruptor never started", [&] { d.shutdown(); });
  CHECK_FALSE(d.hasBacklog());
}

TEST_CASE("shutdown() after halt() returns at once, though events were left unhandled") {
  Stuck stuck;
  Blocking d(16);
  d.handleEventsWith(stuck);
  auto& ring = d.start();
  d.publishEvent([](Event&, std::int64_t) {});
  REQUIRE_EVENTUALLY(stuck.inside.load(), "the handler to hold its first event");
  for (int i = 0; i < 3; ++i) d.publishEvent([](Event&, std::int64_t) {});  // not in the held batch
  test::BoundedThread halter("halt() from another thread", [&] { d.halt(); },  // joins once the handler lets go
                            [&] { stuck.release = true; });
  REQUIRE_EVENTUALLY(ring.sequencer().isHalted(), "halt() to refuse producers");
  stuck.release = true;
  REQUIRE_EVENTUALLY(halter.finished(), "halt() to join the released handler's thread");
  halter.join();
  REQUIRE(d.hasBacklog());  // three events nobody will handle now
  // Before the fix this waited for a drain that could never come (the bounded
  // form threw TimeoutException, the unbounded one hung).
  REQUIRE_NOTHROW(d.shutdown(test::kWaitBound));
  test::finishesWithinBound("shutdown() after halt()", [&] { d.shutdown(); });
  CHECK(d.hasBacklog());
}
