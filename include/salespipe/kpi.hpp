// salespipe/kpi.hpp — KPIs: small value types naming nodes, evaluated on results.
//
//     #include <salespipe/analytic/kpi.hpp>   // evaluate() on the analytic engine's results
//     namespace kpi = salespipe::kpi;
//     auto ss = salespipe::analytic::solve_steady_state(p);
//     double w = evaluate(kpi::win_rate{"prospect", "won"}, ss);      // P(won | enter prospect)
//     double t = evaluate(kpi::cycle_time{"lead", "customer"}, ss);  // months, deals that get there
//
// A KPI is a plain struct holding node ids; the engines' results give it a number. This
// header holds the types and the concept only (std only); each engine evaluates them on its
// own results, beside it: analytic/kpi.hpp (double) and simulate/kpi.hpp (an estimate with
// its standard error).
//
// The KPI concept: a type K is a KPI for a result type Result when, for `k` a const K&
// and `r` a const Result&:
//
// | expression      | returns                          | meaning                              |
// |-----------------|----------------------------------|--------------------------------------|
// | `evaluate(k, r)`| double (analytic), or an estimate| the KPI's value on the result r;     |
// |                 | type (simulation results)        | found by argument-dependent lookup   |
// | `name(k)` (optional) | std::string                 | a label for reports                  |
//
// Checked by `salespipe::is_kpi_v<K, Result>` (C++17) and `salespipe::kpi_for<K, Result>`
// (C++20). A user KPI (see tests/kpi_test.cpp):
//
//     namespace my {
//     struct lost_share { };   // share of source deals that end lost
//     inline double evaluate(const lost_share&, const salespipe::analytic::steady_state& ss) {
//       return ss.outcome("lost").probability;
//     }
//     }  // namespace my
//     static_assert(salespipe::is_kpi_v<my::lost_share, salespipe::analytic::steady_state>);
//
// Ids: an empty `from`/`stage` means "a deal arriving from the sources" (source-mix
// weighted). Unknown ids, or a stage where an outcome is needed (or the reverse), throw
// invalid_option. Undefined values (a cycle time to a node never reached) are NaN.
#ifndef SALESPIPE_KPI_HPP
#define SALESPIPE_KPI_HPP

#include <string>
#include <type_traits>
#include <utility>

#include <salespipe/config.hpp>

#if SALESPIPE_HAS_CONCEPTS
#include <concepts>
#endif

namespace salespipe {
namespace kpi {

/// P(a deal entering `from` later enters `to`) (to: stage or outcome). The probability,
/// not the expected number of entries (they differ only when `to` can be re-entered).
struct conversion_rate {
  std::string from;  ///< stage ("" = from the sources)
  std::string to;    ///< stage or outcome
};
/// P(a deal entering `stage` ends in `outcome`).
struct win_rate {
  std::string stage;    ///< stage ("" = from the sources)
  std::string outcome;  ///< outcome
};
/// Mean time (time units) from entering `from` to the first entry into `to`, for the
/// deals that get there (e.g. lead → customer).
struct cycle_time {
  std::string from;  ///< stage ("" = from arrival at a source)
  std::string to;    ///< stage or outcome
};
/// Open WIP / required WIP of a stage for the coverage target (evaluated on a coverage).
struct coverage_ratio {
  std::string stage;
};
/// Sales velocity toward `node`, value per time unit (analytic/velocity.hpp).
struct velocity {
  std::string node;
};
/// Mean number of deals in `stage` ("" = all stages).
struct wip {
  std::string stage;
};
/// Entries into `node` per time unit.
struct throughput {
  std::string node;
};
/// Value booked per time unit at `node` ("" = all nodes).
struct value_rate {
  std::string node;
};

/// Labels for reports, e.g. "win_rate(prospect -> won)".
inline std::string name(const conversion_rate& k) { return "conversion_rate(" + k.from + " -> " + k.to + ")"; }
inline std::string name(const win_rate& k) { return "win_rate(" + k.stage + " -> " + k.outcome + ")"; }
inline std::string name(const cycle_time& k) { return "cycle_time(" + k.from + " -> " + k.to + ")"; }
inline std::string name(const coverage_ratio& k) { return "coverage_ratio(" + k.stage + ")"; }
inline std::string name(const velocity& k) { return "velocity(" + k.node + ")"; }
inline std::string name(const wip& k) { return "wip(" + k.stage + ")"; }
inline std::string name(const throughput& k) { return "throughput(" + k.node + ")"; }
inline std::string name(const value_rate& k) { return "value_rate(" + k.node + ")"; }

namespace detail {
// evaluate(k, r) is found by argument-dependent lookup in the namespaces of K and Result.
template <class K, class Result, class = void>
struct is_kpi_impl : std::false_type {};
template <class K, class Result>
struct is_kpi_impl<K, Result, std::void_t<decltype(evaluate(std::declval<const K&>(), std::declval<const Result&>()))>>
    : std::true_type {};
}  // namespace detail

}  // namespace kpi

/// True when `evaluate(k, r)` is valid for a const K& k and const Result& r (the KPI
/// concept, table above).
template <class K, class Result>
inline constexpr bool is_kpi_v = kpi::detail::is_kpi_impl<K, Result>::value;

#if SALESPIPE_HAS_CONCEPTS
/// C++20 spelling of is_kpi_v.
template <class K, class Result>
concept kpi_for = is_kpi_v<K, Result>;
#endif

}  // namespace salespipe

#endif  // SALESPIPE_KPI_HPP
