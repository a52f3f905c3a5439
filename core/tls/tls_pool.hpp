// The static memory pool every Mbed TLS allocation comes from
// (MBEDTLS_MEMORY_BUFFER_ALLOC_C), and the wall clock Mbed TLS checks
// certificate dates against. Both are process-wide in Mbed TLS, so they are
// set once, at init, before any TLS session is used.
#pragma once

#include <cstddef>

#include "core/base/status.hpp"
#include "hal/clock.hpp"

namespace posagent::tls {

// Sized for one client session talking to an arbitrary server: 16 KB input
// record buffer + 4 KB output buffer + handshake state + a 2–3 certificate
// RSA chain + the parsed CA bundle (see README, "Memory").
#ifndef POSAGENT_TLS_POOL_BYTES
#define POSAGENT_TLS_POOL_BYTES (40 * 1024)
#endif
inline constexpr std::size_t kPoolBytes = POSAGENT_TLS_POOL_BYTES;

struct PoolUsage {
  std::size_t current_bytes;
  std::size_t peak_bytes;  // since the last reset_peak()
  std::size_t capacity_bytes;
};

// Hands Mbed TLS the static pool and routes its clock to the HAL. Calling it
// again only updates the clock.
Status pool_init(hal::Clock& clock);
PoolUsage pool_usage();
void pool_reset_peak();

}  // namespace posagent::tls
