// FlowwiseClient over a scripted transport: what goes on the wire per call,
// what comes back decoded, every way a call fails mapped to its decision,
// and the proof that a card payment leaves no card byte in the buffers.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/secure_wipe.hpp"
#include "core/card/card_data.hpp"
#include "core/flowwise/fw_client.hpp"
#include "core/http/http_client.hpp"
#include "fw_test_support.hpp"
#include "tests/http/scripted_transport.hpp"
#include "tests/support/fakes.hpp"

using namespace posagent;
using namespace posagent::flowwise;
using gateway::ErrorOrigin;
using posagent::http::test::g_sent;
using posagent::http::test::peer;
using posagent::http::test::ScriptedConnection;
using posagent::http::test::ScriptedTransport;
using fw_test::http_answer;

namespace {

constexpr std::string_view kKey = "6f1c2a4e-8b3d-4e5f-9a7b-0c1d2e3f4a5b";
constexpr hal::Millis kNow = 5'000;

FlowwiseBuffers<> g_buffers;
FlowwiseConfig g_config;
card::CardData g_card;

// One client over one script, on a clock at kNow.
template <typename Buffers = FlowwiseBuffers<>>
struct Rig {
  explicit Rig(std::span<const ScriptedConnection> script, Buffers& buffers = g_buffers) : transport(script),
                                                                                            fw(http, clock, entropy,
                                                                                               g_config, buffers) {
    json_init();
    g_config = fw_test::sandbox_config();
    clock.advance_ms(kNow);
  }
  ScriptedTransport transport;
  http::HttpClient http{transport};
  test::FakeClock clock;
  test::SeededEntropy entropy;
  FlowwiseClient fw;
};

bool sent_contains(std::string_view text) { return g_sent.view().find(text) != std::string_view::npos; }

void key_entered_card() {
  g_card.wipe();
  (void)g_card.number.assign("4012888888881881");
  (void)g_card.expiry_mm.assign("07");
  (void)g_card.expiry_yy.assign("31");
  (void)g_card.cvv.assign("917");
  (void)g_card.holder_name.assign("PRIYA SHARMA");
}

void token_card() {
  g_card.wipe();
  g_card.kind = card::CardKind::kNetworkToken;
  (void)g_card.number.assign("4895370012003478");
  (void)g_card.expiry_mm.assign("12");
  (void)g_card.expiry_yy.assign("30");
  (void)g_card.cryptogram.assign("AgAAAAAABk4DWZ4C28yUQAAAAAA=");
  (void)g_card.token_requestor_id.assign("40010030273");
  (void)g_card.last_four.assign("1881");
}

FwCreateOrderRequest sale() {
  FwCreateOrderRequest o;
  o.order_id = "POS-1";
  o.amount_paise = 49900;
  o.customer.customer_id = "walkin-1";
  o.customer.customer_phone = "+919876543210";
  o.terminal_id = "T-0001";
  o.order_note = "Counter 3 sale";
  o.manual_capture = true;
  return o;
}

}  // namespace

TEST_CASE("Create order: the request on the wire, the order with its hash, the write deadline") {
  const ScriptedConnection script[] = {peer(http_answer(200, "OK", "x-idempotency-replayed: false\r\n", fw_test::kOrder))};
  Rig rig(script);
  const FlowwiseResult<FwOrder> order = rig.fw.create_order(sale(), kKey);
  REQUIRE(order.ok());
  CHECK(order->order_hash == fw_test::kOrderHash);
  CHECK(order->order_status == FwOrderStatus::kActive);
  CHECK(order->order_amount_paise == 49900);
  CHECK(order.info().http_status == 200);
  CHECK_FALSE(order.info().replayed);
  REQUIRE(order.info().request_id.size() == kUuidTextLength);

  const std::string_view body =
      R"({"order_id":"POS-1","order_amount":499.00,"order_currency":"INR",)"
      R"("customer_details":{"customer_id":"walkin-1","customer_phone":"+919876543210"},)"
      R"("order_note":"Counter 3 sale","order_tags":{"terminal_id":"T-0001","capture":"manual"}})";
  CHECK(g_sent.view() == fw_test::concat({"POST /router/orders HTTP/1.1\r\nHost: sandbox.flowwise.com\r\n"
                                          "x-client-id: FW_TEST_CLIENT_ID\r\nx-client-secret: fw_test_SECRET\r\n"
                                          "x-request-id: ",
                                          order.info().request_id.view(),
                                          "\r\nx-idempotency-key: 6f1c2a4e-8b3d-4e5f-9a7b-0c1d2e3f4a5b\r\n"
                                          "Content-Type: application/json\r\nContent-Length: 231\r\n\r\n",
                                          body}));
  CHECK(body.size() == 231);
  CHECK(rig.transport.deadlines_agree);
  CHECK(rig.transport.first_deadline == kNow + g_config.write_timeout_ms);
}

