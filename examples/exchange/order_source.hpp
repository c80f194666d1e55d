// Where the exchange's orders come from: a seeded generator (the same seed
// gives the same orders, and so the same trades) or text lines, one order per
// line; and a pacer that holds publishing to a target rate.
#pragma once

#include <chrono>
#include <cstdint>
#include <istream>
#include <optional>
#include <random>

#include "order.hpp"

namespace exchange {

/// `count` random limit orders around a mid price that wanders, so that
/// roughly half of them cross the book. Deterministic for a seed.
class RandomOrders {
 public:
  /// `count` orders from generator seed `seed`.
  RandomOrders(std::int64_t count, std::uint64_t seed) : count_(count), random_(seed) {}
  /// The next order, or nullopt after `count`.
  std::optional<Order> next();

 private:
  std::int64_t count_;
  std::int64_t nextId_ = 0;
  std::int64_t mid_ = 10'000;
  std::mt19937_64 random_;
};

/// Orders read from text, one per line: `B|S <price> <quantity>`, e.g.
/// `B 10050 25`; blank lines and lines starting with `#` are skipped.
class LineOrders {
 public:
  /// Reads from `in`, which must outlive this.
  explicit LineOrders(std::istream& in) : in_(in) {}
  /// The next order, or nullopt at the end; throws std::invalid_argument
  /// naming the line for a malformed one.
  std::optional<Order> next();

 private:
  std::istream& in_;
  std::int64_t nextId_ = 0;
  std::int64_t line_ = 0;
};

/// Holds a producer to `rate` orders per second (0: no limit) by sleeping
/// whenever it is ahead of schedule; it then catches up in a burst, as real
/// order flow arrives.
class Pacer {
 public:
  /// Paces to `rate` orders per second from now.
  explicit Pacer(double rate) : rate_(rate), start_(std::chrono::steady_clock::now()) {}
  /// Waits until order number `index` (from 0) is due.
  void awaitTurn(std::int64_t index) const;

 private:
  double rate_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace exchange
