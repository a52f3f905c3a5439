#include "hal/sim/sim_clock.hpp"

#include <time.h>

namespace posagent::hal::sim {

Millis SimClock::monotonic_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);  // cannot fail for this clock id
  return static_cast<Millis>(ts.tv_sec) * 1000u + static_cast<Millis>(ts.tv_nsec) / 1'000'000u;
}

std::int64_t SimClock::unix_seconds() {
  timespec ts{};
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return -1;
  const auto seconds = static_cast<std::int64_t>(ts.tv_sec);
  return seconds >= kEarliestTrustedUnix ? seconds : -1;
}

}  // namespace posagent::hal::sim