TEST_CASE("Reads on one kept-alive connection: order, payment, payments; GETs get the read deadline") {
  const ScriptedConnection script[] = {
      peer(http_answer(200, "OK", "", fw_test::kOrderPaid, 0))
          .with_then(fw_test::concat({http_answer(200, "OK", "", fw_test::kCardAuthorised, 1),
                                      http_answer(200, "OK", "", fw_test::kPayments, 2)},
                                     0))};
  Rig rig(script);
  const FlowwiseResult<FwOrder> order = rig.fw.get_order("POS-2");
  REQUIRE(order.ok());
  CHECK(order->order_status == FwOrderStatus::kPaid);
  CHECK(order->order_amount_paise == 1250);
  CHECK(rig.transport.first_deadline == kNow + g_config.read_timeout_ms);
  CHECK(g_sent.view().starts_with("GET /router/orders/POS-2 HTTP/1.1\r\n"));
  CHECK_FALSE(sent_contains("x-idempotency-key"));
  CHECK_FALSE(sent_contains("Content-Length"));
}

TEST_CASE("Get payment and get payments") {
  const ScriptedConnection script[] = {peer(http_answer(200, "OK", "Connection: close\r\n", fw_test::kCardAuthorised, 0)),
                                       peer(http_answer(200, "OK", "", fw_test::kPayments, 1))};
  Rig rig(script);
  const FlowwiseResult<FwPayment> p = rig.fw.get_payment("pay_Khsoe0RXHme8Hpy7KyRUZqh7");
  REQUIRE(p.ok());
  CHECK(p->capture_status == FwCaptureStatus::kAuthorised);
  CHECK(p->utr == "199446661610");
  CHECK(sent_contains("GET /router/payments/pay_Khsoe0RXHme8Hpy7KyRUZqh7 HTTP/1.1\r\n"));
  const FlowwiseResult<FwPaymentList> list = rig.fw.get_payments("POS-1");
  REQUIRE(list.ok());
  CHECK(list->count == 3);
  CHECK(sent_contains("GET /router/orders/POS-1/payments HTTP/1.1\r\n"));
  CHECK(rig.transport.opens == 2);
  // A fresh request id per call.
  CHECK(p.info().request_id.view() != list.info().request_id.view());
  CHECK(sent_contains(p.info().request_id.view()));
  CHECK(sent_contains(list.info().request_id.view()));
}

TEST_CASE("UPI intent: the payload back; without one an open intent is unreadable") {
  const ScriptedConnection script[] = {
      peer(http_answer(200, "OK", "Connection: close\r\n", fw_test::kUpiIntent, 0)),
      peer(http_answer(200, "OK", "", fw_test::kUpiCollect, 1))};
  Rig rig(script);
  FwUpiPaymentRequest intent;
  intent.order_hash = fw_test::kOrderHash;
  const FlowwiseResult<FwPayment> pay = rig.fw.create_upi_payment(intent, kKey);
  REQUIRE(pay.ok());
  CHECK(pay->payload == fw_test::kUpiIntentPayload);
  CHECK(pay->payment_status == FwPaymentStatus::kInitiated);
  CHECK(g_sent.view().ends_with(R"({"payment_method":"upi","payment_method_details":{}})"));
  CHECK(sent_contains("POST /router/order/pay/df78683e496ab7298b9605a6b4d6fd5e HTTP/1.1\r\n"));
  CHECK(sent_contains("x-client-secret: fw_test_SECRET\r\n"));  // Create Payment is authenticated too

  // The collect answer (PENDING, no payload) to an intent request.
  const FlowwiseResult<FwPayment> bare = rig.fw.create_upi_payment(intent, kKey);
  REQUIRE_FALSE(bare.ok());
  CHECK(bare.error().origin == ErrorOrigin::kResponse);
  CHECK(bare.error().retry == RetryDecision::kOutcomeUnknown);
  CHECK(bare.error().field == "payload");
}

