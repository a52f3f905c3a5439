// The mapping from the Flowwise client's results to the sale engine's
// events and to holds, row by row (portable). The gateways themselves run
// against pgsim in fw_sale_gateway_test.cpp (host).
#include <doctest/doctest.h>

#include <string>

#include "core/agent/fw_hold_gateway.hpp"
#include "core/agent/fw_sale_gateway.hpp"

using namespace posagent;
using namespace posagent::agent;
namespace fw = posagent::flowwise;
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

fw::FwPaymentDetails payment(std::string_view id, fw::FwPaymentStatus status,
                             fw::FwCaptureStatus capture = fw::FwCaptureStatus::kNone) {
  fw::FwPaymentDetails p;
  (void)p.payment_id.assign(id);
  p.payment_status = status;
  p.capture_status = capture;
  p.payment_amount_paise = 49900;
  return p;
}

fw::FwOrder order(fw::FwOrderStatus status) {
  fw::FwOrder o;
  (void)o.order_id.assign("FW-1");
  o.order_status = status;
  return o;
}

const engine::PaymentAttempt* find(const engine::StatusRead& r, std::string_view id) {
  for (std::size_t i = 0; i < r.attempt_count; ++i)
    if (r.attempts[i].cf_payment_id == id) return &r.attempts[i];
  return nullptr;
}

}  // namespace

TEST_CASE("Flowwise failures become the engine's classes as PG's do, in the engine's words") {
  SUBCASE("429 waits as the router says; 5xx retries the same key; a replayed 5xx is final") {
    gw::GatewayError busy = gateway_error(429, "request_failed", gw::RetryDecision::kRetryAfter, "Gateway busy");
    busy.retry_after_s = 9;
    const engine::RequestFailed f = flowwise_request_failed(RequestKind::kGetStatus, busy);
    CHECK(f.failure == FailureClass::kRetryAfter);
    CHECK(f.retry_after_s == 9);
    CHECK(f.reason == "Gateway busy");

    gw::GatewayError down = gateway_error(500, "internal_error", gw::RetryDecision::kRetrySameKey, "Try again");
    CHECK(flowwise_request_failed(RequestKind::kCreateOrder, down).failure == FailureClass::kRetrySameKey);
    down.replayed = true;
    CHECK(flowwise_request_failed(RequestKind::kCreateOrder, down).failure == FailureClass::kStop);
    CHECK(flowwise_request_failed(RequestKind::kOrderPay, down).failure == FailureClass::kStop);
  }
  SUBCASE("no answer after sending: outcome unknown, never a failure") {
    gw::GatewayError lost;
    lost.origin = gw::ErrorOrigin::kTransport;
    lost.retry = gw::RetryDecision::kOutcomeUnknown;
    lost.request_sent = true;
    lost.screen_message = "No gateway reply";
    const engine::RequestFailed f = flowwise_request_failed(RequestKind::kOrderPay, lost);
    CHECK(f.failure == FailureClass::kOutcomeUnknown);
    CHECK(f.code.empty());
    CHECK_FALSE(f.card_reentry);
  }
  SUBCASE("409 for our order id keeps the code the engine reads") {
    const engine::RequestFailed f = flowwise_request_failed(
        RequestKind::kCreateOrder,
        gateway_error(409, "order_already_exists", gw::RetryDecision::kStop, "Order already exists"));
    CHECK(f.failure == FailureClass::kStop);
    CHECK(f.code == "order_already_exists");
  }
  SUBCASE("Create Payment on an order no longer ACTIVE: the engine's order_inactive, so it reads the order") {
    const gw::GatewayError gone = gateway_error(404, "order_not_found", gw::RetryDecision::kStop, "Order not active");
    const engine::RequestFailed pay = flowwise_request_failed(RequestKind::kOrderPay, gone);
    CHECK(pay.failure == FailureClass::kStop);
    CHECK(pay.code == "order_inactive");
    CHECK(pay.reason == "Order not active");
    // Elsewhere an unknown order is just that.
    CHECK(flowwise_request_failed(RequestKind::kGetStatus, gone).code == "order_not_found");
    CHECK(flowwise_request_failed(RequestKind::kTerminate, gone).code == "order_not_found");
  }
  SUBCASE("a refused card field asks for the card again; other refusals do not") {
    for (const std::string_view code : {"card_number_invalid", "card_expiry_yy_invalid", "card_cvv_missing",
                                        "card_display_invalid", "token_requestor_id_missing", "cryptogram_invalid"}) {
      const engine::RequestFailed f = flowwise_request_failed(
          RequestKind::kOrderPay, gateway_error(400, code, gw::RetryDecision::kStop, "Check card details"));
      CHECK_MESSAGE(f.card_reentry, code);
      CHECK(f.failure == FailureClass::kStop);
      CHECK(f.code == code);
    }
    for (const std::string_view code : {"payment_method_unsupported", "request_failed", "order_amount_invalid"}) {
      const engine::RequestFailed f = flowwise_request_failed(
          RequestKind::kOrderPay, gateway_error(400, code, gw::RetryDecision::kStop, "Request refused"));
      CHECK_MESSAGE(!f.card_reentry, code);
    }
    // Only Create Payment carries a card.
    CHECK_FALSE(flowwise_request_failed(RequestKind::kCreateOrder,
                                        gateway_error(400, "card_number_invalid", gw::RetryDecision::kStop, "x"))
                    .card_reentry);
  }
}

