// One stress iteration: builds the plan's graph with the DSL, checks the
// topology it got, publishes from the plan's producers with every claim
// method, stops the Disruptor, and reconciles what every handler, exception
// handler and producer counted with what was published.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <latch>
#include <memory>
#include <random>
#include <ranges>
#include <string>
#include <thread>
#include <vector>

#include "checked_handler.hpp"
#include "disruptor/disruptor.hpp"
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

namespace detail {
/// Calls `f` with the handlers at `ids` as separate arguments (the DSL is variadic; batches hold 1 to 4).
template <class F>
decltype(auto) withEach(const std::vector<int>& ids, const std::vector<std::unique_ptr<CheckedHandler>>& all, F&& f) {
  auto at = [&](std::size_t i) -> CheckedHandler& { return *all[static_cast<std::size_t>(ids[i])]; };
  switch (ids.size()) {
    case 1:
      return f(at(0));
    case 2:
      return f(at(0), at(1));
    case 3:
      return f(at(0), at(1), at(2));
    case 4:
      return f(at(0), at(1), at(2), at(3));
    default:
      throw std::logic_error("a batch holds 1 to 4 handlers, not " + std::to_string(ids.size()));
  }
}

/// The rewind strategy a batch asks for, or null.
inline std::shared_ptr<disruptor::BatchRewindStrategy> rewindStrategyFor(const Batch& batch) {
  if (batch.rewind < 0) return std::make_shared<disruptor::SimpleBatchRewindStrategy>();
  if (batch.rewind > 0) return std::make_shared<disruptor::EventuallyGiveUpBatchRewindStrategy>(batch.rewind);
  return nullptr;
}

/// Adds `batch`'s handlers to `target` (the Disruptor or a group) with
/// handleEventsWith, or then() on a group when the batch's form says so;
/// rewindable if the batch says so.
template <class Target>
auto addTo(Target& target, const Batch& batch, const std::vector<std::unique_ptr<CheckedHandler>>& handlers) {
  const auto rewind = rewindStrategyFor(batch);
  const bool useThen = batch.form == Form::Then || batch.form == Form::AfterJoined;
  return withEach(batch.handlers, handlers, [&](auto&... h) {
    if constexpr (requires { target.then(h...); }) {
      if (useThen) return rewind ? target.then(rewind, h...) : target.then(h...);
    }
    return rewind ? target.handleEventsWith(rewind, h...) : target.handleEventsWith(h...);
  });
}

/// Builds the plan's graph, one DSL call per batch, in each batch's form.
template <class D>
void buildGraph(D& d, const GraphPlan& plan, const std::vector<std::unique_ptr<CheckedHandler>>& handlers) {
  std::vector<typename D::Group> groups;
  for (const Batch& batch : plan.batches) {
    switch (batch.form) {
      case Form::Root:
        groups.push_back(addTo(d, batch, handlers));
        break;
      case Form::Then:
      case Form::GroupHandle:
        groups.push_back(addTo(groups[static_cast<std::size_t>(batch.group)], batch, handlers));
        break;
      case Form::After: {
        auto group = withEach(batch.upstream, handlers, [&](auto&... u) { return d.after(u...); });
        groups.push_back(addTo(group, batch, handlers));
        break;
      }
      case Form::AfterJoined: {
        auto group = d.after(*handlers[static_cast<std::size_t>(batch.upstream[0])]);
        for (std::size_t i = 1; i < batch.upstream.size(); ++i)
          group = group.and_(d.after(*handlers[static_cast<std::size_t>(batch.upstream[i])]));
        groups.push_back(addTo(group, batch, handlers));
        break;
      }
    }
  }
}

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

/// Publishes producer `id`'s quota with a random claim method and size per claim.
template <class Ring>
void produce(Ring& ring, const GraphPlan& plan, int id, ProducerResult& result) {
  std::mt19937_64 random(mix(plan.seed, 1000 + static_cast<std::uint64_t>(id), 0));
  const std::int64_t quota = plan.quotas[static_cast<std::size_t>(id)];
  const auto producer = static_cast<std::int32_t>(id);
  const auto translate = [producer](StressEvent& e, std::int64_t sequence, std::int64_t counter) {
    fill(e, sequence, producer, counter);
  };
  std::int64_t counter = 0;
  try {
    while (counter < quota) {
      const std::int64_t n = stress::detail::between(random, 1, std::min(plan.maxClaim, quota - counter));
      switch (stress::detail::between(random, 0, 6)) {
        case 0:  // one publishEvent per event
          for (std::int64_t i = 0; i < n; ++i, ++counter) ring.publishEvent(translate, counter);
          break;
        case 1:  // next() and publish(sequence) per event
          for (std::int64_t i = 0; i < n; ++i, ++counter) {
            const std::int64_t sequence = ring.next();
            fill(ring.get(sequence), sequence, producer, counter);
            ring.publish(sequence);
          }
          break;
        case 2: {  // next(n) and publish(lo, hi)
          const std::int64_t high = ring.next(n);
          for (std::int64_t sequence = high - n + 1; sequence <= high; ++sequence)
            fill(ring.get(sequence), sequence, producer, counter++);
          ring.publish(high - n + 1, high);
          break;
        }
        case 3:  // publishEvents: one claim for the batch
          ring.publishEvents(translate, std::views::iota(counter, counter + n));
          counter += n;
          break;
        case 4:  // tryPublishEvent, retried while full
          for (std::int64_t i = 0; i < n; ++i, ++counter)
            while (!ring.tryPublishEvent(translate, counter)) std::this_thread::yield();
          break;
        case 5: {  // tryNext(n), retried while full
          std::int64_t high = -1;
          while (high < 0) {
            try {
              high = ring.tryNext(n);
            } catch (const disruptor::InsufficientCapacityException&) {
              std::this_thread::yield();
            }
          }
          for (std::int64_t sequence = high - n + 1; sequence <= high; ++sequence)
            fill(ring.get(sequence), sequence, producer, counter++);
          ring.publish(high - n + 1, high);
          break;
        }
        default:  // tryPublishEvents, retried while full
          while (!ring.tryPublishEvents(translate, std::views::iota(counter, counter + n))) std::this_thread::yield();
          counter += n;
          break;
      }
    }
  } catch (const disruptor::HaltedException& e) {
    result.halted = e.what();
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  result.published = counter;
}

/// The exception handlers of an iteration, counting what reaches them.
struct ExceptionHandlers {
  /// Per handler: its own (null when it uses the default).
  std::vector<std::shared_ptr<CountingExceptionHandler>> own;
  /// The default, shared by the handlers that use it; null if none does.
  std::shared_ptr<CountingExceptionHandler> shared;
};

/// Gives each handler its exception handler: the fatal one for the victim of
/// a fatal plan, an ignoring one otherwise; some through the default.
template <class D>
ExceptionHandlers installExceptionHandlers(D& d, const GraphPlan& plan,
                                           const std::vector<std::unique_ptr<CheckedHandler>>& handlers,
                                           Violations& violations) {
  using disruptor::FatalExceptionHandler;
  using disruptor::IgnoreExceptionHandler;
  ExceptionHandlers installed;
  for (std::size_t i = 0; i < handlers.size(); ++i) {
    const HandlerPlan& handler = plan.handlers[i];
    if (handler.usesDefault) {
      if (!installed.shared) {
        installed.shared = std::make_shared<CountingExceptionHandler>(
            std::make_shared<IgnoreExceptionHandler<StressEvent>>(), violations, "default exception handler");
        d.setDefaultExceptionHandler(installed.shared);
      }
      installed.own.push_back(nullptr);
      continue;
    }
    std::shared_ptr<disruptor::ExceptionHandler<StressEvent>> inner;
    if (handler.fatalAt >= 0)
      inner = std::make_shared<FatalExceptionHandler<StressEvent>>();
    else
      inner = std::make_shared<IgnoreExceptionHandler<StressEvent>>();
    installed.own.push_back(std::make_shared<CountingExceptionHandler>(std::move(inner), violations,
                                                                       "exception handler of h" + std::to_string(i)));
    d.handleExceptionsFor(*handlers[i]).with(installed.own.back());
  }
  return installed;
}
}  // namespace detail

/// Runs one iteration of `plan` on a Disruptor<StressEvent, W, P> and
/// reports every broken promise to `violations`.
template <class W, disruptor::ProducerType P>
class GraphRun {
 public:
  /// The Disruptor type.
  using D = disruptor::Disruptor<StressEvent, W, P>;