TEST_CASE("UPI collect: PENDING, no payload needed") {
  const ScriptedConnection script[] = {peer(http_answer(200, "OK", "", fw_test::kUpiCollect))};
  Rig rig(script);
  FwUpiPaymentRequest collect;
  collect.order_hash = fw_test::kOrderHash;
  collect.flow = FwUpiFlow::kCollect;
  collect.upi_id = "testsuccess@gocash";
  const FlowwiseResult<FwPayment> pay = rig.fw.create_upi_payment(collect, kKey);
  REQUIRE(pay.ok());
  CHECK(pay->payment_status == FwPaymentStatus::kPending);
  CHECK(g_sent.view().ends_with(R"({"payment_method":"upi","payment_method_details":{"upi_id":"testsuccess@gocash"}})"));
}

TEST_CASE("Card: the card on the wire once, REDIRECTED to 3-D Secure; without the page unreadable") {
  const std::string_view bare_redirect = fw_test::concat(
      {R"({"payment_id":"pay_1","order_id":"POS-1","payment_status":"REDIRECTED","payment_amount":499})"}, 3);
  const ScriptedConnection script[] = {peer(http_answer(200, "OK", "Connection: close\r\n", fw_test::kCardRedirected, 0)),
                                       peer(http_answer(200, "OK", "", bare_redirect, 1))};
  Rig rig(script);
  key_entered_card();
  const FlowwiseResult<FwPayment> pay = rig.fw.create_card_payment({fw_test::kOrderHash, ""}, g_card, kKey);
  REQUIRE(pay.ok());
  CHECK(pay->payment_status == FwPaymentStatus::kRedirected);
  CHECK(pay->redirect_url == fw_test::kCardRedirectUrl);
  CHECK(g_sent.view().ends_with(
      R"({"payment_method":"card","payment_method_details":{"card_number":"4012888888881881","card_expiry_mm":"07",)"
      R"("card_expiry_yy":"31","card_cvv":"917","card_holder_name":"PRIYA SHARMA"}})"));
  // The caller's card is the caller's to wipe.
  CHECK(g_card.number == "4012888888881881");

  const FlowwiseResult<FwPayment> lost = rig.fw.create_card_payment({fw_test::kOrderHash, ""}, g_card, kKey);
  REQUIRE_FALSE(lost.ok());
  CHECK(lost.error().origin == ErrorOrigin::kResponse);
  CHECK(lost.error().field == "redirect_url");
  g_card.wipe();
}

TEST_CASE("Authorize: a partial capture, then a second capture refused as already captured") {
  const ScriptedConnection script[] = {peer(http_answer(200, "OK", "Connection: close\r\n", fw_test::kCapturedPartly, 0)),
                                       peer(http_answer(400, "Bad Request", "", fw_test::kAlreadyCaptured, 1))};
  Rig rig(script);
  const FwAuthorizeRequest capture{"POS-1", "pay_Khsoe0RXHme8Hpy7KyRUZqh7", FwAuthorizeAction::kCapture, 20050};
  const FlowwiseResult<FwPayment> done = rig.fw.authorize(capture, kKey);
  REQUIRE(done.ok());
  CHECK(done->capture_status == FwCaptureStatus::kCaptured);
  CHECK(done->capture_amount_paise == 20050);
  CHECK(sent_contains("POST /router/orders/POS-1/payments/pay_Khsoe0RXHme8Hpy7KyRUZqh7/authorize HTTP/1.1\r\n"));
  CHECK(sent_contains(R"({"action":"CAPTURE","capture_amount":200.50})"));

  const FlowwiseResult<FwPayment> again = rig.fw.authorize(capture, "another-key");
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().origin == ErrorOrigin::kGateway);
  CHECK(again.error().http_status == 400);
  CHECK(again.error().code == "payment_already_captured");
  CHECK(again.error().retry == RetryDecision::kStop);
  CHECK(std::string_view(again.error().screen_message) == "Already captured");
  CHECK(again.info().http_status == 400);
}

