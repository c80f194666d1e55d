// Progress logging for services: one line per snapshot of a Disruptor's graph
// (each handler's sequence and backlog), written through the library's
// spdlog logger, once or every interval on a thread of its own.
#pragma once

#include <chrono>
#include <concepts>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "disruptor/dsl/topology.hpp"
#include "disruptor/logging.hpp"

namespace disruptor {

/// Writes describeProgress(topology) through the library's logger at `level`.
void logProgress(const Topology& topology, LogLevel level = LogLevel::Info);

/// Logs a snapshot of a graph every interval, on its own thread named
/// `progress`, until stopped or destroyed.
///
/// Threading: construct after the Disruptor has started (a snapshot reads the
/// graph, which is fixed only from then) and destroy before the Disruptor;
/// stop() from any thread but the reporter's own.
class ProgressReporter {
 public:
  /// Logs `snapshot()` every `interval` at `level`.
  ProgressReporter(std::function<Topology()> snapshot, std::chrono::milliseconds interval, LogLevel level = LogLevel::Info);

  /// Logs `source.topology()` every `interval` at `level`; `source` (a
  /// started Disruptor) must outlive the reporter.
  template <class Source>
    requires requires(const Source& source) {
      { source.topology() } -> std::same_as<Topology>;
    }
  ProgressReporter(const Source& source, std::chrono::milliseconds interval, LogLevel level = LogLevel::Info)
      : ProgressReporter([&source] { return source.topology(); }, interval, level) {}

  /// Stops the reporter.
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  /// Wakes the reporter's thread and joins it: returns once a snapshot being
  /// logged is written, without waiting for the rest of the interval. Idempotent.
  void stop();

 private:
  void run();

  std::function<Topology()> snapshot_;
  std::chrono::milliseconds interval_;
  LogLevel level_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace disruptor
