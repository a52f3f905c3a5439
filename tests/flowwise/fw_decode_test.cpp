// The decoders over pgsim's answers (verbatim) and over what they must
// refuse: missing and mistyped fields, oversized values, long lists,
// malformed JSON.
#include <doctest/doctest.h>

#include <string_view>

#include "core/flowwise/fw_buffers.hpp"
#include "core/flowwise/fw_decode.hpp"
#include "core/flowwise/fw_types.hpp"
#include "core/json/json_arena.hpp"
#include "fw_test_support.hpp"

using namespace posagent;
using namespace posagent::flowwise;
using fw_test::concat;
using fw_test::ctx;
using fw_test::repeat;

namespace {

JsonArena<4096> g_arena;
FwOrder g_order;
FwPayment g_payment;
FwPaymentList g_list;

FieldStatus order(std::string_view body) {
  json_init();
  return decode_order(g_arena, body, g_order);
}
FieldStatus payment(std::string_view body) {
  json_init();
  return decode_payment(g_arena, body, g_payment);
}
FieldStatus list(std::string_view body) {
  json_init();
  return decode_payments(g_arena, body, g_list);
}

// A minimal PaymentDetails with `extra` members before the closing brace.
std::string_view details(std::string_view status, std::string_view extra = "", int slot = 0) {
  return concat({R"({"payment_id":"pay_1","order_id":"POS-1","status":")", status, R"(","payment_amount":499)", extra,
                 "}"},
                slot);
}

}  // namespace

TEST_CASE("Order: pgsim's create answer keeps the hash, the amount in paise, the expiry in UTC") {
  REQUIRE(order(fw_test::kOrder).ok());
  CHECK(g_order.order_id == "POS-1");
  CHECK(g_order.order_hash == fw_test::kOrderHash);
  CHECK(g_order.order_status == FwOrderStatus::kActive);
  CHECK(g_order.order_status_text == "ACTIVE");
  CHECK(g_order.order_amount_paise == 49900);
  REQUIRE(g_order.order_expiry_time.has_value());
  CHECK(g_order.order_expiry_time->format().view() == "2026-11-23T18:36:04Z");

  REQUIRE(order(fw_test::kOrderPaid).ok());
  CHECK(g_order.order_status == FwOrderStatus::kPaid);
  CHECK(g_order.order_amount_paise == 1250);
}

TEST_CASE("Order: statuses, unknown ones kept; the hash and expiry optional; required fields named") {
  constexpr std::string_view kStatuses[] = {"ACTIVE", "PAID", "EXPIRED"};
  for (std::size_t i = 0; i < 3; ++i) {
    REQUIRE(order(concat({R"({"order_id":"POS-1","order_status":")", kStatuses[i], R"(","order_amount":1})"})).ok());
    CHECK(g_order.order_status == static_cast<FwOrderStatus>(i));
    CHECK(to_string(g_order.order_status) == kStatuses[i]);
  }
  REQUIRE(order(R"({"order_id":"POS-1","order_status":"ON_HOLD","order_amount":1,"order_hash":null,"order_expiry_time":null})")
              .ok());
  CHECK(g_order.order_status == FwOrderStatus::kUnknown);
  CHECK(g_order.order_status_text == "ON_HOLD");
  CHECK(g_order.order_hash.empty());
  CHECK_FALSE(g_order.order_expiry_time.has_value());

  struct Case {
    std::string_view body;
    std::string_view key;
    Code code;
  };
  const Case kCases[] = {
      {R"({"order_status":"ACTIVE","order_amount":1})", "order_id", Code::kParseError},
      {R"({"order_id":"","order_status":"ACTIVE","order_amount":1})", "order_id", Code::kParseError},
      {R"({"order_id":"POS-1","order_amount":1})", "order_status", Code::kParseError},
      {R"({"order_id":"POS-1","order_status":"ACTIVE"})", "order_amount", Code::kParseError},
      {R"({"order_id":"POS-1","order_status":"ACTIVE","order_amount":"1e3"})", "order_amount", Code::kParseError},
      {R"({"order_id":"POS-1","order_status":"ACTIVE","order_amount":1.005})", "order_amount", Code::kParseError},
      {R"({"order_id":"POS-1","order_status":"ACTIVE","order_amount":1,"order_expiry_time":"tomorrow"})",
       "order_expiry_time", Code::kParseError},
      {R"({"order_id":"POS-1","order_status":"ACTIVE","order_amount":1,"order_hash":7})", "order_hash",
       Code::kParseError},
  };
  for (const Case& c : kCases) {
    const FieldStatus s = order(c.body);
    FW_CHECK_CTX(s.code() == c.code, ctx(c.body));
    FW_CHECK_CTX(s.key() == c.key, ctx(c.body));
  }
  // Longer than its capacity: refused, never cut.
  const FieldStatus long_hash = order(concat(
      {R"({"order_id":"POS-1","order_status":"ACTIVE","order_amount":1,"order_hash":")", repeat('a', 65), "\"}"}));
  CHECK(long_hash.code() == Code::kCapacityExceeded);
  CHECK(long_hash.key() == "order_hash");
  CHECK(order("not json").code() == Code::kParseError);
  CHECK(order("[]").code() == Code::kParseError);
}

