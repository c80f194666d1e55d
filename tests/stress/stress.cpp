// disruptor_stress: random graphs, producers, buffer sizes, wait strategies
// and faults, each iteration drawn from a seed that is printed before it runs;
// any broken promise prints the seed and exits non-zero, and a hang is ended
// by a watchdog that prints the seed. With --lifecycle it plays lifecycle
// torture rounds instead.
//
//   disruptor_stress --seconds 60          random seeds for a minute
//   disruptor_stress --seconds 14400       for hours
//   disruptor_stress --seed 1234567        replay one iteration
//   disruptor_stress --lifecycle --iterations 1000
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "bounded_wait.hpp"
#include "disruptor/logging.hpp"
#include "stress_plan.hpp"
#include "stress_runs.hpp"
#include "torture_plan.hpp"
#include "watchdog.hpp"

namespace {

/// What the command line asked for.
struct Settings {
  std::optional<std::uint64_t> seed;
  std::optional<double> seconds;
  std::optional<std::int64_t> iterations;
  std::uint64_t baseSeed = std::random_device{}();
  std::optional<stress::Strategy> strategy;
  bool lifecycle = false;
  bool verbose = false;
  double scale = DISRUPTOR_TEST_SCALE;
  std::chrono::milliseconds bound{std::chrono::seconds(120)};
};

constexpr const char* kUsage =
    "usage: disruptor_stress [--seed S | --seconds T | --iterations N] [--base-seed B] [--lifecycle]\n"
    "                        [--scale F] [--strategy NAME] [--watchdog-seconds W] [--verbose]\n"
    "  --seed S            run the one iteration seed S stands for (replay a failure)\n"
    "  --seconds T         run random seeds until T seconds have passed (hours: 14400)\n"
    "  --iterations N      run N random seeds (default 100 without --seconds)\n"
    "  --base-seed B       derive the iterations' seeds from B instead of a random base\n"
    "  --lifecycle         play lifecycle torture rounds instead of graph iterations\n"
    "  --scale F           multiply event counts by F (default: the build's DISRUPTOR_TEST_SCALE)\n"
    "  --strategy NAME     use this wait strategy (as printed, e.g. Blocking) instead of the drawn one\n"
    "  --watchdog-seconds  end the process, printing the seed, if one iteration takes longer (default 120)\n"
    "  --verbose           keep the library's log (skipped and fatal events are logged)\n";

[[noreturn]] void usage(const char* problem) {
  std::fprintf(stderr, "%s\n%s", problem, kUsage);
  std::exit(2);
}

stress::Strategy strategyNamed(const std::string& name) {
  for (int i = 0; i < stress::kStrategies; ++i)
    if (name == stress::toString(static_cast<stress::Strategy>(i))) return static_cast<stress::Strategy>(i);
  usage(("no wait strategy named " + name).c_str());
}

Settings parse(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + arg).c_str());
      return argv[++i];
    };
    try {
      if (arg == "--seed")
        settings.seed = std::stoull(value());
      else if (arg == "--seconds")
        settings.seconds = std::stod(value());
      else if (arg == "--iterations")
        settings.iterations = std::stoll(value());
      else if (arg == "--base-seed")
        settings.baseSeed = std::stoull(value());
      else if (arg == "--scale")
        settings.scale = std::stod(value());
      else if (arg == "--watchdog-seconds")
        settings.bound = std::chrono::milliseconds(static_cast<std::int64_t>(std::stod(value()) * 1000));
      else if (arg == "--strategy")
        settings.strategy = strategyNamed(value());
      else if (arg == "--lifecycle")
        settings.lifecycle = true;
      else if (arg == "--verbose")
        settings.verbose = true;
      else
        usage(("unknown argument " + arg).c_str());
    } catch (const std::logic_error&) {
      usage(("bad value for " + arg).c_str());
    }
  }
  return settings;
}

/// The command that replays `seed` exactly: the scale changes what a seed
/// draws, so it is always given, as is a forced strategy.
std::string replayCommand(std::uint64_t seed, const Settings& settings) {
  std::string command = "disruptor_stress --seed " + std::to_string(seed);
  if (settings.lifecycle) return command + " --lifecycle";
  char scale[32];
  std::snprintf(scale, sizeof scale, " --scale %g", settings.scale);
  command += scale;
  if (settings.strategy) command += std::string(" --strategy ") + stress::toString(*settings.strategy);
  return command;
}

