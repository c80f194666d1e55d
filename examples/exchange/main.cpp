// exchange: LMAX's canonical graph. Each order is journalled to a file and
// replicated over a loopback socket in parallel; the matcher (an order book)
// runs after both:
//
//   d.handleEventsWith(journaller, replicator).then(matcher);
//
// Run with no arguments for a few seconds of generated orders; --help lists
// the options. It logs progress while it runs, then prints throughput,
// latency percentiles (publish to matched) and trades, checks that the
// journal and the replica hold every order, and draws its topology
// (exchange.dot, and exchange.png when graphviz is installed). Exit status 1,
// with the reason on stderr, if the journal or the replica misses an order, a
// handler failed fatally, or the matcher did not handle every order sent.
#include <disruptor/disruptor.hpp>

#include <sched.h>
#include <spdlog/spdlog.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "journal.hpp"
#include "matcher.hpp"
#include "order_source.hpp"
#include "replication.hpp"

namespace fs = std::filesystem;
using namespace exchange;

namespace {

constexpr const char* kUsage = R"(usage: exchange [options]
  --orders N        generate N orders (default 400000)
  --rate R          publish at most R orders per second; 0: as fast as possible (default 200000)
  --seed S          seed of the order generator (default 42)
  --stdin           read orders from stdin instead, one per line: B|S <price> <quantity>
                    (e.g. "B 10050 25"; blank lines and lines starting with # are skipped)
  --out DIR         where the journal and the topology go (default: next to this program)
  --progress-ms MS  how often to log progress (default 500)
  --trades-out FILE write every trade to FILE, one a line: <buy id> buys <quantity> from <sell id> at <price>
  --fail-at ID      the matcher throws on order ID (ids count from 0), to show how a fatal failure is reported
)";

struct Config {
  std::int64_t orders = 400'000;
  double rate = 200'000;
  std::uint64_t seed = 42;
  bool fromStdin = false;
  fs::path out;
  std::chrono::milliseconds progressInterval{500};
  std::optional<fs::path> tradesOut;
  std::int64_t failAt = -1;
};

using Exchange = disruptor::Disruptor<OrderEvent, disruptor::BlockingWaitStrategy, disruptor::ProducerType::Single>;

/// The directory this program lives in, so that its output has a stable place.
fs::path programDirectory() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  return error ? fs::current_path() : self.parent_path();
}

/// The configuration the command line asks for; throws std::invalid_argument naming a bad option.
Config parseArguments(int argc, char** argv) {
  Config config;
  config.out = programDirectory();
  for (int i = 1; i < argc; ++i) {
    const std::string_view option = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(std::string(option) + " needs a value");
      return argv[++i];
    };
    if (option == "--orders") config.orders = std::stoll(value());
    else if (option == "--rate") config.rate = std::stod(value());
    else if (option == "--seed") config.seed = std::stoull(value());
    else if (option == "--stdin") config.fromStdin = true;
    else if (option == "--out") config.out = value();
    else if (option == "--progress-ms") config.progressInterval = std::chrono::milliseconds(std::stoll(value()));
    else if (option == "--trades-out") config.tradesOut = value();
    else if (option == "--fail-at") config.failAt = std::stoll(value());
    else throw std::invalid_argument("unknown option " + std::string(option));
  }
  if (config.orders < 0 || config.rate < 0) throw std::invalid_argument("--orders and --rate must not be negative");
  return config;
}

/// The CPUs this process may run on.
std::vector<int> allowedCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  return cpus;
}

/// Gives each handler a CPU of its own, leaving the first to the producer, when
/// the process has more CPUs than handlers and producer; with fewer, pinned
/// threads would queue behind each other on a CPU the scheduler could have
/// spread them over. Returns what it decided, for the log.
std::string chooseAffinity(disruptor::Options& options, const std::vector<std::string>& handlers) {
  const std::vector<int> cpus = allowedCpus();
  const std::size_t threads = handlers.size() + 1;
  if (cpus.size() <= threads)
    return std::to_string(cpus.size()) + " CPUs for " + std::to_string(threads) + " threads: no pinning";
  std::string decision = "pinned";
  for (std::size_t i = 0; i < handlers.size(); ++i) {
    options.withCpuAffinity(handlers[i], cpus[i + 1]);
    decision += " " + handlers[i] + "->CPU" + std::to_string(cpus[i + 1]);
  }
  return decision;
}

