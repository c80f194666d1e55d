// EventHandlerGroup: a set of handlers in a Disruptor's graph, to hang more
// handlers after: d.handleEventsWith(a, b).then(c).
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

namespace disruptor {

/// Some nodes of a Disruptor's graph; handlers added through the group run
/// after every node in it.
///
/// Threading: set-up only, from the owner's thread, before start().
template <class DisruptorT>
class EventHandlerGroup {
 public:
  /// Creates a group of the nodes at `nodes` of `disruptor`.
  EventHandlerGroup(DisruptorT& disruptor, std::vector<std::size_t> nodes)
      : disruptor_(&disruptor), nodes_(std::move(nodes)) {}

  /// Adds handlers that run after every handler of this group.
  template <class... Hs>
  EventHandlerGroup then(Hs&&... handlers) {
    return handleEventsWith(std::forward<Hs>(handlers)...);
  }

  /// Adds handlers that run after every handler of this group; a leading
  /// std::shared_ptr<BatchRewindStrategy> makes them rewindable.
  template <class... Hs>
  EventHandlerGroup handleEventsWith(Hs&&... handlers) {
    static_assert(sizeof...(Hs) > 0, "then() and handleEventsWith() need at least one handler");
    return disruptor_->handleEventsAfter(nodes_, std::forward<Hs>(handlers)...);
  }

  /// The union of this group and `other`, which must come from the same
  /// Disruptor: what runs after it waits for both.
  [[nodiscard]] EventHandlerGroup and_(const EventHandlerGroup& other) const {
    if (other.disruptor_ != disruptor_)  // node indices of another graph would name the wrong handlers
      throw std::invalid_argument(
          "and_(): the groups belong to different Disruptors; a handler can only run after handlers of its own "
          "Disruptor");
    std::vector<std::size_t> both = nodes_;
    for (std::size_t node : other.nodes_)
      if (std::find(both.begin(), both.end(), node) == both.end()) both.push_back(node);
    return EventHandlerGroup(*disruptor_, std::move(both));
  }

  /// A barrier that waits for every handler of this group, for a custom processor.
  [[nodiscard]] auto asSequenceBarrier() const { return disruptor_->barrierAfter(nodes_); }

  /// Indices of the group's nodes in the Disruptor's topology().
  [[nodiscard]] const std::vector<std::size_t>& nodes() const noexcept { return nodes_; }

 private:
  DisruptorT* disruptor_;
  std::vector<std::size_t> nodes_;
};

}  // namespace disruptor
