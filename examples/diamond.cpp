// A diamond: journal and replicate run in parallel; apply runs after both.
// The producer is gated by apply only, the leaf of the graph.
#include <disruptor/disruptor.hpp>

#include <cstdint>
#include <cstdio>

struct Command {
  std::int64_t id = 0;
  bool journalled = false;
  bool replicated = false;
};

struct Journal {
  std::int64_t written = 0;
  void onEvent(Command& c, std::int64_t, bool) { c.journalled = true, ++written; }
  std::string name() const { return "journal"; }
};

struct Replicator {
  std::int64_t sent = 0;
  void onEvent(Command& c, std::int64_t, bool) { c.replicated = true, ++sent; }
  std::string name() const { return "replicator"; }
};

struct Apply {
  std::int64_t applied = 0, unsafe = 0;
  void onEvent(Command& c, std::int64_t, bool) {
    if (!c.journalled || !c.replicated) ++unsafe;  // never: both ran first
    c.journalled = c.replicated = false;            // ready for the slot's next lap
    ++applied;
  }
  std::string name() const { return "apply"; }
};

int main() {
  Journal journal;
  Replicator replicator;
  Apply apply;
  disruptor::Disruptor<Command, disruptor::BlockingWaitStrategy, disruptor::ProducerType::Single> d(
      [] { return Command{}; }, 1024, {}, disruptor::Options().withName("diamond"));
  d.handleEventsWith(journal, replicator).then(apply);
  d.start();

  constexpr std::int64_t kCommands = 200'000;
  for (std::int64_t i = 0; i < kCommands; ++i)
    d.publishEvent([](Command& c, std::int64_t, std::int64_t id) { c.id = id; }, i);
  std::printf("%s", d.toDot().c_str());
  d.shutdown();
  std::printf("diamond: journalled %lld, replicated %lld, applied %lld, applied before both: %lld\n",
              static_cast<long long>(journal.written), static_cast<long long>(replicator.sent),
              static_cast<long long>(apply.applied), static_cast<long long>(apply.unsafe));
  return apply.applied == kCommands && apply.unsafe == 0 ? 0 : 1;
}
