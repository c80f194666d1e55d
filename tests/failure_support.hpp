// What the failure tests share: a log capture installed through
// disruptor::setLogger, an exception handler that records what reaches it,
// and a bounded call for operations that must not hang.
#pragma once

#include <spdlog/logger.h>
#include <spdlog/sinks/ringbuffer_sink.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "disruptor/exception_handler.hpp"
#include "disruptor/logging.hpp"
#include "test_support.hpp"

namespace test {

/// Routes the library's log into memory while alive, then restores the default logger.
class LogCapture {
 public:
  LogCapture()
      : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(kCapacity)),
        logger_(std::make_shared<spdlog::logger>("disruptor-test-capture", sink_)) {
    logger_->set_level(spdlog::level::trace);
    disruptor::setLogger(logger_);
  }
  ~LogCapture() { disruptor::setLogger(nullptr); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  /// How many captured lines at `level` contain `text`.
  [[nodiscard]] int count(spdlog::level::level_enum level, const std::string& text) const {
    int n = 0;
    for (const auto& line : sink_->last_raw())
      if (line.level == level && std::string_view(line.payload.data(), line.payload.size()).find(text) != std::string::npos)
        ++n;
    return n;
  }

 private:
  static constexpr std::size_t kCapacity = 256;
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> logger_;
};

/// One exception that reached a RecordingExceptionHandler.
template <class T>
struct RecordedFailure {
  std::int64_t sequence;
  std::optional<T> event;  ///< a copy of the event handed over, if one was
  std::string what;
  std::exception_ptr error;
};

/// Records every exception it is handed and skips the event (as Ignore does).
/// Thread-safe: one instance may serve several processors.
template <class T>
class RecordingExceptionHandler final : public disruptor::ExceptionHandler<T> {
 public:
  void handleEventException(std::exception_ptr error, std::int64_t sequence, T* event) override {
    const std::lock_guard lock(mutex_);
    events_.push_back({sequence, event ? std::optional<T>(*event) : std::nullopt, disruptor::describe(error), error});
  }
  void handleOnStartException(std::exception_ptr error) override {
    const std::lock_guard lock(mutex_);
    onStart_.push_back(disruptor::describe(error));
  }
  void handleOnShutdownException(std::exception_ptr error) override {
    const std::lock_guard lock(mutex_);
    onShutdown_.push_back(disruptor::describe(error));
  }

  /// The event failures so far, in order.
  [[nodiscard]] std::vector<RecordedFailure<T>> events() const {
    const std::lock_guard lock(mutex_);
    return events_;
  }
  /// The messages of the onStart failures so far.
  [[nodiscard]] std::vector<std::string> onStartFailures() const {
    const std::lock_guard lock(mutex_);
    return onStart_;
  }
  /// The messages of the onShutdown failures so far.
  [[nodiscard]] std::vector<std::string> onShutdownFailures() const {
    const std::lock_guard lock(mutex_);
    return onShutdown_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<RecordedFailure<T>> events_;
  std::vector<std::string> onStart_;
  std::vector<std::string> onShutdown_;
};

/// The message of the exception in `error` if it is an E, otherwise a note that it is not.
template <class E>
std::string messageAs(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const E& e) {
    return e.what();
  } catch (...) {
    return "<not the expected exception type>";
  }
}

/// A thread for an operation that must end on its own (a producer that a
/// failure should wake, a shutdown that must not hang). Joined on
/// destruction; one still running after the bound cannot be abandoned
/// safely, so the suite stops with a message naming it instead of hanging.
class BoundedThread {
 public:
  BoundedThread(const char* what, std::function<void()> operation)
      : what_(what), thread_([this, op = std::move(operation)] {
          try {
            op();
          } catch (...) {
            error_ = std::current_exception();
          }
          done_.store(true, std::memory_order_release);
        }) {}
  ~BoundedThread() { wait(); }
  BoundedThread(const BoundedThread&) = delete;
  BoundedThread& operator=(const BoundedThread&) = delete;

  /// Whether the operation has returned (or thrown).
  [[nodiscard]] bool finished() const noexcept { return done_.load(std::memory_order_acquire); }

  /// Waits for the operation within the bound, then rethrows what it threw, if anything.
  void join() {
    wait();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  void wait() noexcept {
    if (!thread_.joinable()) return;
    if (!eventually([&] { return finished(); })) {
      std::fprintf(stderr, "FATAL: %s did not return within the bound\n", what_);
      std::_Exit(1);
    }
    thread_.join();
  }

  const char* what_;
  std::atomic<bool> done_{false};
  std::exception_ptr error_;
  std::thread thread_;
};

/// Runs `operation` on a BoundedThread and waits for it: for calls that must not hang.
inline void finishesWithinBound(const char* what, std::function<void()> operation) {
  BoundedThread(what, std::move(operation)).join();
}

}  // namespace test
