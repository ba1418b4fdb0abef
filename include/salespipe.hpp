// salespipe.hpp — the umbrella header: the whole library except the opt-in io/ headers
// (io/json.hpp needs nlohmann_json; io/svg.hpp and io/charts/ are the charts; io/csv.hpp,
// io/opportunity_csv.hpp and io/stage_history_csv.hpp read CRM exports).
#ifndef SALESPIPE_HPP
#define SALESPIPE_HPP

#include <salespipe/config.hpp>
#include <salespipe/error.hpp>
#include <salespipe/fwd.hpp>

// The model.
#include <salespipe/distribution.hpp>
#include <salespipe/duration.hpp>
#include <salespipe/example_model.hpp>
#include <salespipe/funnel.hpp>
#include <salespipe/model.hpp>
#include <salespipe/pipeline.hpp>
#include <salespipe/random.hpp>

// The analytic engine.
#include <salespipe/analytic/coverage.hpp>
#include <salespipe/analytic/forecast.hpp>
#include <salespipe/analytic/kpi.hpp>
#include <salespipe/analytic/lag.hpp>
#include <salespipe/analytic/sensitivity.hpp>
#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/analytic/transient.hpp>
#include <salespipe/analytic/velocity.hpp>
#include <salespipe/calendar.hpp>

// The Monte Carlo engine.
#include <salespipe/simulate/cohort.hpp>
#include <salespipe/simulate/engine.hpp>
#include <salespipe/simulate/kpi.hpp>
#include <salespipe/simulate/parallel.hpp>
#include <salespipe/simulate/posterior.hpp>
#include <salespipe/simulate/summary.hpp>

// Key links: sensitivities, ranking, scenarios, reallocation.
#include <salespipe/keylinks/kpi.hpp>
#include <salespipe/keylinks/lever.hpp>
#include <salespipe/keylinks/ranking.hpp>
#include <salespipe/keylinks/reallocate.hpp>
#include <salespipe/keylinks/scenario.hpp>
#include <salespipe/keylinks/sensitivity.hpp>

// KPIs, estimation and the backtest (fit at a past date, compare both engines with what happened).
#include <salespipe/backtest/backtest.hpp>
#include <salespipe/estimate/beta_posterior.hpp>
#include <salespipe/estimate/duration_fit.hpp>
#include <salespipe/estimate/history_fit.hpp>
#include <salespipe/estimate/kaplan_meier.hpp>
#include <salespipe/estimate/opportunities.hpp>
#include <salespipe/estimate/posterior.hpp>
#include <salespipe/estimate/source_trend.hpp>
#include <salespipe/estimate/stage_history.hpp>
#include <salespipe/kpi.hpp>

#endif  // SALESPIPE_HPP
