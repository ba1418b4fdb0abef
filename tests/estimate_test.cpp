// Tests of estimate/: Kaplan–Meier and Beta–binomial against the published reference
// cases, censored duration fits, parameter recovery from synthetic CRM data, bad input.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <salespipe/date.hpp>
#include <salespipe/detail/samplers.hpp>
#include <salespipe/estimate/beta_posterior.hpp>
#include <salespipe/estimate/duration_fit.hpp>
#include <salespipe/estimate/kaplan_meier.hpp>
#include <salespipe/estimate/opportunities.hpp>
#include <salespipe/io/csv.hpp>
#include <salespipe/io/opportunity_csv.hpp>
#include <salespipe/io/stage_history_csv.hpp>
#include <salespipe/pipeline.hpp>
#include <salespipe/random.hpp>

namespace est = salespipe::estimate;
using salespipe::parse_error;

namespace {

nlohmann::json reference_cases(const std::string& topic) {
  std::ifstream in(std::string(SALESPIPE_SHARED_DIR) + "/reference/reference_cases.json");
  REQUIRE(in.good());
  nlohmann::json all = nlohmann::json::parse(in), out = nlohmann::json::array();
  for (const auto& c : all)
    if (c.at("topic") == topic) out.push_back(c);
  return out;
}

}  // namespace

TEST_CASE("Kaplan-Meier: every reference case within its tolerances") {
  const auto cases = reference_cases("kaplan_meier");
  REQUIRE(cases.size() >= 2);
  for (const auto& c : cases) {
    INFO(c.at("id").get<std::string>());
    const auto times = c.at("inputs").at("times").get<std::vector<double>>();
    std::vector<bool> events;
    for (int e : c.at("inputs").at("events").get<std::vector<int>>()) events.push_back(e != 0);
    const auto km = est::kaplan_meier(times, events);
    const auto& ex = c.at("expected");
    const auto& tol = c.at("tol");
    REQUIRE(km.steps.size() == ex.at("time").size());
    for (std::size_t i = 0; i < km.steps.size(); ++i) {
      const auto& s = km.steps[i];
      CHECK(s.time == ex.at("time")[i].get<double>());
      CHECK(s.n_risk == ex.at("n_risk")[i].get<std::size_t>());
      if (ex.contains("n_event")) CHECK(s.n_event == ex.at("n_event")[i].get<std::size_t>());
      CHECK(std::abs(s.surv - ex.at("surv")[i].get<double>()) <= tol.at("surv").get<double>());
      if (ex.contains("std_err"))
        CHECK(std::abs(s.std_err - ex.at("std_err")[i].get<double>()) <= tol.at("std_err").get<double>());
      if (ex.contains("lower95"))
        CHECK(std::abs(s.lower - ex.at("lower95")[i].get<double>()) <= tol.at("lower95").get<double>());
      if (ex.contains("upper95"))
        CHECK(std::abs(s.upper - ex.at("upper95")[i].get<double>()) <= tol.at("upper95").get<double>());
    }
  }
}

TEST_CASE("Kaplan-Meier: curve helpers and bad input") {
  const auto km = est::kaplan_meier({1, 2, 3, 4}, {true, false, true, false});
  CHECK(km.survival(0.5) == 1.0);
  CHECK(km.survival(1) == doctest::Approx(0.75));
  CHECK(km.survival(3.5) == doctest::Approx(0.75 * 0.5));
  CHECK(km.median() == 3.0);
  CHECK_FALSE(km.quantile(0.9));  // plateau at 0.375
  CHECK(km.events == 2);
  CHECK_THROWS_AS(est::kaplan_meier({}, {}), salespipe::invalid_option);
  CHECK_THROWS_AS(est::kaplan_meier({1}, {true, false}), salespipe::invalid_option);
  CHECK_THROWS_AS(est::kaplan_meier({-1}, {true}), salespipe::invalid_option);
}

