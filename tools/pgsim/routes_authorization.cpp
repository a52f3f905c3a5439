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
#include "clock.h"
#include "entities.h"
#include "ids.h"
#include "lifecycle.h"
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
    if (p && !p->authorization.is_null()) return *p;
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
  if (c.now > p.completed_ms + kAuthorizationWindowMs)
    throw invalid_request("authorization_expired",
                          "the authorisation is older than 7 days and can no longer be captured or voided");
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

}  // namespace

void add_authorization_routes(Routes& r) {
  r.push_back({"POST", std::regex("/pg/orders/([A-Za-z0-9_-]+)/authorization"), Kind::PgMerchant, "authorize", 100,
               authorize});
}

}  // namespace pgsim