TEST_CASE("Payment: a UPI intent's payload, its pay page, INITIATED with nothing captured") {
  REQUIRE(payment(fw_test::kUpiIntent).ok());
  CHECK(g_payment.payment_id == "pay_PtcerOBHLfdJVmj0NASLCXpe");
  CHECK(g_payment.order_id == "POS-1");
  CHECK(g_payment.payment_method == FwPaymentMethod::kUpi);
  CHECK(g_payment.payment_status == FwPaymentStatus::kInitiated);
  CHECK(is_open(g_payment.payment_status));
  CHECK_FALSE(is_final(g_payment.payment_status));
  CHECK(g_payment.capture_status == FwCaptureStatus::kNone);
  CHECK(g_payment.capture_status_text.empty());
  CHECK(g_payment.payment_amount_paise == 49900);
  CHECK(g_payment.capture_amount_paise == 0);
  CHECK(g_payment.payload == fw_test::kUpiIntentPayload);
  CHECK(g_payment.redirect_url == "https://localhost:18443/router/view/pay/pay_PtcerOBHLfdJVmj0NASLCXpe");
  CHECK(g_payment.processor_ref == "UPI627693948241026334");
  CHECK(g_payment.utr.empty());

  REQUIRE(payment(fw_test::kUpiCollect).ok());
  CHECK(g_payment.payment_status == FwPaymentStatus::kPending);
  CHECK(g_payment.payload.empty());
  CHECK(g_payment.redirect_url.empty());
}

TEST_CASE("Payment: a card at 3-D Secure, then authorised, then partly captured") {
  REQUIRE(payment(fw_test::kCardRedirected).ok());
  CHECK(g_payment.payment_method == FwPaymentMethod::kCard);
  CHECK(g_payment.payment_status == FwPaymentStatus::kRedirected);
  CHECK(g_payment.redirect_url == fw_test::kCardRedirectUrl);
  CHECK(g_payment.payload.empty());

  // PaymentDetails: "status", and the processor's references nested.
  REQUIRE(payment(fw_test::kCardAuthorised).ok());
  CHECK(g_payment.payment_status == FwPaymentStatus::kSuccess);
  CHECK(g_payment.payment_status_text == "SUCCESS");
  CHECK(g_payment.capture_status == FwCaptureStatus::kAuthorised);
  CHECK(g_payment.capture_amount_paise == 0);
  CHECK(g_payment.auth_id == "AUTH_1911363290671");
  CHECK(g_payment.processor_ref == "CC857066463307118418");
  CHECK(g_payment.utr == "199446661610");
  CHECK(g_payment.payment_message == "Payment authorised; capture or void it");
  CHECK(g_payment.redirect_url.empty());
  CHECK(g_payment.error_code.empty());

  REQUIRE(payment(fw_test::kCapturedPartly).ok());
  CHECK(g_payment.capture_status == FwCaptureStatus::kCaptured);
  CHECK(g_payment.capture_amount_paise == 20050);
  CHECK(g_payment.payment_amount_paise == 49900);
}

