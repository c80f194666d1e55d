// Topology: a snapshot of a Disruptor's graph, to inspect, log or draw.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace disruptor {

/// One handler of the graph at the moment of the snapshot.
struct TopologyNode {
  /// The handler's name.
  std::string name;
  /// Indices (into Topology::nodes) of the handlers this one runs after; empty: after the producers.
  std::vector<std::size_t> upstream;
  /// Whether this handler is a leaf, and so holds producers back.
  bool gatesProducer = false;
  /// The last sequence it finished.
  std::int64_t sequence = -1;
  /// Events published that it has not finished yet.
  std::int64_t backlog = 0;
  /// Whether its processor is running.
  bool running = false;
  /// Whether it flushes the slot lines it has handled (Options::releaseConsumedLines).
  bool releasesLines = false;
};

/// The whole graph at the moment of the snapshot.
struct Topology {
  /// The Disruptor's name (Options::name).
  std::string name;
  /// The ring's cursor.
  std::int64_t cursor = -1;
  /// The ring's size.
  std::int64_t bufferSize = 0;
  /// Handlers in the order they were added.
  std::vector<TopologyNode> nodes;
};

/// Renders `topology` as a Graphviz digraph: the producers, each handler with
/// its sequence and backlog, an edge per dependency; leaves drawn bold.
std::string toDot(const Topology& topology);

/// One line per handler (name, sequence, backlog) for a periodic log.
std::string describeProgress(const Topology& topology);

}  // namespace disruptor
