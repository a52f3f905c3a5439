// Request builders: bodies and headers byte for byte, and every refusal
// before anything could be sent.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/base/timestamp.hpp"
#include "core/gateway/pg_request.hpp"
#include "core/http/request_writer.hpp"
#include "core/json/json_arena.hpp"
#include "gateway_test_support.hpp"

using namespace posagent;
using namespace posagent::gateway;
using gateway_test::body_of;
using gateway_test::ctx;
using gateway_test::header_lines;
using gateway_test::wire;
using gateway_test::fits_line;

namespace {

JsonArena<4096> g_arena;
std::array<char, 2048> g_body;

constexpr std::string_view kRequestId = "11111111-2222-4333-8444-555555555555";
constexpr std::string_view kKey = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d";
constexpr CallIds kIds{kRequestId, kKey};

Timestamp at(std::string_view text) {
  const Result<Timestamp> t = Timestamp::parse(text);
  REQUIRE(t.ok());
  return *t;
}

constexpr OrderTag kTags[] = {{"terminal", "T-0001"}, {"shift", "morning"}};

CreateOrderRequest sale(std::int64_t paise = 49900) {
  CreateOrderRequest r;
  r.order_id = "POS-000123";
  r.amount_paise = paise;
  r.customer_id = "term-42";
  r.customer_phone = "9876543210";
  return r;
}

struct Fixture {
  PgConfig config = gateway_test::sandbox_config();
  TerminalProvisioning terminal = gateway_test::test_terminal();
  PgRequestBuilder builder{config, terminal, g_arena, g_body};
};

}  // namespace

TEST_CASE("Create order: body and headers byte for byte, with terminal, expiry, note and tags") {
  json_init();
  Fixture f;
  CreateOrderRequest order = sale();
  order.order_expiry_time = at("2030-01-01T10:00:00+05:30");
  order.order_note = "Counter 3 sale";
  order.order_tags = kTags;
  PgRequest r;
  REQUIRE(f.builder.create_order(order, kIds, r).ok());

  constexpr std::string_view kBody =
      R"({"order_id":"POS-000123","order_amount":499.00,"order_currency":"INR",)"
      R"("customer_details":{"customer_id":"term-42","customer_phone":"9876543210"},)"
      R"("terminal":{"terminal_type":"SPOS","terminal_id":"T-0001","terminal_phone_no":"9123456780",)"
      R"("terminal_name":"Counter 3","terminal_address":"12 MG Road, Bengaluru","terminal_note":"front desk"},)"
      R"("order_expiry_time":"2030-01-01T10:00:00+05:30","order_note":"Counter 3 sale",)"
      R"("order_tags":{"terminal":"T-0001","shift":"morning"}})";
  CHECK(body_of(r) == kBody);
  CHECK(r.method() == http::Method::kPost);
  CHECK(r.target() == "/pg/orders");
  CHECK(r.host() == "sandbox.cashfree.com");
  CHECK(header_lines(r).view() ==
        "x-api-version: 2025-01-01\n"
        "x-client-id: TEST_CLIENT_ID\n"
        "x-client-secret: cfsk_ma_test_SECRET\n"
        "x-request-id: 11111111-2222-4333-8444-555555555555\n"
        "x-idempotency-key: a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d\n"
        "Content-Type: application/json\n");

  // And on the wire, through the HTTP layer's writer.
  FixedString<2048> expected;
  REQUIRE(expected.append(
      "POST /pg/orders HTTP/1.1\r\nHost: sandbox.cashfree.com\r\nx-api-version: 2025-01-01\r\n"
      "x-client-id: TEST_CLIENT_ID\r\nx-client-secret: cfsk_ma_test_SECRET\r\n"
      "x-request-id: 11111111-2222-4333-8444-555555555555\r\n"
      "x-idempotency-key: a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d\r\nContent-Type: application/json\r\n"
      "Content-Length: 468\r\n\r\n"));
  REQUIRE(kBody.size() == 468);
  REQUIRE(expected.append(kBody));
  CHECK(wire(r) == expected.view());
}

