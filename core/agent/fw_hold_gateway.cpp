#include "core/agent/fw_hold_gateway.hpp"

#include "core/agent/pg_sale_gateway.hpp"

namespace posagent::agent {

namespace {

namespace fw = flowwise;
namespace gw = gateway;

constexpr std::string_view kTag = "flowwise";

}  // namespace

Hold to_hold(const fw::FwPaymentDetails& p) {
  Hold h;
  (void)h.payment_id.assign(p.payment_id.view());  // read_hold refuses ids that do not fit
  h.authorized_paise = p.payment_amount_paise;
  if (p.payment_status != fw::FwPaymentStatus::kSuccess) return h;  // kNone: never authorised
  switch (p.capture_status) {
    case fw::FwCaptureStatus::kAuthorised: h.status = HoldStatus::kHeld; break;
    case fw::FwCaptureStatus::kCaptured:
      h.status = HoldStatus::kCaptured;
      h.captured_paise = p.capture_amount_paise;
      break;
    case fw::FwCaptureStatus::kVoided: h.status = HoldStatus::kVoided; break;
    default: h.status = HoldStatus::kUnknown; break;  // mid-action, failed, null or new
  }
  return h;
}

HoldAnswer FlowwiseHoldGateway::failed(std::string_view call, const gw::GatewayError& error) {
  // kNone: no engine request; the caller reads code and failure.
  const engine::RequestFailed f = to_request_failed(engine::RequestKind::kNone, error);
  if (log_ != nullptr) {
    log_->warn(kTag, "{} failed: {} {}, http {}, code '{}', '{}' -> {}", call, gw::to_string(error.origin),
               error.status.message(), error.http_status, error.code, error.message, gw::to_string(error.retry));
  }
  return f;
}

HoldAnswer FlowwiseHoldGateway::read_hold(std::string_view order_id) {
  const fw::FlowwiseResult<fw::FwPaymentList> payments = fw_.get_payments(order_id);
  if (!payments.ok()) return failed("get payments", payments.error());
  // At most one payment of an order succeeds: that one is the hold.
  for (std::size_t i = 0; i < payments->count && i < payments->payments.size(); ++i) {
    const fw::FwPaymentDetails& p = payments->payments[i];
    if (p.payment_status != fw::FwPaymentStatus::kSuccess) continue;
    if (p.payment_id.size() > engine::kCfIdCapacity) {
      // A Hold could not carry it, so authorize could not name the payment.
      return refusal(engine::RequestKind::kNone, "payment_id_too_long", "Gateway answer odd");
    }
    return to_hold(p);
  }
  return Hold{};
}

HoldAnswer FlowwiseHoldGateway::authorize(std::string_view order_id, const Hold& hold, HoldAction action,
                                          std::int64_t amount_paise, std::string_view idempotency_key) {
  if (hold.payment_id.empty()) {
    return refusal(engine::RequestKind::kNone, "payment_id_missing", "Read the hold first");
  }
  fw::FwAuthorizeRequest request;
  request.order_id = order_id;
  request.payment_id = hold.payment_id.view();
  request.action = action == HoldAction::kVoid ? fw::FwAuthorizeAction::kVoid : fw::FwAuthorizeAction::kCapture;
  // The field is required for VOID too; the router ignores it there.
  request.capture_amount_paise = action == HoldAction::kVoid ? 0 : amount_paise;
  const std::string_view what = action == HoldAction::kVoid ? "void" : "capture";
  const fw::FlowwiseResult<fw::FwPayment> done = fw_.authorize(request, idempotency_key);
  if (!done.ok()) return failed(what, done.error());
  if (log_ != nullptr) {
    log_->info(kTag, "{} of order {}: payment {} {} {}, {} paise captured{}", what, order_id, done->payment_id,
               done->payment_status_text, done->capture_status_text, done->capture_amount_paise,
               done.info().replayed ? " (replayed)" : "");
  }
  return to_hold(*done);
}

}  // namespace posagent::agent
