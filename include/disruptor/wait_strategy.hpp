// What every wait strategy provides, as a concept. A strategy is a type (a
// template parameter of the ring buffer), so a publish with a non-blocking
// strategy compiles to no signalling at all.
#pragma once

#include <concepts>
#include <cstdint>

namespace disruptor {

/// What a waiter is waiting for, so a blocking strategy wakes only the
/// waiters whose condition may have changed.
enum class WaitChannel : std::uint8_t {
  Published,  ///< something was published: handlers that read the cursor
  Progress,   ///< a handler advanced its sequence: downstream handlers, producers on a full ring, shutdown
};

/// What a wait watches: the highest sequence reached so far and whether the
/// wait must end early. SequenceBarrier (handlers) and the sequencers'
/// capacity probe (producers) are the two probes.
template <class P>
concept WaitProbe = requires(const P& probe) {
  { probe.available() } -> std::same_as<std::int64_t>;
  { probe.isAlerted() } -> std::same_as<bool>;
  probe.checkAlert();  // throws when the wait must end (AlertException, HaltedException)
  { probe.channel() } -> std::same_as<WaitChannel>;
};

namespace detail {
/// A probe used only to check the WaitStrategy concept.
struct ConceptProbe {
  std::int64_t available() const noexcept { return 0; }
  bool isAlerted() const noexcept { return false; }
  void checkAlert() const {}
  WaitChannel channel() const noexcept { return WaitChannel::Published; }
};
}  // namespace detail

/// A wait strategy: waitFor(sequence, probe) returns probe.available() once it
/// is at least `sequence` (or a smaller value when a timeout strategy's
/// timeout expires), throwing whatever probe.checkAlert() throws; signal(c)
/// wakes the waiters of channel c when the strategy blocks; kIsBlocking says
/// whether signals are needed at all.
template <class W>
concept WaitStrategy = requires(W& strategy, const detail::ConceptProbe& probe) {
  { strategy.waitFor(std::int64_t{}, probe) } -> std::same_as<std::int64_t>;
  strategy.signal(WaitChannel::Published);
  strategy.signalAllWhenBlocking();
  { W::kIsBlocking } -> std::convertible_to<bool>;
};

}  // namespace disruptor
