// Host only: PgClient over the product stack (SimNetwork -> TlsSession with
// the firmware's Mbed TLS configuration -> HttpClient) against the real
// pgsim program over TLS on loopback. Admin calls and /pg/simulate go
// through cpp-httplib, as a test's side channel.
//
// pgsim is started per test case on a free port with a fresh data dir; its
// two stdout lines give the URL and the CA file. Mbed TLS 2.28 does not
// match IP SANs, so the client dials "localhost".
#include <doctest/doctest.h>

#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "core/gateway/pg_client.hpp"
#include "core/http/http_client.hpp"
#include "core/tls/tls_pool.hpp"
#include "core/tls/tls_session.hpp"
#include "hal/sim/sim_clock.hpp"
#include "hal/sim/sim_entropy.hpp"
#include "hal/sim/sim_network.hpp"
#include "firmware/sim/pgsim_launcher.hpp"

using namespace posagent;
using namespace posagent::gateway;

namespace {

constexpr const char* kClientId = "pgsim_test_client_id";
constexpr const char* kClientSecret = "pgsim_test_client_secret";

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

 private:
  std::string dir_;
  sim::PgsimProcess process_;
  bool started_ = false;
  int port_ = 0;
  std::string ca_path_;
};

PgBuffers<> g_buffers;

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

std::string uuid(Stack& s) {
  const Result<FixedString<kUuidTextLength>> u = make_uuid_v4(s.entropy);
  REQUIRE(u.ok());
  return std::string(u->view());
}

CreateOrderRequest sale(std::string_view order_id, std::int64_t paise = 49900) {
  CreateOrderRequest r;
  r.order_id = order_id;
  r.amount_paise = paise;
  r.customer_id = "walkin-1";
  r.customer_phone = "9876543210";
  r.order_note = "Counter 3 sale";
  return r;
}

constexpr OrderTag kTags[] = {{"terminal", "T-0001"}, {"shift", "morning"}};

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

TEST_CASE("A UPI sale against pgsim: create, pay by link, simulate, PAID with the UTR") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());

  CreateOrderRequest order = sale("POS-SALE-1");
  order.order_tags = kTags;
  const Result<Timestamp> expiry = Timestamp::from_unix_seconds(s.clock.unix_seconds() + 3600, 330);
  REQUIRE(expiry.ok());
  order.order_expiry_time = *expiry;
  const std::string create_key = uuid(s);
  const PgResult<OrderEntity> created = s.pg.create_order(order, create_key, s.deadline());
  REQUIRE(created.ok());
  CHECK(created->order_id == "POS-SALE-1");
  CHECK(created->order_status == OrderStatus::kActive);
  CHECK(created->order_amount_paise == 49900);
  CHECK(all_digits(created->cf_order_id.view()));
  CHECK(created->payment_session_id.size() > 20);
  REQUIRE(created->order_expiry_time.has_value());
  CHECK(*created->order_expiry_time == *expiry);
  CHECK_FALSE(created.info().replayed);

  const std::string pay_key = uuid(s);
  const PgResult<UpiPayment> pay =
      s.pg.pay_order_upi({created->payment_session_id.view(), UpiChannel::kLink}, pay_key, s.deadline());
  REQUIRE(pay.ok());
  CHECK(pay->action == PayAction::kCustom);
  CHECK(pay->channel == UpiChannel::kLink);
  CHECK(pay->payment_amount_paise == 49900);
  const std::string intent_prefix = "https://localhost:" + std::to_string(pgsim.port()) + "/pay/";
  CHECK(pay->intent.view().starts_with(intent_prefix));
  CHECK(pay->intent.view().find("am=499.00") != std::string_view::npos);
  CHECK(pay->intent.view().find(pay->cf_payment_id.view()) != std::string_view::npos);

  PgResult<PaymentList> payments = s.pg.get_payments("POS-SALE-1", s.deadline());
  REQUIRE(payments.ok());
  REQUIRE(payments->count == 1);
  CHECK(payments->attempts[0].cf_payment_id == pay->cf_payment_id.view());
  CHECK(payments->attempts[0].payment_status == PaymentStatus::kNotAttempted);
  CHECK(payments->success() == nullptr);

  REQUIRE(pgsim.simulate(pay->cf_payment_id.view(), "SUCCESS"));

  const PgResult<OrderEntity> paid = s.pg.get_order("POS-SALE-1", s.deadline());
  REQUIRE(paid.ok());
  CHECK(paid->order_status == OrderStatus::kPaid);
  payments = s.pg.get_payments("POS-SALE-1", s.deadline());
  REQUIRE(payments.ok());
  REQUIRE(payments->success() != nullptr);
  CHECK(payments->success()->bank_reference.size() == 12);
  CHECK(all_digits(payments->success()->bank_reference.view()));
  CHECK(payments->success()->payment_amount_paise == 49900);

  // The order is no longer active: order pay and terminate both refuse.
  const PgResult<UpiPayment> again =
      s.pg.pay_order_upi({created->payment_session_id.view(), UpiChannel::kLink}, uuid(s), s.deadline());
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().http_status == 404);
  CHECK(again.error().code == "orderpay_not_found");
  CHECK(again.error().retry == RetryDecision::kStop);
  CHECK(std::string_view(again.error().screen_message) == "Order not active");
  const PgResult<OrderEntity> terminate = s.pg.terminate_order("POS-SALE-1", uuid(s), s.deadline());
  REQUIRE_FALSE(terminate.ok());
  CHECK(terminate.error().http_status == 400);
  CHECK(terminate.error().code == "order_inactive");
  CHECK(terminate.error().retry == RetryDecision::kStop);

  // pgsim saw our request ids and keys.
  const std::string state = pgsim.state();
  CHECK(state.find(std::string(created.info().request_id.view())) != std::string::npos);
  CHECK(state.find(std::string(paid.info().request_id.view())) != std::string::npos);
  CHECK(state.find(create_key) != std::string::npos);
  CHECK(state.find(pay_key) != std::string::npos);
}

