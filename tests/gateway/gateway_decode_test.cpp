// Decoders over canned answers: pgsim's verbatim, the spec's shapes, and
// edits of them (unknown enum values, nulls, missing and oversized fields).
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "core/base/base64.hpp"
#include "core/base/timestamp.hpp"
#include "core/gateway/pg_client.hpp"
#include "core/gateway/pg_decode.hpp"
#include "core/json/json_arena.hpp"
#include "gateway_test_support.hpp"

using namespace posagent;
using namespace posagent::gateway;
using gateway_test::concat;
using gateway_test::ctx;
using gateway_test::repeat;

namespace {

JsonArena<8192> g_arena;
OrderEntity g_order;
UpiPayment g_pay;
PaymentList g_list;
FixedString<8192> g_qr;
std::array<std::uint8_t, 8192> g_png;

// kPgsimOrder with one member's text replaced (first occurrence).
std::string_view edit(std::string_view body, std::string_view from, std::string_view to, int slot = 0) {
  const std::size_t at = body.find(from);
  REQUIRE(at != std::string_view::npos);
  return concat({body.substr(0, at), to, body.substr(at + from.size())}, slot);
}

}  // namespace

TEST_CASE("Order: pgsim's answer with terminal details") {
  json_init();
  const FieldStatus s = decode_order(g_arena, gateway_test::kPgsimOrder, g_order);
  REQUIRE(s.ok());
  CHECK(g_order.order_id == "POS-1");
  CHECK(g_order.cf_order_id == "2946750545");
  CHECK(g_order.order_status == OrderStatus::kActive);
  CHECK(g_order.order_status_text == "ACTIVE");
  CHECK(g_order.payment_session_id == "session_wcX9DbtroKfrRVhGMLj8oLzZ2_t4dsdJJvYminni4ptFBhuMiHqfhKYe4wMmZWe7");
  CHECK(g_order.order_amount_paise == 49900);
  REQUIRE(g_order.order_expiry_time.has_value());
  CHECK(g_order.order_expiry_time->format().view() == "2030-01-01T10:00:00+05:30");
}

TEST_CASE("Order: the spec's shape (space-separated time, long session id, terminal_data null)") {
  json_init();
  REQUIRE(decode_order(g_arena, gateway_test::kSpecOrder, g_order).ok());
  CHECK(g_order.order_id == "order_3242Tq4Edj9CC5RDcMeobmJOWOBJij");
  CHECK(g_order.cf_order_id == "2149460581");
  CHECK(g_order.order_amount_paise == 2200);
  CHECK(g_order.payment_session_id == gateway_test::kSpecSessionId);
  CHECK(g_order.payment_session_id.size() > 150);
  REQUIRE(g_order.order_expiry_time.has_value());
  CHECK(*g_order.order_expiry_time == *Timestamp::parse("2023-09-09T18:02:46+05:30"));
}

TEST_CASE("Order: every status, and unknown ones as kUnknown with their text") {
  json_init();
  struct Row {
    std::string_view text;
    OrderStatus status;
  };
  constexpr Row kRows[] = {
      {"ACTIVE", OrderStatus::kActive},         {"PAID", OrderStatus::kPaid},
      {"EXPIRED", OrderStatus::kExpired},       {"TERMINATED", OrderStatus::kTerminated},
      {"TERMINATION_REQUESTED", OrderStatus::kTerminationRequested},
      {"ON_HOLD", OrderStatus::kUnknown},       {"paid", OrderStatus::kUnknown},
      {"UNKNOWN", OrderStatus::kUnknown},       {"", OrderStatus::kUnknown},
  };
  for (const Row& row : kRows) {
    const std::string_view body =
        edit(gateway_test::kPgsimOrder, R"("order_status":"ACTIVE")",
             concat({R"("order_status":")", row.text, "\""}, 1));
    const FieldStatus s = decode_order(g_arena, body, g_order);
    GW_CHECK_CTX(s.ok(), ctx(row.text));
    GW_CHECK_CTX(g_order.order_status == row.status, ctx(row.text));
    GW_CHECK_CTX(g_order.order_status_text == row.text, ctx(row.text));
    if (row.status != OrderStatus::kUnknown) GW_CHECK_CTX(to_string(row.status) == row.text, ctx(row.text));
  }
  // Longer than any value we know: still kUnknown, the text left out.
  const std::string_view body = edit(gateway_test::kPgsimOrder, R"("order_status":"ACTIVE")",
                                     concat({R"("order_status":")", repeat('X', 200), "\""}, 1));
  REQUIRE(decode_order(g_arena, body, g_order).ok());
  CHECK(g_order.order_status == OrderStatus::kUnknown);
  CHECK(g_order.order_status_text.empty());
}