TEST_CASE("Beta-binomial: every reference case within its tolerances") {
  const auto cases = reference_cases("beta_binomial");
  REQUIRE(cases.size() >= 1);
  for (const auto& c : cases) {
    INFO(c.at("id").get<std::string>());
    const auto& in = c.at("inputs");
    const auto& ex = c.at("expected");
    const auto& tol = c.at("tol");
    const auto post = est::beta_binomial(in.at("successes").get<std::size_t>(), in.at("trials").get<std::size_t>(),
                                         in.at("prior_a").get<double>(), in.at("prior_b").get<double>());
    CHECK(std::abs(post.a - ex.at("post_a").get<double>()) <= tol.at("post_a").get<double>());
    CHECK(std::abs(post.b - ex.at("post_b").get<double>()) <= tol.at("post_b").get<double>());
    CHECK(std::abs(post.mean() - ex.at("mean").get<double>()) <= tol.at("mean").get<double>());
    CHECK(std::abs(post.sd() - ex.at("sd").get<double>()) <= tol.at("sd").get<double>());
    const auto ci = post.credible(0.95);
    CHECK(std::abs(ci.lower - ex.at("q025").get<double>()) <= tol.at("q025").get<double>());
    CHECK(std::abs(ci.upper - ex.at("q975").get<double>()) <= tol.at("q975").get<double>());
  }
  CHECK_THROWS_AS(est::beta_binomial(5, 4), salespipe::invalid_option);
  CHECK_THROWS_AS(est::beta_binomial(1, 4, 0, 1), salespipe::invalid_option);
}

TEST_CASE("Dirichlet: means sum to 1, marginals are the matching Betas") {
  const auto d = est::dirichlet_multinomial({30, 50, 20});
  const auto m = d.mean();
  CHECK(m[0] + m[1] + m[2] == doctest::Approx(1.0).epsilon(1e-15));
  CHECK(m[1] == doctest::Approx(51.0 / 103));
  const auto b = d.marginal(1), bb = est::beta_binomial(50, 100);
  CHECK(b.a == bb.a);
  CHECK(b.b == bb.b + 1);  // the other two routes' prior mass
  CHECK_THROWS_AS(est::dirichlet_multinomial({3}), salespipe::invalid_option);
}

TEST_CASE("duration fit: exponential closed form, censoring, AIC picks the true family") {
  salespipe::random_engine rng(11, 0);
  // exponential with censoring: MLE mean = total time / events
  {
    std::vector<double> t;
    std::vector<bool> e;
    for (int i = 0; i < 400; ++i) {
      const double x = salespipe::detail::exponential(rng, 10), c = 25 * rng.uniform();
      t.push_back(std::min(x, c));
      e.push_back(x <= c);
    }
    est::duration_fit_options o;
    o.families = {est::family::exponential};
    const auto f = est::fit_duration(t, e, o);
    double total = 0;
    std::size_t d = 0;
    for (std::size_t i = 0; i < t.size(); ++i) total += t[i], d += e[i];
    CHECK(f.chosen == est::family::exponential);
    CHECK(f.best()->params[0] == doctest::Approx(total / static_cast<double>(d)));
    CHECK(f.best()->ci[0].contains(10));
  }
  // each family, n = 3000 with ~30% independent censoring: AIC picks it, interval covers truth,
  // KS distance to the KM curve small
  struct truth {
    est::family f;
    double a, b;
  };
  for (const truth& tr : {truth{est::family::gamma, 2.0, 25.0}, truth{est::family::weibull, 0.7, 20.0},
                          truth{est::family::lognormal, 3.0, 0.8}}) {
    INFO(std::string(est::to_string(tr.f)));
    std::vector<double> t;
    std::vector<bool> e;
    for (int i = 0; i < 3000; ++i) {
      double x = 0;
      if (tr.f == est::family::gamma) x = salespipe::detail::gamma(rng, tr.a, tr.b);
      if (tr.f == est::family::weibull) x = salespipe::detail::weibull(rng, tr.a, tr.b);
      if (tr.f == est::family::lognormal) x = salespipe::detail::lognormal(rng, tr.a, tr.b);
      // independent censoring, about 30%
      const double c = rng.uniform() < 0.3 ? salespipe::detail::exponential(rng, 40.0) : 1e300;
      t.push_back(std::min(x, c));
      e.push_back(x <= c);
    }
    est::duration_fit_options o;
    o.level = 0.997;  // +-3 standard errors: one sample per family, so no coverage-rate check here
    const auto f = est::fit_duration(t, e, o);
    CHECK(f.chosen == tr.f);
    REQUIRE(f.best());
    INFO(f.best()->params[0] << " " << f.best()->params[1] << " [" << f.best()->ci[1].lower << ", "
                             << f.best()->ci[1].upper << "]");
    CHECK(f.best()->ci[0].contains(tr.a));
    CHECK(f.best()->ci[1].contains(tr.b));
    CHECK(f.ks < 0.03);
    for (const auto& c : f.candidates) CHECK(c.ok);
  }
  // few events: the empirical fallback, with a stated warning
  const auto small = est::fit_duration({1, 2, 3, 9}, {true, true, false, true});
  CHECK(small.chosen == est::family::empirical);
  CHECK(salespipe::mean(small.dist) == doctest::Approx(4.0));
  REQUIRE(small.warnings.size() == 1);
  CHECK(small.warnings[0].find("1 censored observations are not in it") != std::string::npos);
  CHECK_THROWS_AS(est::fit_duration({1, 2}, {false, false}), salespipe::invalid_option);
}

