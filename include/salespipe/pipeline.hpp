// salespipe/pipeline.hpp — a validated, indexed model: the object both engines run.
//
// Node indices: stages are 0 .. stage_count()-1 in model order, outcomes follow
// (stage_count() + k for outcome k). Construction validates everything and throws
// invalid_model (naming the node and the field, with the JSON path in path()) or
// singular_model (stages that can never reach an outcome). Immutable afterwards.
#ifndef SALESPIPE_PIPELINE_HPP
#define SALESPIPE_PIPELINE_HPP

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <salespipe/detail/format.hpp>
#include <salespipe/duration.hpp>
#include <salespipe/error.hpp>
#include <salespipe/model.hpp>

namespace salespipe {

/// Tolerance on the sum of a stage's route probabilities (MODEL_FORMAT.md).
inline constexpr double route_sum_tolerance = 1e-9;
/// Route probabilities summing to within this of 1 from below leave no remainder
/// (8 ulps of 1: rounding, not a route to "lost"; a deliberate 1e-12 is kept).
inline constexpr double remainder_rounding = 8 * 2.220446049250313e-16;

/// Accepted magnitudes (deals per time unit, deals), refused at validation outside them:
/// a positive rate below min_positive_rate is less than one deal in a billion time units
/// and its products with probabilities lose precision (write 0 for no inflow); above
/// max_rate or max_open_count no sales model is meant, and counts above 2^31 would not
/// stay exact in the engines' integer arithmetic. The engines bound their own work
/// further (simulate::options::max_stage_entries, the forecast's support limit).
inline constexpr double min_positive_rate = 1e-9;
inline constexpr double max_rate = 1e9;
inline constexpr std::size_t max_open_count = 1000000000;

/// The duration a deal taking `r` spends in `s`: the route's override or the stage's.
template <class Duration>
const Duration& route_duration(const basic_stage<Duration>& s, const basic_route<Duration>& r) {
  return r.duration ? *r.duration : s.duration;
}

template <class Duration>
class basic_pipeline {
  static_assert(is_duration_v<Duration>, "Duration must model the Duration concept");

 public:
  using duration_type = Duration;
  using model_type = basic_model<Duration>;

  /// Validates `m` and resolves its ids. Routes of each stage are completed with the
  /// implicit remainder route to "lost" (flag `implicit`), and "lost" is added as an
  /// implicit outcome when needed. Throws invalid_model or singular_model.
  explicit basic_pipeline(model_type m) : m_(std::move(m)) { validate(); }

  const model_type& model() const noexcept { return m_; }
  const std::string& name() const noexcept { return m_.name; }
  time_unit unit() const noexcept { return m_.unit; }

  std::size_t stage_count() const noexcept { return m_.stages.size(); }
  std::size_t outcome_count() const noexcept { return m_.outcomes.size(); }
  std::size_t node_count() const noexcept { return ids_.size(); }
  bool is_stage(std::size_t node) const noexcept { return node < stage_count(); }

  /// Stages with resolved routes (including the implicit remainder route).
  const std::vector<basic_stage<Duration>>& stages() const noexcept { return m_.stages; }
  const basic_stage<Duration>& stage(std::size_t s) const { return m_.stages.at(s); }
  const std::vector<outcome>& outcomes() const noexcept { return m_.outcomes; }
  const std::vector<source>& sources() const noexcept { return m_.sources; }
  const std::vector<open_deals>& open_pipeline() const noexcept { return m_.open_pipeline; }
  const std::optional<salespipe::target>& target() const noexcept { return m_.target; }

  /// Id of node `node` (stage or outcome).
  const std::string& node_id(std::size_t node) const { return ids_.at(node); }
  /// All node ids, stages first.
  const std::vector<std::string>& node_ids() const noexcept { return ids_; }
  /// Index of the node with this id, or nullopt.
  std::optional<std::size_t> find(std::string_view id) const {
    auto it = index_.find(std::string(id));
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }
  /// Index of the node with this id; throws invalid_model "unknown node 'x' (did you
  /// mean 'y'?)" otherwise.
  std::size_t index_of(std::string_view id) const {
    if (auto i = find(id)) return *i;
    throw invalid_model("unknown node '" + std::string(id) + "'" + detail::did_you_mean(id, ids_));
  }
  /// Node index of outcome k.
  std::size_t outcome_node(std::size_t k) const noexcept { return stage_count() + k; }

  /// True when the model has something to run: a source or an open deal.
  bool has_deals() const noexcept {
    for (const auto& o : m_.open_pipeline)
      if (o.size() > 0) return true;
    for (const auto& s : m_.sources) {
      if (s.rate > 0) return true;
      for (const auto& c : s.schedule)
        if (c.rate > 0) return true;
    }
    return false;
  }

 private:
  [[noreturn]] static void fail(std::string path, const std::string& what) {
    throw invalid_model(std::move(path), what);
  }
  static std::string idx(std::size_t i) { return std::to_string(i); }

