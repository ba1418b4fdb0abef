// Version, feature detection and the assertion macro. Standard library only.
#ifndef SALESPIPE_CONFIG_HPP
#define SALESPIPE_CONFIG_HPP

/// Library version (semantic versioning). CMake's project() version is checked against
/// SALESPIPE_VERSION_STRING at configure time.
#define SALESPIPE_VERSION_MAJOR 0
#define SALESPIPE_VERSION_MINOR 1
#define SALESPIPE_VERSION_PATCH 0
#define SALESPIPE_VERSION_STRING "0.1.0"
/// The version as one comparable number: major * 10000 + minor * 100 + patch.
#define SALESPIPE_VERSION (SALESPIPE_VERSION_MAJOR * 10000 + SALESPIPE_VERSION_MINOR * 100 + SALESPIPE_VERSION_PATCH)

#if defined(__has_include)
#if __has_include(<version>)
#include <version>  // __cpp_lib_concepts (C++20 library feature macros)
#endif
#endif

/// 1 when C++20 concepts can be used: the language feature (`__cpp_concepts`) and the
/// `<concepts>` library header; 0 otherwise (C++17). C++20-only declarations (concepts
/// beside the C++17 traits, as {fmt} does) go under `#if SALESPIPE_HAS_CONCEPTS`.
#ifndef SALESPIPE_HAS_CONCEPTS
#if defined(__cpp_concepts) && __cpp_concepts >= 201907L && defined(__cpp_lib_concepts)
#define SALESPIPE_HAS_CONCEPTS 1
#else
#define SALESPIPE_HAS_CONCEPTS 0
#endif
#endif

/// SALESPIPE_ASSERT(cond): an internal-invariant check for hot loops, where throwing is not
/// allowed. Maps to assert() (so NDEBUG disables it too); define SALESPIPE_NO_ASSERT to
/// disable it independently of NDEBUG, or define SALESPIPE_ASSERT yourself before including
/// any salespipe header to route it elsewhere. Invalid input is reported by exceptions, never
/// by this macro.
#ifndef SALESPIPE_ASSERT
#ifdef SALESPIPE_NO_ASSERT
#define SALESPIPE_ASSERT(cond) ((void)0)
#else
#include <cassert>
#define SALESPIPE_ASSERT(cond) assert(cond)
#endif
#endif

/// SALESPIPE_NO_SLP_VECTORIZE: put before a function definition to turn off GCC's
/// basic-block (SLP) vectorizer for that function only. GCC only (not clang, not Intel);
/// expands to nothing elsewhere. The header that uses it says why, at the use site.
#if defined(__GNUC__) && !defined(__clang__) && !defined(__INTEL_COMPILER)
#define SALESPIPE_NO_SLP_VECTORIZE __attribute__((optimize("no-tree-slp-vectorize")))
#else
#define SALESPIPE_NO_SLP_VECTORIZE
#endif

#endif  // SALESPIPE_CONFIG_HPP
