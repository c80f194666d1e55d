// Thread names and CPU affinity for processor threads (Linux; elsewhere a no-op).
#include "disruptor/detail/threads.hpp"

#include <cstring>

#include "disruptor/logging.hpp"

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

namespace disruptor::detail {

void setThreadName(std::thread& thread, const std::string& name) noexcept {
#if defined(__linux__)
  constexpr std::size_t kKernelLimit = 15;
  const std::string shortName = name.substr(0, kKernelLimit);
  pthread_setname_np(thread.native_handle(), shortName.c_str());
#else
  (void)thread;
  (void)name;
#endif
}

bool setCurrentThreadAffinity(int cpu) noexcept {
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (cpu < 0 || cpu >= CPU_SETSIZE) {
    log(LogLevel::Warn, "cannot pin a thread to CPU " + std::to_string(cpu) + ": no such CPU");
    return false;
  }
  CPU_SET(cpu, &set);
  if (const int error = pthread_setaffinity_np(pthread_self(), sizeof(set), &set); error != 0) {
    log(LogLevel::Warn, "cannot pin a thread to CPU " + std::to_string(cpu) + ": " + std::strerror(error));
    return false;
  }
  return true;
#else
  (void)cpu;
  return false;
#endif
}

}  // namespace disruptor::detail