  void strip_implicit() {
    for (auto& s : m_.stages) {
      std::vector<basic_route<Duration>> kept;
      for (auto& r : s.routes)
        if (!r.implicit) kept.push_back(std::move(r));
      s.routes = std::move(kept);
    }
    std::vector<outcome> kept;
    for (auto& o : m_.outcomes)
      if (!o.implicit) kept.push_back(std::move(o));
    m_.outcomes = std::move(kept);
  }

  void check_duration(const Duration& d, const std::string& path, const std::string& who) const {
    const double m = mean(d), v = variance(d);
    if (!(std::isfinite(m) && m >= 0))
      fail(path, who + ": mean duration must be finite and >= 0, got " + detail::num(m));
    if (!(std::isfinite(v) && v >= 0))
      fail(path, who + ": duration variance must be finite and >= 0, got " + detail::num(v));
  }

  void add_id(const std::string& id, const std::string& path) {
    if (id.empty()) fail(path, path + ": node id must not be empty");
    if (!index_.emplace(id, ids_.size()).second) fail(path, "duplicate node id '" + id + "'");
    ids_.push_back(id);
  }

  std::size_t resolve(const std::string& id, const std::string& path, const std::string& who) const {
    auto it = index_.find(id);
    if (it == index_.end()) fail(path, who + "unknown node '" + id + "'" + detail::did_you_mean(id, ids_));
    return it->second;
  }

  void validate() {
    strip_implicit();
    if (m_.stages.empty()) fail("/stages", "model has no stages");
    const std::size_t S = m_.stages.size();

    // Ids: stages first, then declared outcomes, then the implicit "lost".
    for (std::size_t s = 0; s < S; ++s) add_id(m_.stages[s].id, "/stages/" + idx(s) + "/id");
    for (std::size_t k = 0; k < m_.outcomes.size(); ++k) add_id(m_.outcomes[k].id, "/outcomes/" + idx(k) + "/id");

    // Route probabilities and remainders.
    bool need_lost = false;
    std::vector<double> remainder(S, 0.0);
    for (std::size_t s = 0; s < S; ++s) {
      auto& st = m_.stages[s];
      const std::string sp = "/stages/" + idx(s), who = "stage '" + st.id + "'";
      check_duration(st.duration, sp + "/duration", who);
      if (!(std::isfinite(st.reward_rate) && st.reward_rate >= 0))
        fail(sp + "/reward_rate", who + ": reward_rate must be finite and >= 0, got " + detail::num(st.reward_rate));
      double sum = 0;
      for (std::size_t j = 0; j < st.routes.size(); ++j) {
        const auto& r = st.routes[j];
        const std::string rp = sp + "/routes/" + idx(j);
        if (!(std::isfinite(r.p) && r.p >= 0 && r.p <= 1))
          fail(rp + "/p", who + ": routes[" + idx(j) + "].p must be a number in [0, 1], got " + detail::num(r.p));
        if (r.duration) check_duration(*r.duration, rp + "/duration", who + " route to '" + r.to + "'");
        if (r.to == "lost" && !index_.count("lost")) need_lost = true;
        sum += r.p;
      }
      if (sum > 1 + route_sum_tolerance)
        fail(sp + "/routes", who + ": route probabilities sum to " + detail::num(sum) + " (> 1)");
      // A remainder of a few ulps is the rounding of probabilities meant to sum to 1
      // (0.7 + 0.2 + 0.1), not a route: no implicit "lost" route for it. The engines give
      // any such rounding slack to the last route.
      remainder[s] = sum < 1 - remainder_rounding ? 1 - sum : 0.0;
      if (remainder[s] > 0 && !index_.count("lost")) need_lost = true;
    }
    if (need_lost) {
      outcome lost{"lost", std::nullopt, true};
      m_.outcomes.push_back(std::move(lost));
      add_id("lost", "/outcomes");
    }
    const std::size_t lost_node = index_.count("lost") ? index_.at("lost") : no_node;
    if (lost_node != no_node && lost_node < S)
      for (std::size_t s = 0; s < S; ++s)
        if (remainder[s] > 0)
          fail("/stages/" + idx(s) + "/routes", "stage '" + m_.stages[s].id +
                                                    "': its routes sum to less than 1, and the remainder "
                                                    "goes to the outcome 'lost', but 'lost' is a stage here");

    // Resolve route targets; add the remainder routes.
    for (std::size_t s = 0; s < S; ++s) {
      auto& st = m_.stages[s];
      for (std::size_t j = 0; j < st.routes.size(); ++j)
        st.routes[j].to_node = resolve(st.routes[j].to, "/stages/" + idx(s) + "/routes/" + idx(j) + "/to",
                                       "stage '" + st.id + "': routes[" + idx(j) + "].to: ");
      if (remainder[s] > 0) {
        basic_route<Duration> r{"lost", remainder[s], std::nullopt, std::nullopt};
        r.to_node = lost_node;
        r.implicit = true;
        st.routes.push_back(std::move(r));
      }
    }

    validate_sources();
    validate_open();
    if (m_.target) {
      auto& t = *m_.target;
      t.node_index = resolve(t.node, "/target/node", "target: ");
      if (!(t.per_period >= min_positive_rate && t.per_period <= max_rate))
        fail("/target/per_period", "target: per_period must be in [" + detail::num(min_positive_rate) + ", " +
                                       detail::num(max_rate) + "] per time unit, got " + detail::num(t.per_period));
    }
    check_reachability();
  }

