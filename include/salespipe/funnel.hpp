// salespipe/funnel.hpp — the linear special case: stage after stage, each converting
// with a probability, the rest lost.
//
//   salespipe::pipeline p = salespipe::funnel("funnel6")
//       .stage("Lead", 0.40, salespipe::exponential_dist(0.5))
//       .stage("MQL", 0.50, salespipe::gamma_dist::with_mean(2, 1))
//       .outcome("Won").inflow(300).build();
#ifndef SALESPIPE_FUNNEL_HPP
#define SALESPIPE_FUNNEL_HPP

#include <optional>
#include <string>
#include <utility>

#include <salespipe/pipeline.hpp>

namespace salespipe {

/// Builder of a linear funnel. Stage i converts to stage i+1 (the last to the final
/// outcome) with its conversion probability; the remainder is lost.
template <class Duration>
class basic_funnel {
 public:
  explicit basic_funnel(std::string name = {}, time_unit unit = time_unit::month) {
    m_.name = std::move(name);
    m_.unit = unit;
  }
  /// Appends a stage with its conversion probability (in [0, 1]) and time in stage.
  basic_funnel& stage(std::string id, double conversion, Duration time_in_stage) {
    m_.add_stage(std::move(id), std::move(time_in_stage));
    conversions_.push_back(conversion);
    return *this;
  }
  /// Names the final outcome (default "won").
  basic_funnel& outcome(std::string id) {
    final_ = std::move(id);
    return *this;
  }
  /// Value booked when a deal reaches the final outcome.
  basic_funnel& value(distribution v) {
    value_ = std::move(v);
    return *this;
  }
  /// Poisson inflow into the first stage, per time unit.
  basic_funnel& inflow(double rate) {
    inflow_ = rate;
    return *this;
  }
  /// Target: entries into the final outcome per time unit.
  basic_funnel& target(double per_period) {
    target_ = per_period;
    return *this;
  }
  /// The model (unvalidated).
  basic_model<Duration> model() const {
    basic_model<Duration> m = m_;
    for (std::size_t i = 0; i < m.stages.size(); ++i) {
      const bool last = i + 1 == m.stages.size();
      m.stages[i].to(last ? final_ : m.stages[i + 1].id, conversions_[i]);
    }
    m.add_outcome(final_).on_enter = value_;
    if (inflow_ && !m.stages.empty()) m.add_source(m.stages.front().id, *inflow_);
    if (target_) m.set_target(final_, *target_);
    return m;
  }
  /// The validated pipeline; throws invalid_model like basic_pipeline.
  basic_pipeline<Duration> build() const { return basic_pipeline<Duration>(model()); }

 private:
  basic_model<Duration> m_;
  std::vector<double> conversions_;
  std::string final_ = "won";
  std::optional<distribution> value_;
  std::optional<double> inflow_;
  std::optional<double> target_;
};

}  // namespace salespipe

#endif  // SALESPIPE_FUNNEL_HPP
