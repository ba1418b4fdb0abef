// salespipe/keylinks/reallocate.hpp — spread a limited improvement budget over levers with
// diminishing returns, and find spending that can be withdrawn at little loss.
//
// A lever's cost curve maps spend x >= 0 to a relative improvement Δ(x) of its parameter in
// the improving direction (lever.hpp): θ(x) = θ_model · (1 + s·(Δ(x) − Δ(current))), s = −1
// for durations (shorter), +1 otherwise; `current` is what is spent now (the model's θ
// already reflects it). Curves:
// - piecewise linear through (spend, Δ) points, from (0, 0), spends and Δ strictly
//   increasing, slopes non-increasing (concave: diminishing returns); flat after the last
//   point (spending more buys nothing);
// - saturating: cost = a·Δ / (cap − Δ), i.e. Δ(x) = cap·x / (a + x), a > 0, cap > 0.
//
// Method: greedy marginal allocation. The budget is cut into increments of `step`; each
// increment goes to the lever whose next increment raises the KPI most (every candidate is
// solved exactly); it stops early when no increment helps. The optimum is the KPI at the
// final allocation; the marginal value of budget is the best gain of one more increment /
// step. Greedy is EXACT (optimal among allocations on the step grid) when the KPI is a sum
// of concave functions of each lever's spend (separable concave returns): e.g. the entry
// rate or the value rate against source rates into different stages. When levers interact
// (conversions in series multiply) it is a heuristic; the tests measure its gap to brute
// force on small cases. cycle_time is minimised, every other KPI maximised.
#ifndef SALESPIPE_KEYLINKS_REALLOCATE_HPP
#define SALESPIPE_KEYLINKS_REALLOCATE_HPP

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <salespipe/keylinks/kpi.hpp>
#include <salespipe/keylinks/lever.hpp>

namespace salespipe {
namespace keylinks {

/// Spend → relative improvement (see the header comment).
struct cost_curve {
  enum class kind { piecewise, saturating };
  kind type = kind::saturating;
  std::vector<std::pair<double, double>> points;  ///< piecewise: (spend, Δ), from (0, 0)
  double a = 1, cap = 0;                          ///< saturating: Δ(x) = cap·x / (a + x)

