// Host only: PgClient over the product stack (SimNetwork -> TlsSession with
// the firmware's Mbed TLS configuration -> HttpClient) against the real
// pgsim program over TLS on loopback. Admin calls and /pg/simulate go
// through cpp-httplib, as a test's side channel (gateway_pgsim_support.hpp).
#include <doctest/doctest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "gateway_pgsim_support.hpp"

using namespace posagent;
using namespace posagent::gateway;
using namespace gateway_pgsim;

TEST_CASE("A UPI sale against pgsim: create, pay by link, simulate, PAID with the UTR") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());

  CreateOrderRequest order = sale("POS-SALE-1");
  order.order_tags = kTags;
  const Result<Timestamp> expiry = Timestamp::from_unix_seconds(s.clock.unix_seconds() + 3600, 330);
  REQUIRE(expiry.ok());
  order.order_expiry_time = *expiry;
  const std::string create_key = uuid(s);
  const PgResult<OrderEntity> created = s.pg.create_order(order, create_key, s.deadline());
  REQUIRE(created.ok());
  CHECK(created->order_id == "POS-SALE-1");
  CHECK(created->order_status == OrderStatus::kActive);
  CHECK(created->order_amount_paise == 49900);
  CHECK(all_digits(created->cf_order_id.view()));
  CHECK(created->payment_session_id.size() > 20);
  REQUIRE(created->order_expiry_time.has_value());
  CHECK(*created->order_expiry_time == *expiry);
  CHECK_FALSE(created.info().replayed);

  const std::string pay_key = uuid(s);
  const PgResult<UpiPayment> pay =
      s.pg.pay_order_upi({created->payment_session_id.view(), UpiChannel::kLink}, pay_key, s.deadline());
  REQUIRE(pay.ok());
  CHECK(pay->action == PayAction::kCustom);
  CHECK(pay->channel == UpiChannel::kLink);
  CHECK(pay->payment_amount_paise == 49900);
  const std::string intent_prefix = "https://localhost:" + std::to_string(pgsim.port()) + "/pay/";
  CHECK(pay->intent.view().starts_with(intent_prefix));
  CHECK(pay->intent.view().find("am=499.00") != std::string_view::npos);
  CHECK(pay->intent.view().find(pay->cf_payment_id.view()) != std::string_view::npos);

  PgResult<PaymentList> payments = s.pg.get_payments("POS-SALE-1", s.deadline());
  REQUIRE(payments.ok());
  REQUIRE(payments->count == 1);
  CHECK(payments->attempts[0].cf_payment_id == pay->cf_payment_id.view());
  CHECK(payments->attempts[0].payment_status == PaymentStatus::kNotAttempted);
  CHECK(payments->success() == nullptr);

  REQUIRE(pgsim.simulate(pay->cf_payment_id.view(), "SUCCESS"));

  const PgResult<OrderEntity> paid = s.pg.get_order("POS-SALE-1", s.deadline());
  REQUIRE(paid.ok());
  CHECK(paid->order_status == OrderStatus::kPaid);
  payments = s.pg.get_payments("POS-SALE-1", s.deadline());
  REQUIRE(payments.ok());
  REQUIRE(payments->success() != nullptr);
  CHECK(payments->success()->bank_reference.size() == 12);
  CHECK(all_digits(payments->success()->bank_reference.view()));
  CHECK(payments->success()->payment_amount_paise == 49900);

  // The order is no longer active: order pay and terminate both refuse.
  const PgResult<UpiPayment> again =
      s.pg.pay_order_upi({created->payment_session_id.view(), UpiChannel::kLink}, uuid(s), s.deadline());
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().http_status == 404);
  CHECK(again.error().code == "orderpay_not_found");
  CHECK(again.error().retry == RetryDecision::kStop);
  CHECK(std::string_view(again.error().screen_message) == "Order not active");
  const PgResult<OrderEntity> terminate = s.pg.terminate_order("POS-SALE-1", uuid(s), s.deadline());
  REQUIRE_FALSE(terminate.ok());
  CHECK(terminate.error().http_status == 400);
  CHECK(terminate.error().code == "order_inactive");
  CHECK(terminate.error().retry == RetryDecision::kStop);

  // pgsim saw our request ids and keys.
  const std::string state = pgsim.state();
  CHECK(state.find(std::string(created.info().request_id.view())) != std::string::npos);
  CHECK(state.find(std::string(paid.info().request_id.view())) != std::string::npos);
  CHECK(state.find(create_key) != std::string::npos);
  CHECK(state.find(pay_key) != std::string::npos);
}

