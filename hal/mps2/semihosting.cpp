#include "hal/mps2/semihosting.hpp"

namespace posagent::hal::mps2 {
namespace {

enum : std::uint32_t {
  kSysWrite0 = 0x04,
  kSysClock = 0x10,
  kSysTime = 0x11,
  kSysExitExtended = 0x20,
};

std::uint32_t call(std::uint32_t op, const void* arg) {
  register std::uint32_t r0 __asm("r0") = op;
  register const void* r1 __asm("r1") = arg;
  __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

}  // namespace

void semihost_write(std::string_view text) {
  // SYS_WRITE0 writes a NUL-terminated string to the debug console; copy in
  // chunks so callers need not terminate their text (or own a FILE handle).
  char chunk[65];
  while (!text.empty()) {
    const std::size_t n = text.size() < sizeof(chunk) - 1 ? text.size() : sizeof(chunk) - 1;
    for (std::size_t i = 0; i < n; ++i) chunk[i] = text[i] != '\0' ? text[i] : '?';
    chunk[n] = '\0';
    (void)call(kSysWrite0, chunk);
    text.remove_prefix(n);
  }
}

void semihost_write_number(std::size_t n) {
  char digits[20];
  std::size_t i = sizeof(digits);
  do {
    digits[--i] = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n != 0 && i > 0);
  semihost_write({digits + i, sizeof(digits) - i});
}

int semihost_report_failure(std::string_view image, std::string_view step, const Status& status) {
  semihost_write(image);
  semihost_write(": FAIL at ");
  semihost_write(step);
  semihost_write(": ");
  semihost_write(status.message());
  semihost_write("\n");
  return 1;
}

std::uint32_t semihost_clock_cs() { return call(kSysClock, nullptr); }

std::uint32_t semihost_time() { return call(kSysTime, nullptr); }

void semihost_exit(int status) {
  // ADP_Stopped_ApplicationExit with a status code.
  const std::uint32_t args[2] = {0x20026, static_cast<std::uint32_t>(status)};
  (void)call(kSysExitExtended, args);
  for (;;) {}
}

}  // namespace posagent::hal::mps2
