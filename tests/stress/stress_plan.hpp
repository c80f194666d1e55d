// What one stress iteration runs, drawn from its seed alone: the handler
// graph and how the DSL builds it, producers and their claim sizes, buffer
// size, wait strategy, batch cap and the faults to inject. Printing the seed
// is enough to run the same iteration again.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace stress {

/// The most handlers a graph has (and the number of stamp slots an event carries).
inline constexpr int kMaxHandlers = 8;
/// The most producer threads.
inline constexpr int kMaxProducers = 4;
/// The cores this machine gives the tests: never more spinning threads than this.
inline constexpr int kCores = 2;

/// A well-mixed 64-bit hash (the splitmix64 finaliser): fault plans and seeds are derived with it.
constexpr std::uint64_t mix(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// A hash of (`seed`, `a`, `b`): the same inputs give the same answer on every run.
constexpr std::uint64_t mix(std::uint64_t seed, std::uint64_t a, std::uint64_t b) noexcept {
  return mix(mix(mix(seed) ^ a) ^ b);
}

/// The wait strategies, all of which the stress program runs.
enum class Strategy {
  BusySpin,
  Yielding,
  Sleeping,
  Blocking,
  LiteBlocking,
  TimeoutBlocking,
  LiteTimeoutBlocking,
  PhasedWithLock,
  PhasedWithLiteLock,
  PhasedWithSleep,
};
/// How many Strategy values there are.
inline constexpr int kStrategies = 10;

/// The strategy's name, as printed with the seed.
inline const char* toString(Strategy strategy) {
  static constexpr const char* kNames[kStrategies] = {"BusySpin",
                                                      "Yielding",
                                                      "Sleeping",
                                                      "Blocking",
                                                      "LiteBlocking",
                                                      "TimeoutBlocking",
                                                      "LiteTimeoutBlocking",
                                                      "Phased(Lock)",
                                                      "Phased(LiteLock)",
                                                      "Phased(Sleep)"};
  return kNames[static_cast<int>(strategy)];
}

/// The failure an iteration injects.
enum class Fault {
  None,    ///< handlers never throw
  Ignore,  ///< handlers throw at random sequences; IgnoreExceptionHandler skips the event
  Rewind,  ///< rewindable handlers throw RewindableException; others as Ignore
  Fatal,   ///< one handler throws once under FatalExceptionHandler; the graph halts
};

/// The fault's name, as printed with the seed.
inline const char* toString(Fault fault) {
  static constexpr const char* kNames[] = {"none", "ignore", "rewind", "fatal"};
  return kNames[static_cast<int>(fault)];
}

/// How one DSL call adds a batch of handlers.
enum class Form {
  Root,         ///< d.handleEventsWith(h...)
  Then,         ///< group.then(h...), group being an earlier call's result
  GroupHandle,  ///< group.handleEventsWith(h...)
  After,        ///< d.after(u...).handleEventsWith(h...)
  AfterJoined,  ///< d.after(u0).and_(d.after(u1))... .then(h...)
};

/// The form's DSL spelling, as printed with the seed.
inline const char* toString(Form form) {
  static constexpr const char* kNames[] = {"handleEventsWith", "then", "group.handleEventsWith", "after", "and_"};
  return kNames[static_cast<int>(form)];
}

/// One DSL call: the handlers it adds (ids, consecutive) and what they run after.
struct Batch {
  std::vector<int> handlers;
  Form form = Form::Root;
  /// For Then and GroupHandle: the earlier batch whose group is extended.
  int group = -1;
  /// For After and AfterJoined: the handlers named as upstream.
  std::vector<int> upstream;
  /// 0: not rewindable; -1: SimpleBatchRewindStrategy; n > 0: EventuallyGiveUpBatchRewindStrategy(n).
  int rewind = 0;
};

/// What one handler does besides checking.
struct HandlerPlan {
  /// Handlers it runs after, sorted.
  std::vector<int> upstream;
  /// Throws a plain exception at about one sequence in `failEvery` (0: never).
  int failEvery = 0;
  /// Throws RewindableException at about one sequence in `rewindEvery` (0: never).
  int rewindEvery = 0;
  /// How often a rewindable sequence throws before it passes (1..3).
  int rewindTimes = 1;
  /// The batch's rewind strategy, as Batch::rewind.
  int rewind = 0;
  /// Throws the fatal failure at this sequence (-1: never).
  std::int64_t fatalAt = -1;
  /// Releases its sequence early, mid-batch, through setSequenceCallback.
  bool earlyRelease = false;
  /// Its exception handler comes from setDefaultExceptionHandler, not handleExceptionsFor.
  bool usesDefault = false;
};

/// Everything one iteration does.
struct GraphPlan {
  std::uint64_t seed = 0;
  std::vector<HandlerPlan> handlers;
  std::vector<Batch> batches;
  bool multiProducer = false;
  /// One producer only: the ring is SlotLayout::Stamped, so handlers right
  /// behind the producer wait on slot stamps once caught up.
  bool stampedSlots = false;
  /// Events each producer publishes; its size is the number of producers.
  std::vector<std::int64_t> quotas;
  std::int64_t bufferSize = 1;
  Strategy strategy = Strategy::Blocking;
  /// The timeout of the timeout strategies.
  std::chrono::microseconds timeout{100};
  Fault fault = Fault::None;
  /// Options::maxBatchSize.
  std::int64_t maxBatchSize = 1;
  /// The largest batch a producer claims at once.
  std::int64_t maxClaim = 1;

  /// Every event published, from every producer.
  [[nodiscard]] std::int64_t total() const {
    std::int64_t sum = 0;
    for (std::int64_t quota : quotas) sum += quota;
    return sum;
  }
  /// One line saying what the iteration runs.
  [[nodiscard]] std::string describe() const;
};

namespace detail {
inline bool chance(std::mt19937_64& random, double p) { return std::bernoulli_distribution(p)(random); }
inline std::int64_t between(std::mt19937_64& random, std::int64_t low, std::int64_t high) {
  return std::uniform_int_distribution<std::int64_t>(low, high)(random);
}
/// A log-uniform draw from [low, high]: small values as likely as big ones, per order of magnitude.
inline std::int64_t logUniform(std::mt19937_64& random, std::int64_t low, std::int64_t high) {
  std::uniform_real_distribution<double> exponent(std::log(static_cast<double>(low)),
                                                  std::log(static_cast<double>(high) + 1));
  return std::clamp(static_cast<std::int64_t>(std::exp(exponent(random))), low, high);
}

/// `k` distinct ids drawn from 0..n-1, sorted.
inline std::vector<int> subset(std::mt19937_64& random, int n, int k) {
  std::vector<int> all(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) all[static_cast<std::size_t>(i)] = i;
  std::shuffle(all.begin(), all.end(), random);
  all.resize(static_cast<std::size_t>(k));
  std::sort(all.begin(), all.end());
  return all;
}

/// Adds the DSL calls: batches of 1..3 handlers, each after nothing, after an
/// earlier call's group, or after a random set of earlier handlers.
inline void drawGraph(std::mt19937_64& random, GraphPlan& plan, int handlers) {
  for (int next = 0; next < handlers;) {
    Batch batch;
    const int size = static_cast<int>(between(random, 1, std::min(3, handlers - next)));
    for (int i = 0; i < size; ++i) batch.handlers.push_back(next + i);
    const int choice = next == 0 ? 0 : static_cast<int>(between(random, 0, 4));
    batch.form = static_cast<Form>(choice);
    if (batch.form == Form::Then || batch.form == Form::GroupHandle) {
      batch.group = static_cast<int>(between(random, 0, static_cast<std::int64_t>(plan.batches.size()) - 1));
      batch.upstream = plan.batches[static_cast<std::size_t>(batch.group)].handlers;
    } else if (batch.form == Form::After) {
      batch.upstream = subset(random, next, static_cast<int>(between(random, 1, std::min(3, next))));
    } else if (batch.form == Form::AfterJoined) {
      batch.upstream = subset(random, next, static_cast<int>(between(random, 1, std::min(4, next))));
    }
    for (int id : batch.handlers) plan.handlers[static_cast<std::size_t>(id)].upstream = batch.upstream;
    plan.batches.push_back(std::move(batch));
    next += size;
  }
}

/// Decides which handlers throw, where, and what catches it.
inline void drawFaults(std::mt19937_64& random, GraphPlan& plan) {
  for (HandlerPlan& handler : plan.handlers) {
    handler.usesDefault = chance(random, 0.3);
    handler.earlyRelease = chance(random, 0.2);
  }
  if (plan.fault != Fault::None) {
    for (HandlerPlan& handler : plan.handlers)
      if (chance(random, 0.5)) handler.failEvery = static_cast<int>(logUniform(random, 1, 2000));
  }
  if (plan.fault == Fault::Rewind) {
    for (Batch& batch : plan.batches) {
      if (!chance(random, 0.6)) continue;
      batch.rewind = chance(random, 0.5) ? -1 : static_cast<int>(between(random, 1, 4));
      for (int id : batch.handlers) {
        HandlerPlan& handler = plan.handlers[static_cast<std::size_t>(id)];
        handler.rewind = batch.rewind;
        // A rewind replays from the start of the batch, so n rewinds in a
        // batch of b events cost about n * b / 2 replays: keep n * times
        // below about b / 8 per batch, or a big batch replays for minutes.
        handler.rewindTimes = static_cast<int>(between(random, 1, 3));
        const std::int64_t longest = std::min(plan.maxBatchSize, plan.bufferSize);
        const std::int64_t rarest = std::max<std::int64_t>(1, longest * handler.rewindTimes / 8);
        handler.rewindEvery = static_cast<int>(logUniform(random, rarest, std::max<std::int64_t>(rarest, 1000)));
        handler.earlyRelease = false;  // a replayed batch must not have been released
      }
    }
  }
  if (plan.fault == Fault::Fatal) {
    HandlerPlan& victim = plan.handlers[static_cast<std::size_t>(
        between(random, 0, static_cast<std::int64_t>(plan.handlers.size()) - 1))];
    victim.fatalAt = between(random, 0, plan.total() - 1);
    victim.failEvery = 0;        // its exception handler is the fatal one: the planned failure is its only one
    victim.usesDefault = false;  // the others share an ignoring default
  }
}

inline Strategy drawStrategy(std::mt19937_64& random, int threads) {
  for (;;) {
    const auto strategy = static_cast<Strategy>(between(random, 0, kStrategies - 1));
    if (strategy != Strategy::BusySpin || threads <= kCores) return strategy;  // never more spinners than cores
  }
}
}  // namespace detail

/// The most events an iteration of this ring and batch cap publishes (before scaling).
inline std::int64_t mostEvents(const GraphPlan& plan) {
  // A tiny ring hands every event through the whole graph one at a time: a
  // few thousand laps find its bugs, and more would only take long.
  std::int64_t most = std::min<std::int64_t>(200'000, 2'000 * plan.bufferSize);
  // With many producers each batch reads the published flag of every slot
  // in the backlog (up to the whole ring), however few events maxBatchSize
  // lets it take: keep events * ring / maxBatchSize within a few seconds.
  if (plan.multiProducer && plan.maxBatchSize < plan.bufferSize) {
    constexpr std::int64_t kFlagReads = 200'000'000;
    most = std::min(most, std::max<std::int64_t>(2'000, kFlagReads * plan.maxBatchSize / plan.bufferSize));
  }
  return most;
}

/// The iteration `seed` stands for. `scale` shrinks the event counts (sanitizer builds).
inline GraphPlan drawPlan(std::uint64_t seed, double scale) {
  std::mt19937_64 random(seed);
  GraphPlan plan;
  plan.seed = seed;
  const int handlers = static_cast<int>(detail::between(random, 1, kMaxHandlers));
  plan.handlers.resize(static_cast<std::size_t>(handlers));
  detail::drawGraph(random, plan, handlers);

  // Powers of two from 1 to 65536, the tiny ones (where every claim wraps) drawn more often.
  const int log2Size = detail::chance(random, 0.4) ? static_cast<int>(detail::between(random, 0, 3))
                                                   : static_cast<int>(detail::between(random, 2, 16));
  plan.bufferSize = std::int64_t{1} << log2Size;

  plan.multiProducer = detail::chance(random, 0.6);
  const int producers = plan.multiProducer ? static_cast<int>(detail::between(random, 1, kMaxProducers)) : 1;
  plan.maxBatchSize = detail::chance(random, 0.5) ? std::int64_t{1} << 31 : detail::logUniform(random, 1, 512);
  const std::int64_t total =
      detail::logUniform(random, 1, std::max<std::int64_t>(1, static_cast<std::int64_t>(mostEvents(plan) * scale)));
  for (int p = 0; p < producers; ++p) plan.quotas.push_back(total / producers + (p < total % producers ? 1 : 0));
  plan.strategy = detail::drawStrategy(random, handlers + producers);
  plan.timeout = std::chrono::microseconds(detail::logUniform(random, 20, 5000));
  plan.fault = static_cast<Fault>(detail::between(random, 0, 3));
  plan.maxClaim = detail::logUniform(random, 1, plan.bufferSize);
  detail::drawFaults(random, plan);
  plan.stampedSlots = !plan.multiProducer && detail::chance(random, 0.5);  // drawn last: earlier draws stay as they were
  return plan;
}

/// The numbers in `values`, comma-separated.
template <class Numbers>
std::string joined(const Numbers& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i != 0) out += ',';
    out += std::to_string(values[i]);
  }
  return out;
}

inline std::string GraphPlan::describe() const {
  std::string out = std::to_string(handlers.size()) + " handlers [";
  for (std::size_t b = 0; b < batches.size(); ++b) {
    const Batch& batch = batches[b];
    if (b != 0) out += "; ";
    out += toString(batch.form);
    out += "(";
    out += joined(batch.upstream);
    out += ")->";
    out += joined(batch.handlers);
    if (batch.rewind != 0) out += batch.rewind < 0 ? " rewind" : " giveUp" + std::to_string(batch.rewind);
  }
  out += "], " + std::to_string(quotas.size()) + (multiProducer ? " multi" : " single") + " producer(s), " +
         (stampedSlots ? "stamped slots, " : "") + std::to_string(total()) + " events, buffer " + std::to_string(bufferSize) + ", " + toString(strategy) +
         ", maxBatch " + std::to_string(maxBatchSize) + ", maxClaim " + std::to_string(maxClaim) + ", fault " +
         toString(fault);
  for (std::size_t h = 0; h < handlers.size(); ++h)
    if (handlers[h].fatalAt >= 0)
      out += " (handler " + std::to_string(h) + " at " + std::to_string(handlers[h].fatalAt) + ")";
  return out;
}

}  // namespace stress