TEST_CASE("Terminate an unpaid order: TERMINATION_REQUESTED, then TERMINATED") {
  PgsimProcess pgsim({"--termination-delay-ms", "300"});
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  const PgResult<OrderEntity> created = s.pg.create_order(sale("POS-TERM-1"), uuid(s), s.deadline());
  REQUIRE(created.ok());
  REQUIRE(s.pg.pay_order_upi({created->payment_session_id.view(), UpiChannel::kLink}, uuid(s), s.deadline()).ok());

  const PgResult<OrderEntity> t = s.pg.terminate_order("POS-TERM-1", uuid(s), s.deadline());
  REQUIRE(t.ok());
  CHECK(t->order_status == OrderStatus::kTerminationRequested);
  OrderStatus status = t->order_status;
  for (int i = 0; i < 40 && status != OrderStatus::kTerminated; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const PgResult<OrderEntity> o = s.pg.get_order("POS-TERM-1", s.deadline());
    REQUIRE(o.ok());
    status = o->order_status;
  }
  CHECK(status == OrderStatus::kTerminated);
  const PgResult<PaymentList> payments = s.pg.get_payments("POS-TERM-1", s.deadline());
  REQUIRE(payments.ok());
  REQUIRE(payments->count == 1);
  CHECK(payments->attempts[0].payment_status == PaymentStatus::kCancelled);
}

TEST_CASE("Idempotent create: the same key replays the same order; a new key conflicts; a new body is refused") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  const std::string key = uuid(s);
  const PgResult<OrderEntity> first = s.pg.create_order(sale("POS-IDEM-1"), key, s.deadline());
  REQUIRE(first.ok());
  CHECK_FALSE(first.info().replayed);

  const PgResult<OrderEntity> second = s.pg.create_order(sale("POS-IDEM-1"), key, s.deadline());
  REQUIRE(second.ok());
  CHECK(second.info().replayed);
  CHECK(second->cf_order_id == first->cf_order_id.view());
  CHECK(second->payment_session_id == first->payment_session_id.view());
  CHECK(second.info().request_id.view() != first.info().request_id.view());

  const PgResult<OrderEntity> new_key = s.pg.create_order(sale("POS-IDEM-1"), uuid(s), s.deadline());
  REQUIRE_FALSE(new_key.ok());
  CHECK(new_key.error().http_status == 409);
  CHECK(new_key.error().code == "order_already_exists");
  CHECK(new_key.error().retry == RetryDecision::kStop);
  CHECK(std::string_view(new_key.error().screen_message) == "Order already exists");

  const PgResult<OrderEntity> new_body = s.pg.create_order(sale("POS-IDEM-1", 50000), key, s.deadline());
  REQUIRE_FALSE(new_body.ok());
  CHECK(new_body.error().http_status == 422);
  CHECK(new_body.error().type == "idempotency_error");
  CHECK(new_body.error().retry == RetryDecision::kStop);
}

TEST_CASE("A 429 fault: kRetryAfter with pgsim's seconds; the retry with the same key succeeds") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  REQUIRE(pgsim.fault(R"({"path":"/pg/orders","action":"rate_limit","retry_s":3})"));
  const std::string key = uuid(s);
  const PgResult<OrderEntity> limited = s.pg.create_order(sale("POS-RL-1"), key, s.deadline());
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.error().origin == ErrorOrigin::kGateway);
  CHECK(limited.error().http_status == 429);
  CHECK(limited.error().type == "rate_limit_error");
  CHECK(limited.error().retry == RetryDecision::kRetryAfter);
  CHECK(limited.error().retry_after_s == 3);
  CHECK(std::string_view(limited.error().screen_message) == "Gateway busy");

  const PgResult<OrderEntity> retried = s.pg.create_order(sale("POS-RL-1"), key, s.deadline());
  REQUIRE(retried.ok());
  CHECK(retried->order_status == OrderStatus::kActive);
}

