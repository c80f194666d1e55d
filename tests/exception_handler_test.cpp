// Where a handler's exceptions go: the default and per-handler exception
// handlers, lifecycle hooks, FatalExceptionHandler halting the graph (logged,
// reported, producers woken, shutdown still returns) and
// IgnoreExceptionHandler skipping the event while the graph goes on.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "disruptor/disruptor.hpp"
#include "failure_support.hpp"
#include "test_support.hpp"

using namespace disruptor;

namespace {
struct Event {
  std::int64_t value = 0;
};
using D = Disruptor<Event, BlockingWaitStrategy, ProducerType::Single>;
using Recorder = test::RecordingExceptionHandler<Event>;

/// Throws std::runtime_error("boom at <sequence>") at the sequences it is
/// given; records the sequences it handled without throwing.
struct FailsAt {
  explicit FailsAt(std::set<std::int64_t> failAt) : failing(std::move(failAt)) {}
  void onEvent(Event&, std::int64_t sequence, bool) {
    if (failing.count(sequence)) throw std::runtime_error("boom at " + std::to_string(sequence));
    const std::lock_guard lock(mutex);
    handled.push_back(sequence);
  }
  std::vector<std::int64_t> handledSoFar() {
    const std::lock_guard lock(mutex);
    return handled;
  }
  std::set<std::int64_t> failing;
  std::mutex mutex;
  std::vector<std::int64_t> handled;
};

/// Records every sequence it sees.
struct Seen {
  void onEvent(Event&, std::int64_t sequence, bool) {
    const std::lock_guard lock(mutex);
    sequences.push_back(sequence);
  }
  std::vector<std::int64_t> soFar() {
    const std::lock_guard lock(mutex);
    return sequences;
  }
  std::mutex mutex;
  std::vector<std::int64_t> sequences;
};

std::vector<std::int64_t> upTo(std::int64_t n) {
  std::vector<std::int64_t> all;
  for (std::int64_t i = 0; i < n; ++i) all.push_back(i);
  return all;
}

template <class Disruptor>
void publishValues(Disruptor& d, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) d.publishEvent([](Event& e, std::int64_t seq) { e.value = seq * 10; });
}

/// Publishes `n` events as one claim, so that a handler failing fatally on
/// one of them cannot refuse the producer halfway.
template <class Disruptor>
void publishAtOnce(Disruptor& d, std::int64_t n) {
  auto& ring = d.getRingBuffer();
  const std::int64_t hi = ring.next(n);
  for (std::int64_t s = hi - n + 1; s <= hi; ++s) ring.get(s).value = s * 10;
  ring.publish(hi - n + 1, hi);
}

std::set<std::int64_t> sequencesOf(const std::vector<test::RecordedFailure<Event>>& failures) {
  std::set<std::int64_t> sequences;
  for (const auto& failure : failures) sequences.insert(failure.sequence);
  return sequences;
}

}  // namespace

TEST_CASE("setDefaultExceptionHandler serves every handler without its own, added before or after it") {
  FailsAt early({3}), late({5});
  auto recorder = std::make_shared<Recorder>();
  D d(16);
  d.handleEventsWith(early);
  d.setDefaultExceptionHandler(recorder);
  d.handleEventsWith(late);
  d.start();
  publishValues(d, 10);
  d.shutdown(test::kWaitBound);

  const auto failures = recorder->events();
  REQUIRE(failures.size() == 2);
  CHECK(sequencesOf(failures) == std::set<std::int64_t>{3, 5});
  for (const auto& failure : failures) {
    REQUIRE(failure.event.has_value());
    CHECK(failure.event->value == failure.sequence * 10);  // the event that failed, not another
    CHECK(failure.what == "boom at " + std::to_string(failure.sequence));
  }
  CHECK_FALSE(d.halted());
}

TEST_CASE("handleExceptionsFor(h).with(eh) overrides the default for h only, whichever is set first") {
  FailsAt a({2}), b({4});
  auto forB = std::make_shared<Recorder>();
  auto fallback = std::make_shared<Recorder>();
  D d(16);
  d.handleEventsWith(a, b);
  d.handleExceptionsFor(b).with(forB);
  d.setDefaultExceptionHandler(fallback);
  d.start();
  publishValues(d, 8);
  d.shutdown(test::kWaitBound);

  CHECK(sequencesOf(forB->events()) == std::set<std::int64_t>{4});
  CHECK(sequencesOf(fallback->events()) == std::set<std::int64_t>{2});
}

