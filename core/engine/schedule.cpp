#include "core/engine/schedule.hpp"

namespace posagent::engine {

std::int64_t poll_interval_ms(std::int64_t since_ms) {
  for (const PollStep& step : kPollSchedule)
    if (since_ms < step.until_ms) return step.interval_ms;
  return kPollSchedule[3].interval_ms;
}

std::int64_t retry_backoff_ms(std::uint8_t failures) {
  const std::uint8_t shift = failures < 3 ? failures : 3;
  return std::int64_t{1'000} << shift;
}

std::uint32_t Jitter::next() {
  std::uint32_t x = state_;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  state_ = x;
  return x;
}

std::int64_t Jitter::apply(std::int64_t base_ms) {
  const auto span = static_cast<std::uint32_t>(2 * kPerMille + 1);
  const std::int64_t per_mille = static_cast<std::int64_t>(next() % span) - kPerMille;
  return base_ms + base_ms * per_mille / 1000;
}

}  // namespace posagent::engine
