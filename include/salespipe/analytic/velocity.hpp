// salespipe/analytic/velocity.hpp — sales velocity toward a node, from a steady state.
//
// The classic definition: velocity = pipeline deals × win rate × deal value / cycle
// length, here with every term defined on the steady state (units: value per time unit):
// - pipeline deals L: mean WIP summed over the stages from which the node can still be
//   reached (the node itself only if a deal can re-enter it);
// - win rate p: P(a deal arriving from the sources ever enters the node), source-mix
//   weighted;
// - deal value v: mean value booked per entry into the node (on_enter mean plus the
//   flow-weighted on_take of the routes into it);
// - cycle length W: mean time a deal arriving from the sources spends in those stages
//   (lost deals included until they leave), from the expected visits N.
// L comes from the entry rates (traffic equations) and W from N: by Little's law
// L = λ₀W (λ₀ the total source rate), so velocity = λ₀ p v, which equals the value booked
// on entry into the node, entry_rate × v (its value_rate for an outcome), whenever a
// deal enters the node at most once. Tests check that identity.
#ifndef SALESPIPE_ANALYTIC_VELOCITY_HPP
#define SALESPIPE_ANALYTIC_VELOCITY_HPP

#include <cstddef>
#include <string>
#include <string_view>

#include <salespipe/analytic/results.hpp>

namespace salespipe {
namespace analytic {

/// The terms of sales velocity toward a node (see the header comment).
struct velocity_terms {
  std::string node;
  double pipeline_deals = 0;  ///< L, deals
  double win_rate = 0;        ///< p, probability
  double deal_value = 0;      ///< v, currency per entry
  double cycle_length = 0;    ///< W, time units
  double value = 0;           ///< L·p·v / W, currency per time unit; 0 when W == 0
};

/// Sales velocity toward node `node` (a stage or an outcome) in steady state `ss`.
/// Throws invalid_option for an unknown node. O(S).
inline velocity_terms sales_velocity(const steady_state& ss, std::string_view node) {
  const std::size_t n = ss.index_of(node);
  velocity_terms v;
  v.node = std::string(node);
  for (const auto& st : ss.stages) {
    const bool feeds = st.node == n ? st.p_return > 0 : st.p_reach[n] > 0;
    if (feeds) {
      v.pipeline_deals += st.wip;
      v.cycle_length += st.visits * st.mean_time_in_stage;
    }
    if (ss.source_rate > 0) v.win_rate += st.source_rate / ss.source_rate * st.p_reach[n];
  }
  v.deal_value = ss.mean_value_on_entry(n);
  v.value = v.cycle_length > 0 ? v.pipeline_deals * v.win_rate * v.deal_value / v.cycle_length : 0.0;
  return v;
}

}  // namespace analytic
}  // namespace salespipe

#endif  // SALESPIPE_ANALYTIC_VELOCITY_HPP
