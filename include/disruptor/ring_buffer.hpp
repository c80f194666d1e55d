// RingBuffer: the pre-allocated slots and the sequencer that hands them out.
// Events are built once by the factory and reused; publishing writes into a
// slot in place, so nothing is allocated per event.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <ranges>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "disruptor/blocking_wait_strategy.hpp"
#include "disruptor/cache_line.hpp"
#include "disruptor/detail/padded_array.hpp"
#include "disruptor/multi_producer_sequencer.hpp"
#include "disruptor/producer_type.hpp"
#include "disruptor/sequence_barrier.hpp"
#include "disruptor/single_producer_sequencer.hpp"
#include "disruptor/slot_layout.hpp"

namespace disruptor {

template <class RingBufferT>
class EventPoller;

/// The sequencer type for a wait strategy, producer type and slot layout.
template <class T, WaitStrategy W, ProducerType P, SlotLayout L = SlotLayout::Packed>
using SequencerFor = std::conditional_t<
    P == ProducerType::Single,
    SingleProducerSequencer<W, std::conditional_t<L == SlotLayout::Stamped, detail::PublishStamps<T>,
                                                  detail::NoPublishStamps>>,
    MultiProducerSequencer<W>>;

/// A power-of-two ring of pre-built events of type T, laid out as L says.
///
/// Threading: with ProducerType::Single, claims and publishes from one thread;
/// with Multi, from any. A claimed slot belongs to its claimer until
/// published, then to the handlers until every gating sequence has passed it.
template <class T, WaitStrategy W = BlockingWaitStrategy, ProducerType P = ProducerType::Multi,
          SlotLayout L = SlotLayout::Packed>
class RingBuffer {
  static_assert(L == SlotLayout::Packed || P == ProducerType::Single,
                "SlotLayout::Stamped needs ProducerType::Single: each stamp says where one producer's publish ends");

 public:
  /// The event type.
  using EventType = T;
  /// What each slot holds: the event, and in a Stamped ring its stamp.
  using SlotType = detail::SlotFor<T, L>;
  /// The sequencer type.
  using SequencerType = SequencerFor<T, W, P, L>;
  /// The barrier type handlers of this ring wait on.
  using BarrierType = SequenceBarrier<SequencerType>;
  /// The producer type.
  static constexpr ProducerType kProducerType = P;
  /// The slot layout.
  static constexpr SlotLayout kSlotLayout = L;

  /// Builds `bufferSize` events with `factory()`; `bufferSize` must be a power of two.
  template <class Factory>
    requires std::is_invocable_r_v<T, Factory&>
  RingBuffer(Factory&& factory, std::size_t bufferSize, W waitStrategy = {})
      : entries_(checkedBufferSize(bufferSize), [&factory](std::size_t) { return SlotType(factory()); }),
        sequencer_(makeSequencer(bufferSize, std::move(waitStrategy), entries_)),
        indexMask_(sequencer_.bufferSize() - 1) {
    if constexpr (P == ProducerType::Single && kSlotsPerLine >= 2)
      if (detail::prefetchForWriteSupported()) sequencer_.setLineMarks(kSlotsPerLine, kLinesPerMark);
  }

  /// Builds `bufferSize` default-constructed events.
  explicit RingBuffer(std::size_t bufferSize, W waitStrategy = {})
    requires std::default_initializable<T>
      : RingBuffer([] { return T{}; }, bufferSize, std::move(waitStrategy)) {}

  RingBuffer(const RingBuffer&) = delete;
  RingBuffer& operator=(const RingBuffer&) = delete;

