// Cache-line constants and the spin hint, in one place so that every padded
// type agrees on them. 128 bytes, not 64: x86 prefetches lines in adjacent
// pairs, so two hot fields 64 bytes apart still interfere.
#pragma once

#include <cstddef>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace disruptor {

/// Size of one cache line on the platforms we build for.
inline constexpr std::size_t kCacheLineSize = 64;

/// Distance that keeps two independently written fields from sharing a
/// prefetched pair of lines. Deliberately not
/// std::hardware_destructive_interference_size, whose value follows -mtune.
inline constexpr std::size_t kFalseSharingRange = 128;

/// Tells the CPU that the caller is in a spin loop (x86 `pause`), so the
/// sibling hyper-thread and the memory system are not flooded.
inline void cpuRelax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

namespace detail {
/// Whether this CPU has PREFETCHW (older Intel CPUs lack it). Read once.
[[nodiscard]] bool prefetchForWriteSupported() noexcept;

/// Asks for the line holding `address` in a state this core may write, a
/// hint with no effect on the data (x86 PREFETCHW: only where
/// prefetchForWriteSupported(); a no-op on other CPU families).
inline void prefetchForWrite(const void* address) noexcept {
#if defined(__x86_64__)
  asm volatile("prefetchw %0" : : "m"(*static_cast<const char*>(address)));
#else
  (void)address;
#endif
}
}  // namespace detail

}  // namespace disruptor
