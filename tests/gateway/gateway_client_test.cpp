// PgClient over a scripted transport: what goes on the wire per call, what
// comes back decoded, and every way a call fails mapped to its decision.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/gateway/pg_client.hpp"
#include "core/http/http_client.hpp"
#include "gateway_test_support.hpp"
#include "tests/http/scripted_transport.hpp"
#include "tests/support/fakes.hpp"

using namespace posagent;
using namespace posagent::gateway;
using posagent::http::test::g_sent;
using posagent::http::test::peer;
using posagent::http::test::ScriptedConnection;
using posagent::http::test::ScriptedTransport;
using End = ScriptedConnection::End;
using gateway_test::http_answer;

namespace {

constexpr hal::Millis kDeadline = 90'000;
constexpr std::string_view kKey = "6f1c2a4e-8b3d-4e5f-9a7b-0c1d2e3f4a5b";

PgBuffers<> g_buffers;
PgConfig g_config;
TerminalProvisioning g_terminal;
FixedString<4096> g_qr;

// One client over one script.
struct Rig {
  explicit Rig(std::span<const ScriptedConnection> script) : transport(script) {
    json_init();
    g_config = gateway_test::sandbox_config();
    g_terminal = gateway_test::test_terminal();
  }
  ScriptedTransport transport;
  http::HttpClient http{transport};
  test::SeededEntropy entropy;
  PgClient pg{http, entropy, g_config, g_terminal, g_buffers};
};

CreateOrderRequest sale() {
  CreateOrderRequest r;
  r.order_id = "POS-1";
  r.amount_paise = 49900;
  r.customer_id = "term-42";
  r.customer_phone = "9876543210";
  r.order_note = "Counter 3 sale";
  return r;
}

bool sent_contains(std::string_view text) { return g_sent.view().find(text) != std::string_view::npos; }

std::size_t occurrences(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t at = g_sent.view().find(text); at != std::string_view::npos;
       at = g_sent.view().find(text, at + 1)) {
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("Create order: the request on the wire and the decoded order") {
  const std::string_view answer = http_answer(200, "OK", "x-idempotency-replayed: false\r\n", gateway_test::kPgsimOrder);
  const ScriptedConnection script[] = {peer(answer)};
  Rig rig(script);
  const PgResult<OrderEntity> order = rig.pg.create_order(sale(), kKey, kDeadline);
  REQUIRE(order.ok());
  CHECK(order->order_id == "POS-1");
  CHECK(order->order_status == OrderStatus::kActive);
  CHECK(order->order_amount_paise == 49900);
  CHECK(order.info().http_status == 200);
  CHECK_FALSE(order.info().replayed);
  REQUIRE(order.info().request_id.size() == kUuidTextLength);

  // Exactly one request: the expected head, the key as given, the fresh id.
  FixedString<1024> head;
  REQUIRE(head.append("POST /pg/orders HTTP/1.1\r\nHost: sandbox.cashfree.com\r\nx-api-version: 2025-01-01\r\n"
                      "x-client-id: TEST_CLIENT_ID\r\nx-client-secret: cfsk_ma_test_SECRET\r\nx-request-id: "));
  REQUIRE(head.append(order.info().request_id.view()));
  REQUIRE(head.append("\r\nx-idempotency-key: 6f1c2a4e-8b3d-4e5f-9a7b-0c1d2e3f4a5b\r\n"
                      "Content-Type: application/json\r\nContent-Length: "));
  CHECK(g_sent.view().substr(0, head.size()) == head.view());
  CHECK(g_sent.view().ends_with(
      R"({"order_id":"POS-1","order_amount":499.00,"order_currency":"INR",)"
      R"("customer_details":{"customer_id":"term-42","customer_phone":"9876543210"},)"
      R"("terminal":{"terminal_type":"SPOS","terminal_id":"T-0001","terminal_phone_no":"9123456780",)"
      R"("terminal_name":"Counter 3","terminal_address":"12 MG Road, Bengaluru","terminal_note":"front desk"},)"
      R"("order_note":"Counter 3 sale"})"));
  CHECK(rig.transport.deadlines_agree);
  CHECK(rig.transport.first_deadline == kDeadline);
}

TEST_CASE("A create whose answer was lost is outcome unknown; the retry reuses the key and is replayed") {
  // First connection: the request is accepted, then the peer resets with no
  // answer (pgsim's drop fault). Second: the gateway replays the first result.
  const std::string_view replay = http_answer(200, "OK", "x-idempotency-replayed: true\r\n", gateway_test::kPgsimOrder);
  const ScriptedConnection script[] = {peer(""), peer(replay)};
  Rig rig(script);

  const PgResult<OrderEntity> lost = rig.pg.create_order(sale(), kKey, kDeadline);
  REQUIRE_FALSE(lost.ok());
  CHECK(lost.error().origin == ErrorOrigin::kTransport);
  CHECK(lost.error().retry == RetryDecision::kOutcomeUnknown);
  CHECK(lost.error().request_sent);
  CHECK(std::string_view(lost.error().screen_message) == "No gateway reply");

  const PgResult<OrderEntity> again = rig.pg.create_order(sale(), kKey, kDeadline);
  REQUIRE(again.ok());
  CHECK(again.info().replayed);
  CHECK(again->cf_order_id == "2946750545");

  // Both attempts carried the same key; each had its own request id.
  CHECK(occurrences("x-idempotency-key: 6f1c2a4e-8b3d-4e5f-9a7b-0c1d2e3f4a5b\r\n") == 2);
  CHECK(lost.info().request_id.view() != again.info().request_id.view());
  CHECK(sent_contains(lost.info().request_id.view()));
  CHECK(sent_contains(again.info().request_id.view()));
}

TEST_CASE("Order pay UPI link: no credentials on the wire, the intent back") {
  const std::string_view answer = http_answer(200, "OK", "", gateway_test::kPgsimPayLink);
  const ScriptedConnection script[] = {peer(answer)};
  Rig rig(script);
  const PgResult<UpiPayment> pay =
      rig.pg.pay_order_upi({gateway_test::kSpecSessionId, UpiChannel::kLink}, kKey, kDeadline);
  REQUIRE(pay.ok());
  CHECK(pay->intent.view() == gateway_test::kPgsimIntent);
  CHECK(pay->cf_payment_id == "5992249169");
  CHECK_FALSE(sent_contains("x-client-id"));
  CHECK_FALSE(sent_contains("x-client-secret"));
  CHECK_FALSE(sent_contains("cfsk_ma_test_SECRET"));
  CHECK(sent_contains("POST /pg/orders/sessions HTTP/1.1\r\n"));
  CHECK(sent_contains("x-client-device: mobile\r\nx-client-os: android\r\nx-client-rendering-type: native\r\n"
                      "x-client-browser: others\r\n"));
  CHECK(sent_contains(gateway_test::kSpecSessionId));
}

TEST_CASE("Order pay UPI qrcode: the data URL into the caller's buffer; refused without one") {
  const std::string_view answer = http_answer(200, "OK", "", gateway_test::kPayQrcode);
  const ScriptedConnection script[] = {peer(answer)};
  Rig rig(script);
  const PgResult<UpiPayment> refused = rig.pg.pay_order_upi({"session_abc", UpiChannel::kQrcode}, kKey, kDeadline);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().origin == ErrorOrigin::kRequest);
  CHECK(refused.error().retry == RetryDecision::kStop);
  CHECK(rig.transport.opens == 0);  // nothing sent

  g_qr.clear();
  StringSpan qr = g_qr.span();
  const PgResult<UpiPayment> pay = rig.pg.pay_order_upi({"session_abc", UpiChannel::kQrcode}, kKey, kDeadline, &qr);
  REQUIRE(pay.ok());
  CHECK(g_qr.view() == gateway_test::kTinyPngDataUrl);
}

TEST_CASE("Get order, then get payments on a new connection") {
  // The first answer ends its connection, so the second call dials again.
  const ScriptedConnection script[] = {
      peer(http_answer(200, "OK", "Connection: close\r\n", gateway_test::kPgsimOrder, 0)),
      peer(http_answer(200, "OK", "", gateway_test::kPgsimPayments, 1))};
  Rig rig(script);
  const PgResult<OrderEntity> order = rig.pg.get_order("POS-1", kDeadline);
  REQUIRE(order.ok());
  CHECK(sent_contains("GET /pg/orders/POS-1 HTTP/1.1\r\n"));
  const PgResult<PaymentList> payments = rig.pg.get_payments("POS-1", kDeadline);
  REQUIRE(payments.ok());
  REQUIRE(payments->count == 2);
  REQUIRE(payments->success() != nullptr);
  CHECK(payments->success()->bank_reference == "216392389638");
  CHECK(sent_contains("GET /pg/orders/POS-1/payments HTTP/1.1\r\n"));
  CHECK_FALSE(sent_contains("x-idempotency-key"));
  CHECK(rig.transport.opens == 2);
}

TEST_CASE("Terminate: PATCH with the key; a PAID order answers 400 order_inactive") {
  const ScriptedConnection script[] = {
      peer(http_answer(400, "Bad Request", "", gateway_test::kOrderInactive))};
  Rig rig(script);
  const PgResult<OrderEntity> t = rig.pg.terminate_order("POS-1", kKey, kDeadline);
  REQUIRE_FALSE(t.ok());
  CHECK(sent_contains("PATCH /pg/orders/POS-1 HTTP/1.1\r\n"));
  CHECK(sent_contains("x-idempotency-key: 6f1c2a4e-8b3d-4e5f-9a7b-0c1d2e3f4a5b\r\n"));
  CHECK(g_sent.view().ends_with(R"({"order_status":"TERMINATED"})"));
  CHECK(t.error().origin == ErrorOrigin::kGateway);
  CHECK(t.error().http_status == 400);
  CHECK(t.error().code == "order_inactive");
  CHECK(t.error().retry == RetryDecision::kStop);
  CHECK(std::string_view(t.error().screen_message) == "Order not active");
  CHECK(t.info().http_status == 400);
}

TEST_CASE("Gateway refusals through the client: 429 with its wait, 409, 404, 422, 502, 401") {
  struct Row {
    int status;
    std::string_view reason;
    std::string_view headers;
    std::string_view body;
    RetryDecision retry;
    std::uint32_t wait;
    std::string_view screen;
  };
  const Row rows[] = {
      {429, "Too Many Requests", "x-ratelimit-remaining: 0\r\nx-ratelimit-retry: 3\r\n", gateway_test::kRateLimited,
       RetryDecision::kRetryAfter, 3, "Gateway busy"},
      {409, "Conflict", "", gateway_test::kOrderExists, RetryDecision::kStop, 0, "Order already exists"},
      {404, "Not Found", "", gateway_test::kOrderPayNotFound, RetryDecision::kStop, 0, "Order not active"},
      {422, "Unprocessable Entity", "",
       R"({"code":"request_invalid","message":"different body","type":"idempotency_error"})",
       RetryDecision::kStop, 0, "Request conflict"},
      {502, "Bad Gateway", "",
       R"({"code":"bank_processing_failure","message":"bank","type":"api_error"})", RetryDecision::kRetrySameKey,
       0, "Bank busy, try again"},
      {401, "Unauthorized", "",
       R"({"code":"request_failed","message":"authentication failed","type":"authentication_error"})",
       RetryDecision::kStop, 0, "Check settings"},
  };
  for (const Row& row : rows) {
    const ScriptedConnection script[] = {peer(http_answer(row.status, row.reason, row.headers, row.body))};
    Rig rig(script);
    const PgResult<OrderEntity> r = rig.pg.create_order(sale(), kKey, kDeadline);
    REQUIRE_FALSE(r.ok());
    GW_CHECK_CTX(r.error().http_status == row.status, row.status);
    GW_CHECK_CTX(r.error().retry == row.retry, row.status);
    GW_CHECK_CTX(r.error().retry_after_s == row.wait, row.status);
    GW_CHECK_CTX(std::string_view(r.error().screen_message) == row.screen, row.status);
  }
}

TEST_CASE("Transport failures through the client") {
  SUBCASE("nothing sent: connection refused") {
    const ScriptedConnection script[] = {peer("").failing_open(Status(Code::kConnectionFailed, "refused"))};
    Rig rig(script);
    const PgResult<OrderEntity> r = rig.pg.create_order(sale(), kKey, kDeadline);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().retry == RetryDecision::kRetrySameKey);
    CHECK(std::string_view(r.error().screen_message) == "Network error");
    CHECK(g_sent.empty());
    CHECK(r.info().http_status == 0);
  }
  SUBCASE("part of the request sent, then the send failed") {
    const ScriptedConnection script[] = {peer("").accepting(40)};
    Rig rig(script);
    const PgResult<OrderEntity> r = rig.pg.create_order(sale(), kKey, kDeadline);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().retry == RetryDecision::kRetrySameKey);
    CHECK_FALSE(r.error().request_sent);
  }
  SUBCASE("sent, then half an answer and silence") {
    const std::string_view answer = http_answer(200, "OK", "", gateway_test::kPgsimOrder);
    const ScriptedConnection script[] = {peer(answer.substr(0, answer.size() / 2)).ending(End::kStall)};
    Rig rig(script);
    const PgResult<OrderEntity> r = rig.pg.create_order(sale(), kKey, kDeadline);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().retry == RetryDecision::kOutcomeUnknown);
    CHECK(r.error().response_started);
  }
  SUBCASE("an answer bigger than the response buffer") {
    static PgBuffers<2048, 1024, 4096> small;
    const ScriptedConnection script[] = {peer(http_answer(200, "OK", "", gateway_test::kPgsimPayLink))};
    Rig rig(script);
    PgClient pg(rig.http, rig.entropy, g_config, g_terminal, small);
    const PgResult<UpiPayment> r = pg.pay_order_upi({"session_abc", UpiChannel::kLink}, kKey, kDeadline);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().retry == RetryDecision::kOutcomeUnknown);
    CHECK(std::string_view(r.error().screen_message) == "Reply too large");
  }
}

