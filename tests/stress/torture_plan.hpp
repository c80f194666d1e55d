// What one lifecycle torture round does, drawn from its seed alone: a small
// graph, its producers, ring and wait strategy, and the way the round ends.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>

#include "stress_plan.hpp"

namespace stress {

/// How a torture round ends.
enum class Ending {
  HaltWhileRunning,             ///< halt() with producers publishing
  ShutdownAfterProducers,       ///< producers stop, then shutdown(): everything published is handled
  ShutdownTimeoutWhileRunning,  ///< shutdown(short timeout) with producers publishing, then halt()
  HaltFromHandler,              ///< a handler calls halt() on its own Disruptor; the destructor joins
  DestroyWhileBusy,             ///< producers stop; the destructor halts handlers mid-backlog
  HaltDuringShutdown,           ///< shutdown() on one thread, halt() on another, at once
  HaltThenShutdown,             ///< halt(), then shutdown() and shutdown(timeout) return at once
  HaltBeforeStart,              ///< halt() before start(): producers are refused at once
  FatalThenShutdown,            ///< a handler fails fatally; producers are woken; shutdown() returns
};
/// How many Ending values there are.
inline constexpr int kEndings = 9;

/// The ending's name, as printed with the seed.
inline const char* toString(Ending ending) {
  static constexpr const char* kNames[kEndings] = {
      "halt while running",  "shutdown after producers", "shutdown(timeout) while running",
      "halt from a handler", "destroy while busy",       "halt during shutdown",
      "halt then shutdown",  "halt before start",        "fatal then shutdown"};
  return kNames[static_cast<int>(ending)];
}

/// One round, drawn from its seed.
struct TorturePlan {
  std::uint64_t seed = 0;
  int handlers = 1;
  bool diamond = false;  ///< first -> middle handlers -> last; otherwise a pipeline
  bool multiProducer = false;
  int producers = 1;
  std::int64_t bufferSize = 4;
  std::int64_t maxClaim = 1;
  Strategy strategy = Strategy::Blocking;
  std::chrono::microseconds timeout{100};
  Ending ending = Ending::HaltWhileRunning;
  /// Events the first handler handles before the round ends (or the sequence a handler halts or fails at).
  std::int64_t trigger = 0;
  /// The handler that halts or fails.
  int actor = 0;

  /// One line saying what the round does.
  [[nodiscard]] std::string describe() const {
    return std::to_string(handlers) + (diamond ? " handlers in a diamond, " : " handlers in a pipeline, ") +
           std::to_string(producers) + (multiProducer ? " multi" : " single") + " producer(s), buffer " +
           std::to_string(bufferSize) + ", " + toString(strategy) + ", ending: " + toString(ending) + " at " +
           std::to_string(trigger);
  }
};

/// The round `seed` stands for.
inline TorturePlan drawTorture(std::uint64_t seed) {
  std::mt19937_64 random(seed);
  TorturePlan plan;
  plan.seed = seed;
  plan.handlers = static_cast<int>(detail::between(random, 1, 4));
  plan.diamond = plan.handlers >= 3 && detail::chance(random, 0.5);
  plan.multiProducer = detail::chance(random, 0.5);
  plan.producers = plan.multiProducer ? static_cast<int>(detail::between(random, 1, 3)) : 1;
  plan.bufferSize = std::int64_t{1} << detail::between(random, 0, 8);
  plan.maxClaim = detail::between(random, 1, plan.bufferSize);
  plan.strategy = detail::drawStrategy(random, plan.handlers + plan.producers);
  plan.timeout = std::chrono::microseconds(detail::logUniform(random, 20, 2000));
  plan.ending = static_cast<Ending>(detail::between(random, 0, kEndings - 1));
  plan.trigger = detail::between(random, 0, 300);
  plan.actor = static_cast<int>(detail::between(random, 0, plan.handlers - 1));
  return plan;
}

}  // namespace stress
