// salespipe/fwd.hpp — forward declarations and the default aliases.
#ifndef SALESPIPE_FWD_HPP
#define SALESPIPE_FWD_HPP

namespace salespipe {

class distribution;
class random_engine;

template <class Duration>
struct basic_route;
template <class Duration>
struct basic_stage;
template <class Duration>
struct basic_model;
template <class Duration>
class basic_pipeline;
template <class Duration>
class basic_funnel;

struct outcome;
struct source;
struct open_deals;
struct target;

/// The defaults over the built-in distribution set.
using route = basic_route<distribution>;
using stage = basic_stage<distribution>;
using model = basic_model<distribution>;
using pipeline = basic_pipeline<distribution>;
using funnel = basic_funnel<distribution>;

}  // namespace salespipe

#endif  // SALESPIPE_FWD_HPP
