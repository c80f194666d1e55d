// EventProcessor: the type-erased face of a processor, so a graph can hold
// processors of different handler types. Its virtual calls are lifecycle
// calls (once per thread), never per event.
#pragma once

#include <string>

#include "disruptor/sequence.hpp"

namespace disruptor {

/// A runnable event loop with a sequence that records its progress.
///
/// Threading: run() on the one thread that owns the loop; halt() and the
/// queries from any thread.
class EventProcessor {
 public:
  virtual ~EventProcessor() = default;
  /// Runs the loop until halted; never lets an exception escape a handler.
  virtual void run() = 0;
  /// Asks the loop to stop; returns at once.
  virtual void halt() noexcept = 0;
  /// The sequence of the last event this processor finished with.
  virtual Sequence& getSequence() noexcept = 0;
  /// Whether run() is in progress.
  [[nodiscard]] virtual bool isRunning() const noexcept = 0;
  /// The handler's name, for thread names, logs and topology.
  [[nodiscard]] virtual std::string name() const = 0;
  /// Whether it flushes the slot lines it has handled back to the producer.
  [[nodiscard]] virtual bool releasesConsumedLines() const noexcept { return false; }
};

}  // namespace disruptor
