// Pre-authorisation: POST /pg/orders/{order_id}/authorization with
// {"action":"CAPTURE","amount":N} or {"action":"VOID"}; the answer is the
// PaymentEntity with its authorization block.
//
// A card payment is authorised only (SUCCESS, is_captured false,
// authorization.status PENDING) when pgsim runs with --preauth-cards or the
// order carries the pgsim-only tag pgsim_preauth "true". The order is PAID
// from the authorisation on, as Cashfree marks an order paid once a payment
// succeeds; after a VOID it stays PAID and the payment's VOID says the money
// went back (Cashfree does not document the order status after a void).
//
// Choices where Cashfree's documents are silent:
// - Partial capture is allowed (amount <= the authorised amount); the docs
//   conflict on it for cards, and a partial capture is the stricter case for
//   a client's bookkeeping.
// - Capture or void happens once. Repeating the same action is 409 (the docs
//   say a duplicate CAPTURE can give 409): payment_already_captured /
//   payment_already_voided. The opposite action is 400 with the same codes.
// - No authorised payment on the order: 404 authorization_not_found.
// - More than 7 days after the authorisation: 400 authorization_expired.
// - CAPTURE without amount: amount_missing; above the authorised amount, not
//   positive, or more than two decimals: amount_invalid.
//
// UPI collect one-time mandates (upi.authorize_only true): the payment
// carries its authorization block from the start (times set, status
// PENDING) and is captured or voided like a card's, until end_time instead
// of 7 days. authorization's three times are optional: start_time defaults
// to now, end_time to 7 days after start_time, approve_by to the collect's
// expiry. Codes: authorize_only_invalid (not a boolean, or not channel
// collect), authorization_missing / authorization_invalid, and
// start_time_invalid / end_time_invalid / approve_by_invalid.
#include <algorithm>

#include "clock.h"
#include "entities.h"
#include "ids.h"
#include "lifecycle.h"
#include "preauth.h"
#include "routes.h"
#include "validate.h"

