// The stress runs with ProducerType::Multi, for every wait strategy.
#include "graph_run.hpp"
#include "lifecycle_torture.hpp"
#include "stress_runs.hpp"

namespace stress {

template std::string runGraphAs<disruptor::ProducerType::Multi, disruptor::SlotLayout::Packed>(
    const GraphPlan&, std::chrono::milliseconds, const DumpSetter&);
template std::string tortureAs<disruptor::ProducerType::Multi>(const TorturePlan&, const DumpSetter&);

}  // namespace stress
