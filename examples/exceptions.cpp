// Failure policies. A handler's exception goes to its ExceptionHandler:
// here a custom one that sets the bad event aside and lets the handler go on,
// chosen for one handler with handleExceptionsFor(h).with(eh). Without one,
// the default FatalExceptionHandler halts the whole graph, and the Disruptor
// and its producers are told why.
#include <disruptor/disruptor.hpp>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

struct Payment {
  std::int64_t id = 0;
  std::int64_t cents = 0;
};

using Payments = disruptor::Disruptor<Payment, disruptor::BlockingWaitStrategy, disruptor::ProducerType::Single>;

//! [dead_letters]
/// Sets aside each payment its handler could not book, so the handler can go
/// on with the next. Called on the handler's processor thread only.
class DeadLetters final : public disruptor::ExceptionHandler<Payment> {
 public:
  struct Letter {
    Payment payment;
    std::string reason;
  };
  std::vector<Letter> letters;  // read once the Disruptor has stopped

  void handleEventException(std::exception_ptr error, std::int64_t, Payment* payment) override {
    if (payment) letters.push_back({*payment, disruptor::describe(error)});  // returning skips the event
  }
  void handleOnStartException(std::exception_ptr error) override { std::rethrow_exception(error); }  // cannot run: stop
  void handleOnShutdownException(std::exception_ptr) override {}
};
//! [dead_letters]

/// Books 100 payments, every tenth of them negative, into a ledger that refuses those.
bool deadLettersLetTheLedgerGoOn() {
  std::int64_t booked = 0;
  //! [handle_exceptions_for]
  auto ledger = [&booked](Payment& p, std::int64_t, bool) {
    if (p.cents < 0) throw std::invalid_argument("payment " + std::to_string(p.id) + " has a negative amount");
    booked += p.cents;
  };
  auto deadLetters = std::make_shared<DeadLetters>();

  Payments d([] { return Payment{}; }, 64, {}, disruptor::Options().withName("payments"));
  d.handleEventsWith(ledger);
  d.handleExceptionsFor(ledger).with(deadLetters);  // before start(); the others keep the default
  //! [handle_exceptions_for]
  d.start();
  for (std::int64_t id = 1; id <= 100; ++id)
    d.publishEvent([](Payment& p, std::int64_t, std::int64_t n) { p.id = n, p.cents = n % 10 == 0 ? -n : n; }, id);
  d.shutdown();

  std::printf("dead letters: booked %lld cents, set aside %zu payments (first: %s)\n", static_cast<long long>(booked),
              deadLetters->letters.size(), deadLetters->letters.empty() ? "none" : deadLetters->letters[0].reason.c_str());
  return booked == 5050 - 550 && deadLetters->letters.size() == 10 && !d.halted();
}

/// The default policy: the first failure halts the graph, and producers learn of it.
bool theDefaultHaltsTheGraph() {
  //! [fatal]
  auto ledger = [](Payment& p, std::int64_t, bool) {
    if (p.id == 3) throw std::runtime_error("the ledger is corrupt");
  };
  Payments d([] { return Payment{}; }, 64, {}, disruptor::Options().withName("strict"));
  d.handleEventsWith(ledger);  // FatalExceptionHandler: logs at critical level, halts every processor
  d.start();
  std::string refused = "none";
  try {
    for (std::int64_t id = 1; id <= 1000; ++id) d.publishEvent([](Payment& p, std::int64_t, std::int64_t n) { p.id = n; }, id);
  } catch (const disruptor::HaltedException& e) {  // publishing on a halted graph is refused
    refused = e.what();
  }
  d.shutdown();  // returns at once: the failure stopped the graph
  const bool halted = d.halted();
  const std::string why = disruptor::describe(d.error());  // "the ledger is corrupt"
  //! [fatal]
  std::printf("fatal: halted %s because '%s'; a later publish was refused: %s\n", halted ? "yes" : "no", why.c_str(),
              refused.c_str());
  return halted && why == "the ledger is corrupt";
}

int main() {
  const bool ok = deadLettersLetTheLedgerGoOn() && theDefaultHaltsTheGraph();
  return ok ? 0 : 1;
}
