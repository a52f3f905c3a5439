// The Flowwise state machines (see flowwise.h). All of it runs under the
// state lock; times passed in are when a thing happened, which may be before
// the tick that notices it.
#include "flowwise.h"
#include "ids.h"

namespace pgsim {
namespace {

// A refund is PENDING this long on pgsim's clock before its outcome.
constexpr int64_t kRefundSettleMs = 5000;
// Pre-authorised funds not captured in time go back to the customer; PG's
// pre-authorization docs give 7 days.
constexpr int64_t kAuthorisationTtlMs = 7LL * 24 * 3600 * 1000;

// The SPI's error object in a payment's status: {error_code, error_description}.
json error_details_for(const std::string& status, const std::string& code, const std::string& source) {
  if (status == "FAILED")
    return {{"error_code", code.empty() ? "TRANSACTION_DECLINED" : code},
            {"error_description", "the payment was declined (" + source + ")"}};
  return {{"error_code", code.empty() ? "USER_DROPPED" : code},
          {"error_description", "the customer left without completing the payment (" + source + ")"}};
}

void succeed(FwOrder& o, FwPayment& p, int64_t at) {
  p.utr = random_digits(12);
  if (p.method == "card") p.auth_id = "AUTH_" + random_digits(13);
  p.error_details = nullptr;
  if (o.capture_mode == "manual") {
    p.capture_status = "AUTHORISED";
    p.capture_paise = 0;
    p.authorisation_expiry_ms = at + kAuthorisationTtlMs;
    p.message = "Payment authorised; capture or void it";
  } else {
    p.capture_status = "CAPTURED";
    p.capture_paise = p.amount_paise;
    p.message = "Payment successful";
  }
  // An authorisation pays the order as a capture does: the customer is done.
  o.status = "PAID";
}

void settle_refund(FwRefund& r) {
  r.status = r.outcome;
  r.completed_ms = r.settle_ms;
  if (r.status == "SUCCESS") {
    r.utr = random_digits(12);
    r.message = "Refund processed successfully";
  } else {
    r.message = "Refund failed at the bank (pgsim: refund_note FAILED)";
  }
}

}  // namespace

bool fw_is_open(const FwPayment& p) {
  return p.status == "INITIATED" || p.status == "REDIRECTED" || p.status == "PENDING";
}

bool fw_settle(FlowwiseState& fw, FwPayment& p, const std::string& status, int64_t at, const std::string& source,
               const std::string& error_code) {
  FwOrder* o = fw.find_order(p.order_id);
  if (!fw_is_open(p) || !o) return false;
  if (status == "PENDING") {
    if (p.status == "PENDING") return false;
    p.status = "PENDING";
    p.message = "Payment is pending with the customer's bank";
    return true;
  }
  p.status = status;
  p.completed_ms = at;
  p.auto_settle_ms = 0;
  if (status == "SUCCESS") {
    succeed(*o, p, at);
  } else {
    p.error_details = error_details_for(status, error_code, source);
    p.message = status == "FAILED" ? "Payment failed" : "Payment dropped by the customer";
  }
  return true;
}

void fw_authorize(FwPayment& p, const std::string& action, int64_t amount_paise) {
  if (p.status != "SUCCESS")
    throw invalid_request("payment_not_authorised",
                          "payment_id : the payment is " + p.status + "; only an authorised payment can be " +
                              (action == "CAPTURE" ? "captured" : "voided"));
  if (p.capture_status == "CAPTURED")
    throw invalid_request("payment_already_captured", action == "CAPTURE"
                                                          ? "payment_id : the payment is already captured"
                                                          : "payment_id : a captured payment cannot be voided");
  if (p.capture_status == "VOIDED")
    throw invalid_request("payment_already_voided", action == "VOID"
                                                        ? "payment_id : the payment is already voided"
                                                        : "payment_id : a voided payment cannot be captured");
  if (action == "CAPTURE" && amount_paise > p.amount_paise)
    throw invalid_request("capture_amount_invalid", "capture_amount : cannot exceed the authorised payment_amount");
  p.authorisation_expiry_ms = 0;
  if (action == "CAPTURE") {
    p.capture_status = "CAPTURED";
    p.capture_paise = amount_paise;
    p.message = amount_paise == p.amount_paise ? "Payment captured successfully"
                                               : "Payment partially captured; the rest is released";
  } else {
    p.capture_status = "VOIDED";
    p.message = "Payment voided successfully";
  }
}

int64_t fw_refundable_paise(const FlowwiseState& fw, const FwPayment& p) {
  int64_t left = p.capture_status == "CAPTURED" ? p.capture_paise : 0;
  for (const auto& [id, r] : fw.refunds)
    if (r.payment_id == p.payment_id && r.status != "FAILED") left -= r.amount_paise;
  return left;
}

FwRefund& fw_add_refund(FlowwiseState& fw, const FwPayment& p, FwRefund r, int64_t now) {
  r.payment_id = p.payment_id;
  r.order_id = p.order_id;
  r.status = "PENDING";
  r.message = "Refund initiated";
  r.reference_id = random_digits(10);
  r.created_ms = now;
  const std::string note = r.note.is_string() ? r.note.get<std::string>() : "";
  r.outcome = note == "FAILED" ? "FAILED" : "SUCCESS";
  r.settle_ms = note == "PENDING" ? 0 : now + kRefundSettleMs;
  const std::string id = r.refund_id;
  return fw.refunds.emplace(id, std::move(r)).first->second;
}

bool flowwise_tick(FlowwiseState& fw, int64_t now) {
  bool changed = false;
  for (auto& [id, p] : fw.payments) {
    if (fw_is_open(p)) {
      const bool settles = p.auto_settle_ms && now >= p.auto_settle_ms;
      const bool expires = p.attempt_expiry_ms && now >= p.attempt_expiry_ms;
      // Whichever came first in time wins.
      if (settles && (!expires || p.auto_settle_ms <= p.attempt_expiry_ms))
        changed |= fw_settle(fw, p, p.auto_status, p.auto_settle_ms, "sandbox test VPA");
      else if (expires)
        changed |= fw_settle(fw, p, "USER_DROPPED", p.attempt_expiry_ms, "attempt time limit passed");
    } else if (p.capture_status == "AUTHORISED" && now >= p.authorisation_expiry_ms) {
      p.capture_status = "VOIDED";
      p.authorisation_expiry_ms = 0;
      p.message = "Authorisation lapsed uncaptured; the funds are released";
      changed = true;
    }
  }
  // After the payments: an attempt that succeeded before expiry wins.
  for (auto& [id, o] : fw.orders) {
    if (o.status == "ACTIVE" && now >= o.expiry_ms) {
      o.status = "EXPIRED";
      changed = true;
    }
  }
  for (auto& [id, r] : fw.refunds) {
    if (r.status == "PENDING" && r.settle_ms && now >= r.settle_ms) {
      settle_refund(r);
      changed = true;
    }
  }
  return changed;
}

}  // namespace pgsim
