// Batch rewind: a handler registered with a BatchRewindStrategy may throw
// RewindableException, and the strategy decides whether the whole batch is
// replayed from its first sequence or the exception goes to the exception
// handler. Cold path: plain classes, compiled in src/.
#pragma once

#include <chrono>

#include "disruptor/exceptions.hpp"

namespace disruptor {

/// What to do with a RewindableException.
enum class RewindAction {
  Rewind,  ///< replay the batch from its first sequence
  Throw,   ///< hand the exception to the handler's exception handler
};

/// Decides, for each RewindableException, whether to replay the batch.
///
/// Threading: called on the processor thread of the handler it serves; one
/// strategy may serve several handlers only if it is thread-safe.
class BatchRewindStrategy {
 public:
  virtual ~BatchRewindStrategy() = default;
  /// `attempts` counts the failures of this batch so far, from 1.
  virtual RewindAction handleRewindException(const RewindableException& error, int attempts) = 0;
};

/// Always replays.
class SimpleBatchRewindStrategy final : public BatchRewindStrategy {
 public:
  /// Returns Rewind.
  RewindAction handleRewindException(const RewindableException& error, int attempts) override;
};

/// Replays until a batch has failed `maxAttempts` times, then throws.
class EventuallyGiveUpBatchRewindStrategy final : public BatchRewindStrategy {
 public:
  /// Gives up on the `maxAttempts`-th failure of a batch (must be at least 1).
  explicit EventuallyGiveUpBatchRewindStrategy(int maxAttempts);
  /// Rewind below `maxAttempts` failures, Throw at it.
  RewindAction handleRewindException(const RewindableException& error, int attempts) override;

 private:
  int maxAttempts_;
};

/// Sleeps for a pause, then replays: for failures that clear with time.
class NanosecondPauseBatchRewindStrategy final : public BatchRewindStrategy {
 public:
  /// Pauses `nanos` nanoseconds before each replay.
  explicit NanosecondPauseBatchRewindStrategy(std::chrono::nanoseconds nanos);
  /// Sleeps, then returns Rewind.
  RewindAction handleRewindException(const RewindableException& error, int attempts) override;

 private:
  std::chrono::nanoseconds pause_;
};

}  // namespace disruptor