TEST_CASE("Terminate an unpaid order: TERMINATION_REQUESTED, then TERMINATED") {
  PgsimProcess pgsim({"--termination-delay-ms", "300"});
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  const PgResult<OrderEntity> created = s.pg.create_order(sale("POS-TERM-1"), uuid(s), s.deadline());
  REQUIRE(created.ok());
  REQUIRE(s.pg.pay_order_upi({created->payment_session_id.view(), UpiChannel::kLink}, uuid(s), s.deadline()).ok());

  const PgResult<OrderEntity> t = s.pg.terminate_order("POS-TERM-1", uuid(s), s.deadline());
  REQUIRE(t.ok());
  CHECK(t->order_status == OrderStatus::kTerminationRequested);
  OrderStatus status = t->order_status;
  for (int i = 0; i < 40 && status != OrderStatus::kTerminated; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const PgResult<OrderEntity> o = s.pg.get_order("POS-TERM-1", s.deadline());
    REQUIRE(o.ok());
    status = o->order_status;
  }
  CHECK(status == OrderStatus::kTerminated);
  const PgResult<PaymentList> payments = s.pg.get_payments("POS-TERM-1", s.deadline());
  REQUIRE(payments.ok());
  REQUIRE(payments->count == 1);
  CHECK(payments->attempts[0].payment_status == PaymentStatus::kCancelled);
}

TEST_CASE("Idempotent create: the same key replays the same order; a new key conflicts; a new body is refused") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  const std::string key = uuid(s);
  const PgResult<OrderEntity> first = s.pg.create_order(sale("POS-IDEM-1"), key, s.deadline());
  REQUIRE(first.ok());
  CHECK_FALSE(first.info().replayed);

  const PgResult<OrderEntity> second = s.pg.create_order(sale("POS-IDEM-1"), key, s.deadline());
  REQUIRE(second.ok());
  CHECK(second.info().replayed);
  CHECK(second->cf_order_id == first->cf_order_id.view());
  CHECK(second->payment_session_id == first->payment_session_id.view());
  CHECK(second.info().request_id.view() != first.info().request_id.view());

  const PgResult<OrderEntity> new_key = s.pg.create_order(sale("POS-IDEM-1"), uuid(s), s.deadline());
  REQUIRE_FALSE(new_key.ok());
  CHECK(new_key.error().http_status == 409);
  CHECK(new_key.error().code == "order_already_exists");
  CHECK(new_key.error().retry == RetryDecision::kStop);
  CHECK(std::string_view(new_key.error().screen_message) == "Order already exists");

  const PgResult<OrderEntity> new_body = s.pg.create_order(sale("POS-IDEM-1", 50000), key, s.deadline());
  REQUIRE_FALSE(new_body.ok());
  CHECK(new_body.error().http_status == 422);
  CHECK(new_body.error().type == "idempotency_error");
  CHECK(new_body.error().retry == RetryDecision::kStop);
}

TEST_CASE("A 429 fault: kRetryAfter with pgsim's seconds; the retry with the same key succeeds") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  REQUIRE(pgsim.fault(R"({"path":"/pg/orders","action":"rate_limit","retry_s":3})"));
  const std::string key = uuid(s);
  const PgResult<OrderEntity> limited = s.pg.create_order(sale("POS-RL-1"), key, s.deadline());
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.error().origin == ErrorOrigin::kGateway);
  CHECK(limited.error().http_status == 429);
  CHECK(limited.error().type == "rate_limit_error");
  CHECK(limited.error().retry == RetryDecision::kRetryAfter);
  CHECK(limited.error().retry_after_s == 3);
  CHECK(std::string_view(limited.error().screen_message) == "Gateway busy");

  const PgResult<OrderEntity> retried = s.pg.create_order(sale("POS-RL-1"), key, s.deadline());
  REQUIRE(retried.ok());
  CHECK(retried->order_status == OrderStatus::kActive);
}

