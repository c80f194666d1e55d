// Naming and pinning processor threads: cold paths, compiled in src/threads.cpp.
#pragma once

#include <string>
#include <thread>

namespace disruptor::detail {

/// Names `thread`, as `top -H` and /proc show it (cut to the kernel's 15 characters).
void setThreadName(std::thread& thread, const std::string& name) noexcept;

/// Pins the calling thread to `cpu`; false, with a warning logged, if the system refused.
bool setCurrentThreadAffinity(int cpu) noexcept;

}  // namespace disruptor::detail
