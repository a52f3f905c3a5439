// Entropy backend: the kernel CSPRNG through getrandom(2).
#pragma once

#include <cstdint>
#include <span>

#include "hal/entropy.hpp"

namespace posagent::hal::sim {

// Blocks only until the kernel pool is initialised (early boot), then never.
// Fails with kIoError (errno as detail) if getrandom(2) does.
class SimEntropy final : public Entropy {
 public:
  Status fill(std::span<std::uint8_t> out) override;
};

}  // namespace posagent::hal::sim