TEST_CASE("A dropped connection is outcome unknown; the same key then tells what happened") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());

  SUBCASE("dropped before pgsim acted: the retry creates the order") {
    REQUIRE(pgsim.fault(R"({"path":"/pg/orders","action":"drop"})"));
    const std::string key = uuid(s);
    const PgResult<OrderEntity> lost = s.pg.create_order(sale("POS-DROP-1"), key, s.deadline());
    REQUIRE_FALSE(lost.ok());
    CHECK(lost.error().origin == ErrorOrigin::kTransport);
    CHECK(lost.error().retry == RetryDecision::kOutcomeUnknown);
    CHECK(lost.error().request_sent);
    CHECK(lost.error().http_status == 0);
    const PgResult<OrderEntity> retried = s.pg.create_order(sale("POS-DROP-1"), key, s.deadline());
    REQUIRE(retried.ok());
    CHECK_FALSE(retried.info().replayed);
  }
  SUBCASE("dropped after pgsim acted: the retry is the stored answer") {
    REQUIRE(pgsim.fault(R"({"path":"/pg/orders","action":"drop","act":true})"));
    const std::string key = uuid(s);
    const PgResult<OrderEntity> lost = s.pg.create_order(sale("POS-DROP-2"), key, s.deadline());
    REQUIRE_FALSE(lost.ok());
    CHECK(lost.error().retry == RetryDecision::kOutcomeUnknown);
    const PgResult<OrderEntity> retried = s.pg.create_order(sale("POS-DROP-2"), key, s.deadline());
    REQUIRE(retried.ok());
    CHECK(retried.info().replayed);
    CHECK(retried->order_id == "POS-DROP-2");
  }
}

TEST_CASE("5xx and stall faults") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  const PgResult<OrderEntity> created = s.pg.create_order(sale("POS-FLT-1"), uuid(s), s.deadline());
  REQUIRE(created.ok());

  REQUIRE(pgsim.fault(R"({"path":"/pg/orders/sessions","action":"error","status":502})"));
  const PgResult<UpiPayment> bank =
      s.pg.pay_order_upi({created->payment_session_id.view(), UpiChannel::kLink}, uuid(s), s.deadline());
  REQUIRE_FALSE(bank.ok());
  CHECK(bank.error().http_status == 502);
  CHECK(bank.error().code == "bank_processing_failure");
  CHECK(bank.error().retry == RetryDecision::kRetrySameKey);
  CHECK(std::string_view(bank.error().screen_message) == "Bank busy, try again");

  REQUIRE(pgsim.fault(R"({"path":"/pg/orders/POS-FLT-1","action":"error","status":500})"));
  const PgResult<OrderEntity> internal = s.pg.get_order("POS-FLT-1", s.deadline());
  REQUIRE_FALSE(internal.ok());
  CHECK(internal.error().http_status == 500);
  CHECK(internal.error().retry == RetryDecision::kRetrySameKey);

  // Half an answer, then silence past our deadline.
  REQUIRE(pgsim.fault(R"({"path":"/pg/orders/POS-FLT-1","action":"stall","stall_ms":5000})"));
  const PgResult<OrderEntity> stalled = s.pg.get_order("POS-FLT-1", s.deadline(1500));
  REQUIRE_FALSE(stalled.ok());
  CHECK(stalled.error().retry == RetryDecision::kOutcomeUnknown);
  CHECK(stalled.error().response_started);

  // The connection recovers: the next call dials again.
  const PgResult<OrderEntity> after = s.pg.get_order("POS-FLT-1", s.deadline());
  REQUIRE(after.ok());
  CHECK(after->order_status == OrderStatus::kActive);
}

TEST_CASE("UPI qrcode: the PNG data URL from pgsim, decoded on request") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  const PgResult<OrderEntity> created = s.pg.create_order(sale("POS-QR-1"), uuid(s), s.deadline());
  REQUIRE(created.ok());
  static FixedString<8192> qr;
  StringSpan qr_span = qr.span();
  const PgResult<UpiPayment> pay =
      s.pg.pay_order_upi({created->payment_session_id.view(), UpiChannel::kQrcode}, uuid(s), s.deadline(), &qr_span);
  REQUIRE(pay.ok());
  CHECK(pay->channel == UpiChannel::kQrcode);
  CHECK(qr.view().starts_with("data:image/png;base64,iVBOR"));
  static std::array<std::uint8_t, 8192> png;
  const Result<std::size_t> bytes = decode_qr_png(qr.view(), png);
  REQUIRE(bytes.ok());
  CHECK(*bytes > 1000);
  CHECK(g_buffers.arena().peak() < kDefaultArenaBytes);
}

TEST_CASE("Wrong credentials: 401, stop, check settings") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  (void)s.config.client_secret.assign("wrong_secret");
  const PgResult<OrderEntity> r = s.pg.get_order("POS-ANY-1", s.deadline());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().http_status == 401);
  CHECK(r.error().type == "authentication_error");
  CHECK(r.error().retry == RetryDecision::kStop);
  CHECK(std::string_view(r.error().screen_message) == "Check settings");
}
