// ExceptionHandler: what a processor does when its handler throws. A virtual
// interface, because it runs only on failure. Throwing from a handle* method
// is fatal: the processor stops and its Disruptor halts.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>

namespace disruptor {

/// Receives the exceptions a handler throws.
///
/// Threading: called on the processor thread of the handler it serves.
template <class T>
struct ExceptionHandler {
  virtual ~ExceptionHandler() = default;
  /// A handler threw while handling `event` at `sequence` (event null when
  /// no event was being handled, as in onTimeout). Return to skip the event
  /// and go on; throw to stop the processor.
  virtual void handleEventException(std::exception_ptr error, std::int64_t sequence, T* event) = 0;
  /// The handler's onStart threw.
  virtual void handleOnStartException(std::exception_ptr error) = 0;
  /// The handler's onShutdown threw.
  virtual void handleOnShutdownException(std::exception_ptr error) = 0;
};

namespace detail {
/// Logs a failed event at critical level (compiled in src/).
void logFatalEventFailure(const std::exception_ptr& error, std::int64_t sequence);
/// Logs a skipped event at error level (compiled in src/).
void logIgnoredEventFailure(const std::exception_ptr& error, std::int64_t sequence);
/// Logs a failed lifecycle hook (`hook` is "onStart" or "onShutdown") at `critical` or error level.
void logLifecycleFailure(const std::exception_ptr& error, const char* hook, bool critical);
}  // namespace detail

/// The default: logs at critical level and rethrows, which stops the
/// processor and halts its Disruptor. Lifecycle failures are logged only.
template <class T>
class FatalExceptionHandler final : public ExceptionHandler<T> {
 public:
  /// Logs, then stops the processor by rethrowing `error`.
  void handleEventException(std::exception_ptr error, std::int64_t sequence, T*) override {
    detail::logFatalEventFailure(error, sequence);
    std::rethrow_exception(error);
  }
  /// Logs at critical level.
  void handleOnStartException(std::exception_ptr error) override { detail::logLifecycleFailure(error, "onStart", true); }
  /// Logs at critical level.
  void handleOnShutdownException(std::exception_ptr error) override {
    detail::logLifecycleFailure(error, "onShutdown", true);
  }
};

/// Logs at error level and moves on: the failing event is skipped, the
/// handler's sequence advances past it.
template <class T>
class IgnoreExceptionHandler final : public ExceptionHandler<T> {
 public:
  /// Logs and returns, skipping the event.
  void handleEventException(std::exception_ptr error, std::int64_t sequence, T*) override {
    detail::logIgnoredEventFailure(error, sequence);
  }
  /// Logs at error level.
  void handleOnStartException(std::exception_ptr error) override { detail::logLifecycleFailure(error, "onStart", false); }
  /// Logs at error level.
  void handleOnShutdownException(std::exception_ptr error) override {
    detail::logLifecycleFailure(error, "onShutdown", false);
  }
};

}  // namespace disruptor
