// charts_test.cpp — io/svg.hpp and io/charts/: escaping, locale-independent numbers, nice
// ticks, well-formed SVG for every chart built from real engine results, coordinates inside
// the picture, and the chart data against the engines (fan means vs forecast, Monte Carlo
// fan vs exact fan).
#include <doctest/doctest.h>

#include <cctype>
#include <cmath>
#include <locale>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <salespipe/analytic/coverage.hpp>
#include <salespipe/analytic/forecast.hpp>
#include <salespipe/analytic/lag.hpp>
#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/analytic/transient.hpp>
#include <salespipe/estimate/kaplan_meier.hpp>
#include <salespipe/example_model.hpp>
#include <salespipe/io/charts/bars.hpp>
#include <salespipe/io/charts/fan.hpp>
#include <salespipe/io/charts/from_analytic.hpp>
#include <salespipe/io/charts/from_estimate.hpp>
#include <salespipe/io/charts/from_simulation.hpp>
#include <salespipe/io/charts/lines.hpp>
#include <salespipe/io/svg.hpp>
#include <salespipe/pipeline.hpp>
#include <salespipe/random.hpp>
#include <salespipe/simulate/engine.hpp>

namespace charts = salespipe::io::charts;
using salespipe::io::format_fixed;

namespace {

// True if `tag` is `name` followed by zero or more ` attr="value"` pairs (value without
// '"' or '<'), then optional whitespace.
bool well_formed_attributes(const std::string& tag) {
  const auto is_name_start = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  const auto is_name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '-';
  };
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  std::size_t i = 0;
  const std::size_t n = tag.size();
  const auto name = [&] {
    if (i >= n || !is_name_start(tag[i])) return false;
    while (i < n && is_name_char(tag[i])) ++i;
    return true;
  };
  if (!name()) return false;
  while (i < n) {
    const std::size_t before = i;
    while (i < n && is_space(tag[i])) ++i;
    if (i == n) return true;
    if (i == before || !name()) return false;
    if (i + 1 >= n || tag[i] != '=' || tag[i + 1] != '"') return false;
    i += 2;
    while (i < n && tag[i] != '"' && tag[i] != '<') ++i;
    if (i >= n || tag[i] != '"') return false;
    ++i;
  }
  return true;
}

// A small XML well-formedness check (enough for what svg_document writes): every tag
// closed in order, attribute values quoted, '<' never in text, '&' only in entities.
// Returns "" or what is wrong. Counts elements by name into `count`.
std::string xml_problem(const std::string& s, std::map<std::string, int>* count = nullptr) {
  std::vector<std::string> open;
  std::size_t i = 0;
  const std::regex entity("^&(amp|lt|gt|quot|#39);");
  while (i < s.size()) {
    if (s[i] == '&') {
      if (!std::regex_search(s.substr(i, 8), entity)) return "bare & at " + std::to_string(i);
      ++i;
      continue;
    }
    if (s[i] != '<') {
      if (s[i] == '>') return "bare > at " + std::to_string(i);
      ++i;
      continue;
    }
    const std::size_t end = s.find('>', i);
    if (end == std::string::npos) return "unterminated tag";
    std::string tag = s.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.find('<') != std::string::npos) return "< inside a tag";
    if (!tag.empty() && tag[0] == '/') {
      if (open.empty() || open.back() != tag.substr(1)) return "mismatched </" + tag.substr(1) + ">";
      open.pop_back();
      continue;
    }
    const bool self = !tag.empty() && tag.back() == '/';
    if (self) tag.pop_back();
    const std::string name = tag.substr(0, tag.find(' '));
    if (name.empty()) return "empty tag name";
    // attributes: name="value" pairs only (scanned by hand: std::regex recurses once per
    // character and overflows the stack on a long points="..." under AddressSanitizer)
    if (!well_formed_attributes(tag)) return "bad attributes in <" + tag + ">";
    if (count) ++(*count)[name];
    if (!self) open.push_back(name);
  }
  return open.empty() ? "" : "unclosed <" + open.back() + ">";
}

