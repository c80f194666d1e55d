// The replica's server loop and the replicator's send-and-acknowledge step.
#include "replication.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <exception>
#include <stdexcept>

namespace exchange {

namespace {
/// 127.0.0.1:`port`.
sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

/// Sends small writes (acknowledgements, the tail of a batch) at once instead of waiting to coalesce them.
void sendImmediately(int socket) {
  const int on = 1;
  if (::setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) != 0) throwErrno("setsockopt TCP_NODELAY");
}
}  // namespace

Replica::Replica() : listener_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), "replica socket") {
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof(address);
  if (::bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), length) != 0) throwErrno("replica bind");
  if (::listen(listener_.get(), 1) != 0) throwErrno("replica listen");
  if (::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) throwErrno("replica getsockname");
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { run(); });
}

Replica::~Replica() {
  ::shutdown(listener_.get(), SHUT_RDWR);  // wakes an accept() still waiting for a replicator that never came
  if (thread_.joinable()) thread_.join();
}

const std::vector<Order>& Replica::awaitOrders() {
  if (thread_.joinable()) thread_.join();
  if (!error_.empty()) throw std::runtime_error("replica failed: " + error_);
  return orders_;
}

void Replica::run() {
  pthread_setname_np(pthread_self(), "replica");  // as top -H shows it, beside exch-journaller and the others
  try {
    const FileDescriptor connection(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC), "replica accept");
    sendImmediately(connection.get());
    serve(connection.get());
  } catch (const std::exception& e) {
    error_ = e.what();
  }
}

void Replica::serve(int connection) {
  std::vector<std::byte> pending;
  std::array<std::byte, 1 << 16> chunk;
  while (const std::size_t got = readSome(connection, chunk, "replica read")) {
    pending.insert(pending.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(got));
    const std::size_t used = decodeFrames(pending, orders_);
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(used));
    if (used == 0) continue;
    const std::int64_t held = static_cast<std::int64_t>(orders_.size());
    writeAll(connection, std::as_bytes(std::span(&held, 1)), "replica acknowledge");
  }
  if (!pending.empty()) throw std::runtime_error("the stream ended inside a frame");
}

Replicator::Replicator(std::uint16_t port) : socket_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), "replicator socket") {
  const sockaddr_in address = loopback(port);
  if (::connect(socket_.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0)
    throwErrno("replicator connect to 127.0.0.1:" + std::to_string(port));
  sendImmediately(socket_.get());
  batch_.reserve(1 << 16);
}

void Replicator::onEvent(OrderEvent& event, std::int64_t, bool endOfBatch) {
  appendFrame(batch_, event.order);
  ++sent_;
  if (!endOfBatch) return;
  writeAll(socket_.get(), batch_, "replicator send");
  batch_.clear();
  awaitAcknowledgement();
}

void Replicator::awaitAcknowledgement() {
  while (acknowledged_ < sent_) {
    std::int64_t held = 0;
    readExactly(socket_.get(), std::as_writable_bytes(std::span(&held, 1)), "replicator acknowledgement");
    acknowledged_ = held;
  }
}

void Replicator::close() {
  if (::shutdown(socket_.get(), SHUT_WR) != 0) throwErrno("replicator close");
}

}  // namespace exchange