// ---------------------------------------------------------------- synthetic CRM data

namespace {

struct crm_truth {
  double rate = 2.0;  // deals per day
  int days = 540;
  double p_won = 0.6;
  double won_shape = 2.0, won_scale = 25.0;  // gamma, days
  double lost_shape = 0.9, lost_scale = 20.0;
  double value_mu = 7.0, value_sigma = 0.8;  // lognormal value of won deals
  double value_mean() const { return std::exp(value_mu + value_sigma * value_sigma / 2); }
};

const std::int64_t base_day = salespipe::parse_date("2020-01-01");

/// A Maven-shaped CSV: deals arrive as a Poisson process, take Won w.p. p_won, close
/// after a gamma time (rounded to whole days); deals not closed by the cutoff are open.
std::string make_crm(const crm_truth& tr, std::uint64_t seed) {
  using namespace salespipe;
  random_engine rng(seed, 0);
  std::ostringstream os;
  os << "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n";
  double t = 0;
  int id = 0;
  os << "P0,agent,prod,acc,Prospecting,,,\n";
  for (;;) {
    t += detail::exponential(rng, 1 / tr.rate);
    if (t >= tr.days) break;
    const std::int64_t start = base_day + static_cast<std::int64_t>(t);
    const bool won = rng.uniform() < tr.p_won;
    const double d =
        won ? detail::gamma(rng, tr.won_shape, tr.won_scale) : detail::gamma(rng, tr.lost_shape, tr.lost_scale);
    const std::int64_t close = start + static_cast<std::int64_t>(std::llround(d));
    const double value = detail::lognormal(rng, tr.value_mu, tr.value_sigma);
    os << "D" << ++id << ",\"Agent, A\",prod,acc,";
    if (close > base_day + tr.days)
      os << "Engaging," << salespipe::format_date(start) << ",,\n";
    else if (won)
      os << "Won," << salespipe::format_date(start) << "," << salespipe::format_date(close) << ","
         << std::llround(value) << "\n";
    else
      os << "Lost," << salespipe::format_date(start) << "," << salespipe::format_date(close) << ",0\n";
  }
  return os.str();
}

est::fit_result fit_text(const std::string& text, salespipe::io::opportunity_read_options ro = {},
                         est::fit_options fo = {}) {
  return est::fit_opportunities(salespipe::io::read_opportunities(salespipe::io::parse_csv(text, "crm.csv"), ro), fo);
}

}  // namespace

TEST_CASE("parameter recovery: synthetic CRM history with open deals at the cutoff") {
  const crm_truth tr;
  const std::map<std::string, double> truth{{"p(Engaging->Won)", tr.p_won},
                                            {"p(Engaging->Lost)", 1 - tr.p_won},
                                            {"Engaging->Won gamma shape", tr.won_shape},
                                            {"Engaging->Won gamma scale", tr.won_scale},
                                            {"Engaging->Lost gamma shape", tr.lost_shape},
                                            {"Engaging->Lost gamma scale", tr.lost_scale},
                                            {"source rate into Engaging", tr.rate},
                                            {"Won value mean", tr.value_mean()}};
  salespipe::io::opportunity_read_options ro;
  ro.as_of = base_day + tr.days;
  est::fit_options fo;
  fo.durations.families = {est::family::gamma};
  std::map<std::string, int> covered;
  const int reps = 8;
  for (int rep = 0; rep < reps; ++rep) {
    const auto r = fit_text(make_crm(tr, 100 + static_cast<std::uint64_t>(rep)), ro, fo);
    CHECK(r.report.open > 20);            // open deals at the cutoff are part of the test
    CHECK(r.report.skipped.size() == 1);  // the Prospecting row, reported
    std::size_t seen = 0;
    for (const auto& p : r.report.parameters) {
      auto it = truth.find(p.name);
      if (it == truth.end()) continue;
      ++seen;
      covered[p.name] += p.ci.contains(it->second) ? 1 : 0;
    }
    CHECK(seen == truth.size());
    CHECK_NOTHROW(salespipe::pipeline(r.fitted));
  }
  // 95% intervals: each parameter covered in at least 6 of 8 replications
  // (P(fewer) = 0.6% per parameter at exactly 95% coverage).
  for (const auto& [name, truth_value] : truth) {
    MESSAGE(name << " truth " << truth_value << " covered " << covered[name] << "/" << reps);
    CHECK(covered[name] >= 6);
  }
}

