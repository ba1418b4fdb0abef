// salespipe/edit.hpp — one vocabulary for changing a model: a `parameter`, resolved once
// from its name to indices, read with value() and changed with with() (one copy, edits by
// index, one validation). Key links (levers, scenarios, budgets) and the lag of a change are
// built on it.
//
//   const salespipe::pipeline p(salespipe::example_model());
//   const auto win = salespipe::find_parameter(p, "conversion:prospect->customer");
//   salespipe::value(p, win);                                     // 1/3
//   const salespipe::pipeline better = salespipe::with(p, win, 1.1);  // +10%
//
// Names (the lever names of key links, LEVERS.json and the command line):
//   conversion:STAGE->NODE   the probability of the route STAGE → NODE
//   duration:STAGE           the mean time per visit in STAGE (shape kept: every duration of
//                            the stage, its routes' overrides included, scaled by one factor)
//   source:STAGE             the rate of the sources into STAGE (whole schedule scaled)
//   value:NODE               the mean of NODE's on_enter value (distribution scaled)
//   value:STAGE->NODE        the mean of the on_take value of the route STAGE → NODE
//   reward:STAGE             STAGE's reward rate (value per time unit in the stage)
//
// Remainder-to-lost convention. Raising p(STAGE → NODE) takes the mass from STAGE's route to
// the outcome "lost": the explicit route to "lost" when the stage has one (its probability
// goes down by the same amount, its own duration kept), otherwise the implicit remainder.
// Lowering it gives the mass back to the same route. A stage with no route to "lost" (its
// routes sum to 1 without one) has no conversion parameter: there is nothing to take from.
// Routes to "lost" are not parameters themselves.
//
// Below them, the builders on a plain (unvalidated) model by id, for changes that are not a
// parameter × factor: scale_source_from (a step in time), remove_rate_change, set_conversion,
// scale_mean_duration; and the restrictions the exact sensitivities use (only_sources_into,
// only_take_of).
#ifndef SALESPIPE_EDIT_HPP
#define SALESPIPE_EDIT_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <salespipe/detail/format.hpp>
#include <salespipe/distribution.hpp>
#include <salespipe/error.hpp>
#include <salespipe/fwd.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe {

enum class parameter_kind { conversion, duration, source, value, take, reward };

/// One parameter of a pipeline, resolved to indices (valid for that pipeline and for every
/// pipeline with() makes from it: edits keep the shape).
struct parameter {
  parameter_kind kind = parameter_kind::conversion;
  std::string stage;                 ///< stage id (conversion, duration, source, take, reward)
  std::string to;                    ///< route target (conversion, take) or node id (value)
  std::size_t stage_node = no_node;  ///< stage index (conversion, duration, source, take, reward)
  std::size_t node = no_node;        ///< route target (conversion, take) or node (value) index
  std::size_t route = no_node;       ///< conversion, take: index of the route in the stage
  std::size_t lost_route = no_node;  ///< conversion: index of the route that gives the mass

  /// "conversion:prospect->customer", "duration:prospect", "source:lead", "value:customer",
  /// "value:prospect->customer", "reward:customer".
  std::string name() const {
    switch (kind) {
      case parameter_kind::conversion: return "conversion:" + stage + "->" + to;
      case parameter_kind::duration: return "duration:" + stage;
      case parameter_kind::source: return "source:" + stage;
      case parameter_kind::take: return "value:" + stage + "->" + to;
      case parameter_kind::reward: return "reward:" + stage;
      default: return "value:" + to;
    }
  }
  /// The natural direction of improvement: −1 for durations (shorter), +1 otherwise.
  double improving_sign() const noexcept { return kind == parameter_kind::duration ? -1.0 : 1.0; }
};

/// A parameter and the factor its value is multiplied by (1.1 = +10%).
struct parameter_change {
  parameter what;
  double factor = 1;
};

