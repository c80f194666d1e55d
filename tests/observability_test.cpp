// What a service watches: progress snapshots logged through spdlog, once or
// periodically, and processor threads pinned to the CPUs Options names.
#include <doctest/doctest.h>

#include <sched.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "disruptor/disruptor.hpp"
#include "test_support.hpp"

using namespace disruptor;
using namespace std::chrono_literals;

namespace {
struct Event {
  std::int64_t value = 0;
};

/// Routes the library's logger into memory for the life of the capture.
class CapturedLog {
 public:
  CapturedLog() : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(1000)) {
    sink_->set_pattern("%l %v");
    setLogger(std::make_shared<spdlog::logger>("disruptor", sink_));
  }
  ~CapturedLog() { setLogger(nullptr); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;

  /// How many captured lines contain `text`.
  [[nodiscard]] std::size_t count(const std::string& text) const {
    const auto lines = sink_->last_formatted();
    return static_cast<std::size_t>(
        std::count_if(lines.begin(), lines.end(), [&](const std::string& line) { return line.find(text) != std::string::npos; }));
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
};

struct Named {
  std::string label;
  void onEvent(Event&, std::int64_t, bool) {}
  std::string name() const { return label; }
};

/// A started graph `journal -> matcher` that has handled events 0..7.
struct SmallGraph {
  Named journal{"journal"}, matcher{"matcher"};
  Disruptor<Event, BlockingWaitStrategy, ProducerType::Single> d{[] { return Event{}; }, 16, {}, Options().withName("orders")};
  SmallGraph() {
    d.handleEventsWith(journal).then(matcher);
    d.start();
    for (int i = 0; i < 8; ++i) d.publishEvent([](Event&, std::int64_t) {});
    REQUIRE_EVENTUALLY(d.getSequenceValueFor(matcher) == 7, "the matcher to handle all 8 events");
  }
};

/// The CPUs the calling thread may run on.
std::vector<int> allowedCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  REQUIRE(sched_getaffinity(0, sizeof(set), &set) == 0);
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  return cpus;
}

/// Records, from its own thread's onStart, the CPUs it may run on.
struct AffinityProbe {
  std::string label;
  std::vector<int> cpus;
  std::atomic<bool> started{false};
  void onStart() {
    cpus = allowedCpus();
    started.store(true, std::memory_order_release);
  }
  void onEvent(Event&, std::int64_t, bool) {}
  std::string name() const { return label; }
};
}  // namespace

TEST_CASE("logProgress writes each handler's sequence and backlog through the library's logger") {
  CapturedLog log;
  SmallGraph graph;
  logProgress(graph.d.topology(), LogLevel::Warn);
  CHECK(log.count("warning orders cursor=7 | journal seq=7 backlog=0 | matcher seq=7 backlog=0") == 1);
}

TEST_CASE("a ProgressReporter logs a snapshot every interval on its own thread, and stop() joins it") {
  CapturedLog log;
  SmallGraph graph;
  const int before = test::threadCount();
  ProgressReporter reporter(graph.d, 1ms);
  CHECK(test::threadCount() == before + 1);
  REQUIRE_EVENTUALLY(log.count("info orders cursor=7 | journal seq=7") >= 3, "three progress lines");
  reporter.stop();
  REQUIRE_EVENTUALLY(test::threadCount() == before, "the reporter's thread to be gone after stop()");  // the kernel lists a joined thread a moment longer
  reporter.stop();  // idempotent
}

TEST_CASE("ProgressReporter::stop wakes the reporter instead of waiting out the interval") {
  CapturedLog log;
  SmallGraph graph;
  ProgressReporter reporter(graph.d, std::chrono::hours(1));
  CHECK(test::threadNames().count("progress") == 1);
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    reporter.stop();
    stopped = true;
  });
  if (!test::eventually([&] { return stopped.load(); })) {
    std::fprintf(stderr, "FATAL: ProgressReporter::stop() waited for its interval\n");  // joining would take an hour
    std::_Exit(1);
  }
  stopper.join();
  CHECK(log.count("cursor=") == 0);  // the first snapshot was due in an hour
}

TEST_CASE("a snapshot that throws is logged as an error and the reporter keeps reporting") {
  CapturedLog log;
  std::atomic<int> calls{0};
  ProgressReporter reporter(
      [&] {
        if (calls++ == 0) throw std::runtime_error("graph not ready");
        return Topology{"late", 41, 64, {}};
      },
      1ms);
  REQUIRE_EVENTUALLY(log.count("info late cursor=41") >= 1, "a progress line after the failed snapshot");
  CHECK(log.count("error progress reporter: the snapshot failed: graph not ready") == 1);
}

TEST_CASE("a ProgressReporter with a non-positive interval or no snapshot is refused, naming the mistake") {
  CHECK_THROWS_WITH_AS(ProgressReporter([] { return Topology{}; }, 0ms), doctest::Contains("interval must be positive"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(ProgressReporter(std::function<Topology()>{}, 1ms), doctest::Contains("snapshot function is empty"),
                       std::invalid_argument);
}

TEST_CASE("withCpuAffinity pins the named handler's thread to its CPU and leaves the others alone") {
  const std::vector<int> process = allowedCpus();
  const int cpu = process.front();  // CPU 0 unless this process was restricted away from it
  AffinityProbe pinned{"pinned", {}, {}}, unpinned{"unpinned", {}, {}};
  Disruptor<Event, BlockingWaitStrategy> d([] { return Event{}; }, 16, {}, Options().withCpuAffinity("pinned", cpu));
  d.handleEventsWith(pinned, unpinned);
  d.start();
  REQUIRE_EVENTUALLY(pinned.started.load(std::memory_order_acquire) && unpinned.started.load(std::memory_order_acquire),
                     "both handlers to start");
  CHECK(pinned.cpus == std::vector<int>{cpu});
  CHECK(unpinned.cpus == process);
}