  std::size_t resolve_stage(const std::string& id, const std::string& path, const std::string& who) const {
    const std::size_t n = resolve(id, path, who);
    if (n >= m_.stages.size()) fail(path, who + "'" + id + "' is an outcome; only stages can hold deals");
    return n;
  }

  void validate_sources() {
    for (std::size_t i = 0; i < m_.sources.size(); ++i) {
      auto& src = m_.sources[i];
      const std::string sp = "/sources/" + idx(i), who = "sources[" + idx(i) + "]";
      src.stage_node = resolve_stage(src.stage, sp + "/stage", who + ".stage: ");
      const std::string into = who + " (into '" + src.stage + "')";
      check_rate(src.rate, sp + "/rate", into + ": rate");
      for (std::size_t k = 0; k < src.schedule.size(); ++k) {
        const auto& c = src.schedule[k];
        const std::string cp = sp + "/schedule/" + idx(k);
        if (!(std::isfinite(c.from) && c.from >= 0))
          fail(cp + "/from",
               into + ": schedule[" + idx(k) + "].from must be finite and >= 0, got " + detail::num(c.from));
        if (k > 0 && !(c.from > src.schedule[k - 1].from))
          fail(cp + "/from", into + ": schedule[" + idx(k) + "].from (" + detail::num(c.from) +
                                 ") must be greater than schedule[" + idx(k - 1) + "].from (" +
                                 detail::num(src.schedule[k - 1].from) + ")");
        check_rate(c.rate, cp + "/rate", into + ": schedule[" + idx(k) + "].rate");
      }
    }
  }

  // A source rate: 0, or in [min_positive_rate, max_rate] deals per time unit.
  static void check_rate(double r, const std::string& path, const std::string& who) {
    if (!(r == 0 || (r >= min_positive_rate && r <= max_rate)))
      fail(path, who + " must be 0 or in [" + detail::num(min_positive_rate) + ", " + detail::num(max_rate) +
                     "] deals per time unit, got " + detail::num(r) +
                     (r > 0 && r < min_positive_rate ? " (write 0 for no inflow)" : ""));
  }

  void validate_open() {
    for (std::size_t i = 0; i < m_.open_pipeline.size(); ++i) {
      auto& o = m_.open_pipeline[i];
      const std::string op = "/open_pipeline/" + idx(i), who = "open_pipeline[" + idx(i) + "]";
      o.stage_node = resolve_stage(o.stage, op + "/stage", who + ".stage: ");
      const auto& st = m_.stages[o.stage_node];
      const std::string in = who + " (stage '" + o.stage + "')";
      if (o.count > max_open_count)
        fail(op + "/count",
             in + ": count must be at most " + std::to_string(max_open_count) + ", got " + std::to_string(o.count));
      auto check_age = [&](double a, const std::string& path) {
        if (!(std::isfinite(a) && a >= 0)) fail(path, in + ": age must be finite and >= 0, got " + detail::num(a));
        double alive = 0;
        for (const auto& r : st.routes) alive += r.p * survival_of(route_duration(st, r), a);
        if (!(alive > 0))
          fail(path, in + ": no deal stays in stage '" + st.id + "' beyond age " + detail::num(a) +
                         " under its duration(s), so an open deal of that age is impossible");
      };
      if (o.ages.empty()) {
        if (o.count > 0) check_age(o.age, op + "/age");
      } else {
        for (std::size_t k = 0; k < o.ages.size(); ++k) check_age(o.ages[k], op + "/ages/" + idx(k));
      }
    }
  }

  // Every stage must reach an outcome through routes with p > 0.
  void check_reachability() const {
    const std::size_t S = m_.stages.size();
    std::vector<char> reaches(S, 0);
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t s = 0; s < S; ++s) {
        if (reaches[s]) continue;
        for (const auto& r : m_.stages[s].routes)
          if (r.p > 0 && (r.to_node >= S || reaches[r.to_node])) {
            reaches[s] = 1;
            changed = true;
            break;
          }
      }
    }
    std::string stuck;
    for (std::size_t s = 0; s < S; ++s)
      if (!reaches[s]) stuck += (stuck.empty() ? "'" : ", '") + m_.stages[s].id + "'";
    if (!stuck.empty())
      throw singular_model("stages that can never reach an outcome (a loop with no way out): " + stuck);
  }

  model_type m_;
  std::vector<std::string> ids_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace salespipe

#endif  // SALESPIPE_PIPELINE_HPP
