// When the engine asks the gateway again: the status-polling schedule, the
// back-off after a failed request, and the jitter that keeps a fleet of
// terminals from asking in step. Pure functions of their inputs plus a tiny
// PRNG whose state the engine keeps, so every schedule is reproducible.
#pragma once

#include <cstdint>

namespace posagent::engine {

// The status-polling schedule: fast while a payment is likely to land, then
// backing off. `since_ms` is the time since the polling phase began (the QR
// appeared, or confirmation started).
//
//   since start      interval
//   [0 s, 30 s)      2 s     most UPI QR payments complete here
//   [30 s, 60 s)     5 s
//   [60 s, 120 s)    10 s
//   120 s and on     15 s    the cap
//
// Each interval is then jittered by up to ±20 % (Jitter::apply). A read is
// never scheduled at or past the order's expiry: the expiry step reads
// instead, after terminating.
struct PollStep {
  std::int64_t until_ms;     // this interval applies while since_ms < until_ms
  std::int64_t interval_ms;
};
inline constexpr PollStep kPollSchedule[] = {
    {30'000, 2'000},
    {60'000, 5'000},
    {120'000, 10'000},
    {INT64_MAX, 15'000},
};
std::int64_t poll_interval_ms(std::int64_t since_ms);

// After RetrySameKey or OutcomeUnknown: 1, 2, 4, 8, 8, ... s (before
// jitter) by the number of consecutive failures so far (0 for the first).
std::int64_t retry_backoff_ms(std::uint8_t failures);
// After a Stop on a status read (the read itself is refused, e.g. 401): the
// outcome can only come from a read, so keep reading, slowly.
inline constexpr std::int64_t kStoppedReadRetryMs = 15'000;
// RetryAfter seconds are clamped to what Cashfree sends (x-ratelimit-retry
// is 1..59) so a garbled header cannot stall or spin the engine.
inline constexpr std::uint32_t kMinRetryAfterS = 1;
inline constexpr std::uint32_t kMaxRetryAfterS = 60;

// xorshift32: 4 bytes of state, no multiply, good enough to spread
// requests; it is not used for anything secret.
class Jitter {
 public:
  static constexpr std::int32_t kPerMille = 200;  // ±20 %

  explicit Jitter(std::uint32_t seed = 0) { reseed(seed); }
  void reseed(std::uint32_t seed) { state_ = seed != 0 ? seed : 0x9E3779B9u; }
  std::uint32_t next();
  // base_ms scaled by a uniform factor in [0.8, 1.2] (per-mille steps).
  std::int64_t apply(std::int64_t base_ms);

 private:
  std::uint32_t state_;
};

}  // namespace posagent::engine