/// Publishes every order `next` yields, paced to `rate`; returns those the
/// ring took, in order. Stops early if a fatal failure halts the graph (the
/// ring then refuses to publish); the caller reports that from the Disruptor.
std::vector<Order> publishAll(Exchange::RingBufferType& ring, const std::function<std::optional<Order>()>& next, double rate) {
  std::vector<Order> sent;
  const Pacer pacer(rate);
  try {
    while (const std::optional<Order> order = next()) {
      pacer.awaitTurn(static_cast<std::int64_t>(sent.size()));
      ring.publishEvent(
          [](OrderEvent& event, std::int64_t, const Order& value) {
            event.order = value;
            event.publishedNanos = steadyNanos();
          },
          *order);
      sent.push_back(*order);
    }
  } catch (const disruptor::HaltedException&) {
    // a handler failed fatally: nothing more can be published
  }
  return sent;
}

/// Runs graphviz's dot on `dotFile`; what happened, for the log.
std::string renderPng(const fs::path& dotFile, const fs::path& pngFile) {
  const std::string in = dotFile.string(), out = pngFile.string();
  const char* args[] = {"dot", "-Tpng", "-o", out.c_str(), in.c_str(), nullptr};
  pid_t child = 0;
  if (posix_spawnp(&child, "dot", nullptr, nullptr, const_cast<char* const*>(args), environ) != 0)
    return "no PNG: graphviz's dot is not installed (apt-get install graphviz)";
  int status = 0;
  if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return "no PNG: dot failed";
  return out;
}

/// Writes the topology as DOT, and as PNG when it can; returns where they went.
std::string writeTopology(const Exchange& d, const fs::path& out) {
  const fs::path dotFile = out / "exchange.dot";
  std::ofstream(dotFile) << d.toDot();
  return dotFile.string() + ", " + renderPng(dotFile, out / "exchange.png");
}

/// The value at percentile `p` of `sorted` (nearest rank).
double percentileMicros(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return static_cast<double>(sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1]) / 1000.0;
}

void printLatency(std::vector<std::int64_t> nanos) {
  std::sort(nanos.begin(), nanos.end());
  std::printf("latency publish->matched (us): p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f\n",
              percentileMicros(nanos, 50), percentileMicros(nanos, 90), percentileMicros(nanos, 99),
              percentileMicros(nanos, 99.9), percentileMicros(nanos, 100));
}

/// Prints whether `held` is exactly `sent`; false, naming the first difference, if not.
bool check(const char* what, const std::vector<Order>& held, const std::vector<Order>& sent) {
  const auto [sentAt, heldAt] = std::mismatch(sent.begin(), sent.end(), held.begin(), held.end());
  if (sentAt == sent.end() && heldAt == held.end()) {
    std::printf("%s: holds all %zu orders, in order\n", what, held.size());
    return true;
  }
  std::printf("%s: MISMATCH: holds %zu orders of %zu, first difference at order %td\n", what, held.size(), sent.size(),
              sentAt - sent.begin());
  return false;
}

/// This process's threads, by id, with the names the kernel holds for them:
/// what `top -H` shows, a name longer than 15 characters cut short.
std::string threadNames() {
  std::map<long, std::string> threads;
  std::error_code error;
  for (const fs::directory_entry& task : fs::directory_iterator("/proc/self/task", error)) {
    std::ifstream comm(task.path() / "comm");
    if (std::string name; std::getline(comm, name)) threads.emplace(std::stol(task.path().filename().string()), name);
  }
  std::string names;
  for (const auto& [id, name] : threads) names += (names.empty() ? "" : ", ") + std::to_string(id) + " " + name;
  return names.empty() ? "unknown (no /proc/self/task)" : names;
}

/// Writes every trade to `file`, one a line; throws std::runtime_error if it cannot.
void writeTrades(const std::vector<Fill>& fills, const fs::path& file) {
  std::ofstream out(file);
  for (const Fill& fill : fills)
    out << fill.buyId << " buys " << fill.quantity << " from " << fill.sellId << " at " << fill.price << '\n';
  if (!out.flush()) throw std::runtime_error("cannot write the trades to " + file.string());
}

