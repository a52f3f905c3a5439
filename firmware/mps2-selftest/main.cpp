// HTTPS self-test image for the MPS2 AN386 (Cortex-M4F) under QEMU: TLS
// client and in-memory server in one image, no heap (see heap_trap.cpp).
// Prints the pool's peak use and "selftest: PASS" or "selftest: FAIL".
#include <string_view>

#include "core/tls/tls_pool.hpp"
#include "core/tls/tls_session.hpp"
#include "hal/mps2/mps2_hal.hpp"
#include "hal/mps2/semihosting.hpp"
#include "tests/support/test_pki.hpp"
#include "tests/support/tls_peer.hpp"

namespace {

using namespace posagent;
using hal::mps2::semihost_write;

int fail(const char* step, Status s) { return hal::mps2::semihost_report_failure("selftest", step, s); }

// Statics, not locals: the sizes are part of the image's RAM budget.
hal::mps2::Mps2Clock g_clock;
hal::mps2::Mps2TestEntropy g_entropy;
hal::mps2::Mps2TestEntropy g_peer_entropy;

}  // namespace

int main() {
  constexpr hal::Millis kTimeoutMs = 30'000;
  Status s = tls::pool_init(g_clock);
  if (!s.ok()) return fail("pool", s);

  static test::InMemoryTlsPeer peer(g_peer_entropy);
  if (!(s = peer.init(test_pki::server_rsa())).ok()) return fail("peer", s);

  static tls::TlsSession session(peer, g_clock, g_entropy);
  if (!(s = session.init({"localhost", 443, test_pki::trusted_ca()})).ok()) return fail("init", s);

  tls::pool_reset_peak();
  const hal::Millis deadline = g_clock.monotonic_ms() + kTimeoutMs;
  if (!(s = session.open(deadline)).ok()) return fail("handshake", s);
  const tls::PoolUsage after_handshake = tls::pool_usage();

  constexpr std::string_view kRequest = "GET /orders/selftest HTTP/1.1\r\nHost: localhost\r\n\r\n";
  auto sent = session.send(as_bytes(kRequest), deadline);
  if (!sent.ok()) return fail("send", sent.status());
  static std::uint8_t response[1024];
  auto got = session.recv(response, deadline);
  if (!got.ok()) return fail("recv", got.status());
  const std::string_view text(reinterpret_cast<const char*>(response), *got);
  if (text.substr(0, 15) != "HTTP/1.1 200 OK") return fail("response", Status(Code::kProtocolError, "bad status"));
  session.close();

  semihost_write("selftest: TLS pool peak during handshake ");
  hal::mps2::semihost_write_number(after_handshake.peak_bytes);
  semihost_write(" of ");
  hal::mps2::semihost_write_number(after_handshake.capacity_bytes);
  semihost_write(" bytes\nselftest: stack peak (the client and the in-memory server on one stack) ");
  hal::mps2::semihost_write_number(posagent_stack_peak_bytes());
  semihost_write(" bytes\nselftest: PASS\n");
  return 0;
}
