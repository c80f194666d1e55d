// The library's one logger. The library writes to stdout or stderr only
// through it; a service may hand it its own spdlog logger.
#pragma once

#include <exception>
#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace disruptor {

/// The logger named "disruptor": the one registered with spdlog under that
/// name if any, otherwise a stderr logger created on first use (level info).
std::shared_ptr<spdlog::logger> logger();

/// Replaces the library's logger; null restores the default.
void setLogger(std::shared_ptr<spdlog::logger> replacement);

/// Severity of a library log line.
enum class LogLevel { Debug, Info, Warn, Error, Critical };

namespace detail {
/// Writes one line through the library's logger (cold paths of templates,
/// so that public headers need not include spdlog).
void log(LogLevel level, const std::string& message);
}  // namespace detail

/// The message of the exception in `error` (its what(), or a note that it is not a std::exception).
std::string describe(const std::exception_ptr& error);

}  // namespace disruptor