TEST_CASE("Create order: optional parts are left out, not sent empty") {
  json_init();
  Fixture f;
  // A terminal known by Cashfree's id, with no phone, name, address or note.
  f.terminal = TerminalProvisioning{};
  (void)f.terminal.cf_terminal_id.assign("7456780");
  PgRequest r;
  REQUIRE(f.builder.create_order(sale(), kIds, r).ok());
  CHECK(body_of(r) ==
        R"({"order_id":"POS-000123","order_amount":499.00,"order_currency":"INR",)"
        R"("customer_details":{"customer_id":"term-42","customer_phone":"9876543210"},)"
        R"("terminal":{"terminal_type":"SPOS","cf_terminal_id":"7456780"}})");

  // No terminal type: no terminal object (a non-softPOS integration).
  f.terminal.terminal_type.clear();
  REQUIRE(f.builder.create_order(sale(), kIds, r).ok());
  CHECK(body_of(r) ==
        R"({"order_id":"POS-000123","order_amount":499.00,"order_currency":"INR",)"
        R"("customer_details":{"customer_id":"term-42","customer_phone":"9876543210"}})");
}

TEST_CASE("Create order: the expiry keeps its offset; UTC is written Z") {
  json_init();
  Fixture f;
  CreateOrderRequest order = sale();
  order.order_expiry_time = at("2030-01-01T04:30:00+00:00");
  f.terminal.terminal_type.clear();
  PgRequest r;
  REQUIRE(f.builder.create_order(order, kIds, r).ok());
  CHECK(body_of(r).find(R"("order_expiry_time":"2030-01-01T04:30:00Z")") != std::string_view::npos);
}

TEST_CASE("Create order: amounts are exact two-decimal rupees from paise") {
  json_init();
  Fixture f;
  f.terminal.terminal_type.clear();
  struct Row {
    std::int64_t paise;
    std::string_view text;
  };
  constexpr Row kRows[] = {
      {49900, "499.00"}, {100, "1.00"}, {101, "1.01"}, {110, "1.10"}, {229950, "2299.50"},
      {1015, "10.15"},   {99, ""},      {1, ""},       {0, ""},       {-100, ""},
      {100000000, "1000000.00"}, {100000001, ""},
  };
  for (const Row& row : kRows) {
    PgRequest r;
    const FieldStatus s = f.builder.create_order(sale(row.paise), kIds, r);
    if (row.text.empty()) {
      // Below the gateway's 1.00 minimum (0.01, 0.99, ...) or above its
      // maximum: refused here, never sent.
      GW_CHECK_CTX(s.code() == Code::kOutOfRange, row.paise);
      GW_CHECK_CTX(s.key() == "order_amount", row.paise);
    } else {
      REQUIRE(s.ok());
      FixedString<64> field;
      REQUIRE(field.append(R"("order_amount":)"));
      REQUIRE(field.append(row.text));
      REQUIRE(field.push_back(','));
      GW_CHECK_CTX(body_of(r).find(field.view()) != std::string_view::npos, ctx(row.text));
    }
  }
}

TEST_CASE("Create order: text is JSON-escaped, not injected") {
  json_init();
  Fixture f;
  f.terminal.terminal_type.clear();
  CreateOrderRequest order = sale();
  order.order_note = "Bill \"7\"\\A";
  constexpr OrderTag kOddTags[] = {{"note", "a\"b"}};
  order.order_tags = kOddTags;
  PgRequest r;
  REQUIRE(f.builder.create_order(order, kIds, r).ok());
  CHECK(body_of(r).find(R"("order_note":"Bill \"7\"\\A","order_tags":{"note":"a\"b"}})") !=
        std::string_view::npos);
}

