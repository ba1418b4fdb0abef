// The downstream program both consumer projects (find_package/, add_subdirectory/) build:
// it compiles against the public headers and runs. Keep it small; extend it to build a
// model once the model headers exist.
#include <salespipe/config.hpp>

#include <cstdio>

int main() {
  std::printf("salespipe %s\n", SALESPIPE_VERSION_STRING);
  return 0;
}
