#include "lifecycle.h"

#include "api.h"
#include "cards.h"
#include "ids.h"
#include "refunds.h"
#include "webhooks.h"

namespace pgsim {
namespace {

// error_details for a payment that did not succeed. Codes follow the spec's
// ErrorDetailsInPaymentsEntity example; the descriptions are pgsim's own.
json error_details_for(const std::string& status, const std::string& code, const std::string& source) {
  json e;
  if (status == "FAILED") {
    e = {{"error_code", code.empty() ? "TRANSACTION_DECLINED" : code},
         {"error_description", "the payment was declined (" + source + ")"},
         {"error_reason", "auth_declined"},
         {"error_source", "customer"}};
  } else if (status == "USER_DROPPED") {
    e = {{"error_code", code.empty() ? "USER_DROPPED" : code},
         {"error_description", "the customer left without completing the payment (" + source + ")"},
         {"error_reason", "user_dropped"},
         {"error_source", "customer"}};
  } else {  // CANCELLED
    e = {{"error_code", code.empty() ? "TRANSACTION_CANCELLED" : code},
         {"error_description", "the attempt was closed by the gateway (" + source + ")"},
         {"error_reason", "order_terminated"},
         {"error_source", "cashfree"}};
  }
  e["error_code_raw"] = nullptr;
  e["error_description_raw"] = nullptr;
  e["error_subcode_raw"] = nullptr;
  return e;
}

}  // namespace

bool is_open(const Payment& p) { return p.status == "NOT_ATTEMPTED" || p.status == "PENDING"; }

void add_event(Order& o, int64_t now, const std::string& event, json detail) {
  json e = {{"at_ms", now}, {"event", event}};
  if (!detail.is_null()) e["detail"] = std::move(detail);
  o.events.push_back(std::move(e));
}

bool settle(State& st, Payment& p, const std::string& status, int64_t now, const std::string& source,
            const std::string& error_code) {
  if (!is_open(p)) return false;
  Order* o = st.find_order(p.order_id);
  if (!o) return false;
  if (status == "PENDING") {
    if (p.status == "PENDING") return true;
    p.status = "PENDING";
    p.message = "payment is pending with the customer's bank";
    add_event(*o, now, "payment_pending", {{"cf_payment_id", p.cf_payment_id}, {"source", source}});
    return true;
  }
  p.status = status;
  p.completed_ms = now;
  p.auto_settle_ms = 0;
  if (status == "SUCCESS") {
    p.bank_reference = random_digits(12);  // the UPI RRN / UTR
    p.message = "00::Paid (pgsim)";
    p.error_details = nullptr;
    if (p.method == "upi" && p.upi_id.empty()) p.upi_id = "customer@pgsimbank";
    if (p.method == "card") card_authorised(st, p);  // auth_id; pre-auth leaves it uncaptured
    const std::string before = o->status;
    json detail = {{"cf_payment_id", p.cf_payment_id}, {"source", source}, {"order_status_before", before}};
    if (before == "PAID") {
      add_event(*o, now, "payment_success_on_paid_order", std::move(detail));
    } else {
      o->status = "PAID";
      // A success that lands while a termination is pending wins the race.
      add_event(*o, now, before == "TERMINATION_REQUESTED" ? "paid_termination_overridden" : "paid", std::move(detail));
    }
  } else {
    p.error_details = error_details_for(status, error_code, source);
    p.message = status == "FAILED" ? "01::Declined" : status == "USER_DROPPED" ? "02::Dropped by customer"
                                                                                 : "03::Cancelled";
    add_event(*o, now, "payment_" + status, {{"cf_payment_id", p.cf_payment_id}, {"source", source}});
  }
  enqueue_payment_webhook(st, *o, p, now);  // to order_meta.notify_url, if the order has one
  return true;
}

void request_termination(State& st, const Config& cfg, Order& o, int64_t now) {
  if (o.status == "TERMINATION_REQUESTED" || o.status == "TERMINATED") {
    add_event(o, now, "termination_repeated");
    return;
  }
  if (o.status != "ACTIVE") {
    add_event(o, now, "termination_refused", {{"order_status", o.status}});
    throw invalid_request("order_inactive", "order_status : the order is " + o.status + " and cannot be terminated");
  }
  o.status = "TERMINATION_REQUESTED";
  o.termination_requested_ms = now;
  add_event(o, now, "termination_requested");
  tick(st, cfg, now);  // with a zero delay the order terminates at once
}

bool tick(State& st, const Config& cfg, int64_t now) {
  bool changed = false;
  for (auto& [id, p] : st.payments) {
    if (!is_open(p)) continue;
    Order* o = st.find_order(p.order_id);
    const bool terminated_first = o && o->status == "TERMINATION_REQUESTED" &&
                                  o->termination_requested_ms + cfg.termination_delay_ms <= now;
    if (p.auto_settle_ms && now >= p.auto_settle_ms) {
      // Whichever came first in time wins: the test VPA's outcome or the termination.
      if (!terminated_first || p.auto_settle_ms < o->termination_requested_ms + cfg.termination_delay_ms) {
        changed |= settle(st, p, p.auto_status, p.auto_settle_ms, "sandbox test VPA");
        continue;
      }
    }
    if (p.attempt_expiry_ms && now >= p.attempt_expiry_ms && !terminated_first)
      changed |= settle(st, p, "USER_DROPPED", p.attempt_expiry_ms,
                        p.channel == "collect" ? "collect request expired" : "attempt time limit passed");
  }
  for (auto& [id, o] : st.orders) {
    if (o.status == "ACTIVE" && now >= o.expiry_ms) {
      o.status = "EXPIRED";
      add_event(o, o.expiry_ms, "expired");
      changed = true;
    } else if (o.status == "TERMINATION_REQUESTED" && now >= o.termination_requested_ms + cfg.termination_delay_ms) {
      const int64_t at = o.termination_requested_ms + cfg.termination_delay_ms;
      for (const auto& pid : o.payment_ids) {
        Payment* p = st.find_payment(pid);
        if (p && is_open(*p)) settle(st, *p, "CANCELLED", at, "order terminated");
      }
      o.status = "TERMINATED";
      add_event(o, at, "terminated");
      changed = true;
    }
  }
  changed |= tick_refunds(st, now);
  for (auto it = st.idempotency.begin(); it != st.idempotency.end();) {
    if (it->second.created_ms + cfg.idempotency_ttl_ms <= now) {
      it = st.idempotency.erase(it);
      changed = true;
    } else {
      ++it;
    }
  }
  return changed;
}

}  // namespace pgsim
