// Smoke test: the version macros agree with each other and the test harness is wired up.
#include <salespipe/config.hpp>

#include <doctest/doctest.h>

#include <string>

TEST_CASE("version macros agree") {
  const std::string expected = std::to_string(SALESPIPE_VERSION_MAJOR) + "." + std::to_string(SALESPIPE_VERSION_MINOR) +
                               "." + std::to_string(SALESPIPE_VERSION_PATCH);
  CHECK(expected == SALESPIPE_VERSION_STRING);
  CHECK(SALESPIPE_VERSION == SALESPIPE_VERSION_MAJOR * 10000 + SALESPIPE_VERSION_MINOR * 100 + SALESPIPE_VERSION_PATCH);
}

TEST_CASE("SALESPIPE_SHARED_DIR is defined for every test") { CHECK(std::string(SALESPIPE_SHARED_DIR).size() > 0); }

TEST_CASE("SALESPIPE_HAS_CONCEPTS is 0 or 1") {
  CHECK((SALESPIPE_HAS_CONCEPTS == 0 || SALESPIPE_HAS_CONCEPTS == 1));
#if __cplusplus < 202002L
  CHECK(SALESPIPE_HAS_CONCEPTS == 0);
#elif defined(__GNUC__)  // GCC >= 10 and Clang >= 10 with libstdc++ or libc++ have both parts
  CHECK(SALESPIPE_HAS_CONCEPTS == 1);
#endif
}