TEST_CASE("Create order: refused input, each before anything is built") {
  json_init();
  struct Row {
    const char* what;
    CreateOrderRequest order;
    CallIds ids;
    Code code;
    std::string_view field;
  };
  auto with = [](auto change) {
    CreateOrderRequest o = sale();
    change(o);
    return o;
  };
  static constexpr OrderTag kFiveTags[] = {{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}, {"e", "5"}};
  static constexpr OrderTag kEmptyValue[] = {{"a", ""}};
  static constexpr OrderTag kEmptyKey[] = {{"", "1"}};
  const Row rows[] = {
      {"order id too short", with([](auto& o) { o.order_id = "AB"; }), kIds, Code::kInvalidArgument, "order_id"},
      {"order id too long", with([](auto& o) { o.order_id = gateway_test::repeat('A', 46, 2); }), kIds,
       Code::kInvalidArgument, "order_id"},
      {"order id with '/'", with([](auto& o) { o.order_id = "POS/1"; }), kIds, Code::kInvalidArgument, "order_id"},
      {"order id with space", with([](auto& o) { o.order_id = "POS 1"; }), kIds, Code::kInvalidArgument,
       "order_id"},
      {"customer id too short", with([](auto& o) { o.customer_id = "ab"; }), kIds, Code::kInvalidArgument,
       "customer_id"},
      {"customer id with '@'", with([](auto& o) { o.customer_id = "a@b.c"; }), kIds, Code::kInvalidArgument,
       "customer_id"},
      {"phone of 9 digits", with([](auto& o) { o.customer_phone = "987654321"; }), kIds, Code::kInvalidArgument,
       "customer_phone"},
      {"phone with +91", with([](auto& o) { o.customer_phone = "+919876543210"; }), kIds, Code::kInvalidArgument,
       "customer_phone"},
      {"note of 2", with([](auto& o) { o.order_note = "ab"; }), kIds, Code::kInvalidArgument, "order_note"},
      {"note of 201", with([](auto& o) { o.order_note = gateway_test::repeat('n', 201, 3); }), kIds,
       Code::kInvalidArgument, "order_note"},
      {"five tags", with([](auto& o) { o.order_tags = kFiveTags; }), kIds, Code::kInvalidArgument, "order_tags"},
      {"empty tag value", with([](auto& o) { o.order_tags = kEmptyValue; }), kIds, Code::kInvalidArgument,
       "order_tags"},
      {"empty tag key", with([](auto& o) { o.order_tags = kEmptyKey; }), kIds, Code::kInvalidArgument,
       "order_tags"},
      {"no idempotency key", sale(), CallIds{kRequestId, ""}, Code::kInvalidArgument, "x-idempotency-key"},
      {"key with a space", sale(), CallIds{kRequestId, "a b"}, Code::kInvalidArgument, "x-idempotency-key"},
      {"key of 65", sale(), CallIds{kRequestId, gateway_test::repeat('k', 65, 1)}, Code::kInvalidArgument,
       "x-idempotency-key"},
      {"no request id", sale(), CallIds{"", kKey}, Code::kInvalidArgument, "x-request-id"},
  };
  for (const Row& row : rows) {
    Fixture f;
    PgRequest r;
    g_body.fill('#');
    const FieldStatus s = f.builder.create_order(row.order, row.ids, r);
    GW_CHECK_CTX(s.code() == row.code, row.what);
    GW_CHECK_CTX(s.key() == row.field, row.what);
    GW_CHECK_CTX(fits_line(s.message()), row.what);
    GW_CHECK_CTX(g_body[0] == '#', row.what);  // no body printed
  }
  // The key's refusal says what is wrong on a screen line.
  Fixture f;
  PgRequest r;
  CHECK(std::string_view(f.builder.create_order(sale(), CallIds{kRequestId, ""}, r).message()) ==
        "No idempotency key");
}

TEST_CASE("Bad configuration or terminal: refused with a screen line") {
  json_init();
  struct Row {
    const char* what;
    void (*change)(PgConfig&, TerminalProvisioning&);
    const char* message;
  };
  const Row rows[] = {
      {"no host", [](PgConfig& c, TerminalProvisioning&) { c.host.clear(); }, "Check settings"},
      {"host with space", [](PgConfig& c, TerminalProvisioning&) { (void)c.host.assign("a b"); }, "Check settings"},
      {"no secret", [](PgConfig& c, TerminalProvisioning&) { c.client_secret.clear(); }, "Check settings"},
      {"no client id", [](PgConfig& c, TerminalProvisioning&) { c.client_id.clear(); }, "Check settings"},
      {"base path without /", [](PgConfig& c, TerminalProvisioning&) { (void)c.base_path.assign("pg"); },
       "Check settings"},
      {"base path ending in /", [](PgConfig& c, TerminalProvisioning&) { (void)c.base_path.assign("/pg/"); },
       "Check settings"},
      {"version not a date", [](PgConfig& c, TerminalProvisioning&) { (void)c.api_version.assign("2025-1-01"); },
       "Check settings"},
      {"device 'phone'", [](PgConfig& c, TerminalProvisioning&) { (void)c.client.device.assign("phone"); },
       "Check settings"},
      {"os 'Android'", [](PgConfig& c, TerminalProvisioning&) { (void)c.client.os.assign("Android"); },
       "Check settings"},
      {"port 0", [](PgConfig& c, TerminalProvisioning&) { c.port = 0; }, "Check settings"},
      {"no phone, no cf id",
       [](PgConfig&, TerminalProvisioning& t) { t.terminal_phone_no.clear(); }, "Check terminal setup"},
      {"phone of 9", [](PgConfig&, TerminalProvisioning& t) { (void)t.terminal_phone_no.assign("912345678"); },
       "Check terminal setup"},
      {"cf id not digits", [](PgConfig&, TerminalProvisioning& t) { (void)t.cf_terminal_id.assign("T1"); },
       "Check terminal setup"},
      {"type of 3", [](PgConfig&, TerminalProvisioning& t) { (void)t.terminal_type.assign("POS"); },
       "Check terminal setup"},
      {"terminal id of 2", [](PgConfig&, TerminalProvisioning& t) { (void)t.terminal_id.assign("T1"); },
       "Check terminal setup"},
  };
  for (const Row& row : rows) {
    Fixture f;
    row.change(f.config, f.terminal);
    PgRequest r;
    const FieldStatus s = f.builder.create_order(sale(), kIds, r);
    GW_CHECK_CTX(s.code() == Code::kInvalidArgument, row.what);
    GW_CHECK_CTX(std::string_view(s.message()) == row.message, row.what);
  }
}