  /// The event in `sequence`'s slot.
  [[nodiscard]] T& get(std::int64_t sequence) noexcept { return detail::eventIn(slot(sequence)); }
  /// The event in `sequence`'s slot.
  [[nodiscard]] const T& get(std::int64_t sequence) const noexcept { return detail::eventIn(slot(sequence)); }
  /// The slot of `sequence`: the event, and in a Stamped ring its stamp.
  /// For event processors, which keep the slots' base and step through them.
  [[nodiscard]] SlotType& slot(std::int64_t sequence) noexcept {
    return entries_[static_cast<std::size_t>(sequence & indexMask_)];
  }
  /// The slot of `sequence`.
  [[nodiscard]] const SlotType& slot(std::int64_t sequence) const noexcept {
    return entries_[static_cast<std::size_t>(sequence & indexMask_)];
  }
  /// The event in `sequence`'s slot.
  T& operator[](std::int64_t sequence) noexcept { return get(sequence); }

  /// Claims the next sequence, waiting the strategy's way while the ring is full.
  std::int64_t next() { return sequencer_.next(); }
  /// Claims the next `n` sequences (1 <= n <= bufferSize) and returns the highest.
  std::int64_t next(std::int64_t n) { return sequencer_.next(n); }
  /// Claims the next sequence or throws InsufficientCapacityException.
  std::int64_t tryNext() { return tryNext(1); }
  /// Claims the next `n` sequences or throws InsufficientCapacityException.
  std::int64_t tryNext(std::int64_t n) {
    std::int64_t highest = 0;
    if (!sequencer_.tryClaim(n, highest)) throw InsufficientCapacityException();
    return highest;
  }

  /// Publishes a claimed sequence.
  void publish(std::int64_t sequence) noexcept { sequencer_.publish(sequence); }
  /// Publishes the claimed range `low`..`high`.
  void publish(std::int64_t low, std::int64_t high) noexcept { sequencer_.publish(low, high); }

  /// Claims a slot, fills it with `translator(event, sequence, args...)` and
  /// publishes it. The slot is published even if the translator throws, so no
  /// handler waits forever on it; the exception then propagates.
  ///
  /// With one producer, half way through every second line of slots it also
  /// asks for the next two lines for writing (see takeLines), so that a
  /// producer that sends one event and then waits for a reply finds the line
  /// its next event starts on already its own. Claiming with next() and
  /// publishing with publish() do not: only here is the claim known to end
  /// in a publish.
  template <class Translator, class... Args>
    requires std::invocable<Translator&, T&, std::int64_t, Args&...>
  void publishEvent(Translator&& translator, Args&&... args) {
    const auto fill = [&](T& event, std::int64_t s) { translator(event, s, args...); };
    if constexpr (P == ProducerType::Single) {
      std::int64_t sequence = 0;
      if (sequencer_.tryNextQuick(sequence)) [[likely]] {
        translateAndPublish(sequence, sequence, fill);
        return;
      }
      std::int64_t ahead = -1;
      sequence = sequencer_.nextPastMark(ahead);
      translateAndPublish(sequence, sequence, fill);
      if (ahead >= 0) takeLines(ahead);
    } else {
      const std::int64_t sequence = sequencer_.next();
      translateAndPublish(sequence, sequence, fill);
    }
  }

  /// As publishEvent, but returns false instead of waiting when the ring is full.
  template <class Translator, class... Args>
    requires std::invocable<Translator&, T&, std::int64_t, Args&...>
  bool tryPublishEvent(Translator&& translator, Args&&... args) {
    std::int64_t sequence = 0;
    if (!sequencer_.tryClaim(1, sequence)) return false;
    translateAndPublish(sequence, sequence, [&](T& event, std::int64_t s) { translator(event, s, args...); });
    return true;
  }

  /// Publishes one event per element of the ranges, which must have equal
  /// sizes: the i-th event gets `translator(event, sequence, ranges[i]...)`.
  /// One claim and one publish cover the whole batch.
  template <class Translator, std::ranges::sized_range... Ranges>
    requires(sizeof...(Ranges) > 0)
  void publishEvents(Translator&& translator, const Ranges&... ranges) {
    const std::int64_t n = batchSize(ranges...);
    if (n == 0) return;
    const std::int64_t high = sequencer_.next(n);
    translateBatch(high - n + 1, high, translator, ranges...);
  }

