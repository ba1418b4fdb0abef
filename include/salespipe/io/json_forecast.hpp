// salespipe/io/json_forecast.hpp — the exact forecast per node and period as data: the
// "nodes" object of `salespipe forecast --json` and its forecast.csv. Per node and period:
// expected entries and value booked, the exact P10 / P90 of the entries (forecast_counts:
// Poisson(-binomial) or, for a node on a loop, compound Poisson), and for stages the on_take
// value, reward and WIP. Conventions as io/json_analytic.hpp; CSV through io/csv.hpp.
//
//   const auto f = salespipe::analytic::forecast(p, 24);
//   const auto counts = salespipe::io::forecast_counts(p, f);
//   nlohmann::ordered_json nodes = salespipe::io::forecast_nodes_json(f, counts);
//   salespipe::io::write_forecast_csv(std::cout, f, counts);
#ifndef SALESPIPE_IO_JSON_FORECAST_HPP
#define SALESPIPE_IO_JSON_FORECAST_HPP

#include <cstddef>
#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include <salespipe/analytic/forecast.hpp>
#include <salespipe/analytic/loop_counts.hpp>
#include <salespipe/io/csv.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe::io {

/// counts[v][k]: the exact distribution of the entries into node v in period k.
using period_counts = std::vector<std::vector<analytic::lattice_distribution>>;

/// The per-period entry distributions of every node of `f` (= forecast(pl, f.periods(), opt)).
/// Throws like entries_distributions.
template <class D>
period_counts forecast_counts(const basic_pipeline<D>& pl, const analytic::forecast_result& f,
                              const analytic::forecast_options& opt = {}) {
  std::vector<period_window> ws;
  for (std::size_t k = 0; k < f.periods(); ++k) ws.push_back({k, k + 1});
  period_counts out(pl.node_count());
  for (std::size_t v = 0; v < pl.node_count(); ++v) out[v] = entries_distributions(pl, f, v, ws, opt);
  return out;
}

/// {id: [{entries, entries_p10, entries_p90, value[, taken, reward, wip]}, ...]} in node order
/// (taken, reward and wip for stages only); P10/P90 from `counts` (forecast_counts).
inline nlohmann::ordered_json forecast_nodes_json(const analytic::forecast_result& f, const period_counts& counts) {
  using ojson = nlohmann::ordered_json;
  ojson nodes = ojson::object();
  for (std::size_t v = 0; v < f.node_ids().size(); ++v) {
    ojson per = ojson::array();
    for (std::size_t k = 0; k < f.periods(); ++k) {
      ojson pk{{"entries", f.entries(v, k)},
               {"entries_p10", counts[v][k].quantile(0.1)},
               {"entries_p90", counts[v][k].quantile(0.9)},
               {"value", f.booked(v, k)}};
      if (v < f.stage_count()) pk.update({{"taken", f.taken(v, k)}, {"reward", f.reward(v, k)}, {"wip", f.wip(v, k)}});
      per.push_back(std::move(pk));
    }
    nodes[f.node_ids()[v]] = std::move(per);
  }
  return nodes;
}

/// forecast.csv: node, period, entries, value, taken, reward, wip, entries_p10, entries_p90
/// (one row per node and period; taken, reward and wip 0 for outcomes).
inline void write_forecast_csv(std::ostream& out, const analytic::forecast_result& f, const period_counts& counts) {
  write_csv_row(out, {"node", "period", "entries", "value", "taken", "reward", "wip", "entries_p10", "entries_p90"});
  for (std::size_t v = 0; v < f.node_ids().size(); ++v)
    for (std::size_t k = 0; k < f.periods(); ++k) {
      const bool stage = v < f.stage_count();
      write_csv_row(out, {f.node_ids()[v], csv_number(k), csv_number(f.entries(v, k)), csv_number(f.booked(v, k)),
                          csv_number(stage ? f.taken(v, k) : 0.0), csv_number(stage ? f.reward(v, k) : 0.0),
                          csv_number(stage ? f.wip(v, k) : 0.0), csv_number(counts[v][k].quantile(0.1)),
                          csv_number(counts[v][k].quantile(0.9))});
    }
}

}  // namespace salespipe::io

#endif  // SALESPIPE_IO_JSON_FORECAST_HPP
