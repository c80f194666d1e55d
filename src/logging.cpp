// The library's logger: one spdlog logger named "disruptor".
#include "disruptor/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace disruptor {

namespace {
std::mutex loggerMutex;
std::shared_ptr<spdlog::logger> current;

std::shared_ptr<spdlog::logger> makeDefault() {
  if (auto registered = spdlog::get("disruptor")) return registered;
  return spdlog::stderr_color_mt("disruptor");
}
}  // namespace

std::shared_ptr<spdlog::logger> logger() {
  const std::lock_guard lock(loggerMutex);
  if (!current) current = makeDefault();
  return current;
}

void setLogger(std::shared_ptr<spdlog::logger> replacement) {
  const std::lock_guard lock(loggerMutex);
  current = replacement ? std::move(replacement) : makeDefault();
}

namespace detail {
void log(LogLevel level, const std::string& message) {
  static constexpr spdlog::level::level_enum kLevels[] = {spdlog::level::debug, spdlog::level::info, spdlog::level::warn,
                                                         spdlog::level::err, spdlog::level::critical};
  logger()->log(kLevels[static_cast<int>(level)], message);
}
}  // namespace detail

std::string describe(const std::exception_ptr& error) {
  if (!error) return "no exception";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception not derived from std::exception";
  }
}

}  // namespace disruptor
