#include "hal/mps2/mps2_hal.hpp"

#include "hal/mps2/semihosting.hpp"

namespace posagent::hal::mps2 {

Millis Mps2Clock::monotonic_ms() { return static_cast<Millis>(semihost_clock_cs()) * 10; }

std::int64_t Mps2Clock::unix_seconds() { return static_cast<std::int64_t>(semihost_time()); }

Status Mps2TestEntropy::fill(std::span<std::uint8_t> out) {
  if (state_ == 0) state_ = (static_cast<std::uint64_t>(semihost_time()) << 32) ^ semihost_clock_cs() ^ 0x9E37u;
  for (auto& byte : out) {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);  // splitmix64
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    byte = static_cast<std::uint8_t>((z ^ (z >> 31)) >> 56);
  }
  return Status::Ok();
}

void Mps2LogSink::write(LogLevel level, std::string_view line) {
  static constexpr std::string_view kPrefix[] = {"D ", "I ", "W ", "E "};
  semihost_write(kPrefix[static_cast<int>(level) & 3]);
  semihost_write(line);
  semihost_write("\n");
}

}  // namespace posagent::hal::mps2
