// Entropy facade: cryptographically strong random bytes (a TRNG on a device).
#pragma once

#include <cstdint>
#include <span>

#include "core/base/status.hpp"

namespace posagent::hal {

class Entropy {
 public:
  // Fills all of out, or fails; never returns fewer bytes than asked for.
  virtual Status fill(std::span<std::uint8_t> out) = 0;

 protected:
  ~Entropy() = default;
};

}  // namespace posagent::hal