// Every x/y/cx/cy/x1/x2/y1/y2/width/height value and every polyline/polygon point lies in
// [0, W] × [0, H] (within half a unit).
void check_inside(const std::string& svg, double W, double H) {
  static const std::regex num_attr(R"(\s(x|x1|x2|cx|y|y1|y2|cy)="(-?[0-9.]+)\")");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), num_attr); it != std::sregex_iterator(); ++it) {
    const std::string a = (*it)[1];
    const double v = std::stod((*it)[2]);
    const double lim = a[0] == 'x' || a == "cx" ? W : H;
    CHECK_MESSAGE((v >= -0.5 && v <= lim + 0.5), a << "=" << v);
  }
  // points="..." found by hand: a regex over a long value recurses once per character.
  for (auto at = svg.find("points=\""); at != std::string::npos; at = svg.find("points=\"", at + 1)) {
    const std::size_t from = at + 8, to = svg.find('"', from);
    REQUIRE(to != std::string::npos);
    std::istringstream in(svg.substr(from, to - from));
    std::string pair;
    while (in >> pair) {
      const auto comma = pair.find(',');
      const double x = std::stod(pair.substr(0, comma)), y = std::stod(pair.substr(comma + 1));
      CHECK((x >= -0.5 && x <= W + 0.5 && y >= -0.5 && y <= H + 0.5));
    }
  }
}

std::size_t occurrences(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

struct comma_decimal : std::numpunct<char> {
  char do_decimal_point() const override { return ','; }
};

}  // namespace

