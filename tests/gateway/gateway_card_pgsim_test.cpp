// Host only: card payments through PgClient over Mbed TLS against the real
// pgsim: Native OTP (right, wrong then right, resend, three wrong), the
// card without Native OTP and channel link (3-D Secure page),
// pre-authorisation (full and partial capture, void, the refusals), and
// every card error pgsim can produce, reached with the card or field that
// causes it. After each card call the client's buffers hold no card data.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/card/card_data.hpp"
#include "core/http/http_client.hpp"
#include "gateway_pgsim_support.hpp"
#include "gateway_test_support.hpp"

using namespace posagent;
using namespace posagent::gateway;
using namespace gateway_pgsim;
using gateway_test::holds;

namespace {

constexpr std::string_view kOtp = "111000";  // pgsim's --card-otp default
constexpr std::string_view kVisa = "4111111111111111";
constexpr std::string_view kMastercard = "5555555555554444";
constexpr std::string_view kRupay = "6521500000000006";
constexpr std::string_view kNoNativeOtp = "4000000000003220";
constexpr std::string_view kBankDown = "4000000000000119";
constexpr std::string_view kDiscover = "6011111111111117";
constexpr std::int64_t kSevenDaysMs = 7LL * 24 * 3600 * 1000;

card::CardData g_card;

// A valid key-entered card expiring in 2039 (pgsim's clock is the host's).
void card_of(std::string_view number, std::string_view cvv = "123") {
  gateway_test::key_entered_card(g_card, number, "03", "39", cvv, "ASHA KUMAR");
}

// An ACTIVE order; its session for Order Pay.
std::string new_order(Stack& s, std::string_view order_id, const CreateOrderRequest* request = nullptr) {
  const CreateOrderRequest order = request != nullptr ? *request : sale(order_id);
  const PgResult<OrderEntity> created = s.pg.create_order(order, uuid(s), s.deadline());
  REQUIRE(created.ok());
  REQUIRE(created->order_status == OrderStatus::kActive);
  return std::string(created->payment_session_id.view());
}

PgResult<CardPayment> pay(Stack& s, const std::string& session, CardChannel channel = CardChannel::kPost) {
  return s.pg.pay_order_card({session, channel, &g_card}, uuid(s), s.deadline());
}

PgResult<OtpResult> otp(Stack& s, std::string_view cf_payment_id, std::string_view code) {
  return s.pg.authenticate_payment(cf_payment_id, OtpAction::kSubmit, code, s.deadline());
}

// The order's one attempt.
PaymentAttempt attempt(Stack& s, std::string_view order_id) {
  const PgResult<PaymentList> payments = s.pg.get_payments(order_id, s.deadline());
  REQUIRE(payments.ok());
  REQUIRE(payments->count >= 1);
  PaymentAttempt a = payments->attempts[payments->count - 1];
  return a;
}

// No card data in the client's buffers after a card call, on the real stack.
void check_buffers_clean(std::string_view number, std::string_view cvv) {
  for (std::string_view secret : {number, cvv}) {
    CHECK_FALSE(holds(std::span<const char>(g_buffers.request()), secret));
    CHECK_FALSE(holds(std::span<const std::uint8_t>(g_buffers.response()), secret));
  }
  // Arena last: looking resets it.
  CHECK_FALSE(gateway_test::arena_holds(g_buffers.arena(), number));
}

// An Order Pay body PgClient never sends (its builder refuses a card with a
// field missing), posted to pgsim as PgClient posts its own; the answer read
// through the client's error mapping, the one its card calls use.
GatewayError raw_order_pay(Stack& s, const std::string& body) {
  const std::string key = uuid(s);
  const std::string host = "localhost:" + std::to_string(s.config.port);
  const http::Header headers[] = {
      {"content-type", "application/json"}, {"x-api-version", "2025-01-01"}, {"x-idempotency-key", key}};
  http::Request request;
  request.method = http::Method::kPost;
  request.target = "/pg/orders/sessions";
  request.host = host;
  request.headers = headers;
  request.body = {reinterpret_cast<const std::uint8_t*>(body.data()), body.size()};
  static std::array<char, 2048> out;
  static std::array<std::uint8_t, 2048> in;
  std::array<http::HeaderCapture, 1> wanted{};
  wanted[0].name = "x-idempotency-replayed";
  http::Response response(wanted, in);
  const http::ExchangeResult sent = s.http.exchange(request, out, response, s.deadline());
  REQUIRE(sent.ok());
  REQUIRE(response.complete());
  return error_from_response(response.status_code(), response.body_text(), {}, g_buffers.arena());
}

// What a refused card call must carry, checked on the error it got.
struct Refusal {
  int status;
  std::string_view code;
  RetryDecision retry;
  bool card_reentry;
  std::string_view screen;
};
void check_refusal(const char* what, const GatewayError& e, const Refusal& want) {
  GW_CHECK_CTX(e.origin == ErrorOrigin::kGateway, gateway_test::ctx(what));
  GW_CHECK_CTX(e.http_status == want.status, gateway_test::ctx(what));
  GW_CHECK_CTX(e.code == want.code, gateway_test::ctx(what));
  GW_CHECK_CTX(e.retry == want.retry, gateway_test::ctx(what));
  GW_CHECK_CTX(e.card_reentry == want.card_reentry, gateway_test::ctx(what));
  GW_CHECK_CTX(std::string_view(e.screen_message) == want.screen, gateway_test::ctx(what));
}

// A pre-authorised payment: card paid with the right OTP.
std::string authorised(Stack& s, std::string_view order_id, std::string_view number,
                       const CreateOrderRequest* request = nullptr) {
  const std::string session = new_order(s, order_id, request);
  card_of(number);
  const PgResult<CardPayment> p = pay(s, session);
  REQUIRE(p.ok());
  REQUIRE(p->action == PayAction::kPost);
  const PgResult<OtpResult> ok = otp(s, p->cf_payment_id.view(), kOtp);
  REQUIRE(ok.ok());
  REQUIRE(ok->authenticate_status == AuthenticateStatus::kSuccess);
  return std::string(p->cf_payment_id.view());
}

}  // namespace

