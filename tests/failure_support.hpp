// What the failure tests share: a log capture installed through
// disruptor::setLogger and an exception handler that records what reaches it.
// The bounded thread for operations that must not hang is in test_support.hpp.
#pragma once

#include <spdlog/logger.h>
#include <spdlog/sinks/ringbuffer_sink.h>

#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
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

}  // namespace test
