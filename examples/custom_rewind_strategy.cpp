// A rewind policy of a service's own: when the downstream ledger is
// unavailable, replay the batch after a pause that doubles each time (up to
// a cap), and give up once the batch has been failing longer than a
// deadline. Giving up hands the exception to the exception handler; with
// the default (fatal) one the graph halts, nothing is lost silently, and
// the producer is woken with HaltedException.
#include <disruptor/disruptor.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

/// Replays after `first`, 2x`first`, 4x`first`, ... (never more than `cap`)
/// until the batch has been failing for `deadline`, then gives up.
///
/// Threading: keeps the failing batch's start time, so one instance serves
/// one handler.
class ExponentialBackoffBatchRewindStrategy final : public disruptor::BatchRewindStrategy {
 public:
  ExponentialBackoffBatchRewindStrategy(std::chrono::microseconds first, std::chrono::microseconds cap,
                                        std::chrono::milliseconds deadline)
      : first_(first), cap_(cap), deadline_(deadline) {}

  disruptor::RewindAction handleRewindException(const disruptor::RewindableException&, int attempts) override {
    const auto now = Clock::now();
    if (attempts == 1) failingSince_ = now;  // the count restarts for each batch
    const auto left = failingSince_ + deadline_ - now;
    if (left <= Clock::duration::zero()) {
      ++gaveUp_;
      return disruptor::RewindAction::Throw;
    }
    const auto doubled = first_ * (std::int64_t{1} << std::min(attempts - 1, 20));
    std::this_thread::sleep_for(std::min<Clock::duration>({doubled, cap_, left}));
    ++rewinds_;
    return disruptor::RewindAction::Rewind;
  }

  /// Replays and give-ups so far; read once the handler's thread has stopped.
  int rewinds() const { return rewinds_; }
  int gaveUp() const { return gaveUp_; }

 private:
  const std::chrono::microseconds first_, cap_;
  const std::chrono::milliseconds deadline_;
  Clock::time_point failingSince_{};
  int rewinds_ = 0, gaveUp_ = 0;
};

struct Payment {
  std::int64_t id = 0;
  std::int64_t cents = 0;
};

/// Stands in for a remote ledger that takes a batch at a time; its calls
/// numbered [downFrom, downTo] fail.
class Ledger {
 public:
  Ledger(int downFrom, int downTo) : downFrom_(downFrom), downTo_(downTo) {}
  bool accept(const std::vector<Payment>& batch) {
    ++calls_;
    if (calls_ >= downFrom_ && calls_ <= downTo_) return false;
    for (const auto& p : batch) ids_.push_back(p.id);
    return true;
  }
  /// The ids the ledger took, in order; read once the sender's thread has stopped.
  const std::vector<std::int64_t>& ids() const { return ids_; }

 private:
  const int downFrom_, downTo_;
  int calls_ = 0;
  std::vector<std::int64_t> ids_;
};

/// Collects a batch and sends it at its end; asks for a replay when the
/// ledger is unavailable (a replay collects the batch afresh).
struct LedgerSender {
  Ledger& ledger;
  std::vector<Payment> batch;
  void onBatchStart(std::int64_t size, std::int64_t) {
    batch.clear();
    batch.reserve(static_cast<std::size_t>(size));
  }
  void onEvent(Payment& p, std::int64_t, bool endOfBatch) {
    batch.push_back(p);
    if (endOfBatch && !ledger.accept(batch)) throw disruptor::RewindableException("ledger unavailable");
  }
  std::string name() const { return "ledger-sender"; }
};

using Payments = disruptor::Disruptor<Payment, disruptor::BlockingWaitStrategy, disruptor::ProducerType::Single>;

/// Sends `count` payments through a Disruptor (batches of at most 100) to `ledger`; true if the producer was halted.
bool sendPayments(Ledger& ledger, std::shared_ptr<ExponentialBackoffBatchRewindStrategy> strategy, std::int64_t count,
                  std::exception_ptr& error) {
  LedgerSender sender{ledger, {}};
  Payments d([] { return Payment{}; }, 1024, {}, disruptor::Options().withName("payments").withMaxBatchSize(100));
  d.handleEventsWith(strategy, sender);
  d.start();
  bool halted = false;
  try {
    for (std::int64_t i = 0; i < count; ++i)
      d.publishEvent([](Payment& p, std::int64_t, std::int64_t id) { p = Payment{id, 100 * id}; }, i);
  } catch (const disruptor::HaltedException&) {
    halted = true;
  }
  d.shutdown();
  error = d.error();
  return halted;
}

/// Every id in `ids` once, in order, from 0.
bool inOrderOnce(const std::vector<std::int64_t>& ids) {
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (ids[i] != static_cast<std::int64_t>(i)) return false;
  return true;
}

/// The ledger drops four calls in a row: the batch is replayed four times, then everything gets through once.
bool shortOutageIsRiddenOut() {
  Ledger ledger(3, 6);
  auto strategy = std::make_shared<ExponentialBackoffBatchRewindStrategy>(500us, 4ms, 2s);
  std::exception_ptr error;
  const bool halted = sendPayments(ledger, strategy, 2'000, error);
  std::printf("short outage: ledger took %zu payments after %d rewinds; halted: %s\n", ledger.ids().size(),
              strategy->rewinds(), halted ? "yes" : "no");
  return !halted && !error && strategy->rewinds() == 4 && strategy->gaveUp() == 0 && ledger.ids().size() == 2'000 &&
         inOrderOnce(ledger.ids());
}

/// The ledger stays down: the strategy gives up after its deadline and the graph halts.
bool longOutageGivesUp() {
  Ledger ledger(3, 1'000'000);
  auto strategy = std::make_shared<ExponentialBackoffBatchRewindStrategy>(500us, 8ms, 60ms);
  std::exception_ptr error;
  const bool halted = sendPayments(ledger, strategy, 100'000, error);
  std::printf("long outage: ledger took %zu payments; %d rewinds, then gave up: %s; error: %s\n", ledger.ids().size(),
              strategy->rewinds(), strategy->gaveUp() == 1 ? "yes" : "no", disruptor::describe(error).c_str());
  return halted && error && strategy->gaveUp() == 1 && strategy->rewinds() >= 2 && inOrderOnce(ledger.ids());
}

int main() {
  const bool shortOutage = shortOutageIsRiddenOut();
  const bool longOutage = longOutageGivesUp();
  return shortOutage && longOutage ? 0 : 1;
}
