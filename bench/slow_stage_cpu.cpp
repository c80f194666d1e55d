// The CPU a blocking graph burns behind a slow stage, measured as the LMAX
// anchor measures it (shared/anchors/LmaxSlowStageCpu.java): pipeline
// slow (2 ms/event) -> mid -> last, ring of 8, 150 events from one producer,
// BlockingWaitStrategy. Prints process CPU seconds over wall seconds for an
// idle started graph and for the run with the slow upstream, then the CPU
// while shutdown() drains a slow handler.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <thread>

#include "cpu_usage.hpp"
#include "disruptor/disruptor.hpp"

namespace {
struct Event {
  std::int64_t a = 0, b = 0;
};
}  // namespace

int main() {
  using namespace std::chrono_literals;
  using D = disruptor::Disruptor<Event, disruptor::BlockingWaitStrategy, disruptor::ProducerType::Single>;
  auto slow = [](Event& e, std::int64_t s, bool) {
    std::this_thread::sleep_for(2ms);
    e.a = s;
  };
  auto mid = [](Event& e, std::int64_t s, bool) { e.b = s; };
  auto last = [](Event&, std::int64_t, bool) {};
  {
    D d(8);
    d.handleEventsWith(slow).then(mid).then(last);
    auto& ring = d.start();
    std::this_thread::sleep_for(500ms);  // as the anchor: let start-up settle

    bench::CpuOverWall idle;
    std::this_thread::sleep_for(300ms);
    std::printf("idle: cpu %.3f s over %.3f s\n", idle.cpu(), idle.wall());

    bench::CpuOverWall run;
    for (int i = 0; i < 150; ++i) ring.publish(ring.next());
    d.shutdown(10s);
    std::printf("slow upstream: cpu %.3f s over %.3f s\n", run.cpu(), run.wall());
  }
  {
    D d(256);
    d.handleEventsWith(slow).then(mid).then(last);
    auto& ring = d.start();
    for (int i = 0; i < 150; ++i) ring.publish(ring.next());
    bench::CpuOverWall drain;  // the producer is done: all that is left is shutdown's wait
    d.shutdown(10s);
    std::printf("shutdown draining: cpu %.3f s over %.3f s\n", drain.cpu(), drain.wall());
  }
}
