// The scenarios of shared/bench-scenarios.md, each a function template over
// the wait strategy, run the same way as the LMAX anchor (LmaxBench.java):
// build the Disruptor, start it, publish, wait for the last event, halt.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "disruptor/disruptor.hpp"

namespace bench {

using disruptor::Disruptor;
using disruptor::ProducerType;

inline constexpr std::size_t kRingSize = 1 << 16;
inline constexpr std::size_t kPingPongRingSize = 1024;

/// The Options every scenario's Disruptor gets: the library's own, except
/// that DISRUPTOR_BENCH_RELEASE_LINES=0 or 1 turns line release off or on,
/// so one host can be measured both ways (which way is faster differs from
/// host to host).
inline disruptor::Options scenarioOptions() {
  disruptor::Options options;
  if (const char* release = std::getenv("DISRUPTOR_BENCH_RELEASE_LINES"))
    options.releaseConsumedLines = std::strcmp(release, "0") != 0;
  return options;
}

/// The slot layout of pingpong's rings: Stamped, the layout for request and
/// reply, unless DISRUPTOR_BENCH_SLOT_LAYOUT=packed asks for the default
/// one, so both can be measured. Empty for any other value.
inline std::optional<disruptor::SlotLayout> pingPongLayout() {
  const char* layout = std::getenv("DISRUPTOR_BENCH_SLOT_LAYOUT");
  if (layout == nullptr || std::strcmp(layout, "stamped") == 0) return disruptor::SlotLayout::Stamped;
  if (std::strcmp(layout, "packed") == 0) return disruptor::SlotLayout::Packed;
  return std::nullopt;
}

struct ValueEvent {
  std::int64_t value = 0;
};
struct FunctionEvent {
  std::int64_t op1 = 0, op2 = 0, step1 = 0, step2 = 0;
};
struct FizzBuzzEvent {
  std::int64_t value = 0;
  bool fizz = false, buzz = false;
};

/// A handler that folds each event into its own accumulator (a handler
/// object's state, as a service would keep it) and, on the last sequence,
/// hands the result out and counts `done` down. Moved into the Disruptor, so
/// its state lives with its processor, away from the producer's lines.
template <class Step>
struct Counted {
  std::int64_t last;
  std::latch* done;
  std::int64_t* result;
  Step step;
  std::int64_t accumulator = 0;
  template <class T>
  void onEvent(T& event, std::int64_t sequence, bool) {
    step(accumulator, event);
    if (sequence == last) {
      *result = accumulator;
      done->count_down();
    }
  }
};
template <class Step>
Counted<Step> counted(std::int64_t last, std::latch& done, std::int64_t& result, Step step) {
  return {last, &done, &result, step};
}

/// Publishes `n` events one claim at a time, filling each with `fill(event, i)`.
template <class Ring, class Fill>
void publishEach(Ring& ring, std::int64_t n, Fill fill) {
  for (std::int64_t i = 0; i < n; ++i) {
    const std::int64_t sequence = ring.next();
    fill(ring.get(sequence), i);
    ring.publish(sequence);
  }
}

/// 1 producer, 1 consumer summing values; batch > 1 claims and publishes ranges.
template <class W>
std::int64_t unicast(std::int64_t n, std::int64_t batch) {
  std::latch done(1);
  std::int64_t sum = 0;
  Disruptor<ValueEvent, W, ProducerType::Single> d(kRingSize, {}, scenarioOptions());
  d.handleEventsWith(counted(n - 1, done, sum, [](std::int64_t& acc, ValueEvent& e) { acc += e.value; }));
  auto& ring = d.start();
  if (batch == 1) {
    publishEach(ring, n, [](ValueEvent& e, std::int64_t i) { e.value = i; });
  } else {
    for (std::int64_t i = 0; i < n; i += batch) {
      const std::int64_t hi = ring.next(batch), lo = hi - batch + 1;
      for (std::int64_t s = lo; s <= hi; ++s) ring.get(s).value = s;
      ring.publish(lo, hi);
    }
  }
  done.wait();
  d.halt();
  return sum;
}

/// Three stages in a line: step1 = op1 + op2, step2 = step1 + 3, count (step2 & 4) == 4.
template <class W>
std::int64_t pipeline(std::int64_t n) {
  std::latch done(1);
  std::int64_t count = 0;
  Disruptor<FunctionEvent, W, ProducerType::Single> d(kRingSize, {}, scenarioOptions());
  d.handleEventsWith([](FunctionEvent& e, std::int64_t, bool) { e.step1 = e.op1 + e.op2; })
      .then([](FunctionEvent& e, std::int64_t, bool) { e.step2 = e.step1 + 3; })
      .then(counted(n - 1, done, count, [](std::int64_t& acc, FunctionEvent& e) { acc += (e.step2 & 4) == 4 ? 1 : 0; }));
  auto& ring = d.start();
  publishEach(ring, n, [](FunctionEvent& e, std::int64_t i) { e.op1 = i, e.op2 = i + 1; });
  done.wait();
  d.halt();
  return count;
}

/// fizz and buzz in parallel, then fizzbuzz after both; counts values divisible by 15.
template <class W>
std::int64_t diamond(std::int64_t n) {
  std::latch done(1);
  std::int64_t count = 0;
  Disruptor<FizzBuzzEvent, W, ProducerType::Single> d(kRingSize, {}, scenarioOptions());
  d.handleEventsWith([](FizzBuzzEvent& e, std::int64_t, bool) { e.fizz = e.value % 3 == 0; },
                     [](FizzBuzzEvent& e, std::int64_t, bool) { e.buzz = e.value % 5 == 0; })
      .then(counted(n - 1, done, count, [](std::int64_t& acc, FizzBuzzEvent& e) { acc += e.fizz && e.buzz ? 1 : 0; }));
  auto& ring = d.start();
  publishEach(ring, n, [](FizzBuzzEvent& e, std::int64_t i) { e.value = i; });
  done.wait();
  d.halt();
  return count;
}

/// 1 producer, 3 independent consumers (sum, negated sum, running xor); checksum = sum + xor.
template <class W>
std::int64_t multicast(std::int64_t n, bool& consistent) {
  std::latch done(3);
  std::int64_t sum = 0, negated = 0, xored = 0;
  Disruptor<ValueEvent, W, ProducerType::Single> d(kRingSize, {}, scenarioOptions());
  d.handleEventsWith(counted(n - 1, done, sum, [](std::int64_t& acc, ValueEvent& e) { acc += e.value; }),
                     counted(n - 1, done, negated, [](std::int64_t& acc, ValueEvent& e) { acc -= e.value; }),
                     counted(n - 1, done, xored, [](std::int64_t& acc, ValueEvent& e) { acc ^= e.value; }));
  auto& ring = d.start();
  publishEach(ring, n, [](ValueEvent& e, std::int64_t i) { e.value = i; });
  done.wait();
  d.halt();
  consistent = sum == -negated;
  return sum + xored;
}

/// `producers` producers on the multi-producer sequencer, 1 consumer summing values.
template <class W>
std::int64_t manyToOne(std::int64_t n, int producers) {
  std::latch done(1);
  std::int64_t sum = 0;
  const std::int64_t perProducer = n / producers;
  Disruptor<ValueEvent, W, ProducerType::Multi> d(kRingSize, {}, scenarioOptions());
  d.handleEventsWith(
      counted(perProducer * producers - 1, done, sum, [](std::int64_t& acc, ValueEvent& e) { acc += e.value; }));
  auto& ring = d.start();
  std::vector<std::thread> threads;
  for (int p = 0; p < producers; ++p)
    threads.emplace_back([&ring, perProducer] { publishEach(ring, perProducer, [](ValueEvent& e, std::int64_t i) { e.value = i; }); });
  for (auto& t : threads) t.join();
  done.wait();
  d.halt();
  return sum;
}

struct TaggedEvent {
  int producer = 0;
  std::int64_t value = 0;
};

/// Sums the values of the events of producers `first`..`last`.
struct SumOfProducers {
  int first, last;
  std::int64_t* result;
  std::int64_t sum = 0;
  void onEvent(TaggedEvent& e, std::int64_t, bool) {
    if (e.producer >= first && e.producer <= last) sum += e.value;
  }
  void onShutdown() { *result = sum; }
};

/// More threads than cores: 4 producers into 8 handlers. Four filters (one
/// per producer) run in parallel, two pair sums each after two filters, a
/// total after both pairs, and a count after the total, which ends the run.
/// Returns the total; `consistent` says whether every stage agrees with it.
template <class W>
std::int64_t fanInFanOut(std::int64_t n, bool& consistent) {
  constexpr int kProducers = 4;
  std::latch done(1);
  const std::int64_t perProducer = n / kProducers;
  std::int64_t filters[kProducers] = {}, pairs[2] = {}, total = 0, count = 0;
  {
    Disruptor<TaggedEvent, W, ProducerType::Multi> d(kRingSize, {}, scenarioOptions());
    auto filter = [&](int p) { return SumOfProducers{p, p, &filters[p]}; };
    d.handleEventsWith(filter(0), filter(1)).then(SumOfProducers{0, 1, &pairs[0]})
        .and_(d.handleEventsWith(filter(2), filter(3)).then(SumOfProducers{2, 3, &pairs[1]}))
        .then(SumOfProducers{0, kProducers - 1, &total})
        .then(counted(perProducer * kProducers - 1, done, count, [](std::int64_t& acc, TaggedEvent&) { ++acc; }));
    auto& ring = d.start();
    std::vector<std::thread> threads;
    for (int p = 0; p < kProducers; ++p)
      threads.emplace_back([&ring, p, perProducer] {
        publishEach(ring, perProducer, [p](TaggedEvent& e, std::int64_t i) { e.producer = p, e.value = i; });
      });
    for (auto& t : threads) t.join();
    done.wait();
  }  // halted and joined: every onShutdown has handed its sum out
  const std::int64_t each = perProducer * (perProducer - 1) / 2;
  consistent = count == perProducer * kProducers && pairs[0] == 2 * each && pairs[1] == 2 * each;
  for (std::int64_t f : filters) consistent = consistent && f == each;
  return total;
}

/// Round-trip latencies between two threads over two rings of layout L: p50,
/// p99, p99.9, max in ns; empty if some round trip went untimed.
///
/// Each handler holds what it uses by value (its ring, the pinger's send
/// time), so it lives with its processor. Shared locals of this frame would
/// sit on one line that the pinger writes every round trip and the echo reads
/// every round trip: a cross-core miss per hop that is the harness's, not the
/// ring's.
template <class W, disruptor::SlotLayout L>
std::vector<std::int64_t> pingPong(std::int64_t n) {
  using Clock = std::chrono::steady_clock;
  using D = Disruptor<ValueEvent, W, ProducerType::Single, L>;
  std::vector<std::int64_t> rtt(static_cast<std::size_t>(n), -1);
  std::latch done(1);
  D ping(kPingPongRingSize, {}, scenarioOptions());
  D pong(kPingPongRingSize, {}, scenarioOptions());
  const auto send = [](typename D::RingBufferType& ring, std::int64_t value) {
    ring.publishEvent([](ValueEvent& out, std::int64_t, std::int64_t v) { out.value = v; }, value);
  };
  ping.handleEventsWith([send, &out = pong.getRingBuffer()](ValueEvent& e, std::int64_t, bool) { send(out, e.value); });
  // Round trip 0 is not timed: the main thread sends it, and the pinger
  // times each later one from its own clock. Each sample is stored after the
  // next ping is sent: the samples fill 8 MiB, so every eighth store misses
  // the cache, and a store made before the send held the send's publish
  // behind it (x86 makes stores visible in order), timing the harness's own
  // miss into the next round trip.
  pong.handleEventsWith([send, &out = ping.getRingBuffer(), rtt = rtt.data(), n, &done,
                         sentAt = Clock::time_point{}](ValueEvent& e, std::int64_t, bool) mutable {
    const auto now = Clock::now();
    const std::int64_t i = e.value;
    const std::int64_t took = std::chrono::duration_cast<std::chrono::nanoseconds>(now - sentAt).count();
    if (i < n) {
      sentAt = Clock::now();
      send(out, i + 1);
    }
    if (i > 0) rtt[i - 1] = took;
    if (i == n) done.count_down();
  });
  ping.start();
  pong.start();
  send(ping.getRingBuffer(), 0);
  done.wait();
  ping.halt();
  pong.halt();
  std::sort(rtt.begin(), rtt.end());
  if (rtt.front() < 0) return {};
  const auto at = [&](double q) { return rtt[static_cast<std::size_t>(static_cast<double>(n) * q)]; };
  return {at(0.5), at(0.99), at(0.999), rtt.back()};
}

}  // namespace bench
