// What every wait strategy provides, as a concept. A strategy is a type (a
// template parameter of the ring buffer), so a publish with a non-blocking
// strategy compiles to no signalling at all.
#pragma once

#include <concepts>
#include <cstdint>
#include <limits>

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

/// Whether W takes its Published signals from multi-producer rings at claim
/// time (signalClaimed) rather than at publish time. A claim is an atomic
/// read-modify-write, a full barrier already, so the signal then needs no
/// fence of its own and a publish is one release store; in return W must,
/// when it finds the sequence it waits for claimed but not yet published,
/// wait for that publication without a signal (see detail::BlockingCore).
template <class W>
inline constexpr bool kSignalsAtClaim = requires {
  requires W::kSignalsAtClaim;
};

/// Whether W lets a multi-producer ring's producer step aside, by W's
/// `stepAside()`, before a claim when its claims keep racing another
/// producer's, so the two take turns instead of passing lines between cores
/// on every claim. The strategies that yield or block have it (a yield);
/// BusySpinWaitStrategy does not: its threads have a core each and want
/// the lowest latency.
template <class W>
inline constexpr bool kStepsAside = requires(W& strategy) { strategy.stepAside(); };

/// What a probe reports as claimed by a producer, for a probe that can say:
/// the highest claimed sequence, or a value below every sequence when the
/// probe does not wait on multi-producer claims.
template <WaitProbe P>
[[nodiscard]] std::int64_t claimedBy(const P& probe) noexcept {
  if constexpr (requires { { probe.claimed() } -> std::same_as<std::int64_t>; })
    return probe.claimed();
  else
    return std::numeric_limits<std::int64_t>::min();
}

}  // namespace disruptor
