// Lifecycle torture: start, halt and shutdown a thousand small graphs (fewer
// under sanitizers), ending each a different way with producers mid-flight
// and handlers mid-batch. Every round must end (a watchdog bounds it), wake
// every producer, and take all its threads with it. disruptor_stress
// --lifecycle plays the same rounds from random seeds.
#include <doctest/doctest.h>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <functional>
#include <string>

#include "disruptor/logging.hpp"
#include "stress/stress_runs.hpp"
#include "stress/torture_plan.hpp"
#include "stress/watchdog.hpp"
#include "test_support.hpp"

namespace {
/// The rounds' seeds are fixed, so a failure here replays with disruptor_stress --lifecycle --seed.
constexpr std::uint64_t kBaseSeed = 20240601;

/// Silences the library's log for a scope: a hundred fatal endings would each log at critical level.
struct QuietLog {
  QuietLog() {
    disruptor::setLogger(
        std::make_shared<spdlog::logger>("disruptor", std::make_shared<spdlog::sinks::null_sink_mt>()));
  }
  ~QuietLog() { disruptor::setLogger(nullptr); }
};
}  // namespace

TEST_CASE("a thousand start-halt-shutdown rounds with producers mid-flight never hang nor leave a thread behind") {
  const QuietLog quiet;
  stress::Watchdog watchdog;
  const int before = test::threadCount();
  const std::int64_t rounds = test::scaled(1000, 50);
  for (std::int64_t i = 0; i < rounds; ++i) {
    const stress::TorturePlan plan = stress::drawTorture(stress::mix(kBaseSeed + static_cast<std::uint64_t>(i)));
    INFO("seed " << plan.seed << ": " << plan.describe());
    watchdog.arm("lifecycle torture round with seed " + std::to_string(plan.seed), 3 * test::kWaitBound);
    const std::string failure =
        stress::tortureOnce(plan, [&](std::function<std::string()> dump) { watchdog.setDump(std::move(dump)); });
    watchdog.disarm();
    REQUIRE_MESSAGE(failure.empty(), failure);
    REQUIRE_EVENTUALLY(test::threadCount() == before, "the round's threads to end");
  }
}
