// The exceptions the library throws. Control-flow exceptions (alert, timeout)
// are thrown only when a wait ends abnormally, never per event.
#pragma once

#include <stdexcept>
#include <string>

namespace disruptor {

/// Thrown by tryNext()/tryPublishEvent() when the ring has no room for the claim.
class InsufficientCapacityException : public std::runtime_error {
 public:
  InsufficientCapacityException()
      : std::runtime_error("InsufficientCapacityException: the ring buffer has no room for the claim") {}
};

/// Thrown by a SequenceBarrier whose wait was ended by alert() (a halt).
class AlertException : public std::runtime_error {
 public:
  AlertException() : std::runtime_error("AlertException: the sequence barrier was alerted") {}
};

/// Thrown when a timed wait expires: a timeout wait strategy's wait for
/// events, or Disruptor::shutdown(timeout).
class TimeoutException : public std::runtime_error {
 public:
  /// Builds the exception with a message saying what timed out.
  explicit TimeoutException(const std::string& what = "TimeoutException: the wait timed out")
      : std::runtime_error(what) {}
};

/// Thrown to a producer that claims on, or waits for space on, a ring whose
/// Disruptor has been halted (by the owner, or by a fatal handler failure).
class HaltedException : public std::runtime_error {
 public:
  /// Builds the exception with a message saying why the ring is halted.
  explicit HaltedException(const std::string& what) : std::runtime_error(what) {}
};

/// Thrown by a handler registered with a BatchRewindStrategy to ask that the
/// whole batch be replayed from its first sequence.
class RewindableException : public std::runtime_error {
 public:
  /// Builds the exception; `what` says why the batch should be replayed.
  explicit RewindableException(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace disruptor
