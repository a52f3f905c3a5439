// Card, Native OTP and pre-authorisation request builders: bodies and
// headers byte for byte, what the builder leaves to the gateway, refusals,
// and the arena and body wiped on every path of a secret build.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/base/secure_wipe.hpp"
#include "core/card/card_data.hpp"
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
using gateway_test::holds;

namespace {

JsonArena<4096> g_arena;
std::array<char, 2048> g_body;
card::CardData g_card;

constexpr std::string_view kRequestId = "11111111-2222-4333-8444-555555555555";
constexpr std::string_view kKey = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d";
constexpr CallIds kIds{kRequestId, kKey};

struct Fixture {
  PgConfig config = gateway_test::sandbox_config();
  TerminalProvisioning terminal = gateway_test::test_terminal();
  PgRequestBuilder builder{config, terminal, g_arena, g_body};
};

constexpr std::string_view kOrderPayHeaders =
    "x-api-version: 2025-01-01\n"
    "x-request-id: 11111111-2222-4333-8444-555555555555\n"
    "x-idempotency-key: a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d\n"
    "Content-Type: application/json\n"
    "x-client-device: mobile\n"
    "x-client-os: android\n"
    "x-client-rendering-type: native\n"
    "x-client-browser: others\n";

}  // namespace

TEST_CASE("Order pay card, Native OTP: the key-entered card byte for byte, marked secret") {
  json_init();
  Fixture f;
  gateway_test::key_entered_card(g_card, "4111111111111111", "03", "29", "123", "ASHA KUMAR");
  PgRequest r;
  REQUIRE(f.builder.order_pay_card({"session_abc", CardChannel::kPost, &g_card}, kIds, r).ok());

  constexpr std::string_view kBody =
      R"({"payment_session_id":"session_abc","payment_method":{"card":{"channel":"post",)"
      R"("card_number":"4111111111111111","card_expiry_mm":"03","card_expiry_yy":"29","card_cvv":"123",)"
      R"("card_holder_name":"ASHA KUMAR"}}})";
  CHECK(body_of(r) == kBody);
  CHECK(header_lines(r).view() == kOrderPayHeaders);
  FixedString<2048> expected;
  REQUIRE(expected.append(
      "POST /pg/orders/sessions HTTP/1.1\r\nHost: sandbox.cashfree.com\r\nx-api-version: 2025-01-01\r\n"
      "x-request-id: 11111111-2222-4333-8444-555555555555\r\n"
      "x-idempotency-key: a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d\r\nContent-Type: application/json\r\n"
      "x-client-device: mobile\r\nx-client-os: android\r\nx-client-rendering-type: native\r\n"
      "x-client-browser: others\r\nContent-Length: 207\r\n\r\n"));
  REQUIRE(kBody.size() == 207);
  REQUIRE(expected.append(kBody));
  CHECK(wire(r) == expected.view());
  CHECK(wire(r).find("cfsk_ma_test_SECRET") == std::string_view::npos);  // no credentials

  // Secret: HttpClient wipes the whole body buffer once it is sent.
  CHECK(r.secret());
  const http::Request h = r.http_request();
  CHECK(h.secret);
  CHECK(static_cast<const void*>(h.secret_source.data()) == static_cast<const void*>(g_body.data()));
  CHECK(h.secret_source.size() == g_body.size());
  // The builder already wiped its own copies in the arena.
  CHECK_FALSE(gateway_test::arena_holds(g_arena, "4111111111111111"));
  CHECK_FALSE(gateway_test::arena_holds(g_arena, "ASHA KUMAR"));
  // The card is the caller's: read, not wiped.
  CHECK(g_card.number == "4111111111111111");
  CHECK(g_card.cvv == "123");
}

TEST_CASE("Order pay card, channel link, no holder name: the name is left out") {
  json_init();
  Fixture f;
  gateway_test::key_entered_card(g_card, "5555555555554444", "11", "30", "4321");
  PgRequest r;
  REQUIRE(f.builder.order_pay_card({"session_abc", CardChannel::kLink, &g_card}, kIds, r).ok());
  CHECK(body_of(r) == R"({"payment_session_id":"session_abc","payment_method":{"card":{"channel":"link",)"
                      R"("card_number":"5555555555554444","card_expiry_mm":"11","card_expiry_yy":"30",)"
                      R"("card_cvv":"4321"}}})");
  CHECK(header_lines(r).view() == kOrderPayHeaders);
  CHECK(r.secret());
}

