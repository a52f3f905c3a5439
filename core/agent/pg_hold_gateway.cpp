#include "core/agent/pg_hold_gateway.hpp"

#include "core/agent/pg_sale_gateway.hpp"

namespace posagent::agent {

namespace {

namespace gw = gateway;
constexpr std::string_view kTag = "pg";

}  // namespace

Hold to_hold(const gw::PaymentAttempt& p) {
  Hold h;
  (void)h.payment_id.assign(p.cf_payment_id.view());
  h.authorized_paise = p.payment_amount_paise;
  if (!p.authorization.present) return h;  // kNone: not a pre-authorisation
  const gw::PaymentAuthorization& a = p.authorization;
  if (p.payment_status == gw::PaymentStatus::kVoid) {
    h.status = HoldStatus::kVoided;
  } else if (p.payment_status != gw::PaymentStatus::kSuccess) {
    h.status = HoldStatus::kNone;  // never authorised (failed, dropped, pending)
  } else if (a.action == gw::AuthorizationAction::kNone) {
    h.status = p.is_captured.value_or(false) ? HoldStatus::kUnknown : HoldStatus::kHeld;
  } else if (a.status != gw::AuthorizationStatus::kSuccess) {
    h.status = HoldStatus::kUnknown;  // an action still PENDING at the bank
  } else if (a.action == gw::AuthorizationAction::kCapture) {
    h.status = HoldStatus::kCaptured;
    h.captured_paise = a.captured_amount_paise;
  } else if (a.action == gw::AuthorizationAction::kVoid) {
    h.status = HoldStatus::kVoided;
  } else {
    h.status = HoldStatus::kUnknown;
  }
  return h;
}

HoldAnswer PgHoldGateway::read_hold(std::string_view order_id) {
  const hal::Millis deadline = clock_.monotonic_ms() + call_timeout_ms_;
  const gw::PgResult<gw::PaymentList> payments = pg_.get_payments(order_id, deadline);
  if (!payments.ok()) return failure_of(log_, engine::RequestKind::kNone, "get payments", payments.error(), payments.info());
  // The pre-authorised one: a successful or voided payment with an
  // authorization; at most one can be SUCCESS on an order.
  Hold found;
  for (std::size_t i = 0; i < payments->count; ++i) {
    const Hold h = to_hold(payments->attempts[i]);
    if (h.status != HoldStatus::kNone) return h;
  }
  return found;
}

HoldAnswer PgHoldGateway::authorize(std::string_view order_id, const Hold&, HoldAction action,
                                    std::int64_t amount_paise, std::string_view idempotency_key) {
  const hal::Millis deadline = clock_.monotonic_ms() + call_timeout_ms_;
  const gw::AuthorizeAction what = action == HoldAction::kVoid ? gw::AuthorizeAction::kVoid
                                                               : gw::AuthorizeAction::kCapture;
  const gw::PgResult<gw::PaymentAttempt> done = pg_.authorize_order(order_id, what, amount_paise, idempotency_key,
                                                                   deadline);
  if (!done.ok()) {
    return failure_of(log_, engine::RequestKind::kNone, action == HoldAction::kVoid ? "void" : "capture", done.error(),
                      done.info());
  }
  if (log_ != nullptr) {
    log_->info(kTag, "{} of order {}: payment {} {}{}", action == HoldAction::kVoid ? "void" : "capture", order_id,
               done->cf_payment_id, gw::to_string(done->payment_status), done.info().replayed ? " (replayed)" : "");
  }
  return to_hold(*done);
}

}  // namespace posagent::agent
