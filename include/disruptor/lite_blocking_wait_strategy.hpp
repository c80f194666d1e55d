// LiteBlockingWaitStrategy: as BlockingWaitStrategy, but parks on a futex
// word, so neither waking nor sleeping takes a lock.
#pragma once

#include "disruptor/detail/blocking_core.hpp"

namespace disruptor {

/// Parks waiting threads on a futex word, lock-free on both sides.
///
/// Threading: any number of waiters and signallers at once. Copying copies
/// the configuration only; copy before use.
class LiteBlockingWaitStrategy : public detail::BlockingCore<detail::FutexParking> {
 public:
  /// Creates the strategy.
  LiteBlockingWaitStrategy() noexcept = default;
};

}  // namespace disruptor
