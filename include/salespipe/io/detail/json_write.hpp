// salespipe/io/detail/json_write.hpp — the MODEL_FORMAT v1 writer behind io/json.hpp
// (basic_model<distribution> -> JSON DOM -> file text).
#ifndef SALESPIPE_IO_DETAIL_JSON_WRITE_HPP
#define SALESPIPE_IO_DETAIL_JSON_WRITE_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include <salespipe/detail/format.hpp>
#include <salespipe/distribution.hpp>
#include <salespipe/error.hpp>
#include <salespipe/model.hpp>

namespace salespipe::io::detail {

/// A number for the file: integral values as integers ("rate": 45, not 45.0). Throws
/// invalid_model(path) for NaN or infinity, which JSON cannot represent.
template <class Json>
Json number_json(double x, const std::string& path) {
  if (!std::isfinite(x))
    throw invalid_model(
        path, path + ": cannot write " + salespipe::detail::num(x) + " to a model file (JSON has no NaN or infinity)");
  if (std::floor(x) == x && std::fabs(x) <= 9007199254740992.0) return Json(static_cast<std::int64_t>(x));
  return Json(x);
}

/// The shortest decimal mean that gives back exactly this gamma's scale (scale = mean /
/// shape), so a mean of 1 with shape 49 is written as 1, not 0.9999999999999999.
inline double gamma_file_mean(const gamma_dist& g) {
  const double m = g.shape * g.scale;
  for (int digits = 1; digits <= 17; ++digits) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.*g", digits, m);
    const double c = std::strtod(buf, nullptr);
    if (c > 0 && c / g.shape == g.scale) return c;
  }
  double lo = m, hi = m;  // not reached in practice: the nearest neighbours of m
  for (int k = 0; k < 8; ++k) {
    lo = std::nextafter(lo, 0.0);
    hi = std::nextafter(hi, HUGE_VAL);
    if (hi / g.shape == g.scale) return hi;
    if (lo > 0 && lo / g.shape == g.scale) return lo;
  }
  return m;
}

template <class Json>
Json dist_json(const distribution& d, const std::string& path) {
  Json j;
  j["dist"] = std::string(d.kind());
  auto put = [&](const char* key, double x) { j[key] = number_json<Json>(x, path + "/" + key); };
  if (auto* e = d.get_if<exponential_dist>()) {
    put("mean", e->mean_value);
  } else if (auto* g = d.get_if<gamma_dist>()) {
    put("shape", g->shape);
    if (g->given_as_mean)
      put("mean", gamma_file_mean(*g));
    else
      put("scale", g->scale);
  } else if (auto* l = d.get_if<lognormal_dist>()) {
    if (l->given_mean_sd) {
      put("mean", l->given_mean_sd->first);
      put("sd", l->given_mean_sd->second);
    } else {
      put("mu", l->mu);
      put("sigma", l->sigma);
    }
  } else if (auto* w = d.get_if<weibull_dist>()) {
    put("shape", w->shape);
    put("scale", w->scale);
  } else if (auto* f = d.get_if<fixed_dist>()) {
    put("value", f->value);
  } else if (auto* u = d.get_if<uniform_dist>()) {
    put("min", u->min);
    put("max", u->max);
  } else if (auto* em = d.get_if<empirical_dist>()) {
    Json arr = Json::array();
    for (std::size_t i = 0; i < em->given().size(); ++i)
      arr.push_back(number_json<Json>(em->given()[i], path + "/samples/" + std::to_string(i)));
    j["samples"] = std::move(arr);
  }
  return j;
}

