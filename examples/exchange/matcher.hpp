// The business logic, the last handler of the graph: it runs only once the
// journaller and the replicator have both finished an order, so every order
// it matches is already on disk and on the replica.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "order.hpp"
#include "order_book.hpp"

namespace exchange {

/// Nanoseconds on the steady clock: the time base of OrderEvent::publishedNanos.
inline std::int64_t steadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// Event handler that matches each order in the book and records how long it
/// took from publish to matched. Runs on its processor's thread; its results
/// are read after the Disruptor has halted.
struct Matcher {
  OrderBook book;
  std::int64_t trades = 0;
  std::int64_t volume = 0;
  /// One entry per order handled, so its size is also the count of orders matched.
  std::vector<std::int64_t> latencyNanos;
  /// Whether to keep every trade in `fills` (--trades-out); off, a trade stores nothing.
  bool keepFills = false;
  std::vector<Fill> fills;
  /// The id of an order to throw on, to show how a fatal failure is reported (--fail-at); -1: none.
  std::int64_t failAt = -1;

  /// Matches the order and records its latency.
  void onEvent(OrderEvent& event, std::int64_t, bool) {
    if (event.order.id == failAt) throw std::runtime_error("injected failure at order " + std::to_string(failAt));
    book.submit(event.order, [this](const Fill& fill) {
      ++trades;
      volume += fill.quantity;
      if (keepFills) fills.push_back(fill);
    });
    latencyNanos.push_back(steadyNanos() - event.publishedNanos);
  }
  /// The processor thread's name: `<disruptor>-matcher`.
  std::string name() const { return "matcher"; }
};

}  // namespace exchange
