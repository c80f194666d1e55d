// A limit order book with price-time priority: an incoming order trades
// against the best-priced resting orders of the other side, and among orders
// at one price, the oldest first; what it cannot fill rests at its limit price.
// Trades happen at the resting order's price.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>

#include "order.hpp"

namespace exchange {

/// One trade: `quantity` changed hands at `price` between a buyer and a seller.
struct Fill {
  std::int64_t buyId = 0;
  std::int64_t sellId = 0;
  std::int64_t price = 0;
  std::int64_t quantity = 0;
  bool operator==(const Fill&) const = default;
};

/// The resting orders of one instrument. Single-threaded: the matcher's thread.
class OrderBook {
 public:
  /// Matches `order` against the other side, calling `onFill(const Fill&)` for
  /// each trade in the order they happen, then rests any remaining quantity.
  template <class OnFill>
  void submit(Order order, OnFill&& onFill) {
    if (order.side == Side::Buy)
      match(order, asks_, [&](std::int64_t ask) { return ask <= order.price; }, onFill);
    else
      match(order, bids_, [&](std::int64_t bid) { return bid >= order.price; }, onFill);
    if (order.quantity == 0) return;
    if (order.side == Side::Buy)
      bids_[order.price].push_back(order);
    else
      asks_[order.price].push_back(order);
  }

  /// The highest price a resting buyer pays, if any.
  [[nodiscard]] std::optional<std::int64_t> bestBid() const {
    return bids_.empty() ? std::nullopt : std::optional(bids_.begin()->first);
  }
  /// The lowest price a resting seller accepts, if any.
  [[nodiscard]] std::optional<std::int64_t> bestAsk() const {
    return asks_.empty() ? std::nullopt : std::optional(asks_.begin()->first);
  }
  /// How many orders rest on `side`.
  [[nodiscard]] std::size_t resting(Side side) const {
    return side == Side::Buy ? count(bids_) : count(asks_);
  }

 private:
  // Walks `book` from its best level while `crosses(price)`, oldest order first.
  template <class Book, class Crosses, class OnFill>
  static void match(Order& incoming, Book& book, Crosses crosses, OnFill& onFill) {
    while (incoming.quantity > 0 && !book.empty() && crosses(book.begin()->first)) {
      auto& [price, level] = *book.begin();
      Order& resting = level.front();
      const std::int64_t quantity = std::min(incoming.quantity, resting.quantity);
      const bool buying = incoming.side == Side::Buy;
      onFill(Fill{buying ? incoming.id : resting.id, buying ? resting.id : incoming.id, price, quantity});
      incoming.quantity -= quantity;
      resting.quantity -= quantity;
      if (resting.quantity == 0) level.pop_front();
      if (level.empty()) book.erase(book.begin());
    }
  }

  template <class Book>
  static std::size_t count(const Book& book) {
    std::size_t n = 0;
    for (const auto& [price, level] : book) n += level.size();
    return n;
  }

  std::map<std::int64_t, std::deque<Order>, std::greater<>> bids_;  // best (highest) first
  std::map<std::int64_t, std::deque<Order>> asks_;                  // best (lowest) first
};

}  // namespace exchange