  GraphRun(const GraphPlan& plan, W strategy, Violations& violations)
      : plan_(plan),
        violations_(violations),
        d_([] { return StressEvent{}; }, static_cast<std::size_t>(plan.bufferSize), std::move(strategy),
           disruptor::Options().withName("stress").withMaxBatchSize(plan.maxBatchSize)) {
    for (std::size_t i = 0; i < plan.handlers.size(); ++i)
      handlers_.push_back(std::make_unique<CheckedHandler>(static_cast<int>(i), plan, violations));
    detail::buildGraph(d_, plan, handlers_);
    detail::checkTopology(d_.topology(), plan, violations);
    exceptionHandlers_ = detail::installExceptionHandlers(d_, plan, handlers_, violations);
  }

  /// Where the graph is, for the watchdog (thread-safe queries only).
  [[nodiscard]] std::string progress() const { return disruptor::describeProgress(d_.topology()); }

  /// Starts, publishes everything, stops within `bound`, and checks the counts.
  void run(std::chrono::milliseconds bound) {
    auto& ring = d_.start();
    std::vector<ProducerResult> results(plan_.quotas.size());
    {
      std::latch go(static_cast<std::ptrdiff_t>(plan_.quotas.size()));
      std::vector<std::jthread> producers;
      for (std::size_t p = 0; p < plan_.quotas.size(); ++p)
        producers.emplace_back([&, p] {
          go.arrive_and_wait();  // released together, so claims contend from the first one
          detail::produce(ring, plan_, static_cast<int>(p), results[p]);
        });
    }
    try {
      d_.shutdown(bound);
    } catch (const disruptor::TimeoutException& e) {
      violations_.report(where() + "shutdown: " + e.what() + "; " + progress());
      d_.halt();
    }
    if (plan_.fault == Fault::Fatal)
      checkFatalRun(results);
    else
      checkCompleteRun(results);
    checkCommon();
  }

