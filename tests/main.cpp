// The doctest entry point, with a watchdog: a test case that runs longer than
// the bound is reported by name and the process exits non-zero, so a hang is
// a red test even when the binary is run outside ctest.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

namespace {

class Watchdog {
 public:
  static Watchdog& instance() {
    // Never destroyed: its detached thread waits on it until the process exits.
    static Watchdog* const watchdog = new Watchdog;
    return *watchdog;
  }
  void arm(std::string name) {
    const std::lock_guard lock(mutex_);
    name_ = std::move(name);
    deadline_ = std::chrono::steady_clock::now() + bound();
    armed_ = true;
    changed_.notify_all();
  }
  void disarm() {
    const std::lock_guard lock(mutex_);
    armed_ = false;
    changed_.notify_all();
  }

 private:
  // DISRUPTOR_TEST_WATCHDOG_SECONDS overrides the default bound of 240 s.
  static std::chrono::seconds bound() {
    static const std::chrono::seconds seconds{[] {
      const char* set = std::getenv("DISRUPTOR_TEST_WATCHDOG_SECONDS");
      return set != nullptr ? std::atoll(set) : 240LL;
    }()};
    return seconds;
  }

  Watchdog() { std::thread([this] { watch(); }).detach(); }

  [[noreturn]] void watch() {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (!armed_) {
        changed_.wait(lock);
      } else if (changed_.wait_until(lock, deadline_) == std::cv_status::timeout && armed_ &&
                 std::chrono::steady_clock::now() >= deadline_) {
        std::fprintf(stderr, "FATAL: test case \"%s\" still running after %lld s: a hang\n", name_.c_str(),
                     static_cast<long long>(bound().count()));
        std::_Exit(3);
      }
    }
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  bool armed_ = false;
  std::string name_;
  std::chrono::steady_clock::time_point deadline_;
};

struct WatchdogListener : doctest::IReporter {
  explicit WatchdogListener(const doctest::ContextOptions&) {}
  void test_case_start(const doctest::TestCaseData& test) override { Watchdog::instance().arm(test.m_name); }
  void test_case_end(const doctest::CurrentTestCaseStats&) override { Watchdog::instance().disarm(); }
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

REGISTER_LISTENER("watchdog", 1, WatchdogListener);

}  // namespace

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  return context.run();
}