TEST_CASE("Gateway refusals and transport failures through the client") {
  SUBCASE("404 on Create Payment: the order is not payable any more") {
    const ScriptedConnection script[] = {peer(http_answer(404, "Not Found", "", fw_test::kOrderNotPayable))};
    Rig rig(script);
    FwUpiPaymentRequest intent;
    intent.order_hash = fw_test::kOrderHash;
    const FlowwiseResult<FwPayment> r = rig.fw.create_upi_payment(intent, kKey);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "order_not_found");
    CHECK(r.error().retry == RetryDecision::kStop);
    CHECK(std::string_view(r.error().screen_message) == "Order not active");
  }
  SUBCASE("429 with its wait") {
    const ScriptedConnection script[] = {peer(http_answer(
        429, "Too Many Requests", "x-ratelimit-retry: 4\r\n",
        R"({"code":"request_failed","message":"Too many requests","type":"rate_limit_error"})"))};
    Rig rig(script);
    const FlowwiseResult<FwOrder> r = rig.fw.create_order(sale(), kKey);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().retry == RetryDecision::kRetryAfter);
    CHECK(r.error().retry_after_s == 4);
  }
  SUBCASE("a replayed 500") {
    const ScriptedConnection script[] = {peer(http_answer(
        500, "Internal Server Error", "x-idempotency-replayed: true\r\n",
        R"({"code":"internal_error","message":"boom","type":"api_error"})"))};
    Rig rig(script);
    const FlowwiseResult<FwPayment> r = rig.fw.authorize({"POS-1", "pay_1", FwAuthorizeAction::kVoid, 0}, kKey);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().retry == RetryDecision::kRetrySameKey);
    CHECK(r.error().replayed);
    CHECK(r.info().replayed);
  }
  SUBCASE("sent, then the connection dropped: outcome unknown") {
    const ScriptedConnection script[] = {peer("")};
    Rig rig(script);
    const FlowwiseResult<FwOrder> r = rig.fw.create_order(sale(), kKey);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().origin == ErrorOrigin::kTransport);
    CHECK(r.error().retry == RetryDecision::kOutcomeUnknown);
    CHECK(r.error().request_sent);
  }
  SUBCASE("could not connect: nothing sent, retry with the same key") {
    const ScriptedConnection script[] = {peer("").failing_open(Status(Code::kConnectionFailed, "refused"))};
    Rig rig(script);
    const FlowwiseResult<FwPaymentList> r = rig.fw.get_payments("POS-1");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().retry == RetryDecision::kRetrySameKey);
    CHECK(std::string_view(r.error().screen_message) == "Network error");
  }
  SUBCASE("a 200 that is not the entity: outcome unknown, the field named") {
    const ScriptedConnection script[] = {peer(http_answer(200, "OK", "", R"({"order_id":"POS-1"})"))};
    Rig rig(script);
    const FlowwiseResult<FwOrder> r = rig.fw.get_order("POS-1");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().origin == ErrorOrigin::kResponse);
    CHECK(r.error().retry == RetryDecision::kOutcomeUnknown);
    CHECK(r.error().field == "order_status");
    CHECK(std::string_view(r.error().screen_message) == "Bad gateway reply");
  }
  SUBCASE("a created order without its hash cannot be paid") {
    const ScriptedConnection script[] = {
        peer(http_answer(200, "OK", "", R"({"order_id":"POS-1","order_status":"ACTIVE","order_amount":499})"))};
    Rig rig(script);
    const FlowwiseResult<FwOrder> r = rig.fw.create_order(sale(), kKey);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().origin == ErrorOrigin::kResponse);
    CHECK(r.error().field == "order_hash");
  }
}

