// The logging behind FatalExceptionHandler and IgnoreExceptionHandler.
#include <spdlog/spdlog.h>

#include "disruptor/exception_handler.hpp"
#include "disruptor/logging.hpp"

namespace disruptor::detail {

void logFatalEventFailure(const std::exception_ptr& error, std::int64_t sequence) {
  logger()->critical("handler failed at sequence {}: {}; the processor stops and the Disruptor halts", sequence,
                     describe(error));
}

void logIgnoredEventFailure(const std::exception_ptr& error, std::int64_t sequence) {
  logger()->error("handler failed at sequence {}: {}; the event is skipped", sequence, describe(error));
}

void logLifecycleFailure(const std::exception_ptr& error, const char* hook, bool critical) {
  logger()->log(critical ? spdlog::level::critical : spdlog::level::err, "handler's {} failed: {}", hook,
                describe(error));
}

}  // namespace disruptor::detail