TEST_CASE("Payment: every status and capture status; unknown ones kept") {
  constexpr std::string_view kStatuses[] = {"INITIATED", "REDIRECTED", "PENDING",  "SUCCESS",
                                            "FAILED",    "USER_DROPPED", "REVERSED", "INIT_FAILED"};
  for (std::size_t i = 0; i < 8; ++i) {
    REQUIRE(payment(details(kStatuses[i])).ok());
    FW_CHECK_CTX(g_payment.payment_status == static_cast<FwPaymentStatus>(i), ctx(kStatuses[i]));
    FW_CHECK_CTX(to_string(g_payment.payment_status) == kStatuses[i], ctx(kStatuses[i]));
    FW_CHECK_CTX(is_final(g_payment.payment_status) == (i >= 3), ctx(kStatuses[i]));
    FW_CHECK_CTX(is_open(g_payment.payment_status) == (i < 3), ctx(kStatuses[i]));
  }
  REQUIRE(payment(details("SUCCESS_CONFLICT")).ok());
  CHECK(g_payment.payment_status == FwPaymentStatus::kUnknown);
  CHECK(g_payment.payment_status_text == "SUCCESS_CONFLICT");
  CHECK_FALSE(is_final(g_payment.payment_status));

  constexpr std::string_view kCaptures[] = {"AUTHORISED",     "CREATED",  "CAPTURE_REQUESTED", "CAPTURED",
                                            "VOID_REQUESTED", "VOIDED",   "CAPTURE_FAILED",    "VOID_FAILED"};
  for (std::size_t i = 0; i < 8; ++i) {
    REQUIRE(payment(details("SUCCESS", concat({R"(,"capture_status":")", kCaptures[i], "\""}, 1))).ok());
    FW_CHECK_CTX(g_payment.capture_status == static_cast<FwCaptureStatus>(i + 1), ctx(kCaptures[i]));
    FW_CHECK_CTX(to_string(g_payment.capture_status) == kCaptures[i], ctx(kCaptures[i]));
  }
  REQUIRE(payment(details("SUCCESS", R"(,"capture_status":"PARTIALLY_CAPTURED")")).ok());
  CHECK(g_payment.capture_status == FwCaptureStatus::kUnknown);
  CHECK(g_payment.capture_status_text == "PARTIALLY_CAPTURED");
  REQUIRE(payment(details("SUCCESS", R"(,"payment_method":"emi")")).ok());
  CHECK(g_payment.payment_method == FwPaymentMethod::kUnknown);
  CHECK(g_payment.payment_method_text == "emi");
}

TEST_CASE("Payment: a failure's error details; long texts for people are cut, ids are not") {
  REQUIRE(payment(details("FAILED",
                          R"(,"error_details":{"error_code":"AUTHENTICATION_FAILED","error_description":"OTP wrong"},)"
                          R"("payment_message":"Payment failed")"))
              .ok());
  CHECK(g_payment.error_code == "AUTHENTICATION_FAILED");
  CHECK(g_payment.error_description == "OTP wrong");

  REQUIRE(payment(details("FAILED", concat({R"(,"payment_message":")", repeat('m', 300), "\""}, 1))).ok());
  CHECK(g_payment.payment_message.size() == g_payment.payment_message.capacity());

  // Each built and checked in turn: the text helpers' slots are reused.
  auto refused = [](const char* what, std::string_view body, std::string_view key) {
    const FieldStatus s = payment(body);
    FW_CHECK_CTX(s.code() == Code::kCapacityExceeded, what);
    FW_CHECK_CTX(s.key() == key, what);
  };
  refused("payload over 512", details("INITIATED", concat({R"(,"payload":")", repeat('u', 513), "\""}, 1)), "payload");
  refused("redirect over 512",
          details("REDIRECTED", concat({R"(,"redirect_url":"https://a/)", repeat('r', 503), "\""}, 1)),
          "redirect_url");
  refused("utr over 32", details("SUCCESS", concat({R"(,"gateway_details":{"utr":")", repeat('7', 33), "\"}"}, 1)),
          "utr");
  refused("payment id over 64",
          concat({R"({"payment_id":")", repeat('p', 65), R"(","order_id":"POS-1","status":"SUCCESS","payment_amount":1})"},
                 1),
          "payment_id");
  // At capacity: kept whole.
  REQUIRE(payment(details("INITIATED", concat({R"(,"payload":")", repeat('u', 512), "\""}, 1))).ok());
  CHECK(g_payment.payload.size() == 512);
}