TEST_CASE("Order: amounts are read exactly from the number's text") {
  json_init();
  struct Row {
    std::string_view json;
    std::int64_t paise;  // -1: refused as kParseError
  };
  constexpr Row kRows[] = {
      {"499", 49900},     {"499.0", 49900},   {"499.00", 49900}, {"2299.5", 229950}, {"10.15", 1015},
      {"\"499.00\"", 49900}, {"1", 100},       {"1000000", 100000000},
      {"1e3", -1},        {"1.005", -1},      {"-5", -1},        {"0.5", -1},        {"true", -1},
      {"null", -1},       {"\"abc\"", -1},    {"1000000.01", -1},
  };
  for (const Row& row : kRows) {
    const std::string_view body =
        edit(gateway_test::kPgsimOrder, R"("order_amount":499,)", concat({R"("order_amount":)", row.json, ","}, 1));
    const FieldStatus s = decode_order(g_arena, body, g_order);
    if (row.paise < 0) {
      GW_CHECK_CTX(s.code() == Code::kParseError, ctx(row.json));
      GW_CHECK_CTX(s.key() == "order_amount", ctx(row.json));
    } else {
      GW_CHECK_CTX(s.ok(), ctx(row.json));
      GW_CHECK_CTX(g_order.order_amount_paise == row.paise, ctx(row.json));
    }
  }
}

TEST_CASE("Order: optional fields may be null or absent; cf_order_id may be an integer") {
  json_init();
  std::string_view body = edit(gateway_test::kPgsimOrder, R"("payment_session_id":"session_wcX9DbtroKfrRVhGMLj8oLzZ2_t4dsdJJvYminni4ptFBhuMiHqfhKYe4wMmZWe7")",
                               R"("payment_session_id":null)", 1);
  body = edit(body, R"("order_expiry_time":"2030-01-01T10:00:00+05:30")", R"("order_expiry_time":null)", 2);
  body = edit(body, R"("cf_order_id":"2946750545")", R"("cf_order_id":2946750545)", 3);
  REQUIRE(decode_order(g_arena, body, g_order).ok());
  CHECK(g_order.payment_session_id.empty());
  CHECK_FALSE(g_order.order_expiry_time.has_value());
  CHECK(g_order.cf_order_id == "2946750545");

  // The smallest answer with every required field.
  REQUIRE(decode_order(g_arena, R"({"order_id":"POS-1","cf_order_id":"1","order_status":"PAID","order_amount":1.5})",
                       g_order)
              .ok());
  CHECK(g_order.order_amount_paise == 150);
  CHECK(g_order.order_status == OrderStatus::kPaid);
}