  static cost_curve piecewise_linear(std::vector<std::pair<double, double>> pts) {
    cost_curve c;
    c.type = kind::piecewise;
    if (pts.empty() || pts.front().first != 0) pts.insert(pts.begin(), {0.0, 0.0});
    c.points = std::move(pts);
    return c;
  }
  static cost_curve saturating(double a_, double cap_) {
    cost_curve c;
    c.type = kind::saturating;
    c.a = a_;
    c.cap = cap_;
    return c;
  }
  /// Δ(x) for spend x >= 0.
  double effect(double x) const noexcept {
    if (type == kind::saturating) return cap * x / (a + x);
    for (std::size_t i = 1; i < points.size(); ++i)
      if (x <= points[i].first) {
        const auto& [x0, y0] = points[i - 1];
        const auto& [x1, y1] = points[i];
        return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
      }
    return points.back().second;
  }
  /// Throws invalid_model naming `lever` unless the curve is increasing and concave.
  void check(const std::string& lever_name) const {
    const std::string who = "lever '" + lever_name + "': cost curve ";
    auto n = [](double x) { return salespipe::detail::num(x); };
    if (type == kind::saturating) {
      if (!(a > 0 && std::isfinite(a))) throw invalid_model(who + "a = " + n(a) + " must be > 0");
      if (!(cap > 0 && std::isfinite(cap)))
        throw invalid_model(who + "is not increasing (cap = " + n(cap) + ", must be > 0)");
      return;
    }
    if (points.size() < 2) throw invalid_model(who + "needs at least one point after (0, 0)");
    if (points.front().second != 0) throw invalid_model(who + "must start at (0, 0)");
    double slope = std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i < points.size(); ++i) {
      const auto& [x0, y0] = points[i - 1];
      const auto& [x1, y1] = points[i];
      if (!(x1 > x0) || !std::isfinite(x1))
        throw invalid_model(who + "spends must increase: " + n(x0) + " then " + n(x1));
      if (!(y1 > y0) || !std::isfinite(y1))
        throw invalid_model(who + "is not increasing: effect " + n(y0) + " at " + n(x0) + " then " + n(y1) + " at " +
                            n(x1));
      const double sl = (y1 - y0) / (x1 - x0);
      if (sl > slope * (1 + 1e-12))
        throw invalid_model(who + "is not concave (returns must diminish): slope rises to " + n(sl) + " after spend " +
                            n(x0));
      slope = sl;
    }
  }
};

/// A lever that budget can be spent on.
struct budget_lever {
  std::string lever;   ///< lever name (lever.hpp)
  double current = 0;  ///< spend now (>= 0), already reflected in the model
  cost_curve curve;
};

/// Options of allocate_budget().
struct allocation_options {
  double step = 0;              ///< budget increment (> 0); 0 = budget / 100
  double withdraw_loss = 0.01;  ///< current spend is withdrawable when its loss < this × |KPI|
};

/// Per lever: the allocation and what withdrawing its current spend would cost.
struct lever_allocation {
  std::string lever;
  double current = 0, extra = 0;  ///< spend now, extra spend allocated
  double factor = 1;              ///< θ multiplier at current + extra
  double withdraw_loss = 0;       ///< KPI loss (>0 = worse) if current spend goes to 0, others as now
  bool withdrawable = false;      ///< current > 0 and withdraw_loss < withdraw_loss option × |KPI|
};

/// The result of allocate_budget().
struct allocation {
  std::string kpi;
  double budget = 0, step = 0, spent = 0;
  double base = 0;            ///< KPI now
  double optimum = 0;         ///< KPI at the allocation
  double marginal_value = 0;  ///< KPI gain per unit of budget of one more increment (>= 0)
  std::vector<lever_allocation> levers;
  std::size_t evaluations = 0;  ///< models solved
};

namespace detail {

// The parameter changes of spending spends[i] on lever ls[i] (resolved as ps[i]), relative
// to its current spend; levers whose effect does not move are left out.
inline std::vector<parameter_change> changes_at_spend(const std::vector<parameter>& ps,
                                                      const std::vector<budget_lever>& ls,
                                                      const std::vector<double>& spends) {
  std::vector<parameter_change> out;
  for (std::size_t i = 0; i < ls.size(); ++i) {
    const double d = ls[i].curve.effect(spends[i]) - ls[i].curve.effect(ls[i].current);
    if (d != 0) out.push_back({ps[i], 1 + ps[i].improving_sign() * d});
  }
  return out;
}

inline std::vector<parameter> resolve_levers(const pipeline& pl, const std::vector<budget_lever>& ls) {
  std::vector<parameter> out;
  for (const auto& b : ls) out.push_back(find_parameter(pl, b.lever));
  return out;
}

}  // namespace detail

/// The model of `pl` with each lever's spend set to spends[i] (relative to its current).
/// Throws invalid_model (an unknown lever, a change outside [0, 1], naming the lever).
inline model model_at_spend(const pipeline& pl, const std::vector<budget_lever>& ls,
                            const std::vector<double>& spends) {
  model m = pl.model();
  for (const auto& c : detail::changes_at_spend(detail::resolve_levers(pl, ls), ls, spends))
    scale_in_place(m, c.what, c.factor);
  return m;
}

/// Greedy marginal allocation of `budget` over `levers` maximising `k` (minimising
/// cycle_time); see the header comment. Throws invalid_option (budget < 0 or not finite,
/// step <= 0 or above the budget, withdraw_loss < 0), invalid_model (unknown lever, bad cost
/// curve, current < 0, a change pushing a probability outside [0, 1]), like evaluate().
inline allocation allocate_budget(const pipeline& pl, const kpi_spec& k, const std::vector<budget_lever>& levers,
                                  double budget, const allocation_options& opt = {}) {
  if (!(budget >= 0) || !std::isfinite(budget))
    throw invalid_option("budget must be >= 0, got " + salespipe::detail::num(budget));
  if (!(opt.withdraw_loss >= 0)) throw invalid_option("withdraw_loss must be >= 0");
  const std::vector<parameter> ps = detail::resolve_levers(pl, levers);  // once: by index from here on
  for (const auto& b : levers) {
    b.curve.check(b.lever);
    if (!(b.current >= 0)) throw invalid_model("lever '" + b.lever + "': current spend must be >= 0");
  }
  const double step = opt.step > 0 ? opt.step : budget / 100;
  if (budget > 0 && !(step > 0 && step <= budget))
    throw invalid_option("step must be in (0, budget], got " + salespipe::detail::num(opt.step));
  const double sign = k.kind == kpi_kind::cycle_time ? -1.0 : 1.0;
  allocation a;
  a.kpi = describe(k, pl.node_id(kpi_node(pl, k)));
  a.budget = budget;
  a.step = step;
  std::vector<double> x(levers.size());
  for (std::size_t i = 0; i < levers.size(); ++i) x[i] = levers[i].current;
  auto kpi_at = [&](const std::vector<double>& s) {
    ++a.evaluations;
    return evaluate(with(pl, detail::changes_at_spend(ps, levers, s)), k);  // one copy, one validation
  };
  a.base = evaluate(pl, k);
  ++a.evaluations;
  double now = a.base;
  // Best next increment: (lever, KPI after it); lever = size() when none helps.
  auto best_step = [&](double amount, double& best_kpi) {
    std::size_t best = levers.size();
    double gain = 0;
    for (std::size_t i = 0; i < levers.size(); ++i) {
      std::vector<double> y = x;
      y[i] += amount;
      const double v = kpi_at(y);
      if (sign * (v - now) > gain) gain = sign * (v - now), best = i, best_kpi = v;
    }
    return best;
  };
  const auto n = budget > 0 ? static_cast<std::size_t>(std::ceil(budget / step - 1e-9)) : 0;
  for (std::size_t t = 0; t < n; ++t) {
    const double amount = std::min(step, budget - a.spent);
    double v = now;
    const std::size_t i = best_step(amount, v);
    if (i == levers.size()) break;
    x[i] += amount;
    a.spent += amount;
    now = v;
  }
  a.optimum = now;
  if (step > 0) {
    double v = now;
    a.marginal_value = best_step(step, v) < levers.size() ? sign * (v - now) / step : 0.0;
  }
  for (std::size_t i = 0; i < levers.size(); ++i) {
    lever_allocation la;
    la.lever = levers[i].lever;
    la.current = levers[i].current;
    la.extra = x[i] - levers[i].current;
    la.factor = 1 + ps[i].improving_sign() * (levers[i].curve.effect(x[i]) - levers[i].curve.effect(la.current));
    if (la.current > 0) {
      std::vector<double> y(levers.size());
      for (std::size_t j = 0; j < levers.size(); ++j) y[j] = levers[j].current;
      y[i] = 0;
      la.withdraw_loss = sign * (a.base - kpi_at(y));
      la.withdrawable = la.withdraw_loss < opt.withdraw_loss * std::abs(a.base);
    }
    a.levers.push_back(std::move(la));
  }
  return a;
}

}  // namespace keylinks
}  // namespace salespipe

#endif  // SALESPIPE_KEYLINKS_REALLOCATE_HPP
