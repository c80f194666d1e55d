// Many producers, one consumer: the default ProducerType::Multi sequencer
// lets any thread publish; each producer's events arrive in its own order.
#include <disruptor/disruptor.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

struct Order {
  int producer = 0;
  std::int64_t number = 0;
};

int main() {
  constexpr int kProducers = 3;
  constexpr std::int64_t kPerProducer = 200'000;
  std::array<std::int64_t, kProducers> next{};
  std::int64_t outOfOrder = 0;
  auto consumer = [&](Order& o, std::int64_t, bool) {
    if (o.number != next[o.producer]) ++outOfOrder;
    next[o.producer] = o.number + 1;
  };

  disruptor::Disruptor<Order, disruptor::YieldingWaitStrategy> d([] { return Order{}; }, 1024);
  d.handleEventsWith(consumer);
  auto& ring = d.start();

  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p)
    producers.emplace_back([&ring, p] {
      for (std::int64_t i = 0; i < kPerProducer; ++i)
        ring.publishEvent([](Order& o, std::int64_t, int producer, std::int64_t n) { o.producer = producer, o.number = n; }, p,
                          i);
    });
  for (auto& t : producers) t.join();
  d.shutdown();

  bool complete = outOfOrder == 0;
  for (int p = 0; p < kProducers; ++p) {
    std::printf("producer %d: %lld orders received\n", p, static_cast<long long>(next[p]));
    complete = complete && next[p] == kPerProducer;
  }
  std::printf("out of order: %lld\n", static_cast<long long>(outOfOrder));
  return complete ? 0 : 1;
}
