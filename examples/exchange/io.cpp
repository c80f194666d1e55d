// Short-read and short-write loops over POSIX descriptors.
#include "io.hpp"

#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace exchange {

void throwErrno(const std::string& what) { throw std::system_error(errno, std::generic_category(), what); }

FileDescriptor::FileDescriptor(int fd, const std::string& what) : fd_(fd) {
  if (fd_ < 0) throwErrno(what);
}

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void writeAll(int fd, std::span<const std::byte> bytes, const char* what) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      throwErrno(what);
    }
    bytes = bytes.subspan(static_cast<std::size_t>(written));
  }
}

std::size_t readSome(int fd, std::span<std::byte> into, const char* what) {
  for (;;) {
    const ssize_t got = ::read(fd, into.data(), into.size());
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno != EINTR) throwErrno(what);
  }
}

void readExactly(int fd, std::span<std::byte> into, const char* what) {
  while (!into.empty()) {
    const std::size_t got = readSome(fd, into, what);
    if (got == 0) throw std::runtime_error(std::string(what) + ": the stream ended early");
    into = into.subspan(got);
  }
}

}  // namespace exchange
