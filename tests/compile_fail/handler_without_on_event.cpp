// Must not compile: a handler needs onEvent(T&, std::int64_t, bool) or a matching call operator.
#include "disruptor/disruptor.hpp"

struct Event {
  long value = 0;
};
struct NotAHandler {
  void handle(Event&) {}
};

int main() {
  disruptor::Disruptor<Event> d(8);
  NotAHandler handler;
  d.handleEventsWith(handler);
}
