// TimeoutBlockingWaitStrategy: BlockingWaitStrategy whose handler waits end
// after a timeout, so the handler's onTimeout can flush or heartbeat.
#pragma once

#include <chrono>

#include "disruptor/detail/blocking_core.hpp"

namespace disruptor {

/// Parks on a mutex and condition variable; a handler that waits longer than
/// the timeout gets onTimeout(sequence). Producers keep waiting.
///
/// Threading: any number of waiters and signallers at once. Copying copies
/// the configuration only; copy before use.
class TimeoutBlockingWaitStrategy : public detail::BlockingCore<detail::LockParking> {
 public:
  /// Creates the strategy; handler waits end after `timeout`.
  explicit TimeoutBlockingWaitStrategy(std::chrono::nanoseconds timeout) noexcept
      : detail::BlockingCore<detail::LockParking>(timeout) {}
};

}  // namespace disruptor
