// From a Strategy value to a wait strategy object: a strategy is a type, so
// each one instantiates the run for itself.
#pragma once

#include <chrono>
#include <utility>

#include "disruptor/disruptor.hpp"
#include "stress_plan.hpp"

namespace stress {

/// Calls `run(strategyObject)` with the wait strategy `strategy` names; the
/// timeout strategies end handler waits after `timeout`, and the phased
/// strategies spin for a microsecond and yield for `timeout` before falling back.
template <class Run>
void withStrategy(Strategy strategy, std::chrono::microseconds timeout, Run&& run) {
  using namespace disruptor;
  constexpr std::chrono::microseconds kSpin{1};
  switch (strategy) {
    case Strategy::BusySpin:
      return run(BusySpinWaitStrategy{});
    case Strategy::Yielding:
      return run(YieldingWaitStrategy{});
    case Strategy::Sleeping:
      return run(SleepingWaitStrategy{});
    case Strategy::Blocking:
      return run(BlockingWaitStrategy{});
    case Strategy::LiteBlocking:
      return run(LiteBlockingWaitStrategy{});
    case Strategy::TimeoutBlocking:
      return run(TimeoutBlockingWaitStrategy(timeout));
    case Strategy::LiteTimeoutBlocking:
      return run(LiteTimeoutBlockingWaitStrategy(timeout));
    case Strategy::PhasedWithLock:
      return run(phasedBackoffWithLock(kSpin, timeout));
    case Strategy::PhasedWithLiteLock:
      return run(phasedBackoffWithLiteLock(kSpin, timeout));
    case Strategy::PhasedWithSleep:
      return run(phasedBackoffWithSleep(kSpin, timeout));
  }
}

}  // namespace stress