TEST_CASE("exceptions from onStart and onShutdown reach handleOnStartException and handleOnShutdownException") {
  struct FailingHooks {
    std::atomic<std::int64_t> handled{0};
    void onStart() { throw std::runtime_error("cannot open journal"); }
    void onShutdown() { throw std::runtime_error("cannot close journal"); }
    void onEvent(Event&, std::int64_t, bool) { ++handled; }
  } hooks;
  auto recorder = std::make_shared<Recorder>();
  D d(16);
  d.handleEventsWith(hooks);
  d.handleExceptionsFor(hooks).with(recorder);
  d.start();
  REQUIRE_EVENTUALLY(recorder->onStartFailures().size() == 1, "onStart's exception to reach the exception handler");
  CHECK(recorder->onStartFailures()[0] == "cannot open journal");
  CHECK(recorder->onShutdownFailures().empty());

  publishValues(d, 5);  // a failed onStart, once handled, does not stop the handler
  d.shutdown(test::kWaitBound);
  CHECK(hooks.handled.load() == 5);
  CHECK(recorder->onShutdownFailures() == std::vector<std::string>{"cannot close journal"});
  CHECK(recorder->events().empty());
}

TEST_CASE("the default handler logs a failed onStart at critical level without halting the graph") {
  test::LogCapture log;
  struct FailingStart {
    std::atomic<std::int64_t> handled{0};
    void onStart() { throw std::runtime_error("no connection"); }
    void onEvent(Event&, std::int64_t, bool) { ++handled; }
  } failing;
  D d(16);
  d.handleEventsWith(failing);
  d.start();
  publishValues(d, 3);
  d.shutdown(test::kWaitBound);
  CHECK(failing.handled.load() == 3);
  CHECK_FALSE(d.halted());
  CHECK(log.count(spdlog::level::critical, "handler's onStart failed: no connection") == 1);
}

TEST_CASE("FatalExceptionHandler logs at critical, halts the graph, and halted()/error() report the failure") {
  test::LogCapture log;
  FailsAt failing({3});
  Seen downstream;
  D d(16);
  d.handleEventsWith(failing).then(downstream);
  d.start();
  publishAtOnce(d, 6);
  REQUIRE_EVENTUALLY(d.halted(), "the fatal failure to halt the Disruptor");

  REQUIRE(d.error() != nullptr);
  CHECK(test::messageAs<std::runtime_error>(d.error()) == "boom at 3");
  CHECK(log.count(spdlog::level::critical, "handler failed at sequence 3: boom at 3") == 1);
  const auto noneRunning = [&d] {
    const auto nodes = d.topology().nodes;  // one snapshot: begin and end of the same vector
    return std::none_of(nodes.begin(), nodes.end(), [](const auto& n) { return n.running; });
  };
  REQUIRE_EVENTUALLY(noneRunning(), "every processor of the graph to stop");
  // The failed event is never passed on; how much of its batch before it was
  // released depends on batching, and downstream saw exactly that much.
  const std::int64_t released = d.getSequenceValueFor(failing);
  CHECK(released < 3);
  CHECK(downstream.soFar() == upTo(released + 1));
  CHECK_THROWS_WITH_AS(d.publishEvent([](Event&, std::int64_t) {}),
                       "cannot publish: a handler failed fatally and halted the Disruptor (see error())",
                       HaltedException);
  test::finishesWithinBound("shutdown() after a fatal failure", [&] { d.shutdown(); });
  CHECK(d.hasBacklog());  // events 3..5 were never handled, and shutdown() did not wait for them
}

TEST_CASE("an exception handler that throws is fatal: the graph halts with the exception it threw") {
  struct Escalate final : ExceptionHandler<Event> {
    void handleEventException(std::exception_ptr, std::int64_t sequence, Event*) override {
      throw std::logic_error("escalated failure at " + std::to_string(sequence));
    }
    void handleOnStartException(std::exception_ptr) override {}
    void handleOnShutdownException(std::exception_ptr) override {}
  };
  test::LogCapture log;
  FailsAt failing({1});
  D d(16);
  d.handleEventsWith(failing);
  d.setDefaultExceptionHandler(std::make_shared<Escalate>());
  d.start();
  publishAtOnce(d, 4);
  REQUIRE_EVENTUALLY(d.halted(), "the throwing exception handler to halt the Disruptor");
  CHECK(test::messageAs<std::logic_error>(d.error()) == "escalated failure at 1");
  test::finishesWithinBound("shutdown() after a fatal failure", [&] { d.shutdown(); });
}