TEST_CASE("Order: missing or mistyped required fields are kParseError naming the field") {
  json_init();
  struct Row {
    std::string_view from;
    std::string_view to;
    std::string_view field;
  };
  constexpr Row kRows[] = {
      {R"("order_id":"POS-1",)", "", "order_id"},
      {R"("order_id":"POS-1",)", R"("order_id":null,)", "order_id"},
      {R"("order_id":"POS-1",)", R"("order_id":7,)", "order_id"},
      {R"("cf_order_id":"2946750545",)", "", "cf_order_id"},
      {R"("cf_order_id":"2946750545",)", R"("cf_order_id":"",)", "cf_order_id"},
      {R"("cf_order_id":"2946750545",)", R"("cf_order_id":-4,)", "cf_order_id"},
      {R"("cf_order_id":"2946750545",)", R"("cf_order_id":1.5,)", "cf_order_id"},
      {R"("order_status":"ACTIVE",)", "", "order_status"},
      {R"("order_status":"ACTIVE",)", R"("order_status":1,)", "order_status"},
      {R"("order_amount":499,)", "", "order_amount"},
      {R"("payment_session_id":"session_)", R"("payment_session_id":7,"x":"session_)", "payment_session_id"},
      {R"("order_expiry_time":"2030-01-01T10:00:00+05:30")", R"("order_expiry_time":"2030-01-01 10:00")",
       "order_expiry_time"},
      {R"("order_expiry_time":"2030-01-01T10:00:00+05:30")", R"("order_expiry_time":"2030-02-30T10:00:00Z")",
       "order_expiry_time"},
      {R"("order_id":"POS-1",)", R"("order_id":"POS-1","order_id":"POS-2",)", "order_id"},
  };
  for (const Row& row : kRows) {
    const FieldStatus s = decode_order(g_arena, edit(gateway_test::kPgsimOrder, row.from, row.to), g_order);
    GW_CHECK_CTX(s.code() == Code::kParseError, ctx(row.to));
    GW_CHECK_CTX(s.key() == row.field, ctx(row.to));
    GW_CHECK_CTX(gateway_test::fits_line(s.message()), ctx(row.to));
  }
}

TEST_CASE("Order: oversized fields are kCapacityExceeded, never cut") {
  json_init();
  // order_id at its capacity fits; one more does not.
  std::string_view body = edit(gateway_test::kPgsimOrder, R"("order_id":"POS-1")",
                               concat({R"("order_id":")", repeat('A', kOrderIdCapacity), "\""}, 1));
  REQUIRE(decode_order(g_arena, body, g_order).ok());
  CHECK(g_order.order_id.size() == kOrderIdCapacity);
  body = edit(gateway_test::kPgsimOrder, R"("order_id":"POS-1")",
              concat({R"("order_id":")", repeat('A', kOrderIdCapacity + 1), "\""}, 1));
  FieldStatus s = decode_order(g_arena, body, g_order);
  CHECK(s.code() == Code::kCapacityExceeded);
  CHECK(s.key() == "order_id");

  body = edit(gateway_test::kPgsimOrder, R"("payment_session_id":"session_)",
              concat({R"("payment_session_id":")", repeat('s', kSessionIdCapacity + 1), R"(","x":"session_)"}, 1));
  s = decode_order(g_arena, body, g_order);
  CHECK(s.code() == Code::kCapacityExceeded);
  CHECK(s.key() == "payment_session_id");

  body = edit(gateway_test::kPgsimOrder, R"("cf_order_id":"2946750545")",
              concat({R"("cf_order_id":")", repeat('9', kCfIdCapacity + 1), "\""}, 1));
  CHECK(decode_order(g_arena, body, g_order).code() == Code::kCapacityExceeded);
}

TEST_CASE("Order: not JSON, not an object, or too big for the arena") {
  json_init();
  CHECK(decode_order(g_arena, "", g_order).code() == Code::kParseError);
  CHECK(decode_order(g_arena, "<html>502 Bad Gateway</html>", g_order).code() == Code::kParseError);
  CHECK(decode_order(g_arena, gateway_test::kPgsimOrder.substr(0, 300), g_order).code() == Code::kParseError);
  CHECK(decode_order(g_arena, "[]", g_order).code() == Code::kParseError);
  CHECK(decode_order(g_arena, "\"order\"", g_order).code() == Code::kParseError);
  static JsonArena<512> small;
  const FieldStatus s = decode_order(small, gateway_test::kPgsimOrder, g_order);
  CHECK(s.code() == Code::kCapacityExceeded);
}

