// Clock backend for host and ARM Linux.
#pragma once

#include <cstdint>

#include "hal/clock.hpp"

namespace posagent::hal::sim {

// monotonic_ms(): CLOCK_MONOTONIC, unaffected by wall-clock changes.
// unix_seconds(): CLOCK_REALTIME, or -1 when the system clock reads earlier
// than kEarliestTrustedUnix (a board without an RTC before NTP has run boots
// at 1970 or at some stale saved time).
class SimClock final : public Clock {
 public:
  static constexpr std::int64_t kEarliestTrustedUnix = 1'704'067'200;  // 2024-01-01T00:00:00Z

  Millis monotonic_ms() override;
  std::int64_t unix_seconds() override;
};

}  // namespace posagent::hal::sim
