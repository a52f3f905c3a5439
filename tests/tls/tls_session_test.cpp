// The TLS client against an in-memory Mbed TLS server, on every target.
#include <doctest/doctest.h>

#include <cstring>
#include <string_view>

#include "core/tls/tls_pool.hpp"
#include "core/tls/tls_session.hpp"
#include "mbedtls/x509.h"
#include "tests/support/fakes.hpp"
#include "tests/support/test_pki.hpp"
#include "tests/support/tls_peer.hpp"

using namespace posagent;
using posagent::test::InMemoryTlsPeer;

namespace {

// Minutes after the PKI was made: every "valid" certificate is valid then.
constexpr std::int64_t kTestNow = 0;

struct Rig {
  test::FakeClock clock{test_pki::kMadeAtUnix + 60 + kTestNow};
  test::SeededEntropy client_entropy{1};
  test::SeededEntropy server_entropy{2};
  InMemoryTlsPeer peer{server_entropy};
  tls::TlsSession session{peer, clock, client_entropy};

  Status start(const test_pki::Credential& server, std::string_view host = "localhost") {
    POSAGENT_TRY(tls::pool_init(clock));
    POSAGENT_TRY(peer.init(server));
    return session.init({host, 443, test_pki::trusted_ca()});
  }
};

const hal::Millis kDeadline = 60'000;

// Writes a whole request and reads until the response's body arrives.
// (doctest cannot abort a test without exceptions, so failures return early.)
std::string_view round_trip(tls::TlsSession& session, std::string_view request, char* out, std::size_t cap) {
  std::size_t sent = 0;
  while (sent < request.size()) {
    auto n = session.send(as_bytes(request.substr(sent)), kDeadline);
    if (!n.ok()) {
      FAIL_CHECK("send failed: " << n.status().message());
      return {};
    }
    sent += *n;
  }
  std::size_t got = 0;
  while (std::string_view(out, got).find('}') == std::string_view::npos) {
    auto n = session.recv({reinterpret_cast<std::uint8_t*>(out) + got, cap - got}, kDeadline);
    if (!n.ok()) {
      FAIL_CHECK("recv failed: " << n.status().message());
      return {};
    }
    got += *n;
  }
  return {out, got};
}

constexpr std::string_view kGet =
    "GET /orders/order_1 HTTP/1.1\r\nHost: localhost\r\nx-api-version: 2025-01-01\r\n\r\n";

}  // namespace

TEST_CASE("HTTPS round trip with an RSA-2048 chain, then a resumed session") {
  Rig rig;
  REQUIRE(rig.start(test_pki::server_rsa()).ok());
  tls::pool_reset_peak();

  REQUIRE(rig.session.open(kDeadline).ok());
  CHECK_FALSE(rig.session.last_handshake_resumed());
  static char response[2048];
  std::string_view r = round_trip(rig.session, kGet, response, sizeof(response));
  CHECK(r.substr(0, 15) == "HTTP/1.1 200 OK");
  CHECK(r.find("{\"request\":\"GET /orders/order_1 HTTP/1.1\",\"served\":1}") != std::string_view::npos);

  const tls::PoolUsage usage = tls::pool_usage();
  MESSAGE("TLS pool: peak " << usage.peak_bytes << " of " << usage.capacity_bytes
                            << " bytes during an RSA handshake and one request; in use after: "
                            << usage.current_bytes);
  CHECK(usage.peak_bytes > 16384);  // at least the input record buffer
  CHECK(usage.peak_bytes <= usage.capacity_bytes);

  // Keep-alive: a second request on the same connection.
  r = round_trip(rig.session, kGet, response, sizeof(response));
  CHECK(r.find("\"served\":2") != std::string_view::npos);
  CHECK(rig.peer.connections() == 1);

  // Reconnect: the saved session is offered and the server accepts it.
  rig.session.close();
  CHECK_FALSE(rig.session.is_open());
  REQUIRE(rig.session.open(kDeadline).ok());
  CHECK(rig.session.last_handshake_resumed());
  r = round_trip(rig.session, kGet, response, sizeof(response));
  CHECK(r.find("\"served\":3") != std::string_view::npos);
  CHECK(rig.peer.connections() == 2);

  // Forgetting the session forces a full handshake.
  rig.session.close();
  rig.session.forget_session();
  REQUIRE(rig.session.open(kDeadline).ok());
  CHECK_FALSE(rig.session.last_handshake_resumed());
  rig.session.close();
}

TEST_CASE("HTTPS round trip with an ECDSA P-256 server") {
  Rig rig;
  REQUIRE(rig.start(test_pki::server_ec()).ok());
  REQUIRE(rig.session.open(kDeadline).ok());
  static char response[2048];
  std::string_view r = round_trip(rig.session, kGet, response, sizeof(response));
  CHECK(r.find("\"served\":1") != std::string_view::npos);
  rig.session.close();
}

