#include "tests/support/tls_peer.hpp"

#include <cstring>

#include "mbedtls/platform.h"

// --- Allocator split -----------------------------------------------------------
// Mbed TLS has one process-wide calloc/free pair, which the client's pool
// (tls::pool_init → mbedtls_memory_buffer_alloc_init) installs through
// mbedtls_platform_set_calloc_free. Test images link with
// -Wl,--wrap=mbedtls_platform_set_calloc_free, so this file sees the pool's
// pair, keeps it, and installs a router instead: while the server side runs,
// allocations come from the peer's arena; frees go wherever the block lives.
namespace {

using CallocFn = void* (*)(std::size_t, std::size_t);
using FreeFn = void (*)(void*);
CallocFn g_pool_calloc = nullptr;
FreeFn g_pool_free = nullptr;
bool g_server_running = false;

// A small first-fit allocator with coalescing: the server's handshake churns
// through many short-lived big-number buffers, so a bump arena would not do.
constexpr std::size_t kArenaBytes = 384 * 1024;
constexpr std::size_t kAlign = 16;
struct alignas(kAlign) BlockHeader {
  std::size_t size;  // payload bytes
  std::size_t free;
};
alignas(kAlign) unsigned char g_arena[kArenaBytes];
bool g_arena_ready = false;
std::size_t g_arena_in_use = 0;
std::size_t g_arena_peak = 0;

BlockHeader* first_block() { return reinterpret_cast<BlockHeader*>(g_arena); }
BlockHeader* next_block(BlockHeader* b) {
  unsigned char* next = reinterpret_cast<unsigned char*>(b + 1) + b->size;
  return next < g_arena + kArenaBytes ? reinterpret_cast<BlockHeader*>(next) : nullptr;
}
bool in_arena(const void* p) {
  const auto* c = static_cast<const unsigned char*>(p);
  return c >= g_arena && c < g_arena + kArenaBytes;
}

void* arena_calloc(std::size_t n, std::size_t size) {
  if (!g_arena_ready) {
    *first_block() = {kArenaBytes - sizeof(BlockHeader), 1};
    g_arena_ready = true;
  }
  if (n != 0 && size > (kArenaBytes / n)) return nullptr;
  std::size_t want = (n * size + kAlign - 1) / kAlign * kAlign;
  if (want == 0) want = kAlign;
  for (BlockHeader* b = first_block(); b != nullptr; b = next_block(b)) {
    if (!b->free || b->size < want) continue;
    if (b->size >= want + sizeof(BlockHeader) + kAlign) {  // split off the rest
      auto* rest = reinterpret_cast<BlockHeader*>(reinterpret_cast<unsigned char*>(b + 1) + want);
      *rest = {b->size - want - sizeof(BlockHeader), 1};
      b->size = want;
    }
    b->free = 0;
    g_arena_in_use += b->size + sizeof(BlockHeader);
    if (g_arena_in_use > g_arena_peak) g_arena_peak = g_arena_in_use;
    std::memset(b + 1, 0, b->size);
    return b + 1;
  }
  return nullptr;
}

void arena_free(void* p) {
  BlockHeader* b = static_cast<BlockHeader*>(p) - 1;
  b->free = 1;
  g_arena_in_use -= b->size + sizeof(BlockHeader);
  for (BlockHeader* a = first_block(); a != nullptr; a = next_block(a)) {
    BlockHeader* n = next_block(a);
    while (a->free && n != nullptr && n->free) {
      a->size += sizeof(BlockHeader) + n->size;
      n = next_block(a);
    }
  }
}

void* split_calloc(std::size_t n, std::size_t size) {
  return g_server_running ? arena_calloc(n, size) : g_pool_calloc(n, size);
}
void split_free(void* p) {
  if (p == nullptr) return;
  if (in_arena(p)) {
    arena_free(p);
  } else {
    g_pool_free(p);
  }
}

// Marks a stretch of server-side work.
struct ServerScope {
  ServerScope() { g_server_running = true; }
  ~ServerScope() { g_server_running = false; }
};

}  // namespace

extern "C" int __real_mbedtls_platform_set_calloc_free(CallocFn, FreeFn);
extern "C" int __wrap_mbedtls_platform_set_calloc_free(CallocFn calloc_fn, FreeFn free_fn) {
  g_pool_calloc = calloc_fn;
  g_pool_free = free_fn;
  return __real_mbedtls_platform_set_calloc_free(split_calloc, split_free);
}