TEST_CASE("Native OTP: the right OTP, the payment SUCCESS, the order PAID; no card data left behind") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  const std::string session = new_order(s, "CARD-OTP-1");
  card_of(kVisa, "4321");
  const PgResult<CardPayment> p = pay(s, session);
  REQUIRE(p.ok());
  CHECK(p->action == PayAction::kPost);
  CHECK(p->channel_text == "post");
  CHECK(p->payment_amount_paise == 49900);
  const std::string base = "https://localhost:" + std::to_string(pgsim.port());
  CHECK(p->url.view() == base + "/pg/orders/pay/authenticate/" + std::string(p->cf_payment_id.view()));
  CHECK(p->redirect_to_bank.view() == base + "/pg/view/3ds/" + std::string(p->cf_payment_id.view()));
  CHECK(p->content_type == "application/json");
  check_buffers_clean(kVisa, "4321");
  CHECK(attempt(s, "CARD-OTP-1").payment_status == PaymentStatus::kPending);

  const PgResult<OtpResult> r = otp(s, p->cf_payment_id.view(), kOtp);
  REQUIRE(r.ok());
  CHECK(r->authenticate_status == AuthenticateStatus::kSuccess);
  CHECK(r->cf_payment_id == p->cf_payment_id.view());
  CHECK_FALSE(holds(std::span<const char>(g_buffers.request()), kOtp));
  CHECK_FALSE(holds(std::span<const std::uint8_t>(g_buffers.response()), kOtp));

  const PaymentAttempt a = attempt(s, "CARD-OTP-1");
  CHECK(a.payment_status == PaymentStatus::kSuccess);
  CHECK(a.is_captured == std::optional<bool>(true));
  CHECK_FALSE(a.authorization.present);
  const PgResult<OrderEntity> order = s.pg.get_order("CARD-OTP-1", s.deadline());
  REQUIRE(order.ok());
  CHECK(order->order_status == OrderStatus::kPaid);
  // pgsim keeps no card number either (its own promise, checked here once),
  // though its request log has our Order Pay.
  const std::string state = pgsim.state();
  CHECK(state.find("/pg/orders/sessions") != std::string::npos);
  CHECK(state.find(std::string(kVisa)) == std::string::npos);

  // The order is paid: another card Order Pay is refused.
  const PgResult<CardPayment> again = pay(s, session);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().http_status == 404);
  CHECK(again.error().code == "orderpay_not_found");
  CHECK(again.error().retry == RetryDecision::kStop);
  CHECK_FALSE(again.error().card_reentry);
  CHECK(std::string_view(again.error().screen_message) == "Order not active");
}

