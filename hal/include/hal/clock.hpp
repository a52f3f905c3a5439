// Clock facade: a monotonic millisecond counter for deadlines and timers, and
// the wall clock (UTC) for timestamps and certificate validity.
#pragma once

#include <cstdint>

namespace posagent::hal {

// Milliseconds on the monotonic clock; deadlines are absolute values of it.
using Millis = std::uint64_t;

class Clock {
 public:
  virtual Millis monotonic_ms() = 0;
  // Seconds since 1970-01-01T00:00:00Z, or a negative value when the device
  // has no trustworthy wall time yet.
  virtual std::int64_t unix_seconds() = 0;

 protected:
  ~Clock() = default;
};

}  // namespace posagent::hal