TEST_CASE("Order pay card, network token: cryptogram, requestor id and the card's last four; no CVV") {
  json_init();
  Fixture f;
  gateway_test::token_card(g_card, "4895370012003478", "12", "31", "AgAAAAAABk4DWZ4C28yUQAAAAAA=", "40010030273",
                           "1111");
  (void)g_card.cvv.assign("999");  // a token carries none: never sent
  PgRequest r;
  REQUIRE(f.builder.order_pay_card({"session_abc", CardChannel::kPost, &g_card}, kIds, r).ok());
  CHECK(body_of(r) == R"({"payment_session_id":"session_abc","payment_method":{"card":{"channel":"post",)"
                      R"("card_number":"4895370012003478","card_expiry_mm":"12","card_expiry_yy":"31",)"
                      R"("cryptogram":"AgAAAAAABk4DWZ4C28yUQAAAAAA=","token_requestor_id":"40010030273",)"
                      R"("card_display":"1111"}}})");
  CHECK(r.secret());
  CHECK_FALSE(gateway_test::arena_holds(g_arena, "AgAAAAAABk4DWZ4C28yUQAAAAAA="));
}

TEST_CASE("Order pay card: Luhn, expiry and CVV length are not the builder's to check") {
  // core/card checks these before the runner calls; the gateway's own
  // answers to them must stay reachable (pgsim's card errors).
  json_init();
  Fixture f;
  struct Row {
    std::string_view number, mm, yy, cvv;
  };
  const Row rows[] = {
      {"4111111111111112", "03", "29", "123"},  // fails Luhn
      {"41111111111x1111", "03", "29", "123"},  // not digits
      {"4111", "03", "29", "123"},              // too short
      {"4111111111111111", "13", "29", "123"},  // no such month
      {"4111111111111111", "1", "2", "123"},    // one digit each
      {"4111111111111111", "01", "20", "123"},  // expired
      {"4111111111111111", "03", "29", "12"},   // CVV too short
  };
  for (const Row& row : rows) {
    gateway_test::key_entered_card(g_card, row.number, row.mm, row.yy, row.cvv);
    PgRequest r;
    const FieldStatus s = f.builder.order_pay_card({"session_abc", CardChannel::kPost, &g_card}, kIds, r);
    GW_CHECK_CTX(s.ok(), ctx(row.number) << " " << ctx(row.mm) << "/" << ctx(row.yy) << " " << ctx(row.cvv));
    GW_CHECK_CTX(body_of(r).find(gateway_test::concat({R"("card_number":")", row.number, "\""})) !=
                     std::string_view::npos,
                 ctx(row.number));
    GW_CHECK_CTX(body_of(r).find(gateway_test::concat({R"("card_cvv":")", row.cvv, "\""})) != std::string_view::npos,
                 ctx(row.cvv));
  }
}