TEST_CASE("A 2xx the client cannot read is outcome unknown") {
  SUBCASE("malformed JSON") {
    const ScriptedConnection script[] = {peer(http_answer(200, "OK", "", R"({"order_id":"POS-1",)"))};
    Rig rig(script);
    const PgResult<OrderEntity> r = rig.pg.get_order("POS-1", kDeadline);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().origin == ErrorOrigin::kResponse);
    CHECK(r.error().retry == RetryDecision::kOutcomeUnknown);
    CHECK(r.error().status.code() == Code::kParseError);
  }
  SUBCASE("a created order without a payment session") {
    const ScriptedConnection script[] = {
        peer(http_answer(200, "OK", "",
                         R"({"order_id":"POS-1","cf_order_id":"1","order_status":"ACTIVE","order_amount":499,)"
                         R"("payment_session_id":null})"))};
    Rig rig(script);
    const PgResult<OrderEntity> r = rig.pg.create_order(sale(), kKey, kDeadline);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().origin == ErrorOrigin::kResponse);
    CHECK(r.error().field == "payment_session_id");
    CHECK(r.error().http_status == 200);
  }
}

TEST_CASE("Refused before sending: bad configuration, no key, bad order id, failed entropy") {
  const ScriptedConnection script[] = {peer("")};
  SUBCASE("configuration") {
    Rig rig(script);
    g_config.client_secret.clear();
    const PgResult<OrderEntity> r = rig.pg.get_order("POS-1", kDeadline);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().origin == ErrorOrigin::kRequest);
    CHECK(r.error().retry == RetryDecision::kStop);
    CHECK(std::string_view(r.error().screen_message) == "Check settings");
    CHECK(rig.transport.opens == 0);
  }
  SUBCASE("no idempotency key: the client never makes one up") {
    Rig rig(script);
    const PgResult<OrderEntity> r = rig.pg.create_order(sale(), "", kDeadline);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().field == "x-idempotency-key");
    CHECK(std::string_view(r.error().screen_message) == "No idempotency key");
    CHECK(rig.transport.opens == 0);
    const PgResult<OrderEntity> t = rig.pg.terminate_order("POS-1", "", kDeadline);
    CHECK(t.error().field == "x-idempotency-key");
    const PgResult<UpiPayment> p = rig.pg.pay_order_upi({"session_abc", UpiChannel::kLink}, "", kDeadline);
    CHECK(p.error().field == "x-idempotency-key");
    CHECK(rig.transport.opens == 0);
  }
  SUBCASE("order id") {
    Rig rig(script);
    const PgResult<PaymentList> r = rig.pg.get_payments("../admin", kDeadline);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().field == "order_id");
    CHECK(rig.transport.opens == 0);
  }
  SUBCASE("entropy") {
    Rig rig(script);
    rig.entropy.fail = true;
    const PgResult<OrderEntity> r = rig.pg.get_order("POS-1", kDeadline);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().retry == RetryDecision::kRetrySameKey);
    CHECK(r.info().request_id.empty());
    CHECK(rig.transport.opens == 0);
  }
}

