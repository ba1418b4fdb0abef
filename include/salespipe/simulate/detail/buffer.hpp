// salespipe/simulate/detail/buffer.hpp — a growable array of doubles that never
// initialises its elements (std::vector::resize would zero them on every batch).
#ifndef SALESPIPE_SIMULATE_DETAIL_BUFFER_HPP
#define SALESPIPE_SIMULATE_DETAIL_BUFFER_HPP

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>

namespace salespipe::simulate::detail {

class buffer {
 public:
  std::size_t size() const noexcept { return n_; }
  double* data() noexcept { return p_.get(); }
  const double* data() const noexcept { return p_.get(); }
  void clear() noexcept { n_ = 0; }
  /// Appends m uninitialised elements; returns a pointer to the first.
  double* grow(std::size_t m) {
    if (n_ + m > cap_) reserve(std::max(n_ + m, 2 * cap_));
    double* r = p_.get() + n_;
    n_ += m;
    return r;
  }
  /// Keeps the first n elements (n <= size()).
  void shrink(std::size_t n) noexcept { n_ = n; }
  /// Size n, contents unspecified.
  double* reset(std::size_t n) {
    n_ = 0;
    return grow(n);
  }

 private:
  void reserve(std::size_t c) {
    c = std::max<std::size_t>(c, 64);
    std::unique_ptr<double[]> q(new double[c]);
    if (n_) std::memcpy(q.get(), p_.get(), n_ * sizeof(double));
    p_ = std::move(q);
    cap_ = c;
  }
  std::unique_ptr<double[]> p_;
  std::size_t n_ = 0, cap_ = 0;
};

}  // namespace salespipe::simulate::detail

#endif  // SALESPIPE_SIMULATE_DETAIL_BUFFER_HPP
