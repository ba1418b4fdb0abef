// salespipe/io/charts/from_estimate.hpp — fit diagnostics: a Kaplan–Meier curve
// (estimate/kaplan_meier.hpp) against a fitted duration's survival curve.
#ifndef SALESPIPE_IO_CHARTS_FROM_ESTIMATE_HPP
#define SALESPIPE_IO_CHARTS_FROM_ESTIMATE_HPP

#include <cstddef>
#include <string>
#include <vector>

#include <salespipe/distribution.hpp>
#include <salespipe/estimate/kaplan_meier.hpp>
#include <salespipe/io/charts/lines.hpp>

namespace salespipe::io::charts {

/// The KM curve `km` (with its interval as a band) and the survival curve of `fitted`
/// (200 points over [0, km.max_time]), as an SVG chart.
inline std::string fit_chart(const estimate::km_curve& km, const distribution& fitted, std::string title,
                             std::string x_label, std::string fitted_label = "fitted", const chart_options& o = {}) {
  std::vector<km_point> pts;
  for (const auto& s : km.steps) pts.push_back({s.time, s.surv, s.lower, s.upper});
  std::vector<double> x, s;
  constexpr std::size_t n = 200;
  for (std::size_t i = 0; i <= n; ++i) {
    const double t = km.max_time * static_cast<double>(i) / static_cast<double>(n);
    x.push_back(t);
    s.push_back(salespipe::survival(fitted, t));
  }
  return km_chart(pts, km.max_time, x, s, std::move(title), std::move(x_label), std::move(fitted_label), o);
}

}  // namespace salespipe::io::charts

#endif  // SALESPIPE_IO_CHARTS_FROM_ESTIMATE_HPP