TEST_CASE("Buffer sizes: the defaults hold the answers they are documented for") {
  CHECK(sizeof(PgBuffers<>) >= kDefaultRequestBytes + kDefaultResponseBytes + kDefaultArenaBytes);
  CHECK(sizeof(PgBuffers<>) <= kDefaultRequestBytes + kDefaultResponseBytes + kDefaultArenaBytes + 128);
  // The largest request: every terminal field, four tags at their limits,
  // the longest note.
  const ScriptedConnection script[] = {peer(http_answer(200, "OK", "", gateway_test::kPgsimOrder))};
  Rig rig(script);
  (void)g_terminal.terminal_id.assign(gateway_test::repeat('i', kTerminalIdCapacity, 0));
  (void)g_terminal.terminal_name.assign(gateway_test::repeat('n', kTerminalNameCapacity, 1));
  (void)g_terminal.terminal_address.assign(gateway_test::repeat('a', kTerminalAddressCapacity, 2));
  (void)g_terminal.terminal_note.assign(gateway_test::repeat('t', kTerminalNoteCapacity, 3));
  static FixedString<kOrderTagValueMaxLength> value;
  (void)value.assign(gateway_test::repeat('v', kOrderTagValueMaxLength, 0));
  const OrderTag tags[] = {{"k1", value.view()}, {"k2", value.view()}, {"k3", value.view()}, {"k4", value.view()}};
  CreateOrderRequest order = sale();
  order.order_id = gateway_test::repeat('O', kOrderIdMaxLength, 1);
  order.order_note = gateway_test::repeat('N', kOrderNoteMaxLength, 2);
  order.order_tags = tags;
  order.order_expiry_time = *Timestamp::parse("2030-01-01T10:00:00+05:30");
  const PgResult<OrderEntity> r = rig.pg.create_order(order, kKey, kDeadline);
  REQUIRE(r.ok());
  CHECK(g_sent.size() < kDefaultRequestBytes);
  CHECK(g_buffers.arena().peak() < kDefaultArenaBytes);
}