namespace detail {

// The route of stage s that gives and takes the mass of its conversions: the explicit
// route to "lost" first, else the implicit remainder.
inline std::optional<std::size_t> lost_route_of(const pipeline& pl, std::size_t s) {
  const auto& routes = pl.stage(s).routes;
  for (std::size_t j = 0; j < routes.size(); ++j)
    if (routes[j].to == "lost" && !routes[j].implicit) return j;
  for (std::size_t j = 0; j < routes.size(); ++j)
    if (routes[j].implicit) return j;
  return std::nullopt;
}

inline bool has_on_enter(const pipeline& pl, std::size_t n) {
  return pl.is_stage(n) ? pl.stage(n).on_enter.has_value() : pl.outcomes()[n - pl.stage_count()].on_enter.has_value();
}

inline bool has_source(const pipeline& pl, std::size_t s) {
  for (const auto& so : pl.sources())
    if (so.stage_node == s) return true;
  return false;
}

// The mean time per visit Σ_r p_r E[T_r] of stage s.
inline double mean_time_per_visit(const pipeline& pl, std::size_t s) {
  double tau = 0;
  for (const auto& r : pl.stage(s).routes) tau += r.p * mean(route_duration(pl.stage(s), r));
  return tau;
}

// The parameter of `kind` on stage s (duration, source, reward), route j of s (conversion,
// take) or node n (value), already known to exist.
inline parameter make_parameter(const pipeline& pl, parameter_kind kind, std::size_t s, std::size_t j = no_node,
                                std::size_t n = no_node) {
  parameter p;
  p.kind = kind;
  if (kind == parameter_kind::value) {
    p.node = n;
    p.to = pl.node_id(n);
    return p;
  }
  p.stage_node = s;
  p.stage = pl.stage(s).id;
  if (j != no_node) {
    p.route = j;
    p.node = pl.stage(s).routes[j].to_node;
    p.to = pl.stage(s).routes[j].to;
  }
  if (kind == parameter_kind::conversion) p.lost_route = *lost_route_of(pl, s);
  return p;
}

// Scales source `so`'s rate by `factor` from time `from` on (schedule kept).
inline void scale_source(source& so, double from, double factor) {
  const source old = so;
  std::vector<double> at{from};
  for (const auto& c : old.schedule) at.push_back(c.from);
  std::sort(at.begin(), at.end());
  at.erase(std::unique(at.begin(), at.end()), at.end());
  so.rate = old.rate_at(0) * (from <= 0 ? factor : 1);
  so.schedule.clear();
  for (double t : at)
    if (t > 0) so.schedule.push_back({t, old.rate_at(t) * (t >= from ? factor : 1)});
}

// Scales every duration of stage `st` (its own and its routes' overrides) by factor > 0.
template <class Stage>
void scale_durations(Stage& st, double factor) {
  st.duration = scaled(st.duration, factor);
  for (auto& r : st.routes)
    if (r.duration) r.duration = scaled(*r.duration, factor);
}

}  // namespace detail

