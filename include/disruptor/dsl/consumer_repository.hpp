// ConsumerRepository: the nodes of a Disruptor's graph (processor, thread,
// handler identity, upstream nodes, whether it gates) and the bookkeeping
// that keeps the producer gated on the leaves only.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "disruptor/event_processor.hpp"
#include "disruptor/exception_handler.hpp"
#include "disruptor/sequence.hpp"

namespace disruptor::dsl {

/// One handler of the graph with what the DSL needs to run it.
template <class T>
struct ConsumerNode {
  /// The processor that runs the handler.
  std::unique_ptr<EventProcessor> processor;
  /// Installs an exception handler on the (typed) processor.
  std::function<void(std::shared_ptr<ExceptionHandler<T>>)> installExceptionHandler;
  /// The handler object's address: how after(), handleExceptionsFor() and getSequenceValueFor() find it.
  const void* identity = nullptr;
  /// The handler's name.
  std::string name;
  /// Indices of the nodes this one runs after.
  std::vector<std::size_t> upstream;
  /// Whether this node is a leaf, and so gates the producer.
  bool gatesProducer = true;
  /// The exception handler set for this node alone, if any.
  std::shared_ptr<ExceptionHandler<T>> exceptionHandler;
  /// The CPU to pin the node's thread to, if any.
  std::optional<int> cpu;
  /// The node's thread, once started.
  std::thread thread;
};

/// The nodes of one Disruptor, in the order they were added.
///
/// Threading: set-up from the owner's thread before start(); afterwards read-only.
template <class T>
class ConsumerRepository {
 public:
  /// Adds `node` and returns its index.
  std::size_t add(ConsumerNode<T> node) {
    nodes_.push_back(std::move(node));
    return nodes_.size() - 1;
  }

  /// The index of the node whose handler is at `identity`, if any.
  [[nodiscard]] std::optional<std::size_t> find(const void* identity) const noexcept {
    for (std::size_t i = 0; i < nodes_.size(); ++i)
      if (nodes_[i].identity == identity) return i;
    return std::nullopt;
  }

  /// The index of the node whose handler is at `identity`; throws naming `operation` if none.
  std::size_t require(const void* identity, const char* operation) const {
    if (auto index = find(identity)) return *index;
    throw std::invalid_argument(std::string(operation) +
                                ": the handler was never added to this Disruptor (handlers are identified by address; "
                                "pass the same object that was given to handleEventsWith)");
  }

  /// The sequences of the nodes at `indices`.
  [[nodiscard]] std::vector<const Sequence*> sequencesOf(const std::vector<std::size_t>& indices) const {
    std::vector<const Sequence*> sequences;
    for (std::size_t index : indices) sequences.push_back(&nodes_[index].processor->getSequence());
    return sequences;
  }

  /// The sequences of the leaves: the nodes that gate producers.
  [[nodiscard]] std::vector<const Sequence*> leafSequences() const {
    std::vector<const Sequence*> sequences;
    for (const auto& node : nodes_)
      if (node.gatesProducer) sequences.push_back(&node.processor->getSequence());
    return sequences;
  }

  /// Every node.
  [[nodiscard]] std::vector<ConsumerNode<T>>& nodes() noexcept { return nodes_; }
  /// Every node.
  [[nodiscard]] const std::vector<ConsumerNode<T>>& nodes() const noexcept { return nodes_; }
  /// The node at `index`.
  [[nodiscard]] ConsumerNode<T>& operator[](std::size_t index) noexcept { return nodes_[index]; }

 private:
  std::vector<ConsumerNode<T>> nodes_;
};

}  // namespace disruptor::dsl
