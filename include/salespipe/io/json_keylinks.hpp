// salespipe/io/json_keylinks.hpp — key links as JSON: the ranking (the tornado, the
// report's "key_links" key) and the budget allocation ("allocation").
// The conventions of the results-as-JSON headers are those of io/json_analytic.hpp (ADL
// to_json, the CLI's exact objects, NaN and infinities as null, keys in a fixed order).
#ifndef SALESPIPE_IO_JSON_KEYLINKS_HPP
#define SALESPIPE_IO_JSON_KEYLINKS_HPP

#include <cmath>
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include <salespipe/keylinks/ranking.hpp>
#include <salespipe/keylinks/reallocate.hpp>

namespace salespipe {

namespace keylinks {

/// {kpi, node, description, value, change, negligible_threshold, ranking: [{lever, before,
/// after, kpi_after, effect, relative, linear, derivative, elasticity, method, negligible}],
/// negligible: [lever names]}, rows in ranking order.
inline void to_json(nlohmann::ordered_json& j, const ranking& r) {
  using ojson = nlohmann::ordered_json;
  ojson rows = ojson::array();
  for (const auto& b : r.rows) {
    const auto& sv = r.sensitivities.rows[b.sensitivity_row];
    rows.push_back({{"lever", b.name},
                    {"before", b.before},
                    {"after", b.after},
                    {"kpi_after", b.kpi_after},
                    {"effect", b.effect},
                    {"relative", std::isnan(b.relative) ? ojson(nullptr) : ojson(b.relative)},
                    {"linear", b.linear},
                    {"derivative", sv.derivative},
                    {"elasticity", sv.elasticity},
                    {"method", std::string(to_string(b.how))},
                    {"negligible", b.negligible}});
  }
  const kpi_spec& k = r.sensitivities.kpi;
  j = {{"kpi", std::string(to_string(k.kind))},
       {"node", r.sensitivities.node},
       {"description", describe(k, r.sensitivities.node)},
       {"value", r.value},
       {"change", r.options.change},
       {"negligible_threshold", r.options.negligible},
       {"ranking", std::move(rows)},
       {"negligible", r.negligible()}};
}

/// {kpi, budget, step, spent, base, optimum, marginal_value, levers: [{lever, current, extra,
/// factor, withdraw_loss, withdrawable}]}.
inline void to_json(nlohmann::ordered_json& j, const allocation& a) {
  using ojson = nlohmann::ordered_json;
  ojson rows = ojson::array();
  for (const auto& l : a.levers)
    rows.push_back({{"lever", l.lever},
                    {"current", l.current},
                    {"extra", l.extra},
                    {"factor", l.factor},
                    {"withdraw_loss", l.withdraw_loss},
                    {"withdrawable", l.withdrawable}});
  j = {{"kpi", a.kpi},
       {"budget", a.budget},
       {"step", a.step},
       {"spent", a.spent},
       {"base", a.base},
       {"optimum", a.optimum},
       {"marginal_value", a.marginal_value},
       {"levers", std::move(rows)}};
}

}  // namespace keylinks

}  // namespace salespipe

#endif  // SALESPIPE_IO_JSON_KEYLINKS_HPP