TEST_CASE("UPI link: pgsim's answer gives the default intent") {
  json_init();
  REQUIRE(decode_upi_pay_order(g_arena, gateway_test::kPgsimPayLink, UpiChannel::kLink, g_pay, nullptr).ok());
  CHECK(g_pay.cf_payment_id == "5992249169");
  CHECK(g_pay.action == PayAction::kCustom);
  CHECK(g_pay.channel == UpiChannel::kLink);
  CHECK(g_pay.payment_amount_paise == 49900);
  CHECK(g_pay.intent.view() == gateway_test::kPgsimIntent);
}

TEST_CASE("UPI link: production-shaped answer, numeric cf_payment_id, unknown action") {
  json_init();
  constexpr std::string_view kBody =
      R"({"action":"intent_v2","cf_payment_id":885899755,"channel":"link","data":{"url":null,)"
      R"("payload":{"default":"upi://pay?pa=cashfree@testbank&pn=Cashfree&tr=885899755&am=200.50&cu=INR&mc=5732",)"
      R"("gpay":"tez://upi/pay?pa=cashfree@testbank"},"content_type":null,"method":null},"payment_method":"upi"})";
  REQUIRE(decode_upi_pay_order(g_arena, kBody, UpiChannel::kLink, g_pay, nullptr).ok());
  CHECK(g_pay.cf_payment_id == "885899755");
  CHECK(g_pay.action == PayAction::kUnknown);
  CHECK(g_pay.action_text == "intent_v2");
  CHECK(g_pay.payment_amount_paise == 0);  // absent
  CHECK(g_pay.intent == "upi://pay?pa=cashfree@testbank&pn=Cashfree&tr=885899755&am=200.50&cu=INR&mc=5732");
}