TEST_CASE("Flowwise statuses in the engine's terms: every open attempt is PENDING") {
  CHECK(to_engine(fw::FwOrderStatus::kActive) == engine::OrderStatus::kActive);
  CHECK(to_engine(fw::FwOrderStatus::kPaid) == engine::OrderStatus::kPaid);
  CHECK(to_engine(fw::FwOrderStatus::kExpired) == engine::OrderStatus::kExpired);
  CHECK(to_engine(fw::FwOrderStatus::kUnknown) == engine::OrderStatus::kUnknown);
  CHECK(to_engine(fw::FwPaymentStatus::kInitiated) == engine::PaymentStatus::kPending);
  CHECK(to_engine(fw::FwPaymentStatus::kRedirected) == engine::PaymentStatus::kPending);
  CHECK(to_engine(fw::FwPaymentStatus::kPending) == engine::PaymentStatus::kPending);
  CHECK(to_engine(fw::FwPaymentStatus::kSuccess) == engine::PaymentStatus::kSuccess);
  CHECK(to_engine(fw::FwPaymentStatus::kFailed) == engine::PaymentStatus::kFailed);
  CHECK(to_engine(fw::FwPaymentStatus::kInitFailed) == engine::PaymentStatus::kFailed);
  CHECK(to_engine(fw::FwPaymentStatus::kReversed) == engine::PaymentStatus::kFailed);
  CHECK(to_engine(fw::FwPaymentStatus::kUserDropped) == engine::PaymentStatus::kUserDropped);
  // A state this build does not know is not read as an ending.
  CHECK(to_engine(fw::FwPaymentStatus::kUnknown) == engine::PaymentStatus::kUnknown);
}

TEST_CASE("A status read keeps every SUCCESS and open payment, and ours, when there are more than fit") {
  fw::FwPaymentList list;
  // Oldest first, as the router lists them: five failed, then ours (failed
  // too), an open one and a success.
  for (int i = 0; i < 5; ++i) {
    const std::string id = "pay_old" + std::to_string(i);
    list.payments[list.count++] = payment(id, fw::FwPaymentStatus::kFailed);
  }
  list.payments[list.count++] = payment("pay_ours", fw::FwPaymentStatus::kUserDropped);
  list.payments[list.count++] = payment("pay_open", fw::FwPaymentStatus::kRedirected);
  fw::FwPaymentDetails ok = payment("pay_paid", fw::FwPaymentStatus::kSuccess, fw::FwCaptureStatus::kCaptured);
  (void)ok.utr.assign("936465606578");
  list.payments[list.count++] = ok;
  (void)list.payments[0].error_description.assign("the payment was declined");

  const engine::StatusRead read = to_status_read(order(fw::FwOrderStatus::kPaid), list, "pay_ours");
  CHECK(read.order_status == engine::OrderStatus::kPaid);
  REQUIRE(read.attempt_count == engine::kMaxAttempts);
  CHECK(read.attempts[0].cf_payment_id == "pay_paid");
  CHECK(read.attempts[0].status == engine::PaymentStatus::kSuccess);
  CHECK(read.attempts[0].bank_reference == "936465606578");
  CHECK_FALSE(read.attempts[0].authorized_only);
  CHECK(read.attempts[1].cf_payment_id == "pay_open");
  CHECK(read.attempts[1].status == engine::PaymentStatus::kPending);
  CHECK(read.attempts[2].cf_payment_id == "pay_ours");
  CHECK(read.attempts[2].status == engine::PaymentStatus::kUserDropped);
  CHECK(read.attempts[3].cf_payment_id == "pay_old4");  // then the newest others
  CHECK(find(read, "pay_old0") == nullptr);

  // The failure reason is the router's error description, else its message.
  fw::FwPaymentList one;
  one.payments[one.count++] = list.payments[0];
  const engine::StatusRead failed = to_status_read(order(fw::FwOrderStatus::kActive), one, "pay_old0");
  REQUIRE(failed.attempt_count == 1);
  CHECK(failed.attempts[0].failure_reason == "the payment was declined");
  CHECK(failed.order_status == engine::OrderStatus::kActive);
}

