// How shutdown() waits for the leaves to finish: parked on the strategy's
// progress channel when it blocks, in short naps when it does not (those
// strategies get no signal from the leaves), so draining never burns a core.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "disruptor/detail/parking.hpp"
#include "disruptor/exceptions.hpp"
#include "disruptor/sequence.hpp"
#include "disruptor/wait_strategy.hpp"

namespace disruptor::detail {

/// What shutdown() watches: the slowest leaf, and whether the ring was halted
/// (by its owner, by a handler, or by a failure): then nothing more will drain.
template <class Sequencer>
struct DrainProbe {
  const std::vector<const Sequence*>& leaves;
  const Sequencer& sequencer;
  std::int64_t available() const noexcept { return minimumSequence(leaves, sequencer.cursor()); }
  bool isAlerted() const noexcept { return sequencer.isHalted(); }
  void checkAlert() const {
    if (isAlerted()) throw AlertException();
  }
  WaitChannel channel() const noexcept { return WaitChannel::Progress; }
};

/// A strategy that can park with a deadline: the blocking ones.
template <class W>
concept DeadlineWaitStrategy = requires(W& strategy, const ConceptProbe& probe, const Deadline* deadline) {
  { strategy.waitFor(std::int64_t{}, probe, deadline) } -> std::same_as<std::int64_t>;
};

/// Waits until the leaves reach `target`, the ring halts, or `deadline`
/// (none when null) passes; false only when the deadline passed first.
template <WaitStrategy W, class Probe>
bool waitForDrain(W& strategy, std::int64_t target, const Probe& probe, const Deadline* deadline) {
  if constexpr (DeadlineWaitStrategy<W>) {
    try {
      return strategy.waitFor(target, probe, deadline) >= target;
    } catch (const AlertException&) {
      return true;
    }
  } else {
    constexpr auto kLongestNap = std::chrono::milliseconds(1);
    std::chrono::microseconds nap(10);
    while (probe.available() < target && !probe.isAlerted()) {
      if (deadline != nullptr && std::chrono::steady_clock::now() >= *deadline) return false;
      std::this_thread::sleep_for(nap);
      nap = std::min<std::chrono::microseconds>(nap * 2, kLongestNap);
    }
    return true;
  }
}

}  // namespace disruptor::detail
