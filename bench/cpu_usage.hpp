// Process CPU time (all threads, user + system) from getrusage, to compare
// with wall time: how many cores a phase burned.
#pragma once

#include <sys/resource.h>

#include <chrono>

namespace bench {

/// CPU seconds the whole process has used so far.
inline double processCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// CPU and wall seconds over one phase: construct at its start, read at its end.
class CpuOverWall {
 public:
  CpuOverWall() : cpu0_(processCpuSeconds()), wall0_(std::chrono::steady_clock::now()) {}
  /// CPU seconds used since construction.
  [[nodiscard]] double cpu() const { return processCpuSeconds() - cpu0_; }
  /// Wall seconds since construction.
  [[nodiscard]] double wall() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0_).count();
  }

 private:
  double cpu0_;
  std::chrono::steady_clock::time_point wall0_;
};

}  // namespace bench
