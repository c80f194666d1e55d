// Must not compile: handleEventsWith() with no handler adds nothing.
#include "disruptor/disruptor.hpp"

struct Event {
  long value = 0;
};

int main() {
  disruptor::Disruptor<Event> d(8);
  d.handleEventsWith();
}
