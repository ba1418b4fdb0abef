// salespipe/io/json_backtest.hpp — a backtest as JSON (an element of `salespipe backtest
// --json`'s "runs": bands, scores, the per-period comparison).
// The conventions of the results-as-JSON headers are those of io/json_analytic.hpp (ADL
// to_json, the CLI's exact objects, NaN and infinities as null, keys in a fixed order).
#ifndef SALESPIPE_IO_JSON_BACKTEST_HPP
#define SALESPIPE_IO_JSON_BACKTEST_HPP

#include <nlohmann/json.hpp>

#include <salespipe/backtest/backtest.hpp>
#include <salespipe/io/detail/json_number.hpp>

namespace salespipe::backtest {

/// {mean, lower, upper} (null where not finite).
inline void to_json(nlohmann::ordered_json& j, const band& b) {
  using io::detail::finite_or_null;
  j = {{"mean", finite_or_null(b.mean)}, {"lower", finite_or_null(b.lower)}, {"upper", finite_or_null(b.upper)}};
}

/// {mae_count, mape_count, inside_count, mae_value, mape_value, inside_value}.
inline void to_json(nlohmann::ordered_json& j, const backtest_score& s) {
  using io::detail::finite_or_null;
  j = {{"mae_count", finite_or_null(s.mae_count)},       {"mape_count", finite_or_null(s.mape_count)},
       {"inside_count", finite_or_null(s.inside_count)}, {"mae_value", finite_or_null(s.mae_value)},
       {"mape_value", finite_or_null(s.mape_value)},     {"inside_value", finite_or_null(s.inside_value)}};
}

/// {cutoff, unit, outcome, level, known_deals, open_at_cutoff, periods: [{from, to, count,
/// value, exact_count, exact_value, mc_count, mc_value}], exact, monte_carlo, warnings}.
inline void to_json(nlohmann::ordered_json& j, const backtest_result& r) {
  using ojson = nlohmann::ordered_json;
  ojson ps = ojson::array();
  for (const auto& p : r.periods)
    ps.push_back({{"from", p.from},
                  {"to", p.to},
                  {"count", p.count},
                  {"value", p.value},
                  {"exact_count", p.analytic_count},
                  {"exact_value", p.analytic_value},
                  {"mc_count", p.mc_count},
                  {"mc_value", p.mc_value}});
  j = {{"cutoff", r.cutoff},           {"unit", r.unit},
       {"outcome", r.outcome},         {"level", r.level},
       {"known_deals", r.known_deals}, {"open_at_cutoff", r.open_at_cutoff},
       {"periods", std::move(ps)},     {"exact", r.analytic},
       {"monte_carlo", r.monte_carlo}, {"warnings", r.warnings}};
}

}  // namespace salespipe::backtest

#endif  // SALESPIPE_IO_JSON_BACKTEST_HPP
