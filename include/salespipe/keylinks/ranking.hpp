// salespipe/keylinks/ranking.hpp — the tornado: which levers move a KPI most.
//
//   auto r = salespipe::keylinks::rank_levers(p, {salespipe::keylinks::kpi_kind::window_value});
//   r.rows.front().name;   // the key link
//   r.rows.back().negligible;  // a place resources can come from
//
// For each lever, the stated relative change is applied in the lever's improving direction
// (conversion, source rate, value mean: × (1 + change); mean duration: × (1 − change)), the
// model is solved again (the exact effect, not the linearisation), and the linear estimate
// (sensitivity × change of θ) is reported beside it. Rows are sorted by |effect|, largest
// first. A lever whose |effect| is below `negligible` × |KPI| is flagged: moving it by the
// stated change does not matter, so effort spent on it can go to the key links.
//
// Two-sided (ranking_options::two_sided, the default): the same change in the other
// direction is solved exactly too (effect_worse), the other bar of the tornado; NaN when the
// lever cannot move that way (the changed model is invalid, e.g. a probability pushed
// outside [0, 1], or cannot be solved). The ranking itself uses the improving side only.
#ifndef SALESPIPE_KEYLINKS_RANKING_HPP
#define SALESPIPE_KEYLINKS_RANKING_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <salespipe/keylinks/kpi.hpp>
#include <salespipe/keylinks/lever.hpp>
#include <salespipe/keylinks/sensitivity.hpp>

namespace salespipe {
namespace keylinks {

/// Options of rank_levers().
struct ranking_options {
  double change = 0.10;       ///< relative change of every lever (0.10 = 10%), in (0, 1)
  double negligible = 0.001;  ///< |effect| below this × |KPI| is flagged negligible, >= 0
  bool two_sided = true;      ///< also solve the change in the other direction (effect_worse)
};

/// One bar of the tornado.
struct ranked_lever {
  lever lv;
  std::string name;
  double factor = 1;             ///< multiplier applied to θ (1 ± change)
  double before = 0, after = 0;  ///< θ before and after
  double kpi_after = 0;          ///< the KPI re-solved with the change
  double effect = 0;             ///< kpi_after − KPI (exact)
  double linear = 0;             ///< sensitivity × (after − before) (first-order estimate)
  double relative = 0;           ///< effect / |KPI| (NaN when the KPI is 0)
  bool negligible = false;       ///< |effect| < negligible × |KPI|
  double kpi_worse = std::numeric_limits<double>::quiet_NaN();     ///< the KPI with the opposite change
  double effect_worse = std::numeric_limits<double>::quiet_NaN();  ///< kpi_worse − KPI (NaN: see the header)
  method how = method::analytic;                                   ///< how the sensitivity behind `linear` was obtained
  std::size_t sensitivity_row = 0;                                 ///< this lever's row in ranking::sensitivities.rows
};

/// The ranking of levers by effect on one KPI.
struct ranking {
  sensitivity_table sensitivities;  ///< the sensitivities used for the linear estimates
  ranking_options options;
  double value = 0;                ///< the KPI now
  std::vector<ranked_lever> rows;  ///< sorted by |effect|, largest first

  /// Names of the levers flagged negligible (in ranking order).
  std::vector<std::string> negligible() const {
    std::vector<std::string> out;
    for (const auto& r : rows)
      if (r.negligible) out.push_back(r.name);
    return out;
  }
};

/// Ranks `levers` (all_levers(pl) when empty) by the exact effect on `k` of the stated
/// change. Throws invalid_option (change outside (0, 1), negligible < 0), invalid_model
/// naming the lever and the value when a change pushes a probability outside [0, 1], and
/// like evaluate().
inline ranking rank_levers(const pipeline& pl, const kpi_spec& k, const ranking_options& opt = {},
                           std::vector<lever> levers = {}) {
  if (!(opt.change > 0 && opt.change < 1))
    throw invalid_option("ranking: change must be in (0, 1), got " + salespipe::detail::num(opt.change));
  if (!(opt.negligible >= 0))
    throw invalid_option("ranking: negligible must be >= 0, got " + salespipe::detail::num(opt.negligible));
  if (levers.empty()) levers = all_levers(pl);
  ranking r;
  r.options = opt;
  // Every changed model first: a change outside [0, 1] is reported before any work.
  std::vector<pipeline> changed;
  for (const auto& l : levers) changed.push_back(with(pl, l, 1 + l.improving_sign() * opt.change));
  r.sensitivities = sensitivities(pl, k, levers);
  r.value = r.sensitivities.value;
  for (std::size_t i = 0; i < levers.size(); ++i) {
    const pipeline& q = changed[i];
    ranked_lever b;
    b.lv = levers[i];
    b.name = levers[i].name();
    b.factor = 1 + levers[i].improving_sign() * opt.change;
    b.before = lever_value(pl, levers[i], is_forecast_kpi(k.kind) ? 0.0 : k.rates_at);
    b.after = lever_value(q, levers[i], is_forecast_kpi(k.kind) ? 0.0 : k.rates_at);
    b.kpi_after = evaluate(q, k);
    b.effect = b.kpi_after - r.value;
    const auto& s = r.sensitivities.rows[i];
    b.linear = s.d_log * (b.factor - 1);  // = derivative × (after − before): θ scales by factor
    b.relative = r.value != 0 ? b.effect / std::abs(r.value) : std::nan("");
    b.negligible = std::abs(b.effect) < opt.negligible * std::abs(r.value);
    b.how = s.how;
    b.sensitivity_row = i;
    if (opt.two_sided) {
      try {
        b.kpi_worse = evaluate(with(pl, levers[i], 1 - levers[i].improving_sign() * opt.change), k);
        b.effect_worse = b.kpi_worse - r.value;
      } catch (const error&) {  // the lever cannot move that way: no bar (NaN)
      }
    }
    r.rows.push_back(std::move(b));
  }
  std::stable_sort(r.rows.begin(), r.rows.end(), [](const ranked_lever& a, const ranked_lever& b) {
    return std::abs(a.effect) > std::abs(b.effect);
  });
  return r;
}

}  // namespace keylinks
}  // namespace salespipe

#endif  // SALESPIPE_KEYLINKS_RANKING_HPP
