// Options: what a Disruptor is told besides its buffer and wait strategy.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>

#include "disruptor/detail/line_release.hpp"

namespace disruptor {

/// Settings of a Disruptor's processors.
struct Options {
  /// Names the Disruptor in logs; processor threads are named `<name>-<handler>`.
  std::string name = "disruptor";
  /// The most events a processor handles before it stores its sequence
  /// (and so before producers and downstream handlers see its progress).
  std::int64_t maxBatchSize = std::numeric_limits<std::int32_t>::max();
  /// Pins the thread of the handler with this name to this CPU.
  std::map<std::string, int> cpuAffinity;
  /// Lets a ring's one handler flush the slot lines it has handled while the
  /// producer streams, so the producer's next lap finds them in no other
  /// core's cache. Costs memory bandwidth: each line is written back and read
  /// again once per lap. Events sent one at a time are never flushed, and a
  /// stream's lines only while that times faster than not (the handler
  /// tries both now and then). On by default only on CPUs where it was
  /// measured to pay (AMD's); true turns it on anywhere the CPU can flush a
  /// line without a fence (CLFLUSHOPT).
  bool releaseConsumedLines = detail::lineReleasePays();
  /// Lets a producer of a multi-producer ring whose claims keep racing
  /// another producer's, claim after claim, step aside (yield) before its
  /// next one, so the two take turns instead of passing the claim's cache
  /// lines between cores on every claim. Only with a wait strategy that
  /// yields or blocks (kStepsAside); costs the racing producer a yield, so
  /// false keeps every claim straight on.
  bool stepAsideWhenClaimsRace = true;

  /// Sets the name; chainable: Options().withName("orders").withMaxBatchSize(64).
  Options& withName(std::string value) {
    name = std::move(value);
    return *this;
  }
  /// Sets maxBatchSize; chainable.
  Options& withMaxBatchSize(std::int64_t value) {
    maxBatchSize = value;
    return *this;
  }
  /// Sets releaseConsumedLines; chainable.
  Options& withReleaseConsumedLines(bool value) {
    releaseConsumedLines = value;
    return *this;
  }
  /// Sets stepAsideWhenClaimsRace; chainable.
  Options& withStepAsideWhenClaimsRace(bool value) {
    stepAsideWhenClaimsRace = value;
    return *this;
  }
  /// Pins the thread of handler `handlerName` to `cpu`; chainable.
  Options& withCpuAffinity(std::string handlerName, int cpu) {
    cpuAffinity[std::move(handlerName)] = cpu;
    return *this;
  }
};

}  // namespace disruptor
