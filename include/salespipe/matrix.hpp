// salespipe/matrix.hpp — a small dense row-major matrix of doubles, the matrix type of
// public results (expected visits, absorption probabilities, ...). A plain value type:
// no arithmetic, no expression templates; the engines compute with Eigen internally
// and copy into this.
#ifndef SALESPIPE_MATRIX_HPP
#define SALESPIPE_MATRIX_HPP

#include <cstddef>
#include <string>
#include <vector>

#include <salespipe/error.hpp>

namespace salespipe {

/// Dense row-major matrix of doubles. Element (i, j) is `data()[i * cols() + j]`.
///
///     salespipe::matrix m(2, 3);      // zeros
///     m(1, 2) = 4.5;
///     double x = m.at(1, 2);          // bounds-checked
class matrix {
 public:
  /// An empty 0×0 matrix.
  matrix() = default;
  /// A rows×cols matrix filled with `fill`.
  matrix(std::size_t rows, std::size_t cols, double fill = 0.0) : rows_(rows), cols_(cols), data_(rows * cols, fill) {}

  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  /// rows() * cols().
  std::size_t size() const noexcept { return data_.size(); }
  bool empty() const noexcept { return data_.empty(); }

  /// Element (i, j); unchecked (precondition i < rows(), j < cols()).
  double& operator()(std::size_t i, std::size_t j) noexcept { return data_[i * cols_ + j]; }
  double operator()(std::size_t i, std::size_t j) const noexcept { return data_[i * cols_ + j]; }

  /// Element (i, j); throws invalid_option when outside the matrix.
  double at(std::size_t i, std::size_t j) const {
    check(i, j);
    return data_[i * cols_ + j];
  }
  double& at(std::size_t i, std::size_t j) {
    check(i, j);
    return data_[i * cols_ + j];
  }

  /// The elements in row-major order (size() of them).
  double* data() noexcept { return data_.data(); }
  const double* data() const noexcept { return data_.data(); }
  /// The elements in row-major order, as a vector.
  const std::vector<double>& values() const noexcept { return data_; }

  /// Row i as a vector (a copy).
  std::vector<double> row(std::size_t i) const {
    check(i, 0);
    return std::vector<double>(data_.begin() + static_cast<std::ptrdiff_t>(i * cols_),
                               data_.begin() + static_cast<std::ptrdiff_t>((i + 1) * cols_));
  }

  friend bool operator==(const matrix& a, const matrix& b) noexcept {
    return a.rows_ == b.rows_ && a.cols_ == b.cols_ && a.data_ == b.data_;
  }
  friend bool operator!=(const matrix& a, const matrix& b) noexcept { return !(a == b); }

 private:
  void check(std::size_t i, std::size_t j) const {
    if (i >= rows_ || (j >= cols_ && !(j == 0 && cols_ == 0)))
      throw invalid_option("salespipe::matrix: element (" + std::to_string(i) + ", " + std::to_string(j) +
                           ") outside a " + std::to_string(rows_) + "x" + std::to_string(cols_) + " matrix");
  }

  std::size_t rows_ = 0;
  std::size_t cols_ = 0;
  std::vector<double> data_;
};

}  // namespace salespipe

#endif  // SALESPIPE_MATRIX_HPP
