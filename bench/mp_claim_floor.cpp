// The floor under three_to_one: two producer threads claiming from one
// cursor by atomic add, each writing its slot and the slot's published flag,
// with no consumer and no library. Run with the two pinned to two CPUs
// ("apart") and then both to one ("together"): where the producers run on
// two cores, every claim waits for the line its last write took from the
// other core, and no multi-producer ring can go faster than this. How often
// a scheduler spreads the producers decides three_to_one more than the
// library does.
//
// Usage: mp_claim_floor [events] [runs]; prints, for each placement, the
// best run's claims per second, and exits non-zero if a sequence was claimed
// twice or not at all.
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

namespace {

constexpr int kRingBits = 16;  // as the scenarios' ring
constexpr std::int64_t kRingSize = std::int64_t{1} << kRingBits;
constexpr std::int64_t kMask = kRingSize - 1;

struct Ring {
  alignas(128) std::atomic<std::int64_t> cursor{0};
  alignas(128) std::int64_t slots[kRingSize] = {};
  alignas(128) std::atomic<std::int32_t> published[kRingSize] = {};
};

void pinTo(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);  // best effort: unpinned still measures
}

// Each producer claims `each` sequences and adds up the ones it got, so the
// two sums together check that every sequence went to exactly one claim.
double claimsPerSecond(Ring& ring, std::int64_t each, int cpuA, int cpuB, std::int64_t& claimedSum) {
  ring.cursor.store(0);
  std::int64_t sums[2] = {};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> producers;
  for (int p = 0; p < 2; ++p)
    producers.emplace_back([&ring, &sums, each, p, cpu = p == 0 ? cpuA : cpuB] {
      pinTo(cpu);
      std::int64_t sum = 0;
      for (std::int64_t i = 0; i < each; ++i) {
        const std::int64_t s = ring.cursor.fetch_add(1, std::memory_order_seq_cst);
        ring.slots[s & kMask] = i;
        ring.published[s & kMask].store(static_cast<std::int32_t>(s >> kRingBits), std::memory_order_release);  // its lap
        sum += s;
      }
      sums[p] = sum;
    });
  for (auto& t : producers) t.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  claimedSum = sums[0] + sums[1];
  return static_cast<double>(2 * each) / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t events = argc > 1 ? std::atoll(argv[1]) : 20'000'000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
  if (events < 2 || runs < 1) {
    std::fprintf(stderr, "usage: %s [events >= 2] [runs >= 1]\n", argv[0]);
    return 2;
  }
  const std::int64_t each = events / 2, total = 2 * each;
  const std::int64_t expected = total * (total - 1) / 2;
  const int cpus = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto ring = std::make_unique<Ring>();
  struct Placement { const char* name; int a, b; };
  const Placement placements[] = {{"apart", 0, cpus > 1 ? 1 : 0}, {"together", 0, 0}};
  for (const auto& placement : placements) {
    double best = 0;
    for (int r = 0; r < runs; ++r) {
      std::int64_t sum = 0;
      best = std::max(best, claimsPerSecond(*ring, each, placement.a, placement.b, sum));
      if (sum != expected) {
        std::fprintf(stderr, "mp_claim_floor: claimed sequences sum to %lld, not %lld\n",
                     static_cast<long long>(sum), static_cast<long long>(expected));
        return 1;
      }
    }
    std::printf("mp_claim_floor %s ops_per_sec=%.0f\n", placement.name, best);
  }
  return 0;
}
