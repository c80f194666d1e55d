// LiteTimeoutBlockingWaitStrategy: LiteBlockingWaitStrategy whose handler
// waits end after a timeout, so the handler's onTimeout can run.
#pragma once

#include <chrono>

#include "disruptor/detail/blocking_core.hpp"

namespace disruptor {

/// Parks on a futex word; a handler that waits longer than the timeout gets
/// onTimeout(sequence). Producers keep waiting.
///
/// Threading: any number of waiters and signallers at once. Copying copies
/// the configuration only; copy before use.
class LiteTimeoutBlockingWaitStrategy : public detail::BlockingCore<detail::FutexParking> {
 public:
  /// Creates the strategy; handler waits end after `timeout`.
  explicit LiteTimeoutBlockingWaitStrategy(std::chrono::nanoseconds timeout) noexcept
      : detail::BlockingCore<detail::FutexParking>(timeout) {}
};

}  // namespace disruptor
