#include "core/agent/pg_sale_gateway.hpp"

#include <array>

#include "core/agent/text_cut.hpp"
#include "core/base/timestamp.hpp"

namespace posagent::agent {

namespace {

using engine::RequestKind;
namespace gw = gateway;

constexpr std::string_view kTag = "pg";

}  // namespace

engine::RequestFailed refusal(RequestKind request, std::string_view code, std::string_view reason) {
  engine::RequestFailed f;
  f.request = request;
  f.failure = engine::FailureClass::kStop;
  assign_cut(f.code, code);
  assign_cut(f.reason, reason);
  return f;
}

engine::OrderStatus to_engine(gw::OrderStatus status) {
  switch (status) {
    case gw::OrderStatus::kActive: return engine::OrderStatus::kActive;
    case gw::OrderStatus::kPaid: return engine::OrderStatus::kPaid;
    case gw::OrderStatus::kExpired: return engine::OrderStatus::kExpired;
    case gw::OrderStatus::kTerminated: return engine::OrderStatus::kTerminated;
    case gw::OrderStatus::kTerminationRequested: return engine::OrderStatus::kTerminationRequested;
    case gw::OrderStatus::kUnknown: break;
  }
  return engine::OrderStatus::kUnknown;
}

engine::PaymentStatus to_engine(gw::PaymentStatus status) {
  switch (status) {
    case gw::PaymentStatus::kSuccess: return engine::PaymentStatus::kSuccess;
    case gw::PaymentStatus::kNotAttempted: return engine::PaymentStatus::kNotAttempted;
    case gw::PaymentStatus::kFailed: return engine::PaymentStatus::kFailed;
    case gw::PaymentStatus::kUserDropped: return engine::PaymentStatus::kUserDropped;
    case gw::PaymentStatus::kVoid: return engine::PaymentStatus::kVoid;
    case gw::PaymentStatus::kCancelled: return engine::PaymentStatus::kCancelled;
    case gw::PaymentStatus::kPending: return engine::PaymentStatus::kPending;
    case gw::PaymentStatus::kUnknown: break;
  }
  return engine::PaymentStatus::kUnknown;
}

engine::RequestFailed to_request_failed(RequestKind request, const gw::GatewayError& error) {
  engine::RequestFailed f;
  f.request = request;
  switch (error.retry) {
    case gw::RetryDecision::kRetrySameKey: f.failure = engine::FailureClass::kRetrySameKey; break;
    case gw::RetryDecision::kRetryAfter: f.failure = engine::FailureClass::kRetryAfter; break;
    case gw::RetryDecision::kStop: f.failure = engine::FailureClass::kStop; break;
    case gw::RetryDecision::kOutcomeUnknown: f.failure = engine::FailureClass::kOutcomeUnknown; break;
  }
  // The stored first answer to this key: the same key can only replay it.
  // (A GET has no key, so a status read is never replayed.)
  if (error.replayed && error.http_status >= 500) f.failure = engine::FailureClass::kStop;
  f.retry_after_s = error.retry_after_s;
  f.card_reentry = error.card_reentry;
  assign_cut(f.code, error.code.view());
  assign_cut(f.reason, error.screen_message != nullptr ? std::string_view(error.screen_message) : "Gateway error");
  return f;
}

engine::StatusRead to_status_read(const gw::OrderEntity& order, const gw::PaymentList& payments,
                                  std::string_view our_cf_payment_id) {
  engine::StatusRead read;
  read.order_status = to_engine(order.order_status);
  const std::size_t count = payments.count < payments.attempts.size() ? payments.count : payments.attempts.size();
  // Picks in priority passes so the attempts the engine decides from (any
  // SUCCESS, any PENDING, ours) are never the ones left out.
  std::array<bool, gw::kMaxPaymentAttempts> taken{};
  const auto take = [&](auto wanted) {
    // Newest first: Cashfree lists attempts oldest first.
    for (std::size_t k = count; k-- > 0;) {
      if (read.attempt_count == engine::kMaxAttempts) return;
      const gw::PaymentAttempt& a = payments.attempts[k];
      if (taken[k] || !wanted(a)) continue;
      taken[k] = true;
      engine::PaymentAttempt& out = read.attempts[read.attempt_count++];
      out.status = to_engine(a.payment_status);
      (void)out.cf_payment_id.assign(a.cf_payment_id.view());  // 24 <= 32: always fits
      assign_cut(out.bank_reference, a.bank_reference.view());
      assign_cut(out.failure_reason,
                 !a.error_description.empty() ? a.error_description.view() : a.payment_message.view());
      // Pre-authorised: SUCCESS and held, not captured.
      out.authorized_only = a.payment_status == gw::PaymentStatus::kSuccess && a.is_captured.has_value() &&
                            !*a.is_captured;
    }
  };
  take([](const gw::PaymentAttempt& a) { return a.payment_status == gw::PaymentStatus::kSuccess; });
  take([](const gw::PaymentAttempt& a) { return a.payment_status == gw::PaymentStatus::kPending; });
  take([&](const gw::PaymentAttempt& a) { return !our_cf_payment_id.empty() && a.cf_payment_id == our_cf_payment_id; });
  take([](const gw::PaymentAttempt&) { return true; });
  return read;
}

engine::Event PgSaleGateway::send(RequestKind request, const engine::SaleRecord& record, const SaleSecrets& secrets) {
  const hal::Millis deadline = clock_.monotonic_ms() + defaults_.call_timeout_ms;
  switch (request) {
    case RequestKind::kCreateOrder: return create(record, deadline);
    case RequestKind::kOrderPay:
      if (!record.is_card()) return pay(record, deadline);
      if (cards_ == nullptr) return refusal(request, "cards_not_enabled", "Cards not enabled");
      return cards_->pay(record, secrets, deadline);
    case RequestKind::kGetStatus: return status(record, deadline);
    case RequestKind::kTerminate: return terminate(record, deadline);
    case RequestKind::kSubmitOtp:
    case RequestKind::kResendOtp:
      if (cards_ == nullptr) return refusal(request, "cards_not_enabled", "Cards not enabled");
      return cards_->otp(request, record, secrets, deadline);
    case RequestKind::kReadCard:
    case RequestKind::kNone: break;
  }
  return refusal(request, "no_request", "Nothing to send");
}

engine::RequestFailed failure_of(Logger* log, RequestKind request, std::string_view call,
                                 const gw::GatewayError& error, const gw::PgCallInfo& info) {
  engine::RequestFailed f = to_request_failed(request, error);
  if (log != nullptr) {
    log->warn(kTag, "{} failed: {} {}, http {}, code '{}', '{}' -> {} (request id {})", call,
              gw::to_string(error.origin), error.status.message(), error.http_status, error.code, error.message,
              gw::to_string(error.retry), info.request_id);
  }
  return f;
}

engine::Event PgSaleGateway::create(const engine::SaleRecord& record, hal::Millis deadline) {
  gw::CreateOrderRequest order;
  order.order_id = record.order_id.view();
  order.amount_paise = record.amount_paise;
  order.customer_id = defaults_.customer_id.view();
  order.customer_phone = defaults_.customer_phone.view();
  order.order_note = defaults_.order_note.view();
  const Result<Timestamp> expiry = Timestamp::from_unix_seconds(record.expiry_at_s, defaults_.utc_offset_minutes);
  if (expiry.ok()) order.order_expiry_time = *expiry;
  const std::string_view sale = !record.is_card() ? "upi_qr" : record.authorize_only ? "card_preauth" : "card";
  gw::OrderTag tags[3];
  std::size_t tag_count = 0;
  if (!defaults_.terminal_tag.empty()) tags[tag_count++] = {"terminal_id", defaults_.terminal_tag.view()};
  tags[tag_count++] = {"sale", sale};
  // Where the account needs an order-level flag for pre-authorisation.
  if (record.authorize_only && !defaults_.preauth_tag_key.empty())
    tags[tag_count++] = {defaults_.preauth_tag_key.view(), defaults_.preauth_tag_value.view()};
  order.order_tags = std::span<const gw::OrderTag>(tags, tag_count);

  const gw::PgResult<gw::OrderEntity> created = pg_.create_order(order, record.create_key.view(), deadline);
  if (!created.ok()) return failure_of(log_, RequestKind::kCreateOrder, "create order", created.error(), created.info());
  if (log_ != nullptr) {
    log_->info(kTag, "order {} created: cf_order_id {}, {}{}", created->order_id, created->cf_order_id,
               created->order_status_text, created.info().replayed ? " (replayed)" : "");
  }
  engine::Event event;
  engine::OrderCreated& out = event.emplace<engine::OrderCreated>();
  if (!out.cf_order_id.assign(created->cf_order_id.view()) ||
      !out.payment_session_id.assign(created->payment_session_id.view())) {
    // Our journal could not hold it: the sale cannot go on with this order.
    return refusal(RequestKind::kCreateOrder, "session_id_too_long", "Gateway answer odd");
  }
  if (created->order_expiry_time.has_value()) out.order_expiry_s = created->order_expiry_time->unix_seconds();
  return event;
}

engine::Event PgSaleGateway::pay(const engine::SaleRecord& record, hal::Millis deadline) {
  const gw::OrderPayUpiRequest request{record.payment_session_id.view(), gw::UpiChannel::kLink};
  const gw::PgResult<gw::UpiPayment> paid = pg_.pay_order_upi(request, record.pay_key.view(), deadline);
  if (!paid.ok()) return failure_of(log_, RequestKind::kOrderPay, "order pay", paid.error(), paid.info());
  if (paid->intent.empty()) {
    // Nothing to draw: the attempt cannot be paid from this terminal.
    return refusal(RequestKind::kOrderPay, "intent_missing", "No QR from gateway");
  }
  if (log_ != nullptr) {
    log_->info(kTag, "payment {} started for order {}{}", paid->cf_payment_id, record.order_id,
               paid.info().replayed ? " (replayed)" : "");
  }
  engine::Event event;
  engine::PaymentStarted& out = event.emplace<engine::PaymentStarted>();
  (void)out.cf_payment_id.assign(paid->cf_payment_id.view());  // 24 <= 32
  (void)out.intent.assign(paid->intent.view());                // 512 == 512
  return event;
}

engine::Event PgSaleGateway::status(const engine::SaleRecord& record, hal::Millis deadline) {
  const gw::PgResult<gw::OrderEntity> order = pg_.get_order(record.order_id.view(), deadline);
  if (!order.ok()) return failure_of(log_, RequestKind::kGetStatus, "get order", order.error(), order.info());
  // The payments are read after the order: a SUCCESS that lands in between
  // shows up in the attempts and keeps the engine from a false FAILED.
  const gw::PgResult<gw::PaymentList> payments = pg_.get_payments(record.order_id.view(), deadline);
  if (!payments.ok()) return failure_of(log_, RequestKind::kGetStatus, "get payments", payments.error(), payments.info());
  return to_status_read(*order, *payments, record.cf_payment_id.view());
}

engine::Event PgSaleGateway::terminate(const engine::SaleRecord& record, hal::Millis deadline) {
  const gw::PgResult<gw::OrderEntity> ended =
      pg_.terminate_order(record.order_id.view(), record.terminate_key.view(), deadline);
  if (!ended.ok()) return failure_of(log_, RequestKind::kTerminate, "terminate", ended.error(), ended.info());
  if (log_ != nullptr) log_->info(kTag, "order {} termination: {}", record.order_id, ended->order_status_text);
  engine::Event event;
  event.emplace<engine::Terminated>().order_status = to_engine(ended->order_status);
  return event;
}

}  // namespace posagent::agent
