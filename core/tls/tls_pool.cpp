#include "core/tls/tls_pool.hpp"

#include <time.h>

#include "mbedtls/memory_buffer_alloc.h"
#include "mbedtls/platform.h"
#include "mbedtls/platform_time.h"

// Mbed TLS falls back to gmtime() on targets it does not know as Unix, and
// newlib's gmtime() allocates its result buffer on first use; the reentrant
// form writes into Mbed TLS's own struct instead.
extern "C" struct tm* mbedtls_platform_gmtime_r(const mbedtls_time_t* tt, struct tm* tm_buf) {
  const time_t t = static_cast<time_t>(*tt);
  return gmtime_r(&t, tm_buf);
}

namespace posagent::tls {
namespace {

// Word-aligned so the allocator's block headers are aligned on every target.
alignas(8) unsigned char g_pool[kPoolBytes];
bool g_pool_ready = false;
hal::Clock* g_clock = nullptr;

// Mbed TLS takes a plain function pointer for time, hence the global clock.
mbedtls_time_t wall_clock_now(mbedtls_time_t* out) {
  const std::int64_t now = g_clock != nullptr ? g_clock->unix_seconds() : -1;
  // A device without wall time yet reports 0: every certificate is then "not
  // yet valid" and the handshake fails rather than skipping the date check.
  const mbedtls_time_t t = now < 0 ? 0 : static_cast<mbedtls_time_t>(now);
  if (out != nullptr) *out = t;
  return t;
}

}  // namespace

Status pool_init(hal::Clock& clock) {
  g_clock = &clock;
  if (!g_pool_ready) {
    mbedtls_memory_buffer_alloc_init(g_pool, sizeof(g_pool));
    if (mbedtls_platform_set_time(wall_clock_now) != 0) {
      return Status(Code::kInternal, "TLS clock setup");
    }
    g_pool_ready = true;
  }
  return Status::Ok();
}

PoolUsage pool_usage() {
  std::size_t current = 0, peak = 0, blocks = 0;
  mbedtls_memory_buffer_alloc_cur_get(&current, &blocks);
  mbedtls_memory_buffer_alloc_max_get(&peak, &blocks);
  return PoolUsage{current, peak, kPoolBytes};
}

void pool_reset_peak() { mbedtls_memory_buffer_alloc_max_reset(); }

}  // namespace posagent::tls
