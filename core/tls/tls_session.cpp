#include "core/tls/tls_session.hpp"

#include <climits>

#include "mbedtls/ssl_internal.h"  // handshake->resume: 2.28 has no public getter

namespace posagent::tls {
namespace {

constexpr unsigned char kPersonalisation[] = "posagent-tls";
// How long close() waits for close_notify to leave before dropping the socket.
constexpr hal::Millis kCloseNotifyMillis = 500;

int clamp_to_int(std::size_t n) { return n > INT_MAX ? INT_MAX : static_cast<int>(n); }

}  // namespace

TlsSession::TlsSession(hal::Network& network, hal::Clock& clock, hal::Entropy& entropy)
    : network_(network), clock_(clock), entropy_(entropy) {
  mbedtls_ctr_drbg_init(&drbg_);
  mbedtls_x509_crt_init(&ca_chain_);
  mbedtls_ssl_config_init(&ssl_config_);
  mbedtls_ssl_init(&ssl_);
  mbedtls_ssl_session_init(&saved_session_);
}

TlsSession::~TlsSession() {
  drop_connection();
  mbedtls_ssl_session_free(&saved_session_);
  mbedtls_ssl_free(&ssl_);
  mbedtls_ssl_config_free(&ssl_config_);
  mbedtls_x509_crt_free(&ca_chain_);
  mbedtls_ctr_drbg_free(&drbg_);
}

Status TlsSession::init(const TlsConfig& config) {
  if (initialised_) return Status(Code::kInternal, "TLS init twice");
  if (config.host.empty() || !host_.assign(config.host)) {
    return Status(Code::kInvalidArgument, "TLS host invalid");
  }
  port_ = config.port;

  int rc = mbedtls_ctr_drbg_seed(&drbg_, &TlsSession::entropy_source, this, kPersonalisation,
                                 sizeof(kPersonalisation) - 1);
  if (rc != 0) return Status(Code::kIoError, "entropy failed", rc);

  if (config.ca_bundle.empty()) return Status(Code::kInvalidArgument, "no CA bundle");
  // A bundle may hold roots this build cannot parse (other curves); it is
  // usable as long as at least one certificate parsed.
  rc = mbedtls_x509_crt_parse(&ca_chain_, config.ca_bundle.data(), config.ca_bundle.size());
  if (rc < 0 || ca_chain_.version == 0) return Status(Code::kInvalidArgument, "CA bundle invalid", rc);

  rc = mbedtls_ssl_config_defaults(&ssl_config_, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                   MBEDTLS_SSL_PRESET_DEFAULT);
  if (rc != 0) return Status(Code::kTlsError, "TLS config failed", rc);
  // Verification is never optional: a chain or name mismatch ends the handshake.
  mbedtls_ssl_conf_authmode(&ssl_config_, MBEDTLS_SSL_VERIFY_REQUIRED);
  mbedtls_ssl_conf_ca_chain(&ssl_config_, &ca_chain_, nullptr);
  mbedtls_ssl_conf_rng(&ssl_config_, mbedtls_ctr_drbg_random, &drbg_);
  mbedtls_ssl_conf_min_version(&ssl_config_, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_session_tickets(&ssl_config_, MBEDTLS_SSL_SESSION_TICKETS_ENABLED);

  // The record buffers are allocated here, once, and reused by every connection.
  rc = mbedtls_ssl_setup(&ssl_, &ssl_config_);
  if (rc != 0) return Status(Code::kCapacityExceeded, "TLS pool too small", rc);
  rc = mbedtls_ssl_set_hostname(&ssl_, host_.c_str());
  if (rc != 0) return Status(Code::kCapacityExceeded, "TLS pool too small", rc);
  mbedtls_ssl_set_bio(&ssl_, this, &TlsSession::bio_send, &TlsSession::bio_recv, nullptr);
  initialised_ = true;
  return Status::Ok();
}

Status TlsSession::open(hal::Millis deadline) {
  if (!initialised_) return Status(Code::kInternal, "TLS not initialised");
  if (open_) return Status::Ok();

  Status s = network_.connect(host_.view(), port_, deadline);
  if (!s.ok()) return s;

  int rc = mbedtls_ssl_session_reset(&ssl_);
  if (rc != 0) {
    drop_connection();
    return Status(Code::kTlsError, "TLS reset failed", rc);
  }
  if (have_saved_session_ && mbedtls_ssl_set_session(&ssl_, &saved_session_) != 0) {
    forget_session();  // resumption is an optimisation; a full handshake still works
  }

  s = handshake(deadline);
  if (!s.ok()) {
    drop_connection();
    forget_session();
    return s;
  }
  open_ = true;
  // Keep this session (id or ticket) for the next connection.
  have_saved_session_ = mbedtls_ssl_get_session(&ssl_, &saved_session_) == 0;
  return Status::Ok();
}

Status TlsSession::handshake(hal::Millis deadline) {
  deadline_ = deadline;
  network_status_ = Status::Ok();
  resumed_ = false;
  verify_flags_ = 0;
  // Stepping (rather than mbedtls_ssl_handshake) lets us see whether the
  // server accepted the offered session before the handshake state is freed.
  while (ssl_.state != MBEDTLS_SSL_HANDSHAKE_OVER) {
    const int rc = mbedtls_ssl_handshake_step(&ssl_);
    if (ssl_.handshake != nullptr && ssl_.handshake->resume != 0) resumed_ = true;
    if (rc == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
      verify_flags_ = mbedtls_ssl_get_verify_result(&ssl_);
      return Status(Code::kCertificateInvalid, "server cert invalid", static_cast<std::int32_t>(verify_flags_));
    }
    if (rc != 0) return map_error(rc, Code::kTlsError, "TLS handshake failed");
  }
  return Status::Ok();
}

Result<std::size_t> TlsSession::send(std::span<const std::uint8_t> data, hal::Millis deadline) {
  if (!open_) return Status(Code::kConnectionClosed, "not connected");
  if (data.empty()) return std::size_t{0};
  deadline_ = deadline;
  network_status_ = Status::Ok();
  const int rc = mbedtls_ssl_write(&ssl_, data.data(), data.size());
  if (rc > 0) return static_cast<std::size_t>(rc);
  const Status s = map_error(rc, Code::kTlsError, "TLS write failed");
  drop_connection();
  return s;
}

Result<std::size_t> TlsSession::recv(std::span<std::uint8_t> buffer, hal::Millis deadline) {
  if (!open_) return Status(Code::kConnectionClosed, "not connected");
  if (buffer.empty()) return Status(Code::kInvalidArgument, "empty read buffer");
  deadline_ = deadline;
  network_status_ = Status::Ok();
  for (;;) {
    const int rc = mbedtls_ssl_read(&ssl_, buffer.data(), buffer.size());
    if (rc > 0) return static_cast<std::size_t>(rc);
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) continue;
    Status s = (rc == 0 || rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
                   ? Status(Code::kConnectionClosed, "server closed")
                   : map_error(rc, Code::kTlsError, "TLS read failed");
    drop_connection();
    return s;
  }
}

void TlsSession::close() {
  if (open_) {
    deadline_ = clock_.monotonic_ms() + kCloseNotifyMillis;
    (void)mbedtls_ssl_close_notify(&ssl_);
  }
  drop_connection();
}

void TlsSession::forget_session() {
  mbedtls_ssl_session_free(&saved_session_);
  mbedtls_ssl_session_init(&saved_session_);
  have_saved_session_ = false;
}

void TlsSession::drop_connection() {
  network_.close();
  open_ = false;
}

Status TlsSession::map_error(int mbedtls_error, Code fallback, const char* message) const {
  // A failing BIO callback recorded what the network said; that is the truth
  // (a timeout stays a timeout, a reset stays a reset).
  if (!network_status_.ok()) return network_status_;
  if (mbedtls_error == MBEDTLS_ERR_SSL_CONN_EOF) return Status(Code::kConnectionClosed, "server closed");
  if (mbedtls_error == MBEDTLS_ERR_SSL_ALLOC_FAILED) {
    return Status(Code::kCapacityExceeded, "TLS pool too small", mbedtls_error);
  }
  return Status(fallback, message, mbedtls_error);
}

int TlsSession::bio_send(void* self, const unsigned char* data, std::size_t length) {
  auto* session = static_cast<TlsSession*>(self);
  Result<std::size_t> sent = session->network_.send({data, length}, session->deadline_);
  if (sent.ok()) return clamp_to_int(*sent);
  session->network_status_ = sent.status();
  return MBEDTLS_ERR_SSL_INTERNAL_ERROR;
}

int TlsSession::bio_recv(void* self, unsigned char* buffer, std::size_t length) {
  auto* session = static_cast<TlsSession*>(self);
  Result<std::size_t> got = session->network_.recv({buffer, length}, session->deadline_);
  if (got.ok()) return clamp_to_int(*got);
  session->network_status_ = got.status();
  if (got.status().code() == Code::kConnectionClosed) return 0;  // EOF
  return got.status().code() == Code::kTimeout ? MBEDTLS_ERR_SSL_TIMEOUT : MBEDTLS_ERR_SSL_INTERNAL_ERROR;
}

int TlsSession::entropy_source(void* self, unsigned char* out, std::size_t length) {
  auto* session = static_cast<TlsSession*>(self);
  return session->entropy_.fill({out, length}).ok() ? 0 : MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
}

}  // namespace posagent::tls