 private:
  std::string where() const { return "seed " + std::to_string(plan_.seed) + " "; }

  // Nothing failed fatally: every producer published its quota and every
  // handler accounted for every event, as handled once or skipped.
  void checkCompleteRun(const std::vector<ProducerResult>& results) {
    const std::int64_t total = plan_.total();
    for (std::size_t p = 0; p < results.size(); ++p) {
      violations_.require(results[p].published == plan_.quotas[p] && results[p].halted.empty(),
                          where() + "producer " + std::to_string(p) + " published " +
                              std::to_string(results[p].published) + " of " + std::to_string(plan_.quotas[p]) + " " +
                              results[p].halted);
    }
    violations_.require(!d_.halted() && !d_.error(),
                        where() + "the Disruptor halted: " + disruptor::describe(d_.error()));
    violations_.require(d_.getCursor() == total - 1, where() + "cursor " + std::to_string(d_.getCursor()) +
                                                         " after publishing " + std::to_string(total));
    for (std::size_t i = 0; i < handlers_.size(); ++i) {
      const Tally& t = handlers_[i]->tally();
      const std::string who = where() + "handler " + std::to_string(i) + ": ";
      violations_.require(t.next == total && t.distinct + t.skipped == total,
                          who + "handled " + std::to_string(t.distinct) + " and skipped " + std::to_string(t.skipped) +
                              " of " + std::to_string(total));
      violations_.require(d_.getSequenceValueFor(*handlers_[i]) == total - 1,
                          who + "sequence " + std::to_string(d_.getSequenceValueFor(*handlers_[i])));
      for (std::size_t p = 0; p < results.size(); ++p)
        violations_.require(t.lastCounter[p] == plan_.quotas[p] - 1,
                            who + "last saw event " + std::to_string(t.lastCounter[p]) + " of producer " +
                                std::to_string(p) + ", which published " + std::to_string(plan_.quotas[p]));
    }
  }