TEST_CASE("Order pay card: refused before anything is built, naming the field, never the value") {
  json_init();
  Fixture f;
  PgRequest r;
  CHECK(f.builder.order_pay_card({"session_abc", CardChannel::kPost, nullptr}, kIds, r).key() == "card");

  struct Row {
    const char* what;
    void (*make)(card::CardData&);
    std::string_view field;
  };
  const Row rows[] = {
      {"no number", [](card::CardData& c) { gateway_test::key_entered_card(c, "", "03", "29", "123"); },
       "card_number"},
      {"no month", [](card::CardData& c) { gateway_test::key_entered_card(c, "4111111111111111", "", "29", "123"); },
       "card_expiry_mm"},
      {"no year", [](card::CardData& c) { gateway_test::key_entered_card(c, "4111111111111111", "03", "", "123"); },
       "card_expiry_yy"},
      {"no CVV", [](card::CardData& c) { gateway_test::key_entered_card(c, "4111111111111111", "03", "29", ""); },
       "card_cvv"},
      {"a control character",
       [](card::CardData& c) { gateway_test::key_entered_card(c, "4111111111\n11111", "03", "29", "123"); },
       "card_number"},
      {"a quote is fine, a NUL is not",
       [](card::CardData& c) {
         gateway_test::key_entered_card(c, "4111111111111111", "03", "29", std::string_view("1\0" "3", 3));
       },
       "card_cvv"},
      {"a name that is not ASCII",
       [](card::CardData& c) { gateway_test::key_entered_card(c, "4111111111111111", "03", "29", "123", "J\xC3\xA9"); },
       "card_holder_name"},
      {"token without cryptogram",
       [](card::CardData& c) { gateway_test::token_card(c, "4895370012003478", "12", "31", "", "40010030273", "1111"); },
       "cryptogram"},
      {"token without requestor id",
       [](card::CardData& c) { gateway_test::token_card(c, "4895370012003478", "12", "31", "AgAA", "", "1111"); },
       "token_requestor_id"},
      {"token without last four",
       [](card::CardData& c) { gateway_test::token_card(c, "4895370012003478", "12", "31", "AgAA", "40010030273", ""); },
       "card_display"},
      {"an unknown kind",
       [](card::CardData& c) {
         gateway_test::key_entered_card(c, "4111111111111111", "03", "29", "123");
         c.kind = static_cast<card::CardKind>(9);
       },
       "card"},
  };
  for (const Row& row : rows) {
    row.make(g_card);
    PgRequest refused;
    const FieldStatus s = f.builder.order_pay_card({"session_abc", CardChannel::kPost, &g_card}, kIds, refused);
    GW_CHECK_CTX(s.code() == Code::kInvalidArgument, row.what);
    GW_CHECK_CTX(s.key() == row.field, row.what);
    GW_CHECK_CTX(std::string_view(s.message()) == "Read card again", row.what);
    GW_CHECK_CTX(refused.body().empty() && !refused.secret(), row.what);
  }

  gateway_test::key_entered_card(g_card, "4111111111111111", "03", "29", "123");
  CHECK(f.builder.order_pay_card({"", CardChannel::kPost, &g_card}, kIds, r).key() == "payment_session_id");
  CHECK(f.builder.order_pay_card({gateway_test::repeat('s', kSessionIdCapacity + 1), CardChannel::kPost, &g_card},
                                 kIds, r)
            .key() == "payment_session_id");
  CHECK(f.builder.order_pay_card({"session_abc", static_cast<CardChannel>(7), &g_card}, kIds, r).key() == "channel");
  CHECK(f.builder.order_pay_card({"session_abc", CardChannel::kPost, &g_card}, CallIds{kRequestId, ""}, r).key() ==
        "x-idempotency-key");
}

TEST_CASE("A card build that fails after copying the card wipes the arena and the partial body") {
  json_init();
  PgConfig config = gateway_test::sandbox_config();
  TerminalProvisioning terminal = gateway_test::test_terminal();
  gateway_test::key_entered_card(g_card, "4111111111111111", "03", "29", "7391");

  // Room for the body up to the card number, not for all of it: the printer
  // gets past the number before it fails.
  static std::array<char, 150> short_body;
  static JsonArena<4096> arena;
  PgRequestBuilder tight_body(config, terminal, arena, short_body);
  PgRequest r;
  const FieldStatus s = tight_body.order_pay_card({"session_abc", CardChannel::kPost, &g_card}, kIds, r);
  CHECK(s.code() == Code::kCapacityExceeded);
  CHECK_FALSE(r.secret());
  CHECK(is_wiped(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(short_body.data()),
                                               short_body.size())));
  CHECK(arena.used() == 0);
  CHECK_FALSE(gateway_test::arena_holds(arena, "4111111111111111"));
  CHECK_FALSE(gateway_test::arena_holds(arena, "7391"));

  // An arena too small for the body: refused, nothing left in it.
  static JsonArena<256> tiny;
  PgRequestBuilder tight_arena(config, terminal, tiny, g_body);
  const FieldStatus t = tight_arena.order_pay_card({"session_abc", CardChannel::kPost, &g_card}, kIds, r);
  CHECK(t.code() == Code::kCapacityExceeded);
  CHECK_FALSE(gateway_test::arena_holds(tiny, "4111111111111111"));
  CHECK_FALSE(holds(std::span<const char>(g_body), "4111111111111111"));
}