namespace pgsim {
namespace {

constexpr int64_t kAuthorizationWindowMs = 7LL * 24 * 3600 * 1000;

std::string auth_action(const json& b) {
  auto a = b.find("action");
  if (a == b.end() || a->is_null() || (a->is_string() && a->get<std::string>().empty()))
    throw invalid_request("action_missing", "action : is required");
  if (!a->is_string() || (*a != "CAPTURE" && *a != "VOID"))
    throw invalid_request("action_invalid", "action : must be CAPTURE or VOID");
  return a->get<std::string>();
}

Payment& authorised_payment(Ctx& c, const Order& o) {
  for (const auto& id : o.payment_ids) {
    Payment* p = c.st.find_payment(id);
    if (p && !p->authorization.is_null() && (p->status == "SUCCESS" || p->status == "VOID")) return *p;
  }
  throw not_found("authorization_not_found", "order_id : the order has no pre-authorised payment");
}

void refuse_repeat(const Payment& p, const std::string& action) {
  const json done = p.authorization.value("action", json());
  if (done.is_null()) return;
  const bool same = done == action;
  const int status = same ? 409 : 400;
  if (done == "CAPTURE")
    throw ApiError(status, "payment_already_captured", "invalid_request_error",
                   same ? "the payment has already been captured; a payment is captured once"
                        : "a captured payment cannot be voided");
  throw ApiError(status, "payment_already_voided", "invalid_request_error",
                 same ? "the payment has already been voided" : "a voided payment cannot be captured");
}

// UPI mandates until their end_time; cards for 7 days after the authorisation.
int64_t action_deadline(const Payment& p) {
  const json end = p.authorization.value("end_time", json());
  if (end.is_string()) return parse_iso8601(end.get<std::string>()).value_or(0);
  return p.completed_ms + kAuthorizationWindowMs;
}

int64_t capture_amount(const json& b, const Payment& p) {
  auto a = b.find("amount");
  if (a == b.end() || a->is_null()) throw invalid_request("amount_missing", "amount : is required to CAPTURE");
  const auto paise = to_paise(*a);
  if (!paise || *paise <= 0) throw invalid_request("amount_invalid", "amount : must be a positive amount, at most two decimals");
  if (*paise > p.amount_paise)
    throw invalid_request("amount_invalid", "amount : must not exceed the authorised amount");
  return *paise;
}

Reply authorize(Ctx& c) {
  Order* o = c.st.find_order(c.params[0]);
  if (!o) throw not_found("order_not_found", "order_id : no order with id '" + c.params[0] + "'");
  if (!c.body.is_object()) throw invalid_request("request_invalid", "the request body must be a JSON object");
  const std::string action = auth_action(c.body);
  Payment& p = authorised_payment(c, *o);
  refuse_repeat(p, action);
  if (c.now > action_deadline(p))
    throw invalid_request("authorization_expired",
                          "the authorisation has expired (7 days for cards, end_time for UPI) and can no longer be "
                          "captured or voided");
  const int64_t captured = action == "CAPTURE" ? capture_amount(c.body, p) : 0;
  p.authorization["action"] = action;
  p.authorization["status"] = "SUCCESS";
  p.authorization["captured_amount"] = paise_to_json(captured);
  p.authorization["action_reference"] = random_digits(22);  // the spec's example has 22 digits
  p.authorization["action_time"] = format_ist(c.now);
  if (action == "VOID") p.status = "VOID";
  add_event(*o, c.now, action == "CAPTURE" ? "authorization_captured" : "authorization_voided",
            {{"cf_payment_id", p.cf_payment_id}, {"captured_paise", captured}});
  c.changed = true;
  return json_reply(200, payment_entity(p, *o));
}

// An optional ISO 8601 time in `authorization`.
std::optional<int64_t> time_field(const json& a, const char* key) {
  auto it = a.find(key);
  if (it == a.end() || it->is_null()) return std::nullopt;
  auto t = it->is_string() ? parse_iso8601(it->get<std::string>()) : std::nullopt;
  if (!t)
    throw invalid_request(std::string(key) + "_invalid",
                          std::string("authorization.") + key + " : must be an ISO 8601 time, e.g. 2021-07-02T10:20:12+05:30");
  return t;
}

}  // namespace

json pending_authorization(json start_time, json end_time, json approve_by) {
  return {{"action", nullptr},
          {"status", "PENDING"},
          {"captured_amount", 0},
          {"start_time", std::move(start_time)},
          {"end_time", std::move(end_time)},
          {"approve_by", std::move(approve_by)},
          {"action_reference", nullptr},
          {"action_time", nullptr}};
}

json upi_authorization(const json& upi, const std::string& channel, int64_t now) {
  auto flag = upi.find("authorize_only");
  if (flag == upi.end() || flag->is_null()) return nullptr;
  if (!flag->is_boolean()) throw invalid_request("authorize_only_invalid", "authorize_only : must be true or false");
  if (!flag->get<bool>()) return nullptr;
  if (channel != "collect")
    throw invalid_request("authorize_only_invalid", "authorize_only : UPI pre-authorisation is for the collect channel only");
  auto a = upi.find("authorization");
  if (a == upi.end() || a->is_null())
    throw invalid_request("authorization_missing", "authorization : is required with authorize_only");
  if (!a->is_object()) throw invalid_request("authorization_invalid", "authorization : must be an object");
  const int64_t start = time_field(*a, "start_time").value_or(now);
  const int64_t end = time_field(*a, "end_time").value_or(start + kAuthorizationWindowMs);
  if (end <= start || end <= now)
    throw invalid_request("end_time_invalid", "authorization.end_time : must be after start_time and in the future");
  const auto approve_by = time_field(*a, "approve_by");
  if (approve_by && (*approve_by <= now || *approve_by > end))
    throw invalid_request("approve_by_invalid", "authorization.approve_by : must be in the future and before end_time");
  return pending_authorization(format_ist(start), format_ist(end), approve_by ? json(format_ist(*approve_by)) : json());
}

void hold_upi_authorization(Payment& p, const json& authorization) {
  p.authorization = authorization;
  if (!authorization["approve_by"].is_string()) {
    p.authorization["approve_by"] = format_ist(p.collect_expiry_ms);
    return;
  }
  const int64_t approve_by = parse_iso8601(authorization["approve_by"].get<std::string>()).value_or(p.collect_expiry_ms);
  p.collect_expiry_ms = std::min(p.collect_expiry_ms, approve_by);
  p.attempt_expiry_ms = p.collect_expiry_ms;
}

void add_authorization_routes(Routes& r) {
  r.push_back({"POST", std::regex("/pg/orders/([A-Za-z0-9_-]+)/authorization"), Kind::PgMerchant, "authorize", 100,
               authorize});
}

}  // namespace pgsim
