// ExceptionHandlerSetting: the `.with(handler)` half of
// d.handleExceptionsFor(h).with(handler).
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <utility>

#include "disruptor/exception_handler.hpp"

namespace disruptor {

/// Sets the exception handler of one handler of a Disruptor.
///
/// Threading: set-up only, from the owner's thread, before start().
template <class T>
class ExceptionHandlerSetting {
 public:
  /// Creates a setting that hands the chosen exception handler to `apply`.
  explicit ExceptionHandlerSetting(std::function<void(std::shared_ptr<ExceptionHandler<T>>)> apply)
      : apply_(std::move(apply)) {}

  /// Routes the handler's failures to `handler` instead of the default.
  void with(std::shared_ptr<ExceptionHandler<T>> handler) {
    if (!handler) throw std::invalid_argument("handleExceptionsFor(h).with(): the exception handler is null");
    apply_(std::move(handler));
  }

 private:
  std::function<void(std::shared_ptr<ExceptionHandler<T>>)> apply_;
};

}  // namespace disruptor
