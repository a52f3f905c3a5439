// Wall time for pgsim: the system clock plus an offset the admin API can move
// forward, so tests reach expiry without sleeping. Timestamps are written the
// way Cashfree writes them: ISO 8601 in IST ("2023-08-11T18:02:46+05:30").
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pgsim {

class Clock {
 public:
  // Milliseconds since the Unix epoch, offset included.
  int64_t now_ms() const;
  void advance_ms(int64_t ms) { offset_ms_ += ms; }
  int64_t offset_ms() const { return offset_ms_; }

 private:
  std::atomic<int64_t> offset_ms_{0};
};

// "2023-08-11T18:02:46+05:30" for an epoch time in ms (seconds precision).
std::string format_ist(int64_t epoch_ms);

// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)"; a space is also
// accepted instead of 'T'. Returns epoch ms, or nothing if malformed.
std::optional<int64_t> parse_iso8601(std::string_view text);

}  // namespace pgsim