TEST_CASE("Native OTP: a wrong OTP, then the right one") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  card_of(kMastercard);
  const PgResult<CardPayment> p = pay(s, new_order(s, "CARD-OTP-2"));
  REQUIRE(p.ok());
  const PgResult<OtpResult> wrong = otp(s, p->cf_payment_id.view(), "000000");
  REQUIRE(wrong.ok());
  CHECK(wrong->authenticate_status == AuthenticateStatus::kFailed);
  CHECK(wrong->payment_message == "otp is invalid");
  CHECK(attempt(s, "CARD-OTP-2").payment_status == PaymentStatus::kPending);
  const PgResult<OtpResult> right = otp(s, p->cf_payment_id.view(), kOtp);
  REQUIRE(right.ok());
  CHECK(right->authenticate_status == AuthenticateStatus::kSuccess);
  CHECK(attempt(s, "CARD-OTP-2").payment_status == PaymentStatus::kSuccess);
}

TEST_CASE("Native OTP: resend too soon is FAILED, after 30 s it is sent; the right OTP then pays") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  card_of(kVisa);
  const PgResult<CardPayment> p = pay(s, new_order(s, "CARD-OTP-3"));
  REQUIRE(p.ok());
  const std::string_view id = p->cf_payment_id.view();
  const PgResult<OtpResult> soon = s.pg.authenticate_payment(id, OtpAction::kResend, "", s.deadline());
  REQUIRE(soon.ok());
  CHECK(soon->authenticate_status == AuthenticateStatus::kFailed);
  CHECK(soon->payment_message.view().find("30 seconds") != std::string_view::npos);

  REQUIRE(pgsim.advance_clock(30'000));
  const PgResult<OtpResult> resent = s.pg.authenticate_payment(id, OtpAction::kResend, "", s.deadline(), uuid(s));
  REQUIRE(resent.ok());
  CHECK(resent->authenticate_status == AuthenticateStatus::kSuccess);
  CHECK(resent->payment_message == "otp resent");
  const PgResult<OtpResult> right = otp(s, id, kOtp);
  REQUIRE(right.ok());
  CHECK(right->authenticate_status == AuthenticateStatus::kSuccess);
  CHECK(attempt(s, "CARD-OTP-3").payment_status == PaymentStatus::kSuccess);
}

TEST_CASE("Native OTP: three wrong OTPs fail the payment; the next submit finds it closed") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  card_of(kVisa);
  const PgResult<CardPayment> p = pay(s, new_order(s, "CARD-OTP-4"));
  REQUIRE(p.ok());
  for (int i = 0; i < 3; ++i) {
    const PgResult<OtpResult> wrong = otp(s, p->cf_payment_id.view(), "000000");
    REQUIRE(wrong.ok());
    CHECK(wrong->authenticate_status == AuthenticateStatus::kFailed);
  }
  const PaymentAttempt a = attempt(s, "CARD-OTP-4");
  CHECK(a.payment_status == PaymentStatus::kFailed);
  CHECK(a.error_code == "AUTHENTICATION_FAILED");

  const PgResult<OtpResult> late = otp(s, p->cf_payment_id.view(), kOtp);
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().http_status == 400);
  CHECK(late.error().code == "cf_payment_id_invalid");
  CHECK(late.error().retry == RetryDecision::kStop);
  CHECK_FALSE(late.error().card_reentry);
  CHECK(std::string_view(late.error().screen_message) == "Payment closed");
  const PgResult<OrderEntity> order = s.pg.get_order("CARD-OTP-4", s.deadline());
  REQUIRE(order.ok());
  CHECK(order->order_status == OrderStatus::kActive);  // another card may still pay it
}