namespace posagent::test {
namespace {

constexpr unsigned char kPersonalisation[] = "posagent-test-peer";

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char a = text[i], b = prefix[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

// Content-Length of a request head, 0 when absent.
std::size_t content_length(std::string_view head) {
  std::size_t pos = 0;
  while ((pos = head.find("\r\n", pos)) != std::string_view::npos) {
    pos += 2;
    std::string_view line = head.substr(pos);
    if (starts_with_nocase(line, "content-length:")) {
      std::size_t n = 0;
      for (std::size_t i = 15; i < line.size() && line[i] != '\r'; ++i) {
        if (line[i] >= '0' && line[i] <= '9') n = n * 10 + static_cast<std::size_t>(line[i] - '0');
      }
      return n;
    }
  }
  return 0;
}

std::size_t append(char* out, std::size_t at, std::size_t cap, std::string_view text) {
  std::size_t n = text.size() < cap - at ? text.size() : cap - at;
  std::memcpy(out + at, text.data(), n);
  return at + n;
}

std::size_t append_number(char* out, std::size_t at, std::size_t cap, std::size_t value) {
  char digits[24];
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0 && at < cap) out[at++] = digits[--n];
  return at;
}

}  // namespace

bool InMemoryTlsPeer::Pipe::append(std::span<const std::uint8_t> data) {
  if (data.size() > sizeof(bytes) - length) return false;
  std::memcpy(bytes + length, data.data(), data.size());
  length += data.size();
  return true;
}

std::size_t InMemoryTlsPeer::Pipe::take(std::span<std::uint8_t> out) {
  const std::size_t n = out.size() < length ? out.size() : length;
  std::memcpy(out.data(), bytes, n);
  std::memmove(bytes, bytes + n, length - n);
  length -= n;
  return n;
}

InMemoryTlsPeer::InMemoryTlsPeer(hal::Entropy& entropy) : entropy_(entropy) {
  mbedtls_ctr_drbg_init(&drbg_);
  mbedtls_x509_crt_init(&certificate_);
  mbedtls_pk_init(&key_);
  mbedtls_ssl_cache_init(&cache_);
  mbedtls_ssl_config_init(&config_);
  mbedtls_ssl_init(&ssl_);
}

InMemoryTlsPeer::~InMemoryTlsPeer() {
  ServerScope scope;
  mbedtls_ssl_free(&ssl_);
  mbedtls_ssl_config_free(&config_);
  mbedtls_ssl_cache_free(&cache_);
  mbedtls_pk_free(&key_);
  mbedtls_x509_crt_free(&certificate_);
  mbedtls_ctr_drbg_free(&drbg_);
}

std::size_t InMemoryTlsPeer::arena_peak_bytes() { return g_arena_peak; }

Status InMemoryTlsPeer::init(const test_pki::Credential& credential) {
  if (g_pool_calloc == nullptr) return Status(Code::kInternal, "pool_init first");
  ServerScope scope;
  int rc = mbedtls_ctr_drbg_seed(&drbg_, &InMemoryTlsPeer::entropy_source, this, kPersonalisation,
                                 sizeof(kPersonalisation) - 1);
  if (rc != 0) return Status(Code::kIoError, "peer entropy", rc);
  rc = mbedtls_x509_crt_parse(&certificate_, credential.certificate.data(), credential.certificate.size());
  if (rc != 0) return Status(Code::kInvalidArgument, "peer certificate", rc);
  rc = mbedtls_pk_parse_key(&key_, credential.private_key.data(), credential.private_key.size(), nullptr, 0);
  if (rc != 0) return Status(Code::kInvalidArgument, "peer key", rc);
  rc = mbedtls_ssl_config_defaults(&config_, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
                                   MBEDTLS_SSL_PRESET_DEFAULT);
  if (rc != 0) return Status(Code::kTlsError, "peer config", rc);
  mbedtls_ssl_conf_rng(&config_, mbedtls_ctr_drbg_random, &drbg_);
  rc = mbedtls_ssl_conf_own_cert(&config_, &certificate_, &key_);
  if (rc != 0) return Status(Code::kTlsError, "peer own cert", rc);
  mbedtls_ssl_conf_session_cache(&config_, &cache_, mbedtls_ssl_cache_get, mbedtls_ssl_cache_set);
  rc = mbedtls_ssl_setup(&ssl_, &config_);
  if (rc != 0) return Status(Code::kCapacityExceeded, "peer setup", rc);
  mbedtls_ssl_set_bio(&ssl_, this, &InMemoryTlsPeer::server_send, &InMemoryTlsPeer::server_recv, nullptr);
  initialised_ = true;
  return Status::Ok();
}

Status InMemoryTlsPeer::connect(std::string_view, std::uint16_t, hal::Millis) {
  if (!initialised_) return Status(Code::kInternal, "peer not initialised");
  if (behaviour_ == Behaviour::kRefuseConnect) return Status(Code::kConnectionFailed, "connection refused");
  ServerScope scope;
  if (mbedtls_ssl_session_reset(&ssl_) != 0) return Status(Code::kInternal, "peer reset");
  to_server_.length = 0;
  to_client_.length = 0;
  request_length_ = 0;
  handshake_done_ = false;
  server_closed_ = false;
  handshake_error_ = 0;
  connected_ = true;
  ++connections_;
  return Status::Ok();
}

Result<std::size_t> InMemoryTlsPeer::send(std::span<const std::uint8_t> data, hal::Millis) {
  if (!connected_ || server_closed_) return Status(Code::kConnectionClosed, "peer closed");
  if (!to_server_.append(data)) return Status(Code::kIoError, "peer pipe full");
  pump();
  return data.size();
}

Result<std::size_t> InMemoryTlsPeer::recv(std::span<std::uint8_t> buffer, hal::Millis) {
  if (!connected_) return Status(Code::kConnectionClosed, "not connected");
  pump();
  if (to_client_.length > 0) return to_client_.take(buffer);
  if (server_closed_) return Status(Code::kConnectionClosed, "peer closed");
  // The peer has nothing to say and never will without more input: in
  // memory, a stalled server is a timeout at once.
  return Status(Code::kTimeout, "peer stalled");
}

void InMemoryTlsPeer::close() { connected_ = false; }

void InMemoryTlsPeer::pump() {
  if (!connected_ || server_closed_) return;
  ServerScope scope;
  if (!handshake_done_) {
    const int rc = mbedtls_ssl_handshake(&ssl_);
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) return;
    if (rc != 0) {  // the client rejected us (its alert arrived) or a protocol error
      handshake_error_ = rc;
      server_closed_ = true;
      return;
    }
    handshake_done_ = true;
  }
  if (behaviour_ == Behaviour::kStallAfterHandshake) return;
  serve_requests();
}

