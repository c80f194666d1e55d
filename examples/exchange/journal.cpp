// Journal writing (append, fsync per batch) and reading back.
#include "journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace exchange {

Journaller::Journaller(const std::filesystem::path& path)
    : file_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644), "open journal " + path.string()) {
  batch_.reserve(1 << 16);
}

void Journaller::onEvent(OrderEvent& event, std::int64_t, bool endOfBatch) {
  appendFrame(batch_, event.order);
  if (!endOfBatch) return;
  writeAll(file_.get(), batch_, "write journal");
  if (::fsync(file_.get()) != 0) throwErrno("fsync journal");
  ++syncs_;
  batch_.clear();
}

std::vector<Order> readJournal(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open journal " + path.string());
  std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<Order> orders;
  const auto bytes = std::as_bytes(std::span(raw));
  if (decodeFrames(bytes, orders) != bytes.size())
    throw std::runtime_error("journal " + path.string() + " ends with a torn frame");
  return orders;
}

}  // namespace exchange
