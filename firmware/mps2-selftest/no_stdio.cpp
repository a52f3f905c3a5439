// Firmware images have no C stdio and nothing to return to. Linked with
// -Wl,--wrap for fputs, exit and abort (firmware/CMakeLists.txt):
//   - fputs is the one stdio call the libraries keep: Mbed TLS's pool checks
//     (MBEDTLS_MEMORY_DEBUG) report a corrupted pool with it before they
//     exit. Its text goes to the semihosting console (with newlib's nosys
//     stubs it went nowhere), and newlib's FILE machinery is not linked.
//   - exit and abort end the run with their status (newlib's nosys _exit
//     spins forever; abort would go through raise and signal).
#include <cstdio>
#include <cstring>
#include <string_view>

#include "hal/mps2/semihosting.hpp"

extern "C" {

int __wrap_fputs(const char* text, std::FILE*) {
  posagent::hal::mps2::semihost_write(std::string_view(text, std::strlen(text)));
  return 0;
}

[[noreturn]] void __wrap_exit(int status) { posagent::hal::mps2::semihost_exit(status); }

[[noreturn]] void __wrap_abort() {
  posagent::hal::mps2::semihost_write("ABORT\n");
  posagent::hal::mps2::semihost_exit(134);
}

}
