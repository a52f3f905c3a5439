// HTTPS on the host over real loopback sockets: our client stack (SimNetwork
// → TlsSession with the firmware's Mbed TLS configuration → HttpClient)
// against an OpenSSL server (cpp-httplib) using the test PKI made at build
// time. Also proves that after init a full HTTPS exchange allocates nothing.
#include <doctest/doctest.h>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>
#include <string>
#include <thread>

#include "core/http/http_client.hpp"
#include "core/tls/tls_pool.hpp"
#include "core/tls/tls_session.hpp"
#include "mbedtls/x509.h"
#include "hal/sim/sim_clock.hpp"
#include "hal/sim/sim_entropy.hpp"
#include "hal/sim/sim_network.hpp"
#include "tests/support/test_pki.hpp"

// --- Allocation counting -----------------------------------------------------
// This test links with -Wl,--wrap for malloc, calloc, realloc and free, so
// every call from statically linked code (the core, Mbed TLS, llhttp, cJSON,
// the sim HAL) passes through here; operator new is replaced as well. Only
// calls made on a thread that armed counting are counted, so the server's
// thread is left alone. (Allocations inside glibc itself, e.g. by
// getaddrinfo in the sim HAL, are the OS's and not seen.)
namespace {
thread_local bool t_counting = false;
std::atomic<int> g_allocations{0};
void note_allocation() {
  if (t_counting) g_allocations.fetch_add(1);
}
}  // namespace

extern "C" {
void* __real_malloc(std::size_t);
void* __real_calloc(std::size_t, std::size_t);
void* __real_realloc(void*, std::size_t);
void __wrap_free(void* p);
void __real_free(void*);
void* __wrap_malloc(std::size_t n) {
  note_allocation();
  return __real_malloc(n);
}
void* __wrap_calloc(std::size_t n, std::size_t s) {
  note_allocation();
  return __real_calloc(n, s);
}
void* __wrap_realloc(void* p, std::size_t n) {
  note_allocation();
  return __real_realloc(p, n);
}
void __wrap_free(void* p) { __real_free(p); }
}

