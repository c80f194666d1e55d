// Each misuse named in DESIGN.md throws an exception whose message names it.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

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

TEST_CASE("an Options::maxBatchSize below 1 is refused, with a factory or default-constructed events") {
  CHECK_THROWS_WITH_AS((D([] { return Event{}; }, 8, {}, Options().withMaxBatchSize(0))),
                       "Options::maxBatchSize must be at least 1, got 0", std::invalid_argument);
  CHECK_THROWS_WITH_AS((D(8, {}, Options().withMaxBatchSize(0))), "Options::maxBatchSize must be at least 1, got 0",
                       std::invalid_argument);
}

TEST_CASE("a null exception handler is refused, by default or for one handler") {
  Noop a;
  D d(8);
  d.handleEventsWith(a);
  CHECK_THROWS_WITH_AS(d.setDefaultExceptionHandler(nullptr),
                       "setDefaultExceptionHandler(): the exception handler is null", std::invalid_argument);
  CHECK_THROWS_WITH_AS(d.handleExceptionsFor(a).with(nullptr),
                       "handleExceptionsFor(h).with(): the exception handler is null", std::invalid_argument);
}

TEST_CASE("exception handlers chosen after start() are refused, each call naming itself") {
  Noop a;
  D d(8);
  d.handleEventsWith(a);
  auto setting = d.handleExceptionsFor(a);
  d.start();
  CHECK_THROWS_WITH_AS(d.setDefaultExceptionHandler(std::make_shared<IgnoreExceptionHandler<Event>>()),
                       "setDefaultExceptionHandler() after start(): the graph and its exception handlers are fixed "
                       "once the Disruptor has started",
                       std::logic_error);
  CHECK_THROWS_WITH_AS(setting.with(std::make_shared<IgnoreExceptionHandler<Event>>()),
                       "handleExceptionsFor().with() after start(): the graph and its exception handlers are fixed "
                       "once the Disruptor has started",
                       std::logic_error);
}

