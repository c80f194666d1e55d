// The two kinds of stress run, behind plain functions. Each is instantiated
// for every wait strategy and producer type (random graphs for the Stamped
// slot layout too), which takes long to compile (longest under sanitizers),
// so they are compiled once, one kind per file so that they build in
// parallel, into a library that the stress program and the doctest suite
// share.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "disruptor/producer_type.hpp"
#include "disruptor/slot_layout.hpp"
#include "stress_plan.hpp"
#include "torture_plan.hpp"

namespace stress {

/// Hands the watchdog a function that describes where a run is stuck (null: nothing).
using DumpSetter = std::function<void(std::function<std::string()>)>;

/// Runs graph iteration `plan`; shutdown waits at most `bound`. Returns what
/// went wrong, or an empty string.
std::string runGraphIteration(const GraphPlan& plan, std::chrono::milliseconds bound, const DumpSetter& setDump);

/// Plays lifecycle torture round `plan`. Returns what went wrong, or an empty string.
std::string tortureOnce(const TorturePlan& plan, const DumpSetter& setDump);

/// runGraphIteration for producer type P and slot layout L
/// (stress_runs_single.cpp, stress_runs_stamped.cpp, stress_runs_multi.cpp).
template <disruptor::ProducerType P, disruptor::SlotLayout L>
std::string runGraphAs(const GraphPlan& plan, std::chrono::milliseconds bound, const DumpSetter& setDump);

/// tortureOnce for producer type P (stress_runs_single.cpp, stress_runs_multi.cpp).
template <disruptor::ProducerType P>
std::string tortureAs(const TorturePlan& plan, const DumpSetter& setDump);

}  // namespace stress