TEST_CASE("A certificate for another host name is rejected") {
  Rig rig;
  REQUIRE(rig.start(test_pki::server_wrong_name()).ok());
  Status s = rig.session.open(kDeadline);
  CHECK(s.code() == Code::kCertificateInvalid);
  CHECK((rig.session.last_verify_flags() & MBEDTLS_X509_BADCERT_CN_MISMATCH) != 0);
  CHECK_FALSE(rig.session.is_open());
  CHECK(rig.peer.requests_served() == 0);
}

TEST_CASE("The client's host name is checked, not just the chain") {
  Rig rig;
  // A valid localhost certificate, but the client dialled another name.
  REQUIRE(rig.start(test_pki::server_rsa(), "api.cashfree.com").ok());
  CHECK(rig.session.open(kDeadline).code() == Code::kCertificateInvalid);
  CHECK((rig.session.last_verify_flags() & MBEDTLS_X509_BADCERT_CN_MISMATCH) != 0);
}

TEST_CASE("A certificate from an untrusted CA is rejected") {
  Rig rig;
  REQUIRE(rig.start(test_pki::server_untrusted()).ok());
  CHECK(rig.session.open(kDeadline).code() == Code::kCertificateInvalid);
  CHECK((rig.session.last_verify_flags() & MBEDTLS_X509_BADCERT_NOT_TRUSTED) != 0);
  CHECK(rig.peer.requests_served() == 0);
}

TEST_CASE("An expired certificate is rejected") {
  Rig rig;
  REQUIRE(rig.start(test_pki::server_expired()).ok());
  CHECK(rig.session.open(kDeadline).code() == Code::kCertificateInvalid);
  CHECK((rig.session.last_verify_flags() & MBEDTLS_X509_BADCERT_EXPIRED) != 0);
}

TEST_CASE("A device clock far behind makes a valid certificate fail, not pass") {
  Rig rig;
  rig.clock.set_unix_seconds(1'000'000'000);  // 2001: before the certificate's notBefore
  REQUIRE(rig.start(test_pki::server_rsa()).ok());
  CHECK(rig.session.open(kDeadline).code() == Code::kCertificateInvalid);
  CHECK((rig.session.last_verify_flags() & MBEDTLS_X509_BADCERT_FUTURE) != 0);
}

TEST_CASE("A server that stalls after the handshake gives a timeout, a refused connect an error") {
  Rig rig;
  REQUIRE(rig.start(test_pki::server_rsa()).ok());
  rig.peer.set_behaviour(InMemoryTlsPeer::Behaviour::kStallAfterHandshake);
  REQUIRE(rig.session.open(kDeadline).ok());
  REQUIRE(rig.session.send(as_bytes(kGet), kDeadline).ok());
  static std::uint8_t buffer[256];
  auto r = rig.session.recv(buffer, kDeadline);
  CHECK(r.status().code() == Code::kTimeout);
  CHECK_FALSE(rig.session.is_open());  // its state is unknown: dropped

  rig.peer.set_behaviour(InMemoryTlsPeer::Behaviour::kRefuseConnect);
  CHECK(rig.session.open(kDeadline).code() == Code::kConnectionFailed);
}

TEST_CASE("A server that answers and hangs up reports a clean close") {
  Rig rig;
  REQUIRE(rig.start(test_pki::server_rsa()).ok());
  rig.peer.set_behaviour(InMemoryTlsPeer::Behaviour::kRespondThenClose);
  REQUIRE(rig.session.open(kDeadline).ok());
  static char response[2048];
  (void)round_trip(rig.session, kGet, response, sizeof(response));
  static std::uint8_t buffer[64];
  CHECK(rig.session.recv(buffer, kDeadline).status().code() == Code::kConnectionClosed);
  CHECK_FALSE(rig.session.is_open());
}

TEST_CASE("Bad configuration is refused before anything is sent") {
  test::FakeClock clock;
  test::SeededEntropy entropy;
  test::SeededEntropy server_entropy{9};
  InMemoryTlsPeer peer{server_entropy};
  REQUIRE(tls::pool_init(clock).ok());
  {
    tls::TlsSession s{peer, clock, entropy};
    CHECK(s.init({"", 443, test_pki::trusted_ca()}).code() == Code::kInvalidArgument);
  }
  {
    tls::TlsSession s{peer, clock, entropy};
    const std::uint8_t junk[] = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
    CHECK(s.init({"localhost", 443, junk}).code() == Code::kInvalidArgument);
  }
  {
    tls::TlsSession s{peer, clock, entropy};
    entropy.fail = true;
    CHECK(s.init({"localhost", 443, test_pki::trusted_ca()}).code() == Code::kIoError);
    entropy.fail = false;
  }
  {
    tls::TlsSession s{peer, clock, entropy};
    CHECK(s.open(kDeadline).code() == Code::kInternal);  // not initialised
  }
  CHECK(peer.connections() == 0);
}
