// The error table: HTTP status x gateway code x transport outcome -> retry
// decision and screen line, row by row; rate-limit header parsing; the
// gateway's texts cut safely.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/gateway/pg_error.hpp"
#include "core/gateway/pg_types.hpp"
#include "core/json/json_arena.hpp"
#include "gateway_test_support.hpp"

using namespace posagent;
using namespace posagent::gateway;
using gateway_test::ctx;
using gateway_test::fits_line;

namespace {

JsonArena<4096> g_arena;

using R = RetryDecision;

}  // namespace

TEST_CASE("Every non-2xx status and code maps to a decision and a screen line") {
  json_init();
  struct Row {
    int status;
    std::string_view code;
    RetryDecision retry;
    std::string_view screen;
  };
  constexpr Row kRows[] = {
      {400, "request_failed", R::kStop, "Pay mode not enabled"},  // a payment mode not configured
      {400, "order_amount_invalid", R::kStop, "Check amount"},
      {400, "some_new_code", R::kStop, "Request refused"},
      {400, "order_inactive", R::kStop, "Order not active"},     // terminate of a PAID/EXPIRED order
      {400, "version_missing", R::kStop, "Check settings"},
      {400, "version_invalid", R::kStop, "Check settings"},
      {400, "", R::kStop, "Request refused"},
      {401, "request_failed", R::kStop, "Check settings"},       // authentication_error
      {403, "", R::kStop, "Check settings"},
      {404, "orderpay_not_found", R::kStop, "Order not active"}, // order pay on a closed order
      {404, "order_not_found", R::kStop, "Order not found"},
      {404, "", R::kStop, "Order not found"},
      {405, "", R::kStop, "Request refused"},
      {408, "", R::kRetrySameKey, "Try again"},
      {409, "order_already_exists", R::kStop, "Order already exists"},
      {409, "request_failed", R::kStop, "Request conflict"},
      {413, "", R::kStop, "Request refused"},
      {422, "request_invalid", R::kStop, "Request conflict"},    // idempotency_error
      {429, "request_failed", R::kRetryAfter, "Gateway busy"},
      {500, "internal_error", R::kRetrySameKey, "Try again"},
      {502, "bank_processing_failure", R::kRetrySameKey, "Bank busy, try again"},
      {502, "", R::kRetrySameKey, "Try again"},
      {503, "", R::kRetrySameKey, "Try again"},
      {504, "", R::kRetrySameKey, "Try again"},
      {599, "", R::kRetrySameKey, "Try again"},
      {302, "", R::kStop, "Gateway error"},
      {304, "", R::kStop, "Gateway error"},
      {600, "", R::kStop, "Gateway error"},
  };
  for (const Row& row : kRows) {
    GW_CHECK_CTX(classify_http(row.status, row.code) == row.retry, row.status << " " << ctx(row.code));
    const char* screen = screen_message_for_http(row.status, row.code);
    GW_CHECK_CTX(std::string_view(screen) == row.screen, row.status << " " << ctx(row.code));
    GW_CHECK_CTX(fits_line(screen), row.status << " " << ctx(row.code));
  }
}

