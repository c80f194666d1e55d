// What the single- and multi-producer sequencers share: the buffer size, the
// wait strategy, the cursor, the gating sequences, the halt state, and the
// producer's wait for space on a full ring.
#pragma once

#include <atomic>
#include <bit>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "disruptor/cache_line.hpp"
#include "disruptor/exceptions.hpp"
#include "disruptor/gating_sequences.hpp"
#include "disruptor/sequence.hpp"
#include "disruptor/wait_strategy.hpp"

namespace disruptor {

/// Why a ring buffer no longer accepts claims.
enum class HaltCause : int {
  Running = 0,  ///< not halted
  Halted = 1,   ///< the owner called halt() or shutdown()
  Failed = 2,   ///< a handler failed fatally
};

/// Throws std::invalid_argument unless `bufferSize` is a power of two.
inline void checkBufferSize(std::size_t bufferSize) {
  if (bufferSize == 0 || !std::has_single_bit(bufferSize))
    throw std::invalid_argument("bufferSize must be a power of two greater than zero, got " +
                                std::to_string(bufferSize));
}

/// The state both sequencers share. Not used on its own.
///
/// Threading: queries from any thread; halt() from any thread; gating
/// sequences may be added or removed from any thread at any time.
template <WaitStrategy W>
class SequencerBase {
 public:
  /// The wait strategy this sequencer's producers and handlers share.
  using WaitStrategyType = W;

  SequencerBase(const SequencerBase&) = delete;
  SequencerBase& operator=(const SequencerBase&) = delete;

  /// The number of slots in the ring.
  [[nodiscard]] std::int64_t bufferSize() const noexcept { return bufferSize_; }
  /// The wait strategy shared by producers and handlers.
  [[nodiscard]] W& waitStrategy() noexcept { return waitStrategy_; }
  /// The cursor: the highest sequence published (single producer) or claimed (multi).
  [[nodiscard]] const Sequence& cursorSequence() const noexcept { return cursor_; }
  /// The cursor's value. A snapshot.
  [[nodiscard]] std::int64_t cursor() const noexcept { return cursor_.get(); }

  /// Makes `sequences` gate producers, starting from the current cursor.
  void addGatingSequences(const std::vector<Sequence*>& sequences) { gating_.add(sequences, cursor_.get()); }
  /// Stops `sequence` gating producers; true when it was gating. Producers
  /// parked on a full ring are woken: the removal may have made room.
  bool removeGatingSequence(const Sequence& sequence) {
    const bool removed = gating_.remove(sequence);
    if (removed) signalProgress();
    return removed;
  }

  /// Wakes whoever waits on a handler's progress (handlers behind it,
  /// producers on a full ring, shutdown), when the strategy blocks; free
  /// otherwise. Processors and pollers call it after moving their sequence;
  /// call it after moving a gating Sequence of your own.
  void signalProgress() noexcept {
    if constexpr (W::kIsBlocking) waitStrategy_.signal(WaitChannel::Progress);
  }
  /// The gating sequences, to inspect.
  [[nodiscard]] const GatingSequences& gatingSequences() const noexcept { return gating_; }
  /// The smallest gating sequence, or the cursor when nothing gates. A snapshot.
  [[nodiscard]] std::int64_t minimumGatingSequence() const noexcept { return gating_.minimum(cursor_.get()); }

  /// Refuses further claims with HaltedException and wakes producers waiting for space.
  void halt(HaltCause cause) noexcept {
    int expected = static_cast<int>(HaltCause::Running);
    haltCause_.compare_exchange_strong(expected, static_cast<int>(cause), std::memory_order_acq_rel);
    waitStrategy_.signalAllWhenBlocking();
  }
  /// Why claims are refused; HaltCause::Running while they are not.
  [[nodiscard]] HaltCause haltCause() const noexcept {
    return static_cast<HaltCause>(haltCause_.load(std::memory_order_acquire));
  }
  /// Whether claims are refused.
  [[nodiscard]] bool isHalted() const noexcept { return haltCause() != HaltCause::Running; }

 protected:
  /// A sequencer of `bufferSize` slots (checked: a power of two) waiting the `waitStrategy` way.
  SequencerBase(std::size_t bufferSize, W waitStrategy)
      : bufferSize_(checkedSize(bufferSize)), waitStrategy_(std::move(waitStrategy)) {}
  ~SequencerBase() = default;

  // The claim path is a handful of instructions inlined into the producer's
  // loop; everything a claim rarely needs (building a message, waiting for
  // space) lives out of line, so it costs the common case nothing.

  /// Throws std::invalid_argument unless 1 <= n <= bufferSize.
  void checkClaimSize(std::int64_t n) const {
    if (n < 1 || n > bufferSize_) [[unlikely]] throwBadClaimSize(n);
  }

  /// Throws HaltedException when claims are refused.
  void checkNotHalted() const {
    if (haltCause_.load(std::memory_order_relaxed) != 0) [[unlikely]] throwHalted();
  }

  /// Waits, the strategy's way, until every gating sequence reaches
  /// `wrapPoint`; returns the gating minimum then. `whenEmpty` stands for the
  /// minimum when nothing gates. Throws HaltedException if the ring halts.
  [[gnu::noinline]] std::int64_t waitForCapacity(std::int64_t wrapPoint, std::int64_t whenEmpty) {
    const CapacityProbe probe{*this, whenEmpty};
    for (;;) {
      const std::int64_t minimum = waitStrategy_.waitFor(wrapPoint, probe);
      if (minimum >= wrapPoint) return minimum;  // below only after a timeout: producers keep waiting
    }
  }

  /// Wakes handlers waiting for something to be published.
  void signalPublished() noexcept {
    if constexpr (W::kIsBlocking) waitStrategy_.signal(WaitChannel::Published);
  }

  /// The number of slots.
  const std::int64_t bufferSize_;
  /// A HaltCause: Running until halt() refuses claims.
  std::atomic<int> haltCause_{static_cast<int>(HaltCause::Running)};
  /// The sequences producers may not lap: the leaves of the handler graph.
  GatingSequences gating_;
  /// How producers and handlers wait.
  W waitStrategy_;
  /// The highest claimed (multi producer) or published (single producer) sequence.
  Sequence cursor_;

 private:
  /// What a producer on a full ring watches: the gating minimum and the halt state.
  struct CapacityProbe {
    const SequencerBase& sequencer;
    std::int64_t whenEmpty;
    std::int64_t available() const noexcept { return sequencer.gating_.minimum(whenEmpty); }
    bool isAlerted() const noexcept { return sequencer.isHalted(); }
    void checkAlert() const { sequencer.checkNotHalted(); }
    WaitChannel channel() const noexcept { return WaitChannel::Progress; }
  };

  static std::int64_t checkedSize(std::size_t bufferSize) {
    checkBufferSize(bufferSize);
    return static_cast<std::int64_t>(bufferSize);
  }

  [[noreturn, gnu::noinline, gnu::cold]] void throwBadClaimSize(std::int64_t n) const {
    throw std::invalid_argument("next(n): n must be between 1 and the buffer size " + std::to_string(bufferSize_) +
                                ", got " + std::to_string(n));
  }

  [[noreturn, gnu::noinline, gnu::cold]] void throwHalted() const {
    if (haltCause() == HaltCause::Failed)
      throw HaltedException("cannot publish: a handler failed fatally and halted the Disruptor (see error())");
    throw HaltedException("cannot publish: the Disruptor was halted (halt() or shutdown() was called)");
  }
};

}  // namespace disruptor
