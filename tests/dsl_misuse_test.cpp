// Each misuse named in DESIGN.md throws an exception whose message names it.
#include <doctest/doctest.h>

#include "disruptor/disruptor.hpp"
#include "test_support.hpp"

using namespace disruptor;

namespace {
struct Event {
  std::int64_t value = 0;
};
struct Noop {
  void onEvent(Event&, std::int64_t, bool) {}
};
using D = Disruptor<Event, BlockingWaitStrategy, ProducerType::Single>;
}  // namespace

TEST_CASE("a buffer size that is zero or not a power of two is refused by the Disruptor") {
  CHECK_THROWS_WITH_AS(D(0), "bufferSize must be a power of two greater than zero, got 0", std::invalid_argument);
  CHECK_THROWS_WITH_AS(D(100), "bufferSize must be a power of two greater than zero, got 100", std::invalid_argument);
}

TEST_CASE("a handler added after start() is refused") {
  Noop a, b;
  D d(8);
  d.handleEventsWith(a);
  d.start();
  CHECK_THROWS_WITH_AS(d.handleEventsWith(b),
                       "handleEventsWith() after start(): the graph and its exception handlers are fixed once the "
                       "Disruptor has started",
                       std::logic_error);
  CHECK_THROWS_AS(d.after(a).then(b), std::logic_error);
}

TEST_CASE("the same handler object added twice is refused") {
  Noop a;
  D d(8);
  d.handleEventsWith(a);
  CHECK_THROWS_WITH_AS(d.handleEventsWith(a),
                       "handleEventsWith(): the same handler object was added twice; a handler runs on one processor "
                       "only (use a second object for a second processor)",
                       std::invalid_argument);
  Noop b;
  CHECK_THROWS_AS(d.handleEventsWith(b, b), std::invalid_argument);
  CHECK(d.topology().nodes.size() == 1);  // nothing half-added
}

TEST_CASE("after(h) of a handler that was never added is refused") {
  Noop added, stranger;
  D d(8);
  d.handleEventsWith(added);
  CHECK_THROWS_WITH_AS(d.after(stranger),
                       "after(): the handler was never added to this Disruptor (handlers are identified by address; "
                       "pass the same object that was given to handleEventsWith)",
                       std::invalid_argument);
  CHECK_THROWS_AS((void)d.getSequenceValueFor(stranger), std::invalid_argument);
}

TEST_CASE("start() twice is refused") {
  Noop a;
  D d(8);
  d.handleEventsWith(a);
  d.start();
  CHECK_THROWS_WITH_AS(d.start(), "start() was called twice: a Disruptor starts once", std::logic_error);
}

TEST_CASE("next(n) with n < 1 or n > bufferSize is refused") {
  Noop a;
  D d(8);
  d.handleEventsWith(a);
  auto& ring = d.start();
  CHECK_THROWS_WITH_AS(ring.next(0), "next(n): n must be between 1 and the buffer size 8, got 0", std::invalid_argument);
  CHECK_THROWS_WITH_AS(ring.next(9), "next(n): n must be between 1 and the buffer size 8, got 9", std::invalid_argument);
}

TEST_CASE("publishing on a halted Disruptor is refused") {
  Noop a;
  D d(8);
  d.handleEventsWith(a);
  auto& ring = d.start();
  d.halt();
  CHECK_THROWS_WITH_AS(ring.next(), "cannot publish: the Disruptor was halted (halt() or shutdown() was called)",
                       HaltedException);
  CHECK_THROWS_AS(d.publishEvent([](Event&, std::int64_t) {}), HaltedException);
  CHECK_THROWS_AS(ring.tryNext(), HaltedException);
}

TEST_CASE("handleExceptionsFor(h) after start() is refused") {
  Noop a;
  D d(8);
  d.handleEventsWith(a);
  auto setting = d.handleExceptionsFor(a);  // taken before start...
  d.start();
  CHECK_THROWS_WITH_AS(d.handleExceptionsFor(a),
                       "handleExceptionsFor() after start(): the graph and its exception handlers are fixed once the "
                       "Disruptor has started",
                       std::logic_error);
  // ...and applied after it: refused as well.
  CHECK_THROWS_AS(setting.with(std::make_shared<IgnoreExceptionHandler<Event>>()), std::logic_error);
  CHECK_THROWS_AS(d.setDefaultExceptionHandler(std::make_shared<IgnoreExceptionHandler<Event>>()), std::logic_error);
}

TEST_CASE("an Options::maxBatchSize below 1 is refused") {
  CHECK_THROWS_WITH_AS((D([] { return Event{}; }, 8, {}, Options().withMaxBatchSize(0))),
                       "Options::maxBatchSize must be at least 1, got 0", std::invalid_argument);
}
