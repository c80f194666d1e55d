// A diamond: journal and replicate in parallel, then match. CI builds this file against an installed disruptor.
#include <disruptor/disruptor.hpp>

#include <cstdint>
#include <cstdio>

struct Order { std::int64_t id = 0; int checks = 0; };

int main() {
  std::int64_t matched = 0, early = 0;
  auto journal = [](Order& o, std::int64_t, bool) { ++o.checks; };    // these two run in parallel,
  auto replicate = [](Order& o, std::int64_t, bool) { ++o.checks; };  // each on a thread of its own
  auto match = [&](Order& o, std::int64_t, bool) { early += o.checks != 2, o.checks = 0, ++matched; };

  disruptor::Disruptor<Order, disruptor::BlockingWaitStrategy, disruptor::ProducerType::Single> d(
      [] { return Order{}; }, 1024, {}, disruptor::Options().withName("orders"));  // threads orders-<handler>
  d.handleEventsWith(journal, replicate).then(match);  // match sees each order after both
  d.start();
  for (std::int64_t i = 0; i < 100'000; ++i) d.publishEvent([](Order& o, std::int64_t, std::int64_t id) { o.id = id; }, i);
  d.shutdown();  // returns once every published order has been matched
  std::printf("matched %lld orders, %lld of them too early\n", static_cast<long long>(matched), static_cast<long long>(early));
  return matched == 100'000 && early == 0 ? 0 : 1;
}
