// salespipe/model.hpp — the description of a sales process: stages, routes, outcomes,
// sources, the open pipeline and a target, as plain data (what a model file holds).
//
// A basic_model is not checked; basic_pipeline (pipeline.hpp) validates it. Every time,
// rate and period is in the model's time unit; values are in the user's currency.
#ifndef SALESPIPE_MODEL_HPP
#define SALESPIPE_MODEL_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <salespipe/distribution.hpp>
#include <salespipe/fwd.hpp>
#include <salespipe/time_unit.hpp>

namespace salespipe {

/// Index value meaning "not resolved yet" (filled in by basic_pipeline).
inline constexpr std::size_t no_node = static_cast<std::size_t>(-1);

/// A way out of a stage: taken with probability `p`; the deal then spends the route's
/// `duration` (the stage's when unset) in the stage and enters node `to`.
template <class Duration>
struct basic_route {
  std::string to;                       ///< id of a stage or outcome
  double p = 0;                         ///< probability in [0, 1]
  std::optional<Duration> duration;     ///< overrides the stage's duration on this route
  std::optional<distribution> on_take;  ///< value booked when the route is taken

  // Filled in by basic_pipeline:
  std::size_t to_node = no_node;  ///< index of `to`
  bool implicit = false;          ///< the remainder-to-lost route the pipeline adds
};

/// A stage: deals spend time here, then leave by one of the routes. Probabilities
/// below 1 in total send the remainder to the outcome "lost" after `duration`.
template <class Duration>
struct basic_stage {
  std::string id;
  Duration duration;  ///< time in stage (time units)
  std::vector<basic_route<Duration>> routes;
  double reward_rate = 0;                ///< value per time unit while in the stage
  std::optional<distribution> on_enter;  ///< value booked on every entry

  basic_stage(std::string stage_id, Duration d) : id(std::move(stage_id)), duration(std::move(d)) {}

  /// Adds a route to `node` taken with probability p.
  basic_stage& to(std::string node, double p) {
    routes.push_back({std::move(node), p, std::nullopt, std::nullopt});
    return *this;
  }
  /// Adds a route with its own duration (competing routes: lost deals die faster).
  basic_stage& to(std::string node, double p, Duration d) {
    routes.push_back({std::move(node), p, std::move(d), std::nullopt});
    return *this;
  }
  /// Value booked when the last added route is taken. Precondition: a route exists.
  basic_stage& on_take(distribution value) {
    routes.back().on_take = std::move(value);
    return *this;
  }
  /// Value per time unit accrued while a deal is in this stage.
  basic_stage& reward(double rate_per_time_unit) {
    reward_rate = rate_per_time_unit;
    return *this;
  }
  /// Value booked each time a deal enters this stage.
  basic_stage& value_on_enter(distribution value) {
    on_enter = std::move(value);
    return *this;
  }
};

/// An absorbing node (won, lost, churned, ...).
struct outcome {
  std::string id;
  std::optional<distribution> on_enter;  ///< value booked on entry
  bool implicit = false;                 ///< the "lost" outcome the pipeline adds

  /// Value booked when a deal ends here.
  outcome& value_on_enter(distribution value) {
    on_enter = std::move(value);
    return *this;
  }
};

/// From time `from` on, the source's rate is `rate` (per time unit).
struct rate_change {
  double from = 0;
  double rate = 0;
};

/// Poisson arrivals into an entry stage at `rate` per time unit from time 0, changed
/// by `schedule` (piecewise constant, `from` strictly increasing).
struct source {
  std::string stage;
  double rate = 0;
  std::vector<rate_change> schedule;
  std::size_t stage_node = no_node;  ///< filled in by basic_pipeline

  /// Changes the rate from time t on.
  source& from(double t, double new_rate) {
    schedule.push_back({t, new_rate});
    return *this;
  }
  /// Expected arrivals over [0, x]: ∫₀ˣ rate(t) dt, exact (piecewise linear); 0 for x <= 0.
  double cumulative(double x) const noexcept {
    if (x <= 0) return 0.0;
    double total = 0, t = 0, r = rate;
    for (const auto& c : schedule) {
      if (c.from >= x) break;
      total += r * (c.from - t);
      t = c.from;
      r = c.rate;
    }
    return total + r * (x - t);
  }
  /// The rate in force at time t.
  double rate_at(double t) const noexcept {
    double r = rate;
    for (const auto& c : schedule)
      if (t >= c.from) r = c.rate;
    return r;
  }
};

/// Deals in a stage at time 0: `count` deals that have spent `age` time units there,
/// or, when `ages` is not empty, one deal per entry of `ages`.
struct open_deals {
  std::string stage;
  std::size_t count = 0;
  double age = 0;
  std::vector<double> ages;
  std::size_t stage_node = no_node;  ///< filled in by basic_pipeline

  std::size_t size() const noexcept { return ages.empty() ? count : ages.size(); }
  double age_of(std::size_t i) const noexcept { return ages.empty() ? age : ages[i]; }
};

/// The target: `per_period` entries per time unit into `node`.
struct target {
  std::string node;
  double per_period = 0;
  std::size_t node_index = no_node;  ///< filled in by basic_pipeline
};

/// The whole description, in model-file order. Build it with the add_ functions or
/// fill the vectors directly; hand it to basic_pipeline to validate.
template <class Duration>
struct basic_model {
  std::string name;
  time_unit unit = time_unit::month;
  std::vector<basic_stage<Duration>> stages;
  std::vector<outcome> outcomes;
  std::vector<source> sources;
  std::vector<open_deals> open_pipeline;
  std::optional<salespipe::target> target;

  /// Adds a stage; chain .to(...) on the result to add its routes.
  basic_stage<Duration>& add_stage(std::string id, Duration d) {
    stages.emplace_back(std::move(id), std::move(d));
    return stages.back();
  }
  /// Adds an outcome (the outcome "lost" exists implicitly when not added).
  outcome& add_outcome(std::string id) {
    outcomes.push_back({std::move(id), std::nullopt});
    return outcomes.back();
  }
  /// Adds Poisson arrivals into `stage` at `rate` per time unit.
  source& add_source(std::string stage_id, double rate) {
    sources.push_back({std::move(stage_id), rate, {}});
    return sources.back();
  }
  /// Adds `count` open deals of age `age` in `stage`.
  basic_model& add_open(std::string stage_id, std::size_t count, double age) {
    open_pipeline.push_back({std::move(stage_id), count, age, {}});
    return *this;
  }
  /// Adds one open deal per entry of `ages` in `stage`.
  basic_model& add_open(std::string stage_id, std::vector<double> ages) {
    open_pipeline.push_back({std::move(stage_id), 0, 0, std::move(ages)});
    return *this;
  }
  /// Sets the target: `per_period` entries per time unit into `node`.
  basic_model& set_target(std::string node, double per_period) {
    target = salespipe::target{std::move(node), per_period};
    return *this;
  }
};

}  // namespace salespipe

#endif  // SALESPIPE_MODEL_HPP