/// The parameter named `name` (see the header comment). Throws invalid_model naming the
/// lever (unknown kind, stage or node, a stage with no route to that node or no route to
/// "lost", a node with no on_enter value, a route with no on_take value, a stage with no
/// source or no reward rate).
inline parameter find_parameter(const pipeline& pl, std::string_view name_view) {
  const std::string name(name_view);
  auto bad = [&](const std::string& why) { return invalid_model("lever '" + name + "': " + why); };
  const auto colon = name.find(':');
  if (colon == std::string::npos)
    throw bad("expected conversion:STAGE->NODE, duration:STAGE, source:STAGE, value:NODE, "
              "value:STAGE->NODE or reward:STAGE");
  const std::string kind = name.substr(0, colon), rest = name.substr(colon + 1);
  auto node_index = [&](const std::string& id) {
    const auto n = pl.find(id);
    if (!n) throw bad("unknown node '" + id + "'" + detail::did_you_mean(id, pl.node_ids()));
    return *n;
  };
  auto stage_index = [&](const std::string& id) {
    const auto n = pl.find(id);
    if (!n) throw bad("unknown stage '" + id + "'" + detail::did_you_mean(id, pl.node_ids()));
    if (!pl.is_stage(*n)) throw bad("'" + id + "' is an outcome, not a stage");
    return *n;
  };
  // STAGE->NODE in rest, split at `arrow`: the stage's index (into s) and the target's id.
  std::size_t s = no_node;
  auto split = [&](std::size_t arrow) {
    s = stage_index(rest.substr(0, arrow));
    const std::string to = rest.substr(arrow + 2);
    (void)node_index(to);
    return to;
  };
  // The index of stage s's explicit route to `to`.
  auto route_to = [&](const std::string& to) {
    const auto& routes = pl.stage(s).routes;
    for (std::size_t j = 0; j < routes.size(); ++j)
      if (routes[j].to == to && !routes[j].implicit) return j;
    throw bad("stage '" + pl.stage(s).id + "' has no route to '" + to + "'");
  };
  const auto arrow = rest.find("->");
  if (kind == "conversion") {
    if (arrow == std::string::npos) throw bad("expected conversion:STAGE->NODE");
    const std::string to = split(arrow);
    if (to == "lost") throw bad("routes to 'lost' are the remainder, not levers");
    const std::size_t j = route_to(to);
    if (!detail::lost_route_of(pl, s))
      throw bad("stage '" + pl.stage(s).id +
                "' has no route to 'lost' to take the probability from (its "
                "routes sum to 1)");
    return detail::make_parameter(pl, parameter_kind::conversion, s, j);
  }
  if (kind == "duration") return detail::make_parameter(pl, parameter_kind::duration, stage_index(rest));
  if (kind == "source") {
    s = stage_index(rest);
    if (!detail::has_source(pl, s)) throw bad("no source brings deals into stage '" + rest + "'");
    return detail::make_parameter(pl, parameter_kind::source, s);
  }
  if (kind == "value" && arrow != std::string::npos) {
    const std::string to = split(arrow);
    const std::size_t j = route_to(to);
    if (!pl.stage(s).routes[j].on_take)
      throw bad("the route " + pl.stage(s).id + " -> " + to + " has no on_take value");
    return detail::make_parameter(pl, parameter_kind::take, s, j);
  }
  if (kind == "reward") {
    s = stage_index(rest);
    if (!(pl.stage(s).reward_rate > 0)) throw bad("stage '" + rest + "' has no reward rate");
    return detail::make_parameter(pl, parameter_kind::reward, s);
  }
  if (kind == "value") {
    const std::size_t n = node_index(rest);
    if (!detail::has_on_enter(pl, n)) throw bad("node '" + rest + "' has no on_enter value");
    return detail::make_parameter(pl, parameter_kind::value, no_node, no_node, n);
  }
  throw bad("unknown lever kind '" + kind + "' (conversion, duration, source, value or reward)");
}

/// Every parameter of `pl`: conversions (routes with a lost route to take from), durations of
/// stages with a positive mean time, sources, on_enter values, on_take values, reward rates;
/// in model order by kind.
inline std::vector<parameter> all_parameters(const pipeline& pl) {
  std::vector<parameter> out;
  const std::size_t S = pl.stage_count();
  for (std::size_t s = 0; s < S; ++s) {
    if (!detail::lost_route_of(pl, s)) continue;
    const auto& routes = pl.stage(s).routes;
    for (std::size_t j = 0; j < routes.size(); ++j)
      if (!routes[j].implicit && routes[j].to != "lost")
        out.push_back(detail::make_parameter(pl, parameter_kind::conversion, s, j));
  }
  for (std::size_t s = 0; s < S; ++s)
    if (detail::mean_time_per_visit(pl, s) > 0) out.push_back(detail::make_parameter(pl, parameter_kind::duration, s));
  for (std::size_t s = 0; s < S; ++s)
    if (detail::has_source(pl, s)) out.push_back(detail::make_parameter(pl, parameter_kind::source, s));
  for (std::size_t n = 0; n < pl.node_count(); ++n)
    if (detail::has_on_enter(pl, n))
      out.push_back(detail::make_parameter(pl, parameter_kind::value, no_node, no_node, n));
  for (std::size_t s = 0; s < S; ++s) {
    const auto& routes = pl.stage(s).routes;
    for (std::size_t j = 0; j < routes.size(); ++j)
      if (routes[j].on_take && !routes[j].implicit)
        out.push_back(detail::make_parameter(pl, parameter_kind::take, s, j));
  }
  for (std::size_t s = 0; s < S; ++s)
    if (pl.stage(s).reward_rate > 0) out.push_back(detail::make_parameter(pl, parameter_kind::reward, s));
  return out;
}

