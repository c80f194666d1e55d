// Rendering a Disruptor's topology: Graphviz for pictures, one line per
// handler for periodic progress logs.
#include "disruptor/dsl/topology.hpp"

#include <initializer_list>
#include <sstream>

namespace disruptor {

namespace {
/// A Graphviz string of `lines`, each escaped, joined by Graphviz line breaks.
std::string label(std::initializer_list<std::string> lines) {
  std::string out = "\"";
  const char* separator = "";
  for (const std::string& line : lines) {
    out += separator;
    for (char c : line) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    separator = "\\n";
  }
  return out + "\"";
}
}  // namespace

std::string toDot(const Topology& topology) {
  std::ostringstream dot;
  dot << "digraph " << label({topology.name}) << " {\n"
      << "  rankdir=LR;\n"
      << "  node [shape=box, fontname=\"Helvetica\"];\n"
      << "  producers [shape=ellipse, label=" << label({"producers", "cursor " + std::to_string(topology.cursor)}) << "];\n";
  for (std::size_t i = 0; i < topology.nodes.size(); ++i) {
    const TopologyNode& node = topology.nodes[i];
    dot << "  n" << i << " [label="
        << label({node.name, "sequence " + std::to_string(node.sequence), "backlog " + std::to_string(node.backlog)})
        << (node.gatesProducer ? ", style=bold" : "") << "];\n";
    if (node.upstream.empty()) dot << "  producers -> n" << i << ";\n";
    for (std::size_t up : node.upstream) dot << "  n" << up << " -> n" << i << ";\n";
    if (node.gatesProducer) dot << "  n" << i << " -> producers [style=dashed, label=\"gates\"];\n";
  }
  dot << "}\n";
  return dot.str();
}

std::string describeProgress(const Topology& topology) {
  std::ostringstream line;
  line << topology.name << " cursor=" << topology.cursor;
  for (const TopologyNode& node : topology.nodes)
    line << " | " << node.name << " seq=" << node.sequence << " backlog=" << node.backlog;
  return line.str();
}

}  // namespace disruptor
