// The stress runs' entry points: each picks the instantiation for the plan's producer type.
#include "stress_runs.hpp"

namespace stress {

using disruptor::ProducerType;

std::string runGraphIteration(const GraphPlan& plan, std::chrono::milliseconds bound, const DumpSetter& setDump) {
  using disruptor::SlotLayout;
  if (plan.multiProducer) return runGraphAs<ProducerType::Multi, SlotLayout::Packed>(plan, bound, setDump);
  return plan.stampedSlots ? runGraphAs<ProducerType::Single, SlotLayout::Stamped>(plan, bound, setDump)
                           : runGraphAs<ProducerType::Single, SlotLayout::Packed>(plan, bound, setDump);
}

std::string tortureOnce(const TorturePlan& plan, const DumpSetter& setDump) {
  return plan.multiProducer ? tortureAs<ProducerType::Multi>(plan, setDump)
                            : tortureAs<ProducerType::Single>(plan, setDump);
}

}  // namespace stress