TEST_CASE("Refused before sending: bad configuration, no key, bad ids, failed entropy") {
  const ScriptedConnection script[] = {peer(http_answer(200, "OK", "", fw_test::kOrder))};
  Rig rig(script);

  (void)g_config.client_secret.assign("");
  FlowwiseResult<FwOrder> r = rig.fw.get_order("POS-1");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().origin == ErrorOrigin::kRequest);
  CHECK(r.error().retry == RetryDecision::kStop);
  CHECK(std::string_view(r.error().screen_message) == "Check settings");
  g_config = fw_test::sandbox_config();

  r = rig.fw.create_order(sale(), "");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().origin == ErrorOrigin::kRequest);
  CHECK(r.error().field == "x-idempotency-key");

  const FlowwiseResult<FwPayment> p = rig.fw.get_payment("pay/../../orders");
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().field == "payment_id");

  rig.entropy.fail = true;
  r = rig.fw.get_order("POS-1");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().retry == RetryDecision::kRetrySameKey);
  CHECK(r.info().request_id.empty());

  CHECK(rig.transport.opens == 0);
  CHECK(g_sent.view().empty());
}

// --- Cards leave nothing behind ------------------------------------------------

namespace {

// No card byte anywhere in the buffers object: the request buffer, the
// response buffer and the arena (and the padding between them).
template <typename Buffers>
void check_no_card_left(const Buffers& buffers, const char* path) {
  const std::span<const std::uint8_t> all = fw_test::readable(&buffers, sizeof(buffers));
  FW_CHECK_CTX(!fw_test::contains(all, g_card.number.view()), path);
  FW_CHECK_CTX(!fw_test::contains(all, "\"card_number\":"), path);
  FW_CHECK_CTX(!fw_test::contains(all, "\"card_cvv\":"), path);
  FW_CHECK_CTX(!fw_test::contains(all, "\"cryptogram\":"), path);
  FW_CHECK_CTX(!fw_test::contains(all, "\"917\""), path);
  FW_CHECK_CTX(!fw_test::contains(all, "PRIYA"), path);
  FW_CHECK_CTX(!fw_test::contains(all, "AgAAAAAABk4DWZ4C28yUQAAAAAA="), path);
  FW_CHECK_CTX(!fw_test::contains(all, "4895370012003478"), path);
}

// What held the request is zero. The request buffer: a zero prefix at
// least `min_request` long where the request was written, then the dirty()
// pattern untouched (the request was never longer than what was wiped). The
// response buffer (the body was printed there): zero after the answer's
// `answer_length` bytes, all of it when none came. The arena: all zero when
// no answer was parsed in it.
template <typename Buffers>
void check_zeroed(Buffers& buffers, std::size_t min_request, std::size_t answer_length, bool answered,
                  const char* path) {
  const std::span<const std::uint8_t> request =
      fw_test::readable(buffers.request().data(), buffers.request().size());
  std::size_t zeros = 0;
  while (zeros < request.size() && request[zeros] == 0) ++zeros;
  FW_CHECK_CTX(zeros >= min_request, path);
  bool pattern = true;
  for (std::size_t i = zeros; i < request.size(); ++i) pattern = pattern && request[i] == 0x5A;
  FW_CHECK_CTX(pattern, path);

  const std::span<std::uint8_t> response = buffers.response();
  const std::size_t from = answered ? answer_length : 0;
  FW_CHECK_CTX(is_wiped(fw_test::readable(response.data() + from, response.size() - from)), path);
  if (!answered) {
    const std::span<const std::byte> arena = buffers.arena().bytes();
    FW_CHECK_CTX(is_wiped(fw_test::readable(arena.data(), arena.size())), path);
  }
}

// Fills the buffers with a pattern first, so "zero" means wiped, not unused.
template <typename Buffers>
void dirty(Buffers& buffers) {
  std::memset(buffers.request().data(), 0x5A, buffers.request().size());
  std::memset(buffers.response().data(), 0x5A, buffers.response().size());
}

FlowwiseBuffers<256, 8192, 4096> g_small_request;

}  // namespace

