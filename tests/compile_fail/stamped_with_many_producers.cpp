// Must not compile: a stamp says where one producer's publish ends, which
// producers racing for claims cannot say.
#include "disruptor/disruptor.hpp"

struct Event {
  long value = 0;
};

int main() {
  disruptor::Disruptor<Event, disruptor::BlockingWaitStrategy, disruptor::ProducerType::Multi,
                       disruptor::SlotLayout::Stamped>
      d(8);
}
