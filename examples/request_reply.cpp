// Request and reply over two Stamped rings: a client thread sends a quote
// request, a pricing thread answers it, and the client sends the next only
// once the answer is back. SlotLayout::Stamped lets each handler, caught up
// with its producer, wait on the very line its next event lands in, so every
// hop moves one cache line instead of two. The round trips are timed, and
// every reply is checked against its request.
#include <disruptor/disruptor.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <latch>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Quote {
  std::int64_t id = 0;
  std::int64_t quantity = 0;
  std::int64_t price = 0;  // in ticks; 0 in a request
};

// The price of a request: anything the reply can be checked against.
std::int64_t priceOf(std::int64_t id, std::int64_t quantity) { return 100 + id % 7 + quantity; }

// A yielding strategy, so the example runs on any number of cores; a
// service with a core per thread would use BusySpinWaitStrategy.
using Ring = disruptor::Disruptor<Quote, disruptor::YieldingWaitStrategy, disruptor::ProducerType::Single,
                                  disruptor::SlotLayout::Stamped>;

void send(Ring::RingBufferType& ring, std::int64_t id, std::int64_t quantity, std::int64_t price) {
  ring.publishEvent([](Quote& q, std::int64_t, std::int64_t i, std::int64_t n, std::int64_t p) { q = Quote{i, n, p}; },
                    id, quantity, price);
}

}  // namespace

int main() {
  constexpr std::int64_t kRoundTrips = 100'000;
  std::vector<std::int64_t> nanos(kRoundTrips);
  std::int64_t wrong = 0;
  std::latch done(1);

  Ring requests(1024), replies(1024);
  // The pricing thread answers each request on the replies ring.
  requests.handleEventsWith([&out = replies.getRingBuffer()](Quote& q, std::int64_t, bool) {
    send(out, q.id, q.quantity, priceOf(q.id, q.quantity));
  });
  // The client thread checks each reply and sends the next request.
  replies.handleEventsWith([&out = requests.getRingBuffer(), &nanos, &wrong, &done,
                            sentAt = Clock::now()](Quote& q, std::int64_t, bool) mutable {
    const auto now = Clock::now();
    nanos[static_cast<std::size_t>(q.id)] = std::chrono::duration_cast<std::chrono::nanoseconds>(now - sentAt).count();
    wrong += q.price != priceOf(q.id, q.quantity);
    if (q.id + 1 == kRoundTrips) {
      done.count_down();
      return;
    }
    sentAt = Clock::now();
    send(out, q.id + 1, (q.id + 1) % 100, 0);
  });
  requests.start();
  replies.start();
  send(requests.getRingBuffer(), 0, 0, 0);
  done.wait();
  requests.shutdown();
  replies.shutdown();

  // The first round trip is timed from the handler's construction: left out.
  nanos.erase(nanos.begin());
  std::sort(nanos.begin(), nanos.end());
  const auto at = [&](double q) {
    return static_cast<long long>(nanos[static_cast<std::size_t>(static_cast<double>(nanos.size()) * q)]);
  };
  std::printf("%lld round trips, %lld wrong replies; round trip p50 %lld ns, p99 %lld ns, p99.9 %lld ns\n",
              static_cast<long long>(kRoundTrips), static_cast<long long>(wrong), at(0.5), at(0.99), at(0.999));
  return wrong == 0 ? 0 : 1;
}