TEST_CASE("Payment: required fields and amounts") {
  struct Case {
    std::string_view body;
    std::string_view key;
  };
  const Case kCases[] = {
      {R"({"order_id":"POS-1","status":"SUCCESS","payment_amount":1})", "payment_id"},
      {R"({"payment_id":"pay_1","status":"SUCCESS","payment_amount":1})", "order_id"},
      {R"({"payment_id":"pay_1","order_id":"POS-1","payment_amount":1})", "status"},
      {R"({"payment_id":"pay_1","order_id":"POS-1","payment_status":null,"payment_amount":1})", "status"},
      {R"({"payment_id":"pay_1","order_id":"POS-1","status":7,"payment_amount":1})", "status"},
      {R"({"payment_id":"pay_1","order_id":"POS-1","payment_status":"FAILED","payment_status":"SUCCESS",)"
       R"("payment_amount":1})",
       "payment_status"},
      {R"({"payment_id":"pay_1","order_id":"POS-1","status":"SUCCESS"})", "payment_amount"},
      {R"({"payment_id":"pay_1","order_id":"POS-1","status":"SUCCESS","payment_amount":0})", "payment_amount"},
      {R"({"payment_id":"pay_1","order_id":"POS-1","status":"SUCCESS","payment_amount":1,"capture_amount":0.5})",
       "capture_amount"},
      {R"({"payment_id":"pay_1","order_id":"POS-1","status":"SUCCESS","payment_amount":1,"capture_amount":-1})",
       "capture_amount"},
      {R"({"payment_id":"pay_1","order_id":"POS-1","status":"SUCCESS","payment_amount":1,"gateway_details":"x"})",
       "gateway_details"},
  };
  for (const Case& c : kCases) {
    const FieldStatus s = payment(c.body);
    FW_CHECK_CTX(s.code() == Code::kParseError, ctx(c.body));
    FW_CHECK_CTX(s.key() == c.key, ctx(c.body));
  }
  // payment_status wins over status; 0 and null capture amounts are 0.
  REQUIRE(payment(R"({"payment_id":"pay_1","order_id":"POS-1","payment_status":"PENDING","status":"SUCCESS",)"
                  R"("payment_amount":"10.05","capture_amount":null})")
              .ok());
  CHECK(g_payment.payment_status == FwPaymentStatus::kPending);
  CHECK(g_payment.payment_amount_paise == 1005);
  CHECK(g_payment.capture_amount_paise == 0);
}

TEST_CASE("Payments: pgsim's list of three, in order, with the success found") {
  REQUIRE(list(fw_test::kPayments).ok());
  REQUIRE(g_list.count == 3);
  CHECK(g_list.payments[0].payment_status == FwPaymentStatus::kFailed);
  CHECK(g_list.payments[0].error_code == "TRANSACTION_DECLINED");
  CHECK(g_list.payments[1].payment_method == FwPaymentMethod::kCard);
  CHECK(g_list.payments[1].capture_amount_paise == 20050);
  CHECK(g_list.payments[2].capture_status == FwCaptureStatus::kAuthorised);
  CHECK(g_list.payments[2].utr == "884480767920");
  REQUIRE(g_list.success() != nullptr);
  CHECK(g_list.success()->payment_id == "pay_Khsoe0RXHme8Hpy7KyRUZqh7");
  REQUIRE(g_list.find("pay_6hccMIiCn68eoGe6P8DRAkdE") != nullptr);
  CHECK(g_list.find("pay_6hccMIiCn68eoGe6P8DRAkdE")->payment_method == FwPaymentMethod::kUpi);
  CHECK(g_list.find("pay_nope") == nullptr);
}

