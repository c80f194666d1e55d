// Why a ring's round trip cannot match pingpong_floor's at the tail: the time
// to bounce a line between two cores depends on where the line lives (on a
// mesh, the address picks the cache slice that tracks the line), and the
// guest cannot choose that. pingpong_floor bounces one pair of lines for a
// whole process, so each process draws one placement; a ring of 1024 slots
// walks over hundreds of lines, so every run pays the mix of all of them.
//
// This bounces each of `pairs` line pairs of one buffer in turn (ping on one
// line, pong on another), twice over, with no library. It prints each pair's
// p50 and p99 in both sweeps, how well the two sweeps agree (a correlation
// near 1 means the address, not the moment, sets the time), and the p99 of
// all round trips pooled, as a ring would see them, against the median
// pair's.
//
// Usage: pingpong_line_sweep [pairs] [round_trips_per_pair]; exits non-zero
// if an echo came back with the wrong value.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

namespace {

constexpr int kSweeps = 2;

// Ping and pong of one pair sit 128 bytes apart, as pingpong_floor's, so the
// adjacent-line prefetcher does not pair them.
struct alignas(128) Line {
  std::atomic<std::int64_t> value{-1};
};

struct Percentiles {
  std::int64_t p50 = 0, p99 = 0;
};

Percentiles percentiles(std::vector<std::int64_t> samples) {
  std::sort(samples.begin(), samples.end());
  const auto at = [&](double q) { return samples[static_cast<std::size_t>(static_cast<double>(samples.size()) * q)]; };
  return {at(0.5), at(0.99)};
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const auto n = static_cast<double>(a.size());
  double meanA = 0, meanB = 0;
  for (std::size_t i = 0; i < a.size(); ++i) meanA += a[i] / n, meanB += b[i] / n;
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ab += (a[i] - meanA) * (b[i] - meanB);
    aa += (a[i] - meanA) * (a[i] - meanA);
    bb += (b[i] - meanB) * (b[i] - meanB);
  }
  return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int pairs = argc > 1 ? std::atoi(argv[1]) : 32;
  const std::int64_t perPair = argc > 2 ? std::atoll(argv[2]) : 100'000;
  if (pairs < 2 || perPair < 100) {
    std::fprintf(stderr, "usage: pingpong_line_sweep [pairs >= 2] [round_trips_per_pair >= 100]\n");
    return 2;
  }
  const int jobs = kSweeps * pairs;
  auto lines = std::make_unique<Line[]>(static_cast<std::size_t>(2 * pairs));
  // Job j bounces pair j % pairs; each value is unique across jobs, so no
  // stale value of an earlier job can pass for a fresh one.
  const auto value = [perPair](int job, std::int64_t i) { return static_cast<std::int64_t>(job) * perPair + i; };
  std::atomic<int> started{-1};
  std::atomic<bool> wrongEcho{false};

  std::thread echo([&] {
    for (int job = 0; job < jobs; ++job) {
      while (started.load(std::memory_order_acquire) < job) {
      }
      Line& ping = lines[static_cast<std::size_t>(2 * (job % pairs))];
      Line& pong = lines[static_cast<std::size_t>(2 * (job % pairs) + 1)];
      for (std::int64_t i = 0; i < perPair; ++i) {
        std::int64_t seen;
        while ((seen = ping.value.load(std::memory_order_acquire)) < value(job, i)) {
        }
        if (seen != value(job, i)) wrongEcho.store(true);
        pong.value.store(seen, std::memory_order_release);
      }
    }
  });

  std::vector<std::vector<Percentiles>> byPair(kSweeps, std::vector<Percentiles>(static_cast<std::size_t>(pairs)));
  std::vector<std::int64_t> pooled;  // the last sweep's round trips, every pair together
  std::vector<std::int64_t> rtt(static_cast<std::size_t>(perPair));
  for (int job = 0; job < jobs; ++job) {
    Line& ping = lines[static_cast<std::size_t>(2 * (job % pairs))];
    Line& pong = lines[static_cast<std::size_t>(2 * (job % pairs) + 1)];
    started.store(job, std::memory_order_release);
    for (std::int64_t i = 0; i < perPair; ++i) {
      const auto sentAt = std::chrono::steady_clock::now();
      ping.value.store(value(job, i), std::memory_order_release);
      while (pong.value.load(std::memory_order_acquire) != value(job, i)) {
      }
      rtt[static_cast<std::size_t>(i)] =
          std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - sentAt).count();
    }
    byPair[static_cast<std::size_t>(job / pairs)][static_cast<std::size_t>(job % pairs)] = percentiles(rtt);
    if (job / pairs == kSweeps - 1) pooled.insert(pooled.end(), rtt.begin(), rtt.end());
  }
  echo.join();
  if (wrongEcho.load()) {
    std::fprintf(stderr, "pingpong_line_sweep: an echo came back with the wrong value\n");
    return 1;
  }

  std::vector<double> first, last;
  std::vector<std::int64_t> lastP99;
  for (int pair = 0; pair < pairs; ++pair) {
    const Percentiles& a = byPair.front()[static_cast<std::size_t>(pair)];
    const Percentiles& b = byPair.back()[static_cast<std::size_t>(pair)];
    std::printf("pair %d rtt_ns p50=%lld,%lld p99=%lld,%lld\n", pair, static_cast<long long>(a.p50),
                static_cast<long long>(b.p50), static_cast<long long>(a.p99), static_cast<long long>(b.p99));
    first.push_back(static_cast<double>(a.p50));
    last.push_back(static_cast<double>(b.p50));
    lastP99.push_back(b.p99);
  }
  std::sort(lastP99.begin(), lastP99.end());
  const auto [minP50, maxP50] = std::minmax_element(last.begin(), last.end());
  std::printf("p50 by pair %.0f-%.0f ns, correlation of the two sweeps %.2f\n", *minP50, *maxP50,
              correlation(first, last));
  std::printf("p99 pooled over all pairs %lld ns, median pair's p99 %lld ns\n",
              static_cast<long long>(percentiles(pooled).p99),
              static_cast<long long>(lastP99[lastP99.size() / 2]));
}
