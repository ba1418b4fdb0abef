// custom_kpi.cpp — a user-defined KPI evaluated by both engines: "revenue of fiscal year 2"
// (months 12-23 of the built-in example) = new-customer bookings + the recurring revenue of
// customers and big customers. One plain struct; the analytic engine evaluates it on the
// exact forecast (the KPI concept of kpi.hpp: evaluate(k, result) found by ADL), the Monte
// Carlo engine through per_replication (simulate/kpi.hpp), which gives a mean and its
// standard error. Checks the two agree within 4 standard errors; returns non-zero otherwise.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <salespipe/analytic/forecast.hpp>
#include <salespipe/analytic/kpi.hpp>
#include <salespipe/example_model.hpp>
#include <salespipe/kpi.hpp>
#include <salespipe/simulate/engine.hpp>
#include <salespipe/simulate/kpi.hpp>

namespace my {

/// Bookings at `won` plus reward accrued in the `recurring` stages, periods [from, to).
struct revenue {
  std::size_t from, to;
  std::string won = "customer";
  std::vector<std::string> recurring = {"customer", "big_customer"};
};
inline std::string name(const revenue& k) {
  return "revenue(months " + std::to_string(k.from) + "-" + std::to_string(k.to - 1) + ")";
}

// Analytic engine: the expected value, exactly (the forecast's per-period means).
inline double evaluate(const revenue& k, const salespipe::analytic::forecast_result& f) {
  double s = f.sum({k.from, k.to}, [&](std::size_t t) { return f.booked(f.node(k.won), t); });
  for (const auto& id : k.recurring) s += f.sum({k.from, k.to}, [&](std::size_t t) { return f.reward(f.node(id), t); });
  return s;
}

// Monte Carlo engine: the KPI in one replication.
inline double per_replication(const revenue& k, const salespipe::simulate::results& r, std::size_t rep) {
  using salespipe::simulate::quantity;
  const double* booked = r.row(quantity::value, r.node_index(k.won), rep);
  double s = 0;
  for (std::size_t t = k.from; t < k.to; ++t) s += booked[t];
  for (const auto& id : k.recurring) {
    const double* reward = r.row(quantity::reward, r.node_index(id), rep);
    for (std::size_t t = k.from; t < k.to; ++t) s += reward[t];
  }
  return s;
}

}  // namespace my

static_assert(salespipe::is_kpi_v<my::revenue, salespipe::analytic::forecast_result>);
static_assert(salespipe::is_kpi_v<my::revenue, salespipe::simulate::results>);

int main() {
  namespace sim = salespipe::simulate;
  const salespipe::pipeline p(salespipe::example_model());
  const my::revenue kpi{12, 24};

  const double exact = evaluate(kpi, salespipe::analytic::forecast(p, 24));
  sim::options o;
  o.periods = 24;
  o.replications = 1000;
  o.seed = 7;
  const sim::mc_estimate mc = evaluate(kpi, sim::run(p, o));

  const double z = (mc.value - exact) / mc.standard_error;
  std::printf("%s\n  analytic (exact forecast): %12.0f\n  Monte Carlo (%zu runs):    %12.0f +- %.0f (z "
              "= %+.2f)\n",
              name(kpi).c_str(), exact, o.replications, mc.value, mc.standard_error, z);
  const bool ok = mc.standard_error > 0 && std::fabs(z) < 4;
  std::printf("%s\n", ok ? "ok: the engines agree within 4 standard errors" : "FAILED");
  return ok ? 0 : 1;
}
