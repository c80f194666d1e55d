// Progress logging: a thread that sleeps on a condition variable between
// snapshots, so that stop() wakes it at once instead of waiting out the interval.
#include "disruptor/dsl/progress_reporter.hpp"

#include <stdexcept>
#include <string>
#include <utility>

#include "disruptor/detail/threads.hpp"

namespace disruptor {

void logProgress(const Topology& topology, LogLevel level) { detail::log(level, describeProgress(topology)); }

ProgressReporter::ProgressReporter(std::function<Topology()> snapshot, std::chrono::milliseconds interval, LogLevel level)
    : snapshot_(std::move(snapshot)), interval_(interval), level_(level) {
  if (!snapshot_) throw std::invalid_argument("ProgressReporter: the snapshot function is empty");
  if (interval_ <= std::chrono::milliseconds::zero())
    throw std::invalid_argument("ProgressReporter: the interval must be positive, got " + std::to_string(interval_.count()) +
                                " ms");
  thread_ = std::thread([this] { run(); });
  detail::setThreadName(thread_, "progress");
}

ProgressReporter::~ProgressReporter() { stop(); }

void ProgressReporter::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ProgressReporter::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();  // a snapshot and a log line take time: stop() must not wait on the lock meanwhile
    try {
      logProgress(snapshot_(), level_);
    } catch (...) {
      detail::log(LogLevel::Error, "progress reporter: the snapshot failed: " + describe(std::current_exception()));
    }
    lock.lock();
  }
}

}  // namespace disruptor
