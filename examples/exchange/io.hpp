// File descriptors for the journal and the replication socket: an owning
// handle and loops that finish short reads and writes (and retry EINTR),
// throwing std::system_error that names the operation.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <utility>

namespace exchange {

/// Throws std::system_error for errno, saying what failed.
[[noreturn]] void throwErrno(const std::string& what);

/// Owns a file descriptor and closes it.
class FileDescriptor {
 public:
  FileDescriptor() = default;
  /// Takes `fd`; throws, naming `what`, if it is -1 (the failure a call like open() reports).
  FileDescriptor(int fd, const std::string& what);
  ~FileDescriptor();
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  /// The descriptor, or -1.
  [[nodiscard]] int get() const noexcept { return fd_; }

 private:
  int fd_ = -1;
};

/// Writes all of `bytes` to `fd`.
void writeAll(int fd, std::span<const std::byte> bytes, const char* what);

/// Reads what is there (at least one byte, blocking); 0 at end of stream.
std::size_t readSome(int fd, std::span<std::byte> into, const char* what);

/// Fills `into` completely; throws if the stream ends first.
void readExactly(int fd, std::span<std::byte> into, const char* what);

}  // namespace exchange
