// Deterministic HAL stand-ins for portable tests (no OS on Cortex-M4).
#pragma once

#include <cstdint>
#include <span>

#include "hal/clock.hpp"
#include "hal/entropy.hpp"

namespace posagent::test {

// A clock that moves only when told to (or by auto_advance_ms per read).
class FakeClock final : public hal::Clock {
 public:
  explicit FakeClock(std::int64_t unix_seconds = 1'700'000'000) : unix_seconds_(unix_seconds) {}
  hal::Millis monotonic_ms() override { return now_ms_ += auto_advance_ms; }
  std::int64_t unix_seconds() override { return unix_seconds_ + static_cast<std::int64_t>(now_ms_ / 1000); }
  void advance_ms(hal::Millis ms) { now_ms_ += ms; }
  void set_unix_seconds(std::int64_t s) { unix_seconds_ = s; }
  hal::Millis auto_advance_ms = 0;

 private:
  hal::Millis now_ms_ = 0;
  std::int64_t unix_seconds_;
};

// Reproducible bytes (splitmix64). Not a secret source: tests only.
class SeededEntropy final : public hal::Entropy {
 public:
  explicit SeededEntropy(std::uint64_t seed = 0x5eed) : state_(seed) {}
  Status fill(std::span<std::uint8_t> out) override {
    if (fail) return Status(Code::kIoError, "entropy failed");
    for (auto& byte : out) byte = static_cast<std::uint8_t>(next() >> 56);
    return Status::Ok();
  }
  bool fail = false;

 private:
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint64_t state_;
};

}  // namespace posagent::test
