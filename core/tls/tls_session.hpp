// A TLS 1.2 client session (Mbed TLS) over the HAL network, usable as the
// HTTP client's Transport. Certificate chain and hostname verification are
// always on; the CA bundle is configuration. A session saved after each full
// handshake is offered on the next connection (resumption). Every byte Mbed
// TLS allocates comes from the static pool of tls_pool.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/status.hpp"
#include "core/http/transport.hpp"
#include "hal/clock.hpp"
#include "hal/entropy.hpp"
#include "hal/network.hpp"
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"

namespace posagent::tls {

struct TlsConfig {
  // Host name for SNI and certificate verification; also what is dialled.
  std::string_view host;
  std::uint16_t port = 443;
  // Trusted roots: PEM (including its terminating NUL, as Mbed TLS requires)
  // or DER. Parsed once at init; the bytes need not outlive init().
  std::span<const std::uint8_t> ca_bundle;
};

class TlsSession final : public Transport {
 public:
  static constexpr std::size_t kMaxHostLength = 128;

  TlsSession(hal::Network& network, hal::Clock& clock, hal::Entropy& entropy);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  // Parses the CA bundle, seeds the DRBG and sets up the TLS context: all the
  // session's allocations from the pool happen here or in the handshake.
  // Requires tls::pool_init() first.
  Status init(const TlsConfig& config);

  // Transport: open() connects and runs the handshake before the deadline.
  Status open(hal::Millis deadline) override;
  bool is_open() const override { return open_; }
  Result<std::size_t> send(std::span<const std::uint8_t> data, hal::Millis deadline) override;
  Result<std::size_t> recv(std::span<std::uint8_t> buffer, hal::Millis deadline) override;
  // Sends close_notify (best effort) and closes the connection.
  void close() override;

  // Whether the last handshake resumed a saved session.
  bool last_handshake_resumed() const { return resumed_; }
  // Forgets the saved session: the next handshake is a full one.
  void forget_session();
  // Mbed TLS verification flags of the last failed handshake (0 if none).
  std::uint32_t last_verify_flags() const { return verify_flags_; }

 private:
  static int bio_send(void* self, const unsigned char* data, std::size_t length);
  static int bio_recv(void* self, unsigned char* buffer, std::size_t length);
  static int entropy_source(void* self, unsigned char* out, std::size_t length);

  Status handshake(hal::Millis deadline);
  // Maps an Mbed TLS error to a Status, preferring the network's own error.
  Status map_error(int mbedtls_error, Code fallback, const char* message) const;
  void drop_connection();

  hal::Network& network_;
  hal::Clock& clock_;
  hal::Entropy& entropy_;

  FixedString<kMaxHostLength> host_;
  std::uint16_t port_ = 0;
  bool initialised_ = false;
  bool open_ = false;
  bool have_saved_session_ = false;
  bool resumed_ = false;
  std::uint32_t verify_flags_ = 0;

  // The deadline of the operation in progress, for the BIO callbacks, and
  // the network error that made a callback fail.
  hal::Millis deadline_ = 0;
  Status network_status_;

  mbedtls_ctr_drbg_context drbg_;
  mbedtls_x509_crt ca_chain_;
  mbedtls_ssl_config ssl_config_;
  mbedtls_ssl_context ssl_;
  mbedtls_ssl_session saved_session_;
};

}  // namespace posagent::tls