  // One handler failed fatally at its planned sequence: the graph halted,
  // the error is the injected one, producers were stopped with
  // HaltedException, and nothing ran past the failure downstream.
  void checkFatalRun(const std::vector<ProducerResult>& results) {
    const auto victim = static_cast<int>(std::find_if(plan_.handlers.begin(), plan_.handlers.end(),
                                                      [](const HandlerPlan& h) { return h.fatalAt >= 0; }) -
                                         plan_.handlers.begin());
    const std::int64_t fatalAt = plan_.handlers[static_cast<std::size_t>(victim)].fatalAt;
    const std::string expected =
        "injected fatal failure: handler " + std::to_string(victim) + " at sequence " + std::to_string(fatalAt);
    violations_.require(d_.halted() && disruptor::describe(d_.error()) == expected,
                        where() + "expected the Disruptor halted by '" + expected + "', got halted=" +
                            std::to_string(d_.halted()) + " error '" + disruptor::describe(d_.error()) + "'");
    for (std::size_t p = 0; p < results.size(); ++p) {
      const ProducerResult& r = results[p];
      const bool finished = r.published == plan_.quotas[p] && r.halted.empty();
      const bool stopped =
          r.halted == "cannot publish: a handler failed fatally and halted the Disruptor (see error())";
      violations_.require(finished || stopped, where() + "producer " + std::to_string(p) + " published " +
                                                   std::to_string(r.published) + " of " +
                                                   std::to_string(plan_.quotas[p]) + ", stopped by '" + r.halted + "'");
    }
    const Tally& failed = handlers_[static_cast<std::size_t>(victim)]->tally();
    violations_.require(failed.threwFatal && failed.distinct == fatalAt,
                        where() + "the failing handler handled " + std::to_string(failed.distinct) + " events before " +
                            std::to_string(fatalAt));
    for (std::size_t i = 0; i < handlers_.size(); ++i) {
      if (!detail::runsAfter(plan_, static_cast<int>(i), victim)) continue;
      violations_.require(handlers_[i]->tally().next <= fatalAt,
                          where() + "handler " + std::to_string(i) + " got past " + std::to_string(fatalAt) +
                              ", where its upstream handler " + std::to_string(victim) + " failed");
    }
  }

  // Whatever happened: every processor started and stopped once, what each
  // exception handler got is what the handlers planned, replays match rewinds.
  void checkCommon() {
    std::int64_t sharedSkips = 0;
    for (std::size_t i = 0; i < handlers_.size(); ++i) {
      const Tally& t = handlers_[i]->tally();
      const std::string who = where() + "handler " + std::to_string(i) + ": ";
      violations_.require(t.starts == 1 && t.shutdowns == 1, who + "onStart " + std::to_string(t.starts) +
                                                                 " times, onShutdown " + std::to_string(t.shutdowns));
      violations_.require(t.replayed == t.expectedReplays, who + "replayed " + std::to_string(t.replayed) +
                                                               " events after " + std::to_string(t.rewinds) +
                                                               " rewinds that called for " +
                                                               std::to_string(t.expectedReplays));
      const std::int64_t failures = t.skipped + (t.threwFatal ? 1 : 0);
      if (const auto& own = exceptionHandlers_.own[i]) {
        violations_.require(own->events() == failures, who + "its exception handler got " +
                                                           std::to_string(own->events()) + " failures, it threw " +
                                                           std::to_string(failures));
      } else {
        sharedSkips += failures;
      }
    }
    if (exceptionHandlers_.shared)
      violations_.require(exceptionHandlers_.shared->events() == sharedSkips,
                          where() + "the default exception handler got " +
                              std::to_string(exceptionHandlers_.shared->events()) + " failures, its handlers threw " +
                              std::to_string(sharedSkips));
  }

  const GraphPlan& plan_;
  Violations& violations_;
  std::vector<std::unique_ptr<CheckedHandler>> handlers_;
  D d_;
  detail::ExceptionHandlers exceptionHandlers_;
};

}  // namespace stress
