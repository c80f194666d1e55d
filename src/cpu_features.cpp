// CPU feature detection for the cache-line hints: detail::releaseLine
// (CLFLUSHOPT) and detail::prefetchForWrite (PREFETCHW). Each is read once.
#include "disruptor/cache_line.hpp"
#include "disruptor/detail/line_release.hpp"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace disruptor::detail {

namespace {
#if defined(__x86_64__)
enum Register { kEax, kEbx, kEcx, kEdx };

// Whether CPUID leaf `leaf` (subleaf 0) sets `mask` in register `reg`.
bool cpuidHas(unsigned leaf, Register reg, unsigned mask) noexcept {
  if (__get_cpuid_max(leaf & 0x80000000U, nullptr) < leaf) return false;
  unsigned r[4] = {};
  __cpuid_count(leaf, 0, r[kEax], r[kEbx], r[kEcx], r[kEdx]);
  return (r[reg] & mask) != 0;
}
#endif
}  // namespace

bool lineReleaseSupported() noexcept {
#if defined(__x86_64__)
  static const bool supported = cpuidHas(7, kEbx, bit_CLFLUSHOPT);
  return supported;
#else
  return false;
#endif
}

bool lineReleasePays() noexcept {
#if defined(__x86_64__)
  static const bool pays = [] {
    unsigned maxLeaf = 0, ebx = 0, ecx = 0, edx = 0;
    __cpuid(0, maxLeaf, ebx, ecx, edx);
    // "AuthenticAMD", as CPUID leaf 0 spells it across ebx, edx, ecx.
    const bool amd = ebx == 0x68747541 && edx == 0x69746e65 && ecx == 0x444d4163;
    return amd && lineReleaseSupported();
  }();
  return pays;
#else
  return false;
#endif
}

bool prefetchForWriteSupported() noexcept {
#if defined(__x86_64__)
  static const bool supported = cpuidHas(0x80000001U, kEcx, bit_PRFCHW);
  return supported;
#else
  return false;
#endif
}

}  // namespace disruptor::detail