TEST_CASE("UPI link: the intent up to its capacity; missing pieces are kParseError") {
  json_init();
  const std::string_view longest = repeat('u', kIntentCapacity);
  std::string_view body = concat({R"({"action":"custom","cf_payment_id":"1","data":{"payload":{"default":")",
                                  longest, R"("}}})"}, 1);
  REQUIRE(decode_upi_pay_order(g_arena, body, UpiChannel::kLink, g_pay, nullptr).ok());
  CHECK(g_pay.intent.view() == longest);
  body = concat({R"({"action":"custom","cf_payment_id":"1","data":{"payload":{"default":")",
                 repeat('u', kIntentCapacity + 1), R"("}}})"}, 1);
  FieldStatus s = decode_upi_pay_order(g_arena, body, UpiChannel::kLink, g_pay, nullptr);
  CHECK(s.code() == Code::kCapacityExceeded);
  CHECK(s.key() == "default");

  struct Row {
    std::string_view body;
    std::string_view field;
  };
  constexpr Row kRows[] = {
      {R"({"action":"custom","cf_payment_id":"1","data":{"payload":{"gpay":"tez://x"}}})", "default"},
      {R"({"action":"custom","cf_payment_id":"1","data":{"payload":{"default":""}}})", "default"},
      {R"({"action":"custom","cf_payment_id":"1","data":{"payload":null}})", "payload"},
      {R"({"action":"custom","cf_payment_id":"1","data":{"url":null}})", "payload"},
      {R"({"action":"custom","cf_payment_id":"1"})", "data"},
      {R"({"action":"custom","data":{"payload":{"default":"upi://pay"}}})", "cf_payment_id"},
      {R"({"cf_payment_id":"1","data":{"payload":{"default":"upi://pay"}}})", "action"},
      {R"({"action":"custom","cf_payment_id":"1","payment_amount":"x","data":{"payload":{"default":"u"}}})",
       "payment_amount"},
  };
  for (const Row& row : kRows) {
    s = decode_upi_pay_order(g_arena, row.body, UpiChannel::kLink, g_pay, nullptr);
    GW_CHECK_CTX(s.code() == Code::kParseError, ctx(row.body));
    GW_CHECK_CTX(s.key() == row.field, ctx(row.body));
  }
}

TEST_CASE("UPI qrcode: the data URL goes to the caller's buffer; the PNG is decoded on request") {
  json_init();
  g_qr.clear();
  StringSpan qr = g_qr.span();
  REQUIRE(decode_upi_pay_order(g_arena, gateway_test::kPayQrcode, UpiChannel::kQrcode, g_pay, &qr).ok());
  CHECK(g_pay.cf_payment_id == "5992249170");
  CHECK(g_pay.channel == UpiChannel::kQrcode);
  CHECK(g_pay.intent.empty());
  CHECK(g_qr.view() == gateway_test::kTinyPngDataUrl);  // "\/" unescaped

  const Result<std::size_t> png = decode_qr_png(g_qr.view(), g_png);
  REQUIRE(png.ok());
  REQUIRE(*png == sizeof(gateway_test::kTinyPng));
  CHECK(std::memcmp(g_png.data(), gateway_test::kTinyPng, *png) == 0);

  // No room given: refused, not dropped silently.
  CHECK(decode_upi_pay_order(g_arena, gateway_test::kPayQrcode, UpiChannel::kQrcode, g_pay, nullptr).code() ==
        Code::kInvalidArgument);
  // Room too small: kCapacityExceeded, the buffer left as it was.
  FixedString<32> small;
  (void)small.assign("untouched");
  StringSpan small_span = small.span();
  CHECK(decode_upi_pay_order(g_arena, gateway_test::kPayQrcode, UpiChannel::kQrcode, g_pay, &small_span).code() ==
        Code::kCapacityExceeded);
  CHECK(small == "untouched");
  // Missing qrcode.
  CHECK(decode_upi_pay_order(g_arena, R"({"action":"custom","cf_payment_id":"1","data":{"payload":{"default":"u"}}})",
                             UpiChannel::kQrcode, g_pay, &qr)
            .key() == "qrcode");
}

TEST_CASE("UPI qrcode: a several-KB image passes through buffers sized for it") {
  json_init();
  // A 4.5 KB "PNG": the signature and then filler, about pgsim's size.
  static std::array<std::uint8_t, 4500> image;
  for (std::size_t i = 0; i < image.size(); ++i) image[i] = static_cast<std::uint8_t>(i * 7);
  std::memcpy(image.data(), gateway_test::kTinyPng, 8);
  static std::array<char, 6100> encoded;
  const Result<std::size_t> n = base64_encode(image, encoded);
  REQUIRE(n.ok());
  const std::string_view url = concat({"data:image/png;base64,", std::string_view(encoded.data(), *n)}, 2);
  const std::string_view body = concat(
      {R"({"action":"custom","cf_payment_id":"7","channel":"qrcode","data":{"payload":{"qrcode":")", url,
       R"("}},"payment_amount":499})"},
      1);
  g_qr.clear();
  StringSpan qr = g_qr.span();
  REQUIRE(decode_upi_pay_order(g_arena, body, UpiChannel::kQrcode, g_pay, &qr).ok());
  CHECK(g_qr.view() == url);
  const Result<std::size_t> png = decode_qr_png(g_qr.view(), g_png);
  REQUIRE(png.ok());
  CHECK(*png == image.size());
  CHECK(std::memcmp(g_png.data(), image.data(), image.size()) == 0);
  // The image decoded into a buffer too small for it: refused.
  std::array<std::uint8_t, 1024> small{};
  CHECK(decode_qr_png(g_qr.view(), small).status().code() == Code::kCapacityExceeded);
  // The arena must hold the whole answer: a 4 KB arena cannot.
  static JsonArena<4096> arena4k;
  CHECK(decode_upi_pay_order(arena4k, body, UpiChannel::kQrcode, g_pay, &qr).code() == Code::kCapacityExceeded);
}