TEST_CASE("No Native OTP for the card: channel post answers action link with the 3-D Secure page") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  card_of(kNoNativeOtp);
  const PgResult<CardPayment> p = pay(s, new_order(s, "CARD-3DS-1"));
  REQUIRE(p.ok());
  CHECK(p->action == PayAction::kLink);
  CHECK(p->channel_text == "post");
  const std::string page =
      "https://localhost:" + std::to_string(pgsim.port()) + "/pg/view/3ds/" + std::string(p->cf_payment_id.view());
  CHECK(p->url.view() == page);
  CHECK(p->redirect_to_bank.view() == page);
  CHECK(p->content_type == "application/x-www-form-urlencoded");
  // No OTP session to submit to.
  const PgResult<OtpResult> r = otp(s, p->cf_payment_id.view(), kOtp);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "cf_payment_id_invalid");
  CHECK(std::string_view(r.error().screen_message) == "Payment closed");
}

TEST_CASE("Channel link: the 3-D Secure page, the payment not yet attempted") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  card_of(kVisa);
  const PgResult<CardPayment> p = pay(s, new_order(s, "CARD-LINK-1"), CardChannel::kLink);
  REQUIRE(p.ok());
  CHECK(p->action == PayAction::kLink);
  CHECK(p->channel_text == "link");
  CHECK(p->url.view() ==
        "https://localhost:" + std::to_string(pgsim.port()) + "/pg/view/3ds/" + std::string(p->cf_payment_id.view()));
  CHECK(p->redirect_to_bank.empty());
  CHECK(p->method == "post");
  CHECK(attempt(s, "CARD-LINK-1").payment_status == PaymentStatus::kNotAttempted);
  check_buffers_clean(kVisa, "123");
}

TEST_CASE("Pre-authorisation (--preauth-cards): captured in full, then a second capture and a void refused") {
  PgsimProcess pgsim({"--preauth-cards"});
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  const std::string id = authorised(s, "PRE-FULL-1", kMastercard);
  PaymentAttempt a = attempt(s, "PRE-FULL-1");
  CHECK(a.payment_status == PaymentStatus::kSuccess);
  CHECK(a.is_captured == std::optional<bool>(false));
  CHECK(a.authorization.present);
  CHECK(a.authorization.action == AuthorizationAction::kNone);
  CHECK(a.authorization.status == AuthorizationStatus::kPending);
  CHECK(a.authorization.captured_amount_paise == 0);

  const std::string key = uuid(s);
  const PgResult<PaymentAttempt> captured =
      s.pg.authorize_order("PRE-FULL-1", AuthorizeAction::kCapture, 49900, key, s.deadline());
  REQUIRE(captured.ok());
  CHECK(captured->cf_payment_id == id);
  CHECK(captured->is_captured == std::optional<bool>(true));
  CHECK(captured->authorization.action == AuthorizationAction::kCapture);
  CHECK(captured->authorization.status == AuthorizationStatus::kSuccess);
  CHECK(captured->authorization.captured_amount_paise == 49900);
  CHECK(g_buffers.arena().peak() < kDefaultArenaBytes);

  // The same key replays the capture; a new key is a second capture: 409.
  const PgResult<PaymentAttempt> replay =
      s.pg.authorize_order("PRE-FULL-1", AuthorizeAction::kCapture, 49900, key, s.deadline());
  REQUIRE(replay.ok());
  CHECK(replay.info().replayed);
  const PgResult<PaymentAttempt> twice =
      s.pg.authorize_order("PRE-FULL-1", AuthorizeAction::kCapture, 49900, uuid(s), s.deadline());
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().http_status == 409);
  CHECK(twice.error().code == "payment_already_captured");
  CHECK(twice.error().retry == RetryDecision::kStop);
  CHECK_FALSE(twice.error().card_reentry);
  CHECK(std::string_view(twice.error().screen_message) == "Already captured");
  const PgResult<PaymentAttempt> void_after =
      s.pg.authorize_order("PRE-FULL-1", AuthorizeAction::kVoid, 0, uuid(s), s.deadline());
  REQUIRE_FALSE(void_after.ok());
  CHECK(void_after.error().http_status == 400);
  CHECK(void_after.error().code == "payment_already_captured");
  CHECK(std::string_view(void_after.error().screen_message) == "Already captured");
}

