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
// Whether CPUID leaf `leaf` (subleaf 0) sets `mask` in the register `pick` chooses.
template <class Pick>
bool cpuidHas(unsigned leaf, unsigned mask, Pick pick) noexcept {
  if (__get_cpuid_max(leaf & 0x80000000U, nullptr) < leaf) return false;
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  __cpuid_count(leaf, 0, eax, ebx, ecx, edx);
  return (pick(eax, ebx, ecx, edx) & mask) != 0;
}
#endif
}  // namespace

bool lineReleaseSupported() noexcept {
#if defined(__x86_64__)
  static const bool supported = cpuidHas(7, bit_CLFLUSHOPT, [](unsigned, unsigned b, unsigned, unsigned) { return b; });
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
  static const bool supported =
      cpuidHas(0x80000001U, bit_PRFCHW, [](unsigned, unsigned, unsigned c, unsigned) { return c; });
  return supported;
#else
  return false;
#endif
}

}  // namespace disruptor::detail
