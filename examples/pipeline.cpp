// A pipeline: parse -> enrich -> total. Each stage sees an event only after
// the one before it, so each reads what the previous one wrote, without locks.
#include <disruptor/disruptor.hpp>

#include <cstdint>
#include <cstdio>

struct Trade {
  std::int64_t quantity = 0;
  std::int64_t priceCents = 0;
  std::int64_t notional = 0;  // written by enrich
};

int main() {
  std::int64_t parsed = 0, total = 0;
  auto parse = [&parsed](Trade& t, std::int64_t, bool) { parsed += t.quantity > 0 ? 1 : 0; };
  auto enrich = [](Trade& t, std::int64_t, bool) { t.notional = t.quantity * t.priceCents; };
  auto sum = [&total](Trade& t, std::int64_t, bool) { total += t.notional; };

  disruptor::Disruptor<Trade, disruptor::YieldingWaitStrategy, disruptor::ProducerType::Single> d(
      [] { return Trade{}; }, 256, {}, disruptor::Options().withName("pipeline"));
  d.handleEventsWith(parse).then(enrich).then(sum);
  d.start();

  constexpr std::int64_t kTrades = 100'000;
  std::int64_t expected = 0;
  for (std::int64_t i = 1; i <= kTrades; ++i) {
    d.publishEvent([](Trade& t, std::int64_t, std::int64_t n) { t.quantity = n % 7 + 1, t.priceCents = 100 + n % 13; }, i);
    expected += (i % 7 + 1) * (100 + i % 13);
  }
  d.shutdown();
  std::printf("pipeline: %lld trades, total notional %lld cents (expected %lld)\n", static_cast<long long>(parsed),
              static_cast<long long>(total), static_cast<long long>(expected));
  return parsed == kTrades && total == expected ? 0 : 1;
}
