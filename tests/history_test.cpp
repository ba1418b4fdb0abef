// Stage-history format (estimate/stage_history.hpp, history_fit.hpp), parameter recovery
// from simulated CRM history, posterior draws into the Monte Carlo engine
// (simulate/posterior.hpp) and the backtest (backtest/backtest.hpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <salespipe/backtest/backtest.hpp>
#include <salespipe/date.hpp>
#include <salespipe/detail/samplers.hpp>
#include <salespipe/estimate/history_fit.hpp>
#include <salespipe/estimate/stage_history.hpp>
#include <salespipe/io/csv.hpp>
#include <salespipe/io/opportunity_csv.hpp>
#include <salespipe/io/stage_history_csv.hpp>
#include <salespipe/pipeline.hpp>
#include <salespipe/random.hpp>
#include <salespipe/simulate/posterior.hpp>
#include <salespipe/simulate/summary.hpp>

namespace est = salespipe::estimate;
using salespipe::parse_error;

namespace {

std::string data_file(const std::string& name) {
  std::string here = __FILE__;
  return here.substr(0, here.find_last_of("/\\") + 1) + "data/" + name;
}

/// The CRM names of the fixtures: two names for one qualification stage, a skipped one.
salespipe::io::history_read_options crm_names() {
  salespipe::io::history_read_options o;
  o.stages.names = {{"Qualification", "Qualify"},
                    {"Discovery", "Qualify"},
                    {"Proposal", "Propose"},
                    {"Closed Won", "Won"},
                    {"Closed Lost", "Lost"}};
  o.stages.skip = {"Prospecting"};
  return o;
}

const est::parameter_estimate& param(const est::history_report& r, const std::string& name) {
  for (const auto& p : r.parameters)
    if (p.name == name) return p;
  FAIL("no parameter " << name);
  return r.parameters.front();
}

bool has_warning(const est::history_report& r, const std::string& part) {
  for (const auto& w : r.warnings)
    if (w.find(part) != std::string::npos) return true;
  return false;
}

std::string error_of(const std::string& file, salespipe::io::history_read_options o = crm_names()) {
  try {
    (void)salespipe::io::read_stage_history(salespipe::io::read_csv(data_file(file)), o);
  } catch (const parse_error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("history: reading the small fixture, every skipped row reported") {
  const auto h =
      salespipe::io::read_stage_history(salespipe::io::read_csv(data_file("history_small.csv")), crm_names());
  CHECK(h.rows == 18);
  CHECK(h.nodes == std::vector<std::string>{"Qualify", "Propose", "Won", "Lost"});
  CHECK(h.stage_count == 2);
  CHECK(h.deals.size() == 6);  // D7 starts in an outcome
  CHECK(h.as_of == salespipe::parse_date("2024-03-01"));
  // rows: 18 = 13 in sequences + 5 skipped (Prospecting, Discovery = no change, the
  // duplicate D6 row, D7's outcome-only row... and nothing else)
  std::size_t in_seq = 0;
  for (const auto& d : h.deals) in_seq += d.steps.size();
  REQUIRE(h.skipped.size() == 4);
  CHECK(in_seq + h.skipped.size() == h.rows);
  CHECK(h.skipped[0].reason.find("stage 'Prospecting' is skipped") != std::string::npos);
  CHECK(h.skipped[0].line == 3);
  CHECK(h.skipped[1].reason.find("no stage change: deal 'D3' is already in 'Qualify' since line 7") !=
        std::string::npos);
  CHECK(h.skipped[2].reason == "duplicate of line 10 (identical)");
  CHECK(h.skipped[3].reason.find("deal 'D7' starts in outcome 'Won'") != std::string::npos);
  CHECK(h.deals[2].id == "D6");  // deals in order of first appearance
  CHECK(h.deals[2].amount == 2500);
  CHECK(h.deals[2].steps.size() == 3);
}

TEST_CASE("history: fit of the small fixture, open deals share the routes by EM") {
  const auto h =
      salespipe::io::read_stage_history(salespipe::io::read_csv(data_file("history_small.csv")), crm_names());
  const auto f = est::fit_history(h);
  const auto& r = f.report;
  CHECK(r.deals == 6);
  CHECK(r.closed == 4);
  CHECK(r.open == 2);
  REQUIRE(r.stages.size() == 2);
  CHECK(r.stages[0].entries == 6);
  CHECK(r.stages[0].closed == 5);
  CHECK(r.stages[1].entries == 4);
  CHECK(r.stages[1].closed == 3);
  // Qualify -> Propose: closed 18, 22, 9, 22 days (empirical: fewer than 10 events);
  // -> Lost: 7 days. The open deal D5 (age 10) can only be on the Propose route (S = 3/4
  // there, 0 on Lost): Dirichlet(1 + 4 + 1, 1 + 1) -> mean 6/8.
  CHECK(param(r, "p(Qualify->Propose)").estimate == doctest::Approx(0.75));
  CHECK(r.stages[0].routes[0].open_share == doctest::Approx(1.0));
  // Propose: Won 26, 31 days, Lost 19; open D4 (age 20) -> Won: Dirichlet(4, 2)
  CHECK(param(r, "p(Propose->Won)").estimate == doctest::Approx(4.0 / 6));
  CHECK(param(r, "p(Propose->Won)").ci.contains(0.5));
  CHECK(param(r, "source rate into Qualify").n == 6);
  CHECK(param(r, "Won value mean").estimate == doctest::Approx(1750));
  CHECK(has_warning(r, "thin data: 5 deals have left stage 'Qualify'"));
  // the model: 2 stages, routes with per-route durations, open pipeline, loads back
  const salespipe::pipeline p(f.fitted);
  CHECK(p.stage_count() == 2);
  CHECK(p.open_pipeline().size() == 2);
  CHECK(f.fitted.stages[1].routes[0].to == "Won");
  // monthly counts: started by first row, reached by outcome row
  REQUIRE(r.monthly.size() == 3);
  CHECK(r.monthly[0].month == "2024-01");
  CHECK(r.monthly[0].started == 4);
  CHECK(r.monthly[0].reached == std::vector<std::size_t>{0, 1});
  CHECK(r.monthly[2].reached == std::vector<std::size_t>{1, 0});
  CHECK(r.monthly[2].value == 2500);
  std::ostringstream os;
  est::print(os, r);
  CHECK(os.str().find("skipped 1 row(s): duplicate of line 10 (identical) (line 11)") != std::string::npos);
}

TEST_CASE("history: bad input gives file:line:column or a stated skip") {
  CHECK(error_of("history_bad_order.csv")
            .find("history_bad_order.csv:5:3: dates out of order within deal 'A1': "
                  "2024-01-10 is before 2024-01-20 on line 4") != std::string::npos);
  CHECK(error_of("history_bad_stage.csv")
            .find("history_bad_stage.csv:3:2: unknown stage 'Negotiation' (known: "
                  "Qualification, Discovery") != std::string::npos);
  CHECK(error_of("history_conflict.csv")
            .find("history_conflict.csv:3:1: duplicate row for deal 'A1', stage "
                  "'Qualification' on 2024-01-02 conflicts with line 2") != std::string::npos);
  CHECK(error_of("history_empty.csv").find("no data rows") != std::string::npos);
  // a row after the outcome; a negative amount; a bad date (inline)
  auto inline_error = [](const std::string& text) {
    try {
      (void)salespipe::io::read_stage_history(salespipe::io::parse_csv(text, "h.csv"));
    } catch (const parse_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(inline_error("deal_id,stage,date\nA,S,2024-01-01\nA,Won,2024-01-02\nA,S,2024-01-03\n") ==
        "h.csv:4:2: deal 'A' already reached outcome 'Won' on line 3");
  CHECK(inline_error("deal_id,stage,date,amount\nA,S,2024-01-01,-5\n") == "h.csv:2:4: negative amount -5");
  CHECK(inline_error("deal_id,stage,date\nA,S,2024-13-01\n").find("h.csv:2:3: date '2024-13-01'") == 0);
  CHECK(inline_error("id,stage,date\n").find("missing column 'deal_id'") != std::string::npos);
  // with skip_bad_rows: the bad row is skipped and reported, the rest is read
  auto o = crm_names();
  o.skip_bad_rows = true;
  const auto h = salespipe::io::read_stage_history(salespipe::io::read_csv(data_file("history_bad_order.csv")), o);
  REQUIRE(h.skipped.size() == 1);
  CHECK(h.skipped[0].line == 5);
  CHECK(h.skipped[0].reason.find("dates out of order") == 0);
  // only open deals: nothing to estimate routes from
  const auto open =
      salespipe::io::read_stage_history(salespipe::io::read_csv(data_file("history_only_open.csv")), crm_names());
  CHECK_THROWS_WITH_AS(est::fit_history(open),
                       doctest::Contains("history_only_open.csv: stage 'Propose': none of its 1 deals has left it yet"),
                       parse_error);
  // deals that only move between two stages (found by the fuzzer, issue #18): refused, not
  // returned as a model that cannot run
  const auto loop = salespipe::io::read_stage_history(salespipe::io::parse_csv(
      "deal_id,stage,date\nA,S,2024-01-01\nA,T,2024-01-05\nA,S,2024-01-09\nB,S,2024-01-02\nB,T,2024-01-06\n", "l.csv"));
  CHECK_THROWS_WITH_AS(est::fit_history(loop),
                       "l.csv: no deal has left some stages for an outcome, so the fitted model cannot run: stages "
                       "that can never reach an outcome (a loop with no way out): 'S', 'T'",
                       parse_error);
  const auto none =
      salespipe::io::read_stage_history(salespipe::io::parse_csv("deal_id,stage,date\nA,S,2024-01-01\n", "o.csv"));
  CHECK_THROWS_WITH_AS(est::fit_history(none),
                       "o.csv: no deal has left a stage yet (1 deals, all open): route "
                       "probabilities and durations cannot be estimated",
                       parse_error);
  CHECK_THROWS_AS(est::fit_history(none,
                                   [] {
                                     est::history_fit_options f;
                                     f.stale_after_days = -1;
                                     return f;
                                   }()),
                  salespipe::invalid_option);
}

// ------------------------------------------------------- simulated CRM history
// The Monte Carlo engine records counts per period, not per-deal stage histories, so the
// history is generated here with the library's samplers (detail/samplers.hpp): Poisson
// arrivals into Qualify; route, then a gamma time in whole days; deals whose next change
// falls after the data end are open.

namespace {

struct truth {
  double rate = 1.0;  // deals per day
  double p_qp = 0.55, qp_shape = 2.0, qp_scale = 8.0, ql_shape = 1.5, ql_scale = 6.0;
  double p_pw = 0.6, pw_shape = 3.0, pw_scale = 7.0, pl_shape = 1.2, pl_scale = 12.0;
  double value_mu = 7.0, value_sigma = 0.6;
  double value_mean() const { return std::exp(value_mu + value_sigma * value_sigma / 2); }
};

const std::int64_t base = salespipe::parse_date("2023-01-01");

std::string make_history(const truth& tr, int days, std::uint64_t seed) {
  using namespace salespipe;
  random_engine rng(seed, 0);
  std::ostringstream os;
  os << "deal_id,stage,date,amount\n";
  const std::int64_t end = base + days;
  double t = 0;
  for (int id = 1;; ++id) {
    t += detail::exponential(rng, 1 / tr.rate);
    if (t >= days) break;
    const std::int64_t d0 = base + static_cast<std::int64_t>(t);
    const std::string deal = "D" + std::to_string(id);
    os << deal << ",Qualification," << salespipe::format_date(d0) << ",\n";
    const bool go = rng.uniform() < tr.p_qp;
    const double x1 = go ? detail::gamma(rng, tr.qp_shape, tr.qp_scale) : detail::gamma(rng, tr.ql_shape, tr.ql_scale);
    const bool won = rng.uniform() < tr.p_pw;
    const double x2 = won ? detail::gamma(rng, tr.pw_shape, tr.pw_scale) : detail::gamma(rng, tr.pl_shape, tr.pl_scale);
    const double value = detail::lognormal(rng, tr.value_mu, tr.value_sigma);
    const std::int64_t d1 = d0 + std::llround(x1);
    if (d1 > end) continue;
    if (!go) {
      os << deal << ",Closed Lost," << salespipe::format_date(d1) << ",\n";
      continue;
    }
    os << deal << ",Proposal," << salespipe::format_date(d1) << ",\n";
    const std::int64_t d2 = d1 + std::llround(x2);
    if (d2 > end) continue;
    if (won)
      os << deal << ",Closed Won," << salespipe::format_date(d2) << "," << std::llround(value) << "\n";
    else
      os << deal << ",Closed Lost," << salespipe::format_date(d2) << ",\n";
  }
  return os.str();
}

est::history_data read_text(const std::string& text, std::int64_t as_of) {
  auto o = crm_names();
  o.as_of = as_of;
  return salespipe::io::read_stage_history(salespipe::io::parse_csv(text, "sim.csv"), o);
}

}  // namespace

TEST_CASE("history: parameter recovery from simulated history with open deals at the end") {
  const truth tr;
  const std::map<std::string, double> want{{"p(Qualify->Propose)", tr.p_qp},
                                           {"p(Propose->Won)", tr.p_pw},
                                           {"Qualify->Propose gamma shape", tr.qp_shape},
                                           {"Qualify->Propose gamma scale", tr.qp_scale},
                                           {"Qualify->Lost gamma shape", tr.ql_shape},
                                           {"Qualify->Lost gamma scale", tr.ql_scale},
                                           {"Propose->Won gamma shape", tr.pw_shape},
                                           {"Propose->Won gamma scale", tr.pw_scale},
                                           {"Propose->Lost gamma shape", tr.pl_shape},
                                           {"Propose->Lost gamma scale", tr.pl_scale},
                                           {"source rate into Qualify", tr.rate},
                                           {"Won value mean", tr.value_mean()}};
  est::history_fit_options fo;
  fo.durations.families = {est::family::gamma};
  std::map<std::string, int> covered;
  const int reps = 8;
  for (int rep = 0; rep < reps; ++rep) {
    const auto h = read_text(make_history(tr, 300, 500 + static_cast<std::uint64_t>(rep)), base + 300);
    const auto f = est::fit_history(h, fo);
    CHECK(f.report.open > 10);  // open deals at the data end are part of the test
    CHECK(f.report.skipped.empty());
    std::size_t seen = 0;
    for (const auto& p : f.report.parameters) {
      const auto it = want.find(p.name);
      if (it == want.end()) continue;
      ++seen;
      covered[p.name] += p.ci.contains(it->second) ? 1 : 0;
    }
    CHECK(seen == want.size());
  }
  // 95% intervals, 8 data sets: each parameter covered at least 6 times (P(fewer) = 0.6%
  // per parameter at exactly 95% coverage).
  for (const auto& [name, value] : want) {
    MESSAGE(name << " truth " << value << " covered " << covered[name] << "/" << reps);
    CHECK(covered[name] >= 6);
  }
}

TEST_CASE("posterior draws: deterministic for any thread count, intervals widen as the data shrink") {
  const truth tr;
  est::history_fit_options fo;
  fo.unit = salespipe::time_unit::month;
  fo.durations.families = {est::family::gamma};
  salespipe::simulate::options so;
  so.periods = 3;
  so.replications = 300;
  so.seed = 11;
  so.record.nodes = {"Won"};
  so.record.reward = so.record.wip = false;
  // sd of the Won count over the 3 months: parameters drawn per replication / plug-in
  auto ratio = [&](int days) {
    const auto f = est::fit_history(read_text(make_history(tr, days, 77), base + days), fo);
    const auto& post = f.posterior;
    const auto draws =
        salespipe::simulate::run_with_parameter_draws([&](salespipe::random_engine& g) { return post.draw(g); }, so);
    const auto plug = salespipe::simulate::run(salespipe::pipeline(f.fitted), so);
    const std::size_t v = draws.node_index("Won");
    const salespipe::simulate::window w{0, 3};
    const double sd_draws = salespipe::simulate::summarize(draws, salespipe::simulate::quantity::entries, v, w).sd;
    const double sd_plug = salespipe::simulate::summarize(plug, salespipe::simulate::quantity::entries, v, w).sd;
    MESSAGE(days << " days of history: sd with parameter draws " << sd_draws << ", plug-in " << sd_plug);
    return sd_draws / sd_plug;
  };
  const double small = ratio(45), large = ratio(720);
  CHECK(small > 1.25);          // thin data: estimation uncertainty dominates
  CHECK(large < 1.15);          // long history: close to the plug-in Poisson spread
  CHECK(small > large + 0.15);  // the interval widens as the data shrink

  // determinism: one thread or two give the same record, bit for bit
  const auto f = est::fit_history(read_text(make_history(tr, 60, 5), base + 60), fo);
  auto so2 = so;
  so2.replications = 40;
  const auto& post = f.posterior;
  auto draw = [&](salespipe::random_engine& g) { return post.draw(g); };
  const auto one = salespipe::simulate::run_with_parameter_draws(draw, so2);
  so2.threads = 2;
  CHECK(one == salespipe::simulate::run_with_parameter_draws(draw, so2));
  CHECK(one.replications() == 40);
}

TEST_CASE("backtest: actuals counted per period, engines agree on the fitted model") {
  const truth tr;
  const int days = 400;
  const auto h = read_text(make_history(tr, days, 21), base + days);
  est::history_fit_options fo;
  fo.unit = salespipe::time_unit::month;
  fo.durations.families = {est::family::gamma};
  salespipe::backtest::backtest_options bo;
  bo.cutoff = base + 300;
  bo.periods = 3;
  bo.replications = 400;
  bo.parameter_uncertainty = false;
  const auto r = salespipe::backtest::backtest_history(h, fo, bo);
  REQUIRE(r.periods.size() == 3);
  // actuals: Won rows in (cutoff, cutoff + 3 months], counted directly from the text
  std::size_t won = 0;
  for (const auto& d : h.deals)
    if (h.nodes[d.steps.back().node] == "Won" && d.steps.back().day > bo.cutoff &&
        d.steps.back().day <= salespipe::parse_date(r.periods.back().to))
      ++won;
  double total = 0;
  for (const auto& p : r.periods) total += p.count;
  CHECK(total == static_cast<double>(won));
  CHECK(r.periods[0].from == "2023-10-29");
  for (const auto& p : r.periods) {
    // exact and Monte Carlo means of the same model agree (MC sd / sqrt(400) ~ 0.3)
    CHECK(p.mc_count.mean == doctest::Approx(p.analytic_count.mean).epsilon(0.08));
    CHECK(p.analytic_count.lower <= p.analytic_count.mean);
    CHECK(p.analytic_count.mean <= p.analytic_count.upper);
  }
  CHECK(r.analytic.inside_count >= 0.0);
  CHECK(r.analytic.mae_count >= 0.0);
  // a cutoff too late for K periods of actuals is an error
  bo.cutoff = base + 380;
  CHECK_THROWS_WITH_AS(salespipe::backtest::backtest_history(h, fo, bo),
                       doctest::Contains("the actuals would be incomplete"), salespipe::invalid_option);
}

TEST_CASE("source trend: least squares on complete months, interval, schedule") {
  // 10, 12, 14, 16, 18 new deals in Feb..Jun 2024 (Jan and Jul are partial: left out)
  std::vector<std::int64_t> days{salespipe::parse_date("2024-01-20")};
  const char* months[] = {"2024-02-", "2024-03-", "2024-04-", "2024-05-", "2024-06-"};
  for (int k = 0; k < 5; ++k)
    for (int i = 0; i < 10 + 2 * k; ++i) days.push_back(salespipe::parse_date(std::string(months[k]) + "10"));
  days.push_back(salespipe::parse_date("2024-07-02"));
  const auto t = est::fit_source_trend(days, salespipe::parse_date("2024-07-15"));
  CHECK(t.months == std::vector<std::string>{"2024-02", "2024-03", "2024-04", "2024-05", "2024-06"});
  CHECK(t.slope == doctest::Approx(2.0));
  CHECK(t.level == doctest::Approx(18.0));
  CHECK(t.slope_ci.width() == doctest::Approx(0.0).epsilon(1e-9));  // exact line
  CHECK(t.days_after_last == 15);
  // rate per month at the middle of July (t = 0.5 month minus 15 days ~ 0): 18 + 2 * (15/30.44 + 0.5 + ...)
  CHECK(t.rate_at(0, 365.2425 / 12) == doctest::Approx(18 + 2 * (15 / (365.2425 / 12) + 0.5)));
  CHECK_THROWS_AS(est::fit_source_trend({days.front()}, salespipe::parse_date("2024-03-15")),
                  salespipe::invalid_option);
  // with noise: a rising Poisson rate, slope recovered within its interval
  salespipe::random_engine rng(3, 0);
  std::vector<std::int64_t> noisy;
  const std::int64_t d0 = salespipe::parse_date("2022-01-01");
  double x = 0;
  for (;;) {  // rate 1 + x / 365 per day: +1/day per year ~ +30.4 deals per month per year ~ 2.5 per month per month
    x += salespipe::detail::exponential(rng, 1 / (1 + x / 365));
    if (x >= 730) break;
    noisy.push_back(d0 + static_cast<std::int64_t>(x));
  }
  const auto tn = est::fit_source_trend(noisy, d0 + 729);
  CHECK(tn.counts.size() == 24);
  CHECK(tn.slope_ci.contains(365.2425 / 12 * 365.2425 / 12 / 365));
  // in a fit: reported, and with use_trend the source follows it
  const truth tr;
  est::history_fit_options fo;
  fo.unit = salespipe::time_unit::month;
  fo.use_trend = true;
  fo.trend_periods = 12;
  fo.durations.families = {est::family::gamma};
  const auto f = est::fit_history(read_text(make_history(tr, 200, 9), base + 200), fo);
  const auto& p = param(f.report, "source trend into Qualify");
  CHECK(p.ci.contains(0.0));  // constant truth
  CHECK(p.n >= 5);            // complete months in 2023-01-01 .. 2023-07-20 (January if the first deal is on Jan 1)
  REQUIRE(f.fitted.sources.size() == 1);
  CHECK(f.fitted.sources[0].schedule.size() == 11);
  CHECK_NOTHROW(salespipe::pipeline(f.fitted));
}