TEST_CASE("A card payment leaves no card byte in the buffers, on success and on every failure") {
  // The canned answers hold no digit run the checks look for.
  REQUIRE(std::string_view(fw_test::kCardRedirected).find("917") == std::string_view::npos);
  REQUIRE(std::string_view(fw_test::kCardNumberInvalid).find("917") == std::string_view::npos);

  SUBCASE("success: REDIRECTED") {
    const ScriptedConnection script[] = {peer(http_answer(200, "OK", "", fw_test::kCardRedirected))};
    Rig rig(script);
    dirty(g_buffers);
    key_entered_card();
    REQUIRE(rig.fw.create_card_payment({fw_test::kOrderHash, ""}, g_card, kKey).ok());
    REQUIRE(sent_contains(g_card.number.view()));  // it did go on the wire
    check_no_card_left(g_buffers, "success");
    check_zeroed(g_buffers, g_sent.size(), fw_test::kCardRedirected.size(), true, "success");
  }
  SUBCASE("success with a network token") {
    const ScriptedConnection script[] = {peer(http_answer(200, "OK", "", fw_test::kCardRedirected))};
    Rig rig(script);
    dirty(g_buffers);
    token_card();
    REQUIRE(rig.fw.create_card_payment({fw_test::kOrderHash, ""}, g_card, kKey).ok());
    REQUIRE(sent_contains("AgAAAAAABk4DWZ4C28yUQAAAAAA="));
    check_no_card_left(g_buffers, "token");
    check_zeroed(g_buffers, g_sent.size(), fw_test::kCardRedirected.size(), true, "token");
  }
  SUBCASE("the router refuses the card (400)") {
    const ScriptedConnection script[] = {peer(http_answer(400, "Bad Request", "", fw_test::kCardNumberInvalid))};
    Rig rig(script);
    dirty(g_buffers);
    key_entered_card();
    const FlowwiseResult<FwPayment> r = rig.fw.create_card_payment({fw_test::kOrderHash, ""}, g_card, kKey);
    REQUIRE_FALSE(r.ok());
    CHECK(std::string_view(r.error().screen_message) == "Check card number");
    check_no_card_left(g_buffers, "400");
    check_zeroed(g_buffers, g_sent.size(), fw_test::kCardNumberInvalid.size(), true, "400");
  }
  SUBCASE("no connection: nothing sent") {
    const ScriptedConnection script[] = {peer("").failing_open(Status(Code::kConnectionFailed, "refused"))};
    Rig rig(script);
    dirty(g_buffers);
    key_entered_card();
    const FlowwiseResult<FwPayment> r = rig.fw.create_card_payment({fw_test::kOrderHash, ""}, g_card, kKey);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().retry == RetryDecision::kRetrySameKey);
    check_no_card_left(g_buffers, "no connection");
    check_zeroed(g_buffers, 300, 0, false, "no connection");
  }
  SUBCASE("the send fails part way") {
    const ScriptedConnection script[] = {peer("").accepting(100)};
    Rig rig(script);
    dirty(g_buffers);
    key_entered_card();
    const FlowwiseResult<FwPayment> r = rig.fw.create_card_payment({fw_test::kOrderHash, ""}, g_card, kKey);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().retry == RetryDecision::kRetrySameKey);
    check_no_card_left(g_buffers, "send fails");
    check_zeroed(g_buffers, 300, 0, false, "send fails");
  }
  SUBCASE("sent, no answer: outcome unknown") {
    const ScriptedConnection script[] = {peer("").ending(ScriptedConnection::End::kStall)};
    Rig rig(script);
    dirty(g_buffers);
    key_entered_card();
    const FlowwiseResult<FwPayment> r = rig.fw.create_card_payment({fw_test::kOrderHash, ""}, g_card, kKey);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().retry == RetryDecision::kOutcomeUnknown);
    REQUIRE(sent_contains(g_card.number.view()));
    check_no_card_left(g_buffers, "no answer");
    check_zeroed(g_buffers, g_sent.size(), 0, false, "no answer");
  }
  SUBCASE("the request does not fit its buffer: refused by the writer") {
    const ScriptedConnection script[] = {peer(http_answer(200, "OK", "", fw_test::kCardRedirected))};
    Rig<FlowwiseBuffers<256, 8192, 4096>> rig(script, g_small_request);
    dirty(g_small_request);
    key_entered_card();
    const FlowwiseResult<FwPayment> r = rig.fw.create_card_payment({fw_test::kOrderHash, ""}, g_card, kKey);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().origin == ErrorOrigin::kRequest);
    CHECK(rig.transport.opens == 0);
    check_no_card_left(g_small_request, "request too large");
    check_zeroed(g_small_request, 0, 0, false, "request too large");
  }
  SUBCASE("refused by the builder: a bad CVV") {
    const ScriptedConnection script[] = {peer(http_answer(200, "OK", "", fw_test::kCardRedirected))};
    Rig rig(script);
    dirty(g_buffers);
    key_entered_card();
    (void)g_card.cvv.assign("9a7");
    const FlowwiseResult<FwPayment> r = rig.fw.create_card_payment({fw_test::kOrderHash, ""}, g_card, kKey);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().field == "card_cvv");
    CHECK(rig.transport.opens == 0);
    check_no_card_left(g_buffers, "bad CVV");
    check_zeroed(g_buffers, 0, 0, false, "bad CVV");
  }
  g_card.wipe();
}