TEST_CASE("decode_qr_png refuses what is not a PNG data URL") {
  constexpr std::string_view kRows[] = {
      "",
      "data:image/png;base64,",
      "data:image/jpeg;base64,iVBORw0KGgo=",
      "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAADElEQVR4nGNg+A+EAAYAAf+T0eSJAAAAAElFTkSuQmCC",
      "data:image/png;base64,iVBORw0KGgo",       // not a multiple of 4
      "data:image/png;base64,iVBO Rw0KGgo=",     // whitespace
      "data:image/png;base64,R0lGODlhAQABAAAAACw=",  // a GIF
      "data:image/png;base64,iVBORw==",          // shorter than the signature
  };
  for (std::string_view row : kRows) {
    const Result<std::size_t> r = decode_qr_png(row, g_png);
    GW_CHECK_CTX(r.status().code() == Code::kParseError, ctx(row));
  }
}

TEST_CASE("Payments: pgsim's FAILED then SUCCESS attempts, in order") {
  json_init();
  REQUIRE(decode_payments(g_arena, gateway_test::kPgsimPayments, g_list).ok());
  REQUIRE(g_list.count == 2);
  const PaymentAttempt& failed = g_list.attempts[0];
  CHECK(failed.cf_payment_id == "5992249169");
  CHECK(failed.payment_status == PaymentStatus::kFailed);
  CHECK(failed.bank_reference.empty());
  CHECK(failed.payment_message == "01::Declined");
  CHECK(failed.error_code == "TRANSACTION_DECLINED");
  CHECK(failed.error_description == "the payment was declined (simulate)");
  CHECK(failed.payment_amount_paise == 49900);
  const PaymentAttempt& paid = g_list.attempts[1];
  CHECK(paid.cf_payment_id == "5992249170");
  CHECK(paid.payment_status == PaymentStatus::kSuccess);
  CHECK(paid.bank_reference == "216392389638");
  CHECK(paid.payment_message == "00::Paid (pgsim)");
  CHECK(paid.error_code.empty());
  CHECK(g_list.success() == &g_list.attempts[1]);
  CHECK(is_final(failed.payment_status));
}

TEST_CASE("Payments: each status, unknown ones kept as text") {
  json_init();
  struct Row {
    std::string_view text;
    PaymentStatus status;
    bool final;
  };
  constexpr Row kRows[] = {
      {"SUCCESS", PaymentStatus::kSuccess, true},       {"NOT_ATTEMPTED", PaymentStatus::kNotAttempted, false},
      {"FAILED", PaymentStatus::kFailed, true},         {"USER_DROPPED", PaymentStatus::kUserDropped, true},
      {"VOID", PaymentStatus::kVoid, true},             {"CANCELLED", PaymentStatus::kCancelled, true},
      {"PENDING", PaymentStatus::kPending, false},      {"FLAGGED", PaymentStatus::kUnknown, false},
  };
  for (const Row& row : kRows) {
    const std::string_view attempt = edit(gateway_test::kPgsimAttempt, R"("payment_status":"NOT_ATTEMPTED")",
                                          concat({R"("payment_status":")", row.text, "\""}, 1));
    const std::string_view body = concat({"[", attempt, "]"}, 2);
    REQUIRE(decode_payments(g_arena, body, g_list).ok());
    REQUIRE(g_list.count == 1);
    GW_CHECK_CTX(g_list.attempts[0].payment_status == row.status, ctx(row.text));
    GW_CHECK_CTX(g_list.attempts[0].payment_status_text == row.text, ctx(row.text));
    GW_CHECK_CTX(is_final(row.status) == row.final, ctx(row.text));
    GW_CHECK_CTX((g_list.success() != nullptr) == (row.status == PaymentStatus::kSuccess), ctx(row.text));
  }
}