TEST_CASE("Pre-authorisation (order tag pgsim_preauth): captured in part, exactly") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  static constexpr OrderTag kPreauth[] = {{"pgsim_preauth", "true"}};
  CreateOrderRequest order = sale("PRE-PART-1");
  order.order_tags = kPreauth;
  authorised(s, "PRE-PART-1", kVisa, &order);
  CHECK(attempt(s, "PRE-PART-1").authorization.status == AuthorizationStatus::kPending);

  // Above the authorised amount: refused.
  const PgResult<PaymentAttempt> above =
      s.pg.authorize_order("PRE-PART-1", AuthorizeAction::kCapture, 49901, uuid(s), s.deadline());
  REQUIRE_FALSE(above.ok());
  CHECK(above.error().code == "amount_invalid");
  CHECK(above.error().retry == RetryDecision::kStop);
  CHECK(std::string_view(above.error().screen_message) == "Check capture amount");

  const PgResult<PaymentAttempt> part =
      s.pg.authorize_order("PRE-PART-1", AuthorizeAction::kCapture, 25050, uuid(s), s.deadline());
  REQUIRE(part.ok());
  CHECK(part->is_captured == std::optional<bool>(true));
  CHECK(part->authorization.captured_amount_paise == 25050);
  CHECK(part->payment_amount_paise == 49900);
  const PaymentAttempt a = attempt(s, "PRE-PART-1");
  CHECK(a.authorization.action == AuthorizationAction::kCapture);
  CHECK(a.authorization.captured_amount_paise == 25050);

  // An order without pre-authorisation has nothing to capture.
  const std::string session = new_order(s, "PLAIN-1");
  card_of(kVisa);
  const PgResult<CardPayment> p = pay(s, session);
  REQUIRE(p.ok());
  REQUIRE(otp(s, p->cf_payment_id.view(), kOtp).ok());
  const PgResult<PaymentAttempt> none =
      s.pg.authorize_order("PLAIN-1", AuthorizeAction::kCapture, 49900, uuid(s), s.deadline());
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().http_status == 404);
  CHECK(none.error().code == "authorization_not_found");
  CHECK(std::string_view(none.error().screen_message) == "No pre-auth found");
}

TEST_CASE("Pre-authorisation: voided; then a capture and a second void refused") {
  PgsimProcess pgsim({"--preauth-cards"});
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  authorised(s, "PRE-VOID-1", kVisa);
  const PgResult<PaymentAttempt> voided =
      s.pg.authorize_order("PRE-VOID-1", AuthorizeAction::kVoid, 49900, uuid(s), s.deadline());
  REQUIRE(voided.ok());
  CHECK(voided->payment_status == PaymentStatus::kVoid);
  CHECK(voided->is_captured == std::optional<bool>(false));
  CHECK(voided->authorization.action == AuthorizationAction::kVoid);
  CHECK(voided->authorization.status == AuthorizationStatus::kSuccess);
  CHECK(voided->authorization.captured_amount_paise == 0);

  const PgResult<PaymentAttempt> capture =
      s.pg.authorize_order("PRE-VOID-1", AuthorizeAction::kCapture, 49900, uuid(s), s.deadline());
  REQUIRE_FALSE(capture.ok());
  CHECK(capture.error().http_status == 400);
  CHECK(capture.error().code == "payment_already_voided");
  CHECK(capture.error().retry == RetryDecision::kStop);
  CHECK(std::string_view(capture.error().screen_message) == "Already voided");
  const PgResult<PaymentAttempt> again =
      s.pg.authorize_order("PRE-VOID-1", AuthorizeAction::kVoid, 0, uuid(s), s.deadline());
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().http_status == 409);
  CHECK(again.error().code == "payment_already_voided");
}