TEST_CASE("naming a handler that was never added is refused by every call that looks one up") {
  Noop added, stranger;
  D d(8);
  d.handleEventsWith(added);
  const std::string neverAdded =
      ": the handler was never added to this Disruptor (handlers are identified by address; pass the same object "
      "that was given to handleEventsWith)";
  CHECK_THROWS_WITH_AS(d.handleExceptionsFor(stranger), ("handleExceptionsFor()" + neverAdded).c_str(),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS((void)d.getSequenceValueFor(stranger), ("getSequenceValueFor()" + neverAdded).c_str(),
                       std::invalid_argument);
}

TEST_CASE("a null batch rewind strategy is refused") {
  Noop a;
  D d(8);
  CHECK_THROWS_WITH_AS(d.handleEventsWith(std::shared_ptr<BatchRewindStrategy>(), a),
                       "handleEventsWith(): the batch rewind strategy is null", std::invalid_argument);
  CHECK(d.topology().nodes.empty());
}

TEST_CASE("rewind strategies refuse a give-up limit below 1 and a negative pause") {
  CHECK_THROWS_WITH_AS(EventuallyGiveUpBatchRewindStrategy(0),
                       "EventuallyGiveUpBatchRewindStrategy: maxAttempts must be at least 1, got 0",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(NanosecondPauseBatchRewindStrategy(std::chrono::nanoseconds(-1)),
                       "NanosecondPauseBatchRewindStrategy: the pause must not be negative", std::invalid_argument);
}

TEST_CASE("shutdown() from a handler of the same Disruptor is refused: it would wait for itself") {
  std::string refusal;
  std::atomic<bool> done{false};
  D* self = nullptr;
  auto handler = [&](Event&, std::int64_t, bool) {
    try {
      self->shutdown();
    } catch (const std::logic_error& e) {
      refusal = e.what();
    }
    done = true;
  };
  D d(8);
  self = &d;
  d.handleEventsWith(handler);
  d.start();
  d.publishEvent([](Event&, std::int64_t) {});
  REQUIRE_EVENTUALLY(done.load(), "the handler to call shutdown()");
  d.halt();
  CHECK(refusal == "shutdown() from a handler of the same Disruptor would wait for itself; call halt() instead");
}

TEST_CASE("publishEvents refuses ranges of different sizes, and batches larger than the ring") {
  Noop a;
  D d(8);
  d.handleEventsWith(a);
  auto& ring = d.start();
  const auto translate = [](Event& e, std::int64_t, int x, int y) { e.value = x + y; };
  const std::vector<int> two{1, 2}, three{1, 2, 3}, nine(9, 1);
  CHECK_THROWS_WITH_AS(ring.publishEvents(translate, two, three),
                       "publishEvents: every argument range must have the same size", std::invalid_argument);
  CHECK_THROWS_WITH_AS((void)ring.tryPublishEvents(translate, two, three),
                       "publishEvents: every argument range must have the same size", std::invalid_argument);
  CHECK_THROWS_WITH_AS(ring.publishEvents(translate, nine, nine),
                       "next(n): n must be between 1 and the buffer size 8, got 9", std::invalid_argument);
  CHECK(ring.cursor() == -1);  // nothing claimed by the refused calls
}

TEST_CASE("tryNext(n) with n < 1 or n > bufferSize is refused, and a full ring says it has no room") {
  Noop a;
  D d(8);
  d.handleEventsWith(a);
  auto& ring = d.start();
  CHECK_THROWS_WITH_AS(ring.tryNext(0), "next(n): n must be between 1 and the buffer size 8, got 0",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(ring.tryNext(9), "next(n): n must be between 1 and the buffer size 8, got 9",
                       std::invalid_argument);
  d.halt();  // nothing consumes now: the ring fills
  RingBuffer<Event, BlockingWaitStrategy, ProducerType::Single> full(4);
  Sequence stuck;
  full.addGatingSequences(stuck);
  full.publish(full.next(4));
  CHECK_THROWS_WITH_AS(full.tryNext(), "InsufficientCapacityException: the ring buffer has no room for the claim",
                       InsufficientCapacityException);
}

TEST_CASE("a ring buffer or processor built wrongly is refused") {
  CHECK_THROWS_WITH_AS((RingBuffer<Event, BlockingWaitStrategy, ProducerType::Multi>(6)),
                       "bufferSize must be a power of two greater than zero, got 6", std::invalid_argument);
  using Ring = RingBuffer<Event, BlockingWaitStrategy, ProducerType::Single>;
  Ring ring(8);
  Noop handler;
  BatchEventProcessor<Ring, Noop&> processor(ring, ring.newBarrier(), handler);
  CHECK_THROWS_WITH_AS(processor.setExceptionHandler(nullptr), "setExceptionHandler: the exception handler is null",
                       std::invalid_argument);
}

TEST_CASE("a CPU affinity for a handler name the graph does not have is refused at start()") {
  struct Named {
    void onEvent(Event&, std::int64_t, bool) {}
    std::string name() const { return "journal"; }
  } journal;
  D d([] { return Event{}; }, 8, {}, Options().withCpuAffinity("jounral", 0));
  d.handleEventsWith(journal);
  const int before = test::threadCount();
  CHECK_THROWS_WITH_AS(d.start(),
                       "Options::withCpuAffinity(\"jounral\", 0): no handler of this Disruptor is named \"jounral\"",
                       std::invalid_argument);
  CHECK(test::threadCount() == before);  // refused before any thread started
}

TEST_CASE("and_ of groups from two different Disruptors is refused") {
  Noop a, b;
  D first(8), second(8);
  auto left = first.handleEventsWith(a);
  auto right = second.handleEventsWith(b);
  CHECK_THROWS_WITH_AS(left.and_(right),
                       "and_(): the groups belong to different Disruptors; a handler can only run after handlers "
                       "of its own Disruptor",
                       std::invalid_argument);
  CHECK(first.topology().nodes.size() == 1);
}
