// Getting started, after the LMAX user guide: an event that carries a long,
// a handler that prints it, and a producer that publishes through a translator.
#include <disruptor/disruptor.hpp>

#include <cstdint>
#include <cstdio>

struct LongEvent {
  std::int64_t value = 0;
};

struct LongEventHandler {
  std::int64_t seen = 0;
  void onEvent(LongEvent& event, std::int64_t sequence, bool endOfBatch) {
    std::printf("Event: %lld (sequence %lld%s)\n", static_cast<long long>(event.value), static_cast<long long>(sequence),
                endOfBatch ? ", end of batch" : "");
    ++seen;
  }
};

int main() {
  constexpr std::size_t kBufferSize = 1024;  // must be a power of two
  LongEventHandler handler;                 // passed as an lvalue: outlives the Disruptor, which references it

  disruptor::Disruptor<LongEvent> d(kBufferSize);
  d.handleEventsWith(handler);
  auto& ringBuffer = d.start();

  for (std::int64_t i = 0; i < 10; ++i)
    ringBuffer.publishEvent([](LongEvent& event, std::int64_t /*sequence*/, std::int64_t value) { event.value = value; },
                            i * 100);

  d.shutdown();  // every published event is handled before this returns
  return handler.seen == 10 ? 0 : 1;
}
