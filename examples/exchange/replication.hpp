// Replication over a loopback TCP socket, the second handler that makes an
// order durable before the matcher sees it. The replicator sends each order
// as a frame (order.hpp) and, at the end of each batch, waits until the
// replica acknowledges it; the replica is a thread that stores every order it
// receives and answers each read with the count of orders it holds (an
// 8-byte cumulative acknowledgement), so one acknowledgement can cover many frames.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "io.hpp"
#include "order.hpp"

namespace exchange {

/// The receiving side: listens on 127.0.0.1, accepts one connection, stores
/// and acknowledges until the connection closes. Its orders are read through
/// awaitOrders() from the thread that owns it.
class Replica {
 public:
  /// Listens on an ephemeral loopback port and starts the replica's thread.
  Replica();
  /// Stops listening (if nobody connected) and joins the thread.
  ~Replica();
  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;

  /// The port to connect to.
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  /// Waits until the sender closes the connection, then returns every order
  /// received, in order; throws if the replica failed.
  const std::vector<Order>& awaitOrders();

 private:
  void run();
  void serve(int connection);

  FileDescriptor listener_;
  std::uint16_t port_ = 0;
  std::vector<Order> orders_;
  std::string error_;
  std::thread thread_;
};

/// Event handler that replicates each order; runs on its processor's thread
/// only, except close(), which the owner calls once the Disruptor has halted.
class Replicator {
 public:
  /// Connects to the replica at 127.0.0.1:`port`.
  explicit Replicator(std::uint16_t port);

  /// Buffers the order; at the end of a batch, sends it and waits for its acknowledgement.
  void onEvent(OrderEvent& event, std::int64_t sequence, bool endOfBatch);
  /// The processor thread's name: `<disruptor>-replicator`.
  std::string name() const { return "replicator"; }

  /// Ends the stream: the replica sees the end and stops.
  void close();

 private:
  void awaitAcknowledgement();

  FileDescriptor socket_;
  std::vector<std::byte> batch_;
  std::int64_t sent_ = 0;
  std::int64_t acknowledged_ = 0;
};

}  // namespace exchange
