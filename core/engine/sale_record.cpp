#include "core/engine/sale_record.hpp"

namespace posagent::engine {

bool operator==(const SaleRecord& a, const SaleRecord& b) {
  return a.kind == b.kind && a.state == b.state && a.outcome == b.outcome && a.end_cause == b.end_cause &&
         a.cancel_requested == b.cancel_requested && a.authorize_only == b.authorize_only && a.gateway == b.gateway &&
         a.last_order_status == b.last_order_status &&
         a.last_payment_status == b.last_payment_status && a.sequence == b.sequence &&
         a.amount_paise == b.amount_paise && a.started_at_s == b.started_at_s && a.expiry_at_s == b.expiry_at_s &&
         a.order_id.view() == b.order_id.view() && a.create_key.view() == b.create_key.view() &&
         a.pay_key.view() == b.pay_key.view() && a.terminate_key.view() == b.terminate_key.view() &&
         a.cf_order_id.view() == b.cf_order_id.view() &&
         a.payment_session_id.view() == b.payment_session_id.view() &&
         a.cf_payment_id.view() == b.cf_payment_id.view() && a.intent.view() == b.intent.view() &&
         a.utr.view() == b.utr.view() && a.reason.view() == b.reason.view() &&
         a.card_label.view() == b.card_label.view();
}

std::string_view gateway_api_name(GatewayApi api) {
  switch (api) {
    case GatewayApi::kCashfreePg: return "Cashfree PG";
    case GatewayApi::kFlowwise: return "Flowwise";
  }
  return "?";
}

std::string_view state_name(State s) {
  switch (s) {
    case State::kIdle: return "Idle";
    case State::kCreatingOrder: return "CreatingOrder";
    case State::kStartingPayment: return "StartingPayment";
    case State::kAwaitingPayment: return "AwaitingPayment";
    case State::kTerminating: return "Terminating";
    case State::kConfirmingFinal: return "ConfirmingFinal";
    case State::kDone: return "Done";
    case State::kAwaitingOtp: return "AwaitingOtp";
  }
  return "?";
}

std::string_view outcome_name(Outcome o) {
  switch (o) {
    case Outcome::kNone: return "NONE";
    case Outcome::kPaid: return "PAID";
    case Outcome::kFailed: return "FAILED";
    case Outcome::kExpired: return "EXPIRED";
    case Outcome::kCancelled: return "CANCELLED";
    case Outcome::kUnknown: return "UNKNOWN";
    case Outcome::kAuthorized: return "AUTHORISED";
  }
  return "?";
}

std::string_view order_status_name(OrderStatus s) {
  switch (s) {
    case OrderStatus::kUnknown: return "Unknown";
    case OrderStatus::kActive: return "ACTIVE";
    case OrderStatus::kPaid: return "PAID";
    case OrderStatus::kExpired: return "EXPIRED";
    case OrderStatus::kTerminated: return "TERMINATED";
    case OrderStatus::kTerminationRequested: return "TERMINATION_REQUESTED";
  }
  return "?";
}

std::string_view payment_status_name(PaymentStatus s) {
  switch (s) {
    case PaymentStatus::kUnknown: return "Unknown";
    case PaymentStatus::kSuccess: return "SUCCESS";
    case PaymentStatus::kNotAttempted: return "NOT_ATTEMPTED";
    case PaymentStatus::kFailed: return "FAILED";
    case PaymentStatus::kUserDropped: return "USER_DROPPED";
    case PaymentStatus::kVoid: return "VOID";
    case PaymentStatus::kCancelled: return "CANCELLED";
    case PaymentStatus::kPending: return "PENDING";
  }
  return "?";
}

std::string_view end_cause_name(EndCause c) {
  switch (c) {
    case EndCause::kNone: return "none";
    case EndCause::kCancel: return "cancel";
    case EndCause::kExpiry: return "expiry";
    case EndCause::kAttemptFailed: return "attempt_failed";
    case EndCause::kPayRefused: return "pay_refused";
    case EndCause::kCreateConflict: return "create_conflict";
    case EndCause::kCardNotPresented: return "card_not_presented";
    case EndCause::kOtpTimedOut: return "otp_timed_out";
    case EndCause::kInterrupted: return "interrupted";
  }
  return "?";
}

}  // namespace posagent::engine
