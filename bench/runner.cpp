// The scenario runner: `runner <scenario> <events> <wait> [runs]`, printing
// the same lines as the LMAX anchor so the two can be compared turn about.
// Every checksum is checked against its closed form; a mismatch exits 1.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "scenarios.hpp"

namespace {

using namespace bench;

// The closed form each scenario's checksum must equal.
std::int64_t expectedChecksum(const std::string& scenario, std::int64_t n) {
  const auto sumBelow = [](std::int64_t k) { return k * (k - 1) / 2; };
  if (scenario == "unicast" || scenario == "unicast_batch") return sumBelow(n);
  if (scenario == "multicast") {
    std::int64_t x = 0;
    for (std::int64_t i = 0; i < n; ++i) x ^= i;
    return sumBelow(n) + x;
  }
  if (scenario == "pipeline") {
    std::int64_t count = 0;
    for (std::int64_t i = 0; i < n; ++i) count += ((i + i + 1 + 3) & 4) == 4 ? 1 : 0;
    return count;
  }
  if (scenario == "diamond") return (n - 1) / 15 + 1;
  if (scenario == "three_to_one") return 3 * sumBelow(n / 3);
  if (scenario == "fan_in_fan_out") return 4 * sumBelow(n / 4);
  return -1;
}

template <class W>
int runScenario(const std::string& scenario, std::int64_t n, const std::string& wait, int runs) {
  if (scenario == "pingpong") {  // one line per run, as the anchor prints, so both sides keep a best of `runs`
    const auto layout = pingPongLayout();
    if (!layout) {
      std::fprintf(stderr, "DISRUPTOR_BENCH_SLOT_LAYOUT must be stamped or packed\n");
      return 2;
    }
    for (int run = 0; run < runs; ++run) {
      const auto p = *layout == disruptor::SlotLayout::Stamped ? pingPong<W, disruptor::SlotLayout::Stamped>(n)
                                                               : pingPong<W, disruptor::SlotLayout::Packed>(n);
      if (p.empty()) {
        std::fprintf(stderr, "pingpong: a round trip was not timed\n");
        return 1;
      }
      std::printf("pingpong %s rtt_ns p50=%lld p99=%lld p99.9=%lld max=%lld\n", wait.c_str(),
                  static_cast<long long>(p[0]), static_cast<long long>(p[1]), static_cast<long long>(p[2]),
                  static_cast<long long>(p[3]));
      std::fflush(stdout);
    }
    return 0;
  }
  std::function<std::int64_t()> once;
  bool consistent = true;
  if (scenario == "unicast") once = [n] { return unicast<W>(n, 1); };
  else if (scenario == "unicast_batch") once = [n] { return unicast<W>(n, 10); };
  else if (scenario == "multicast") once = [n, &consistent] { return multicast<W>(n, consistent); };
  else if (scenario == "pipeline") once = [n] { return pipeline<W>(n); };
  else if (scenario == "diamond") once = [n] { return diamond<W>(n); };
  else if (scenario == "three_to_one") once = [n] { return manyToOne<W>(n, 3); };
  else if (scenario == "fan_in_fan_out") once = [n, &consistent] { return fanInFanOut<W>(n, consistent); };
  else {
    std::fprintf(stderr, "unknown scenario '%s'\n", scenario.c_str());
    return 2;
  }
  const std::int64_t expected = expectedChecksum(scenario, n);
  for (int run = 0; run < runs; ++run) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::int64_t checksum = once();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%s %s run=%d ops_per_sec=%lld checksum=%lld\n", scenario.c_str(), wait.c_str(), run,
                static_cast<long long>(static_cast<double>(n) / seconds), static_cast<long long>(checksum));
    std::fflush(stdout);
    if (checksum != expected || !consistent) {
      std::fprintf(stderr, "checksum mismatch in %s/%s run %d: got %lld, expected %lld%s\n", scenario.c_str(),
                   wait.c_str(), run, static_cast<long long>(checksum), static_cast<long long>(expected),
                   consistent ? "" : " (consumers disagree)");
      return 1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s <scenario> <events> <wait> [runs]\n", argv[0]);
    return 2;
  }
  const std::string scenario = argv[1], wait = argv[3];
  const std::int64_t n = std::atoll(argv[2]);
  const int runs = argc > 4 ? std::atoi(argv[4]) : 3;
  using namespace disruptor;
  if (wait == "busyspin") return runScenario<BusySpinWaitStrategy>(scenario, n, wait, runs);
  if (wait == "yielding") return runScenario<YieldingWaitStrategy>(scenario, n, wait, runs);
  if (wait == "sleeping") return runScenario<SleepingWaitStrategy>(scenario, n, wait, runs);
  if (wait == "blocking") return runScenario<BlockingWaitStrategy>(scenario, n, wait, runs);
  if (wait == "liteblocking") return runScenario<LiteBlockingWaitStrategy>(scenario, n, wait, runs);
  std::fprintf(stderr, "unknown wait strategy '%s'\n", wait.c_str());
  return 2;
}
