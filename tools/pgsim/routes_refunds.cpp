// Refunds: Create (POST /pg/orders/{order_id}/refunds), Get all for an order
// (GET .../refunds) and Get one (GET .../refunds/{refund_id}), answering
// RefundEntity.
//
// Choices where Cashfree's documents are silent:
// - refund_id is unique within its order: the same id again is 409
//   refund_already_exists, whatever the body (an x-idempotency-key is how a
//   client replays a request).
// - Only a PAID order is refunded (else 400 order_not_paid), from its
//   successful payment, which must be captured (else 400
//   payment_not_captured: a pre-authorisation not captured, or voided).
// - Refundable: the captured amount less the refunds that are not FAILED or
//   CANCELLED; asking for more is 400 refund_amount_invalid.
// - Unknown refund_id on a known order: 404 refund_not_found.
// - A new refund is PENDING. --refund-settle-ms later on pgsim's clock it
//   becomes SUCCESS (refund_arn, processed_at set) unless refund_note is one
//   of the sandbox's outcomes: "SUCCESS", "FAILED", "CANCELLED" and "ONHOLD"
//   arrive at that time, "PENDING" stays pending.
// - INSTANT is accepted and processed as requested; pgsim charges nothing.
#include <algorithm>
#include <cctype>
#include <set>

#include "clock.h"
#include "ids.h"
#include "lifecycle.h"
#include "refunds.h"
#include "routes.h"
#include "validate.h"
#include "webhooks.h"

