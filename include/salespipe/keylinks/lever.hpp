// salespipe/keylinks/lever.hpp — levers: the parameters of a model that effort can move.
//
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
// routes sum to 1 without one) has no conversion levers: there is nothing to take from.
// Routes to "lost" are not levers themselves.
#ifndef SALESPIPE_KEYLINKS_LEVER_HPP
#define SALESPIPE_KEYLINKS_LEVER_HPP

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <salespipe/analytic/lag.hpp>
#include <salespipe/detail/format.hpp>
#include <salespipe/error.hpp>
#include <salespipe/fwd.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe {
namespace keylinks {

enum class lever_kind { conversion, duration, source, value, take, reward };

/// One lever of a pipeline, resolved.
struct lever {
  lever_kind kind = lever_kind::conversion;
  std::string stage;  ///< stage id (conversion, duration, source, take, reward)
  std::string to;     ///< route target (conversion, take) or node id (value)
  std::size_t stage_node = no_node;   ///< stage index (conversion, duration, source, take, reward)
  std::size_t node = no_node;         ///< route target (conversion, take) or node (value) index
  std::size_t route = no_node;        ///< conversion, take: index of the route in the stage
  std::size_t lost_route = no_node;   ///< conversion: index of the route that gives the mass

  /// "conversion:prospect->customer", "duration:prospect", "source:lead", "value:customer",
  /// "value:prospect->customer", "reward:customer".
  std::string name() const {
    switch (kind) {
      case lever_kind::conversion: return "conversion:" + stage + "->" + to;
      case lever_kind::duration: return "duration:" + stage;
      case lever_kind::source: return "source:" + stage;
      case lever_kind::take: return "value:" + stage + "->" + to;
      case lever_kind::reward: return "reward:" + stage;
      default: return "value:" + to;
    }
  }
  /// The natural direction of improvement: −1 for durations (shorter), +1 otherwise.
  double improving_sign() const noexcept { return kind == lever_kind::duration ? -1.0 : 1.0; }
};

namespace detail {

inline std::optional<std::size_t> lost_route_of(const pipeline& pl, std::size_t s) {
  const auto& routes = pl.stage(s).routes;
  for (std::size_t j = 0; j < routes.size(); ++j)  // explicit first
    if (routes[j].to == "lost" && !routes[j].implicit) return j;
  for (std::size_t j = 0; j < routes.size(); ++j)
    if (routes[j].implicit) return j;
  return std::nullopt;
}

}  // namespace detail

/// The lever named `name` (see the header comment). Throws invalid_model naming the lever
/// (unknown kind, stage or node, a stage with no route to that node or no route to "lost",
/// a node with no on_enter value, a route with no on_take value, a stage with no source or
/// no reward rate).
inline lever parse_lever(const pipeline& pl, const std::string& name) {
  auto bad = [&](const std::string& why) { return invalid_model("lever '" + name + "': " + why); };
  const auto colon = name.find(':');
  if (colon == std::string::npos)
    throw bad("expected conversion:STAGE->NODE, duration:STAGE, source:STAGE, value:NODE, "
              "value:STAGE->NODE or reward:STAGE");
  const std::string kind = name.substr(0, colon), rest = name.substr(colon + 1);
  auto stage_index = [&](const std::string& id) {
    const auto n = pl.find(id);
    if (!n) throw bad("unknown stage '" + id + "'" + salespipe::detail::did_you_mean(id, pl.node_ids()));
    if (!pl.is_stage(*n)) throw bad("'" + id + "' is an outcome, not a stage");
    return *n;
  };
  lever l;
  // STAGE->NODE at `arrow` in rest: stage and node names and indices.
  auto split_route = [&](std::size_t arrow) {
    l.stage = rest.substr(0, arrow);
    l.to = rest.substr(arrow + 2);
    l.stage_node = stage_index(l.stage);
    const auto n = pl.find(l.to);
    if (!n) throw bad("unknown node '" + l.to + "'" + salespipe::detail::did_you_mean(l.to, pl.node_ids()));
    l.node = *n;
  };
  // The explicit route l.stage → l.to.
  auto find_route = [&]() -> const route& {
    const auto& routes = pl.stage(l.stage_node).routes;
    for (std::size_t j = 0; j < routes.size() && l.route == no_node; ++j)
      if (routes[j].to == l.to && !routes[j].implicit) l.route = j;
    if (l.route == no_node) throw bad("stage '" + l.stage + "' has no route to '" + l.to + "'");
    return routes[l.route];
  };
  if (kind == "conversion") {
    const auto arrow = rest.find("->");
    if (arrow == std::string::npos) throw bad("expected conversion:STAGE->NODE");
    l.kind = lever_kind::conversion;
    split_route(arrow);
    if (l.to == "lost") throw bad("routes to 'lost' are the remainder, not levers");
    find_route();
    const auto lost = detail::lost_route_of(pl, l.stage_node);
    if (!lost)
      throw bad("stage '" + l.stage + "' has no route to 'lost' to take the probability from (its "
                "routes sum to 1)");
    l.lost_route = *lost;
  } else if (kind == "duration") {
    l.kind = lever_kind::duration;
    l.stage = rest;
    l.stage_node = stage_index(rest);
  } else if (kind == "source") {
    l.kind = lever_kind::source;
    l.stage = rest;
    l.stage_node = stage_index(rest);
    bool any = false;
    for (const auto& s : pl.sources()) any = any || s.stage_node == l.stage_node;
    if (!any) throw bad("no source brings deals into stage '" + rest + "'");
  } else if (kind == "value" && rest.find("->") != std::string::npos) {
    l.kind = lever_kind::take;
    split_route(rest.find("->"));
    if (!find_route().on_take) throw bad("the route " + l.stage + " -> " + l.to + " has no on_take value");
  } else if (kind == "reward") {
    l.kind = lever_kind::reward;
    l.stage = rest;
    l.stage_node = stage_index(rest);
    if (!(pl.stage(l.stage_node).reward_rate > 0)) throw bad("stage '" + rest + "' has no reward rate");
  } else if (kind == "value") {
    l.kind = lever_kind::value;
    l.to = rest;
    const auto n = pl.find(rest);
    if (!n) throw bad("unknown node '" + rest + "'" + salespipe::detail::did_you_mean(rest, pl.node_ids()));
    l.node = *n;
    const bool has = pl.is_stage(*n) ? pl.stage(*n).on_enter.has_value()
                                     : pl.outcomes()[*n - pl.stage_count()].on_enter.has_value();
    if (!has) throw bad("node '" + rest + "' has no on_enter value");
  } else {
    throw bad("unknown lever kind '" + kind + "' (conversion, duration, source, value or reward)");
  }
  return l;
}

/// Every lever of `pl`: conversions (routes with a lost route to take from), durations of
/// stages with a positive mean time, sources, on_enter values, on_take values, reward rates;
/// in model order by kind.
inline std::vector<lever> all_levers(const pipeline& pl) {
  std::vector<lever> out;
  for (std::size_t s = 0; s < pl.stage_count(); ++s) {
    const auto& st = pl.stage(s);
    if (!detail::lost_route_of(pl, s)) continue;
    for (const auto& r : st.routes)
      if (!r.implicit && r.to != "lost") out.push_back(parse_lever(pl, "conversion:" + st.id + "->" + r.to));
  }
  for (std::size_t s = 0; s < pl.stage_count(); ++s) {
    double tau = 0;
    for (const auto& r : pl.stage(s).routes) tau += r.p * mean(route_duration(pl.stage(s), r));
    if (tau > 0) out.push_back(parse_lever(pl, "duration:" + pl.stage(s).id));
  }
  for (std::size_t s = 0; s < pl.stage_count(); ++s)
    for (const auto& so : pl.sources())
      if (so.stage_node == s) {
        out.push_back(parse_lever(pl, "source:" + pl.stage(s).id));
        break;
      }
  for (std::size_t n = 0; n < pl.node_count(); ++n) {
    const bool has = pl.is_stage(n) ? pl.stage(n).on_enter.has_value()
                                    : pl.outcomes()[n - pl.stage_count()].on_enter.has_value();
    if (has) out.push_back(parse_lever(pl, "value:" + pl.node_id(n)));
  }
  for (std::size_t s = 0; s < pl.stage_count(); ++s)
    for (const auto& r : pl.stage(s).routes)
      if (r.on_take && !r.implicit) out.push_back(parse_lever(pl, "value:" + pl.stage(s).id + "->" + r.to));
  for (std::size_t s = 0; s < pl.stage_count(); ++s)
    if (pl.stage(s).reward_rate > 0) out.push_back(parse_lever(pl, "reward:" + pl.stage(s).id));
  return out;
}

/// The lever's parameter value θ in `pl`: the route probability, the mean time per visit
/// Σ_r p_r E[T_r], the total source rate at time `rates_at`, the on_enter or on_take mean,
/// the reward rate.
inline double lever_value(const pipeline& pl, const lever& l, double rates_at = 0) {
  switch (l.kind) {
    case lever_kind::conversion: return pl.stage(l.stage_node).routes[l.route].p;
    case lever_kind::duration: {
      double tau = 0;
      const auto& st = pl.stage(l.stage_node);
      for (const auto& r : st.routes) tau += r.p * mean(route_duration(st, r));
      return tau;
    }
    case lever_kind::source: {
      double rate = 0;
      for (const auto& s : pl.sources())
        if (s.stage_node == l.stage_node) rate += s.rate_at(rates_at);
      return rate;
    }
    case lever_kind::take: return mean(*pl.stage(l.stage_node).routes[l.route].on_take);
    case lever_kind::reward: return pl.stage(l.stage_node).reward_rate;
    default:
      return pl.is_stage(l.node) ? mean(*pl.stage(l.node).on_enter)
                                 : mean(*pl.outcomes()[l.node - pl.stage_count()].on_enter);
  }
}

/// The model of `pl` with the lever's parameter multiplied by `factor` (a relative change:
/// factor = 1.1 is +10%). Conversions follow the remainder-to-lost convention. Throws invalid_model
/// naming the lever and the value when a probability would leave [0, 1] (the route's, the
/// lost route's, or the stage's sum), or factor <= 0 for a duration, factor < 0 otherwise.
inline model scale_lever(const pipeline& pl, const lever& l, double factor) {
  const model& m = pl.model();
  const std::string who = "lever '" + l.name() + "' x" + salespipe::detail::num(factor);
  if (!std::isfinite(factor) || factor < 0 || (factor == 0 && l.kind == lever_kind::duration))
    throw invalid_model(who + ": the factor must be " + (l.kind == lever_kind::duration ? "> 0" : ">= 0"));
  switch (l.kind) {
    case lever_kind::conversion: {
      const auto& st = pl.stage(l.stage_node);
      const double p0 = st.routes[l.route].p, p1 = p0 * factor, dp = p1 - p0;
      if (p1 > 1)
        throw invalid_model(who + ": p(" + l.stage + "->" + l.to + ") = " + salespipe::detail::num(p1) +
                            " is outside [0, 1]");
      model out = set_conversion(m, l.stage, l.to, p1);
      const auto& lost = st.routes[l.lost_route];
      const double pl1 = lost.p - dp;
      if (pl1 < -1e-12)
        throw invalid_model(who + ": p(" + l.stage + "->" + l.to + ") = " + salespipe::detail::num(p1) +
                            " leaves " + salespipe::detail::num(pl1) + " for the route to 'lost', outside [0, 1]");
      if (!lost.implicit)
        for (auto& s : out.stages)
          if (s.id == l.stage)
            for (auto& r : s.routes)
              if (r.to == "lost" && !r.implicit) {
                r.p = std::max(0.0, pl1);
                break;
              }
      return out;
    }
    case lever_kind::duration: return scale_mean_duration(m, l.stage, factor);
    case lever_kind::source: {
      model out = m;
      for (std::size_t i = 0; i < out.sources.size(); ++i)
        if (out.sources[i].stage == l.stage) out = scale_source_from(out, i, 0, factor);
      return out;
    }
    case lever_kind::take: {
      model out = m;
      for (auto& s : out.stages)
        if (s.id == l.stage)
          for (auto& r : s.routes)
            if (r.to == l.to && r.on_take) r.on_take = scaled(*r.on_take, factor);
      return out;
    }
    case lever_kind::reward: {
      model out = m;
      for (auto& s : out.stages)
        if (s.id == l.stage) s.reward_rate *= factor;
      return out;
    }
    default: {
      model out = m;
      for (auto& s : out.stages)
        if (s.id == l.to) s.on_enter = scaled(*s.on_enter, factor);
      for (auto& o : out.outcomes)
        if (o.id == l.to) o.on_enter = scaled(*o.on_enter, factor);
      return out;
    }
  }
}

}  // namespace keylinks
}  // namespace salespipe

#endif  // SALESPIPE_KEYLINKS_LEVER_HPP
