// halt() may be called from inside a handler: the graph stops, nothing is
// joined from its own thread, and the owner's next call joins every thread.
#include <doctest/doctest.h>

#include <thread>

#include "disruptor/disruptor.hpp"
#include "test_support.hpp"

using namespace disruptor;

namespace {
struct Event {
  std::int64_t value = 0;
};
using D = Disruptor<Event, BlockingWaitStrategy, ProducerType::Multi>;

/// Counts every exception it is handed: halting must send it none.
struct CountingExceptionHandler final : ExceptionHandler<Event> {
  std::atomic<int> calls{0};
  void handleEventException(std::exception_ptr, std::int64_t, Event*) override { ++calls; }
  void handleOnStartException(std::exception_ptr) override { ++calls; }
  void handleOnShutdownException(std::exception_ptr) override { ++calls; }
};

struct Counter {
  std::atomic<std::int64_t> handled{0};
  void onEvent(Event&, std::int64_t, bool) { ++handled; }
};
}  // namespace

TEST_CASE_TEMPLATE("halt() from a handler stops the whole graph; the owner's next call joins", Finish, std::integral_constant<int, 0>,
                   std::integral_constant<int, 1>, std::integral_constant<int, 2>) {
  const int before = test::threadCount();
  auto exceptions = std::make_shared<CountingExceptionHandler>();
  Counter upstream, sibling, downstream;
  std::atomic<bool> haltReturned{false};
  D* self = nullptr;
  auto halter = [&](Event&, std::int64_t sequence, bool) {
    if (sequence == 5) {
      self->halt();  // from this handler's own thread
      haltReturned = true;
    }
  };
  {
    auto d = std::make_unique<D>(64);
    self = d.get();
    d->setDefaultExceptionHandler(exceptions);
    d->handleEventsWith(upstream, sibling).then(halter).then(downstream);
    auto& ring = d->start();
    CHECK(test::threadCount() == before + 4);
    for (int i = 0; i < 10; ++i) ring.publishEvent([](Event&, std::int64_t) {});

    REQUIRE_EVENTUALLY(haltReturned.load(), "halt() called from the handler to return (no self-join, no deadlock)");
    for (std::size_t i = 0; i < 4; ++i)
      REQUIRE_EVENTUALLY(!d->topology().nodes[i].running, "processor " << i << " to stop after the handler's halt()");
    CHECK_THROWS_AS(ring.next(), HaltedException);
    CHECK_FALSE(d->halted());  // a halt, not a failure

    switch (Finish::value) {  // each way the owner may finish joins every thread
      case 0: d->halt(); break;
      case 1: d->shutdown(test::kWaitBound); break;  // must not wait for the backlog the halt left
      default: d.reset(); break;
    }
    REQUIRE_EVENTUALLY(test::threadCount() == before, "every joined processor thread to leave the process");
  }
  CHECK(exceptions->calls.load() == 0);
  CHECK(test::threadCount() == before);
}

TEST_CASE("Options::maxBatchSize caps every processor's batch under a backlog") {
  struct BatchRecorder {
    std::mutex mutex;
    std::vector<std::int64_t> sizes;
    std::atomic<bool> open{false};
    void onBatchStart(std::int64_t size, std::int64_t) {
      const std::lock_guard lock(mutex);
      sizes.push_back(size);
    }
    void onEvent(Event&, std::int64_t, bool) { test::eventually([&] { return open.load(); }); }
  };
  BatchRecorder first, second;
  Disruptor<Event, BlockingWaitStrategy> d([] { return Event{}; }, 64, {}, Options().withMaxBatchSize(4));
  d.handleEventsWith(first).then(second);
  auto& ring = d.start();
  for (int i = 0; i < 30; ++i) ring.publishEvent([](Event&, std::int64_t) {});  // a backlog builds behind the closed gate
  first.open = true;
  second.open = true;
  d.shutdown(test::kWaitBound);
  for (BatchRecorder* r : {&first, &second}) {
    std::int64_t total = 0;
    for (std::int64_t size : r->sizes) {
      CHECK(size <= 4);
      total += size;
    }
    CHECK(total == 30);
    CHECK(r->sizes.size() >= 8);  // 30 events in batches of at most 4
  }
}
