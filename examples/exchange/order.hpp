// An order, the event the exchange's ring carries, and the one wire format
// the journal file and the replication stream share: a fixed 32-byte frame
// (id, side, price, quantity as four host-order 64-bit integers), so a
// reader needs no delimiter and a torn frame shows as a leftover.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace exchange {

/// Which side of the book an order is on.
enum class Side : std::int64_t { Buy = 0, Sell = 1 };

/// A limit order: buy or sell `quantity` at `price` (in ticks) or better.
struct Order {
  std::int64_t id = 0;
  Side side = Side::Buy;
  std::int64_t price = 0;
  std::int64_t quantity = 0;
  bool operator==(const Order&) const = default;
};

/// A slot of the ring: the order and when it was published (steady clock, ns).
struct OrderEvent {
  Order order;
  std::int64_t publishedNanos = 0;
};

/// Bytes per order on the wire and in the journal.
inline constexpr std::size_t kFrameSize = 4 * sizeof(std::int64_t);

/// Appends `order`'s frame to `out`.
void appendFrame(std::vector<std::byte>& out, const Order& order);

/// Decodes the whole frames at the front of `bytes` into `out`; returns how many bytes they took.
std::size_t decodeFrames(std::span<const std::byte> bytes, std::vector<Order>& out);

/// Parses one line of the text input, `B|S <price> <quantity>`, as order `id`;
/// nullopt for a blank or `#` comment line; throws std::invalid_argument naming the mistake.
std::optional<Order> parseOrder(const std::string& line, std::int64_t id);

}  // namespace exchange