TEST_CASE("Buffer sizes: the defaults hold the largest create order and a list of eight payments") {
  // Every create-order field at its capacity.
  constexpr std::string_view kValue = "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv";  // 64
  constexpr OrderTag kTags[] = {{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", kValue},
                                {"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", kValue},
                                {"cccccccccccccccccccccccccccccccc", kValue},
                                {"dddddddddddddddddddddddddddddddd", kValue}};
  FwCreateOrderRequest o;
  o.order_id = fw_test::repeat('o', 45, 0);
  o.amount_paise = 100'000'000;
  o.customer.customer_id = fw_test::repeat('c', 50, 1);
  o.customer.customer_phone = "+919876543210";
  o.order_note = fw_test::repeat('n', 200, 2);
  o.customer.customer_email = fw_test::concat({o.order_note.substr(0, 89), "@example.in"}, 0);
  o.customer.customer_address = fw_test::repeat('a', kCustomerAddressMaxLength, 3);
  o.return_base_url = fw_test::concat({"https://", o.customer.customer_address.substr(0, 242)}, 1);
  o.terminal_id = "T-00000000000000000000000000000000000000000000000000000000000001";
  o.expiry_minutes = 43'200;
  o.payment_methods = "cc,dc,upi,nb,wallet";
  o.order_tags = kTags;
  o.manual_capture = true;
  REQUIRE(o.customer.customer_email.size() == kCustomerEmailMaxLength);
  REQUIRE(o.return_base_url.size() == kReturnUrlMaxLength);
  REQUIRE(o.terminal_id.size() == kTerminalIdTagMaxLength);

  const std::string_view eight = fw_test::concat(
      {"[", fw_test::kCardAuthorised, ",", fw_test::kCardAuthorised, ",", fw_test::kCardAuthorised, ",",
       fw_test::kCardAuthorised, ",", fw_test::kCardAuthorised, ",", fw_test::kCardAuthorised, ",",
       fw_test::kCardAuthorised, ",", fw_test::kCardAuthorised, "]"},
      2);
  const ScriptedConnection script[] = {peer(http_answer(200, "OK", "Connection: close\r\n", fw_test::kOrder, 0)),
                                       peer(http_answer(200, "OK", "", eight, 1))};
  Rig rig(script);
  const FlowwiseResult<FwOrder> r = rig.fw.create_order(o, kKey);
  REQUIRE(r.ok());
  MESSAGE("largest create order: " << g_sent.size() << " bytes (request buffer " << kDefaultRequestBytes << ")");
  // With the longest host and key there are ~200 bytes more.
  CHECK(g_sent.size() + 200 <= kDefaultRequestBytes);

  const FlowwiseResult<FwPaymentList> list = rig.fw.get_payments("POS-1");
  REQUIRE(list.ok());
  CHECK(list->count == kMaxPayments);
  MESSAGE("eight payments: " << eight.size() << " bytes (response buffer " << kDefaultResponseBytes << ")");
  CHECK(eight.size() <= kDefaultResponseBytes * 3 / 4);
  MESSAGE("sizeof: FwOrder " << sizeof(FwOrder) << ", FwPaymentDetails " << sizeof(FwPaymentDetails)
                             << ", FwPayment " << sizeof(FwPayment) << ", FwPaymentList " << sizeof(FwPaymentList)
                             << ", FlowwiseBuffers<> " << sizeof(FlowwiseBuffers<>) << ", FlowwiseClient "
                             << sizeof(FlowwiseClient) << ", FlowwiseConfig " << sizeof(FlowwiseConfig)
                             << ", FlowwiseResult<FwPayment> " << sizeof(FlowwiseResult<FwPayment>));
}
