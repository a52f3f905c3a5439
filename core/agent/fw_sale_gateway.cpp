#include "core/agent/fw_sale_gateway.hpp"

#include <array>
#include <initializer_list>

#include "core/agent/text_cut.hpp"

namespace posagent::agent {

namespace {

using engine::RequestKind;
namespace fw = flowwise;
namespace gw = gateway;

constexpr std::string_view kTag = "flowwise";

// A 400 about a field of the card itself (pgsim: card_number_*,
// card_expiry_*, card_cvv_*, card_display_*, cryptogram_*,
// token_requestor_id_*): reading or keying the card again may help.
bool card_field_refused(const gw::GatewayError& e) {
  if (e.http_status != 400) return false;
  const std::string_view code = e.code.view();
  for (const std::string_view field : {"card_number_", "card_expiry_", "card_cvv_", "card_holder_name_",
                                       "card_display_", "cryptogram_", "token_requestor_id_"}) {
    if (code.starts_with(field)) return true;
  }
  return false;
}

}  // namespace

engine::OrderStatus to_engine(fw::FwOrderStatus status) {
  switch (status) {
    case fw::FwOrderStatus::kActive: return engine::OrderStatus::kActive;
    case fw::FwOrderStatus::kPaid: return engine::OrderStatus::kPaid;
    case fw::FwOrderStatus::kExpired: return engine::OrderStatus::kExpired;
    case fw::FwOrderStatus::kUnknown: break;
  }
  return engine::OrderStatus::kUnknown;
}

engine::PaymentStatus to_engine(fw::FwPaymentStatus status) {
  switch (status) {
    // The customer or the bank may still act: the engine waits on these.
    case fw::FwPaymentStatus::kInitiated:
    case fw::FwPaymentStatus::kRedirected:
    case fw::FwPaymentStatus::kPending: return engine::PaymentStatus::kPending;
    case fw::FwPaymentStatus::kSuccess: return engine::PaymentStatus::kSuccess;
    // Ended unpaid: refused at the start, declined, or paid and given back.
    case fw::FwPaymentStatus::kInitFailed:
    case fw::FwPaymentStatus::kReversed:
    case fw::FwPaymentStatus::kFailed: return engine::PaymentStatus::kFailed;
    case fw::FwPaymentStatus::kUserDropped: return engine::PaymentStatus::kUserDropped;
    case fw::FwPaymentStatus::kUnknown: break;
  }
  return engine::PaymentStatus::kUnknown;
}

engine::RequestFailed flowwise_request_failed(RequestKind request, const gw::GatewayError& error) {
  engine::RequestFailed f = to_request_failed(request, error);
  if (request == RequestKind::kOrderPay && error.http_status == 404 && error.code == "order_not_found") {
    // Create Payment finds only ACTIVE orders: this one may have been paid
    // or have expired. The engine reads such an order rather than ending it.
    assign_cut(f.code, "order_inactive");
  }
  if (request == RequestKind::kOrderPay && card_field_refused(error)) f.card_reentry = true;
  return f;
}

engine::StatusRead to_status_read(const fw::FwOrder& order, const fw::FwPaymentList& payments,
                                  std::string_view our_payment_id) {
  engine::StatusRead read;
  read.order_status = to_engine(order.order_status);
  const std::size_t count = payments.count < payments.payments.size() ? payments.count : payments.payments.size();
  // Priority passes, as PgSaleGateway's: the payments the engine decides
  // from (any SUCCESS, any open one, ours) are never the ones left out.
  std::array<bool, fw::kMaxPayments> taken{};
  const auto take = [&](auto wanted) {
    // Newest first: the router lists payments oldest first.
    for (std::size_t k = count; k-- > 0;) {
      if (read.attempt_count == engine::kMaxAttempts) return;
      const fw::FwPaymentDetails& p = payments.payments[k];
      if (taken[k] || !wanted(p)) continue;
      taken[k] = true;
      engine::PaymentAttempt& out = read.attempts[read.attempt_count++];
      out.status = to_engine(p.payment_status);
      // An id longer than the engine's stays empty (the engine then cannot
      // tell it from ours); ours always fits, pay() refuses longer ones.
      (void)out.cf_payment_id.assign(p.payment_id.view());
      assign_cut(out.bank_reference, p.utr.view());
      assign_cut(out.failure_reason,
                 !p.error_description.empty() ? p.error_description.view() : p.payment_message.view());
      // Manual capture: SUCCESS means authorised; until CAPTURED the money
      // is only held (a capture still requested or failed included).
      out.authorized_only = p.payment_status == fw::FwPaymentStatus::kSuccess &&
                            p.capture_status != fw::FwCaptureStatus::kNone &&
                            p.capture_status != fw::FwCaptureStatus::kCaptured;
    }
  };
  take([](const fw::FwPaymentDetails& p) { return p.payment_status == fw::FwPaymentStatus::kSuccess; });
  take([](const fw::FwPaymentDetails& p) { return fw::is_open(p.payment_status); });
  take([&](const fw::FwPaymentDetails& p) { return !our_payment_id.empty() && p.payment_id == our_payment_id; });
  take([](const fw::FwPaymentDetails&) { return true; });
  return read;
}

std::uint32_t flowwise_expiry_minutes(const engine::SaleRecord& record) {
  const std::int64_t lifetime_s = record.expiry_at_s - record.started_at_s;
  if (lifetime_s <= std::int64_t{fw::kMinExpiryMinutes} * 60) return fw::kMinExpiryMinutes;
  const std::int64_t minutes = (lifetime_s + 59) / 60;
  return minutes > fw::kMaxExpiryMinutes ? fw::kMaxExpiryMinutes : static_cast<std::uint32_t>(minutes);
}

engine::Event FlowwiseSaleGateway::send(RequestKind request, const engine::SaleRecord& record,
                                        const SaleSecrets& secrets) {
  switch (request) {
    case RequestKind::kCreateOrder: return create(record);
    case RequestKind::kOrderPay: return record.is_card() ? pay_card(record, secrets) : pay_upi(record);
    case RequestKind::kGetStatus: return status(record);
    case RequestKind::kTerminate: return terminate(record);
    case RequestKind::kSubmitOtp:
    case RequestKind::kResendOtp:
      // Never asked for: PaymentStarted never sets needs_otp here.
      return refusal(request, "otp_unsupported", "OTP not offered");
    case RequestKind::kReadCard:
    case RequestKind::kNone: break;
  }
  return refusal(request, "no_request", "Nothing to send");
}

engine::Event FlowwiseSaleGateway::failed(RequestKind request, std::string_view call, const gw::GatewayError& error,
                                          const gw::PgCallInfo& info) {
  const engine::RequestFailed f = flowwise_request_failed(request, error);
  if (log_ != nullptr) {
    log_->warn(kTag, "{} failed: {} {}, http {}, code '{}', '{}' -> {} (request id {})", call,
               gw::to_string(error.origin), error.status.message(), error.http_status, error.code, error.message,
               gw::to_string(error.retry), info.request_id);
  }
  return f;
}

engine::Event FlowwiseSaleGateway::create(const engine::SaleRecord& record) {
  fw::FwCreateOrderRequest order;
  order.order_id = record.order_id.view();
  order.amount_paise = record.amount_paise;
  order.customer.customer_id = defaults_.customer_id.view();
  order.customer.customer_phone = defaults_.customer_phone.view();
  order.terminal_id = defaults_.terminal_tag.view();
  order.expiry_minutes = flowwise_expiry_minutes(record);
  order.order_note = defaults_.order_note.view();
  const std::string_view sale = !record.is_card() ? "upi_qr" : record.authorize_only ? "card_preauth" : "card";
  const gw::OrderTag tags[] = {{"sale", sale}};
  order.order_tags = tags;
  // A pre-authorisation: payments succeed AUTHORISED and wait for capture.
  order.manual_capture = record.authorize_only;

  const fw::FlowwiseResult<fw::FwOrder> created = fw_.create_order(order, record.create_key.view());
  if (!created.ok()) return failed(RequestKind::kCreateOrder, "create order", created.error(), created.info());
  if (log_ != nullptr) {
    // Not the order_hash: with it anyone can open the order's checkout.
    log_->info(kTag, "order {} created: {}, expires in {} min{}", created->order_id, created->order_status_text,
               order.expiry_minutes, created.info().replayed ? " (replayed)" : "");
  }
  engine::Event event;
  engine::OrderCreated& out = event.emplace<engine::OrderCreated>();
  if (!out.payment_session_id.assign(created->order_hash.view())) {
    // Our journal could not hold it: the sale cannot go on with this order.
    return refusal(RequestKind::kCreateOrder, "order_hash_too_long", "Gateway answer odd");
  }
  if (created->order_expiry_time.has_value()) out.order_expiry_s = created->order_expiry_time->unix_seconds();
  return event;
}

engine::Event FlowwiseSaleGateway::pay_upi(const engine::SaleRecord& record) {
  fw::FwUpiPaymentRequest request;
  request.order_hash = record.payment_session_id.view();
  request.flow = fw::FwUpiFlow::kIntent;
  const fw::FlowwiseResult<fw::FwPayment> paid = fw_.create_upi_payment(request, record.pay_key.view());
  if (!paid.ok()) return failed(RequestKind::kOrderPay, "create payment", paid.error(), paid.info());
  if (paid->payload.empty()) {
    // Nothing to draw (the client refuses an open intent without one, so
    // this payment has already ended): the customer cannot pay it.
    return refusal(RequestKind::kOrderPay, "intent_missing", "No QR from gateway");
  }
  engine::Event event;
  engine::PaymentStarted& out = event.emplace<engine::PaymentStarted>();
  if (!out.cf_payment_id.assign(paid->payment_id.view())) {
    return refusal(RequestKind::kOrderPay, "payment_id_too_long", "Gateway answer odd");
  }
  (void)out.intent.assign(paid->payload.view());  // kPayloadCapacity == kIntentCapacity
  if (log_ != nullptr) {
    log_->info(kTag, "payment {} started for order {}: {}{}", paid->payment_id, record.order_id,
               paid->payment_status_text, paid.info().replayed ? " (replayed)" : "");
  }
  return event;
}

engine::Event FlowwiseSaleGateway::pay_card(const engine::SaleRecord& record, const SaleSecrets& secrets) {
  if (secrets.card == nullptr || secrets.card->empty()) {
    // The card is gone (it is never journaled): it must be read again.
    engine::RequestFailed f = refusal(RequestKind::kOrderPay, "card_missing", "Present card again");
    f.card_reentry = true;
    return f;
  }
  fw::FwCardPaymentRequest request;
  request.order_hash = record.payment_session_id.view();
  // The client prints the card into a wiped arena and body; nothing here
  // reads or copies it.
  const fw::FlowwiseResult<fw::FwPayment> paid =
      fw_.create_card_payment(request, *secrets.card, record.pay_key.view());
  if (!paid.ok()) return failed(RequestKind::kOrderPay, "card payment", paid.error(), paid.info());
  if (paid->redirect_url.empty()) {
    // No page for the customer (a payment already decided, or a step this
    // build does not know): end the order; a status read still finds a
    // success.
    return refusal(RequestKind::kOrderPay, "redirect_missing", "Card step unknown");
  }
  engine::Event event;
  engine::PaymentStarted& out = event.emplace<engine::PaymentStarted>();
  if (!out.cf_payment_id.assign(paid->payment_id.view())) {
    return refusal(RequestKind::kOrderPay, "payment_id_too_long", "Gateway answer odd");
  }
  (void)out.intent.assign(paid->redirect_url.view());  // kRedirectUrlCapacity == kIntentCapacity
  out.needs_otp = false;
  if (log_ != nullptr) {
    log_->info(kTag, "card payment {} started for order {}: {}, 3-D Secure page{}", paid->payment_id,
               record.order_id, paid->payment_status_text, paid.info().replayed ? " (replayed)" : "");
  }
  return event;
}

engine::Event FlowwiseSaleGateway::status(const engine::SaleRecord& record) {
  const fw::FlowwiseResult<fw::FwOrder> order = fw_.get_order(record.order_id.view());
  if (!order.ok()) return failed(RequestKind::kGetStatus, "get order", order.error(), order.info());
  // The payments after the order: a SUCCESS that lands in between shows in
  // the payments and keeps the engine from a false FAILED.
  const fw::FlowwiseResult<fw::FwPaymentList> payments = fw_.get_payments(record.order_id.view());
  if (!payments.ok()) return failed(RequestKind::kGetStatus, "get payments", payments.error(), payments.info());
  return to_status_read(*order, *payments, record.cf_payment_id.view());
}

engine::Event FlowwiseSaleGateway::terminate(const engine::SaleRecord& record) {
  // Nothing can end a Flowwise order (see the header): where it stands.
  const fw::FlowwiseResult<fw::FwOrder> order = fw_.get_order(record.order_id.view());
  if (!order.ok()) return failed(RequestKind::kTerminate, "get order (terminate)", order.error(), order.info());
  if (log_ != nullptr) {
    log_->info(kTag, "order {} is {}: Flowwise cannot terminate it; it ends paid or at its expiry",
               record.order_id, order->order_status_text);
  }
  engine::Event event;
  event.emplace<engine::Terminated>().order_status = to_engine(order->order_status);
  return event;
}

}  // namespace posagent::agent