TEST_CASE("Payments: none, up to the cap, and one past it") {
  json_init();
  REQUIRE(decode_payments(g_arena, " [ ] ", g_list).ok());
  CHECK(g_list.count == 0);
  CHECK(g_list.success() == nullptr);

  // Eight pgsim attempts, each parsed on its own: an arena that holds one
  // attempt (not eight) is enough.
  static FixedString<8192> eight;
  eight.clear();
  REQUIRE(eight.push_back('['));
  for (std::size_t i = 0; i < kMaxPaymentAttempts; ++i) {
    if (i > 0) REQUIRE(eight.append(",\n  "));
    REQUIRE(eight.append(gateway_test::kPgsimAttempt));
  }
  REQUIRE(eight.push_back(']'));
  // One attempt takes ~3.3 KB of arena on x86_64 (64-byte cJSON nodes),
  // ~2.3 KB with 32-bit pointers; the eight together are ~6.4 KB of text.
  static JsonArena<4096> one_attempt;
  REQUIRE(eight.size() > 4096);
  REQUIRE(decode_payments(one_attempt, eight.view(), g_list).ok());
  CHECK(g_list.count == kMaxPaymentAttempts);
  CHECK(one_attempt.peak() < 4096);

  REQUIRE(eight.view().back() == ']');
  static FixedString<8192> nine;
  (void)nine.assign(eight.view().substr(0, eight.size() - 1));
  REQUIRE(nine.push_back(','));
  REQUIRE(nine.append(gateway_test::kPgsimAttempt));
  REQUIRE(nine.push_back(']'));
  const FieldStatus s = decode_payments(g_arena, nine.view(), g_list);
  CHECK(s.code() == Code::kCapacityExceeded);
  CHECK(gateway_test::fits_line(s.message()));
}

TEST_CASE("Payments: strings with brackets, escapes and commas do not split elements") {
  json_init();
  constexpr std::string_view kBody =
      R"([{"cf_payment_id":"1","payment_status":"FAILED","payment_amount":1,"payment_message":"01::]},[\"x\",{"},)"
      "\n"
      R"({"cf_payment_id":"2","payment_status":"SUCCESS","payment_amount":1.5,"payment_message":"a\\\"]"}])";
  REQUIRE(decode_payments(g_arena, kBody, g_list).ok());
  REQUIRE(g_list.count == 2);
  CHECK(g_list.attempts[0].payment_message == "01::]},[\"x\",{");
  CHECK(g_list.attempts[1].payment_message == "a\\\"]");
  CHECK(g_list.attempts[1].payment_amount_paise == 150);
}

TEST_CASE("Payments: malformed lists are kParseError") {
  json_init();
  constexpr std::string_view kRows[] = {
      "",
      "{}",
      "null",
      "[",
      "[{\"cf_payment_id\":\"1\"",
      R"([{"cf_payment_id":"1","payment_status":"SUCCESS","payment_amount":1})",
      R"([{"cf_payment_id":"1","payment_status":"SUCCESS","payment_amount":1}] x)",
      R"([{"cf_payment_id":"1","payment_status":"SUCCESS","payment_amount":1},])",
      R"([,{"cf_payment_id":"1","payment_status":"SUCCESS","payment_amount":1}])",
      R"([{"cf_payment_id":"1","payment_status":"SUCCESS","payment_amount":1}}])",
      R"([{"cf_payment_id":"1","payment_status":"SUCCESS","payment_amount":1] ])",
      R"(["payment"])",
      R"([{"cf_payment_id":"1","payment_status":"SUCCESS","payment_amount":1,"x":"unterminated])",
      R"([{"payment_status":"SUCCESS","payment_amount":1}])",
      R"([{"cf_payment_id":"1","payment_amount":1}])",
      R"([{"cf_payment_id":"1","payment_status":"SUCCESS"}])",
      R"([{"cf_payment_id":"1","payment_status":"SUCCESS","payment_amount":1,"error_details":"x"}])",
      R"([{"cf_payment_id":"1","payment_status":"SUCCESS","payment_amount":1,"bank_reference":12}])",
  };
  for (std::string_view row : kRows) {
    const FieldStatus s = decode_payments(g_arena, row, g_list);
    GW_CHECK_CTX(s.code() == Code::kParseError, ctx(row));
  }
  // Deep nesting is refused by the splitter before cJSON sees it.
  const std::string_view deep = concat({"[", repeat('[', 100), repeat(']', 100, 1), "]"}, 2);
  CHECK(decode_payments(g_arena, deep, g_list).code() == Code::kParseError);
}

