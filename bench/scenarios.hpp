// The scenarios of shared/bench-scenarios.md, each a function template over
// the wait strategy, run the same way as the LMAX anchor (LmaxBench.java):
// build the Disruptor, start it, publish, wait for the last event, halt.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "disruptor/disruptor.hpp"

namespace bench {

using disruptor::Disruptor;
using disruptor::ProducerType;

inline constexpr std::size_t kRingSize = 1 << 16;
inline constexpr std::size_t kPingPongRingSize = 1024;

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

/// Counts `done` down when it handles the last sequence.
template <class Work>
struct Counted {
  std::int64_t last;
  std::latch* done;
  Work work;
  template <class T>
  void onEvent(T& event, std::int64_t sequence, bool) {
    work(event);
    if (sequence == last) done->count_down();
  }
};
template <class Work>
Counted<Work> counted(std::int64_t last, std::latch& done, Work work) {
  return {last, &done, work};
}

/// 1 producer, 1 consumer summing values; batch > 1 claims and publishes ranges.
template <class W>
std::int64_t unicast(std::int64_t n, std::int64_t batch) {
  std::latch done(1);
  std::int64_t sum = 0;
  auto handler = counted(n - 1, done, [&sum](ValueEvent& e) { sum += e.value; });
  Disruptor<ValueEvent, W, ProducerType::Single> d(kRingSize);
  d.handleEventsWith(handler);
  auto& ring = d.start();
  for (std::int64_t i = 0; i < n; i += batch) {
    const std::int64_t hi = ring.next(batch), lo = hi - batch + 1;
    for (std::int64_t s = lo; s <= hi; ++s) ring.get(s).value = s;
    ring.publish(lo, hi);
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
  auto first = [](FunctionEvent& e, std::int64_t, bool) { e.step1 = e.op1 + e.op2; };
  auto second = [](FunctionEvent& e, std::int64_t, bool) { e.step2 = e.step1 + 3; };
  auto third = counted(n - 1, done, [&count](FunctionEvent& e) { count += (e.step2 & 4) == 4 ? 1 : 0; });
  Disruptor<FunctionEvent, W, ProducerType::Single> d(kRingSize);
  d.handleEventsWith(first).then(second).then(third);
  auto& ring = d.start();
  for (std::int64_t i = 0; i < n; ++i) {
    const std::int64_t s = ring.next();
    FunctionEvent& e = ring.get(s);
    e.op1 = i;
    e.op2 = i + 1;
    ring.publish(s);
  }
  done.wait();
  d.halt();
  return count;
}

/// fizz and buzz in parallel, then fizzbuzz after both; counts values divisible by 15.
template <class W>
std::int64_t diamond(std::int64_t n) {
  std::latch done(1);
  std::int64_t count = 0;
  auto fizz = [](FizzBuzzEvent& e, std::int64_t, bool) { e.fizz = e.value % 3 == 0; };
  auto buzz = [](FizzBuzzEvent& e, std::int64_t, bool) { e.buzz = e.value % 5 == 0; };
  auto fizzBuzz = counted(n - 1, done, [&count](FizzBuzzEvent& e) { count += e.fizz && e.buzz ? 1 : 0; });
  Disruptor<FizzBuzzEvent, W, ProducerType::Single> d(kRingSize);
  d.handleEventsWith(fizz, buzz).then(fizzBuzz);
  auto& ring = d.start();
  for (std::int64_t i = 0; i < n; ++i) {
    const std::int64_t s = ring.next();
    ring.get(s).value = i;
    ring.publish(s);
  }
  done.wait();
  d.halt();
  return count;
}

/// 1 producer, 3 independent consumers (sum, negated sum, running xor); checksum = sum + xor.
template <class W>
std::int64_t multicast(std::int64_t n, bool& consistent) {
  std::latch done(3);
  std::int64_t sum = 0, negated = 0, xored = 0;
  auto a = counted(n - 1, done, [&sum](ValueEvent& e) { sum += e.value; });
  auto b = counted(n - 1, done, [&negated](ValueEvent& e) { negated -= e.value; });
  auto c = counted(n - 1, done, [&xored](ValueEvent& e) { xored ^= e.value; });
  Disruptor<ValueEvent, W, ProducerType::Single> d(kRingSize);
  d.handleEventsWith(a, b, c);
  auto& ring = d.start();
  for (std::int64_t i = 0; i < n; ++i) {
    const std::int64_t s = ring.next();
    ring.get(s).value = i;
    ring.publish(s);
  }
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
  auto handler = counted(perProducer * producers - 1, done, [&sum](ValueEvent& e) { sum += e.value; });
  Disruptor<ValueEvent, W, ProducerType::Multi> d(kRingSize);
  d.handleEventsWith(handler);
  auto& ring = d.start();
  std::vector<std::thread> threads;
  for (int p = 0; p < producers; ++p)
    threads.emplace_back([&ring, perProducer] {
      for (std::int64_t i = 0; i < perProducer; ++i) {
        const std::int64_t s = ring.next();
        ring.get(s).value = i;
        ring.publish(s);
      }
    });
  for (auto& t : threads) t.join();
  done.wait();
  d.halt();
  return sum;
}

/// Round-trip latencies between two threads over two rings: p50, p99, p99.9, max in ns.
template <class W>
std::vector<std::int64_t> pingPong(std::int64_t n) {
  using Clock = std::chrono::steady_clock;
  std::vector<std::int64_t> rtt(static_cast<std::size_t>(n));
  std::latch done(1);
  Clock::time_point sentAt;
  using D = Disruptor<ValueEvent, W, ProducerType::Single>;
  D ping([] { return ValueEvent{}; }, kPingPongRingSize);
  D pong([] { return ValueEvent{}; }, kPingPongRingSize);
  typename D::RingBufferType* rings[2] = {nullptr, nullptr};
  auto echo = [&rings](ValueEvent& e, std::int64_t, bool) {
    rings[1]->publishEvent([](ValueEvent& out, std::int64_t, std::int64_t v) { out.value = v; }, e.value);
  };
  auto pinger = [&](ValueEvent& e, std::int64_t, bool) {
    const auto now = Clock::now();
    const std::int64_t i = e.value;
    rtt[static_cast<std::size_t>(i)] = std::chrono::duration_cast<std::chrono::nanoseconds>(now - sentAt).count();
    if (i + 1 == n) {
      done.count_down();
      return;
    }
    sentAt = Clock::now();
    rings[0]->publishEvent([](ValueEvent& out, std::int64_t, std::int64_t v) { out.value = v; }, i + 1);
  };
  ping.handleEventsWith(echo);
  pong.handleEventsWith(pinger);
  rings[0] = &ping.start();
  rings[1] = &pong.start();
  sentAt = Clock::now();
  rings[0]->publishEvent([](ValueEvent& out, std::int64_t) { out.value = 0; });
  done.wait();
  ping.halt();
  pong.halt();
  std::sort(rtt.begin(), rtt.end());
  const auto at = [&](double q) { return rtt[static_cast<std::size_t>(static_cast<double>(n) * q)]; };
  return {at(0.5), at(0.99), at(0.999), rtt.back()};
}

}  // namespace bench
