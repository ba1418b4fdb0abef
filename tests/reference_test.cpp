// Published reference cases (SALESPIPE_SHARED_DIR/reference/reference_cases.json) through
// the public API:
// - every `absorbing_markov` case: the discrete chain becomes stages with fixed duration
//   1 (row i: a route to transient j with Q[i][j], to outcome k with R[i][k]); N, t and
//   B are checked within the case's tolerance, and N, t, B, var_steps against the exact
//   rationals of `computed_exact` (1e-12 relative);
// - every `littles_law` and `queue_mm1` case: salespipe stages are infinite-server (no
//   queueing), so the M/M/1 formulas are NOT modelled. A stage is given the published
//   mean time W (or Wq, or the service time 1/μ) and its arrival rate λ, and the engine's
//   WIP is checked against the published L = λW (Lq = λWq; ρ = λ/μ is the server's WIP,
//   so p0 = 1 − ρ), and W = L/λ.
#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/pipeline.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace sp = salespipe;
namespace an = salespipe::analytic;
using nlohmann::json;

namespace {

json load_cases() {
  const std::string path = std::string(SALESPIPE_SHARED_DIR) + "/reference/reference_cases.json";
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  return json::parse(in);
}

// "3/2", "0.80", 1.5 → double.
double number(const json& v) {
  if (v.is_number()) return v.get<double>();
  const std::string s = v.get<std::string>();
  const auto slash = s.find('/');
  if (slash == std::string::npos) return std::stod(s);
  return std::stod(s.substr(0, slash)) / std::stod(s.substr(slash + 1));
}

// Tolerance for entry `i` of `field`: tol is a number, or {field: number | [per entry]}.
double tolerance(const json& tol, const std::string& field, std::size_t i, double fallback) {
  if (tol.is_number()) return tol.get<double>();
  if (!tol.is_object() || !tol.contains(field)) return fallback;
  const json& t = tol.at(field);
  return t.is_array() ? t.at(i).get<double>() : t.get<double>();
}

bool close_rel(double x, double expected, double rel) {
  return std::abs(x - expected) <= rel * std::max(1.0, std::abs(expected));
}

struct chain_case {
  sp::pipeline pl;
  an::steady_state ss;
  std::vector<std::size_t> outcome_k;  // column k of R → outcome index in ss
};

chain_case build_chain(const json& c) {
  const json& in = c.at("inputs");
  const auto transient = in.at("transient").get<std::vector<std::string>>();
  const auto absorbing = in.at("absorbing").get<std::vector<std::string>>();
  sp::model m;
  m.name = c.at("id").get<std::string>();
  for (std::size_t i = 0; i < transient.size(); ++i) {
    auto& st = m.add_stage(transient[i], sp::fixed_dist(1));
    for (std::size_t j = 0; j < transient.size(); ++j) {
      const double q = number(in.at("Q").at(i).at(j));
      if (q > 0) st.to(transient[j], q);
    }
    for (std::size_t k = 0; k < absorbing.size(); ++k) {
      const double r = number(in.at("R").at(i).at(k));
      if (r > 0) st.to(absorbing[k], r);
    }
  }
  for (const auto& a : absorbing) m.add_outcome(a);
  sp::pipeline pl(m);
  an::steady_state ss = an::solve_steady_state(pl);
  std::vector<std::size_t> ks;
  for (const auto& a : absorbing) ks.push_back(ss.outcome(a).node - ss.stage_count());
  return {std::move(pl), std::move(ss), std::move(ks)};
}

void check_absorbing_markov(const json& c) {
  const std::string id = c.at("id").get<std::string>();
  INFO("case " << id);
  const chain_case cc = build_chain(c);
  const an::steady_state& ss = cc.ss;
  const std::size_t S = ss.stage_count();
  const json& exp = c.at("expected");
  const json& tol = c.at("tol");

  REQUIRE(exp.contains("N"));
  for (std::size_t i = 0; i < S; ++i)
    for (std::size_t j = 0; j < S; ++j) {
      INFO("N[" << i << "][" << j << "]");
      CHECK(std::abs(ss.visits(i, j) - number(exp["N"][i][j])) <= tolerance(tol, "N", i, 0));
    }
  REQUIRE(exp.contains("t"));
  for (std::size_t i = 0; i < S; ++i) {
    INFO("t[" << i << "]");
    CHECK(std::abs(ss.stages[i].mean_time_to_absorption - number(exp["t"][i])) <= tolerance(tol, "t", i, 0));
  }
  // B: published, or derived in the case (AMC-4).
  const json* B = exp.contains("B") ? &exp["B"] : (c.contains("derived") ? &c["derived"]["B"] : nullptr);
  REQUIRE(B != nullptr);
  for (std::size_t i = 0; i < S; ++i)
    for (std::size_t k = 0; k < cc.outcome_k.size(); ++k) {
      INFO("B[" << i << "][" << k << "]");
      CHECK(std::abs(ss.stages[i].p_absorb[cc.outcome_k[k]] - number((*B)[i][k])) <= tolerance(tol, "B", i, 0));
    }

  // Exact rationals, 1e-12 relative.
  REQUIRE(c.contains("computed_exact"));
  const json& ex = c.at("computed_exact");
  for (std::size_t i = 0; i < S; ++i) {
    INFO("exact row " << i);
    for (std::size_t j = 0; j < S; ++j) CHECK(close_rel(ss.visits(i, j), number(ex["N"][i][j]), 1e-12));
    CHECK(close_rel(ss.stages[i].mean_time_to_absorption, number(ex["t"][i]), 1e-12));
    for (std::size_t k = 0; k < cc.outcome_k.size(); ++k)
      CHECK(close_rel(ss.stages[i].p_absorb[cc.outcome_k[k]], number(ex["B"][i][k]), 1e-12));
    if (ex.contains("var_steps"))
      CHECK(close_rel(ss.stages[i].var_time_to_absorption, number(ex["var_steps"][i]), 1e-12));
  }
}

// One stage per (rate, mean time): the engine's WIP is L = λW.
double wip_of(double lambda, double w) {
  sp::model m;
  m.add_stage("stage", sp::exponential_dist(w)).to("done", 1);
  m.add_outcome("done");
  m.add_source("stage", lambda);
  return an::solve_steady_state(sp::pipeline(m)).stages[0].wip;
}

void check_littles_law(const json& c) {
  const std::string id = c.at("id").get<std::string>();
  INFO("case " << id);
  const json& in = c.at("inputs");
  const json& exp = c.at("expected");
  const json& tol = c.at("tol");
  auto t = [&](const std::string& f) { return tolerance(tol, f, 0, 0); };
  if (id == "LL-1") {
    // Given λ = 8/month and L = 160: a stage holding bottles for the published W.
    const double lambda = in.at("lam_per_month").get<double>(), L = in.at("L").get<double>();
    const double W = exp.at("W_months").get<double>();
    CHECK(std::abs(wip_of(lambda, W) - L) <= t("W_months") * L);  // L = λW
    CHECK(std::abs(L / lambda - W) <= t("W_months"));             // W = L/λ
  } else if (id == "LL-2" || id == "Q-1" || id == "Q-2") {
    const double lambda = in.contains("lam_per_min") ? in["lam_per_min"].get<double>() : in["lam"].get<double>();
    const double mu = in.contains("mu_per_min") ? in["mu_per_min"].get<double>() : in["mu"].get<double>();
    // The server as an infinite-server stage of mean 1/μ: its WIP is ρ = λ/μ (busy share).
    const double rho = wip_of(lambda, 1 / mu);
    if (exp.contains("rho")) CHECK(std::abs(rho - exp["rho"].get<double>()) <= t("rho"));
    if (exp.contains("p0")) CHECK(std::abs((1 - rho) - exp["p0"].get<double>()) <= t("p0"));
    // System and queue: stages with the published W and Wq.
    if (exp.contains("W") && exp.contains("L")) {
      CHECK(std::abs(wip_of(lambda, exp["W"].get<double>()) - exp["L"].get<double>()) <= t("L"));
      CHECK(std::abs(exp["L"].get<double>() / lambda - exp["W"].get<double>()) <= t("W"));
    }
    if (exp.contains("Wq") && exp.contains("Lq")) {
      CHECK(std::abs(wip_of(lambda, exp["Wq"].get<double>()) - exp["Lq"].get<double>()) <= t("Lq"));
      CHECK(std::abs(exp["Lq"].get<double>() / lambda - exp["Wq"].get<double>()) <= t("Wq"));
    }
    // Queue then service in series: total WIP = L, mean time in system = W.
    if (exp.contains("Wq") && exp.contains("L")) {
      sp::model m;
      m.add_stage("queue", sp::exponential_dist(exp["Wq"].get<double>())).to("service", 1);
      m.add_stage("service", sp::exponential_dist(1 / mu)).to("done", 1);
      m.add_outcome("done");
      m.add_source("queue", lambda);
      const an::steady_state ss = an::solve_steady_state(sp::pipeline(m));
      CHECK(std::abs(ss.wip - exp["L"].get<double>()) <= t("L"));
      if (exp.contains("W")) CHECK(std::abs(ss.stages[0].mean_time_to_absorption - exp["W"].get<double>()) <= t("W"));
    }
  } else {
    FAIL("reference case " << id << " (" << c.at("topic").get<std::string>()
                           << ") has no Little's-law mapping in this test: add one");
  }
}

}  // namespace

TEST_CASE("every absorbing_markov reference case") {
  const json cases = load_cases();
  std::set<std::string> seen;
  for (const auto& c : cases)
    if (c.at("topic") == "absorbing_markov") {
      check_absorbing_markov(c);
      seen.insert(c.at("id").get<std::string>());
    }
  CHECK(seen.count("AMC-1") == 1);
  CHECK(seen.count("AMC-4") == 1);
}

TEST_CASE("every littles_law and queue_mm1 reference case (L = λW on infinite-server stages)") {
  const json cases = load_cases();
  std::set<std::string> seen;
  for (const auto& c : cases)
    if (c.at("topic") == "littles_law" || c.at("topic") == "queue_mm1") {
      check_littles_law(c);
      seen.insert(c.at("id").get<std::string>());
    }
  CHECK(seen.count("LL-1") == 1);
  CHECK(seen.count("LL-2") == 1);
  CHECK(seen.count("Q-1") == 1);
  CHECK(seen.count("Q-2") == 1);
}
