// The frame and text formats of an order.
#include "order.hpp"

#include <cstring>
#include <sstream>
#include <stdexcept>

namespace exchange {

void appendFrame(std::vector<std::byte>& out, const Order& order) {
  const std::int64_t fields[] = {order.id, static_cast<std::int64_t>(order.side), order.price, order.quantity};
  static_assert(sizeof(fields) == kFrameSize);
  const auto* bytes = reinterpret_cast<const std::byte*>(fields);
  out.insert(out.end(), bytes, bytes + kFrameSize);
}

std::size_t decodeFrames(std::span<const std::byte> bytes, std::vector<Order>& out) {
  std::size_t used = 0;
  for (; bytes.size() - used >= kFrameSize; used += kFrameSize) {
    std::int64_t fields[4];
    std::memcpy(fields, bytes.data() + used, kFrameSize);
    out.push_back({fields[0], static_cast<Side>(fields[1]), fields[2], fields[3]});
  }
  return used;
}

std::optional<Order> parseOrder(const std::string& line, std::int64_t id) {
  std::istringstream in(line);
  std::string side;
  if (!(in >> side) || side.front() == '#') return std::nullopt;
  Order order{id, Side::Buy, 0, 0};
  if (side == "B" || side == "b")
    order.side = Side::Buy;
  else if (side == "S" || side == "s")
    order.side = Side::Sell;
  else
    throw std::invalid_argument("the side must be B or S, got '" + side + "'");
  std::string rest;
  if (!(in >> order.price >> order.quantity) || (in >> rest))
    throw std::invalid_argument("expected 'B|S <price> <quantity>', got '" + line + "'");
  if (order.price <= 0 || order.quantity <= 0)
    throw std::invalid_argument("price and quantity must be positive, got '" + line + "'");
  return order;
}

}  // namespace exchange
