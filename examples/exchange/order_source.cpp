// The generator, the line reader and the pacer.
#include "order_source.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <thread>

namespace exchange {

std::optional<Order> RandomOrders::next() {
  if (nextId_ == count_) return std::nullopt;
  std::uniform_int_distribution<std::int64_t> drift(-1, 1), spread(0, 10), quantity(1, 100);
  mid_ = std::clamp<std::int64_t>(mid_ + drift(random_), 9'000, 11'000);
  const Side side = random_() % 2 == 0 ? Side::Buy : Side::Sell;
  // Buyers bid up to 5 ticks either side of the mid, sellers likewise: about half the orders cross.
  const std::int64_t price = mid_ + spread(random_) - 5;
  return Order{nextId_++, side, price, quantity(random_)};
}

std::optional<Order> LineOrders::next() {
  std::string line;
  while (std::getline(in_, line)) {
    ++line_;
    try {
      if (auto order = parseOrder(line, nextId_)) {
        ++nextId_;
        return order;
      }
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("input line " + std::to_string(line_) + ": " + e.what());
    }
  }
  return std::nullopt;
}

void Pacer::awaitTurn(std::int64_t index) const {
  if (rate_ <= 0) return;
  const auto due = start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                std::chrono::duration<double>(static_cast<double>(index) / rate_));
  if (std::chrono::steady_clock::now() < due) std::this_thread::sleep_until(due);
}

}  // namespace exchange