TEST_CASE("Pre-authorisation expires after 7 days") {
  PgsimProcess pgsim({"--preauth-cards"});
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  authorised(s, "PRE-OLD-1", kMastercard);
  REQUIRE(pgsim.advance_clock(kSevenDaysMs + 60'000));
  const PgResult<PaymentAttempt> late =
      s.pg.authorize_order("PRE-OLD-1", AuthorizeAction::kCapture, 49900, uuid(s), s.deadline());
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().http_status == 400);
  CHECK(late.error().code == "authorization_expired");
  CHECK(late.error().retry == RetryDecision::kStop);
  CHECK(std::string_view(late.error().screen_message) == "Pre-auth expired");
}

TEST_CASE("Card errors pgsim produces, each reached with the card or field that causes it") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  struct Row {
    const char* what;
    std::string_view number, mm, yy, cvv;
    Refusal want;
  };
  constexpr RetryDecision kStop = RetryDecision::kStop;
  const Row rows[] = {
      {"Luhn fails", "4111111111111112", "03", "39", "123", {400, "card_number_invalid", kStop, true, "Check card number"}},
      {"not digits", "41111111111x1111", "03", "39", "123", {400, "card_number_invalid", kStop, true, "Check card number"}},
      {"CVV too short", kVisa, "03", "39", "12", {400, "card_cvv_invalid", kStop, true, "Check CVV"}},
      {"no such month", kVisa, "13", "39", "123", {400, "card_expiry_mm_invalid", kStop, true, "Card expired?"}},
      {"one-digit year", kVisa, "03", "3", "123", {400, "card_expiry_yy_invalid", kStop, true, "Card expired?"}},
      {"expired last year", kVisa, "03", "20", "123", {400, "card_expiry_yy_invalid", kStop, true, "Card expired?"}},
      {"Discover", kDiscover, "03", "39", "123", {400, "payment_method_unsupported", kStop, false, "Card not supported"}},
      {"the bank is down", kBankDown, "03", "39", "123",
       {502, "bank_processing_failure", RetryDecision::kRetrySameKey, false, "Bank busy, try again"}},
  };
  int n = 0;
  for (const Row& row : rows) {
    const std::string order_id = "CARD-ERR-" + std::to_string(++n);
    const std::string session = new_order(s, order_id);
    gateway_test::key_entered_card(g_card, row.number, row.mm, row.yy, row.cvv);
    const std::string key = uuid(s);
    const PgResult<CardPayment> p = s.pg.pay_order_card({session, CardChannel::kPost, &g_card}, key, s.deadline());
    GW_CHECK_CTX(!p.ok(), gateway_test::ctx(row.what));
    if (p.ok()) continue;
    check_refusal(row.what, p.error(), row.want);
    GW_CHECK_CTX(!holds(std::span<const std::uint8_t>(g_buffers.response()), row.number), gateway_test::ctx(row.what));
    GW_CHECK_CTX(!holds(std::span<const char>(g_buffers.request()), row.number), gateway_test::ctx(row.what));
    if (row.want.retry == RetryDecision::kRetrySameKey) {
      // Cashfree stores the answer to a key, a 502 included: the same key replays it.
      const PgResult<CardPayment> retried =
          s.pg.pay_order_card({session, CardChannel::kPost, &g_card}, key, s.deadline());
      GW_CHECK_CTX(!retried.ok() && retried.error().replayed && retried.error().http_status == 502, gateway_test::ctx(row.what));
    }
  }
}

TEST_CASE("Card errors that need another order or another account setting") {
  SUBCASE("an Indian card on a non-INR order: request_invalid") {
    PgsimProcess pgsim({"--currencies", "INR,USD"});
    REQUIRE(pgsim.ok());
    Stack s;
    REQUIRE(s.init(pgsim).ok());
    CreateOrderRequest order = sale("CARD-USD-1");
    order.order_currency = "USD";
    const std::string session = new_order(s, "CARD-USD-1", &order);
    card_of(kVisa);
    const PgResult<CardPayment> p = pay(s, session);
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().http_status == 400);
    CHECK(p.error().code == "request_invalid");
    CHECK(p.error().retry == RetryDecision::kStop);
    CHECK_FALSE(p.error().card_reentry);
    CHECK(std::string_view(p.error().screen_message) == "Card needs INR order");
    // pgsim quotes the order's currency, which is no secret: kept.
    CHECK(p.error().message.view().find("non-INR") != std::string_view::npos);
  }
  SUBCASE("pre-authorisation on a RuPay card: payment_method_unsupported") {
    PgsimProcess pgsim({"--preauth-cards"});
    REQUIRE(pgsim.ok());
    Stack s;
    REQUIRE(s.init(pgsim).ok());
    card_of(kRupay);
    const PgResult<CardPayment> p = pay(s, new_order(s, "CARD-RUPAY-1"));
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().code == "payment_method_unsupported");
    CHECK(std::string_view(p.error().screen_message) == "Card not supported");
    CHECK_FALSE(p.error().card_reentry);
  }
  SUBCASE("OTP for a payment pgsim does not know: payment_not_found") {
    PgsimProcess pgsim;
    REQUIRE(pgsim.ok());
    Stack s;
    REQUIRE(s.init(pgsim).ok());
    const PgResult<OtpResult> r = otp(s, "99999999999", kOtp);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().http_status == 404);
    CHECK(r.error().code == "payment_not_found");
    CHECK(r.error().retry == RetryDecision::kStop);
    CHECK(std::string_view(r.error().screen_message) == "Payment not found");
  }
}