TEST_CASE("Submit OTP: no credentials, no client environment, the key only when given; secret") {
  json_init();
  Fixture f;
  PgRequest r;
  REQUIRE(f.builder.authenticate_payment("5992249169", OtpAction::kSubmit, "111000", CallIds{kRequestId, ""}, r).ok());
  CHECK(wire(r) ==
        "POST /pg/orders/pay/authenticate/5992249169 HTTP/1.1\r\nHost: sandbox.cashfree.com\r\n"
        "x-api-version: 2025-01-01\r\nx-request-id: 11111111-2222-4333-8444-555555555555\r\n"
        "Content-Type: application/json\r\nContent-Length: 38\r\n\r\n"
        R"({"action":"SUBMIT_OTP","otp":"111000"})");
  CHECK(r.secret());
  CHECK(r.http_request().secret_source.size() == g_body.size());
  CHECK_FALSE(gateway_test::arena_holds(g_arena, "111000"));

  // With a key (the spec's x-idempotency-key is optional here).
  REQUIRE(f.builder.authenticate_payment("5992249169", OtpAction::kSubmit, "111000", kIds, r).ok());
  CHECK(header_lines(r).view() ==
        "x-api-version: 2025-01-01\n"
        "x-request-id: 11111111-2222-4333-8444-555555555555\n"
        "x-idempotency-key: a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d\n"
        "Content-Type: application/json\n");
}

TEST_CASE("Resend OTP: the action alone") {
  json_init();
  Fixture f;
  PgRequest r;
  REQUIRE(f.builder.authenticate_payment("5992249169", OtpAction::kResend, "", kIds, r).ok());
  CHECK(wire(r) ==
        "POST /pg/orders/pay/authenticate/5992249169 HTTP/1.1\r\nHost: sandbox.cashfree.com\r\n"
        "x-api-version: 2025-01-01\r\nx-request-id: 11111111-2222-4333-8444-555555555555\r\n"
        "x-idempotency-key: a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d\r\nContent-Type: application/json\r\n"
        "Content-Length: 23\r\n\r\n"
        R"({"action":"RESEND_OTP"})");
  CHECK(r.secret());
}

TEST_CASE("Submit / resend OTP refusals") {
  json_init();
  Fixture f;
  PgRequest r;
  const CallIds ids{kRequestId, ""};
  CHECK(f.builder.authenticate_payment("", OtpAction::kSubmit, "111000", ids, r).key() == "cf_payment_id");
  CHECK(f.builder.authenticate_payment("../5", OtpAction::kSubmit, "111000", ids, r).key() == "cf_payment_id");
  CHECK(f.builder.authenticate_payment(gateway_test::repeat('1', kCfIdCapacity + 1), OtpAction::kSubmit, "111000",
                                       ids, r)
            .key() == "cf_payment_id");
  CHECK(f.builder.authenticate_payment("5992249169", OtpAction::kSubmit, "", ids, r).key() == "otp");
  CHECK(f.builder.authenticate_payment("5992249169", OtpAction::kSubmit, "11\r\n00", ids, r).key() == "otp");
  CHECK(f.builder.authenticate_payment("5992249169", OtpAction::kSubmit, gateway_test::repeat('1', kOtpMaxLength + 1),
                                       ids, r)
            .key() == "otp");
  CHECK(f.builder.authenticate_payment("5992249169", OtpAction::kResend, "111000", ids, r).key() == "otp");
  CHECK(f.builder.authenticate_payment("5992249169", static_cast<OtpAction>(5), "111000", ids, r).key() == "action");
  // Any short text is the gateway's to judge: "otp is invalid" must be reachable.
  CHECK(f.builder.authenticate_payment("5992249169", OtpAction::kSubmit, "abc", ids, r).ok());
}