  /// As publishEvents, but returns false, publishing nothing, when the batch does not fit now.
  template <class Translator, std::ranges::sized_range... Ranges>
    requires(sizeof...(Ranges) > 0)
  bool tryPublishEvents(Translator&& translator, const Ranges&... ranges) {
    const std::int64_t n = batchSize(ranges...);
    if (n == 0) return true;
    std::int64_t high = 0;
    if (!sequencer_.tryClaim(n, high)) return false;
    translateBatch(high - n + 1, high, translator, ranges...);
    return true;
  }

  /// Slots free for claiming. A snapshot.
  [[nodiscard]] std::int64_t remainingCapacity() const noexcept { return sequencer_.remainingCapacity(); }
  /// Whether `n` slots could be claimed now. A snapshot.
  [[nodiscard]] bool hasAvailableCapacity(std::int64_t n) { return sequencer_.hasAvailableCapacity(n); }
  /// The number of slots.
  [[nodiscard]] std::int64_t bufferSize() const noexcept { return sequencer_.bufferSize(); }
  /// The cursor: the highest published (single producer) or claimed (multi) sequence. A snapshot.
  [[nodiscard]] std::int64_t cursor() const noexcept { return sequencer_.cursor(); }
  /// Whether `sequence` is published and not yet overwritten. A snapshot.
  [[nodiscard]] bool isAvailable(std::int64_t sequence) const noexcept { return sequencer_.isAvailable(sequence); }
  /// Moves the claim position to `sequence` (tests and recovery; not while publishing).
  void resetTo(std::int64_t sequence) noexcept {
    sequencer_.claim(sequence);
    sequencer_.publish(sequence);
  }

  /// Makes `sequences` gate the producers; each starts at the current cursor.
  /// With a blocking strategy, call signalProgress() after moving one of
  /// them yourself, so that a producer parked on a full ring sees it.
  template <std::same_as<Sequence>... S>
  void addGatingSequences(S&... sequences) {
    sequencer_.addGatingSequences({&sequences...});
  }
  /// Stops `sequence` gating the producers (waking any parked on a full
  /// ring); true when it was gating.
  bool removeGatingSequence(const Sequence& sequence) { return sequencer_.removeGatingSequence(sequence); }
  /// Wakes whoever waits on a gating sequence's progress, when the strategy blocks.
  void signalProgress() noexcept { sequencer_.signalProgress(); }
  /// The smallest gating sequence, or the cursor when none gates. A snapshot.
  [[nodiscard]] std::int64_t getMinimumGatingSequence() const noexcept { return sequencer_.minimumGatingSequence(); }

  /// A barrier for a handler that runs after the handlers owning `dependents`
  /// (none: directly after the producers).
  template <std::same_as<Sequence>... S>
  [[nodiscard]] std::unique_ptr<BarrierType> newBarrier(const S&... dependents) {
    return std::make_unique<BarrierType>(sequencer_, std::vector<const Sequence*>{&dependents...});
  }
  /// A barrier after the handlers owning `dependents`.
  [[nodiscard]] std::unique_ptr<BarrierType> newBarrier(std::vector<const Sequence*> dependents) {
    return std::make_unique<BarrierType>(sequencer_, std::move(dependents));
  }

  /// A pull-style consumer after `dependents` (none: after the producers).
  /// Add its sequence as a gating sequence to keep producers from lapping it.
  template <std::same_as<Sequence>... S>
  [[nodiscard]] EventPoller<RingBuffer> newPoller(const S&... dependents) {
    return EventPoller<RingBuffer>(*this, std::vector<const Sequence*>{&dependents...});
  }

  /// The sequencer, for barriers, processors and pollers.
  [[nodiscard]] SequencerType& sequencer() noexcept { return sequencer_; }
  /// The sequencer, for queries.
  [[nodiscard]] const SequencerType& sequencer() const noexcept { return sequencer_; }

