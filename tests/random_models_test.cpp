// Property test over randomly generated models (issue #18): loops, competing routes with
// their own durations, every duration family, on-enter and on-take values, rewards, open
// pipeline with ages, rate schedules. For every model:
//   1. the exact forecast against Monte Carlo, entries per node and period: |exact − MC|
//      within 4 SE (+ 1e-3 of the node's largest per-period flow for the lattice's O(h));
//   2. the steady state against a long simulation without schedules or open deals: the
//      mean entry rate of every node over the last periods, within 4 SE + the transient
//      still under way at that time (Chebyshev on the time to absorption: Var/(t − E)²);
//   3. no NaN, no infinity and no probability outside [0, 1] anywhere in the library's
//      JSON of the steady state, coverage, forecast and simulation summary.
// 4-SE checks are many, so a few exceed 4 SE by chance (P = 6.3e-5 each): the test fails
// when more exceed than chance allows (Poisson, P < 1e-6) or any exceeds 6 SE. Models and
// seeds are fixed, so the outcome is the same every run.
// CI runs 50 models; SALESPIPE_RANDOM_MODELS=1000 (nightly-style) runs more.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <salespipe/analytic/coverage.hpp>
#include <salespipe/analytic/forecast.hpp>
#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/funnel.hpp>
#include <salespipe/io/json.hpp>
#include <salespipe/io/json_analytic.hpp>
#include <salespipe/io/json_forecast.hpp>
#include <salespipe/io/json_simulate.hpp>
#include <salespipe/random.hpp>
#include <salespipe/simulate/engine.hpp>
#include <salespipe/simulate/summary.hpp>

using namespace salespipe;
namespace an = salespipe::analytic;
namespace sim = salespipe::simulate;

namespace {

struct generator {
  random_engine rng;
  double u() { return rng.uniform(); }
  double in(double a, double b) { return a + (b - a) * u(); }
  std::size_t pick(std::size_t n) { return std::min(n - 1, static_cast<std::size_t>(u() * static_cast<double>(n))); }

  // A duration of mean in [0.2, 1.5], any family; fixed and uniform off the period grid.
  distribution duration() {
    const double m = in(0.2, 1.5);
    switch (pick(7)) {
      case 0: return exponential_dist(m);
      case 1: return gamma_dist::with_mean(in(0.5, 4), m);
      case 2: return lognormal_dist::with_mean_sd(m, in(0.2, 1.2) * m);
      case 3: {
        const double k = in(0.7, 3);
        return weibull_dist(k, m / std::tgamma(1 + 1 / k));
      }
      case 4: return fixed_dist(m + 0.013);
      case 5: return uniform_dist(0.1 * m, 1.9 * m);
      default: {
        std::vector<double> s;
        for (std::size_t i = 0, n = 2 + pick(6); i < n; ++i) s.push_back(in(0.05, 2 * m));
        return empirical_dist(std::move(s));
      }
    }
  }
  static bool has_atom(const distribution& d) {
    return d.get_if<fixed_dist>() != nullptr || d.get_if<empirical_dist>() != nullptr;
  }
  distribution value() {
    return u() < 0.5 ? distribution(fixed_dist(in(1, 100))) : lognormal_dist::with_mean_sd(50, 30);
  }