void InMemoryTlsPeer::serve_requests() {
  for (;;) {
    const int rc = mbedtls_ssl_read(&ssl_, reinterpret_cast<unsigned char*>(request_) + request_length_,
                                    sizeof(request_) - request_length_);
    if (rc == MBEDTLS_ERR_SSL_WANT_READ) return;
    if (rc <= 0) {
      server_closed_ = true;
      return;
    }
    request_length_ += static_cast<std::size_t>(rc);
    for (;;) {
      const std::string_view received(request_, request_length_);
      const std::size_t head_end = received.find("\r\n\r\n");
      if (head_end == std::string_view::npos) break;
      const std::string_view head = received.substr(0, head_end + 4);
      const std::size_t total = head.size() + content_length(head);
      if (request_length_ < total) break;
      respond(head);
      std::memmove(request_, request_ + total, request_length_ - total);
      request_length_ -= total;
      if (server_closed_) return;
    }
  }
}

void InMemoryTlsPeer::respond(std::string_view request_head) {
  static char body[512];
  static char response[1024];
  ++requests_served_;
  std::size_t body_length = 0;
  if (!fixed_body_.empty()) {
    body_length = append(body, 0, sizeof(body), fixed_body_);
  } else {
    const std::string_view request_line = request_head.substr(0, request_head.find("\r\n"));
    body_length = append(body, 0, sizeof(body), "{\"request\":\"");
    body_length = append(body, body_length, sizeof(body), request_line);
    body_length = append(body, body_length, sizeof(body), "\",\"served\":");
    body_length = append_number(body, body_length, sizeof(body), static_cast<std::size_t>(requests_served_));
    body_length = append(body, body_length, sizeof(body), "}");
  }
  const bool closing = behaviour_ == Behaviour::kRespondThenClose;
  std::size_t n = append(response, 0, sizeof(response), "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n");
  n = append(response, n, sizeof(response), closing ? "Connection: close\r\n" : "Connection: keep-alive\r\n");
  n = append(response, n, sizeof(response), "Content-Length: ");
  n = append_number(response, n, sizeof(response), body_length);
  n = append(response, n, sizeof(response), "\r\n\r\n");
  n = append(response, n, sizeof(response), std::string_view(body, body_length));

  std::size_t written = 0;
  while (written < n) {
    const int rc = mbedtls_ssl_write(&ssl_, reinterpret_cast<unsigned char*>(response) + written, n - written);
    if (rc <= 0) {
      server_closed_ = true;
      return;
    }
    written += static_cast<std::size_t>(rc);
  }
  if (closing) {
    (void)mbedtls_ssl_close_notify(&ssl_);
    server_closed_ = true;
  }
}

int InMemoryTlsPeer::server_send(void* self, const unsigned char* data, std::size_t length) {
  auto* peer = static_cast<InMemoryTlsPeer*>(self);
  return peer->to_client_.append({data, length}) ? static_cast<int>(length) : MBEDTLS_ERR_SSL_INTERNAL_ERROR;
}

int InMemoryTlsPeer::server_recv(void* self, unsigned char* buffer, std::size_t length) {
  auto* peer = static_cast<InMemoryTlsPeer*>(self);
  if (peer->to_server_.length == 0) return MBEDTLS_ERR_SSL_WANT_READ;
  return static_cast<int>(peer->to_server_.take({buffer, length}));
}

int InMemoryTlsPeer::entropy_source(void* self, unsigned char* out, std::size_t length) {
  auto* peer = static_cast<InMemoryTlsPeer*>(self);
  return peer->entropy_.fill({out, length}).ok() ? 0 : MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
}

}  // namespace posagent::test