 private:
  // Slots per cache line when whole slots tile the lines, else 0: the line
  // marks of publishEvent need a line to start on a slot.
  static constexpr std::int64_t kSlotsPerLine =
      sizeof(SlotType) <= kCacheLineSize && kCacheLineSize % sizeof(SlotType) == 0 ? kCacheLineSize / sizeof(SlotType)
                                                                                    : 0;

  // Lines publishEvent takes at each mark. A mark costs the producer a
  // branch it mispredicts: a producer publishing alone measured 0.86 ns an
  // event with no marks, 0.99 with one per line, 0.94 with one per two.
  static constexpr std::int64_t kLinesPerMark = 2;

  // Asks for each line from `sequence` on for writing (x86 PREFETCHW), after
  // a publish. The first event of a line otherwise waits for the line to
  // come back from the handler's core, which holds it from the lap before:
  // measured on Zen 4, that event's round trip took 30-40% longer than its
  // line's other seven, and set the p99 of a request-and-reply. A request
  // after the publish costs the published event nothing (a store before it
  // would hold the cursor's store back). It is a hint, not a store: a byte
  // written back here raced with the next producer's writes when the ring
  // passed to another thread that had seen this publish (ThreadSanitizer,
  // and a stale byte could have been written over its event). On the Intel
  // host the two measured alike (pingpong p99, best of 3, 8 interleaved
  // rounds: Packed 563 ns with the hint, 591 with the store, 588 with
  // neither). No handler reads these slots: they are claimable, so every
  // handler has passed their last lap.
  void takeLines(std::int64_t sequence) noexcept {
    for (std::int64_t line = 0; line < kLinesPerMark; ++line) {
      const auto index = static_cast<std::size_t>((sequence + line * kSlotsPerLine) & indexMask_);
      detail::prefetchForWrite(&entries_[index]);
    }
  }

  template <class Fill>
  void translateAndPublish(std::int64_t low, std::int64_t high, Fill&& fill) {
    // Publish on every path: an unpublished claim would stall every handler behind it.
    struct PublishOnExit {
      SequencerType& sequencer;
      std::int64_t low, high;
      ~PublishOnExit() { sequencer.publish(low, high); }
    } publishOnExit{sequencer_, low, high};
    for (std::int64_t sequence = low; sequence <= high; ++sequence) fill(get(sequence), sequence);
  }

  template <class Translator, class... Ranges>
  void translateBatch(std::int64_t low, std::int64_t high, Translator& translator, const Ranges&... ranges) {
    auto cursors = std::make_tuple(std::ranges::begin(ranges)...);
    translateAndPublish(low, high, [&](T& event, std::int64_t sequence) {
      std::apply([&](auto&... it) { translator(event, sequence, *it++...); }, cursors);
    });
  }

  template <class First, class... Rest>
  static std::int64_t batchSize(const First& first, const Rest&... rest) {
    const auto n = static_cast<std::int64_t>(std::ranges::size(first));
    if (((static_cast<std::int64_t>(std::ranges::size(rest)) != n) || ...))
      throw std::invalid_argument("publishEvents: every argument range must have the same size");
    return n;
  }

  static std::size_t checkedBufferSize(std::size_t bufferSize) {
    checkBufferSize(bufferSize);
    return bufferSize;
  }

  static SequencerType makeSequencer(std::size_t bufferSize, W waitStrategy, detail::PaddedArray<SlotType>& slots) {
    if constexpr (L == SlotLayout::Stamped)
      return SequencerType(bufferSize, std::move(waitStrategy), detail::PublishStamps<T>(&slots[0], bufferSize));
    else
      return SequencerType(bufferSize, std::move(waitStrategy));
  }

  // The slots come first: a Stamped ring's sequencer is built on them.
  detail::PaddedArray<SlotType> entries_;
  SequencerType sequencer_;
  const std::int64_t indexMask_;
};

}  // namespace disruptor
