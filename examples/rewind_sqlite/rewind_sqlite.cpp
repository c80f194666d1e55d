// Batch rewind against a real database. The writer turns each batch into one
// SQLite transaction: BEGIN at batch start, one INSERT per trade, COMMIT at
// the end of the batch. A maintenance job on a second connection takes the
// write lock now and then; the writer does not wait for it (busy_timeout 0),
// so an INSERT or the COMMIT meets SQLITE_BUSY. The writer then rolls back
// and throws RewindableException, and the Disruptor replays the batch from
// its first trade. At the end every trade must be in the table exactly once.
#include <disruptor/disruptor.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "sqlite.hpp"

using namespace std::chrono_literals;

struct Trade {
  std::int64_t id = 0;
  std::int64_t amount = 0;
};

/// Writes each batch of trades as one transaction; a batch that meets
/// SQLITE_BUSY is rolled back and handed back to the Disruptor to replay.
class TradeWriter {
 public:
  explicit TradeWriter(const std::string& path) : db_(path), insert_(db_, "INSERT INTO trades(id, amount) VALUES(?, ?)") {
    db_.setBusyTimeout(0);  // never wait for the lock: let SQLITE_BUSY surface and rewind instead
    db_.exec("PRAGMA synchronous = OFF");
  }

  void onBatchStart(std::int64_t, std::int64_t) { db_.exec("BEGIN"); }  // deferred: takes no lock yet

  void onEvent(Trade& trade, std::int64_t, bool endOfBatch) {
    if (!insert_.tryRun(trade.id, trade.amount)) rollBackAndRewind(busyInInsert_);
    if (!endOfBatch) return;
    if (!db_.tryExec("COMMIT")) rollBackAndRewind(busyInCommit_);
    ++transactions_;
  }

  std::string name() const { return "trade-writer"; }

  // Read after the Disruptor has shut down (its join orders these reads after the writes).
  std::int64_t transactions() const { return transactions_; }
  std::int64_t busyInInsert() const { return busyInInsert_; }
  std::int64_t busyInCommit() const { return busyInCommit_; }

 private:
  // Nothing of the batch may stay behind: the replay writes it all again.
  [[noreturn]] void rollBackAndRewind(std::int64_t& counter) {
    if (db_.inTransaction()) db_.exec("ROLLBACK");
    ++counter;
    throw disruptor::RewindableException("SQLITE_BUSY: the maintenance job holds the write lock");
  }

  sqlite::Connection db_;
  sqlite::Statement insert_;
  std::int64_t transactions_ = 0;
  std::int64_t busyInInsert_ = 0;
  std::int64_t busyInCommit_ = 0;
};

/// A second connection that holds the write lock a few milliseconds at a
/// time, in a loop, until told to stop: the contention the writer rewinds on.
class MaintenanceJob {
 public:
  explicit MaintenanceJob(const std::string& path) : db_(path), log_(db_, "INSERT INTO maintenance(at_ns) VALUES(?)") {
    db_.setBusyTimeout(5000);  // this job waits for the writer's transaction to end
    thread_ = std::thread([this] { run(); });
  }
  ~MaintenanceJob() {
    stop_.store(true, std::memory_order_relaxed);
    if (thread_.joinable()) thread_.join();
  }
  MaintenanceJob(const MaintenanceJob&) = delete;
  MaintenanceJob& operator=(const MaintenanceJob&) = delete;

  /// Stops the loop and returns how many times it held the lock; rethrows what stopped it early, if anything.
  std::int64_t stop() {
    stop_.store(true, std::memory_order_relaxed);
    if (thread_.joinable()) thread_.join();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    return holds_;
  }

 private:
  void run() {
    try {
      while (!stop_.load(std::memory_order_relaxed)) {
        db_.exec("BEGIN IMMEDIATE");  // the write lock, now
        if (!log_.tryRun(std::chrono::steady_clock::now().time_since_epoch().count()))
          throw std::runtime_error("the maintenance job met SQLITE_BUSY inside its own transaction");
        std::this_thread::sleep_for(3ms);
        db_.exec("COMMIT");
        ++holds_;
        std::this_thread::sleep_for(2ms);
      }
    } catch (...) {
      error_ = std::current_exception();  // no exception may escape a thread
    }
  }