TEST_CASE("svg: escaping and numbers") {
  CHECK(salespipe::io::xml_escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  CHECK(salespipe::io::xml_escape(std::string("x\x01y\tz")) == "xy\tz");
  CHECK(format_fixed(12.5) == "12.5");
  CHECK(format_fixed(3.0) == "3");
  CHECK(format_fixed(-0.0001) == "0");
  CHECK(format_fixed(2.0 / 3, 3) == "0.667");
  CHECK(format_fixed(1e6, 2) == "1000000");
  CHECK(salespipe::io::format_significant(0.133333) == "0.1333");
  CHECK(salespipe::io::format_significant(36) == "36");
  CHECK(salespipe::io::format_significant(std::nan("")) == "-");
  // A global C++ locale with a comma decimal point changes iostreams, not our numbers.
  const std::locale old = std::locale::global(std::locale(std::locale::classic(), new comma_decimal));
  std::ostringstream os;
  os << 12.5;
  const std::string via_stream = os.str();
  const std::string ours = format_fixed(12.5);
  std::locale::global(old);
  CHECK(via_stream == "12,5");
  CHECK(ours == "12.5");
}

TEST_CASE("svg: document is well formed, skips non-finite shapes, escapes text") {
  salespipe::io::svg_document d(200, 100, "A & B");
  d.rect(10, 10, -5, 20, {"#abc"}, "tip <1>");
  d.rect(std::nan(""), 0, 1, 1, {"red"});
  d.polyline({{0, 0}, {1, 1}, {std::nan(""), 2}, {3, 3}, {4, 4}}, {"none", "blue"});
  d.text(5, 50, "x < y & \"z\"", {}, salespipe::io::anchor::middle, -90);
  d.begin_group("g<1>");
  const std::string s = d.str();
  std::map<std::string, int> n;
  CHECK(xml_problem(s, &n) == "");
  CHECK(n["rect"] == 1);                                               // the NaN one is skipped
  CHECK(n["polyline"] == 2);                                           // broken at the NaN point
  CHECK(n["g"] == 1);                                                  // closed by str()
  CHECK(s.find("x=\"5\" y=\"10\" width=\"5\"") != std::string::npos);  // negative width normalised
  CHECK(s.find("x &lt; y &amp; &quot;z&quot;") != std::string::npos);
  CHECK(s.find("<title>tip &lt;1&gt;</title></rect>") != std::string::npos);
  CHECK(s.find("nan") == std::string::npos);
  CHECK(xml_problem("<a><b></a></b>") != "");  // the checker itself rejects bad nesting
  CHECK(xml_problem("<a>x & y</a>") != "");
}

TEST_CASE("charts: nice ticks and labels") {
  auto t = charts::nice_ticks(0, 36);
  CHECK(t.values == std::vector<double>{0, 10, 20, 30, 40});
  t = charts::nice_ticks(0, 1);
  CHECK(t.step == doctest::Approx(0.25));
  CHECK(t.values.size() == 5);
  t = charts::nice_ticks(-3.2, 7.9);
  CHECK(t.values.front() <= -3.2);
  CHECK(t.values.back() >= 7.9);
  CHECK(t.values.size() <= 8);
  t = charts::nice_ticks(5, 5);  // empty range widened
  CHECK(t.values.front() < t.values.back());
  CHECK(charts::tick_label(40000, 10000, 40000) == "40k");
  CHECK(charts::tick_label(1500000, 500000, 2000000) == "1.5M");
  CHECK(charts::tick_label(0.25, 0.25, 1) == "0.25");
  CHECK(charts::tick_label(0, 10000, 40000) == "0");
}

TEST_CASE("charts: every chart from the built-in example is well formed and inside its box") {
  const salespipe::pipeline p(salespipe::example_model());
  const std::size_t cust = p.index_of("customer");
  const auto f = salespipe::analytic::forecast(p, 24);
  charts::chart_options o;  // 640 × 320

  // Fan from the exact forecast: means are the forecast's, quantiles ordered.
  auto fan = charts::fan_from_forecast(f, cust, false, 3);
  REQUIRE(fan.periods.size() == 24);
  CHECK(fan.fiscal_starts == std::vector<std::size_t>{3, 15});
  for (std::size_t k = 0; k < 24; ++k) {
    const auto& q = fan.periods[k];
    CHECK(q.mean == doctest::Approx(f.entries(cust, k)));
    CHECK((q.p10 <= q.p25 && q.p25 <= q.p75 && q.p75 <= q.p90));
    CHECK((q.p10 <= q.mean && q.mean <= q.p90));
  }
  fan.target = 3;
  std::string svg = charts::fan_chart(fan, o);
  std::map<std::string, int> n;
  CHECK(xml_problem(svg, &n) == "");
  CHECK(n["circle"] == 24);
  CHECK(occurrences(svg, ">fiscal year<") == 2);
  check_inside(svg, 640, 320);

  // Value fan: P90 of a month's booked value well above its mean (lognormal deal sizes).
  const auto vfan = charts::fan_from_forecast(f, cust, true, 0);
  CHECK(vfan.periods[5].mean == doctest::Approx(f.booked(cust, 5)));
  CHECK(vfan.periods[5].p90 > vfan.periods[5].mean);
  svg = charts::fan_chart(vfan, o);
  CHECK(xml_problem(svg) == "");
  CHECK(svg.find("k</text>") != std::string::npos);  // value axis in thousands
  check_inside(svg, 640, 320);

  // Coverage: the loophole is 'prospect' (24 open, 36 required).
  const auto ss = salespipe::analytic::solve_steady_state(p);
  const auto cov = salespipe::analytic::solve_coverage(p, ss);
  const auto cd = charts::coverage_from(cov);
  REQUIRE(cd.loophole);
  CHECK(cd.stages[*cd.loophole].stage == "prospect");
  CHECK(cd.stages[*cd.loophole].required == doctest::Approx(36).epsilon(1e-9));
  svg = charts::coverage_chart(cd, o);
  CHECK(xml_problem(svg) == "");
  CHECK(svg.find("loophole: gap -12") != std::string::npos);
  check_inside(svg, 640, 320);

  // Lag of +50% leads from month 1: extra per period, split at the fiscal years.
  const salespipe::pipeline more(salespipe::scale_source_from(p.model(), 0, 1, 1.5));
  const auto e = salespipe::analytic::compare(f, salespipe::analytic::forecast(more, 24), "customer", 0, 12);
  const auto ld = charts::lag_from(e);
  CHECK(ld.this_year_end == 12);
  CHECK(ld.next_year_end == 24);
  double this_sum = 0;
  for (std::size_t k = 0; k < 12; ++k) this_sum += ld.extra[k];
  CHECK(this_sum == doctest::Approx(e.extra_this));
  svg = charts::lag_chart(ld, o);
  CHECK(xml_problem(svg) == "");
  CHECK(svg.find("this fiscal year: ") != std::string::npos);
  CHECK(svg.find("next fiscal year: ") != std::string::npos);
  check_inside(svg, 640, 320);

  // Time to 'customer' from each stage: cdfs rise to P(reach).
  std::vector<charts::curve> cs;
  salespipe::analytic::transient_options to;
  to.tolerance = 1e-3;
  for (const char* st : {"lead", "qualified", "prospect"}) {
    const auto t = salespipe::analytic::time_to_outcome(p, st, to);
    cs.push_back(charts::cdf_curve(t.node(cust), st, 24));
    CHECK(cs.back().y.back() <= t.node(cust).total() + 1e-12);
    CHECK(cs.back().y.front() == 0);
  }
  CHECK(cs[2].y.back() == doctest::Approx(1.0 / 3).epsilon(0.01));  // P(prospect → customer)
  svg = charts::cdf_chart(cs, "Time to 'customer'", "months", o);
  std::map<std::string, int> nc;
  CHECK(xml_problem(svg, &nc) == "");
  CHECK(nc["polyline"] == 3);
  check_inside(svg, 640, 320);
}

TEST_CASE("charts: Monte Carlo fan agrees with the exact fan") {
  const salespipe::pipeline p(salespipe::example_model());
  const std::size_t cust = p.index_of("customer");
  salespipe::simulate::options o;
  o.periods = 6;
  o.replications = 400;
  o.seed = 7;
  o.record.nodes = {"customer"};
  o.record.reward = o.record.wip = false;
  const auto r = salespipe::simulate::run(p, o);
  const auto mc = charts::fan_from_simulation(r, salespipe::simulate::quantity::entries, cust, "customer");
  const auto ex = charts::fan_from_forecast(salespipe::analytic::forecast(p, 6), cust, false);
  REQUIRE(mc.periods.size() == 6);
  for (std::size_t k = 0; k < 6; ++k) {
    // Poisson-like counts: SD of the mean ≈ sqrt(mean / 400); allow 5 of them (+ lattice 0.05).
    CHECK(std::fabs(mc.periods[k].mean - ex.periods[k].mean) < 5 * std::sqrt(ex.periods[k].mean / 400) + 0.05);
    CHECK(std::fabs(mc.periods[k].p90 - ex.periods[k].p90) <= 1.0);  // integer counts
    CHECK(std::fabs(mc.periods[k].p10 - ex.periods[k].p10) <= 1.0);
  }
  const std::string svg = charts::fan_chart(mc);
  CHECK(xml_problem(svg) == "");
  CHECK(svg.find("400 replications") != std::string::npos);
}

TEST_CASE("charts: tornado takes plain ranked rows, escapes labels, keeps order") {
  charts::tornado_data d;
  d.rows = {{"p(prospect → customer) <&>", -30, 45}, {"inflow", -20, 20}, {"both positive", 2, 8}};
  const std::string svg = charts::tornado_chart(d);
  std::map<std::string, int> n;
  CHECK(xml_problem(svg, &n) == "");
  CHECK(n["rect"] >= 6 + 1);
  CHECK(svg.find("p(prospect → customer) &lt;&amp;&gt;") < svg.find(">inflow<"));
  check_inside(svg, 640, 320);
  // Empty data still draws a frame.
  CHECK(xml_problem(charts::tornado_chart({})) == "");
  CHECK(xml_problem(charts::fan_chart({})) == "");
  CHECK(xml_problem(charts::coverage_chart({})) == "");
  CHECK(xml_problem(charts::lag_chart({})) == "");
}

TEST_CASE("charts: Kaplan-Meier vs fitted curve") {
  // Exponential(mean 2) times, every 4th censored at 80% of its time.
  salespipe::random_engine rng(11, 0);
  std::vector<double> t;
  std::vector<bool> ev;
  for (int i = 0; i < 300; ++i) {
    const double x = -2 * std::log(rng.uniform_open());
    t.push_back(i % 4 == 0 ? 0.8 * x : x);
    ev.push_back(i % 4 != 0);
  }
  const auto km = salespipe::estimate::kaplan_meier(t, ev);
  const std::string svg =
      charts::fit_chart(km, salespipe::exponential_dist(2), "Time in stage: KM vs fitted", "days", "exponential");
  std::map<std::string, int> n;
  CHECK(xml_problem(svg, &n) == "");
  CHECK(n["polyline"] == 2);
  CHECK(n["polygon"] == 1);  // the 95% band
  CHECK(svg.find("Kaplan–Meier (95% band)") != std::string::npos);
  check_inside(svg, 640, 320);
}
