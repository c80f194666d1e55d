// Batch rewind. A handler that writes each batch to a store as one
// transaction throws RewindableException when the store is briefly busy; its
// BatchRewindStrategy replays the whole batch from its first event, so the
// store ends up with every record exactly once, in order.
#include <disruptor/disruptor.hpp>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

struct Record {
  std::int64_t value = 0;
};

/// A store that refuses every third commit, as a database under contention would.
class FlakyStore {
 public:
  /// Appends `batch` atomically; false, appending nothing, when busy.
  bool tryCommit(const std::vector<std::int64_t>& batch) {
    if (++attempts_ % 3 == 0) return false;
    rows_.insert(rows_.end(), batch.begin(), batch.end());
    return true;
  }
  [[nodiscard]] const std::vector<std::int64_t>& rows() const { return rows_; }
  [[nodiscard]] std::int64_t refusals() const { return attempts_ / 3; }

 private:
  std::int64_t attempts_ = 0;
  std::vector<std::int64_t> rows_;
};

//! [rewindable_handler]
/// Stages each record and commits the batch at its end; a busy store asks for a replay.
class BatchWriter {
 public:
  explicit BatchWriter(FlakyStore& store) : store_(store) {}

  void onEvent(Record& record, std::int64_t, bool endOfBatch) {
    staged_.push_back(record.value);
    if (!endOfBatch) return;
    const std::vector<std::int64_t> batch = std::exchange(staged_, {});  // a replay starts from empty
    if (!store_.tryCommit(batch)) throw disruptor::RewindableException("store busy: replay the batch");
  }
  std::string name() const { return "writer"; }

 private:
  FlakyStore& store_;
  std::vector<std::int64_t> staged_;
};
//! [rewindable_handler]

int main() {
  FlakyStore store;
  BatchWriter writer(store);
  //! [register_rewind]
  disruptor::Disruptor<Record, disruptor::BlockingWaitStrategy, disruptor::ProducerType::Single> d(
      [] { return Record{}; }, 256, {}, disruptor::Options().withName("rewind"));
  // Replays a failing batch; the fifth failure of one batch goes to the exception handler instead.
  d.handleEventsWith(std::make_shared<disruptor::EventuallyGiveUpBatchRewindStrategy>(5), writer);
  //! [register_rewind]
  d.start();
  constexpr std::int64_t kRecords = 10'000;
  for (std::int64_t i = 0; i < kRecords; ++i) d.publishEvent([](Record& r, std::int64_t, std::int64_t v) { r.value = v; }, i);
  d.shutdown();

  bool exactlyOnce = static_cast<std::int64_t>(store.rows().size()) == kRecords;
  for (std::int64_t i = 0; exactlyOnce && i < kRecords; ++i) exactlyOnce = store.rows()[static_cast<std::size_t>(i)] == i;
  std::printf("rewind: %zu rows after %lld replayed batches, each record exactly once and in order: %s\n",
              store.rows().size(), static_cast<long long>(store.refusals()), exactlyOnce ? "yes" : "no");
  return exactlyOnce && store.refusals() > 0 && !d.halted() ? 0 : 1;
}
