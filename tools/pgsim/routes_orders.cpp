// Orders: Create, Get, Terminate (PATCH), and the order's payments.
#include "entities.h"
#include "ids.h"
#include "lifecycle.h"
#include "routes.h"
#include "terminals.h"
#include "validate.h"

namespace pgsim {
namespace {

Order& order_or_404(Ctx& c, const std::string& id) {
  Order* o = c.st.find_order(id);
  if (!o) throw not_found("order_not_found", "order_id : no order with id '" + id + "'");
  return *o;
}

Reply create_order(Ctx& c) {
  Order o = validate_create_order(c.body, c.cfg, c.api_version, c.now);
  if (o.order_id.empty()) o.order_id = "order_" + random_alnum(27);
  link_registered_terminal(c.st, o.terminal);
  if (c.st.orders.count(o.order_id))
    throw ApiError(409, "order_already_exists", "invalid_request_error", "order with same id is already present");
  o.cf_order_id = std::to_string(c.st.next_cf_order_id++);
  o.payment_session_id = "session_" + random_alnum(24) + random_base64url(40);
  o.created_ms = c.now;
  add_event(o, c.now, "created", {{"amount_paise", o.amount_paise}});
  c.st.sessions[o.payment_session_id] = o.order_id;
  auto [it, inserted] = c.st.orders.emplace(o.order_id, std::move(o));
  (void)inserted;
  c.changed = true;
  return json_reply(200, order_entity(it->second));
}

Reply get_order(Ctx& c) { return json_reply(200, order_entity(order_or_404(c, c.params[0]))); }

Reply terminate_order(Ctx& c) {
  Order& o = order_or_404(c, c.params[0]);
  if (!c.body.is_object() || !c.body.contains("order_status") || c.body["order_status"].is_null())
    throw invalid_request("order_status_missing", "order_status : is required");
  if (c.body["order_status"] != "TERMINATED")
    throw invalid_request("order_status_invalid", "order_status : the only accepted value is TERMINATED");
  c.changed = true;  // the attempt is recorded in the order's events either way
  request_termination(c.st, c.cfg, o, c.now);
  return json_reply(200, order_entity(o));
}

Reply list_payments(Ctx& c) {
  const Order& o = order_or_404(c, c.params[0]);
  json out = json::array();
  for (const auto& id : o.payment_ids)
    if (const Payment* p = c.st.find_payment(id)) out.push_back(payment_entity(*p, o));
  return json_reply(200, out);
}

Reply get_payment(Ctx& c) {
  const Order& o = order_or_404(c, c.params[0]);
  const Payment* p = c.st.find_payment(c.params[1]);
  if (!p || p->order_id != o.order_id)
    throw not_found("payment_not_found", "cf_payment_id : no payment '" + c.params[1] + "' on this order");
  return json_reply(200, payment_entity(*p, o));
}

}  // namespace

void add_order_routes(Routes& r) {
  // Limits are Cashfree's documented production defaults per minute.
  const std::string id = "([A-Za-z0-9_-]+)";
  r.push_back({"POST", std::regex("/pg/orders"), Kind::PgMerchant, "create_order", 200, create_order});
  r.push_back({"GET", std::regex("/pg/orders/" + id), Kind::PgMerchant, "get_order", 400, get_order});
  r.push_back({"PATCH", std::regex("/pg/orders/" + id), Kind::PgMerchant, "terminate_order", 200, terminate_order});
  r.push_back({"GET", std::regex("/pg/orders/" + id + "/payments"), Kind::PgMerchant, "get_payments", 100,
               list_payments});
  r.push_back({"GET", std::regex("/pg/orders/" + id + "/payments/" + id), Kind::PgMerchant, "get_payment", 130,
               get_payment});
}

}  // namespace pgsim