  model make() {
    model m;
    const std::size_t S = 2 + pick(5);
    auto id = [](std::size_t s) { return "s" + std::to_string(s); };
    for (std::size_t s = 0; s < S; ++s) {
      auto& st = m.add_stage(id(s), duration());
      double left = 1;
      const std::size_t R = 1 + pick(3);
      for (std::size_t r = 0; r < R; ++r) {
        // Forward mostly; a loop back (or to itself) now and then, kept small.
        std::string to;
        double p;
        if (s + 1 < S && u() < 0.7) {
          to = id(s + 1 + pick(S - s - 1)), p = in(0.2, 0.7) * left;
        } else if (u() < 0.3) {
          to = id(pick(s + 1)), p = std::min(left, in(0.05, 0.25));
        } else {
          to = u() < 0.5 ? "won" : "lost", p = in(0.1, 0.6) * left;
        }
        if (u() < 0.3)
          st.to(to, p, duration());  // a competing route with its own duration
        else
          st.to(to, p);
        if (u() < 0.15) st.on_take(value());
        left -= p;
      }
      if (u() < 0.3) st.value_on_enter(value());
      if (u() < 0.2) st.reward(in(1, 10));
    }
    m.add_outcome("won").on_enter = value();
    m.add_outcome("lost");
    auto& src = m.add_source(id(0), in(2, 40));
    if (u() < 0.3) src.from(in(0.5, 4), in(0, 40));
    if (u() < 0.3) m.add_source(id(pick(S)), in(1, 10));
    // Open deals sit in stages without atoms (fixed, empirical): n deals of one age in a
    // fixed-duration stage all leave at one instant, which the forecast's lattice places
    // to within h = 1/32 period, so near a period boundary a whole class can land in the
    // neighbouring period (README, "Exact forecast": the known limitation, measured here
    // with SALESPIPE_RANDOM_MODELS_ATOMS=1).
    std::vector<std::size_t> smooth;
    for (std::size_t s = 0; s < S; ++s) {
      bool atom = has_atom(m.stages[s].duration);
      for (const auto& r : m.stages[s].routes) atom = atom || (r.duration && has_atom(*r.duration));
      if (!atom || std::getenv("SALESPIPE_RANDOM_MODELS_ATOMS")) smooth.push_back(s);
    }
    if (!smooth.empty() && u() < 0.6) {
      const std::string st = id(smooth[pick(smooth.size())]);
      if (u() < 0.5)
        m.add_open(st, 1 + pick(40), in(0, 1));
      else
        m.add_open(st, {in(0, 1), in(0, 2), 0.0, in(0, 0.5)});
    }
    m.set_target("won", in(0.5, 10));
    return m;
  }
};

struct tally {
  std::size_t checks = 0, over4 = 0, skipped_steady = 0;
  double worst = 0;
  std::string worst_what;
  void add(double exact, double mc, double se, double allowance, const std::string& what) {
    ++checks;
    const double z = std::abs(exact - mc) / std::max(se, 1e-12);
    const double excess = std::abs(exact - mc) - allowance;
    if (excess > 4 * se) {
      ++over4;
      if (std::getenv("SALESPIPE_RANDOM_MODELS_VERBOSE"))
        std::cout << what << ": exact " << exact << ", MC " << mc << " +- " << se << "\n";
    }
    const double zx = excess / std::max(se, 1e-12);
    if (zx > worst) worst = zx, worst_what = what + " (|z| " + std::to_string(z) + ")";
  }
};

// Every number in j is finite; every value under a key naming a probability is in [0, 1];
// null only where the README documents it (a time to an outcome never reached, a coverage
// ratio with nothing required, no loophole).
void check_json(const nlohmann::ordered_json& j, const std::string& where, bool prob, bool nullable, std::size_t& bad,
                std::string& first) {
  auto flag = [&](const std::string& what) {
    if (!bad++) first = where + ": " + what;
    if (std::getenv("SALESPIPE_RANDOM_MODELS_VERBOSE")) std::cout << "JSON: " << where << ": " << what << "\n";
  };
  if (j.is_number()) {
    const double x = j.get<double>();
    if (!std::isfinite(x)) flag("not finite");
    if (prob && !(x >= -1e-12 && x <= 1 + 1e-12)) flag("probability " + std::to_string(x));
  } else if (j.is_null()) {
    if (!nullable) flag("null where a number is documented");
  } else if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& k = it.key();
      const bool p = k == "probability" || k.rfind("p_", 0) == 0 || k == "share" || k == "absorption";
      const bool n = k == "mean_time_to_outcome" || k == "mean_time_from_source" || k == "ratio" || k == "loophole";
      check_json(it.value(), where + "/" + k, p || prob, n || nullable, bad, first);
    }
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      check_json(j[i], where + "/" + std::to_string(i), prob, nullable, bad, first);
  }
}

std::size_t model_count() {
  if (const char* e = std::getenv("SALESPIPE_RANDOM_MODELS")) return static_cast<std::size_t>(std::stoul(e));
  return 50;
}

}  // namespace

