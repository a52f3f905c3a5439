// The test runner's entry point, the same on every target. On Cortex-M4 the
// return value becomes QEMU's exit status through semihosting.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  return context.run();
}
