// What the tests share: bounded waits that fail with a message instead of
// hanging, thread states from /proc, a thread that runs an event processor,
// and a thread for an operation that must end on its own (never left
// joinable, so a failed REQUIRE cannot become std::terminate). What the
// stress program shares with them is in bounded_wait.hpp.
#pragma once

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

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

/// How many times thread `tid` of this process gave up the CPU of its own
/// accord (each park that ended counts one), from /proc; -1 if unknown.
inline long voluntaryContextSwitches(int tid) {
  std::ifstream status("/proc/self/task/" + std::to_string(tid) + "/status");
  const std::string key = "voluntary_ctxt_switches:";
  for (std::string line; std::getline(status, line);)
    if (line.rfind(key, 0) == 0) return std::stol(line.substr(key.size()));
  return -1;
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

/// The ids of the threads of this process named `name`, from /proc.
inline std::vector<int> threadIdsNamed(const std::string& name) {
  std::vector<int> tids;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) {
    const int tid = std::stoi(entry.path().filename().string());
    if (threadName(tid) == name) tids.push_back(tid);
  }
  return tids;
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

/// A thread for an operation that must end on its own (a producer waiting
/// for space, a shutdown, a custom consumer waiting on a barrier), so that a
/// failing test can never leave a joinable std::thread to std::terminate.
///
/// join() waits for the operation within the bound and rethrows what it
/// threw; one still running then fails the test with a message naming it.
/// The destructor, reached early when a REQUIRE fails, first calls `unblock`
/// (if given and the operation is still running) to wake what it waits on
/// (halt the ring, alert the barrier), then joins within the bound. An
/// operation that neither ends nor can be woken cannot be abandoned safely,
/// so the suite stops with a message naming it instead of hanging.
///
/// Threading: construct, join and destroy from the test's thread.
class BoundedThread {
 public:
  BoundedThread(const char* what, std::function<void()> operation, std::function<void()> unblock = {})
      : what_(what), unblock_(std::move(unblock)), thread_([this, op = std::move(operation)] {
          try {
            op();
          } catch (...) {
            error_ = std::current_exception();
          }
          done_.store(true, std::memory_order_release);
        }) {}
  ~BoundedThread() { stop(); }
  BoundedThread(const BoundedThread&) = delete;
  BoundedThread& operator=(const BoundedThread&) = delete;

  /// Whether the operation has returned (or thrown).
  [[nodiscard]] bool finished() const noexcept { return done_.load(std::memory_order_acquire); }

  /// Waits for the operation within the bound, then rethrows what it threw,
  /// if anything. Fails the test, after unblocking and joining, if it is
  /// still running after the bound.
  void join() {
    if (thread_.joinable()) {
      if (!eventually([&] { return finished(); })) {
        stop();
        FAIL(std::string(what_) << " did not return within " << kWaitBound.count() << " s");
      }
      thread_.join();
    }
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  void stop() noexcept {
    if (!thread_.joinable()) return;
    if (!finished() && unblock_) {
      try {
        unblock_();
      } catch (...) {
        std::fprintf(stderr, "FATAL: unblocking %s threw\n", what_);
        std::_Exit(1);
      }
    }
    if (!eventually([&] { return finished(); })) {
      std::fprintf(stderr, "FATAL: %s did not return within the bound%s\n", what_,
                   unblock_ ? ", even once unblocked" : "");
      std::_Exit(1);
    }
    thread_.join();
  }

  const char* what_;
  std::atomic<bool> done_{false};
  std::exception_ptr error_;
  std::function<void()> unblock_;
  std::thread thread_;  // last: it starts running in the constructor
};

/// Runs `operation` on a BoundedThread and waits for it: for calls that must not hang.
inline void finishesWithinBound(const char* what, std::function<void()> operation) {
  BoundedThread(what, std::move(operation)).join();
}

}  // namespace test