TEST_CASE("fit: model shape, units and per-route durations") {
  const crm_truth tr;
  salespipe::io::opportunity_read_options ro;
  ro.as_of = base_day + tr.days;
  est::fit_options fo;
  fo.unit = salespipe::time_unit::week;
  const auto r = fit_text(make_crm(tr, 7), ro, fo);
  const salespipe::pipeline pl(r.fitted);
  CHECK(pl.unit() == salespipe::time_unit::week);
  const auto& st = r.fitted.stages.at(0);
  REQUIRE(st.routes.size() == 2);
  CHECK(st.routes[0].to == "Won");
  CHECK(st.routes[0].p + st.routes[1].p == doctest::Approx(1.0).epsilon(1e-12));
  REQUIRE(st.routes[0].duration);
  // won mean 50 days = 7.14 weeks, lost mean 18 days = 2.57 weeks (10% tolerance)
  CHECK(salespipe::mean(*st.routes[0].duration) == doctest::Approx(50.0 / 7).epsilon(0.1));
  CHECK(salespipe::mean(*st.routes[1].duration) == doctest::Approx(18.0 / 7).epsilon(0.1));
  CHECK(r.fitted.sources.at(0).rate == doctest::Approx(14.0).epsilon(0.1));  // 2 per day
  REQUIRE(r.fitted.open_pipeline.size() == 1);
  CHECK(r.fitted.open_pipeline[0].size() == r.report.open);
  REQUIRE(r.fitted.outcomes.at(0).on_enter);
  CHECK(salespipe::mean(*r.fitted.outcomes[0].on_enter) == doctest::Approx(tr.value_mean()).epsilon(0.1));
  std::ostringstream os;
  est::print(os, r.report);
  CHECK(os.str().find("p(Engaging->Won)") != std::string::npos);
  CHECK(os.str().find("skipped 1 row(s): stage 'Prospecting': not yet in the fitted stage (line 2)") !=
        std::string::npos);
}

// ---------------------------------------------------------------- bad input

