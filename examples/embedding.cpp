// embedding.cpp — a host application calling the library from its own thread pool: four
// std::thread workers take what-if scenarios of the built-in example (leads x0.8..x1.5, win
// rate 1/3 or 40%) from a shared queue; each solves the steady state, forecasts 12 months and
// simulates them, and also simulates the one shared const base pipeline. Calls are reentrant
// (immutable pipelines, no globals; a simulation with a seed is deterministic). Checks the
// results equal a sequential run bit for bit, and the steady states the closed form.
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <thread>
#include <vector>

#include <salespipe/analytic/forecast.hpp>
#include <salespipe/analytic/lag.hpp>
#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/example_model.hpp>
#include <salespipe/simulate/engine.hpp>
#include <salespipe/simulate/summary.hpp>

namespace {

struct scenario {
  double inflow, win;
};
struct answer {
  double customers_per_month = 0, bookings_12m = 0, simulated_12m = 0;
  salespipe::simulate::results base_run;  // the shared pipeline, this scenario's seed
};

answer evaluate(const salespipe::pipeline& base, const scenario& s, std::uint64_t seed) {
  using namespace salespipe;
  const pipeline p(set_conversion(scale_source_from(base.model(), 0, 0, s.inflow), "prospect", "customer", s.win));
  answer a;
  a.customers_per_month = analytic::solve_steady_state(p).stage("customer").entry_rate;
  const analytic::forecast_result f = analytic::forecast(p, 12);
  const std::size_t c = f.node("customer");
  a.bookings_12m = f.sum({0, 12}, [&](std::size_t k) { return f.booked(c, k); });
  simulate::options o;  // one thread per call: the host's pool owns the cores
  o.periods = 12, o.replications = 200, o.seed = seed, o.threads = 1;
  const auto r = simulate::run(p, o);
  a.simulated_12m = simulate::summarize(r, simulate::quantity::value, r.node_index("customer"), {0, 12}).mean;
  a.base_run = simulate::run(base, o);
  return a;
}

}  // namespace

int main() {
  const salespipe::pipeline base(salespipe::example_model());  // shared, read-only
  std::vector<scenario> todo;
  for (double inflow : {0.8, 1.0, 1.2, 1.5})
    for (double win : {1.0 / 3, 0.4}) todo.push_back({inflow, win});

  // The host's pool: workers pull scenario indices from an atomic counter. The library
  // reports errors by exceptions (salespipe::error): a worker hands them to the host.
  std::vector<answer> pooled(todo.size());
  std::vector<std::exception_ptr> failed(todo.size());
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (int w = 0; w < 4; ++w)
    pool.emplace_back([&] {
      for (std::size_t i = next++; i < todo.size(); i = next++) try {
          pooled[i] = evaluate(base, todo[i], 1000 + i);
        } catch (...) {
          failed[i] = std::current_exception();
        }
    });
  for (auto& t : pool) t.join();
  for (const auto& e : failed)
    if (e) std::rethrow_exception(e);

  bool same = true, closed_form = true;
  std::printf("leads  win rate  customers/mo  bookings 12 mo (exact)  (simulated)\n");
  for (std::size_t i = 0; i < todo.size(); ++i) {
    const answer ref = evaluate(base, todo[i], 1000 + i);  // sequential reference
    const answer& a = pooled[i];
    same = same && a.customers_per_month == ref.customers_per_month && a.bookings_12m == ref.bookings_12m &&
           a.simulated_12m == ref.simulated_12m && a.base_run == ref.base_run;
    // and right: 45 leads x inflow x 0.4 x 0.5 x win rate new customers a month
    closed_form = closed_form && std::fabs(a.customers_per_month - 9 * todo[i].inflow * todo[i].win) < 1e-9;
    std::printf("x%-4.1f %8.3f %13.2f %23.0f %12.0f\n", todo[i].inflow, todo[i].win, a.customers_per_month,
                a.bookings_12m, a.simulated_12m);
  }
  std::printf("%zu scenarios on 4 threads: %s the sequential run; steady states %s\n", todo.size(),
              same ? "bit-identical to" : "DIFFERENT from",
              closed_form ? "as the closed form" : "NOT as the closed form");
  return same && closed_form ? 0 : 1;
}
