// An in-memory HTTPS server (Mbed TLS server role + a tiny HTTP responder)
// that a TLS client reaches through this object's hal::Network interface.
// Everything runs on the caller's thread: when the client waits for bytes,
// the peer runs its side until it has something to say. It needs no sockets,
// no OS and no heap, so the same HTTPS round trip runs on the host, on
// aarch64 Linux and on the Cortex-M4 image.
//
// The server's Mbed TLS allocations come from the peer's own arena, not the
// client's pool, so the pool's figures are the client's alone (see
// tls_peer.cpp for how).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/base/status.hpp"
#include "hal/entropy.hpp"
#include "hal/network.hpp"
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/pk.h"
#include "mbedtls/ssl.h"
#include "mbedtls/ssl_cache.h"
#include "mbedtls/x509_crt.h"
#include "tests/support/test_pki.hpp"

namespace posagent::test {

class InMemoryTlsPeer final : public hal::Network {
 public:
  enum class Behaviour : std::uint8_t {
    kRespond,             // answer every request (keep-alive)
    kRespondThenClose,    // answer, then close_notify and hang up
    kStallAfterHandshake, // complete the handshake, never answer
    kRefuseConnect,       // no listener
  };

  explicit InMemoryTlsPeer(hal::Entropy& entropy);
  ~InMemoryTlsPeer();

  // Requires tls::pool_init() to have run (the allocator split hooks it).
  Status init(const test_pki::Credential& credential);
  void set_behaviour(Behaviour behaviour) { behaviour_ = behaviour; }
  // The body every response carries (JSON); the default echoes the request line.
  void set_response_body(std::string_view body) { fixed_body_ = body; }

  // hal::Network
  Status connect(std::string_view host, std::uint16_t port, hal::Millis deadline) override;
  Result<std::size_t> send(std::span<const std::uint8_t> data, hal::Millis deadline) override;
  Result<std::size_t> recv(std::span<std::uint8_t> buffer, hal::Millis deadline) override;
  void close() override;

  int connections() const { return connections_; }
  int requests_served() const { return requests_served_; }
  int handshake_error() const { return handshake_error_; }
  // Peak bytes the server side used from its arena.
  static std::size_t arena_peak_bytes();

 private:
  static constexpr std::size_t kWireBytes = 20 * 1024;
  static constexpr std::size_t kRequestBytes = 4096;

  struct Pipe {
    std::uint8_t bytes[kWireBytes];
    std::size_t length = 0;
    bool append(std::span<const std::uint8_t> data);
    std::size_t take(std::span<std::uint8_t> out);
  };

  static int server_send(void* self, const unsigned char* data, std::size_t length);
  static int server_recv(void* self, unsigned char* buffer, std::size_t length);
  static int entropy_source(void* self, unsigned char* out, std::size_t length);

  // Runs the server until it needs more bytes from the client.
  void pump();
  void serve_requests();
  void respond(std::string_view request_head);

  hal::Entropy& entropy_;
  Behaviour behaviour_ = Behaviour::kRespond;
  std::string_view fixed_body_;
  bool initialised_ = false;
  bool connected_ = false;
  bool server_closed_ = false;
  bool handshake_done_ = false;
  int connections_ = 0;
  int requests_served_ = 0;
  int handshake_error_ = 0;

  Pipe to_server_;
  Pipe to_client_;
  char request_[kRequestBytes];
  std::size_t request_length_ = 0;

  mbedtls_ctr_drbg_context drbg_;
  mbedtls_x509_crt certificate_;
  mbedtls_pk_context key_;
  mbedtls_ssl_cache_context cache_;
  mbedtls_ssl_config config_;
  mbedtls_ssl_context ssl_;
};

}  // namespace posagent::test
