// Flowwise's error codes: the decision (core/gateway's) and the screen line
// (Flowwise's table, then core/gateway's), row by row.
#include <doctest/doctest.h>

#include <string_view>

#include "core/flowwise/fw_error.hpp"
#include "core/json/json_arena.hpp"
#include "fw_test_support.hpp"

using namespace posagent;
using namespace posagent::flowwise;
using gateway::RetryDecision;
using fw_test::ctx;
using fw_test::fits_line;

namespace {

JsonArena<2048> g_arena;
using R = RetryDecision;

}  // namespace

TEST_CASE("Every Flowwise code maps to a decision and a screen line of at most 20 characters") {
  json_init();
  struct Row {
    int status;
    std::string_view code;
    FwCall call;
    RetryDecision retry;
    std::string_view screen;
  };
  constexpr Row kRows[] = {
      {400, "payment_already_captured", FwCall::kAuthorize, R::kStop, "Already captured"},
      {400, "payment_already_voided", FwCall::kAuthorize, R::kStop, "Already voided"},
      {400, "payment_not_authorised", FwCall::kAuthorize, R::kStop, "Not authorised"},
      {400, "capture_amount_invalid", FwCall::kAuthorize, R::kStop, "Check capture amount"},
      {400, "payment_method_unsupported", FwCall::kCreatePayment, R::kStop, "Method not allowed"},
      {400, "card_number_invalid", FwCall::kCreatePayment, R::kStop, "Check card number"},
      {400, "card_number_missing", FwCall::kCreatePayment, R::kStop, "Check card number"},
      {400, "card_expiry_mm_invalid", FwCall::kCreatePayment, R::kStop, "Check card expiry"},
      {400, "card_expiry_yy_invalid", FwCall::kCreatePayment, R::kStop, "Check card expiry"},
      {400, "card_cvv_invalid", FwCall::kCreatePayment, R::kStop, "Check CVV"},
      {400, "card_display_invalid", FwCall::kCreatePayment, R::kStop, "Check card details"},
      {400, "token_requestor_id_missing", FwCall::kCreatePayment, R::kStop, "Check card details"},
      {400, "upi_id_invalid", FwCall::kCreatePayment, R::kStop, "Check UPI ID"},
      // netbanking, wallet: pgsim says "not configured", as /pg does.
      {400, "request_failed", FwCall::kCreatePayment, R::kStop, "Pay mode not enabled"},
      {400, "order_amount_invalid", FwCall::kCreateOrder, R::kStop, "Check amount"},
      {400, "expiry_time_in_minutes_invalid", FwCall::kCreateOrder, R::kStop, "Request refused"},
      {401, "request_failed", FwCall::kGetOrder, R::kStop, "Check settings"},
      {404, "order_not_found", FwCall::kGetOrder, R::kStop, "Order not found"},
      {404, "order_not_found", FwCall::kGetPayments, R::kStop, "Order not found"},
      {404, "order_not_found", FwCall::kCreatePayment, R::kStop, "Order not active"},
      {404, "order_not_found", FwCall::kAuthorize, R::kStop, "Order not found"},
      {404, "payment_not_found", FwCall::kGetPayment, R::kStop, "Payment not found"},
      {404, "payment_not_found", FwCall::kAuthorize, R::kStop, "Payment not found"},
      {409, "order_already_exists", FwCall::kCreateOrder, R::kStop, "Order already exists"},
      {422, "request_invalid", FwCall::kCreatePayment, R::kStop, "Request conflict"},
      {429, "request_failed", FwCall::kCreatePayment, R::kRetryAfter, "Gateway busy"},
      {500, "internal_error", FwCall::kAuthorize, R::kRetrySameKey, "Try again"},
      {502, "bank_processing_failure", FwCall::kCreatePayment, R::kRetrySameKey, "Bank busy, try again"},
      // core/gateway's rows apply too: /pg answers a repeated capture 409.
      {409, "payment_already_captured", FwCall::kAuthorize, R::kStop, "Already captured"},
      // The table's codes under another status are not theirs.
      {500, "card_number_invalid", FwCall::kCreatePayment, R::kRetrySameKey, "Try again"},
  };
  for (const Row& row : kRows) {
    const char* line = screen_message_for_flowwise(row.status, row.code, row.call);
    FW_CHECK_CTX(std::string_view(line) == row.screen, ctx(row.code));
    FW_CHECK_CTX(fits_line(line), ctx(row.code));
    FW_CHECK_CTX(gateway::classify_http(row.status, row.code) == row.retry, ctx(row.code));
  }
}

TEST_CASE("A Flowwise error body: code, type and message read; the screen line and status follow the table") {
  json_init();
  const gateway::GatewayError e =
      flowwise_error_from_response(400, fw_test::kAlreadyCaptured, {}, g_arena, FwCall::kAuthorize);
  CHECK(e.origin == gateway::ErrorOrigin::kGateway);
  CHECK(e.retry == RetryDecision::kStop);
  CHECK(e.http_status == 400);
  CHECK(e.code == "payment_already_captured");
  CHECK(e.type == "invalid_request_error");
  CHECK(e.message == "payment_id : a captured payment cannot be voided");
  CHECK(std::string_view(e.screen_message) == "Already captured");
  CHECK(e.status.code() == Code::kUnavailable);
  CHECK(std::string_view(e.status.message()) == "Already captured");

  const gateway::GatewayError paid =
      flowwise_error_from_response(404, fw_test::kOrderNotPayable, {}, g_arena, FwCall::kCreatePayment);
  CHECK(std::string_view(paid.screen_message) == "Order not active");

  gateway::ResponseHints hints;
  hints.ratelimit_retry = "7";
  const gateway::GatewayError busy = flowwise_error_from_response(
      429, R"({"code":"request_failed","message":"Too many requests","type":"rate_limit_error"})", hints, g_arena,
      FwCall::kGetPayments);
  CHECK(busy.retry == RetryDecision::kRetryAfter);
  CHECK(busy.retry_after_s == 7);
  CHECK(std::string_view(busy.screen_message) == "Gateway busy");

  // A proxy's HTML page: the status decides.
  const gateway::GatewayError html =
      flowwise_error_from_response(503, "<html>down</html>", {}, g_arena, FwCall::kCreateOrder);
  CHECK(html.retry == RetryDecision::kRetrySameKey);
  CHECK(html.code.empty());
  CHECK(std::string_view(html.screen_message) == "Try again");
}

TEST_CASE("Call names for logs") {
  CHECK(to_string(FwCall::kCreateOrder) == "create_order");
  CHECK(to_string(FwCall::kGetOrder) == "get_order");
  CHECK(to_string(FwCall::kCreatePayment) == "create_payment");
  CHECK(to_string(FwCall::kAuthorize) == "authorize");
  CHECK(to_string(FwCall::kGetPayment) == "get_payment");
  CHECK(to_string(FwCall::kGetPayments) == "get_payments");
}
