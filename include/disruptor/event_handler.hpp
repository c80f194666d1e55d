// How the library calls a handler, found at compile time with Boost.Hana: a
// handler is a callable `void(T&, std::int64_t, bool)` or an object with
// onEvent, and may have optional hooks. A missing hook costs nothing.
#pragma once

#include <boost/hana/functional/overload_linearly.hpp>
#include <boost/hana/type.hpp>

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>

#include "disruptor/sequence.hpp"

namespace disruptor {

namespace detail {
namespace hana = boost::hana;

inline constexpr auto onEventCheck =
    hana::is_valid([](auto& handler, auto& event) -> decltype(handler.onEvent(event, std::int64_t{}, true)) {});
inline constexpr auto callCheck =
    hana::is_valid([](auto& handler, auto& event) -> decltype(handler(event, std::int64_t{}, true)) {});
inline constexpr auto onStartCheck = hana::is_valid([](auto& handler) -> decltype(handler.onStart()) {});
inline constexpr auto onShutdownCheck = hana::is_valid([](auto& handler) -> decltype(handler.onShutdown()) {});
inline constexpr auto onBatchStartCheck =
    hana::is_valid([](auto& handler) -> decltype(handler.onBatchStart(std::int64_t{}, std::int64_t{})) {});
inline constexpr auto onTimeoutCheck = hana::is_valid([](auto& handler) -> decltype(handler.onTimeout(std::int64_t{})) {});
inline constexpr auto setSequenceCallbackCheck =
    hana::is_valid([](auto& handler, auto& sequence) -> decltype(handler.setSequenceCallback(sequence)) {});
inline constexpr auto nameCheck = hana::is_valid([](auto& handler) -> decltype(std::string(handler.name())) {});
}  // namespace detail

/// Whether H has `onEvent(T&, std::int64_t, bool)`.
template <class H, class T>
inline constexpr bool hasOnEvent = decltype(detail::onEventCheck(std::declval<H&>(), std::declval<T&>()))::value;
/// Whether H can be called as `h(T&, std::int64_t, bool)`.
template <class H, class T>
inline constexpr bool isEventCallable = decltype(detail::callCheck(std::declval<H&>(), std::declval<T&>()))::value;
/// Whether H has `onStart()`.
template <class H>
inline constexpr bool hasOnStart = decltype(detail::onStartCheck(std::declval<H&>()))::value;
/// Whether H has `onShutdown()`.
template <class H>
inline constexpr bool hasOnShutdown = decltype(detail::onShutdownCheck(std::declval<H&>()))::value;
/// Whether H has `onBatchStart(std::int64_t batchSize, std::int64_t queueDepth)`.
template <class H>
inline constexpr bool hasOnBatchStart = decltype(detail::onBatchStartCheck(std::declval<H&>()))::value;
/// Whether H has `onTimeout(std::int64_t sequence)`.
template <class H>
inline constexpr bool hasOnTimeout = decltype(detail::onTimeoutCheck(std::declval<H&>()))::value;
/// Whether H has `setSequenceCallback(Sequence&)`, for early release.
template <class H>
inline constexpr bool hasSetSequenceCallback =
    decltype(detail::setSequenceCallbackCheck(std::declval<H&>(), std::declval<Sequence&>()))::value;
/// Whether H has `name()` returning something a std::string can be built from.
template <class H>
inline constexpr bool hasName = decltype(detail::nameCheck(std::declval<H&>()))::value;

/// A handler of events of type T: an object with onEvent, or a callable.
template <class H, class T>
concept EventHandlerFor = hasOnEvent<std::remove_reference_t<H>, T> || isEventCallable<std::remove_reference_t<H>, T>;

/// Calls `handler` for one event: onEvent when it has one, otherwise the call operator.
template <class H, class T>
inline void callOnEvent(H& handler, T& event, std::int64_t sequence, bool endOfBatch) {
  if constexpr (hasOnEvent<H, T>)
    handler.onEvent(event, sequence, endOfBatch);
  else
    handler(event, sequence, endOfBatch);
}

namespace detail {
/// Holds a handler by value (passed as an rvalue: owned) or by pointer
/// (passed as an lvalue: the caller keeps it alive). H is deduced from the
/// forwarding reference, so it is `U&` exactly when the handler is referenced.
template <class H>
class HandlerStorage {
 public:
  explicit HandlerStorage(H&& handler) : handler_(std::move(handler)) {}
  H& get() noexcept { return handler_; }
  const H& get() const noexcept { return handler_; }

 private:
  H handler_;
};

template <class H>
class HandlerStorage<H&> {
 public:
  explicit HandlerStorage(H& handler) noexcept : handler_(&handler) {}
  H& get() noexcept { return *handler_; }
  const H& get() const noexcept { return *handler_; }

 private:
  H* handler_;
};
}  // namespace detail

}  // namespace disruptor