namespace {
const std::string head = "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n";
std::string read_error(const std::string& body, bool skip = false) {
  try {
    salespipe::io::opportunity_read_options ro;
    ro.skip_bad_rows = skip;
    (void)salespipe::io::read_opportunities(salespipe::io::parse_csv(body, "crm.csv"), ro);
  } catch (const parse_error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("bad input: clear errors with file, line and column") {
  const std::string ok = "A,x,p,a,Won,2017-01-02,2017-02-01,100\n";
  CHECK(read_error(head + ok + "B,x,p,a,Won,2017-02-30,2017-03-01,5\n") ==
        "crm.csv:3:6: start date '2017-02-30': no such day in that month");
  CHECK(read_error(head + ok + "B,x,p,a,Lost,2017-02-03,,0\n") ==
        "crm.csv:3:7: close date '': expected a date YYYY-MM-DD");
  CHECK(read_error(head + ok + "B,x,p,a,Won,2017-02-03,2017-02-01,5\n") ==
        "crm.csv:3:7: close date 2017-02-01 is before the start date 2017-02-03");
  CHECK(read_error(head + ok + "B,x,p,a,Won,2017-02-03,2017-02-04,-5\n") == "crm.csv:3:8: negative amount -5");
  CHECK(read_error(head + ok + "B,x,p,a,Won,2017-02-03,2017-02-04,5k\n") == "crm.csv:3:8: amount '5k' is not a number");
  CHECK(read_error(head + ok + "A,x,p,a,Lost,2017-01-02,2017-02-01,0\n") ==
        "crm.csv:3:1: duplicate id 'A' conflicts with line 2");
  CHECK(read_error(head + ok + "B,x,p,a,Closed Won,2017-02-03,2017-02-04,5\n") ==
        "crm.csv:3:5: unknown stage 'Closed Won' (known: Engaging, Won, Lost, Prospecting)");
  CHECK(read_error(head + ok + "B,x,p,a,Engaging,2017-02-03,2017-02-04,\n") ==
        "crm.csv:3:7: open deal has a close date");
  CHECK(read_error(head + ok + "B,x,p,a,Won,\"2017-02-03,2017-02-04,5\n") == "crm.csv:3:6: unbalanced quote");
  CHECK(read_error(head + ok + "B,x,p,a,Won,2017-02-03,2017-02-04\n") ==
        "crm.csv:3:7: record has 7 fields, header has 8");
  CHECK(read_error("opportunity_id,deal_stage,engage_date,close_date\nA,Won,2017-01-01,2017-01-02\n") ==
        "crm.csv:1: missing column 'close_value'; columns are: opportunity_id, deal_stage, engage_date, close_date");
  CHECK(read_error("") == "crm.csv: empty file (no header row)");
  CHECK(read_error(head) == "crm.csv: no data rows");

  // identical duplicates: kept once, the copy reported
  const auto d = salespipe::io::read_opportunities(salespipe::io::parse_csv(head + ok + ok, "crm.csv"));
  CHECK(d.deals.size() == 1);
  REQUIRE(d.skipped.size() == 1);
  CHECK(d.skipped[0].reason == "duplicate of line 2 (identical)");

  // skip_bad_rows: every bad row reported with its reason, the rest kept
  const std::string mixed = head + ok + "B,x,p,a,Won,2017-02-03,2017-02-01,5\n" + "C,x,p,a,Nope,2017-02-03,,\n" +
                            "D,x,p,a,Lost,2017-01-05,2017-01-09,0\n";
  CHECK(read_error(mixed, true).empty());
  salespipe::io::opportunity_read_options ro;
  ro.skip_bad_rows = true;
  const auto m = salespipe::io::read_opportunities(salespipe::io::parse_csv(mixed, "crm.csv"), ro);
  CHECK(m.deals.size() == 2);
  REQUIRE(m.skipped.size() == 2);
  CHECK(m.skipped[0].line == 3);
  CHECK(m.skipped[0].reason == "close date 2017-02-01 is before the start date 2017-02-03");
  CHECK(m.skipped[1].reason.rfind("unknown stage 'Nope'", 0) == 0);
}

TEST_CASE("bad input: only open deals, thin data, stale deals") {
  try {
    (void)fit_text(head + "A,x,p,a,Engaging,2017-01-02,,\nB,x,p,a,Engaging,2017-01-05,,\n");
    FAIL("no exception");
  } catch (const parse_error& e) {
    CHECK(std::string(e.what()) ==
          "crm.csv: no closed deals (2 open): route probabilities and durations cannot be estimated");
  }
  CHECK_THROWS_AS(fit_text(head + "P,x,p,a,Prospecting,,,\n"), parse_error);  // every row skipped

  // 12 closed deals (durations 3..14 days), 2 young open deals and 3 stale ones
  std::string body = head;
  for (int i = 0; i < 12; ++i)
    body += "C" + std::to_string(i) + ",x,p,a," + (i % 3 ? "Won" : "Lost") + ",2017-06-01,2017-06-" +
            (i + 4 < 10 ? "0" : "") + std::to_string(i + 4) + ",10\n";
  body += "O1,x,p,a,Engaging,2017-06-10,,\nO2,x,p,a,Engaging,2017-06-12,,\n";
  body += "S1,x,p,a,Engaging,2017-01-01,,\nS2,x,p,a,Engaging,2017-02-01,,\nS3,x,p,a,Engaging,2017-03-01,,\n";
  const auto r = fit_text(body);
  CHECK(r.report.closed == 12);
  CHECK(r.report.stale == 3);
  CHECK(r.fitted.open_pipeline.at(0).size() == 2);
  auto has = [&](const est::fit_result& f, const std::string& s) {
    for (const auto& w : f.report.warnings)
      if (w.find(s) != std::string::npos) return true;
    return false;
  };
  CHECK(has(r, "thin data: 12 closed deals in stage 'Engaging' (fewer than 30)"));
  CHECK(has(r, "stage 'Engaging': 3 of 5 open deals are older than any fitted route allows"));
  CHECK(has(r, "a 'never closes' mass made of the stale deals (the longest closed deal took 14 days)"));
  CHECK_NOTHROW(salespipe::pipeline(r.fitted));

  est::fit_options fo;
  fo.stale_after_days = 60;
  const auto s = fit_text(body, {}, fo);
  CHECK(s.report.stale_as_lost == 3);
  CHECK(s.report.routes.at(1).count == 4 + 3);
  CHECK(has(s, "3 open deals older than 60 days counted as 'Lost' after 60 days"));
  // the route probabilities' sample size: 12 closed + 3 stale counted as lost + the 2
  // young open deals (their EM shares between the routes sum to 2)
  CHECK(s.report.parameters.at(0).n == 17);
  CHECK(s.report.routes.at(0).p.a + s.report.routes.at(0).p.b == doctest::Approx(2.0 + 17).epsilon(1e-9));
  CHECK_THROWS_AS(fit_text(body, {},
                           [] {
                             est::fit_options o;
                             o.stale_after_days = -1;
                             return o;
                           }()),
                  salespipe::invalid_option);
}
