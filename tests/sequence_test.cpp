#include <doctest/doctest.h>

#include <cstddef>
#include <vector>

#include "disruptor/sequence.hpp"

using disruptor::Sequence;

TEST_CASE("a sequence starts at -1 and reads back what was set") {
  Sequence sequence;
  CHECK(sequence.get() == -1);
  sequence.set(41);
  CHECK(sequence.get() == 41);
  sequence.setVolatile(42);
  CHECK(sequence.getPlain() == 42);
}

TEST_CASE("compareAndSet only swaps from the expected value") {
  Sequence sequence(5);
  CHECK_FALSE(sequence.compareAndSet(4, 10));
  CHECK(sequence.get() == 5);
  CHECK(sequence.compareAndSet(5, 10));
  CHECK(sequence.get() == 10);
}

TEST_CASE("addAndGet and getAndAdd return the new and the old value") {
  Sequence sequence;
  CHECK(sequence.addAndGet(3) == 2);
  CHECK(sequence.getAndAdd(2) == 2);
  CHECK(sequence.incrementAndGet() == 5);
}

TEST_CASE("neighbouring sequences never share a prefetched pair of cache lines") {
  Sequence pair[2];
  const auto distance = reinterpret_cast<std::byte*>(&pair[1]) - reinterpret_cast<std::byte*>(&pair[0]);
  CHECK(distance == static_cast<std::ptrdiff_t>(disruptor::kFalseSharingRange));
  CHECK(reinterpret_cast<std::uintptr_t>(&pair[0]) % disruptor::kFalseSharingRange == 0);
}

TEST_CASE("minimumSequence is the smallest, or the fallback when empty") {
  Sequence a(7), b(3), c(9);
  const std::vector<const Sequence*> all{&a, &b, &c};
  CHECK(disruptor::minimumSequence(all, 100) == 3);
  CHECK(disruptor::minimumSequence(std::vector<const Sequence*>{}, 100) == 100);
}
