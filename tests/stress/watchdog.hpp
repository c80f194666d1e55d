// Watchdog: turns a hang into a failure that says what hung. Armed around
// each stress iteration (or torture round) with its seed; if the bound
// passes first, it prints the seed and a progress dump and ends the process.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace stress {

/// One thread that ends the process when an armed bound passes.
///
/// Threading: arm() and disarm() from the thread running the iteration; the
/// dump function is called on the watchdog's thread while the iteration is
/// stuck, so it may only make thread-safe queries.
class Watchdog {
 public:
  /// The exit code of a process the watchdog ended.
  static constexpr int kHangExitCode = 3;

  Watchdog() : thread_([this] { watch(); }) {}
  ~Watchdog() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  /// Ends the process unless disarm() comes within `bound`; `what` names the
  /// work (with its seed).
  void arm(std::string what, std::chrono::milliseconds bound) {
    {
      const std::lock_guard lock(mutex_);
      what_ = std::move(what);
      dump_ = nullptr;
      deadline_ = std::chrono::steady_clock::now() + bound;
      bound_ = bound;
      armed_ = true;
    }
    changed_.notify_all();
  }

  /// What to print if the armed work hangs (null: nothing); clear it before
  /// whatever it reads goes away.
  void setDump(std::function<std::string()> dump) {
    const std::lock_guard lock(mutex_);
    dump_ = std::move(dump);
  }

  /// The work finished in time.
  void disarm() {
    const std::lock_guard lock(mutex_);
    armed_ = false;
    dump_ = nullptr;
  }

 private:
  void watch() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      if (!armed_) {
        changed_.wait(lock);
      } else if (changed_.wait_until(lock, deadline_) == std::cv_status::timeout && armed_ &&
                 std::chrono::steady_clock::now() >= deadline_) {
        std::fprintf(stderr, "HANG: %s did not finish within %lld ms\n", what_.c_str(),
                     static_cast<long long>(bound_.count()));
        if (dump_) std::fprintf(stderr, "%s\n", dump_().c_str());
        std::fflush(stderr);
        std::fflush(stdout);
        std::_Exit(kHangExitCode);
      }
    }
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  bool armed_ = false;
  std::string what_;
  std::function<std::string()> dump_;
  std::chrono::steady_clock::time_point deadline_;
  std::chrono::milliseconds bound_{0};
  std::thread thread_;
};

}  // namespace stress