TEST_CASE_TEMPLATE("a fatal failure wakes a producer waiting in next() on a full ring with HaltedException", Config,
                   Disruptor<Event, BlockingWaitStrategy, ProducerType::Single>,
                   Disruptor<Event, BlockingWaitStrategy, ProducerType::Multi>,
                   Disruptor<Event, LiteBlockingWaitStrategy, ProducerType::Multi>,
                   Disruptor<Event, YieldingWaitStrategy, ProducerType::Single>) {
  /// Holds the first event until released, then fails on it.
  struct FailWhenReleased {
    std::atomic<bool> release{false};
    void onEvent(Event&, std::int64_t sequence, bool) {
      test::eventually([&] { return release.load(); });
      throw std::runtime_error("failed at " + std::to_string(sequence));
    }
  } gate;
  test::LogCapture log;
  Config d(4);
  d.handleEventsWith(gate);
  auto& ring = d.start();
  publishValues(d, 4);  // the ring is now full: the gate holds sequence 0
  REQUIRE(ring.remainingCapacity() == 0);

  std::atomic<int> producerTid{0};
  std::string message;
  test::BoundedThread producer("a producer waiting in next() on a halted ring", [&] {
    producerTid = test::currentTid();
    try {
      (void)ring.next();
    } catch (const HaltedException& e) {
      message = e.what();
    }
  });
  REQUIRE_EVENTUALLY(producerTid.load() != 0, "the producer thread to start");
  if constexpr (Config::RingBufferType::SequencerType::WaitStrategyType::kIsBlocking)
    REQUIRE_EVENTUALLY(test::threadState(producerTid.load()) == 'S', "the producer to park in next() on the full ring");

  gate.release = true;
  REQUIRE_EVENTUALLY(producer.finished(), "the blocked producer to be woken");
  producer.join();
  CHECK(message == "cannot publish: a handler failed fatally and halted the Disruptor (see error())");
  CHECK(d.halted());
  CHECK(test::messageAs<std::runtime_error>(d.error()) == "failed at 0");
  test::finishesWithinBound("shutdown() after a fatal failure", [&] { d.shutdown(); });
}

TEST_CASE("IgnoreExceptionHandler skips the failing event; later events are handled and downstream sees every one") {
  test::LogCapture log;
  FailsAt failing({3, 7});
  Seen downstream;
  D d(16);
  d.handleEventsWith(failing).then(downstream);
  d.handleExceptionsFor(failing).with(std::make_shared<IgnoreExceptionHandler<Event>>());
  d.start();
  publishValues(d, 10);
  d.shutdown(test::kWaitBound);

  CHECK(failing.handledSoFar() == std::vector<std::int64_t>{0, 1, 2, 4, 5, 6, 8, 9});
  CHECK(downstream.soFar() == upTo(10));
  CHECK(d.getSequenceValueFor(failing) == 9);
  CHECK_FALSE(d.halted());
  CHECK(d.error() == nullptr);
  CHECK(log.count(spdlog::level::err, "handler failed at sequence 3: boom at 3; the event is skipped") == 1);
  CHECK(log.count(spdlog::level::err, "handler failed at sequence 7: boom at 7; the event is skipped") == 1);
}

TEST_CASE("with IgnoreExceptionHandler, failing events on a small ring never hold the producer back") {
  test::LogCapture log;
  std::set<std::int64_t> everyThird;
  const std::int64_t n = 300;
  for (std::int64_t s = 0; s < n; s += 3) everyThird.insert(s);
  FailsAt failing(everyThird);
  Seen downstream;
  D d(4);
  d.handleEventsWith(failing).then(downstream);
  d.setDefaultExceptionHandler(std::make_shared<IgnoreExceptionHandler<Event>>());
  d.start();
  test::finishesWithinBound("publishing past failing events on a ring of 4", [&] { publishValues(d, n); });
  d.shutdown(test::kWaitBound);
  CHECK(failing.handledSoFar().size() == static_cast<std::size_t>(n - static_cast<std::int64_t>(everyThird.size())));
  CHECK(downstream.soFar() == upTo(n));
  CHECK(d.getSequenceValueFor(failing) == n - 1);
}