/// What went wrong in the graph, one sentence each: a fatal handler failure,
/// or orders sent that the matcher never handled. Read once the Disruptor has halted.
std::vector<std::string> graphFailures(const Exchange& d, std::size_t matched, std::size_t sent) {
  std::vector<std::string> failures;
  if (d.halted()) failures.push_back("the graph halted after a fatal handler failure: " + disruptor::describe(d.error()));
  if (matched != sent)
    failures.push_back("the matcher handled " + std::to_string(matched) + " of " + std::to_string(sent) + " orders sent");
  return failures;
}

/// Prints throughput, batching, latency and trades.
void printResults(std::size_t orders, std::chrono::duration<double> elapsed, const Journaller& journaller, Matcher& matcher) {
  const double syncs = static_cast<double>(std::max<std::int64_t>(1, journaller.syncs()));
  std::printf("exchange: %zu orders in %.2f s: %.0f orders/s; journal fsyncs: %.0f (%.1f orders each)\n", orders,
              elapsed.count(), static_cast<double>(orders) / elapsed.count(), syncs, static_cast<double>(orders) / syncs);
  printLatency(std::move(matcher.latencyNanos));
  std::printf("trades matched: %lld (volume %lld); resting: %zu bids, %zu asks\n", static_cast<long long>(matcher.trades),
              static_cast<long long>(matcher.volume), matcher.book.resting(Side::Buy), matcher.book.resting(Side::Sell));
}

int run(const Config& config) {
  fs::create_directories(config.out);
  const fs::path journalFile = config.out / "exchange.journal";
  Replica replica;
  Journaller journaller(journalFile);
  Replicator replicator(replica.port());
  Matcher matcher;
  matcher.latencyNanos.reserve(static_cast<std::size_t>(config.fromStdin ? 0 : config.orders));
  matcher.keepFills = config.tradesOut.has_value();
  matcher.failAt = config.failAt;

  //! [graph]
  disruptor::Options options = disruptor::Options().withName("exch");  // threads exch-journaller, ...
  disruptor::logger()->info("affinity: {}", chooseAffinity(options, {"journaller", "replicator", "matcher"}));
  Exchange d([] { return OrderEvent{}; }, 1 << 14, {}, options);
  d.handleEventsWith(journaller, replicator).then(matcher);  // the matcher sees an order once both have it
  auto& ring = d.start();
  //! [graph]
  disruptor::logger()->info("threads, as top -H -p {} shows them: {}", ::getpid(), threadNames());

  RandomOrders generated(config.orders, config.seed);
  LineOrders lines(std::cin);
  std::function<std::optional<Order>()> next = [&] { return generated.next(); };
  if (config.fromStdin) next = [&] { return lines.next(); };

  const auto begin = std::chrono::steady_clock::now();
  std::vector<Order> sent;
  {
    //! [progress]
    const disruptor::ProgressReporter progress(d, config.progressInterval);  // a line per interval, through spdlog
    sent = publishAll(ring, next, config.rate);
    d.shutdown();
    //! [progress]
  }
  const std::vector<std::string> failures = graphFailures(d, matcher.latencyNanos.size(), sent.size());
  printResults(sent.size(), std::chrono::steady_clock::now() - begin, journaller, matcher);
  if (config.tradesOut) writeTrades(matcher.fills, *config.tradesOut);
  replicator.close();
  const bool journalled = check(("journal " + journalFile.string()).c_str(), readJournal(journalFile), sent);
  const bool replicated = check("replica", replica.awaitOrders(), sent);
  std::printf("topology: %s\n", writeTopology(d, config.out).c_str());
  for (const std::string& failure : failures) std::fprintf(stderr, "exchange: FAILED: %s\n", failure.c_str());
  return journalled && replicated && failures.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string_view(argv[1]) == "--help") {
    std::printf("%s", kUsage);
    return 0;
  }
  Config config;
  try {
    config = parseArguments(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "exchange: %s\n%s", e.what(), kUsage);
    return 2;
  }
  try {
    return run(config);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "exchange: %s\n", e.what());
    return 1;
  }
}
