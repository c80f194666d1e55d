// The batch rewind strategies: cold paths, called only when a handler asks
// for a batch to be replayed.
#include <stdexcept>
#include <string>
#include <thread>

#include "disruptor/batch_rewind_strategy.hpp"

namespace disruptor {

RewindAction SimpleBatchRewindStrategy::handleRewindException(const RewindableException&, int) {
  return RewindAction::Rewind;
}

EventuallyGiveUpBatchRewindStrategy::EventuallyGiveUpBatchRewindStrategy(int maxAttempts) : maxAttempts_(maxAttempts) {
  if (maxAttempts < 1)
    throw std::invalid_argument("EventuallyGiveUpBatchRewindStrategy: maxAttempts must be at least 1, got " +
                                std::to_string(maxAttempts));
}

RewindAction EventuallyGiveUpBatchRewindStrategy::handleRewindException(const RewindableException&, int attempts) {
  return attempts >= maxAttempts_ ? RewindAction::Throw : RewindAction::Rewind;
}

NanosecondPauseBatchRewindStrategy::NanosecondPauseBatchRewindStrategy(std::chrono::nanoseconds nanos)
    : pause_(nanos) {
  if (nanos.count() < 0) throw std::invalid_argument("NanosecondPauseBatchRewindStrategy: the pause must not be negative");
}

RewindAction NanosecondPauseBatchRewindStrategy::handleRewindException(const RewindableException&, int) {
  std::this_thread::sleep_for(pause_);
  return RewindAction::Rewind;
}

}  // namespace disruptor
