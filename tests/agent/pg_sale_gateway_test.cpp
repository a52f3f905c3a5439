// The mapping from the PG client's results to the sale engine's events.
#include <doctest/doctest.h>

#include "core/agent/pg_sale_gateway.hpp"

using namespace posagent;
using namespace posagent::agent;
namespace gw = posagent::gateway;
using engine::FailureClass;
using engine::RequestKind;

namespace {

gw::GatewayError gateway_error(int http, std::string_view code, gw::RetryDecision retry, const char* screen) {
  gw::GatewayError e;
  e.origin = gw::ErrorOrigin::kGateway;
  e.http_status = http;
  (void)e.code.assign(code);
  e.retry = retry;
  e.screen_message = screen;
  return e;
}

gw::PaymentAttempt attempt(std::string_view id, gw::PaymentStatus status) {
  gw::PaymentAttempt a;
  (void)a.cf_payment_id.assign(id);
  a.payment_status = status;
  return a;
}

}  // namespace

TEST_CASE("A failed call becomes the engine's failure class, code and screen reason") {
  SUBCASE("429 waits as long as the gateway says") {
    gw::GatewayError e = gateway_error(429, "rate_limit_error", gw::RetryDecision::kRetryAfter, "Gateway busy");
    e.retry_after_s = 7;
    const engine::RequestFailed f = to_request_failed(RequestKind::kGetStatus, e);
    CHECK(f.request == RequestKind::kGetStatus);
    CHECK(f.failure == FailureClass::kRetryAfter);
    CHECK(f.retry_after_s == 7);
    CHECK(f.reason == "Gateway busy");
  }
  SUBCASE("409 for our order id is a stop the engine reads by its code") {
    const engine::RequestFailed f = to_request_failed(
        RequestKind::kCreateOrder,
        gateway_error(409, "order_already_exists", gw::RetryDecision::kStop, "Order already exists"));
    CHECK(f.failure == FailureClass::kStop);
    CHECK(f.code == "order_already_exists");
  }
  SUBCASE("a 5xx is retried with the same key") {
    const engine::RequestFailed f = to_request_failed(
        RequestKind::kOrderPay, gateway_error(502, "bank_processing_failure", gw::RetryDecision::kRetrySameKey,
                                              "Bank busy, try again"));
    CHECK(f.failure == FailureClass::kRetrySameKey);
  }
  SUBCASE("a replayed 5xx is the stored first answer: final") {
    gw::GatewayError e = gateway_error(500, "internal_error", gw::RetryDecision::kRetrySameKey, "Try again");
    e.replayed = true;
    CHECK(to_request_failed(RequestKind::kCreateOrder, e).failure == FailureClass::kStop);
    CHECK(to_request_failed(RequestKind::kTerminate, e).failure == FailureClass::kStop);
  }
  SUBCASE("a replayed 4xx keeps its decision") {
    gw::GatewayError e = gateway_error(400, "order_inactive", gw::RetryDecision::kStop, "Order not active");
    e.replayed = true;
    const engine::RequestFailed f = to_request_failed(RequestKind::kTerminate, e);
    CHECK(f.failure == FailureClass::kStop);
    CHECK(f.code == "order_inactive");
  }
  SUBCASE("no answer after sending: outcome unknown, never a failure") {
    gw::GatewayError e;
    e.origin = gw::ErrorOrigin::kTransport;
    e.retry = gw::RetryDecision::kOutcomeUnknown;
    e.request_sent = true;
    e.screen_message = "Network error";
    const engine::RequestFailed f = to_request_failed(RequestKind::kCreateOrder, e);
    CHECK(f.failure == FailureClass::kOutcomeUnknown);
    CHECK(f.code.empty());
    CHECK(f.reason == "Network error");
  }
}

