// A diamond: journal and replicate in parallel, then match. CI builds this file against an installed disruptor.
#include <disruptor/disruptor.hpp>

#include <cstdint>
#include <cstdio>

struct Order { std::int64_t id = 0; bool journalled = false, replicated = false; };

int main() {
  std::int64_t matched = 0, early = 0;
  auto journal = [](Order& o, std::int64_t, bool) { o.journalled = true; };    // these two run in parallel, each
  auto replicate = [](Order& o, std::int64_t, bool) { o.replicated = true; };  // on its thread, each on its own field
  auto match = [&](Order& o, std::int64_t, bool) { early += !(o.journalled && o.replicated), ++matched; };

  disruptor::Disruptor<Order, disruptor::BlockingWaitStrategy, disruptor::ProducerType::Single> d(
      [] { return Order{}; }, 1024, {}, disruptor::Options().withName("orders"));  // threads orders-<handler>
  d.handleEventsWith(journal, replicate).then(match);  // match sees each order after both
  d.start();
  auto fill = [](Order& o, std::int64_t, std::int64_t id) { o = Order{id}; };  // a slot is reused: reset it all
  for (std::int64_t i = 0; i < 100'000; ++i) d.publishEvent(fill, i);
  d.shutdown();  // returns once every published order has been matched
  std::printf("matched %lld orders, %lld of them too early\n", static_cast<long long>(matched), static_cast<long long>(early));
  return matched == 100'000 && early == 0 ? 0 : 1;
}