namespace pgsim {
namespace {

struct RefundRequest {
  int64_t amount_paise = 0;
  std::string refund_id;
  std::string note;
  std::string speed = "STANDARD";
  json splits = json::array();
};

[[noreturn]] void bad(const std::string& field, const std::string& problem) {
  throw invalid_request(field + "_invalid", field + " : " + problem);
}

// An optional string: nothing when absent or null; else it must be a string.
std::optional<std::string> opt_string(const json& b, const char* key) {
  auto it = b.find(key);
  if (it == b.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) bad(key, "must be a string");
  return it->get<std::string>();
}

RefundRequest read_request(const json& b) {
  if (!b.is_object()) throw invalid_request("request_invalid", "the request body must be a JSON object");
  RefundRequest rq;
  auto amount = b.find("refund_amount");
  if (amount == b.end() || amount->is_null())
    throw invalid_request("refund_amount_missing", "refund_amount : is required");
  const auto paise = to_paise(*amount);
  if (!paise || *paise <= 0) bad("refund_amount", "must be a positive amount with at most two decimals");
  rq.amount_paise = *paise;
  auto id = opt_string(b, "refund_id");
  if (!id || id->empty()) throw invalid_request("refund_id_missing", "refund_id : is required");
  if (id->size() < 3 || id->size() > 40 || !id_chars(*id))
    bad("refund_id", "3 to 40 letters, digits, '_' or '-'");
  rq.refund_id = *id;
  if (auto note = opt_string(b, "refund_note")) {
    if (note->size() < 3 || note->size() > 100) bad("refund_note", "length must be between 3 and 100");
    rq.note = *note;
  }
  if (auto speed = opt_string(b, "refund_speed")) {
    if (*speed != "STANDARD" && *speed != "INSTANT") bad("refund_speed", "must be STANDARD or INSTANT");
    rq.speed = *speed;
  }
  if (auto s = b.find("refund_splits"); s != b.end() && !s->is_null()) {
    if (!s->is_array()) bad("refund_splits", "must be an array");
    rq.splits = *s;
  }
  return rq;
}

Order& order_or_404(Ctx& c) {
  Order* o = c.st.find_order(c.params[0]);
  if (!o) throw not_found("order_not_found", "order_id : no order with id '" + c.params[0] + "'");
  return *o;
}

Refund* find_refund(State& st, const std::string& order_id, const std::string& refund_id) {
  for (auto& [id, r] : st.refunds)
    if (r.order_id == order_id && r.refund_id == refund_id) return &r;
  return nullptr;
}

const Payment& paid_payment(State& st, const Order& o) {
  if (o.status != "PAID")
    throw invalid_request("order_not_paid", "order_id : the order is " + o.status + "; only a PAID order is refunded");
  for (const auto& id : o.payment_ids)
    if (const Payment* p = st.find_payment(id); p && p->status == "SUCCESS") return *p;
  throw invalid_request("payment_not_captured", "order_id : the order's payment was voided; nothing was captured");
}

int64_t captured_paise(const Payment& p) {
  if (p.authorization.is_null()) return p.amount_paise;
  if (p.authorization.value("action", json()) != "CAPTURE") return 0;
  return to_paise(p.authorization["captured_amount"]).value_or(0);
}

int64_t refunded_paise(const State& st, const std::string& order_id) {
  int64_t sum = 0;
  for (const auto& [id, r] : st.refunds)
    if (r.order_id == order_id && r.status != "FAILED" && r.status != "CANCELLED") sum += r.amount_paise;
  return sum;
}

std::string status_description(const std::string& status) {
  if (status == "SUCCESS") return "Refund processed successfully";
  if (status == "FAILED") return "Refund failed (pgsim sandbox)";
  if (status == "CANCELLED") return "Refund cancelled";
  if (status == "ONHOLD") return "Refund on hold";
  return "In Progress";
}

json refund_entity(const Refund& r) {
  auto or_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  return {{"cf_payment_id", r.cf_payment_id},
          {"cf_refund_id", r.cf_refund_id},
          {"refund_id", r.refund_id},
          {"order_id", r.order_id},
          {"entity", "refund"},
          {"refund_amount", paise_to_json(r.amount_paise)},
          {"refund_currency", r.currency},
          {"refund_note", or_null(r.note)},
          {"refund_status", r.status},
          {"refund_arn", or_null(r.arn)},
          {"refund_charge", 0},
          {"status_description", status_description(r.status)},
          {"metadata", nullptr},
          {"refund_splits", r.refund_splits},
          {"refund_type", "MERCHANT_INITIATED"},
          {"refund_mode", r.speed},
          {"created_at", format_ist(r.created_ms)},
          {"processed_at", r.processed_ms ? json(format_ist(r.processed_ms)) : json(nullptr)},
          {"refund_speed",
           {{"requested", r.speed},
            {"accepted", r.speed},
            {"processed", r.status == "SUCCESS" ? json(r.speed) : json(nullptr)},
            {"message", nullptr}}},
          {"forex_conversion_handling_charge", nullptr},
          {"forex_conversion_handling_tax", nullptr},
          {"forex_conversion_rate", nullptr},
          {"charges_currency", r.currency}};
}

Reply create_refund(Ctx& c) {
  Order& o = order_or_404(c);
  const RefundRequest rq = read_request(c.body);
  if (find_refund(c.st, o.order_id, rq.refund_id))
    throw ApiError(409, "refund_already_exists", "invalid_request_error", "refund with same id is already present");
  const Payment& p = paid_payment(c.st, o);
  const int64_t captured = captured_paise(p);
  if (captured == 0)
    throw invalid_request("payment_not_captured", "order_id : the pre-authorised payment has not been captured");
  const int64_t left = captured - refunded_paise(c.st, o.order_id);
  if (rq.amount_paise > left)
    bad("refund_amount", "must not exceed the refundable amount, " + paise_to_json(left).dump());

  Refund r;
  r.cf_refund_id = std::to_string(c.st.next_cf_refund_id++);
  r.refund_id = rq.refund_id;
  r.order_id = o.order_id;
  r.cf_payment_id = p.cf_payment_id;
  r.amount_paise = rq.amount_paise;
  r.currency = o.currency;
  r.note = rq.note;
  r.speed = rq.speed;
  r.refund_splits = rq.splits;
  r.created_ms = c.now;
  static const std::set<std::string> kForced = {"SUCCESS", "FAILED", "CANCELLED", "ONHOLD"};
  if (rq.note != "PENDING") {
    r.settle_at_ms = c.now + c.cfg.refund_settle_ms;
    r.settle_to = kForced.count(rq.note) ? rq.note : "SUCCESS";
  }
  add_event(o, c.now, "refund_created", {{"cf_refund_id", r.cf_refund_id}, {"amount_paise", r.amount_paise}});
  c.changed = true;
  auto [it, inserted] = c.st.refunds.emplace(r.cf_refund_id, std::move(r));
  (void)inserted;
  return json_reply(200, refund_entity(it->second));
}

Reply list_refunds(Ctx& c) {
  const Order& o = order_or_404(c);
  std::vector<const Refund*> mine;
  for (const auto& [id, r] : c.st.refunds)
    if (r.order_id == o.order_id) mine.push_back(&r);
  std::sort(mine.begin(), mine.end(), [](const Refund* a, const Refund* b) {
    return a->created_ms != b->created_ms ? a->created_ms < b->created_ms
                                          : std::stoull(a->cf_refund_id) < std::stoull(b->cf_refund_id);
  });
  json out = json::array();
  for (const Refund* r : mine) out.push_back(refund_entity(*r));
  return json_reply(200, out);
}

Reply get_refund(Ctx& c) {
  const Order& o = order_or_404(c);
  const Refund* r = find_refund(c.st, o.order_id, c.params[1]);
  if (!r) throw not_found("refund_not_found", "refund_id : no refund '" + c.params[1] + "' on this order");
  return json_reply(200, refund_entity(*r));
}

}  // namespace

bool tick_refunds(State& st, int64_t now) {
  bool changed = false;
  for (auto& [id, r] : st.refunds) {
    if (r.status != "PENDING" || !r.settle_at_ms || now < r.settle_at_ms) continue;
    r.status = r.settle_to;
    r.processed_ms = r.settle_at_ms;
    r.settle_at_ms = 0;
    if (r.status == "SUCCESS") r.arn = "RF" + random_digits(10);
    if (Order* o = st.find_order(r.order_id)) {
      add_event(*o, r.processed_ms, "refund_" + r.status, {{"cf_refund_id", r.cf_refund_id}});
      // A refund that reached its outcome is announced, as Cashfree does.
      enqueue_webhook(st, *o, "REFUND_STATUS_WEBHOOK", {{"refund", refund_entity(r)}}, r.processed_ms);
    }
    changed = true;
  }
  return changed;
}

void add_refund_routes(Routes& r) {
  // Cashfree's production limits: Initiate Refund 100, Get Refund 30 per minute.
  const std::string id = "([A-Za-z0-9_-]+)";
  r.push_back({"POST", std::regex("/pg/orders/" + id + "/refunds"), Kind::PgMerchant, "create_refund", 100,
               create_refund});
  r.push_back({"GET", std::regex("/pg/orders/" + id + "/refunds"), Kind::PgMerchant, "get_refund", 30, list_refunds});
  r.push_back({"GET", std::regex("/pg/orders/" + id + "/refunds/" + id), Kind::PgMerchant, "get_refund", 30,
               get_refund});
}

}  // namespace pgsim