TEST_CASE("A dropped connection is outcome unknown; the same key then tells what happened") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());

  SUBCASE("dropped before pgsim acted: the retry creates the order") {
    REQUIRE(pgsim.fault(R"({"path":"/pg/orders","action":"drop"})"));
    const std::string key = uuid(s);
    const PgResult<OrderEntity> lost = s.pg.create_order(sale("POS-DROP-1"), key, s.deadline());
    REQUIRE_FALSE(lost.ok());
    CHECK(lost.error().origin == ErrorOrigin::kTransport);
    CHECK(lost.error().retry == RetryDecision::kOutcomeUnknown);
    CHECK(lost.error().request_sent);
    CHECK(lost.error().http_status == 0);
    const PgResult<OrderEntity> retried = s.pg.create_order(sale("POS-DROP-1"), key, s.deadline());
    REQUIRE(retried.ok());
    CHECK_FALSE(retried.info().replayed);
  }
  SUBCASE("dropped after pgsim acted: the retry is the stored answer") {
    REQUIRE(pgsim.fault(R"({"path":"/pg/orders","action":"drop","act":true})"));
    const std::string key = uuid(s);
    const PgResult<OrderEntity> lost = s.pg.create_order(sale("POS-DROP-2"), key, s.deadline());
    REQUIRE_FALSE(lost.ok());
    CHECK(lost.error().retry == RetryDecision::kOutcomeUnknown);
    const PgResult<OrderEntity> retried = s.pg.create_order(sale("POS-DROP-2"), key, s.deadline());
    REQUIRE(retried.ok());
    CHECK(retried.info().replayed);
    CHECK(retried->order_id == "POS-DROP-2");
  }
}

TEST_CASE("5xx and stall faults") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  const PgResult<OrderEntity> created = s.pg.create_order(sale("POS-FLT-1"), uuid(s), s.deadline());
  REQUIRE(created.ok());

  REQUIRE(pgsim.fault(R"({"path":"/pg/orders/sessions","action":"error","status":502})"));
  const PgResult<UpiPayment> bank =
      s.pg.pay_order_upi({created->payment_session_id.view(), UpiChannel::kLink}, uuid(s), s.deadline());
  REQUIRE_FALSE(bank.ok());
  CHECK(bank.error().http_status == 502);
  CHECK(bank.error().code == "bank_processing_failure");
  CHECK(bank.error().retry == RetryDecision::kRetrySameKey);
  CHECK(std::string_view(bank.error().screen_message) == "Bank busy, try again");

  REQUIRE(pgsim.fault(R"({"path":"/pg/orders/POS-FLT-1","action":"error","status":500})"));
  const PgResult<OrderEntity> internal = s.pg.get_order("POS-FLT-1", s.deadline());
  REQUIRE_FALSE(internal.ok());
  CHECK(internal.error().http_status == 500);
  CHECK(internal.error().retry == RetryDecision::kRetrySameKey);

  // Half an answer, then silence past our deadline.
  REQUIRE(pgsim.fault(R"({"path":"/pg/orders/POS-FLT-1","action":"stall","stall_ms":5000})"));
  const PgResult<OrderEntity> stalled = s.pg.get_order("POS-FLT-1", s.deadline(1500));
  REQUIRE_FALSE(stalled.ok());
  CHECK(stalled.error().retry == RetryDecision::kOutcomeUnknown);
  CHECK(stalled.error().response_started);

  // The connection recovers: the next call dials again.
  const PgResult<OrderEntity> after = s.pg.get_order("POS-FLT-1", s.deadline());
  REQUIRE(after.ok());
  CHECK(after->order_status == OrderStatus::kActive);
}

TEST_CASE("UPI qrcode: the PNG data URL from pgsim, decoded on request") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  const PgResult<OrderEntity> created = s.pg.create_order(sale("POS-QR-1"), uuid(s), s.deadline());
  REQUIRE(created.ok());
  static FixedString<8192> qr;
  StringSpan qr_span = qr.span();
  const PgResult<UpiPayment> pay =
      s.pg.pay_order_upi({created->payment_session_id.view(), UpiChannel::kQrcode}, uuid(s), s.deadline(), &qr_span);
  REQUIRE(pay.ok());
  CHECK(pay->channel == UpiChannel::kQrcode);
  CHECK(qr.view().starts_with("data:image/png;base64,iVBOR"));
  static std::array<std::uint8_t, 8192> png;
  const Result<std::size_t> bytes = decode_qr_png(qr.view(), png);
  REQUIRE(bytes.ok());
  CHECK(*bytes > 1000);
  CHECK(g_buffers.arena().peak() < kDefaultArenaBytes);
}

TEST_CASE("Wrong credentials: 401, stop, check settings") {
  PgsimProcess pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  (void)s.config.client_secret.assign("wrong_secret");
  const PgResult<OrderEntity> r = s.pg.get_order("POS-ANY-1", s.deadline());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().http_status == 401);
  CHECK(r.error().type == "authentication_error");
  CHECK(r.error().retry == RetryDecision::kStop);
  CHECK(std::string_view(r.error().screen_message) == "Check settings");
}