void* operator new(std::size_t n) {
  note_allocation();
  if (void* p = std::malloc(n != 0 ? n : 1)) return p;
  std::abort();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace posagent;

namespace {

const std::string kPkiDir = POSAGENT_TEST_PKI_DIR;

// An HTTPS server on 127.0.0.1 presenting one of the test certificates.
class LocalHttpsServer {
 public:
  explicit LocalHttpsServer(const std::string& name)
      : server_((kPkiDir + "/" + name + ".pem").c_str(), (kPkiDir + "/" + name + ".key").c_str()) {
    server_.Get(R"(/pg/orders/([A-Za-z0-9_-]+))", [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("x-request-id", req.get_header_value("x-request-id"));
      res.set_content("{\"order_id\":\"" + std::string(req.matches[1]) + "\",\"order_status\":\"ACTIVE\"}",
                      "application/json");
    });
    server_.Post("/pg/orders", [](const httplib::Request& req, httplib::Response& res) {
      res.status = 200;
      res.set_content("{\"received_bytes\":" + std::to_string(req.body.size()) + "}", "application/json");
    });
    // A body sent in chunks, as some gateways do.
    server_.Get("/chunked", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("application/json", [](std::size_t, httplib::DataSink& sink) {
        sink.write("{\"part\":", 8);
        sink.write("\"one\",", 6);
        sink.write("\"end\":true}", 11);
        sink.done();
        return true;
      });
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LocalHttpsServer() {
    server_.stop();
    thread_.join();
  }
  std::uint16_t port() const { return static_cast<std::uint16_t>(port_); }
  bool valid() const { return server_.is_valid() && port_ > 0; }

 private:
  httplib::SSLServer server_;
  int port_ = -1;
  std::thread thread_;
};

struct Client {
  hal::sim::SimClock clock;
  hal::sim::SimEntropy entropy;
  hal::sim::SimNetwork network{clock};
  tls::TlsSession session{network, clock, entropy};
  http::HttpClient http{session};

  Status init(std::uint16_t port, std::string_view host = "localhost") {
    POSAGENT_TRY(tls::pool_init(clock));
    return session.init({host, port, test_pki::trusted_ca()});
  }
  hal::Millis deadline() { return clock.monotonic_ms() + 10'000; }
};

// Caller-owned buffers of one exchange, as a gateway client would hold them.
struct Exchange {
  char request_buffer[1024];
  std::uint8_t body[2048];
  http::HeaderCapture headers[2] = {{"x-request-id", {}, false}, {"content-type", {}, false}};
  http::Response response{headers, body};
};

http::ExchangeResult get(Client& c, Exchange& x, std::string_view target) {
  static constexpr http::Header kHeaders[] = {{"x-api-version", "2025-01-01"}, {"x-request-id", "req-42"}};
  http::Request request;
  request.target = target;
  request.host = "localhost";
  request.headers = kHeaders;
  return c.http.exchange(request, x.request_buffer, x.response, c.deadline());
}

}  // namespace

TEST_CASE("HTTPS against a local OpenSSL server: GET, POST, chunked, keep-alive, resumption") {
  LocalHttpsServer server("server");
  REQUIRE(server.valid());
  Client c;
  REQUIRE(c.init(server.port()).ok());
  Exchange x;

  http::ExchangeResult r = get(c, x, "/pg/orders/order_7");
  REQUIRE(r.ok());
  CHECK(x.response.status_code() == 200);
  CHECK(x.response.body_text() == R"({"order_id":"order_7","order_status":"ACTIVE"})");
  CHECK(x.response.header("x-request-id") == std::optional<std::string_view>("req-42"));
  CHECK_FALSE(c.session.last_handshake_resumed());

  // POST with a body on the same connection.
  static constexpr std::string_view kBody = R"({"order_amount":2299.50,"order_currency":"INR"})";
  http::Request post;
  post.method = http::Method::kPost;
  post.target = "/pg/orders";
  post.host = "localhost";
  post.body = as_bytes(kBody);
  r = c.http.exchange(post, x.request_buffer, x.response, c.deadline());
  REQUIRE(r.ok());
  CHECK(x.response.body_text() == "{\"received_bytes\":" + std::to_string(kBody.size()) + "}");
  CHECK(c.session.is_open());

  r = get(c, x, "/chunked");
  REQUIRE(r.ok());
  CHECK(x.response.body_text() == R"({"part":"one","end":true})");

  // A new connection resumes the saved session.
  c.http.close();
  r = get(c, x, "/pg/orders/order_8");
  REQUIRE(r.ok());
  CHECK(c.session.last_handshake_resumed());
  c.http.close();
}

TEST_CASE("After init, a full HTTPS exchange allocates nothing") {
  LocalHttpsServer server("server");
  REQUIRE(server.valid());
  Client c;
  Exchange x;
  REQUIRE(c.init(server.port()).ok());
  c.session.forget_session();  // a full handshake, the most demanding case

  // The counter sees what it should: an allocation while armed is counted.
  t_counting = true;
  void* probe = std::malloc(16);
  t_counting = false;
  std::free(probe);
  REQUIRE(g_allocations.load() == 1);
  g_allocations = 0;

  t_counting = true;
  http::ExchangeResult first = get(c, x, "/pg/orders/order_1");    // connect + full handshake
  http::ExchangeResult second = get(c, x, "/chunked");             // keep-alive
  c.http.close();
  http::ExchangeResult third = get(c, x, "/pg/orders/order_2");    // resumed handshake
  c.http.close();
  t_counting = false;

  CHECK(first.ok());
  CHECK(second.ok());
  CHECK(third.ok());
  CHECK(g_allocations.load() == 0);
  const tls::PoolUsage usage = tls::pool_usage();
  MESSAGE("host (x86_64) TLS pool: peak " << usage.peak_bytes << " of " << usage.capacity_bytes << " bytes");
}

TEST_CASE("Real server: wrong host name, untrusted CA and expired certificate are rejected") {
  struct Case {
    const char* credential;
    std::uint32_t flag;
  };
  const Case cases[] = {
      {"server-wrong-name", MBEDTLS_X509_BADCERT_CN_MISMATCH},
      {"server-untrusted", MBEDTLS_X509_BADCERT_NOT_TRUSTED},
      {"server-expired", MBEDTLS_X509_BADCERT_EXPIRED},
  };
  for (const Case& k : cases) {
    CAPTURE(k.credential);
    LocalHttpsServer server(k.credential);
    REQUIRE(server.valid());
    Client c;
    REQUIRE(c.init(server.port()).ok());
    Exchange x;
    http::ExchangeResult r = get(c, x, "/pg/orders/order_1");
    CHECK(r.status.code() == Code::kCertificateInvalid);
    CHECK((c.session.last_verify_flags() & k.flag) != 0);
    CHECK(r.bytes_sent == 0);  // nothing of the request left the terminal
  }
}

TEST_CASE("Connecting to a port nobody listens on fails cleanly") {
  std::uint16_t port = 0;
  {
    LocalHttpsServer server("server");
    port = server.port();
  }
  Client c;
  REQUIRE(c.init(port).ok());
  Exchange x;
  http::ExchangeResult r = get(c, x, "/pg/orders/order_1");
  CHECK(r.status.code() == Code::kConnectionFailed);
  CHECK(r.bytes_sent == 0);
}
