#include "hal/sim/sim_log.hpp"

#include <time.h>

namespace posagent::hal::sim {

void SimLogSink::write(LogLevel level, std::string_view line) {
  if (level < min_level_) return;
  static constexpr const char* kNames[] = {"DEBUG", "INFO ", "WARN ", "ERROR"};
  const auto index = static_cast<unsigned>(level);
  const char* name = index < 4 ? kNames[index] : "?????";

  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  tm local{};
  localtime_r(&now.tv_sec, &local);

  flockfile(out_);  // one line stays whole when several threads log
  std::fprintf(out_, "%02d:%02d:%02d.%03ld ", local.tm_hour, local.tm_min, local.tm_sec,
               static_cast<long>(now.tv_nsec / 1'000'000));
  if (show_level_) std::fprintf(out_, "%s ", name);
  for (const char ch : line) {
    const auto c = static_cast<unsigned char>(ch);
    putc_unlocked((c < 0x20 && c != '\t') || c == 0x7f ? '?' : ch, out_);
  }
  putc_unlocked('\n', out_);
  funlockfile(out_);
  std::fflush(out_);
}

}  // namespace posagent::hal::sim