TEST_CASE("A gateway error body: code, type and message read; decision from status and code") {
  json_init();
  struct Row {
    int status;
    std::string_view body;
    std::string_view code;
    std::string_view type;
    RetryDecision retry;
    std::string_view screen;
  };
  const Row rows[] = {
      {400, gateway_test::kOrderInactive, "order_inactive", "invalid_request_error", R::kStop, "Order not active"},
      {404, gateway_test::kOrderPayNotFound, "orderpay_not_found", "invalid_request_error", R::kStop,
       "Order not active"},
      {409, gateway_test::kOrderExists, "order_already_exists", "invalid_request_error", R::kStop,
       "Order already exists"},
      {422, R"({"code":"request_invalid","message":"x-idempotency-key : this key was used with a different request body","type":"idempotency_error"})",
       "request_invalid", "idempotency_error", R::kStop, "Request conflict"},
      {401, R"({"message":"authentication Failed","code":"request_failed","type":"authentication_error"})",
       "request_failed", "authentication_error", R::kStop, "Check settings"},
      {500, R"({"message":"internal Server Error","code":"internal_error","type":"api_error"})", "internal_error",
       "api_error", R::kRetrySameKey, "Try again"},
      {502, R"({"message":"bank failed","code":"bank_processing_failure","type":"api_error","help":"see logs"})",
       "bank_processing_failure", "api_error", R::kRetrySameKey, "Bank busy, try again"},
      // A proxy's page, not JSON: no code, the status decides.
      {502, "<html><body>502 Bad Gateway</body></html>", "", "", R::kRetrySameKey, "Try again"},
      {503, "", "", "", R::kRetrySameKey, "Try again"},
      // Fields of the wrong type are ignored, not fatal.
      {400, R"({"code":7,"type":null,"message":["x"]})", "", "", R::kStop, "Request refused"},
  };
  for (const Row& row : rows) {
    const GatewayError e = error_from_response(row.status, row.body, {}, g_arena);
    GW_CHECK_CTX(e.origin == ErrorOrigin::kGateway, ctx(row.body));
    GW_CHECK_CTX(e.http_status == row.status, ctx(row.body));
    GW_CHECK_CTX(e.code == row.code, ctx(row.body));
    GW_CHECK_CTX(e.type == row.type, ctx(row.body));
    GW_CHECK_CTX(e.retry == row.retry, ctx(row.body));
    GW_CHECK_CTX(std::string_view(e.screen_message) == row.screen, ctx(row.body));
    GW_CHECK_CTX(e.request_sent && e.response_started, ctx(row.body));
    GW_CHECK_CTX(!e.status.ok(), ctx(row.body));
  }
  const GatewayError e = error_from_response(409, gateway_test::kOrderExists, {}, g_arena);
  CHECK(e.message == "order with same id is already present");
}

// The card, Native OTP and pre-authorisation codes (Order Pay's error
// table, Submit OTP, Authorize Order), each with the status Cashfree (or
// pgsim) sends it with: decision, screen line and whether the card may be
// read again. Written out here, not derived from the table, so a changed
// row fails.
namespace {
struct CardRow {
  int status;
  std::string_view code;
  RetryDecision retry;
  std::string_view screen;
  bool card_reentry;
};
constexpr CardRow kCardRows[] = {
    {400, "card_number_invalid", R::kStop, "Check card number", true},
    {400, "card_number_missing", R::kStop, "Enter card number", true},
    {400, "card_cvv_invalid", R::kStop, "Check CVV", true},
    {400, "card_cvv_missing", R::kStop, "Enter CVV", true},
    {400, "card_expiry_mm_invalid", R::kStop, "Card expired?", true},
    {400, "card_expiry_mm_missing", R::kStop, "Enter expiry date", true},
    {400, "card_expiry_yy_invalid", R::kStop, "Card expired?", true},
    {400, "card_expiry_yy_missing", R::kStop, "Enter expiry date", true},
    {400, "card_invalid", R::kStop, "Read card again", true},
    {404, "card_not_found", R::kStop, "Card not found", true},
    {400, "card_bank_name_missing", R::kStop, "Request refused", false},  // EMI: never asked for
    {400, "card_bank_name_invalid", R::kStop, "Request refused", false},
    {400, "emi_tenure_missing", R::kStop, "Request refused", false},
    {400, "request_invalid", R::kStop, "Card needs INR order", false},  // Indian card, non-INR order
    {502, "bank_processing_failure", R::kRetrySameKey, "Bank busy, try again", false},
    {404, "orderpay_not_found", R::kStop, "Order not active", false},
    {400, "payment_method_invalid", R::kStop, "Request refused", false},  // our request malformed
    {400, "payment_method_missing", R::kStop, "Request refused", false},
    {400, "payment_method_unsupported", R::kStop, "Card not supported", false},
    {400, "request_failed", R::kStop, "Pay mode not enabled", false},
    {400, "order_amount_invalid", R::kStop, "Check amount", false},
    {400, "card_unsupported", R::kStop, "Card not supported", false},
    {400, "card_submission_disabled", R::kStop, "Card entry disabled", false},
    {400, "native_otp_session_id_invalid", R::kStop, "OTP session ended", false},
    // Submit / Resend OTP.
    {400, "cf_payment_id_invalid", R::kStop, "Payment closed", false},
    {400, "cf_payment_id_missing", R::kStop, "Request refused", false},
    {404, "payment_not_found", R::kStop, "Payment not found", false},
    // Authorize Order (capture / void).
    {400, "action_missing", R::kStop, "Request refused", false},
    {400, "action_invalid", R::kStop, "Request refused", false},
    {400, "amount_missing", R::kStop, "Request refused", false},
    {400, "amount_invalid", R::kStop, "Check capture amount", false},
    {409, "payment_already_captured", R::kStop, "Already captured", false},  // a second capture
    {400, "payment_already_captured", R::kStop, "Already captured", false},  // void after capture
    {409, "payment_already_voided", R::kStop, "Already voided", false},      // a second void
    {400, "payment_already_voided", R::kStop, "Already voided", false},      // capture after void
    {404, "authorization_not_found", R::kStop, "No pre-auth found", false},
    {400, "authorization_expired", R::kStop, "Pre-auth expired", false},
};
}  // namespace

