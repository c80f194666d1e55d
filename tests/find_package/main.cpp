// Uses an installed disruptor: a diamond graph whose leaf checks that both
// upstream handlers saw each event first. Exits non-zero if anything is off.
#include <disruptor/disruptor.hpp>

#include <cstdint>
#include <cstdio>

struct Trade {
  std::int64_t id = 0;
  int seen = 0;
};

int main() {
  std::int64_t wrong = 0, settled = 0;
  auto audit = [](Trade& t, std::int64_t, bool) { ++t.seen; };
  auto risk = [](Trade& t, std::int64_t, bool) { ++t.seen; };
  auto settle = [&](Trade& t, std::int64_t, bool) {
    wrong += t.seen != 2;
    t.seen = 0;
    ++settled;
  };

  disruptor::Disruptor<Trade, disruptor::BlockingWaitStrategy, disruptor::ProducerType::Single> d(
      [] { return Trade{}; }, 64, {}, disruptor::Options().withName("consumer"));
  d.handleEventsWith(audit, risk).then(settle);
  d.start();
  constexpr std::int64_t kTrades = 1000;
  for (std::int64_t i = 0; i < kTrades; ++i) d.publishEvent([](Trade& t, std::int64_t, std::int64_t id) { t.id = id; }, i);
  d.shutdown();

  std::printf("consumer of the installed disruptor: settled %lld trades, %lld out of order\n",
              static_cast<long long>(settled), static_cast<long long>(wrong));
  return settled == kTrades && wrong == 0 ? 0 : 1;
}