TEST_CASE("random models: exact forecast vs Monte Carlo, steady state vs long run, clean JSON") {
  const std::size_t N = model_count(), H = 6;
  tally forecast_t, steady_t;
  std::size_t json_bad = 0, refused = 0;
  std::string json_first;
  for (std::size_t i = 0; i < N; ++i) {
    generator g{random_engine(2026, i)};
    model m = g.make();
    const std::string name = "model " + std::to_string(i);
    if (const char* d = std::getenv("SALESPIPE_RANDOM_MODELS_DUMP"); d && std::to_string(i) == d)
      std::cout << io::write_model(m) << "\n";
    std::optional<pipeline> maybe;
    try {
      try {
        maybe.emplace(m);
      } catch (const invalid_model&) {  // an open deal older than its stage allows: age 0
        for (auto& o : m.open_pipeline) {
          o.age = 0;
          for (auto& a : o.ages) a = 0;
        }
        maybe.emplace(m);
      }
    } catch (const singular_model&) {  // a loop with no way out: refused by design
      ++refused;
      continue;
    }
    const pipeline& p = *maybe;

    // 1. Exact forecast vs Monte Carlo per node and period.
    const auto f = an::forecast(p, H);
    sim::options o;
    o.periods = H;
    o.replications = 2000;
    o.seed = 11 + i;
    o.threads = 2;
    const auto r = sim::run(p, o);
    for (std::size_t v = 0; v < p.node_count(); ++v) {
      double scale = 0;  // the node's largest per-period flow: the lattice's O(h) is relative to it
      for (std::size_t k = 0; k < H; ++k) scale = std::max(scale, f.entries(v, k));
      for (std::size_t k = 0; k < H; ++k) {
        const auto s = sim::summarize(r, sim::quantity::entries, v, {k, k + 1});
        const double x = f.entries(v, k);
        // A rare event seen 0 times has sample SE 0: floor it at the exact mean's Poisson SE.
        const double se = std::max(s.standard_error, std::sqrt(x / static_cast<double>(o.replications)));
        forecast_t.add(x, s.mean, se, 1e-3 * scale,
                       name + " entries into " + p.node_id(v) + " period " + std::to_string(k));
      }
    }

    // 2. Steady state vs a long run (constant rates, empty start).
    model c = m;
    for (auto& src : c.sources) src.schedule.clear();
    c.open_pipeline.clear();
    const pipeline pc(c);
    const auto ss = an::solve_steady_state(pc);
    double E = 0, V = 0;
    for (const auto& src : pc.sources()) {
      E = std::max(E, ss.stages[src.stage_node].mean_time_to_absorption);
      V = std::max(V, ss.stages[src.stage_node].var_time_to_absorption);
    }
    const double t0 = E + std::sqrt(V / 1e-3);  // P(still absorbing at t0) <= 1e-3
    const auto warm = static_cast<std::size_t>(std::ceil(t0));
    if (warm > 400) {
      ++steady_t.skipped_steady;
    } else {
      sim::options lo;
      lo.periods = warm + 4;
      lo.replications = 400;
      lo.seed = 101 + i;
      lo.threads = 2;
      lo.record.reward = lo.record.value = false;
      const auto lr = sim::run(pc, lo);
      const double len = 4;
      for (std::size_t v = 0; v < pc.node_count(); ++v) {
        const auto s = sim::summarize(lr, sim::quantity::entries, v, {warm, warm + 4});
        const double rate = ss.entry_rate(v);
        // Entries over [warm, warm + 4) fall short of the steady state by at most the share
        // of deals still under way: rate × 1e-3 × (visits bound) — allow 2e-3 × rate.
        steady_t.add(rate, s.mean / len, s.standard_error / len, 2e-3 * rate + 1e-9,
                     name + " steady entry rate of " + pc.node_id(v));
      }
    }

    // 3. The library's JSON: finite numbers, probabilities in [0, 1].
    nlohmann::ordered_json j;
    j["steady_state"] = ss;
    try {
      j["coverage"] = an::solve_coverage(p);
    } catch (const error& e) {  // 'won' not reachable from a source: a clear refusal
      CHECK(std::string(e.what()).find("cannot be reached from any source") != std::string::npos);
    }
    j["forecast"] = io::forecast_nodes_json(f, io::forecast_counts(p, f));
    j["simulation"] = sim::summarize(r, sim::quantity::entries, p.target()->node_index, {0, H});
    check_json(j, name, false, false, json_bad, json_first);
  }
  // Poisson(checks × 6.3e-5) exceeds this with P < 1e-6.
  auto allowed = [](std::size_t checks) {
    const double lam = static_cast<double>(checks) * 6.334e-5;
    double pk = std::exp(-lam), tail = 1 - pk;
    std::size_t k = 0;
    while (tail > 1e-6) pk *= lam / static_cast<double>(++k), tail -= pk;
    return k;
  };
  std::cout << "random models: " << N << " generated, " << refused << " refused as singular; forecast vs MC "
            << forecast_t.checks << " checks, " << forecast_t.over4 << " beyond 4 SE (allowed "
            << allowed(forecast_t.checks) << "), worst " << forecast_t.worst << " SE: " << forecast_t.worst_what
            << "; steady vs long run " << steady_t.checks << " checks, " << steady_t.over4 << " beyond 4 SE (allowed "
            << allowed(steady_t.checks) << "), " << steady_t.skipped_steady << " models with too slow a transient"
            << ", worst " << steady_t.worst << " SE: " << steady_t.worst_what << "\n";
  CHECK(refused < N / 5);
  CHECK(forecast_t.over4 <= allowed(forecast_t.checks));
  CHECK(forecast_t.worst < 6);
  CHECK(steady_t.over4 <= allowed(steady_t.checks));
  CHECK(steady_t.worst < 6);
  CHECK(steady_t.skipped_steady < N / 5);
  CHECK_MESSAGE(json_bad == 0, json_first);
}
