// BlockingWaitStrategy: spins and yields briefly, then parks on a lock and condition
// variable. Waits on upstream handlers and on a full ring park too, and a
// signal costs one fence while nobody waits (none at all for a claim on a
// multi-producer ring, whose atomic add is the fence).
#pragma once

#include "disruptor/detail/blocking_core.hpp"

namespace disruptor {

/// Parks waiting threads on a mutex and condition variable; the safe choice
/// when threads outnumber cores.
///
/// Threading: any number of waiters and signallers at once. Copying copies
/// the configuration only; copy before use.
class BlockingWaitStrategy : public detail::BlockingCore<detail::LockParking> {
 public:
  /// Creates the strategy.
  BlockingWaitStrategy() noexcept = default;
};

}  // namespace disruptor