TEST_CASE("Authorization: CAPTURE in full and in part, amounts exact; VOID alone; credentials and key") {
  json_init();
  Fixture f;
  PgRequest r;
  REQUIRE(f.builder.authorize_order("POS-000123", AuthorizeAction::kCapture, 49900, kIds, r).ok());
  CHECK(wire(r) ==
        "POST /pg/orders/POS-000123/authorization HTTP/1.1\r\nHost: sandbox.cashfree.com\r\n"
        "x-api-version: 2025-01-01\r\nx-client-id: TEST_CLIENT_ID\r\nx-client-secret: cfsk_ma_test_SECRET\r\n"
        "x-request-id: 11111111-2222-4333-8444-555555555555\r\n"
        "x-idempotency-key: a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d\r\nContent-Type: application/json\r\n"
        "Content-Length: 36\r\n\r\n"
        R"({"action":"CAPTURE","amount":499.00})");
  CHECK_FALSE(r.secret());

  struct Row {
    std::int64_t paise;
    std::string_view body;
  };
  const Row rows[] = {
      {25050, R"({"action":"CAPTURE","amount":250.50})"},
      {100, R"({"action":"CAPTURE","amount":1.00})"},
      {101, R"({"action":"CAPTURE","amount":1.01})"},
      {100'000'000, R"({"action":"CAPTURE","amount":1000000.00})"},
  };
  for (const Row& row : rows) {
    REQUIRE(f.builder.authorize_order("POS-000123", AuthorizeAction::kCapture, row.paise, kIds, r).ok());
    GW_CHECK_CTX(body_of(r) == row.body, row.paise);
  }

  // VOID sends no amount, whatever is passed.
  REQUIRE(f.builder.authorize_order("POS-000123", AuthorizeAction::kVoid, 49900, kIds, r).ok());
  CHECK(body_of(r) == R"({"action":"VOID"})");
  CHECK(r.target() == "/pg/orders/POS-000123/authorization");
  CHECK(r.header("x-client-secret") == std::optional<std::string_view>("cfsk_ma_test_SECRET"));
  REQUIRE(f.builder.authorize_order("POS-000123", AuthorizeAction::kVoid, 0, kIds, r).ok());

  // Refusals.
  CHECK(f.builder.authorize_order("POS-000123", AuthorizeAction::kCapture, 0, kIds, r).code() == Code::kOutOfRange);
  CHECK(f.builder.authorize_order("POS-000123", AuthorizeAction::kCapture, 99, kIds, r).key() == "amount");
  CHECK(f.builder.authorize_order("POS-000123", AuthorizeAction::kCapture, 100'000'001, kIds, r).key() == "amount");
  CHECK(f.builder.authorize_order("POS-000123", AuthorizeAction::kCapture, -100, kIds, r).key() == "amount");
  CHECK(f.builder.authorize_order("../x", AuthorizeAction::kVoid, 0, kIds, r).key() == "order_id");
  CHECK(f.builder.authorize_order("POS-000123", static_cast<AuthorizeAction>(3), 100, kIds, r).key() == "action");
  CHECK(f.builder.authorize_order("POS-000123", AuthorizeAction::kVoid, 0, CallIds{kRequestId, ""}, r).key() ==
        "x-idempotency-key");
}

TEST_CASE("Create order: the currency, INR by default, another when asked; three capitals only") {
  json_init();
  Fixture f;
  CreateOrderRequest order;
  order.order_id = "POS-000123";
  order.amount_paise = 49900;
  order.customer_id = "term-42";
  order.customer_phone = "9876543210";
  PgRequest r;
  REQUIRE(f.builder.create_order(order, kIds, r).ok());
  CHECK(body_of(r).find(R"("order_currency":"INR")") != std::string_view::npos);
  order.order_currency = "USD";
  REQUIRE(f.builder.create_order(order, kIds, r).ok());
  CHECK(body_of(r).starts_with(R"({"order_id":"POS-000123","order_amount":499.00,"order_currency":"USD",)"));
  for (std::string_view bad : {"", "usd", "US", "USDX", "U$D", "INR "}) {
    order.order_currency = bad;
    GW_CHECK_CTX(f.builder.create_order(order, kIds, r).key() == "order_currency", ctx(bad));
  }
}
