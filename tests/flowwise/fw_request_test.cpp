// The configuration's checks and every request byte for byte, as
// http::write_request puts it on the wire; the builder's refusals, field by
// field; and the card request's wipes.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/secure_wipe.hpp"
#include "core/card/card_data.hpp"
#include "core/flowwise/fw_buffers.hpp"
#include "core/flowwise/fw_config.hpp"
#include "core/flowwise/fw_request.hpp"
#include "core/http/request_writer.hpp"
#include "fw_test_support.hpp"

using namespace posagent;
using namespace posagent::flowwise;
using fw_test::concat;
using fw_test::ctx;

namespace {

JsonArena<4096> g_arena;
std::array<char, 4096> g_body;
std::array<char, 4096> g_wire;
FlowwiseConfig g_config;

constexpr CallIds kIds{"req-1", "key-1"};
constexpr CallIds kReadIds{"req-1", ""};

FwRequestBuilder builder() {
  json_init();
  g_config = fw_test::sandbox_config();
  return FwRequestBuilder(g_config, g_arena, g_body);
}

// The request as the wire carries it.
std::string_view wire(const FwRequest& request) {
  const Result<std::size_t> n = http::write_request(request.http_request(), g_wire);
  REQUIRE(n.ok());
  return {g_wire.data(), *n};
}

constexpr std::string_view kAuthHeaders =
    "Host: sandbox.flowwise.com\r\nx-client-id: FW_TEST_CLIENT_ID\r\nx-client-secret: fw_test_SECRET\r\n"
    "x-request-id: req-1\r\n";
constexpr std::string_view kPostHeaders = "x-idempotency-key: key-1\r\nContent-Type: application/json\r\n";

// A POST's expected bytes from its request line and body.
std::string_view post(std::string_view request_line, std::string_view body) {
  char digits[8];
  std::size_t n = 0;
  for (std::size_t v = body.size(); v > 0; v /= 10) digits[n++] = static_cast<char>('0' + v % 10);
  char length[8];
  for (std::size_t i = 0; i < n; ++i) length[i] = digits[n - 1 - i];
  return concat({request_line, kAuthHeaders, kPostHeaders, "Content-Length: ", std::string_view(length, n),
                 "\r\n\r\n", body},
                1);
}

std::string_view get(std::string_view request_line) { return concat({request_line, kAuthHeaders, "\r\n"}, 1); }

// A card to pay with. Static: CardData is never copied.
card::CardData g_card;

void key_entered_card() {
  g_card.wipe();
  g_card.kind = card::CardKind::kKeyEntered;
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

constexpr OrderTag kCallerCaptureTag[] = {{"capture", "manual"}};
constexpr OrderTag kEmptyTag[] = {{"shift", ""}};
constexpr OrderTag kFiveTags[] = {{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}, {"e", "5"}};

FwUpiPaymentRequest upi(std::string_view hash, FwUpiFlow flow = FwUpiFlow::kIntent, std::string_view vpa = {}) {
  FwUpiPaymentRequest r;
  r.order_hash = hash;
  r.flow = flow;
  r.upi_id = vpa;
  return r;
}

bool arena_wiped() {
  const std::span<const std::byte> bytes = g_arena.bytes();
  return is_wiped(fw_test::readable(bytes.data(), bytes.size()));
}

bool body_buffer_wiped() { return is_wiped(fw_test::readable(g_body.data(), g_body.size())); }

}  // namespace

TEST_CASE("Base URL: https, a host, an optional port and a path") {
  const Result<BaseUrl> sandbox = parse_base_url(kSandboxBaseUrl);
  REQUIRE(sandbox.ok());
  CHECK(sandbox->host == "sandbox.flowwise.com");
  CHECK(sandbox->port == 443);
  CHECK(sandbox->authority == "sandbox.flowwise.com");
  CHECK(sandbox->path == "/router");
  CHECK(parse_base_url(kProductionBaseUrl).ok());

  const Result<BaseUrl> local = parse_base_url("https://localhost:8443/router");
  REQUIRE(local.ok());
  CHECK(local->host == "localhost");
  CHECK(local->port == 8443);
  CHECK(local->authority == "localhost:8443");
  CHECK(local->path == "/router");

  constexpr std::string_view kRefused[] = {
      "http://sandbox.flowwise.com/router",      // TLS is not optional
      "https://sandbox.flowwise.com",            // no path
      "https://sandbox.flowwise.com/",           // "/" alone
      "https://sandbox.flowwise.com/router/",    // trailing '/'
      "https://user@sandbox.flowwise.com/router",
      "https://localhost:0/router",
      "https://localhost:65536/router",
      "https://localhost:/router",
      "https://localhost:84a3/router",
      "https:///router",
      "https://sandbox.flowwise.com/router?x=1",
      "https://sandbox.flowwise.com/router#top",
      "https://sandbox.flowwise.com/ro uter",
      "https://[::1]:8443/router",
      "sandbox.flowwise.com/router",
      "",
  };
  for (std::string_view url : kRefused) {
    const Result<BaseUrl> r = parse_base_url(url);
    FW_CHECK_CTX(!r.ok(), ctx(url));
    if (!r.ok()) FW_CHECK_CTX(std::string_view(r.status().message()) == "Check settings", ctx(url));
  }
}

TEST_CASE("Config: credentials and timeouts are checked") {
  FlowwiseConfig c = fw_test::sandbox_config();
  CHECK(c.validate().ok());
  CHECK(c.base_url == kSandboxBaseUrl);

  FlowwiseConfig no_id = c;
  no_id.client_id.clear();
  CHECK_FALSE(no_id.validate().ok());
  FlowwiseConfig spaced = c;
  (void)spaced.client_secret.assign("two words");
  CHECK_FALSE(spaced.validate().ok());
  FlowwiseConfig fast = c;
  fast.read_timeout_ms = 999;
  CHECK_FALSE(fast.validate().ok());
  FlowwiseConfig slow = c;
  slow.write_timeout_ms = kMaxTimeoutMs + 1;
  CHECK_FALSE(slow.validate().ok());
  FlowwiseConfig bad_url = c;
  (void)bad_url.base_url.assign("https://sandbox.flowwise.com/");
  const Status s = bad_url.validate();
  CHECK(s.code() == Code::kInvalidArgument);
  CHECK(std::string_view(s.message()) == "Check settings");
}

TEST_CASE("Create order: every field, byte for byte") {
  FwRequestBuilder b = builder();
  constexpr OrderTag kTags[] = {{"shift", "morning"}, {"lane", "3"}};
  FwCreateOrderRequest o;
  o.order_id = "POS-1";
  o.amount_paise = 49950;
  o.customer = {"walkin-1", "+919876543210", "priya@example.com", "12 MG Road, Bengaluru"};
  o.terminal_id = "T-0001";
  o.expiry_minutes = 30;
  o.payment_methods = "upi,cc,dc";
  o.order_note = "Counter 3 sale";
  o.order_tags = kTags;
  o.manual_capture = true;
  o.return_base_url = "https://shop.example.com/done";
  FwRequest r;
  REQUIRE(b.create_order(o, kIds, r).ok());
  CHECK_FALSE(r.secret());
  CHECK(wire(r) ==
        post("POST /router/orders HTTP/1.1\r\n",
             R"({"order_id":"POS-1","order_amount":499.50,"order_currency":"INR",)"
             R"("customer_details":{"customer_id":"walkin-1","customer_phone":"+919876543210",)"
             R"("customer_email":"priya@example.com","customer_address":"12 MG Road, Bengaluru"},)"
             R"("payment_methods":"upi,cc,dc","expiry_time_in_minutes":30,"order_note":"Counter 3 sale",)"
             R"("order_tags":{"shift":"morning","lane":"3","terminal_id":"T-0001","capture":"manual"},)"
             R"("return_base_url":"https://shop.example.com/done"})"));
}

TEST_CASE("Create order: the least there is, and automatic capture sends no capture tag") {
  FwRequestBuilder b = builder();
  FwCreateOrderRequest o;
  o.order_id = "POS-2";
  o.amount_paise = 100;
  FwRequest r;
  REQUIRE(b.create_order(o, kIds, r).ok());
  CHECK(wire(r) == post("POST /router/orders HTTP/1.1\r\n",
                        R"({"order_id":"POS-2","order_amount":1.00,"order_currency":"INR"})"));
}

TEST_CASE("Reads: get order, get payment, get payments carry no key and no body") {
  FwRequestBuilder b = builder();
  FwRequest r;
  REQUIRE(b.get_order("POS-1", kIds, r).ok());
  CHECK(wire(r) == get("GET /router/orders/POS-1 HTTP/1.1\r\n"));
  REQUIRE(b.get_payment("pay_Khsoe0RXHme8Hpy7KyRUZqh7", kReadIds, r).ok());
  CHECK(wire(r) == get("GET /router/payments/pay_Khsoe0RXHme8Hpy7KyRUZqh7 HTTP/1.1\r\n"));
  REQUIRE(b.get_payments("POS-1", kReadIds, r).ok());
  CHECK(wire(r) == get("GET /router/orders/POS-1/payments HTTP/1.1\r\n"));
  CHECK_FALSE(r.header("x-idempotency-key").has_value());
  CHECK(r.header("X-Client-Id") == "FW_TEST_CLIENT_ID");
}

TEST_CASE("UPI payments: intent, intent with an app, collect to a VPA") {
  FwRequestBuilder b = builder();
  FwRequest r;
  FwUpiPaymentRequest intent;
  intent.order_hash = fw_test::kOrderHash;
  REQUIRE(b.upi_payment(intent, kIds, r).ok());
  CHECK(wire(r) == post("POST /router/order/pay/df78683e496ab7298b9605a6b4d6fd5e HTTP/1.1\r\n",
                        R"({"payment_method":"upi","payment_method_details":{}})"));

  intent.app_name = "PhonePe";
  intent.return_base_url = "https://shop.example.com/done";
  REQUIRE(b.upi_payment(intent, kIds, r).ok());
  CHECK(wire(r) == post("POST /router/order/pay/df78683e496ab7298b9605a6b4d6fd5e HTTP/1.1\r\n",
                        R"({"payment_method":"upi","payment_method_details":{"app_name":"PhonePe"},)"
                        R"("return_base_url":"https://shop.example.com/done"})"));

  FwUpiPaymentRequest collect;
  collect.order_hash = fw_test::kOrderHash;
  collect.flow = FwUpiFlow::kCollect;
  collect.upi_id = "testsuccess@gocash";
  REQUIRE(b.upi_payment(collect, kIds, r).ok());
  CHECK_FALSE(r.secret());
  CHECK(wire(r) == post("POST /router/order/pay/df78683e496ab7298b9605a6b4d6fd5e HTTP/1.1\r\n",
                        R"({"payment_method":"upi","payment_method_details":{"upi_id":"testsuccess@gocash"}})"));
}

TEST_CASE("Card payment: pgsim's plain shape, secret, and the arena wiped after printing") {
  FwRequestBuilder b = builder();
  key_entered_card();
  FwRequest r;
  REQUIRE(b.card_payment({fw_test::kOrderHash, "https://shop.example.com/done"}, g_card, kIds, r).ok());
  CHECK(r.secret());
  const http::Request h = r.http_request();
  CHECK(h.secret);
  // The body's memory is what HttpClient wipes: all of the buffer it was
  // printed into.
  CHECK(h.secret_source.data() == reinterpret_cast<std::uint8_t*>(g_body.data()));
  CHECK(h.secret_source.size() == g_body.size());
  CHECK(arena_wiped());
  CHECK(wire(r) == post("POST /router/order/pay/df78683e496ab7298b9605a6b4d6fd5e HTTP/1.1\r\n",
                        R"({"payment_method":"card","payment_method_details":{"card_number":"4012888888881881",)"
                        R"("card_expiry_mm":"07","card_expiry_yy":"31","card_cvv":"917",)"
                        R"("card_holder_name":"PRIYA SHARMA"},"return_base_url":"https://shop.example.com/done"})"));
  // The builder leaves the caller's card alone: wiping it is the caller's.
  CHECK(g_card.number == "4012888888881881");
}

TEST_CASE("Card payment: a network token sends its cryptogram and never a CVV") {
  FwRequestBuilder b = builder();
  token_card();
  (void)g_card.cvv.assign("999");  // set by mistake: still not sent
  FwRequest r;
  REQUIRE(b.card_payment({fw_test::kOrderHash, ""}, g_card, kIds, r).ok());
  CHECK(r.secret());
  CHECK(arena_wiped());
  CHECK(wire(r) == post("POST /router/order/pay/df78683e496ab7298b9605a6b4d6fd5e HTTP/1.1\r\n",
                        R"({"payment_method":"card","payment_method_details":{"card_number":"4895370012003478",)"
                        R"("card_expiry_mm":"12","card_expiry_yy":"30","cryptogram":"AgAAAAAABk4DWZ4C28yUQAAAAAA=",)"
                        R"("token_requestor_id":"40010030273","card_display":"1881"}})"));
  // A token without an expiry: none sent.
  g_card.expiry_mm.clear();
  g_card.expiry_yy.clear();
  REQUIRE(b.card_payment({fw_test::kOrderHash, ""}, g_card, kIds, r).ok());
  CHECK(std::string_view(reinterpret_cast<const char*>(r.body().data()), r.body().size()).find("card_expiry") ==
        std::string_view::npos);
}

TEST_CASE("Card payment refused: the field is named, never its value, and nothing is left behind") {
  struct Case {
    const char* what;
    void (*spoil)(card::CardData&);
    std::string_view field;
  };
  const Case kCases[] = {
      {"short number", [](card::CardData& c) { (void)c.number.assign("40128888888"); }, "card_number"},
      {"letters in the number", [](card::CardData& c) { (void)c.number.assign("40128888888818x1"); }, "card_number"},
      {"month 13", [](card::CardData& c) { (void)c.expiry_mm.assign("13"); }, "card_expiry_mm"},
      {"month 00", [](card::CardData& c) { (void)c.expiry_mm.assign("00"); }, "card_expiry_mm"},
      {"month of one digit", [](card::CardData& c) { (void)c.expiry_mm.assign("7"); }, "card_expiry_mm"},
      {"year of one digit", [](card::CardData& c) { (void)c.expiry_yy.assign("3"); }, "card_expiry_yy"},
      {"no CVV", [](card::CardData& c) { c.cvv.clear(); }, "card_cvv"},
      {"CVV of two digits", [](card::CardData& c) { (void)c.cvv.assign("91"); }, "card_cvv"},
      {"CVV with a letter", [](card::CardData& c) { (void)c.cvv.assign("9a7"); }, "card_cvv"},
  };
  for (const Case& c : kCases) {
    FwRequestBuilder b = builder();
    key_entered_card();
    c.spoil(g_card);
    FwRequest r;
    const FieldStatus s = b.card_payment({fw_test::kOrderHash, ""}, g_card, kIds, r);
    FW_CHECK_CTX(s.code() == Code::kInvalidArgument, c.what);
    FW_CHECK_CTX(s.key() == c.field, c.what);
    FW_CHECK_CTX(std::string_view(s.message()) == "Request invalid", c.what);
    FW_CHECK_CTX(!r.secret() && r.body().empty(), c.what);
    FW_CHECK_CTX(arena_wiped(), c.what);
    FW_CHECK_CTX(body_buffer_wiped(), c.what);
  }

  const Case kTokenCases[] = {
      {"token without cryptogram", [](card::CardData& c) { c.cryptogram.clear(); }, "cryptogram"},
      {"token without requestor", [](card::CardData& c) { c.token_requestor_id.clear(); }, "token_requestor_id"},
      {"token without last four", [](card::CardData& c) { c.last_four.clear(); }, "card_display"},
      {"token with half an expiry", [](card::CardData& c) { c.expiry_yy.clear(); }, "card_expiry_yy"},
  };
  for (const Case& c : kTokenCases) {
    FwRequestBuilder b = builder();
    token_card();
    c.spoil(g_card);
    FwRequest r;
    const FieldStatus s = b.card_payment({fw_test::kOrderHash, ""}, g_card, kIds, r);
    FW_CHECK_CTX(s.key() == c.field, c.what);
    FW_CHECK_CTX(arena_wiped(), c.what);
  }

  // Refused after the body was started: a card body bigger than the buffer
  // it is printed into. The print fails part way; nothing of it is left.
  {
    json_init();
    g_config = fw_test::sandbox_config();
    FwRequestBuilder tight(g_config, g_arena, std::span<char>(g_body.data(), 96));
    key_entered_card();
    std::memset(g_body.data(), 0x55, g_body.size());
    FwRequest r;
    const FieldStatus s = tight.card_payment({fw_test::kOrderHash, ""}, g_card, kIds, r);
    CHECK(s.code() == Code::kCapacityExceeded);
    CHECK(s.key() == "body");
    CHECK(arena_wiped());
    CHECK(is_wiped(fw_test::readable(g_body.data(), 96)));
  }
  // And an arena too small for the card's strings.
  {
    static JsonArena<256> small_arena;
    json_init();
    g_config = fw_test::sandbox_config();
    FwRequestBuilder tight(g_config, small_arena, g_body);
    key_entered_card();
    FwRequest r;
    const FieldStatus s = tight.card_payment({fw_test::kOrderHash, ""}, g_card, kIds, r);
    CHECK(s.code() == Code::kCapacityExceeded);
    const std::span<const std::byte> bytes = small_arena.bytes();
    CHECK(is_wiped(fw_test::readable(bytes.data(), bytes.size())));
  }
}

TEST_CASE("Authorize: CAPTURE with its amount, VOID with 0") {
  FwRequestBuilder b = builder();
  FwRequest r;
  REQUIRE(b.authorize({"POS-1", "pay_Khsoe0RXHme8Hpy7KyRUZqh7", FwAuthorizeAction::kCapture, 20050}, kIds, r).ok());
  CHECK(wire(r) == post("POST /router/orders/POS-1/payments/pay_Khsoe0RXHme8Hpy7KyRUZqh7/authorize HTTP/1.1\r\n",
                        R"({"action":"CAPTURE","capture_amount":200.50})"));
  REQUIRE(b.authorize({"POS-1", "pay_Khsoe0RXHme8Hpy7KyRUZqh7", FwAuthorizeAction::kVoid, 0}, kIds, r).ok());
  CHECK(wire(r) == post("POST /router/orders/POS-1/payments/pay_Khsoe0RXHme8Hpy7KyRUZqh7/authorize HTTP/1.1\r\n",
                        R"({"action":"VOID","capture_amount":0})"));
}

TEST_CASE("Refused before a byte is built: each field named") {
  struct Case {
    const char* what;
    FieldStatus status;
    std::string_view field;
    Code code;
  };
  FwRequestBuilder b = builder();
  FwRequest r;
  auto order = [](void (*change)(FwCreateOrderRequest&)) {
    FwCreateOrderRequest o;
    o.order_id = "POS-1";
    o.amount_paise = 49900;
    change(o);
    return o;
  };
  static const FwCreateOrderRequest kOrders[] = {
      order([](FwCreateOrderRequest& o) { o.order_id = "ab"; }),
      order([](FwCreateOrderRequest& o) { o.order_id = "POS 1"; }),
      order([](FwCreateOrderRequest& o) { o.amount_paise = 99; }),
      order([](FwCreateOrderRequest& o) { o.amount_paise = 100'000'001; }),
      order([](FwCreateOrderRequest& o) { o.customer.customer_phone = "987654321"; }),
      order([](FwCreateOrderRequest& o) { o.customer.customer_phone = "+449876543210"; }),
      order([](FwCreateOrderRequest& o) { o.customer.customer_email = "nobody"; }),
      order([](FwCreateOrderRequest& o) { o.customer.customer_id = "a b"; }),
      order([](FwCreateOrderRequest& o) { o.terminal_id = "T1"; }),
      order([](FwCreateOrderRequest& o) { o.expiry_minutes = 4; }),
      order([](FwCreateOrderRequest& o) { o.expiry_minutes = 43'201; }),
      order([](FwCreateOrderRequest& o) { o.payment_methods = "upi,cash"; }),
      order([](FwCreateOrderRequest& o) { o.payment_methods = "upi,"; }),
      order([](FwCreateOrderRequest& o) { o.order_note = "ok"; }),
      order([](FwCreateOrderRequest& o) { o.order_tags = kCallerCaptureTag; }),
      order([](FwCreateOrderRequest& o) { o.order_tags = kEmptyTag; }),
      order([](FwCreateOrderRequest& o) { o.order_tags = kFiveTags; }),
      order([](FwCreateOrderRequest& o) { o.return_base_url = "ftp://shop/x"; }),
  };
  const Case kCases[] = {
      {"order id too short", b.create_order(kOrders[0], kIds, r), "order_id", Code::kInvalidArgument},
      {"order id with a space", b.create_order(kOrders[1], kIds, r), "order_id", Code::kInvalidArgument},
      {"amount below 1.00", b.create_order(kOrders[2], kIds, r), "order_amount", Code::kOutOfRange},
      {"amount above the limit", b.create_order(kOrders[3], kIds, r), "order_amount", Code::kOutOfRange},
      {"phone of 9 digits", b.create_order(kOrders[4], kIds, r), "customer_phone", Code::kInvalidArgument},
      {"phone of another country", b.create_order(kOrders[5], kIds, r), "customer_phone", Code::kInvalidArgument},
      {"email without @", b.create_order(kOrders[6], kIds, r), "customer_email", Code::kInvalidArgument},
      {"customer id with a space", b.create_order(kOrders[7], kIds, r), "customer_id", Code::kInvalidArgument},
      {"terminal id of 2", b.create_order(kOrders[8], kIds, r), "terminal_id", Code::kInvalidArgument},
      {"expiry of 4 minutes", b.create_order(kOrders[9], kIds, r), "expiry_time_in_minutes", Code::kInvalidArgument},
      {"expiry past 30 days", b.create_order(kOrders[10], kIds, r), "expiry_time_in_minutes",
       Code::kInvalidArgument},
      {"unknown method", b.create_order(kOrders[11], kIds, r), "payment_methods", Code::kInvalidArgument},
      {"empty method", b.create_order(kOrders[12], kIds, r), "payment_methods", Code::kInvalidArgument},
      {"note of 2", b.create_order(kOrders[13], kIds, r), "order_note", Code::kInvalidArgument},
      {"the builder's capture tag", b.create_order(kOrders[14], kIds, r), "order_tags", Code::kInvalidArgument},
      {"an empty tag", b.create_order(kOrders[15], kIds, r), "order_tags", Code::kInvalidArgument},
      {"five tags", b.create_order(kOrders[16], kIds, r), "order_tags", Code::kInvalidArgument},
      {"return URL not http", b.create_order(kOrders[17], kIds, r), "return_base_url", Code::kInvalidArgument},
      {"no key on a create", b.create_order(order([](FwCreateOrderRequest&) {}), kReadIds, r),
       "x-idempotency-key", Code::kInvalidArgument},
      {"a key with a space", b.create_order(order([](FwCreateOrderRequest&) {}), {"req-1", "key 1"}, r),
       "x-idempotency-key", Code::kInvalidArgument},
      {"no request id", b.get_order("POS-1", {"", ""}, r), "x-request-id", Code::kInvalidArgument},
      {"get order, bad id", b.get_order("POS/1", kIds, r), "order_id", Code::kInvalidArgument},
      {"get payment, bad id", b.get_payment("pay/1", kIds, r), "payment_id", Code::kInvalidArgument},
      {"get payments, bad id", b.get_payments("", kIds, r), "order_id", Code::kInvalidArgument},
      {"UPI, bad hash", b.upi_payment(upi("df78-683e"), kIds, r), "order_hash", Code::kInvalidArgument},
      {"collect without VPA", b.upi_payment(upi(fw_test::kOrderHash, FwUpiFlow::kCollect), kIds, r), "upi_id",
       Code::kInvalidArgument},
      {"collect, bad VPA", b.upi_payment(upi(fw_test::kOrderHash, FwUpiFlow::kCollect, "a@b@c"), kIds, r), "upi_id",
       Code::kInvalidArgument},
      {"intent with a VPA", b.upi_payment(upi(fw_test::kOrderHash, FwUpiFlow::kIntent, "x@upi"), kIds, r), "upi_id",
       Code::kInvalidArgument},
      {"UPI without a key", b.upi_payment(upi(fw_test::kOrderHash), kReadIds, r), "x-idempotency-key",
       Code::kInvalidArgument},
      {"capture of 0", b.authorize({"POS-1", "pay_1", FwAuthorizeAction::kCapture, 0}, kIds, r), "capture_amount",
       Code::kOutOfRange},
      {"void with an amount", b.authorize({"POS-1", "pay_1", FwAuthorizeAction::kVoid, 100}, kIds, r),
       "capture_amount", Code::kInvalidArgument},
      {"authorize, bad payment id", b.authorize({"POS-1", "", FwAuthorizeAction::kVoid, 0}, kIds, r), "payment_id",
       Code::kInvalidArgument},
  };
  for (const Case& c : kCases) {
    FW_CHECK_CTX(c.status.code() == c.code, c.what);
    FW_CHECK_CTX(c.status.key() == c.field, c.what);
  }

  // A bad configuration: "Check settings", on every call.
  (void)g_config.client_secret.assign("");
  const FieldStatus s = b.get_order("POS-1", kIds, r);
  CHECK(s.code() == Code::kInvalidArgument);
  CHECK(s.key() == "config");
  CHECK(std::string_view(s.message()) == "Check settings");
}

TEST_CASE("Custom ports show in the Host header; the base path prefixes every target") {
  json_init();
  g_config = fw_test::sandbox_config();
  (void)g_config.base_url.assign("https://localhost:8443/fw/router");
  FwRequestBuilder b(g_config, g_arena, g_body);
  FwRequest r;
  REQUIRE(b.get_order("POS-1", kIds, r).ok());
  CHECK(r.host() == "localhost:8443");
  CHECK(r.target() == "/fw/router/orders/POS-1");
  // The longest target fits: the base path at its limit, the longest ids.
  (void)g_config.base_url.assign(concat({"https://localhost/", fw_test::repeat('r', kBasePathMaxLength - 1)}, 2));
  REQUIRE(g_config.validate().ok());
  const std::string_view order_id = fw_test::repeat('o', 45, 0);
  const std::string_view payment_id = fw_test::repeat('p', kPaymentIdCapacity, 1);
  REQUIRE(b.authorize({order_id, payment_id, FwAuthorizeAction::kVoid, 0}, kIds, r).ok());
  CHECK(r.target().ends_with("/authorize"));
}