/// The parameter's value θ in `pl`: the route probability, the mean time per visit
/// Σ_r p_r E[T_r], the total source rate at time `rates_at`, the on_enter or on_take mean,
/// the reward rate.
inline double value(const pipeline& pl, const parameter& p, double rates_at = 0) {
  switch (p.kind) {
    case parameter_kind::conversion: return pl.stage(p.stage_node).routes[p.route].p;
    case parameter_kind::duration: return detail::mean_time_per_visit(pl, p.stage_node);
    case parameter_kind::source: {
      double rate = 0;
      for (const auto& s : pl.sources())
        if (s.stage_node == p.stage_node) rate += s.rate_at(rates_at);
      return rate;
    }
    case parameter_kind::take: return mean(*pl.stage(p.stage_node).routes[p.route].on_take);
    case parameter_kind::reward: return pl.stage(p.stage_node).reward_rate;
    default:
      return pl.is_stage(p.node) ? mean(*pl.stage(p.node).on_enter)
                                 : mean(*pl.outcomes()[p.node - pl.stage_count()].on_enter);
  }
}

/// Multiplies the parameter's value in `m` by `factor`, in place. `m` is the model of the
/// pipeline `p` was resolved on (pipeline::model(), or a copy already edited this way).
/// Conversions follow the remainder-to-lost convention. Throws invalid_model naming the lever
/// and the value when a probability would leave [0, 1] (the route's or the lost route's),
/// or factor <= 0 for a duration, factor < 0 otherwise; `m` is unchanged when it throws.
inline void scale_in_place(model& m, const parameter& p, double factor) {
  const std::string who = "lever '" + p.name() + "' x" + detail::num(factor);
  if (!std::isfinite(factor) || factor < 0 || (factor == 0 && p.kind == parameter_kind::duration))
    throw invalid_model(who + ": the factor must be " + (p.kind == parameter_kind::duration ? "> 0" : ">= 0"));
  switch (p.kind) {
    case parameter_kind::conversion: {
      auto& routes = m.stages[p.stage_node].routes;
      const double p0 = routes[p.route].p, p1 = p0 * factor, dp = p1 - p0;
      if (p1 > 1)
        throw invalid_model(who + ": p(" + p.stage + "->" + p.to + ") = " + detail::num(p1) + " is outside [0, 1]");
      const double lost = routes[p.lost_route].p - dp;
      if (lost < -1e-12)
        throw invalid_model(who + ": p(" + p.stage + "->" + p.to + ") = " + detail::num(p1) + " leaves " +
                            detail::num(lost) + " for the route to 'lost', outside [0, 1]");
      routes[p.route].p = p1;
      // An implicit remainder is recomputed by validation; kept current here for the next edit.
      routes[p.lost_route].p = std::max(0.0, lost);
      return;
    }
    case parameter_kind::duration: detail::scale_durations(m.stages[p.stage_node], factor); return;
    case parameter_kind::source:
      for (auto& so : m.sources)
        if (so.stage_node == p.stage_node) detail::scale_source(so, 0, factor);
      return;
    case parameter_kind::take: {
      auto& take = m.stages[p.stage_node].routes[p.route].on_take;
      take = scaled(*take, factor);
      return;
    }
    case parameter_kind::reward: m.stages[p.stage_node].reward_rate *= factor; return;
    default: {
      auto& on_enter =
          p.node < m.stages.size() ? m.stages[p.node].on_enter : m.outcomes[p.node - m.stages.size()].on_enter;
      on_enter = scaled(*on_enter, factor);
      return;
    }
  }
}

