// What a stress iteration observed, and the judgement of it: every
// producer's count, every handler's tally, what reached each exception
// handler, and how the Disruptor ended, reconciled with the plan. None of it
// depends on the wait strategy or producer type, so it is compiled once
// rather than once per Disruptor type.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "checked_handler.hpp"
#include "disruptor/dsl/topology.hpp"
#include "stress_plan.hpp"
#include "violations.hpp"

namespace stress {

/// How one producer's run ended.
struct ProducerResult {
  /// Events it published.
  std::int64_t published = 0;
  /// The HaltedException's message, if one stopped it.
  std::string halted;
  /// Any other exception's message.
  std::string error;
};

/// The exception handlers of an iteration, counting what reaches them.
struct ExceptionHandlers {
  /// Per handler: its own (null when it uses the default).
  std::vector<std::shared_ptr<CountingExceptionHandler>> own;
  /// The default, shared by the handlers that use it; null if none does.
  std::shared_ptr<CountingExceptionHandler> shared;
};

/// Everything an iteration observed once its Disruptor stopped.
struct Outcome {
  const GraphPlan& plan;
  /// Per producer.
  std::vector<ProducerResult> producers;
  /// Per handler, in plan order.
  std::vector<const Tally*> tallies;
  /// Disruptor::halted() and the message of error() (empty without one).
  bool halted = false;
  std::string error;
  /// The ring's cursor.
  std::int64_t cursor = -1;
  /// Per handler: getSequenceValueFor.
  std::vector<std::int64_t> sequences;
  /// What each exception handler counted.
  const ExceptionHandlers& exceptionHandlers;
};

/// Whether some handler runs after handler `id`.
inline bool hasDownstream(const GraphPlan& plan, int id) {
  return std::any_of(plan.handlers.begin(), plan.handlers.end(), [id](const HandlerPlan& h) {
    return std::find(h.upstream.begin(), h.upstream.end(), id) != h.upstream.end();
  });
}

/// Whether handler `id` runs, directly or not, after handler `upstream`.
inline bool runsAfter(const GraphPlan& plan, int id, int upstream) {
  for (int u : plan.handlers[static_cast<std::size_t>(id)].upstream)
    if (u == upstream || runsAfter(plan, u, upstream)) return true;
  return false;
}

/// Checks that the DSL built the graph the plan asked for: upstreams, leaves, names.
inline void checkTopology(const disruptor::Topology& topology, const GraphPlan& plan, Violations& violations) {
  const std::string where = "seed " + std::to_string(plan.seed) + " topology: ";
  if (topology.nodes.size() != plan.handlers.size()) {
    violations.report(where + std::to_string(topology.nodes.size()) + " nodes for " +
                      std::to_string(plan.handlers.size()) + " handlers");
    return;
  }
  for (std::size_t i = 0; i < plan.handlers.size(); ++i) {
    std::vector<std::size_t> upstream = topology.nodes[i].upstream;
    std::sort(upstream.begin(), upstream.end());
    const std::vector<std::size_t> expected(plan.handlers[i].upstream.begin(), plan.handlers[i].upstream.end());
    violations.require(upstream == expected, where + "node " + std::to_string(i) + " has the wrong upstream nodes");
    violations.require(topology.nodes[i].gatesProducer == !hasDownstream(plan, static_cast<int>(i)),
                       where + "node " + std::to_string(i) + " gates the producer " +
                           (topology.nodes[i].gatesProducer ? "but has downstream handlers" : "but is a leaf"));
    violations.require(topology.nodes[i].name == "h" + std::to_string(i),
                       where + "node " + std::to_string(i) + " is named " + topology.nodes[i].name);
  }
}

namespace detail {
inline std::string seedOf(const GraphPlan& plan) { return "seed " + std::to_string(plan.seed) + " "; }

// Nothing failed fatally: every producer published its quota and every
// handler accounted for every event, as handled once or skipped.
inline void checkCompleteRun(const Outcome& o, Violations& violations) {
  const GraphPlan& plan = o.plan;
  const std::int64_t total = plan.total();
  for (std::size_t p = 0; p < o.producers.size(); ++p) {
    violations.require(o.producers[p].published == plan.quotas[p] && o.producers[p].halted.empty(),
                       seedOf(plan) + "producer " + std::to_string(p) + " published " +
                           std::to_string(o.producers[p].published) + " of " + std::to_string(plan.quotas[p]) + " " +
                           o.producers[p].halted + o.producers[p].error);
  }
  violations.require(!o.halted && o.error.empty(), seedOf(plan) + "the Disruptor halted: " + o.error);
  violations.require(o.cursor == total - 1, seedOf(plan) + "cursor " + std::to_string(o.cursor) + " after publishing " +
                                                std::to_string(total));
  for (std::size_t i = 0; i < o.tallies.size(); ++i) {
    const Tally& t = *o.tallies[i];
    const std::string who = seedOf(plan) + "handler " + std::to_string(i) + ": ";
    violations.require(t.next == total && t.distinct + t.skipped == total,
                       who + "handled " + std::to_string(t.distinct) + " and skipped " + std::to_string(t.skipped) +
                           " of " + std::to_string(total));
    violations.require(o.sequences[i] == total - 1, who + "sequence " + std::to_string(o.sequences[i]));
    for (std::size_t p = 0; p < o.producers.size(); ++p)
      violations.require(t.lastCounter[p] == plan.quotas[p] - 1,
                         who + "last saw event " + std::to_string(t.lastCounter[p]) + " of producer " +
                             std::to_string(p) + ", which published " + std::to_string(plan.quotas[p]));
  }
}

// One handler failed fatally at its planned sequence: the graph halted,
// the error is the injected one, producers were stopped with
// HaltedException, and nothing ran past the failure downstream.
inline void checkFatalRun(const Outcome& o, Violations& violations) {
  const GraphPlan& plan = o.plan;
  const auto victim = static_cast<int>(
      std::find_if(plan.handlers.begin(), plan.handlers.end(), [](const HandlerPlan& h) { return h.fatalAt >= 0; }) -
      plan.handlers.begin());
  const std::int64_t fatalAt = plan.handlers[static_cast<std::size_t>(victim)].fatalAt;
  const std::string expected =
      "injected fatal failure: handler " + std::to_string(victim) + " at sequence " + std::to_string(fatalAt);
  violations.require(o.halted && o.error == expected, seedOf(plan) + "expected the Disruptor halted by '" + expected +
                                                          "', got halted=" + std::to_string(o.halted) + " error '" +
                                                          o.error + "'");
  for (std::size_t p = 0; p < o.producers.size(); ++p) {
    const ProducerResult& r = o.producers[p];
    const bool finished = r.published == plan.quotas[p] && r.halted.empty() && r.error.empty();
    const bool stopped = r.halted == "cannot publish: a handler failed fatally and halted the Disruptor (see error())";
    violations.require(finished || stopped, seedOf(plan) + "producer " + std::to_string(p) + " published " +
                                                std::to_string(r.published) + " of " + std::to_string(plan.quotas[p]) +
                                                ", stopped by '" + r.halted + r.error + "'");
  }
  const Tally& failed = *o.tallies[static_cast<std::size_t>(victim)];
  violations.require(failed.threwFatal && failed.distinct == fatalAt, seedOf(plan) + "the failing handler handled " +
                                                                          std::to_string(failed.distinct) +
                                                                          " events before " + std::to_string(fatalAt));
  for (std::size_t i = 0; i < o.tallies.size(); ++i) {
    if (!runsAfter(plan, static_cast<int>(i), victim)) continue;
    violations.require(o.tallies[i]->next <= fatalAt, seedOf(plan) + "handler " + std::to_string(i) + " got past " +
                                                          std::to_string(fatalAt) + ", where its upstream handler " +
                                                          std::to_string(victim) + " failed");
  }
}

// Whatever happened: every processor started and stopped once, what each
// exception handler got is what the handlers planned, replays match rewinds.
inline void checkCommon(const Outcome& o, Violations& violations) {
  std::int64_t sharedFailures = 0;
  for (std::size_t i = 0; i < o.tallies.size(); ++i) {
    const Tally& t = *o.tallies[i];
    const std::string who = seedOf(o.plan) + "handler " + std::to_string(i) + ": ";
    violations.require(t.starts == 1 && t.shutdowns == 1, who + "onStart " + std::to_string(t.starts) +
                                                              " times, onShutdown " + std::to_string(t.shutdowns));
    violations.require(t.replayed == t.expectedReplays,
                       who + "replayed " + std::to_string(t.replayed) + " events after " + std::to_string(t.rewinds) +
                           " rewinds that called for " + std::to_string(t.expectedReplays));
    const std::int64_t failures = t.skipped + (t.threwFatal ? 1 : 0);
    if (const auto& own = o.exceptionHandlers.own[i]) {
      violations.require(own->events() == failures, who + "its exception handler got " + std::to_string(own->events()) +
                                                        " failures, it threw " + std::to_string(failures));
    } else {
      sharedFailures += failures;
    }
  }
  if (o.exceptionHandlers.shared)
    violations.require(o.exceptionHandlers.shared->events() == sharedFailures,
                       seedOf(o.plan) + "the default exception handler got " +
                           std::to_string(o.exceptionHandlers.shared->events()) + " failures, its handlers threw " +
                           std::to_string(sharedFailures));
}
}  // namespace detail

/// Reports to `violations` every way `outcome` differs from what its plan promised.
inline void reconcile(const Outcome& outcome, Violations& violations) {
  if (outcome.plan.fault == Fault::Fatal)
    detail::checkFatalRun(outcome, violations);
  else
    detail::checkCompleteRun(outcome, violations);
  detail::checkCommon(outcome, violations);
}

}  // namespace stress