TEST_CASE("Payments: nulls for optional fields; oversized data is kCapacityExceeded, oversized display text is cut") {
  json_init();
  REQUIRE(decode_payments(g_arena,
                          R"([{"cf_payment_id":"1","payment_status":"PENDING","payment_amount":"2.00","bank_reference":null,)"
                          R"("payment_message":null,"error_details":{"error_code":null,"error_description":null}}])",
                          g_list)
              .ok());
  CHECK(g_list.attempts[0].payment_amount_paise == 200);
  CHECK(g_list.attempts[0].error_code.empty());

  struct Row {
    std::string_view field;
    std::size_t capacity;
  };
  constexpr Row kRows[] = {
      {"bank_reference", kBankReferenceCapacity},  // data: never cut
  };
  for (const Row& row : kRows) {
    std::string_view body = concat({R"([{"cf_payment_id":"1","payment_status":"FAILED","payment_amount":1,")",
                                    row.field, R"(":")", repeat('x', row.capacity), R"("}])"}, 1);
    GW_CHECK_CTX(decode_payments(g_arena, body, g_list).ok(), ctx(row.field));
    body = concat({R"([{"cf_payment_id":"1","payment_status":"FAILED","payment_amount":1,")", row.field, R"(":")",
                   repeat('x', row.capacity + 1), R"("}])"}, 1);
    const FieldStatus s = decode_payments(g_arena, body, g_list);
    GW_CHECK_CTX(s.code() == Code::kCapacityExceeded, ctx(row.field));
    GW_CHECK_CTX(s.key() == row.field, ctx(row.field));
  }
  // Texts only shown to people are cut, not refused: a bank's long message
  // must not make the payment's status unreadable.
  const std::string_view body = concat(
      {R"([{"cf_payment_id":"1","payment_status":"FAILED","payment_amount":1,"payment_message":")",
       repeat('m', kPaymentMessageCapacity + 7, 1), R"(","error_details":{"error_description":")",
       repeat('d', kErrorDescriptionCapacity + 1, 2), R"("}}])"},
      1);
  REQUIRE(decode_payments(g_arena, body, g_list).ok());
  CHECK(g_list.attempts[0].payment_status == PaymentStatus::kFailed);
  CHECK(g_list.attempts[0].payment_message.size() == kPaymentMessageCapacity);
  CHECK(g_list.attempts[0].error_description.size() == kErrorDescriptionCapacity);
}

TEST_CASE("The default arena holds every answer a sale reads, with room to spare") {
  // Measured peaks: x86_64 / Cortex-M4 (cJSON nodes are 64 / 40 bytes).
  //   pgsim OrderEntity 3256 / 2280, spec OrderEntity 2963 / 2131,
  //   UPI link PayOrderEntity 2228 / 1756, largest PaymentEntity 3860 / 2692.
  json_init();
  static JsonArena<kDefaultArenaBytes> arena;
  REQUIRE(decode_order(arena, gateway_test::kPgsimOrder, g_order).ok());
  REQUIRE(decode_order(arena, gateway_test::kSpecOrder, g_order).ok());
  REQUIRE(decode_upi_pay_order(arena, gateway_test::kPgsimPayLink, UpiChannel::kLink, g_pay, nullptr).ok());
  REQUIRE(decode_payments(arena, gateway_test::kPgsimPayments, g_list).ok());
  CHECK(arena.peak() <= 4096);
}