  sqlite::Connection db_;
  sqlite::Statement log_;
  std::atomic<bool> stop_{false};
  std::int64_t holds_ = 0;
  std::exception_ptr error_;
  std::thread thread_;
};

/// A database file in the temporary directory, removed with its journal at the end.
struct TempDatabase {
  TempDatabase() {
    std::string pattern = (std::filesystem::temp_directory_path() / "rewind_sqlite_XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());  // an empty file is an empty SQLite database
    if (fd < 0) throw std::runtime_error("cannot create a temporary database file");
    ::close(fd);
    path = pattern;
  }
  ~TempDatabase() {
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-journal");
  }
  std::string path;
};

/// Counts the rows the check needs with a fresh connection.
struct TableCheck {
  std::int64_t rows, distinctIds, lowest, highest, amountSum;
};
TableCheck checkTrades(const std::string& path) {
  sqlite::Connection db(path);
  db.setBusyTimeout(5000);
  auto value = [&db](const char* sql) { return sqlite::Statement(db, sql).queryInt(); };
  return {value("SELECT COUNT(*) FROM trades"), value("SELECT COUNT(DISTINCT id) FROM trades"),
          value("SELECT COALESCE(MIN(id), -1) FROM trades"), value("SELECT COALESCE(MAX(id), -1) FROM trades"),
          value("SELECT COALESCE(SUM(amount), 0) FROM trades")};
}

int main() {
  constexpr std::int64_t kTrades = 20'000;
  constexpr std::int64_t kBurst = 50;  // trades arrive in bursts, a little apart, while the job runs
  TempDatabase file;
  {
    sqlite::Connection setup(file.path);
    setup.exec("CREATE TABLE trades(id INTEGER NOT NULL, amount INTEGER NOT NULL)");  // no key: duplicates would show
    setup.exec("CREATE TABLE maintenance(at_ns INTEGER NOT NULL)");
  }

  TradeWriter writer(file.path);
  disruptor::Disruptor<Trade, disruptor::BlockingWaitStrategy, disruptor::ProducerType::Single> d(
      [] { return Trade{}; }, 1024, {}, disruptor::Options().withName("trades").withMaxBatchSize(256));
  d.handleEventsWith(std::make_shared<disruptor::NanosecondPauseBatchRewindStrategy>(200us), writer);
  d.start();

  std::int64_t holds = 0;
  try {
    MaintenanceJob job(file.path);
    for (std::int64_t id = 0; id < kTrades; ++id) {
      d.publishEvent([](Trade& t, std::int64_t, std::int64_t i) { t.id = i, t.amount = i % 97; }, id);
      if (id % kBurst == kBurst - 1) std::this_thread::sleep_for(1ms);
    }
    holds = job.stop();
    d.shutdown(10s);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rewind_sqlite: %s (%s)\n", e.what(), d.halted() ? disruptor::describe(d.error()).c_str() : "");
    return 1;
  }

  std::int64_t expectedSum = 0;
  for (std::int64_t id = 0; id < kTrades; ++id) expectedSum += id % 97;
  const TableCheck table = checkTrades(file.path);
  const std::int64_t rewinds = writer.busyInInsert() + writer.busyInCommit();
  std::printf("rewind_sqlite: %lld trades in %lld transactions; %lld batches rewound after SQLITE_BUSY "
              "(%lld at INSERT, %lld at COMMIT); the maintenance job held the write lock %lld times\n",
              static_cast<long long>(table.rows), static_cast<long long>(writer.transactions()),
              static_cast<long long>(rewinds), static_cast<long long>(writer.busyInInsert()),
              static_cast<long long>(writer.busyInCommit()), static_cast<long long>(holds));

  const bool exactlyOnce = table.rows == kTrades && table.distinctIds == kTrades && table.lowest == 0 &&
                           table.highest == kTrades - 1 && table.amountSum == expectedSum;
  if (!exactlyOnce) {
    std::fprintf(stderr, "rewind_sqlite: the table does not hold every trade exactly once: %lld rows, %lld distinct ids\n",
                 static_cast<long long>(table.rows), static_cast<long long>(table.distinctIds));
    return 1;
  }
  if (rewinds == 0) {
    std::fprintf(stderr, "rewind_sqlite: the writer never met SQLITE_BUSY, so nothing was rewound: the run shows nothing\n");
    return 1;
  }
  return 0;
}