TEST_CASE("Card, OTP and pre-authorisation codes: decision, screen line and card re-entry, row by row") {
  json_init();
  for (const CardRow& row : kCardRows) {
    GW_CHECK_CTX(classify_http(row.status, row.code) == row.retry, ctx(row.code));
    GW_CHECK_CTX(std::string_view(screen_message_for_http(row.status, row.code)) == row.screen, ctx(row.code));
    const GatewayCodeRow* table = find_gateway_code(row.status, row.code);
    GW_CHECK_CTX(table != nullptr, ctx(row.code));
    if (table != nullptr) GW_CHECK_CTX(table->card_reentry == row.card_reentry, ctx(row.code));

    // Through a Cashfree error body, as the client receives it.
    const std::string_view body =
        gateway_test::concat({R"({"message":"refused","code":")", row.code, R"(","type":"invalid_request_error"})"});
    const GatewayError e = error_from_response(row.status, body, {}, g_arena);
    GW_CHECK_CTX(e.code == row.code, ctx(row.code));
    GW_CHECK_CTX(e.http_status == row.status, ctx(row.code));
    GW_CHECK_CTX(e.retry == row.retry, ctx(row.code));
    GW_CHECK_CTX(std::string_view(e.screen_message) == row.screen, ctx(row.code));
    GW_CHECK_CTX(e.card_reentry == row.card_reentry, ctx(row.code));
  }
}

TEST_CASE("The code table: every row fits a line, agrees with its status's decision, and is covered above") {
  for (const GatewayCodeRow& row : gateway_code_table()) {
    const std::string_view code = row.code;
    GW_CHECK_CTX(fits_line(row.screen_message), ctx(code));
    // A code never overrides what its status decides (classify_http's rule):
    // the same status with a code nobody knows decides the same.
    const int status = row.http_status == 0 ? 400 : row.http_status;
    GW_CHECK_CTX(row.retry == classify_http(status, "zz_no_such_code"), ctx(code));
    // Only the card's own refusals send the cashier back to the card.
    GW_CHECK_CTX(row.card_reentry == (code.starts_with("card_number") || code.starts_with("card_cvv") ||
                                      code.starts_with("card_expiry") || code == "card_invalid" ||
                                      code == "card_not_found"),
                 ctx(code));
    // Every row is one the walk above expects, with the same line.
    bool listed = false;
    for (const CardRow& expected : kCardRows) listed = listed || expected.code == code;
    const bool older = code == "version_missing" || code == "version_invalid" || code == "order_inactive" ||
                       code == "order_already_exists";
    GW_CHECK_CTX(listed || older, ctx(code));
  }
  // Codes are matched with their status: the same text elsewhere is not the row.
  CHECK(find_gateway_code(422, "request_invalid") == nullptr);  // idempotency_error
  CHECK(find_gateway_code(401, "request_failed") == nullptr);   // authentication_error
  CHECK(find_gateway_code(429, "request_failed") == nullptr);   // rate_limit_error
  CHECK(find_gateway_code(500, "payment_already_captured") == nullptr);
  CHECK(find_gateway_code(400, "") == nullptr);
  const GatewayError plain = error_from_response(400, R"({"code":"request_failed"})", {}, g_arena);
  CHECK_FALSE(plain.card_reentry);
  const GatewayError auth = error_from_response(401, R"({"code":"request_failed"})", {}, g_arena);
  CHECK(std::string_view(auth.screen_message) == "Check settings");
  CHECK_FALSE(error_from_exchange(http::ExchangeResult{}).card_reentry);
}

