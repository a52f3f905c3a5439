// Shared by the host tests that run PgClient against the real pgsim
// program: the process (started by posagent-sim's launcher on a free port
// in a fresh data dir, with its admin side channel through cpp-httplib)
// and the product's client stack pointed at it.
//
// pgsim's two stdout lines give the URL and the CA file. Mbed TLS 2.28 does
// not match IP SANs, so the client dials "localhost".
#pragma once

#include <doctest/doctest.h>

#include <httplib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/gateway/pg_client.hpp"
#include "core/http/http_client.hpp"
#include "core/tls/tls_pool.hpp"
#include "core/tls/tls_session.hpp"
#include "firmware/sim/pgsim_launcher.hpp"
#include "hal/sim/sim_clock.hpp"
#include "hal/sim/sim_entropy.hpp"
#include "hal/sim/sim_network.hpp"

namespace gateway_pgsim {

using namespace posagent;
using namespace posagent::gateway;


inline constexpr const char* kClientId = "pgsim_test_client_id";
inline constexpr const char* kClientSecret = "pgsim_test_client_secret";

// One pgsim process, started by posagent-sim's own launcher on a free port
// in a fresh data dir. No exceptions here (core flags): failures are
// reported through ok() and the test REQUIREs it.
class PgsimProcess {
 public:
  explicit PgsimProcess(std::vector<std::string> extra = {}) {
    char tmpl[] = "/tmp/gateway-pgsim-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return;
    dir_ = tmpl;
    sim::PgsimOptions options;
    options.binary = PGSIM_BIN;
    options.data_dir = dir_;
    options.port = 0;
    options.extra_args = std::move(extra);
    started_ = process_.start(options, "").ok();
    port_ = process_.endpoint().port;
    ca_path_ = process_.endpoint().ca_path;
  }
  ~PgsimProcess() {
    process_.stop();
    if (!dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    }
  }
  PgsimProcess(const PgsimProcess&) = delete;
  PgsimProcess& operator=(const PgsimProcess&) = delete;

  bool ok() const { return started_ && port_ > 0 && !ca_path_.empty(); }
  std::uint16_t port() const { return static_cast<std::uint16_t>(port_); }
  std::string origin() const { return "https://localhost:" + std::to_string(port_); }

  // The CA as Mbed TLS wants PEM: with its terminating NUL.
  std::vector<std::uint8_t> ca_pem() const {
    std::ifstream in(ca_path_, std::ios::binary);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    bytes.push_back(0);
    return bytes;
  }

  // A side-channel request (admin API, simulate) through cpp-httplib.
  httplib::Result call(const std::string& method, const std::string& path, const std::string& body,
                       bool credentials) const {
    httplib::SSLClient cli("localhost", port_);
    cli.set_ca_cert_path(ca_path_.c_str());
    cli.enable_server_certificate_verification(true);
    httplib::Headers headers;
    if (credentials) {
      headers = {{"x-api-version", "2025-01-01"}, {"x-client-id", kClientId}, {"x-client-secret", kClientSecret}};
    }
    if (method == "GET") return cli.Get(path.c_str(), headers);
    return cli.Post(path.c_str(), headers, body, "application/json");
  }

  // A side-channel POST with its own content type: the HTTP status, 0 when
  // it failed.
  int post(const std::string& path, const std::string& body, const std::string& content_type) const {
    httplib::SSLClient cli("localhost", port_);
    cli.set_ca_cert_path(ca_path_.c_str());
    cli.enable_server_certificate_verification(true);
    const httplib::Result r = cli.Post(path.c_str(), body, content_type.c_str());
    return r ? r->status : 0;
  }

  // The customer on pgsim's 3-D Secure page (either API), with the page's
  // own form: the HTTP status, 0 for a page elsewhere.
  int three_ds(std::string_view page_url, const std::string& form) const {
    const std::string url(page_url);
    if (url.rfind(origin(), 0) != 0) return 0;
    return post(url.substr(origin().size()), form, "application/x-www-form-urlencoded");
  }

  // pgsim decides an open payment of Flowwise (/router).
  bool simulate_flowwise(std::string_view payment_id, const std::string& status) const {
    return post("/admin/flowwise/simulate",
                R"({"payment_id":")" + std::string(payment_id) + R"(","status":")" + status + R"("})",
                "application/json") == 200;
  }

  // pgsim decides an open payment, as the sandbox's simulator does.
  bool simulate(std::string_view cf_payment_id, const std::string& status) const {
    const std::string body = R"({"entity":"PAYMENTS","entity_id":")" + std::string(cf_payment_id) +
                             R"(","entity_simulation":{"payment_status":")" + status + R"("}})";
    const httplib::Result r = call("POST", "/pg/simulate", body, true);
    return r && r->status == 200;
  }

  bool fault(const std::string& json) const {
    const httplib::Result r = call("POST", "/admin/faults", json, false);
    return r && r->status == 200;
  }

  std::string state() const {
    const httplib::Result r = call("GET", "/admin/state", "", false);
    return r ? r->body : std::string();
  }

  // Moves pgsim's clock forward (OTP resend gaps, authorisation windows).
  bool advance_clock(long long ms) const {
    const httplib::Result r = call("POST", "/admin/clock", "{\"advance_ms\":" + std::to_string(ms) + "}", false);
    return r && r->status == 200;
  }

 private:
  std::string dir_;
  sim::PgsimProcess process_;
  bool started_ = false;
  int port_ = 0;
  std::string ca_path_;
};

inline PgBuffers<> g_buffers;

// The product's client stack, pointed at pgsim.
struct Stack {
  hal::sim::SimClock clock;
  hal::sim::SimEntropy entropy;
  hal::sim::SimNetwork network{clock};
  tls::TlsSession session{network, clock, entropy};
  http::HttpClient http{session};
  PgConfig config;
  TerminalProvisioning terminal;
  PgClient pg{http, entropy, config, terminal, g_buffers};

  Status init(const PgsimProcess& pgsim) {
    json_init();
    POSAGENT_TRY(tls::pool_init(clock));
    (void)config.host.assign("localhost");
    config.port = pgsim.port();
    (void)config.client_id.assign(kClientId);
    (void)config.client_secret.assign(kClientSecret);
    (void)terminal.terminal_id.assign("T-0001");
    (void)terminal.terminal_phone_no.assign("9123456780");
    (void)terminal.terminal_name.assign("Counter 3");
    (void)terminal.terminal_address.assign("12 MG Road, Bengaluru");
    const std::vector<std::uint8_t> ca = pgsim.ca_pem();
    return session.init({"localhost", pgsim.port(), ca});
  }
  hal::Millis deadline(hal::Millis ms = 10'000) { return clock.monotonic_ms() + ms; }
};

inline std::string uuid(Stack& s) {
  const Result<FixedString<kUuidTextLength>> u = make_uuid_v4(s.entropy);
  REQUIRE(u.ok());
  return std::string(u->view());
}

inline CreateOrderRequest sale(std::string_view order_id, std::int64_t paise = 49900) {
  CreateOrderRequest r;
  r.order_id = order_id;
  r.amount_paise = paise;
  r.customer_id = "walkin-1";
  r.customer_phone = "9876543210";
  r.order_note = "Counter 3 sale";
  return r;
}

inline constexpr OrderTag kTags[] = {{"terminal", "T-0001"}, {"shift", "morning"}};

inline bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}


}  // namespace gateway_pgsim