TEST_CASE("Payments: none, up to the cap, one past it; malformed lists refused") {
  REQUIRE(list(" [ ] ").ok());
  CHECK(g_list.count == 0);
  CHECK(g_list.success() == nullptr);

  const std::string_view one = details("FAILED", "", 0);
  const std::string_view eight = concat({"[", one, ",", one, ",", one, ",", one, ",", one, ",", one, ",", one, ",",
                                         one, "]"},
                                        1);
  REQUIRE(list(eight).ok());
  CHECK(g_list.count == kMaxPayments);
  const std::string_view nine = concat({"[", one, ",", one, ",", one, ",", one, ",", one, ",", one, ",", one, ",",
                                        one, ",", one, "]"},
                                       2);
  const FieldStatus over = list(nine);
  CHECK(over.code() == Code::kCapacityExceeded);

  // Brackets, commas and escaped quotes inside strings do not split.
  REQUIRE(list(concat({"[", details("FAILED", R"(,"payment_message":"a],{\"b\",c[")", 0), "]"}, 3)).ok());
  CHECK(g_list.count == 1);
  CHECK(g_list.payments[0].payment_message == R"(a],{"b",c[)");

  constexpr std::string_view kMalformed[] = {
      "",          "{}",        "[",           R"([{"payment_id":"pay_1"})", "[1]", "[{}]x",
      "[{},]",     "[] []",     "[{}}",        R"(["unterminated])",
  };
  for (std::string_view body : kMalformed) {
    const FieldStatus s = list(body);
    FW_CHECK_CTX(s.code() == Code::kParseError, ctx(body));
  }
}

TEST_CASE("The default arena holds each answer with room to spare; a small one refuses, never cuts") {
  json_init();
  // One arena per answer, so each peak is that answer's alone.
  auto peak_of = [](FieldStatus (*decode)(JsonArenaBase&, std::string_view), std::string_view body) {
    static JsonArena<kDefaultArenaBytes> arenas[6];
    static std::size_t next = 0;
    JsonArenaBase& arena = arenas[next++ % 6];
    REQUIRE(decode(arena, body).ok());
    return arena.peak();
  };
  const std::size_t order_peak = peak_of([](JsonArenaBase& a, std::string_view b) { return decode_order(a, b, g_order); },
                                         fw_test::kOrder);
  const std::size_t intent_peak = peak_of(
      [](JsonArenaBase& a, std::string_view b) { return decode_payment(a, b, g_payment); }, fw_test::kUpiIntent);
  const std::size_t details_peak = peak_of(
      [](JsonArenaBase& a, std::string_view b) { return decode_payment(a, b, g_payment); }, fw_test::kCardAuthorised);
  const std::size_t list_peak = peak_of(
      [](JsonArenaBase& a, std::string_view b) { return decode_payments(a, b, g_list); }, fw_test::kPayments);
  MESSAGE("arena peaks: order " << order_peak << ", UPI intent " << intent_peak << ", card PaymentDetails "
                                << details_peak << ", Get Payments (3) " << list_peak);
  // A quarter of the default spare at least: room for longer messages and
  // ids than pgsim's.
  for (std::size_t peak : {order_peak, intent_peak, details_peak, list_peak}) {
    CHECK(peak <= kDefaultArenaBytes * 3 / 4);
  }

  static JsonArena<512> small;
  CHECK(decode_payments(small, fw_test::kPayments, g_list).code() == Code::kCapacityExceeded);
  CHECK(decode_order(small, fw_test::kOrder, g_order).code() == Code::kCapacityExceeded);
}
