// salespipe/keylinks/lever.hpp — levers: the parameters of a model that effort can move.
// A lever is a salespipe::parameter (edit.hpp: names, the remainder-to-lost convention,
// value() and with()); these are the key-links spellings of the same functions.
#ifndef SALESPIPE_KEYLINKS_LEVER_HPP
#define SALESPIPE_KEYLINKS_LEVER_HPP

#include <string>
#include <vector>

#include <salespipe/edit.hpp>

namespace salespipe {
namespace keylinks {

using lever_kind = parameter_kind;
using lever = parameter;

/// The lever named `name`: find_parameter(). Throws invalid_model naming the lever.
inline lever parse_lever(const pipeline& pl, const std::string& name) { return find_parameter(pl, name); }

/// Every lever of `pl`: all_parameters().
inline std::vector<lever> all_levers(const pipeline& pl) { return all_parameters(pl); }

/// The lever's value θ in `pl` (source rates at time `rates_at`): salespipe::value().
inline double lever_value(const pipeline& pl, const lever& l, double rates_at = 0) {
  return salespipe::value(pl, l, rates_at);
}

/// The model of `pl` with the lever's value multiplied by `factor` (scale_in_place(); with()
/// gives the validated pipeline). Throws invalid_model naming the lever and the value.
inline model scale_lever(const pipeline& pl, const lever& l, double factor) {
  model m = pl.model();
  scale_in_place(m, l, factor);
  return m;
}

}  // namespace keylinks
}  // namespace salespipe

#endif  // SALESPIPE_KEYLINKS_LEVER_HPP
