#include "core/agent/pg_sale_gateway.hpp"

#include <array>

#include "core/agent/text_cut.hpp"
#include "core/base/timestamp.hpp"

namespace posagent::agent {

namespace {

using engine::RequestKind;
namespace gw = gateway;

constexpr std::string_view kTag = "pg";


// A refusal of ours (not the gateway's) for an answer we cannot use.
engine::RequestFailed refused(RequestKind request, std::string_view code, std::string_view reason) {
  engine::RequestFailed f;
  f.request = request;
  f.failure = engine::FailureClass::kStop;
  assign_cut(f.code, code);
  assign_cut(f.reason, reason);
  return f;
}

}  // namespace

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
    case RequestKind::kOrderPay: return record.is_card() ? pay_card(record, secrets, deadline) : pay(record, deadline);
    case RequestKind::kGetStatus: return status(record, deadline);
    case RequestKind::kTerminate: return terminate(record, deadline);
    case RequestKind::kSubmitOtp:
    case RequestKind::kResendOtp: return otp(request, record, secrets, deadline);
    case RequestKind::kReadCard:
    case RequestKind::kNone: break;
  }
  return refused(request, "no_request", "Nothing to send");
}

engine::Event PgSaleGateway::failed(RequestKind request, std::string_view call, const gw::GatewayError& error,
                                    const gw::PgCallInfo& info) {
  engine::RequestFailed f = to_request_failed(request, error);
  if (log_ != nullptr) {
    log_->warn(kTag, "{} failed: {} {}, http {}, code '{}', '{}' -> {} (request id {})", call,
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
  if (!created.ok()) return failed(RequestKind::kCreateOrder, "create order", created.error(), created.info());
  if (log_ != nullptr) {
    log_->info(kTag, "order {} created: cf_order_id {}, {}{}", created->order_id, created->cf_order_id,
               created->order_status_text, created.info().replayed ? " (replayed)" : "");
  }
  engine::Event event;
  engine::OrderCreated& out = event.emplace<engine::OrderCreated>();
  if (!out.cf_order_id.assign(created->cf_order_id.view()) ||
      !out.payment_session_id.assign(created->payment_session_id.view())) {
    // Our journal could not hold it: the sale cannot go on with this order.
    return refused(RequestKind::kCreateOrder, "session_id_too_long", "Gateway answer odd");
  }
  if (created->order_expiry_time.has_value()) out.order_expiry_s = created->order_expiry_time->unix_seconds();
  return event;
}

engine::Event PgSaleGateway::pay(const engine::SaleRecord& record, hal::Millis deadline) {
  const gw::OrderPayUpiRequest request{record.payment_session_id.view(), gw::UpiChannel::kLink};
  const gw::PgResult<gw::UpiPayment> paid = pg_.pay_order_upi(request, record.pay_key.view(), deadline);
  if (!paid.ok()) return failed(RequestKind::kOrderPay, "order pay", paid.error(), paid.info());
  if (paid->intent.empty()) {
    // Nothing to draw: the attempt cannot be paid from this terminal.
    return refused(RequestKind::kOrderPay, "intent_missing", "No QR from gateway");
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

engine::Event PgSaleGateway::pay_card(const engine::SaleRecord& record, const SaleSecrets& secrets,
                                      hal::Millis deadline) {
  if (secrets.card == nullptr || secrets.card->empty()) {
    // The card is gone (it is never journaled): it must be read again.
    engine::RequestFailed f;
    f.request = RequestKind::kOrderPay;
    f.failure = engine::FailureClass::kStop;
    f.card_reentry = true;
    (void)f.reason.assign("Present card again");
    (void)f.code.assign("card_missing");
    return f;
  }
  // Native OTP first; a card without it answers action link (3-D Secure).
  const gw::OrderPayCardRequest request{record.payment_session_id.view(), gw::CardChannel::kPost, secrets.card};
  const gw::PgResult<gw::CardPayment> paid = pg_.pay_order_card(request, record.pay_key.view(), deadline);
  if (!paid.ok()) return failed(RequestKind::kOrderPay, "card order pay", paid.error(), paid.info());
  const bool otp = paid->action == gw::PayAction::kPost;
  const std::string_view page = !paid->url.empty() ? paid->url.view() : paid->redirect_to_bank.view();
  if (!otp && (page.empty() || (paid->action != gw::PayAction::kLink && paid->action != gw::PayAction::kForm))) {
    return refused(RequestKind::kOrderPay, "action_unsupported", "Card step unknown");
  }
  if (log_ != nullptr) {
    log_->info(kTag, "card payment {} started for order {}: {}{}", paid->cf_payment_id, record.order_id,
               otp ? "native OTP" : "3-D Secure page", paid.info().replayed ? " (replayed)" : "");
  }
  engine::Event event;
  engine::PaymentStarted& out = event.emplace<engine::PaymentStarted>();
  (void)out.cf_payment_id.assign(paid->cf_payment_id.view());
  out.needs_otp = otp;
  if (!otp && !out.intent.assign(page)) return refused(RequestKind::kOrderPay, "url_too_long", "Card page too long");
  return event;
}

engine::Event PgSaleGateway::otp(RequestKind request, const engine::SaleRecord& record, const SaleSecrets& secrets,
                                 hal::Millis deadline) {
  const bool submit = request == RequestKind::kSubmitOtp;
  const gw::PgResult<gw::OtpResult> answer = pg_.authenticate_payment(
      record.cf_payment_id.view(), submit ? gw::OtpAction::kSubmit : gw::OtpAction::kResend,
      submit ? secrets.otp : std::string_view{}, deadline);
  if (!answer.ok()) return failed(request, submit ? "submit OTP" : "resend OTP", answer.error(), answer.info());
  engine::Event event;
  engine::OtpAnswered& out = event.emplace<engine::OtpAnswered>();
  out.request = request;
  out.accepted = answer->authenticate_status == gw::AuthenticateStatus::kSuccess;
  assign_cut(out.message, answer->payment_message.view());
  if (log_ != nullptr) {
    log_->info(kTag, "{} for payment {}: {} {}", submit ? "OTP" : "OTP resend", record.cf_payment_id,
               answer->authenticate_status_text, answer->payment_message);
  }
  return event;
}

engine::Event PgSaleGateway::status(const engine::SaleRecord& record, hal::Millis deadline) {
  const gw::PgResult<gw::OrderEntity> order = pg_.get_order(record.order_id.view(), deadline);
  if (!order.ok()) return failed(RequestKind::kGetStatus, "get order", order.error(), order.info());
  // The payments are read after the order: a SUCCESS that lands in between
  // shows up in the attempts and keeps the engine from a false FAILED.
  const gw::PgResult<gw::PaymentList> payments = pg_.get_payments(record.order_id.view(), deadline);
  if (!payments.ok()) return failed(RequestKind::kGetStatus, "get payments", payments.error(), payments.info());
  return to_status_read(*order, *payments, record.cf_payment_id.view());
}

engine::Event PgSaleGateway::terminate(const engine::SaleRecord& record, hal::Millis deadline) {
  const gw::PgResult<gw::OrderEntity> ended =
      pg_.terminate_order(record.order_id.view(), record.terminate_key.view(), deadline);
  if (!ended.ok()) return failed(RequestKind::kTerminate, "terminate", ended.error(), ended.info());
  if (log_ != nullptr) log_->info(kTag, "order {} termination: {}", record.order_id, ended->order_status_text);
  engine::Event event;
  event.emplace<engine::Terminated>().order_status = to_engine(ended->order_status);
  return event;
}

}  // namespace posagent::agent