TEST_CASE("Statuses map one to one, anything unknown stays unknown") {
  CHECK(to_engine(gw::OrderStatus::kActive) == engine::OrderStatus::kActive);
  CHECK(to_engine(gw::OrderStatus::kPaid) == engine::OrderStatus::kPaid);
  CHECK(to_engine(gw::OrderStatus::kExpired) == engine::OrderStatus::kExpired);
  CHECK(to_engine(gw::OrderStatus::kTerminated) == engine::OrderStatus::kTerminated);
  CHECK(to_engine(gw::OrderStatus::kTerminationRequested) == engine::OrderStatus::kTerminationRequested);
  CHECK(to_engine(gw::OrderStatus::kUnknown) == engine::OrderStatus::kUnknown);
  CHECK(to_engine(gw::PaymentStatus::kSuccess) == engine::PaymentStatus::kSuccess);
  CHECK(to_engine(gw::PaymentStatus::kNotAttempted) == engine::PaymentStatus::kNotAttempted);
  CHECK(to_engine(gw::PaymentStatus::kFailed) == engine::PaymentStatus::kFailed);
  CHECK(to_engine(gw::PaymentStatus::kUserDropped) == engine::PaymentStatus::kUserDropped);
  CHECK(to_engine(gw::PaymentStatus::kVoid) == engine::PaymentStatus::kVoid);
  CHECK(to_engine(gw::PaymentStatus::kCancelled) == engine::PaymentStatus::kCancelled);
  CHECK(to_engine(gw::PaymentStatus::kPending) == engine::PaymentStatus::kPending);
  CHECK(to_engine(gw::PaymentStatus::kUnknown) == engine::PaymentStatus::kUnknown);
}

TEST_CASE("A status read keeps the attempts the engine decides from when there are too many") {
  gw::OrderEntity order;
  order.order_status = gw::OrderStatus::kActive;
  gw::PaymentList list;
  list.attempts[0] = attempt("100", gw::PaymentStatus::kFailed);  // ours, oldest
  list.attempts[1] = attempt("101", gw::PaymentStatus::kSuccess);
  constexpr std::string_view kDropped[] = {"102", "103", "104", "105"};
  for (std::size_t i = 0; i < 4; ++i) list.attempts[2 + i] = attempt(kDropped[i], gw::PaymentStatus::kUserDropped);
  list.attempts[6] = attempt("106", gw::PaymentStatus::kPending);
  list.attempts[7] = attempt("107", gw::PaymentStatus::kFailed);
  (void)list.attempts[1].bank_reference.assign("512345678901");
  (void)list.attempts[0].payment_message.assign("Transaction declined by the remitter bank for a reason too long to keep");
  (void)list.attempts[7].error_description.assign("insufficient funds");
  (void)list.attempts[7].payment_message.assign("not this one");
  list.count = 8;

  const engine::StatusRead read = to_status_read(order, list, "100");
  CHECK(read.order_status == engine::OrderStatus::kActive);
  REQUIRE(read.attempt_count == engine::kMaxAttempts);
  CHECK(read.attempts[0].cf_payment_id == "101");
  CHECK(read.attempts[0].status == engine::PaymentStatus::kSuccess);
  CHECK(read.attempts[0].bank_reference == "512345678901");
  CHECK(read.attempts[1].cf_payment_id == "106");
  CHECK(read.attempts[2].cf_payment_id == "100");
  CHECK(read.attempts[2].failure_reason.size() == engine::kReasonCapacity);  // cut, not refused
  CHECK(read.attempts[3].cf_payment_id == "107");  // the newest of the rest
  CHECK(read.attempts[3].failure_reason == "insufficient funds");
}

TEST_CASE("A status read with few attempts keeps them all, newest first") {
  gw::OrderEntity order;
  order.order_status = gw::OrderStatus::kTerminated;
  gw::PaymentList list;
  list.attempts[0] = attempt("1", gw::PaymentStatus::kFailed);
  list.attempts[1] = attempt("2", gw::PaymentStatus::kCancelled);
  list.count = 2;
  const engine::StatusRead read = to_status_read(order, list, "");
  CHECK(read.order_status == engine::OrderStatus::kTerminated);
  REQUIRE(read.attempt_count == 2);
  CHECK(read.attempts[0].cf_payment_id == "2");
  CHECK(read.attempts[1].cf_payment_id == "1");
}
