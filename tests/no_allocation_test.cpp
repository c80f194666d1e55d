// Once started, the hot path allocates nothing: a replaced global operator
// new counts every allocation in the process while a million events pass
// through a diamond. Its own executable, because the replacement is global.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>
#include <thread>

#include "disruptor/disruptor.hpp"

namespace {
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// Out of line: inlined into a delete-expression, free() looks mismatched to GCC's -Wmismatched-new-delete.
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace disruptor;

namespace {
struct Event {
  std::int64_t value = 0;
  bool fizz = false, buzz = false;
};

template <class Wait>
void millionEventsThroughADiamond() {
  std::int64_t fizzBuzz = 0;
  auto fizz = [](Event& e, std::int64_t, bool) { e.fizz = e.value % 3 == 0; };
  auto buzz = [](Event& e, std::int64_t, bool) { e.buzz = e.value % 5 == 0; };
  auto both = [&fizzBuzz](Event& e, std::int64_t, bool) { fizzBuzz += e.fizz && e.buzz ? 1 : 0; };
  Disruptor<Event, Wait, ProducerType::Single> d(1024);
  d.handleEventsWith(fizz, buzz).then(both);
  auto& ring = d.start();
  const auto publish = [&ring](std::int64_t count) {
    for (std::int64_t i = 0; i < count; ++i) ring.publishEvent([](Event& e, std::int64_t s) { e.value = s; });
  };
  // A bounded wait that allocates nothing itself.
  const auto drained = [&d] {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (d.hasBacklog() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    return !d.hasBacklog();
  };
  publish(10'000);  // warm up: threads started, every lazy first use done
  REQUIRE_MESSAGE(drained(), "the warm-up events to drain");

  const long before = allocations.load();
  constexpr std::int64_t kEvents = 1'000'000;
  publish(kEvents);
  const bool allHandled = drained();
  const long during = allocations.load() - before;

  REQUIRE_MESSAGE(allHandled, "a million events to drain");
  CHECK(during == 0);
  d.shutdown(std::chrono::seconds(20));
  CHECK(fizzBuzz == (10'000 + kEvents - 1) / 15 + 1);
}
}  // namespace

TEST_CASE("a million events through a started diamond allocate nothing (yielding)") {
  millionEventsThroughADiamond<YieldingWaitStrategy>();
}

TEST_CASE("a million events through a started diamond allocate nothing (blocking, parking on both sides)") {
  millionEventsThroughADiamond<BlockingWaitStrategy>();
}

TEST_CASE("the counting operator new does count") {
  const long before = allocations.load();
  // Through a volatile pointer: an optimiser may otherwise elide the pair (it did under -O2 -fsanitize=thread).
  std::int64_t* volatile probe = new std::int64_t(7);
  delete probe;
  CHECK(allocations.load() == before + 1);
}
