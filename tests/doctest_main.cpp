// The one doctest main() shared by every tests/*_test.cpp (linked in via the
// salespipe_doctest_main library): test files only include <doctest/doctest.h>.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