TEST_CASE("429: retry seconds from x-ratelimit-retry, then Retry-After, else the default") {
  json_init();
  struct Row {
    std::optional<std::string_view> ratelimit_retry;
    std::optional<std::string_view> retry_after;
    std::uint32_t seconds;
  };
  const Row rows[] = {
      {"3", std::nullopt, 3},
      {"59", "1", 59},
      {" 7 ", std::nullopt, 7},
      {"0", std::nullopt, 1},  // "within the limit" contradicts the 429: wait a second
      {std::nullopt, "12", 12},
      {"soon", "9", 9},
      {"", "Wed, 21 Oct 2015 07:28:00 GMT", kDefaultRetryAfterSeconds},
      {std::nullopt, std::nullopt, kDefaultRetryAfterSeconds},
      {"-3", std::nullopt, kDefaultRetryAfterSeconds},
  };
  for (const Row& row : rows) {
    ResponseHints hints;
    hints.ratelimit_retry = row.ratelimit_retry;
    hints.retry_after = row.retry_after;
    const GatewayError e = error_from_response(429, gateway_test::kRateLimited, hints, g_arena);
    GW_CHECK_CTX(e.retry == RetryDecision::kRetryAfter, ctx(row.ratelimit_retry.value_or("-")));
    GW_CHECK_CTX(e.retry_after_s == row.seconds, ctx(row.ratelimit_retry.value_or("-")));
    GW_CHECK_CTX(std::string_view(e.screen_message) == "Gateway busy", ctx(row.ratelimit_retry.value_or("-")));
  }
  // Only a 429 carries a wait.
  ResponseHints hints;
  hints.ratelimit_retry = "30";
  CHECK(error_from_response(503, "", hints, g_arena).retry_after_s == 0);
}

TEST_CASE("parse_retry_seconds: digits only, bounded") {
  struct Row {
    std::string_view text;
    std::optional<std::uint32_t> seconds;
  };
  const Row rows[] = {
      {"0", 0u},          {"1", 1u},          {"59", 59u},         {"007", 7u},        {"\t5 ", 5u},
      {"86400", 86400u},  {"86401", std::nullopt}, {"99999999999999999999", std::nullopt},
      {"", std::nullopt}, {"  ", std::nullopt}, {"-1", std::nullopt}, {"+1", std::nullopt},
      {"1.5", std::nullopt}, {"1 2", std::nullopt}, {"3s", std::nullopt},
      {"Wed, 21 Oct 2015 07:28:00 GMT", std::nullopt},
  };
  for (const Row& row : rows) GW_CHECK_CTX(parse_retry_seconds(row.text) == row.seconds, ctx(row.text));
}

TEST_CASE("Replayed answers are marked: a stored 5xx will replay again under the same key") {
  json_init();
  ResponseHints hints;
  hints.replayed = true;
  const GatewayError e = error_from_response(500, R"({"code":"internal_error","type":"api_error","message":"x"})",
                                             hints, g_arena);
  CHECK(e.replayed);
  CHECK(e.retry == RetryDecision::kRetrySameKey);
}