TEST_CASE("Order pay UPI: no credentials, the client environment, the key as given") {
  json_init();
  Fixture f;
  PgRequest r;
  const OrderPayUpiRequest pay{gateway_test::kSpecSessionId, UpiChannel::kLink};
  REQUIRE(f.builder.order_pay_upi(pay, kIds, r).ok());
  CHECK(r.method() == http::Method::kPost);
  CHECK(r.target() == "/pg/orders/sessions");
  CHECK(body_of(r) == gateway_test::concat({R"({"payment_session_id":")", gateway_test::kSpecSessionId,
                                            R"(","payment_method":{"upi":{"channel":"link"}}})"}));
  CHECK(header_lines(r).view() ==
        "x-api-version: 2025-01-01\n"
        "x-request-id: 11111111-2222-4333-8444-555555555555\n"
        "x-idempotency-key: a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d\n"
        "Content-Type: application/json\n"
        "x-client-device: mobile\n"
        "x-client-os: android\n"
        "x-client-rendering-type: native\n"
        "x-client-browser: others\n");
  CHECK_FALSE(r.header("x-client-id").has_value());
  CHECK_FALSE(r.header("x-client-secret").has_value());
  CHECK(wire(r).find("cfsk_ma_test_SECRET") == std::string_view::npos);
  CHECK(wire(r).find("TEST_CLIENT_ID") == std::string_view::npos);

  // qrcode; a desktop sends no rendering type (Cashfree wants it from mobiles only).
  (void)f.config.client.device.assign("desktop");
  (void)f.config.client.os.assign("linux");
  REQUIRE(f.builder.order_pay_upi({"session_abc", UpiChannel::kQrcode}, kIds, r).ok());
  CHECK(body_of(r) == R"({"payment_session_id":"session_abc","payment_method":{"upi":{"channel":"qrcode"}}})");
  CHECK(r.header("x-client-device") == std::optional<std::string_view>("desktop"));
  CHECK(r.header("x-client-os") == std::optional<std::string_view>("linux"));
  CHECK_FALSE(r.header("x-client-rendering-type").has_value());
}

TEST_CASE("Order pay UPI: a session id up to its capacity, not beyond; link or qrcode only") {
  json_init();
  Fixture f;
  PgRequest r;
  const std::string_view longest = gateway_test::repeat('s', kSessionIdCapacity);
  REQUIRE(f.builder.order_pay_upi({longest, UpiChannel::kLink}, kIds, r).ok());
  CHECK(body_of(r).find(longest) != std::string_view::npos);
  CHECK(f.builder.order_pay_upi({gateway_test::repeat('s', kSessionIdCapacity + 1), UpiChannel::kLink}, kIds, r)
            .code() == Code::kInvalidArgument);
  CHECK(f.builder.order_pay_upi({"", UpiChannel::kLink}, kIds, r).key() == "payment_session_id");
  CHECK(f.builder.order_pay_upi({"session_abc", UpiChannel::kCollect}, kIds, r).key() == "channel");
  CHECK(f.builder.order_pay_upi({"session_abc", UpiChannel::kUnknown}, kIds, r).key() == "channel");
  CHECK(f.builder.order_pay_upi({"session_abc", UpiChannel::kLink}, CallIds{kRequestId, ""}, r).key() ==
        "x-idempotency-key");
}