// The seed running now, preformatted so a signal handler can print it.
char gRunning[256] = "no iteration running\n";

extern "C" void onCrash(int signal) {
  const char prefix[] = "\nCRASH while running: ";
  [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, prefix, sizeof prefix - 1);
  ignored = ::write(STDERR_FILENO, gRunning, std::strlen(gRunning));
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

void installCrashHandlers() {
  for (int signal : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) std::signal(signal, onCrash);
}

/// A failure unless the thread count is back to `before` within the bound.
std::string threadsLeftBehind(std::uint64_t seed, int before) {
  if (test::eventually([&] { return test::threadCount() == before; })) return {};
  return "seed " + std::to_string(seed) + ": " + std::to_string(test::threadCount() - before) +
         " threads outlived the Disruptor";
}

/// Runs the graph iteration (or with --lifecycle, the torture round) that
/// `seed` stands for, under the watchdog; the failures found, or empty.
std::string runSeed(std::uint64_t seed, const Settings& settings, stress::Watchdog& watchdog, int threadsBefore) {
  std::string description;
  std::function<std::string(const stress::DumpSetter&)> run;
  if (settings.lifecycle) {
    const stress::TorturePlan plan = stress::drawTorture(seed);
    description = plan.describe();
    run = [plan](const stress::DumpSetter& setDump) { return stress::tortureOnce(plan, setDump); };
  } else {
    stress::GraphPlan plan = stress::drawPlan(seed, settings.scale);
    if (settings.strategy) plan.strategy = *settings.strategy;
    description = plan.describe();
    run = [plan, bound = settings.bound / 2](const stress::DumpSetter& setDump) {
      return stress::runGraphIteration(plan, bound, setDump);
    };
  }
  std::printf("seed %llu: %s\n", static_cast<unsigned long long>(seed), description.c_str());
  std::fflush(stdout);
  watchdog.arm("seed " + std::to_string(seed) + " (replay: " + replayCommand(seed, settings) + ")", settings.bound);
  std::string failure = run([&](std::function<std::string()> dump) { watchdog.setDump(std::move(dump)); });
  if (failure.empty()) failure = threadsLeftBehind(seed, threadsBefore);
  watchdog.disarm();
  return failure;
}

}  // namespace

int main(int argc, char** argv) {
  const Settings settings = parse(argc, argv);
  if (!settings.verbose) {  // thousands of skipped events would each log a line
    auto quiet = std::make_shared<spdlog::logger>("disruptor", std::make_shared<spdlog::sinks::null_sink_mt>());
    quiet->set_level(spdlog::level::off);
    disruptor::setLogger(std::move(quiet));
  }
  installCrashHandlers();
  stress::Watchdog watchdog;
  const int threadsBefore = test::threadCount();

  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  const std::int64_t iterations = settings.seed ? 1 : settings.iterations.value_or(settings.seconds ? INT64_MAX : 100);
  if (!settings.seed)
    std::printf("base seed %llu (--base-seed %llu repeats this run's seeds)\n",
                static_cast<unsigned long long>(settings.baseSeed), static_cast<unsigned long long>(settings.baseSeed));

  std::int64_t done = 0;
  for (; done < iterations && !(settings.seconds && elapsed() >= *settings.seconds); ++done) {
    const std::uint64_t seed =
        settings.seed ? *settings.seed : stress::mix(settings.baseSeed + static_cast<std::uint64_t>(done));
    std::snprintf(gRunning, sizeof gRunning, "seed %llu (replay: %s)\n", static_cast<unsigned long long>(seed),
                  replayCommand(seed, settings).c_str());
    const auto iterationStart = std::chrono::steady_clock::now();
    const std::string failure = runSeed(seed, settings, watchdog, threadsBefore);
    if (!failure.empty()) {
      std::printf("FAILED: seed %llu\n%s\nreplay: %s\n", static_cast<unsigned long long>(seed), failure.c_str(),
                  replayCommand(seed, settings).c_str());
      std::fflush(stdout);
      return 1;
    }
    std::printf("  ok in %lld ms\n", static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                                std::chrono::steady_clock::now() - iterationStart)
                                                                .count()));
  }
  std::printf("%lld %s passed in %.1f s\n", static_cast<long long>(done),
              settings.lifecycle ? "lifecycle torture rounds" : "stress iterations", elapsed());
  return 0;
}