TEST_CASE("The gateway's texts are cut to their capacity at a character boundary") {
  json_init();
  // 119 ASCII characters, then a 3-byte character that would straddle 120.
  const std::string_view message = gateway_test::concat({gateway_test::repeat('m', 119), "\xE2\x82\xB9 more"}, 1);
  const std::string_view body = gateway_test::concat(
      {R"({"code":")", gateway_test::repeat('c', 60, 2), R"(","type":"api_error","message":")", message, "\"}"}, 3);
  const GatewayError e = error_from_response(500, body, {}, g_arena);
  CHECK(e.code.size() == kGatewayCodeCapacity);
  CHECK(e.message.size() == 119);  // the rupee sign is dropped whole, not split
  CHECK(e.message.view() == gateway_test::repeat('m', 119));
  // A message too long even for the scratch buffer is left empty.
  const std::string_view huge = gateway_test::concat(
      {R"({"code":"internal_error","message":")", gateway_test::repeat('h', 600), "\"}"}, 1);
  const GatewayError h = error_from_response(500, huge, {}, g_arena);
  CHECK(h.code == "internal_error");
  CHECK(h.message.empty());
}

TEST_CASE("Transport outcomes: nothing or part sent is safe; sent without an answer is unknown") {
  struct Row {
    const char* what;
    Status status;
    std::size_t bytes_sent;
    bool written;
    bool started;
    ErrorOrigin origin;
    RetryDecision retry;
    std::string_view screen;
  };
  const Row rows[] = {
      {"connect refused", Status(Code::kConnectionFailed, "connect failed"), 0, false, false,
       ErrorOrigin::kTransport, R::kRetrySameKey, "Network error"},
      {"connect timeout", Status(Code::kTimeout, "timeout"), 0, false, false, ErrorOrigin::kTransport,
       R::kRetrySameKey, "Network error"},
      {"DNS", Status(Code::kConnectionFailed, "dns failed"), 0, false, false, ErrorOrigin::kTransport,
       R::kRetrySameKey, "Network error"},
      {"TLS handshake", Status(Code::kTlsError, "tls failed"), 0, false, false, ErrorOrigin::kTransport,
       R::kRetrySameKey, "Secure link failed"},
      {"bad certificate", Status(Code::kCertificateInvalid, "cert invalid"), 0, false, false,
       ErrorOrigin::kTransport, R::kRetrySameKey, "Secure link failed"},
      {"request refused by the writer", Status(Code::kInvalidArgument, "bad header"), 0, false, false,
       ErrorOrigin::kRequest, R::kStop, "Request invalid"},
      {"request buffer too small", Status(Code::kCapacityExceeded, "request too big"), 0, false, false,
       ErrorOrigin::kRequest, R::kStop, "Request invalid"},
      {"send failed half way", Status(Code::kIoError, "send failed"), 100, false, false, ErrorOrigin::kTransport,
       R::kRetrySameKey, "Network error"},
      {"send timed out half way", Status(Code::kTimeout, "timeout"), 1, false, false, ErrorOrigin::kTransport,
       R::kRetrySameKey, "Network error"},
      {"reset after sending (stale keep-alive, drop fault)", Status(Code::kConnectionClosed, "peer closed"), 500,
       true, false, ErrorOrigin::kTransport, R::kOutcomeUnknown, "No gateway reply"},
      {"no answer before the deadline", Status(Code::kTimeout, "timeout"), 500, true, false,
       ErrorOrigin::kTransport, R::kOutcomeUnknown, "No gateway reply"},
      {"answer cut (stall, truncate)", Status(Code::kConnectionClosed, "peer closed"), 500, true, true,
       ErrorOrigin::kTransport, R::kOutcomeUnknown, "No gateway reply"},
      {"answer stalled", Status(Code::kTimeout, "timeout"), 500, true, true, ErrorOrigin::kTransport,
       R::kOutcomeUnknown, "No gateway reply"},
      {"answer too big for the buffer", Status(Code::kCapacityExceeded, "body too large"), 500, true, true,
       ErrorOrigin::kTransport, R::kOutcomeUnknown, "Reply too large"},
      {"answer not HTTP", Status(Code::kParseError, "bad response"), 500, true, true, ErrorOrigin::kTransport,
       R::kOutcomeUnknown, "Bad gateway reply"},
  };
  for (const Row& row : rows) {
    http::ExchangeResult x;
    x.status = row.status;
    x.bytes_sent = row.bytes_sent;
    x.request_written = row.written;
    x.response_started = row.started;
    const GatewayError e = error_from_exchange(x);
    GW_CHECK_CTX(e.origin == row.origin, row.what);
    GW_CHECK_CTX(e.retry == row.retry, row.what);
    GW_CHECK_CTX(std::string_view(e.screen_message) == row.screen, row.what);
    GW_CHECK_CTX(fits_line(e.screen_message), row.what);
    GW_CHECK_CTX(e.status.code() == row.status.code(), row.what);
    GW_CHECK_CTX(e.http_status == 0, row.what);
    GW_CHECK_CTX(e.request_sent == row.written, row.what);
  }
}