/// `pl` with the parameter's value multiplied by `factor` (see scale_in_place()), validated
/// once. Throws like scale_in_place() and the pipeline's validation.
inline pipeline with(const pipeline& pl, const parameter& p, double factor) {
  model m = pl.model();
  scale_in_place(m, p, factor);
  return pipeline(std::move(m));
}

/// `pl` with every change applied in order to one copy, validated once.
inline pipeline with(const pipeline& pl, const std::vector<parameter_change>& changes) {
  model m = pl.model();
  for (const auto& c : changes) scale_in_place(m, c.what, c.factor);
  return pipeline(std::move(m));
}

/// The model of pl with only the sources into stage `stage_node` and no open pipeline (what
/// those sources alone bring: the forecast is linear in the source rates).
inline model only_sources_into(const pipeline& pl, std::size_t stage_node) {
  model m = pl.model();
  std::vector<source> kept;
  for (const auto& s : m.sources)
    if (s.stage_node == stage_node) kept.push_back(s);
  m.sources = std::move(kept);
  m.open_pipeline.clear();
  return m;
}

/// The model of pl with no value but the on_take value of the route of `take` (a take
/// parameter).
inline model only_take_of(const pipeline& pl, const parameter& take) {
  model m = pl.model();
  for (std::size_t s = 0; s < m.stages.size(); ++s) {
    auto& st = m.stages[s];
    st.on_enter.reset();
    st.reward_rate = 0;
    for (std::size_t j = 0; j < st.routes.size(); ++j)
      if (!(s == take.stage_node && j == take.route)) st.routes[j].on_take.reset();
  }
  for (auto& o : m.outcomes) o.on_enter.reset();
  return m;
}

// --- builders on a plain model, by id (validate with basic_pipeline) ---

/// Source `index`'s rate multiplied by `factor` from time `from` on (schedule kept).
/// Throws invalid_option for a bad index, factor < 0 or from < 0.
template <class D>
basic_model<D> scale_source_from(basic_model<D> m, std::size_t index, double from, double factor) {
  if (index >= m.sources.size()) throw invalid_option("lag: no source " + std::to_string(index));
  if (!(factor >= 0) || !(from >= 0)) throw invalid_option("lag: factor and from must be >= 0");
  detail::scale_source(m.sources[index], from, factor);
  return m;
}

/// The model without source `index`'s schedule entry `change` (to measure a planned change).
template <class D>
basic_model<D> remove_rate_change(basic_model<D> m, std::size_t index, std::size_t change) {
  if (index >= m.sources.size() || change >= m.sources[index].schedule.size())
    throw invalid_option("lag: no schedule entry " + std::to_string(change) + " in source " + std::to_string(index));
  auto& sch = m.sources[index].schedule;
  sch.erase(sch.begin() + static_cast<std::ptrdiff_t>(change));
  return m;
}

/// Stage `stage_id`'s route to `to` with probability p (the remainder to lost adjusts).
template <class D>
basic_model<D> set_conversion(basic_model<D> m, const std::string& stage_id, const std::string& to, double p) {
  for (auto& s : m.stages)
    if (s.id == stage_id)
      for (auto& r : s.routes)
        if (r.to == to && !r.implicit) {
          r.p = p;
          return m;
        }
  throw invalid_option("lag: stage '" + stage_id + "' has no route to '" + to + "'");
}

/// Stage `stage_id`'s durations (its own and its routes' overrides) scaled by factor > 0.
inline model scale_mean_duration(model m, const std::string& stage_id, double factor) {
  for (auto& s : m.stages)
    if (s.id == stage_id) {
      detail::scale_durations(s, factor);
      return m;
    }
  throw invalid_option("lag: unknown stage '" + stage_id + "'");
}

}  // namespace salespipe

#endif  // SALESPIPE_EDIT_HPP