TEST_CASE("The idempotency key is sent exactly as given, call after call; request ids are the caller's") {
  json_init();
  Fixture f;
  PgRequest first;
  PgRequest second;
  REQUIRE(f.builder.create_order(sale(), CallIds{"req-1", "order:POS-000123:v1"}, first).ok());
  CHECK(first.header("x-idempotency-key") == std::optional<std::string_view>("order:POS-000123:v1"));
  CHECK(first.header("x-request-id") == std::optional<std::string_view>("req-1"));
  REQUIRE(f.builder.create_order(sale(), CallIds{"req-2", "order:POS-000123:v1"}, second).ok());
  CHECK(second.header("x-idempotency-key") == std::optional<std::string_view>("order:POS-000123:v1"));
  CHECK(second.header("x-request-id") == std::optional<std::string_view>("req-2"));
}

TEST_CASE("Get order and get payments: GET, credentials, no key, no body") {
  json_init();
  Fixture f;
  PgRequest r;
  REQUIRE(f.builder.get_order("POS-000123", kIds, r).ok());
  CHECK(wire(r) ==
        "GET /pg/orders/POS-000123 HTTP/1.1\r\nHost: sandbox.cashfree.com\r\nx-api-version: 2025-01-01\r\n"
        "x-client-id: TEST_CLIENT_ID\r\nx-client-secret: cfsk_ma_test_SECRET\r\n"
        "x-request-id: 11111111-2222-4333-8444-555555555555\r\n\r\n");
  REQUIRE(f.builder.get_payments("POS-000123", kIds, r).ok());
  CHECK(r.method() == http::Method::kGet);
  CHECK(r.target() == "/pg/orders/POS-000123/payments");
  CHECK_FALSE(r.header("x-idempotency-key").has_value());
  CHECK_FALSE(r.header("Content-Type").has_value());
  CHECK(r.body().empty());

  CHECK(f.builder.get_order("../x", kIds, r).key() == "order_id");
  CHECK(f.builder.get_payments("a?b=c", kIds, r).key() == "order_id");
  CHECK(f.builder.get_order("", kIds, r).code() == Code::kInvalidArgument);
}

TEST_CASE("Terminate order: PATCH with order_status TERMINATED and the key") {
  json_init();
  Fixture f;
  PgRequest r;
  REQUIRE(f.builder.terminate_order("POS-000123", kIds, r).ok());
  CHECK(wire(r) ==
        "PATCH /pg/orders/POS-000123 HTTP/1.1\r\nHost: sandbox.cashfree.com\r\nx-api-version: 2025-01-01\r\n"
        "x-client-id: TEST_CLIENT_ID\r\nx-client-secret: cfsk_ma_test_SECRET\r\n"
        "x-request-id: 11111111-2222-4333-8444-555555555555\r\n"
        "x-idempotency-key: a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d\r\nContent-Type: application/json\r\n"
        "Content-Length: 29\r\n\r\n{\"order_status\":\"TERMINATED\"}");
  CHECK(f.builder.terminate_order("POS-000123", CallIds{kRequestId, ""}, r).key() == "x-idempotency-key");
}

TEST_CASE("Host, port and base path come from the configuration") {
  json_init();
  Fixture f;
  (void)f.config.host.assign("localhost");
  f.config.port = 35461;
  (void)f.config.base_path.assign("/sandbox/pg");
  (void)f.config.api_version.assign("2023-08-01");
  PgRequest r;
  REQUIRE(f.builder.get_order("POS-1", kIds, r).ok());
  CHECK(r.host() == "localhost:35461");
  CHECK(r.target() == "/sandbox/pg/orders/POS-1");
  CHECK(r.header("x-api-version") == std::optional<std::string_view>("2023-08-01"));
}

TEST_CASE("A body that does not fit its buffer or arena is refused, not cut") {
  json_init();
  PgConfig config = gateway_test::sandbox_config();
  TerminalProvisioning terminal = gateway_test::test_terminal();
  std::array<char, 64> small_body;
  PgRequestBuilder tight_body(config, terminal, g_arena, small_body);
  PgRequest r;
  FieldStatus s = tight_body.create_order(sale(), kIds, r);
  CHECK(s.code() == Code::kCapacityExceeded);
  CHECK(r.body().empty());

  static JsonArena<256> tiny_arena;
  PgRequestBuilder tight_arena(config, terminal, tiny_arena, g_body);
  s = tight_arena.create_order(sale(), kIds, r);
  CHECK(s.code() == Code::kCapacityExceeded);
  CHECK(fits_line(s.message()));
}
