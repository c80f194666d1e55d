// The random-graph stress runs with ProducerType::Single and stamped slots, for every wait strategy.
#include "graph_run.hpp"
#include "stress_runs.hpp"

namespace stress {

template std::string runGraphAs<disruptor::ProducerType::Single, disruptor::SlotLayout::Stamped>(
    const GraphPlan&, std::chrono::milliseconds, const DumpSetter&);

}  // namespace stress
