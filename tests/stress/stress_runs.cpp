// The stress runs' entry points: each picks the instantiation for the plan's producer type.
#include "stress_runs.hpp"

namespace stress {

using disruptor::ProducerType;

std::string runGraphIteration(const GraphPlan& plan, std::chrono::milliseconds bound, const DumpSetter& setDump) {
  return plan.multiProducer ? runGraphAs<ProducerType::Multi>(plan, bound, setDump)
                            : runGraphAs<ProducerType::Single>(plan, bound, setDump);
}

std::string tortureOnce(const TorturePlan& plan, const DumpSetter& setDump) {
  return plan.multiProducer ? tortureAs<ProducerType::Multi>(plan, setDump)
                            : tortureAs<ProducerType::Single>(plan, setDump);
}

}  // namespace stress