TEST_CASE("Card codes PgClient never provokes, from pgsim's answers to bodies built by hand") {
  // The missing fields (the builder refuses them first, see below), no card
  // at all, a saved card pgsim does not have, and the EMI bank, which a
  // terminal never sends: each answer mapped as a card call maps it.
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  struct Row {
    const char* what;
    std::string method;  // the payment_method object
    Refusal want;
  };
  constexpr RetryDecision kStop = RetryDecision::kStop;
  const std::string post = R"("channel":"post")";
  const std::string number = R"("card_number":"4111111111111111")";
  const std::string mm = R"("card_expiry_mm":"03")", yy = R"("card_expiry_yy":"39")", cvv = R"("card_cvv":"123")";
  const Row rows[] = {
      {"no number", R"({"card":{"card_number":"",)" + mm + "," + yy + "," + cvv + "," + post + "}}",
       {400, "card_number_missing", kStop, true, "Enter card number"}},
      {"no month", R"({"card":{)" + number + "," + yy + "," + cvv + "," + post + "}}",
       {400, "card_expiry_mm_missing", kStop, true, "Enter expiry date"}},
      {"no year", R"({"card":{)" + number + "," + mm + "," + cvv + "," + post + "}}",
       {400, "card_expiry_yy_missing", kStop, true, "Enter expiry date"}},
      {"no CVV", R"({"card":{)" + number + "," + mm + "," + yy + "," + post + "}}",
       {400, "card_cvv_missing", kStop, true, "Enter CVV"}},
      {"no card at all", R"({"card":{)" + post + "}}", {400, "card_invalid", kStop, true, "Read card again"}},
      {"a saved card pgsim lacks", R"({"card":{"instrument_id":"no-such-instrument",)" + post + "}}",
       {404, "card_not_found", kStop, true, "Card not found"}},
      {"EMI without a bank", R"({"emi":{"emi_tenure":3}})", {400, "card_bank_name_missing", kStop, false, "Request refused"}},
      {"EMI at an unknown bank", R"({"emi":{"card_bank_name":"nobank","emi_tenure":3}})",
       {400, "card_bank_name_invalid", kStop, false, "Request refused"}},
  };
  int n = 0;
  for (const Row& row : rows) {
    const std::string session = new_order(s, "CARD-RAW-" + std::to_string(++n));
    const GatewayError e =
        raw_order_pay(s, R"({"payment_session_id":")" + session + R"(","payment_method":)" + row.method + "}");
    check_refusal(row.what, e, row.want);
  }
}

TEST_CASE("Card refusals the builder makes itself: nothing reaches pgsim") {
  // The missing-field codes (card_number_missing, card_cvv_missing,
  // card_expiry_*_missing) cannot be reached through PgClient: an empty field
  // is refused before sending, with the same advice.
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  const std::string session = new_order(s, "CARD-LOCAL-1");
  gateway_test::key_entered_card(g_card, kVisa, "03", "39", "");
  const PgResult<CardPayment> p = pay(s, session);
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().origin == ErrorOrigin::kRequest);
  CHECK(p.error().field == "card_cvv");
  CHECK(p.error().card_reentry);
  CHECK(std::string_view(p.error().screen_message) == "Read card again");
  // pgsim's request log has the create order, and no Order Pay.
  const std::string log = pgsim.state();
  CHECK(log.find("/pg/orders") != std::string::npos);
  CHECK(log.find("/pg/orders/sessions") == std::string::npos);
}
