// Must not compile: then() with no handler adds nothing.
#include "disruptor/disruptor.hpp"

struct Event {
  long value = 0;
};

int main() {
  disruptor::Disruptor<Event> d(8);
  auto first = [](Event&, std::int64_t, bool) {};
  d.handleEventsWith(first).then();
}
