// HAL backends of the QEMU MPS2 AN386 test board. The board has no TRNG and
// no network: entropy here is for tests only, and the network in its images
// is the in-memory TLS peer. A real device port provides its own TRNG.
#pragma once

#include "hal/clock.hpp"
#include "hal/entropy.hpp"
#include "hal/log.hpp"

namespace posagent::hal::mps2 {

// Monotonic time from the host's program clock (10 ms steps), wall time from
// the host's clock, both through semihosting.
class Mps2Clock final : public Clock {
 public:
  Millis monotonic_ms() override;
  std::int64_t unix_seconds() override;
};

// NOT a secure source: a counter-based generator seeded from the host clock.
// It exists so test images can run TLS; never ship it.
class Mps2TestEntropy final : public Entropy {
 public:
  Status fill(std::span<std::uint8_t> out) override;

 private:
  std::uint64_t state_ = 0;
};

class Mps2LogSink final : public LogSink {
 public:
  void write(LogLevel level, std::string_view line) override;
};

}  // namespace posagent::hal::mps2
