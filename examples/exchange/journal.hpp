// The journaller: the first of the two handlers that make an order durable
// before the matcher sees it. It appends each order's frame to a file and
// calls fsync once per batch, so a burst costs one disk flush, not one per order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "io.hpp"
#include "order.hpp"

namespace exchange {

/// Event handler that journals each order; runs on its processor's thread only.
class Journaller {
 public:
  /// Creates (or empties) the journal at `path`.
  explicit Journaller(const std::filesystem::path& path);

  /// Buffers the order; at the end of a batch, writes the batch and fsyncs.
  void onEvent(OrderEvent& event, std::int64_t sequence, bool endOfBatch);
  /// The processor thread's name: `<disruptor>-journaller`.
  std::string name() const { return "journaller"; }

  /// How many fsync calls it made (one per batch). Read after the Disruptor has halted.
  [[nodiscard]] std::int64_t syncs() const noexcept { return syncs_; }

 private:
  FileDescriptor file_;
  std::vector<std::byte> batch_;
  std::int64_t syncs_ = 0;
};

/// Every order in the journal at `path`; throws if it ends with a torn frame.
std::vector<Order> readJournal(const std::filesystem::path& path);

}  // namespace exchange
