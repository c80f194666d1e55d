// What the tests share: bounded waits that fail with a message instead of
// hanging, thread states from /proc, and a thread that runs an event
// processor. What the stress program shares with them is in bounded_wait.hpp.
#pragma once

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <thread>

#include <sys/syscall.h>
#include <unistd.h>

#include "bounded_wait.hpp"
#include "disruptor/event_processor.hpp"

namespace test {

/// Fails the test (and stops it) with `what` unless `condition` holds within the bound.
#define REQUIRE_EVENTUALLY(condition, what) \
  REQUIRE_MESSAGE(::test::eventually([&] { return static_cast<bool>(condition); }), "timed out waiting: " << what)

/// The kernel's id of the calling thread.
inline int currentTid() { return static_cast<int>(::syscall(SYS_gettid)); }

/// The scheduler state of thread `tid` of this process ('R' running, 'S' sleeping, ...).
inline char threadState(int tid) {
  std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() ? '?' : line[close + 2];
}

/// The name of thread `tid` of this process, from /proc.
inline std::string threadName(int tid) {
  std::ifstream comm("/proc/self/task/" + std::to_string(tid) + "/comm");
  std::string name;
  std::getline(comm, name);
  return name;
}

/// The names of every thread of this process, from /proc.
inline std::set<std::string> threadNames() {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task"))
    names.insert(threadName(std::stoi(entry.path().filename().string())));
  return names;
}

/// Runs an event processor on its own thread; halts and joins it when destroyed.
class ProcessorThread {
 public:
  explicit ProcessorThread(disruptor::EventProcessor& processor)
      : processor_(processor), thread_([this] { processor_.run(); }) {}
  ~ProcessorThread() { stop(); }
  ProcessorThread(const ProcessorThread&) = delete;
  ProcessorThread& operator=(const ProcessorThread&) = delete;

  /// Halts the processor and joins its thread; fails the test if it does not stop.
  void stop() {
    if (!thread_.joinable()) return;
    processor_.halt();
    if (!eventually([&] { return !processor_.isRunning(); })) {
      // A processor that ignores halt() would hang the suite: fail loudly now.
      std::fprintf(stderr, "FATAL: processor '%s' did not stop within the bound after halt()\n", processor_.name().c_str());
      std::_Exit(1);
    }
    thread_.join();
  }

 private:
  disruptor::EventProcessor& processor_;
  std::thread thread_;
};

}  // namespace test
