#include <doctest/doctest.h>

#include "core/engine/sale_engine.hpp"
#include "core/engine/schedule.hpp"

using namespace posagent::engine;

TEST_CASE("The polling interval is fast first, then backs off to a cap") {
  CHECK(poll_interval_ms(0) == 2'000);
  CHECK(poll_interval_ms(29'999) == 2'000);
  CHECK(poll_interval_ms(30'000) == 5'000);
  CHECK(poll_interval_ms(59'999) == 5'000);
  CHECK(poll_interval_ms(60'000) == 10'000);
  CHECK(poll_interval_ms(119'999) == 10'000);
  CHECK(poll_interval_ms(120'000) == 15'000);
  CHECK(poll_interval_ms(10'000'000) == 15'000);
  std::int64_t previous = 0;
  for (std::int64_t t = 0; t < 400'000; t += 500) {
    CHECK(poll_interval_ms(t) >= previous);
    previous = poll_interval_ms(t);
  }
}

TEST_CASE("Retry back-off doubles to 8 s") {
  CHECK(retry_backoff_ms(0) == 1'000);
  CHECK(retry_backoff_ms(1) == 2'000);
  CHECK(retry_backoff_ms(2) == 4'000);
  CHECK(retry_backoff_ms(3) == 8'000);
  CHECK(retry_backoff_ms(200) == 8'000);
}

TEST_CASE("Jitter stays within ±20 %, spreads, and is reproducible") {
  Jitter a(12345), b(12345), c(54321);
  std::int64_t lowest = 1'000'000, highest = 0;
  int same_as_other_seed = 0;
  for (int i = 0; i < 5000; ++i) {
    const std::int64_t x = a.apply(10'000);
    CHECK(x >= 8'000);
    CHECK(x <= 12'000);
    CHECK(x == b.apply(10'000));
    same_as_other_seed += x == c.apply(10'000);
    lowest = x < lowest ? x : lowest;
    highest = x > highest ? x : highest;
  }
  CHECK(lowest < 8'100);   // both ends are reached
  CHECK(highest > 11'900);
  CHECK(same_as_other_seed < 100);  // another terminal asks at other times
  Jitter zero(0);  // a zero seed still moves
  CHECK(zero.next() != 0);
}

TEST_CASE("Sale times outside their bounds are clamped, defaults kept") {
  using posagent::engine::SaleTimes;
  const SaleTimes defaults = SaleTimes{}.clamped();
  CHECK(defaults.order_lifetime_s == 300);
  CHECK(defaults.grace_s == 300);
  CHECK(defaults.resume_window_s == 120);
  SaleTimes odd;
  odd.order_lifetime_s = 0;
  odd.grace_s = -7;
  odd.resume_window_s = 10'000'000;
  const SaleTimes c = odd.clamped();
  CHECK(c.order_lifetime_s == SaleTimes::kMinS);
  CHECK(c.grace_s == SaleTimes::kMinS);
  CHECK(c.resume_window_s == SaleTimes::kMaxS);
}