template <class Json>
Json model_json(const model& m) {
  Json j;
  j["salespipe"] = 1;
  j["name"] = m.name;
  j["time_unit"] = std::string(to_string(m.unit));
  Json stages = Json::array();
  for (std::size_t s = 0; s < m.stages.size(); ++s) {
    const auto& st = m.stages[s];
    const std::string sp = "/stages/" + std::to_string(s);
    Json js;
    js["id"] = st.id;
    js["duration"] = dist_json<Json>(st.duration, sp + "/duration");
    if (st.reward_rate != 0) js["reward_rate"] = number_json<Json>(st.reward_rate, sp + "/reward_rate");
    if (st.on_enter) js["on_enter"] = dist_json<Json>(*st.on_enter, sp + "/on_enter");
    Json routes = Json::array();
    for (std::size_t k = 0; k < st.routes.size(); ++k) {
      const auto& r = st.routes[k];
      if (r.implicit) continue;
      const std::string rp = sp + "/routes/" + std::to_string(k);
      Json jr;
      jr["to"] = r.to;
      jr["p"] = number_json<Json>(r.p, rp + "/p");
      if (r.duration) jr["duration"] = dist_json<Json>(*r.duration, rp + "/duration");
      if (r.on_take) jr["on_take"] = dist_json<Json>(*r.on_take, rp + "/on_take");
      routes.push_back(std::move(jr));
    }
    js["routes"] = std::move(routes);
    stages.push_back(std::move(js));
  }
  j["stages"] = std::move(stages);
  Json outcomes = Json::array();
  for (std::size_t k = 0; k < m.outcomes.size(); ++k) {
    const auto& o = m.outcomes[k];
    if (o.implicit) continue;
    Json jo;
    jo["id"] = o.id;
    if (o.on_enter) jo["on_enter"] = dist_json<Json>(*o.on_enter, "/outcomes/" + std::to_string(k) + "/on_enter");
    outcomes.push_back(std::move(jo));
  }
  j["outcomes"] = std::move(outcomes);
  Json sources = Json::array();
  for (std::size_t i = 0; i < m.sources.size(); ++i) {
    const auto& src = m.sources[i];
    const std::string p = "/sources/" + std::to_string(i);
    Json js;
    js["stage"] = src.stage;
    js["rate"] = number_json<Json>(src.rate, p + "/rate");
    if (!src.schedule.empty()) {
      Json sch = Json::array();
      for (std::size_t k = 0; k < src.schedule.size(); ++k) {
        const std::string cp = p + "/schedule/" + std::to_string(k);
        Json c;
        c["from"] = number_json<Json>(src.schedule[k].from, cp + "/from");
        c["rate"] = number_json<Json>(src.schedule[k].rate, cp + "/rate");
        sch.push_back(std::move(c));
      }
      js["schedule"] = std::move(sch);
    }
    sources.push_back(std::move(js));
  }
  j["sources"] = std::move(sources);
  Json open = Json::array();
  for (std::size_t i = 0; i < m.open_pipeline.size(); ++i) {
    const auto& o = m.open_pipeline[i];
    const std::string p = "/open_pipeline/" + std::to_string(i);
    Json jo;
    jo["stage"] = o.stage;
    if (o.ages.empty()) {
      jo["count"] = static_cast<std::uint64_t>(o.count);
      jo["age"] = number_json<Json>(o.age, p + "/age");
    } else {
      Json ages = Json::array();
      for (std::size_t k = 0; k < o.ages.size(); ++k)
        ages.push_back(number_json<Json>(o.ages[k], p + "/ages/" + std::to_string(k)));
      jo["ages"] = std::move(ages);
    }
    open.push_back(std::move(jo));
  }
  j["open_pipeline"] = std::move(open);
  if (m.target) {
    Json t;
    t["node"] = m.target->node;
    t["per_period"] = number_json<Json>(m.target->per_period, "/target/per_period");
    j["target"] = std::move(t);
  }
  return j;
}

// Layout of the file: small leaf objects and arrays on one line (as in MODEL_FORMAT.md),
// everything else one member per line, 2-space indent; long arrays of numbers (empirical
// samples, ages) filled up to the line width. nlohmann's dump(2) would put every number
// of every distribution on its own line.
inline constexpr std::size_t text_width = 96;

inline std::size_t json_depth(const nlohmann::ordered_json& j) {
  std::size_t d = 0;
  if (j.is_structured())
    for (const auto& v : j) d = std::max(d, json_depth(v));
  return j.is_structured() ? d + 1 : 0;
}

inline std::string scalar_text(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::strict);
}

inline std::string inline_text(const nlohmann::ordered_json& j) {
  if (!j.is_structured()) return scalar_text(j);
  std::string out = j.is_object() ? "{" : "[";
  bool first = true;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!first) out += ", ";
    first = false;
    if (j.is_object()) out += scalar_text(nlohmann::ordered_json(it.key())) + ": ";
    out += inline_text(*it);
  }
  return out + (j.is_object() ? "}" : "]");
}

/// Appends `j` to `out`; `col` is the column where it starts, `indent` its block indent.
inline void layout(const nlohmann::ordered_json& j, std::size_t indent, std::size_t col, std::string& out) {
  const std::string flat = inline_text(j);
  if (!j.is_structured() || j.empty() || (json_depth(j) <= 2 && col + flat.size() + 1 <= text_width)) {
    out += flat;
    return;
  }
  const std::string pad(indent + 2, ' ');
  bool numbers = j.is_array();
  for (const auto& v : j) numbers = numbers && v.is_number();
  if (numbers) {  // fill lines
    out += "[\n" + pad;
    std::size_t c = pad.size();
    for (std::size_t i = 0; i < j.size(); ++i) {
      const std::string t = scalar_text(j[i]) + (i + 1 < j.size() ? "," : "");
      if (c > pad.size() && c + 1 + t.size() > text_width) {
        out += "\n" + pad;
        c = pad.size();
      } else if (c > pad.size()) {
        out += ' ';
        ++c;
      }
      out += t;
      c += t.size();
    }
    out += "\n" + std::string(indent, ' ') + "]";
    return;
  }
  out += j.is_object() ? "{\n" : "[\n";
  std::size_t k = 0;
  for (auto it = j.begin(); it != j.end(); ++it, ++k) {
    out += pad;
    std::size_t c = pad.size();
    if (j.is_object()) {
      const std::string key = scalar_text(nlohmann::ordered_json(it.key())) + ": ";
      out += key;
      c += key.size();
    }
    layout(*it, indent + 2, c, out);
    out += k + 1 < j.size() ? ",\n" : "\n";
  }
  out += std::string(indent, ' ') + (j.is_object() ? "}" : "]");
}

/// The file text of a JSON value laid out as above, with a final newline.
inline std::string layout(const nlohmann::ordered_json& j) {
  std::string out;
  layout(j, 0, 0, out);
  return out + "\n";
}

}  // namespace salespipe::io::detail

#endif  // SALESPIPE_IO_DETAIL_JSON_WRITE_HPP
