// A failure policy of a service's own: log a bad order, count it and skip it,
// but once more orders have failed than the budget allows, stop the whole
// graph (a feed that keeps failing needs a person, not more skipping).
// Stopping is done the library's way: an exception handler that throws is
// fatal, so the Disruptor halts, reports error(), and wakes its producers.
#include <disruptor/disruptor.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

struct Order {
  std::int64_t id = 0;
  std::int64_t quantity = 0;
  std::int64_t price = 0;
  std::int64_t notional = 0;
  bool priced = false;
};

/// Thrown by the policy when the failure budget is spent.
class FailureBudgetExhausted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Logs, counts and skips a failed event; the failure after the `budget`-th
/// halts the graph. A handler that cannot start halts it too.
///
/// Threading: may serve several processors (setDefaultExceptionHandler), so
/// its state is atomic or under a lock.
template <class T>
class SkipWithinBudgetExceptionHandler final : public disruptor::ExceptionHandler<T> {
 public:
  explicit SkipWithinBudgetExceptionHandler(int budget) : budget_(budget) {}

  void handleEventException(std::exception_ptr error, std::int64_t sequence, T*) override {
    const int failures = ++failures_;
    if (failures > budget_)
      throw FailureBudgetExhausted("failure " + std::to_string(failures) + " at sequence " + std::to_string(sequence) +
                                   " is over the budget of " + std::to_string(budget_) + ": " + disruptor::describe(error));
    disruptor::logger()->warn("skipped sequence {}: {} (failure {} of {} allowed)", sequence, disruptor::describe(error),
                              failures, budget_);
    const std::lock_guard lock(mutex_);
    skipped_.push_back(sequence);
  }
  void handleOnStartException(std::exception_ptr error) override { std::rethrow_exception(error); }
  void handleOnShutdownException(std::exception_ptr error) override {
    disruptor::logger()->error("a handler failed to shut down: {}", disruptor::describe(error));
  }

  /// The sequences skipped so far.
  std::vector<std::int64_t> skipped() const {
    const std::lock_guard lock(mutex_);
    return skipped_;
  }

 private:
  const int budget_;
  std::atomic<int> failures_{0};
  mutable std::mutex mutex_;
  std::vector<std::int64_t> skipped_;
};

/// Prices an order; an order without a positive quantity is malformed.
struct Pricer {
  void onEvent(Order& o, std::int64_t, bool) {
    if (o.quantity <= 0) throw std::invalid_argument("order " + std::to_string(o.id) + " has no quantity");
    o.notional = o.quantity * o.price;
    o.priced = true;
  }
  std::string name() const { return "pricer"; }
};

/// Books priced orders; sees every order, the skipped ones unpriced.
struct Book {
  std::int64_t booked = 0, unpriced = 0;
  void onEvent(Order& o, std::int64_t, bool) { o.priced ? ++booked : ++unpriced; }
  std::string name() const { return "book"; }
};

using Orders = disruptor::Disruptor<Order, disruptor::BlockingWaitStrategy, disruptor::ProducerType::Single>;

/// What one feed through the pricer and the book came to.
struct Outcome {
  std::int64_t published = 0;
  bool producerStopped = false;  // woken with HaltedException
  std::int64_t booked = 0, unpriced = 0;
  std::vector<std::int64_t> skipped;
  bool halted = false;
  std::exception_ptr error;
};

/// Runs `count` orders, every `badEvery`-th without a quantity, through
/// pricer -> book under a budget of 5 failures, until done or halted.
Outcome runFeed(std::int64_t count, std::int64_t badEvery) {
  Pricer pricer;
  Book book;
  auto policy = std::make_shared<SkipWithinBudgetExceptionHandler<Order>>(5);
  Orders d([] { return Order{}; }, 1024, {}, disruptor::Options().withName("orders"));
  d.handleEventsWith(pricer).then(book);
  d.setDefaultExceptionHandler(policy);
  d.start();
  Outcome outcome;
  try {
    for (std::int64_t i = 0; i < count; ++i, ++outcome.published)
      d.publishEvent(
          [badEvery](Order& o, std::int64_t, std::int64_t id) {
            o = Order{id, (id + 1) % badEvery == 0 ? 0 : 1 + id % 10, 100 + id % 7, 0, false};
          },
          i);
  } catch (const disruptor::HaltedException&) {
    outcome.producerStopped = true;
  }
  d.shutdown();  // returns at once after a halt
  outcome.booked = book.booked;
  outcome.unpriced = book.unpriced;
  outcome.skipped = policy->skipped();
  outcome.halted = d.halted();
  outcome.error = d.error();
  return outcome;
}

/// A feed with a few bad orders: they are skipped, the rest booked, the graph keeps going.
bool fewFailuresAreSkipped() {
  const Outcome o = runFeed(10'000, 3'000);  // 3 bad orders: ids 2999, 5999, 8999
  std::printf("few failures: booked %lld, skipped %zu, halted: %s\n", static_cast<long long>(o.booked), o.skipped.size(),
              o.halted ? "yes" : "no");
  return !o.producerStopped && !o.halted && o.booked == 9'997 && o.unpriced == 3 &&
         o.skipped == std::vector<std::int64_t>{2'999, 5'999, 8'999};
}

/// A feed that keeps failing: the sixth failure spends the budget of 5 and halts the graph.
bool tooManyFailuresHalt() {
  const Outcome o = runFeed(1'000'000, 100);  // far more than the ring holds: the producer must be stopped
  std::string why;
  try {
    if (o.error) std::rethrow_exception(o.error);
  } catch (const FailureBudgetExhausted& e) {
    why = e.what();
  } catch (...) {
  }
  std::printf("too many failures: halted: %s after %lld orders published; producer stopped: %s; %s\n",
              o.halted ? "yes" : "no", static_cast<long long>(o.published), o.producerStopped ? "yes" : "no", why.c_str());
  return o.halted && o.producerStopped && !why.empty() && o.skipped.size() == 5;
}

int main() {
  const bool few = fewFailuresAreSkipped();
  const bool many = tooManyFailuresHalt();
  return few && many ? 0 : 1;
}
