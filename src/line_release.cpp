// CPU feature detection for detail::releaseLine.
#include "disruptor/detail/line_release.hpp"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace disruptor::detail {

bool lineReleaseSupported() noexcept {
#if defined(__x86_64__)
  static const bool supported = [] {
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid_max(0, nullptr) < 7) return false;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    return (ebx & bit_CLFLUSHOPT) != 0;
  }();
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

}  // namespace disruptor::detail
