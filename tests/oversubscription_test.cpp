// More threads than cores: with yielding, sleeping and blocking strategies,
// graphs with more producers and handlers than the machine has cores still
// make progress and deliver everything.
#include <doctest/doctest.h>

#include <array>
#include <deque>
#include <thread>
#include <vector>

#include "disruptor/disruptor.hpp"
#include "test_support.hpp"

using namespace disruptor;

namespace {
struct Event {
  int producer = 0;
  std::int64_t value = 0;
};

struct Sum {
  std::int64_t sum = 0, count = 0;
  void onEvent(Event& e, std::int64_t, bool) { sum += e.value, ++count; }
};

/// Sums only the events of producers in [first, last].
struct SumOf {
  int first, last;
  std::int64_t sum = 0;
  void onEvent(Event& e, std::int64_t, bool) {
    if (e.producer >= first && e.producer <= last) sum += e.value;
  }
};

template <class Ring>
void runProducers(Ring& ring, int producers, std::int64_t perProducer) {
  std::deque<test::BoundedThread> threads;  // halting the ring ends a producer stuck past the bound
  for (int p = 0; p < producers; ++p)
    threads.emplace_back(
        "a producer",
        [&ring, p, perProducer] {
          for (std::int64_t i = 0; i < perProducer; ++i)
            ring.publishEvent([](Event& e, std::int64_t, int who, std::int64_t v) { e.producer = who, e.value = v; }, p, i);
        },
        [&ring] { ring.sequencer().halt(HaltCause::Halted); });
  for (auto& t : threads) t.join();
}

std::int64_t sumBelow(std::int64_t n) { return n * (n - 1) / 2; }
}  // namespace

TEST_CASE_TEMPLATE("three producers into one handler complete on two cores", Wait, YieldingWaitStrategy, SleepingWaitStrategy,
                   BlockingWaitStrategy, LiteBlockingWaitStrategy) {
  const std::int64_t perProducer = test::scaled(300'000, 10'000);
  Sum sum;
  Disruptor<Event, Wait> d(1024);
  d.handleEventsWith(sum);
  auto& ring = d.start();
  runProducers(ring, 3, perProducer);
  d.shutdown(test::kWaitBound);
  CHECK(sum.count == 3 * perProducer);
  CHECK(sum.sum == 3 * sumBelow(perProducer));
}

TEST_CASE_TEMPLATE("four producers into an 8-handler graph complete on two cores", Wait, YieldingWaitStrategy, SleepingWaitStrategy,
                   BlockingWaitStrategy, LiteBlockingWaitStrategy) {
  const std::int64_t perProducer = test::scaled(50'000, 5'000);
  // The fan_in_fan_out shape of bench/: four filters, two pairs, a total, a count.
  std::array<SumOf, 4> filters{SumOf{0, 0}, SumOf{1, 1}, SumOf{2, 2}, SumOf{3, 3}};
  std::array<SumOf, 2> pairs{SumOf{0, 1}, SumOf{2, 3}};
  SumOf total{0, 3};
  Sum count;
  Disruptor<Event, Wait> d(256);
  d.handleEventsWith(filters[0], filters[1]).then(pairs[0]);
  d.handleEventsWith(filters[2], filters[3]).then(pairs[1]);
  d.after(pairs[0], pairs[1]).then(total).then(count);
  CHECK(d.topology().nodes.size() == 8);
  auto& ring = d.start();
  runProducers(ring, 4, perProducer);
  d.shutdown(test::kWaitBound);
  for (const SumOf& f : filters) CHECK(f.sum == sumBelow(perProducer));
  for (const SumOf& p : pairs) CHECK(p.sum == 2 * sumBelow(perProducer));
  CHECK(total.sum == 4 * sumBelow(perProducer));
  CHECK(count.count == 4 * perProducer);
}