TEST_CASE("A manual-capture SUCCESS is authorised only until it is captured") {
  const auto authorised_only = [](fw::FwCaptureStatus capture) {
    fw::FwPaymentList list;
    list.payments[list.count++] = payment("pay_1", fw::FwPaymentStatus::kSuccess, capture);
    const engine::StatusRead read = to_status_read(order(fw::FwOrderStatus::kPaid), list, "pay_1");
    REQUIRE(read.attempt_count == 1);
    return read.attempts[0].authorized_only;
  };
  CHECK(authorised_only(fw::FwCaptureStatus::kAuthorised));
  CHECK(authorised_only(fw::FwCaptureStatus::kCaptureRequested));
  CHECK(authorised_only(fw::FwCaptureStatus::kCaptureFailed));
  CHECK(authorised_only(fw::FwCaptureStatus::kUnknown));
  CHECK_FALSE(authorised_only(fw::FwCaptureStatus::kCaptured));
  CHECK_FALSE(authorised_only(fw::FwCaptureStatus::kNone));  // no capture reported: taken
  // Not a SUCCESS: never authorised.
  fw::FwPaymentList list;
  list.payments[list.count++] = payment("pay_2", fw::FwPaymentStatus::kFailed, fw::FwCaptureStatus::kAuthorised);
  CHECK_FALSE(to_status_read(order(fw::FwOrderStatus::kActive), list, "pay_2").attempts[0].authorized_only);
}

TEST_CASE("The order's expiry in whole minutes, from the journaled lifetime, within the router's bounds") {
  engine::SaleRecord r;
  r.started_at_s = 1'800'000'000;
  const auto minutes = [&r](std::int64_t lifetime_s) {
    r.expiry_at_s = r.started_at_s + lifetime_s;
    return flowwise_expiry_minutes(r);
  };
  CHECK(minutes(300) == 5);
  CHECK(minutes(6) == 5);     // the router's minimum
  CHECK(minutes(0) == 5);
  CHECK(minutes(-40) == 5);   // a broken record still sends a valid body
  CHECK(minutes(301) == 6);   // rounded up: the router never expires it first
  CHECK(minutes(360) == 6);
  CHECK(minutes(86'400) == 1'440);
  CHECK(minutes(std::int64_t{3'000'000'000}) == fw::kMaxExpiryMinutes);
}

TEST_CASE("A Flowwise payment as a hold") {
  const fw::FwPaymentDetails held = payment("pay_h", fw::FwPaymentStatus::kSuccess, fw::FwCaptureStatus::kAuthorised);
  Hold h = to_hold(held);
  CHECK(h.status == HoldStatus::kHeld);
  CHECK(h.payment_id == "pay_h");
  CHECK(h.authorized_paise == 49900);
  CHECK(h.captured_paise == 0);

  fw::FwPaymentDetails captured = payment("pay_c", fw::FwPaymentStatus::kSuccess, fw::FwCaptureStatus::kCaptured);
  captured.capture_amount_paise = 20050;
  h = to_hold(captured);
  CHECK(h.status == HoldStatus::kCaptured);
  CHECK(h.captured_paise == 20050);

  CHECK(to_hold(payment("pay_v", fw::FwPaymentStatus::kSuccess, fw::FwCaptureStatus::kVoided)).status ==
        HoldStatus::kVoided);
  for (const fw::FwCaptureStatus mid : {fw::FwCaptureStatus::kCaptureRequested, fw::FwCaptureStatus::kVoidRequested,
                                        fw::FwCaptureStatus::kCaptureFailed, fw::FwCaptureStatus::kVoidFailed,
                                        fw::FwCaptureStatus::kCreated, fw::FwCaptureStatus::kNone,
                                        fw::FwCaptureStatus::kUnknown}) {
    CHECK(to_hold(payment("pay_m", fw::FwPaymentStatus::kSuccess, mid)).status == HoldStatus::kUnknown);
  }
  for (const fw::FwPaymentStatus never : {fw::FwPaymentStatus::kFailed, fw::FwPaymentStatus::kRedirected,
                                          fw::FwPaymentStatus::kUserDropped, fw::FwPaymentStatus::kReversed}) {
    CHECK(to_hold(payment("pay_n", never, fw::FwCaptureStatus::kAuthorised)).status == HoldStatus::kNone);
  }
}
