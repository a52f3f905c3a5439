// Arm semihosting calls (the debugger/QEMU host services the test board
// uses for output, time and the exit status). Only the few we need.
#pragma once

#include <cstdint>
#include <cstddef>
#include <string_view>

#include "core/base/status.hpp"

namespace posagent::hal::mps2 {

// Writes text to the host's stdout.
void semihost_write(std::string_view text);
// Writes n in decimal.
void semihost_write_number(std::size_t n);
// Prints "<image>: FAIL at <step>: <message>" and returns 1, for a firmware
// main to return.
int semihost_report_failure(std::string_view image, std::string_view step, const Status& status);
// Centiseconds since the program started (SYS_CLOCK).
std::uint32_t semihost_clock_cs();
// Seconds since the Unix epoch on the host (SYS_TIME).
std::uint32_t semihost_time();
// Ends the run; QEMU exits with this status.
[[noreturn]] void semihost_exit(int status);

}  // namespace posagent::hal::mps2

// Firmware images only (startup.c): the most stack used since reset, in
// bytes, measured on the stack painted before main.
extern "C" std::uint32_t posagent_stack_peak_bytes();
