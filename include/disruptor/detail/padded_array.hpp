// A fixed-size array with a false-sharing range of padding on both sides, so
// the hot slots at its ends never share lines with whatever the allocator
// put next to it. Holds the ring's events and the availability flags.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <utility>

#include "disruptor/cache_line.hpp"

namespace disruptor::detail {

/// `size` elements of T built by `make(index)`, padded on both sides.
///
/// Threading: construction and destruction on one thread; elements as T allows.
template <class T>
class PaddedArray {
 public:
  /// Builds every element with `make(i)`; if one throws, the built ones are destroyed.
  template <class Make>
  PaddedArray(std::size_t size, Make&& make) : size_(size) {
    storage_ = static_cast<std::byte*>(::operator new(kPadding + size * sizeof(T) + kPadding, kAlignment));
    elements_ = reinterpret_cast<T*>(storage_ + kPadding);
    std::size_t built = 0;
    try {
      for (; built < size; ++built) ::new (static_cast<void*>(elements_ + built)) T(make(built));
    } catch (...) {
      destroy(built);
      throw;
    }
  }
  ~PaddedArray() { destroy(size_); }
  PaddedArray(const PaddedArray&) = delete;
  PaddedArray& operator=(const PaddedArray&) = delete;

  /// The element at `index`; no bounds check.
  T& operator[](std::size_t index) noexcept { return elements_[index]; }
  /// The element at `index`; no bounds check.
  const T& operator[](std::size_t index) const noexcept { return elements_[index]; }
  /// The number of elements.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

 private:
  static constexpr std::size_t kPadding = std::max(kFalseSharingRange, alignof(T));
  static constexpr std::align_val_t kAlignment{std::max(kFalseSharingRange, alignof(T))};

  void destroy(std::size_t built) noexcept {
    std::destroy_n(elements_, built);
    ::operator delete(storage_, kAlignment);
  }

  std::size_t size_;
  std::byte* storage_ = nullptr;
  T* elements_ = nullptr;
};

}  // namespace disruptor::detail
