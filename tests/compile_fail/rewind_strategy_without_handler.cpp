// Must not compile: a batch rewind strategy applies to the handlers after it, and there are none.
#include "disruptor/disruptor.hpp"

struct Event {
  long value = 0;
};

int main() {
  disruptor::Disruptor<Event> d(8);
  d.handleEventsWith(std::make_shared<disruptor::SimpleBatchRewindStrategy>());
}
