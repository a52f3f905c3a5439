// Wiping memory that held secrets: card numbers, CVVs, OTPs, and the buffers
// that carried them. A plain memset of a buffer that is not read again may
// be removed by the optimiser; Mbed TLS's mbedtls_platform_zeroize is written
// so that it is not, so we use it rather than our own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace posagent {

void secure_wipe(void* data, std::size_t size);

template <typename T, std::size_t N>
void secure_wipe(std::span<T, N> bytes) {
  secure_wipe(static_cast<void*>(bytes.data()), bytes.size_bytes());
}

// True when every byte is zero: what tests check after a wipe.
bool is_wiped(std::span<const std::uint8_t> bytes);

}  // namespace posagent
