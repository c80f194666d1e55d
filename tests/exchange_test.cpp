// The exchange example's business logic and formats: an order book with
// price-time priority, the text order format, and the frame format that the
// journal and the replica share.
#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "order.hpp"
#include "order_book.hpp"

using exchange::Fill;
using exchange::Order;
using exchange::OrderBook;
using exchange::Side;

namespace {
/// Submits `order` and returns the fills it caused, in order.
std::vector<Fill> submit(OrderBook& book, Order order) {
  std::vector<Fill> fills;
  book.submit(order, [&](const Fill& fill) { fills.push_back(fill); });
  return fills;
}
}  // namespace

TEST_CASE("an order that does not cross the book rests at its limit price") {
  OrderBook book;
  CHECK(submit(book, {1, Side::Buy, 99, 10}).empty());
  CHECK(submit(book, {2, Side::Sell, 101, 10}).empty());
  CHECK(book.bestBid() == 99);
  CHECK(book.bestAsk() == 101);
}

TEST_CASE("a buy order takes the cheapest sellers first, at the sellers' prices") {
  OrderBook book;
  submit(book, {1, Side::Sell, 102, 5});
  submit(book, {2, Side::Sell, 100, 5});
  submit(book, {3, Side::Sell, 101, 5});
  CHECK(submit(book, {4, Side::Buy, 102, 12}) == std::vector<Fill>{{4, 2, 100, 5}, {4, 3, 101, 5}, {4, 1, 102, 2}});
  CHECK(book.bestAsk() == 102);
  CHECK(book.resting(Side::Sell) == 1);
}

TEST_CASE("at one price, the order that arrived first fills first") {
  OrderBook book;
  submit(book, {1, Side::Buy, 100, 5});
  submit(book, {2, Side::Buy, 100, 5});
  CHECK(submit(book, {3, Side::Sell, 100, 7}) == std::vector<Fill>{{1, 3, 100, 5}, {2, 3, 100, 2}});
  CHECK(submit(book, {4, Side::Sell, 100, 3}) == std::vector<Fill>{{2, 4, 100, 3}});
  CHECK(book.resting(Side::Buy) == 0);
}

TEST_CASE("what a crossing order cannot fill rests at its limit, behind nobody") {
  OrderBook book;
  submit(book, {1, Side::Buy, 100, 4});
  CHECK(submit(book, {2, Side::Sell, 99, 10}) == std::vector<Fill>{{1, 2, 100, 4}});
  CHECK(book.bestBid() == std::nullopt);
  CHECK(book.bestAsk() == 99);
  CHECK(submit(book, {3, Side::Buy, 99, 6}) == std::vector<Fill>{{3, 2, 99, 6}});
}

TEST_CASE("a seller whose limit is above every bid trades nothing") {
  OrderBook book;
  submit(book, {1, Side::Buy, 100, 4});
  CHECK(submit(book, {2, Side::Sell, 101, 4}).empty());
  CHECK(book.resting(Side::Buy) == 1);
  CHECK(book.resting(Side::Sell) == 1);
}

TEST_CASE("the text format reads B|S <price> <quantity>, skips blanks and comments, and names a bad line's mistake") {
  CHECK(exchange::parseOrder("B 10050 25", 7) == Order{7, Side::Buy, 10050, 25});
  CHECK(exchange::parseOrder("  s 99 1", 8) == Order{8, Side::Sell, 99, 1});
  CHECK(exchange::parseOrder("", 0) == std::nullopt);
  CHECK(exchange::parseOrder("# a comment", 0) == std::nullopt);
  CHECK_THROWS_WITH_AS(exchange::parseOrder("X 1 1", 0), doctest::Contains("side must be B or S"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(exchange::parseOrder("B 1", 0), doctest::Contains("expected 'B|S <price> <quantity>'"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(exchange::parseOrder("B 1 2 3", 0), doctest::Contains("expected"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(exchange::parseOrder("S 0 5", 0), doctest::Contains("must be positive"), std::invalid_argument);
}

TEST_CASE("frames decode to the orders encoded, and a torn last frame is left over") {
  const std::vector<Order> orders{{1, Side::Buy, 100, 5}, {2, Side::Sell, 101, 7}};
  std::vector<std::byte> bytes;
  for (const Order& order : orders) exchange::appendFrame(bytes, order);
  bytes.resize(bytes.size() + 3);  // the start of a third frame
  std::vector<Order> decoded;
  CHECK(exchange::decodeFrames(bytes, decoded) == 2 * exchange::kFrameSize);
  CHECK(decoded == orders);
}