TEST_CASE("Unreadable 2xx answers are outcome unknown; local refusals stop") {
  const GatewayError d =
      error_from_decode(200, FieldStatus(Status(Code::kParseError, "field missing"), "payment_session_id"), true);
  CHECK(d.origin == ErrorOrigin::kResponse);
  CHECK(d.retry == RetryDecision::kOutcomeUnknown);
  CHECK(d.field == "payment_session_id");
  CHECK(d.http_status == 200);
  CHECK(d.replayed);
  CHECK(std::string_view(d.screen_message) == "Bad gateway reply");
  const GatewayError big =
      error_from_decode(200, FieldStatus(Status(Code::kCapacityExceeded, "field too long"), "default"), false);
  CHECK(std::string_view(big.screen_message) == "Reply too large");

  const GatewayError r = error_from_request(Status(Code::kInvalidArgument, "Check settings"), "config");
  CHECK(r.origin == ErrorOrigin::kRequest);
  CHECK(r.retry == RetryDecision::kStop);
  CHECK(std::string_view(r.screen_message) == "Check settings");
  CHECK(r.field == "config");
  const GatewayError long_message =
      error_from_request(Status(Code::kInvalidArgument, "a message far too long for a screen line"));
  CHECK(std::string_view(long_message.screen_message) == "Request invalid");
}

TEST_CASE("Names for logs") {
  CHECK(to_string(RetryDecision::kRetrySameKey) == "retry_same_key");
  CHECK(to_string(RetryDecision::kRetryAfter) == "retry_after");
  CHECK(to_string(RetryDecision::kStop) == "stop");
  CHECK(to_string(RetryDecision::kOutcomeUnknown) == "outcome_unknown");
  CHECK(to_string(ErrorOrigin::kGateway) == "gateway");
  CHECK(to_string(ErrorOrigin::kTransport) == "transport");
  CHECK(to_string(ErrorOrigin::kRequest) == "request");
  CHECK(to_string(ErrorOrigin::kResponse) == "response");
  CHECK(to_string(OrderStatus::kTerminationRequested) == "TERMINATION_REQUESTED");
  CHECK(to_string(PaymentStatus::kUserDropped) == "USER_DROPPED");
  CHECK(to_string(UpiChannel::kQrcode) == "qrcode");
  CHECK(to_string(PayAction::kCustom) == "custom");
  CHECK(to_string(CardChannel::kPost) == "post");
  CHECK(to_string(CardChannel::kLink) == "link");
  CHECK(to_string(OtpAction::kSubmit) == "SUBMIT_OTP");
  CHECK(to_string(OtpAction::kResend) == "RESEND_OTP");
  CHECK(to_string(AuthorizeAction::kCapture) == "CAPTURE");
  CHECK(to_string(AuthorizeAction::kVoid) == "VOID");
  CHECK(to_string(AuthenticateStatus::kFailed) == "FAILED");
  CHECK(to_string(AuthorizationAction::kNone) == "none");
  CHECK(to_string(AuthorizationStatus::kPending) == "PENDING");
  CHECK(parse_authenticate_status("SUCCESS") == AuthenticateStatus::kSuccess);
  CHECK(parse_authenticate_status("success") == AuthenticateStatus::kUnknown);
  CHECK(parse_authorization_action("VOID") == AuthorizationAction::kVoid);
  CHECK(parse_authorization_action("none") == AuthorizationAction::kUnknown);  // null is kNone, never text
  CHECK(parse_authorization_status("SUCCESS") == AuthorizationStatus::kSuccess);
  CHECK(parse_authorization_status("FAILED") == AuthorizationStatus::kUnknown);
}
