// salespipe/duration.hpp — the Duration concept and the generic operations on it.
//
// A Duration (also used for values) is any copyable type `D` for which these
// expressions, found by argument-dependent lookup, are valid:
//
// | expression                  | returns | meaning                                        |
// |-----------------------------|---------|------------------------------------------------|
// | `mean(d)`                   | double  | E[T], finite, >= 0                             |
// | `variance(d)`               | double  | Var[T], finite, >= 0                           |
// | `cdf(d, x)`                 | double  | P(T <= x)                                      |
// | `quantile(d, p)`            | double  | smallest x with cdf(d, x) >= p, p in (0, 1)    |
// | `sample(d, rng)`            | double  | one draw; rng is a salespipe::random_engine&   |
// | `survival(d, x)` (optional) | double  | P(T > x); default 1 − cdf(d, x)                |
// | `sample_remaining(d, a, rng)` (optional) | double | T − a given T > a; default: inversion |
//
// `sample` must be fast and must not use std::*_distribution (implementation-defined
// sequences break determinism across platforms). See examples/custom_duration.cpp.
#ifndef SALESPIPE_DURATION_HPP
#define SALESPIPE_DURATION_HPP

#include <cstddef>
#include <type_traits>
#include <utility>

#include <salespipe/config.hpp>
#include <salespipe/random.hpp>

#if SALESPIPE_HAS_CONCEPTS
#include <concepts>
#endif

namespace salespipe {
namespace detail {

template <class D, class = void>
struct is_duration_impl : std::false_type {};
template <class D>
struct is_duration_impl<
    D,
    std::void_t<decltype(double(mean(std::declval<const D&>()))), decltype(double(variance(std::declval<const D&>()))),
                decltype(double(cdf(std::declval<const D&>(), 1.0))),
                decltype(double(quantile(std::declval<const D&>(), 0.5))),
                decltype(double(sample(std::declval<const D&>(), std::declval<random_engine&>())))>>
    : std::is_copy_constructible<D> {};

template <class D, class = void>
struct has_survival : std::false_type {};
template <class D>
struct has_survival<D, std::void_t<decltype(survival(std::declval<const D&>(), 1.0))>> : std::true_type {};

template <class D, class = void>
struct has_sample_remaining : std::false_type {};
template <class D>
struct has_sample_remaining<
    D, std::void_t<decltype(sample_remaining(std::declval<const D&>(), 1.0, std::declval<random_engine&>()))>>
    : std::true_type {};

}  // namespace detail

/// True when D models the Duration concept (table above).
template <class D>
inline constexpr bool is_duration_v = detail::is_duration_impl<D>::value;

#if SALESPIPE_HAS_CONCEPTS
/// C++20 spelling of is_duration_v.
template <class D>
concept duration = is_duration_v<D>;
#endif

/// P(T > x): the type's own `survival` if it has one, else 1 − cdf.
template <class D>
double survival_of(const D& d, double x) {
  if constexpr (detail::has_survival<D>::value)
    return survival(d, x);
  else
    return 1.0 - cdf(d, x);
}

/// A draw of T − age given T > age (an open deal's remaining time in its stage).
/// Uses the type's `sample_remaining` if it has one, else inversion of the upper tail.
/// Precondition: survival_of(d, age) > 0 (checked when the pipeline is validated).
/// Not meant for hot loops.
template <class D>
double remaining_time(const D& d, double age, random_engine& rng) {
  if constexpr (detail::has_sample_remaining<D>::value) {
    return sample_remaining(d, age, rng);
  } else {
    if (age <= 0) return sample(d, rng);
    const double s = survival_of(d, age);
    const double t = quantile(d, 1.0 - s * rng.uniform_open());
    return t > age ? t - age : 0.0;
  }
}

/// Fills out[0..n) with independent draws of d (the batch form the simulator uses;
/// `distribution` overloads it to dispatch once per batch).
template <class D>
void sample_n(const D& d, random_engine& rng, double* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = sample(d, rng);
}

}  // namespace salespipe

#endif  // SALESPIPE_DURATION_HPP
