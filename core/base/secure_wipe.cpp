#include "core/base/secure_wipe.hpp"

#include <mbedtls/platform_util.h>

namespace posagent {

void secure_wipe(void* data, std::size_t size) {
  if (data != nullptr && size > 0) mbedtls_platform_zeroize(data, size);
}

bool is_wiped(std::span<const std::uint8_t> bytes) {
  for (const std::uint8_t b : bytes) {
    if (b != 0) return false;
  }
  return true;
}

}  // namespace posagent
