// One stress iteration: builds the plan's graph with the DSL, checks the
// topology it got, publishes from the plan's producers with every claim
// method, stops the Disruptor, and hands what it saw to reconcile().
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
#include "reconcile.hpp"
#include "strategies.hpp"
#include "stress_plan.hpp"
#include "stress_runs.hpp"
#include "violations.hpp"

namespace stress {

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

/// Runs one iteration of `plan` on a Disruptor<StressEvent, W, P, L> and
/// reports every broken promise to `violations`. Only what needs the types
/// is here; reconcile() judges the outcome, compiled once for every type.
template <class W, disruptor::ProducerType P, disruptor::SlotLayout L>
class GraphRun {
 public:
  /// The Disruptor type.
  using D = disruptor::Disruptor<StressEvent, W, P, L>;

  GraphRun(const GraphPlan& plan, W strategy, Violations& violations)
      : plan_(plan),
        violations_(violations),
        d_([] { return StressEvent{}; }, static_cast<std::size_t>(plan.bufferSize), std::move(strategy),
           disruptor::Options().withName("stress").withMaxBatchSize(plan.maxBatchSize)) {
    for (std::size_t i = 0; i < plan.handlers.size(); ++i)
      handlers_.push_back(std::make_unique<CheckedHandler>(static_cast<int>(i), plan, violations));
    detail::buildGraph(d_, plan, handlers_);
    checkTopology(d_.topology(), plan, violations);
    exceptionHandlers_ = detail::installExceptionHandlers(d_, plan, handlers_, violations);
  }

  /// Where the graph is, for the watchdog (thread-safe queries only).
  [[nodiscard]] std::string progress() const { return disruptor::describeProgress(d_.topology()); }

  /// Starts, publishes everything, stops within `bound`, and checks the counts.
  void run(std::chrono::milliseconds bound) {
    auto& ring = d_.start();
    Outcome outcome{plan_, std::vector<ProducerResult>(plan_.quotas.size()), {}, false, {}, -1, {}, exceptionHandlers_};
    {
      std::latch go(static_cast<std::ptrdiff_t>(plan_.quotas.size()));
      std::vector<std::jthread> producers;
      for (std::size_t p = 0; p < plan_.quotas.size(); ++p)
        producers.emplace_back([&, p] {
          go.arrive_and_wait();  // released together, so claims contend from the first one
          detail::produce(ring, plan_, static_cast<int>(p), outcome.producers[p]);
        });
    }
    try {
      d_.shutdown(bound);
    } catch (const disruptor::TimeoutException& e) {
      violations_.report("seed " + std::to_string(plan_.seed) + " shutdown: " + e.what() + "; " + progress());
      d_.halt();
    }
    for (const auto& handler : handlers_) {
      outcome.tallies.push_back(&handler->tally());
      outcome.sequences.push_back(d_.getSequenceValueFor(*handler));
    }
    outcome.halted = d_.halted();
    outcome.error = d_.error() ? disruptor::describe(d_.error()) : std::string();
    outcome.cursor = d_.getCursor();
    reconcile(outcome, violations_);
  }

 private:
  const GraphPlan& plan_;
  Violations& violations_;
  std::vector<std::unique_ptr<CheckedHandler>> handlers_;
  D d_;
  ExceptionHandlers exceptionHandlers_;
};

template <disruptor::ProducerType P, disruptor::SlotLayout L>
std::string runGraphAs(const GraphPlan& plan, std::chrono::milliseconds bound, const DumpSetter& setDump) {
  Violations violations;
  withStrategy(plan.strategy, plan.timeout, [&](auto strategy) {
    GraphRun<decltype(strategy), P, L> run(plan, std::move(strategy), violations);
    setDump([&] { return run.progress() + "\n" + violations.summary(); });
    run.run(bound);
    setDump(nullptr);
  });
  return violations.any() ? violations.summary() : std::string();
}

}  // namespace stress
