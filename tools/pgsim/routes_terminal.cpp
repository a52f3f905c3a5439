// softPOS terminals and terminal transactions. Where Cashfree's docs are
// silent, pgsim chooses (and the tests pin down):
//  - a new terminal is ACTIVE at once (the sandbox has no document review;
//    production may answer DOCS_AWAITED until documents are uploaded);
//  - a second terminal with the same terminal_phone_no or terminal_id is
//    refused: 409 terminal_already_exists;
//  - an unknown terminal is 404 terminal_not_found;
//  - a transaction for an order created with another terminal is refused
//    with 400 cf_terminal_id_invalid (or terminal_phone_no_invalid, after
//    the field the request named the terminal by); one on an INACTIVE
//    terminal with 400 terminal_inactive;
//  - rate limits: 100 per minute (none are published for these APIs).
#include <algorithm>
#include <cctype>

#include "clock.h"
#include "lifecycle.h"
#include "pay.h"
#include "qr_png.h"
#include "routes.h"
#include "terminals.h"
#include "validate.h"

namespace pgsim {
namespace {

// What TerminalTransactionEntity.timeout says, as in the spec's example: the
// time (ms) the terminal should show the QR code for. The attempt itself
// stays open for the usual --attempt-ttl-ms, as a customer who has already
// scanned can still finish after the terminal's timer ran out.
constexpr const char* kTransactionTimeout = "300000";

bool ten_digits(const std::string& s) {
  return s.size() == 10 && std::all_of(s.begin(), s.end(), [](unsigned char ch) { return std::isdigit(ch); });
}

std::string required_string(const json& obj, const char* key, size_t min_len, size_t max_len) {
  auto v = string_field(obj, key, min_len, max_len);
  if (!v) throw invalid_request(std::string(key) + "_missing", std::string(key) + " : is required");
  return *v;
}

// A Cashfree id given as a string of digits or as a number (the spec types
// cf_terminal_id and cf_order_id as strings; its examples use both).
std::optional<std::string> numeric_id(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty())) return std::nullopt;
  const std::string v = it->is_string() ? it->get<std::string>()
                        : it->is_number_unsigned() ? std::to_string(it->get<uint64_t>())
                                                   : std::string();
  if (v.empty() || v.size() > 18 || !std::all_of(v.begin(), v.end(), ::isdigit))
    throw invalid_request(std::string(key) + "_invalid", std::string(key) + " : must be a numeric id");
  return v;
}

json validate_terminal_meta(const json& b, bool storefront) {
  auto m = b.find("terminal_meta");
  if (m == b.end() || m->is_null()) {
    if (storefront) throw invalid_request("terminal_meta_missing", "terminal_meta : is required for STOREFRONT");
    return nullptr;
  }
  if (!m->is_object()) throw invalid_request("terminal_meta_invalid", "terminal_meta : must be an object");
  auto op = string_field(*m, "terminal_operator", 1, 100);
  if (!op && storefront)
    throw invalid_request("terminal_operator_missing", "terminal_meta.terminal_operator : is required for STOREFRONT");
  return op ? json{{"terminal_operator", *op}} : json::object();
}

Terminal validate_create_terminal(const json& b) {
  if (!b.is_object()) throw invalid_request("request_invalid", "the request body must be a JSON object");
  Terminal t;
  t.terminal_id = required_string(b, "terminal_id", 3, 100);
  t.terminal_phone_no = required_string(b, "terminal_phone_no", 1, 100);
  if (!ten_digits(t.terminal_phone_no))
    throw invalid_request("terminal_phone_no_invalid", "terminal_phone_no : must be exactly 10 digits");
  t.terminal_name = required_string(b, "terminal_name", 3, 100);
  t.terminal_email = required_string(b, "terminal_email", 1, 100);
  const auto at = t.terminal_email.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= t.terminal_email.size())
    throw invalid_request("terminal_email_invalid", "terminal_email : is not an email address");
  t.terminal_type = required_string(b, "terminal_type", 1, 100);
  if (t.terminal_type != "AGENT" && t.terminal_type != "STOREFRONT")
    throw invalid_request("terminal_type_invalid", "terminal_type : must be AGENT or STOREFRONT");
  const bool storefront = t.terminal_type == "STOREFRONT";
  if (auto a = string_field(b, "terminal_address", 1, 100)) {
    t.terminal_address = *a;
  } else if (storefront) {
    throw invalid_request("terminal_address_missing", "terminal_address : is required for STOREFRONT");
  }
  if (auto n = string_field(b, "terminal_note", 1, 100)) t.terminal_note = *n;
  t.terminal_meta = validate_terminal_meta(b, storefront);
  return t;
}

Terminal& terminal_or_404(State& st, const std::string& cf_terminal_id) {
  Terminal* t = find_terminal_by_id(st, cf_terminal_id);
  if (!t) throw not_found("terminal_not_found", "cf_terminal_id : no terminal '" + cf_terminal_id + "'");
  return *t;
}

Reply create_terminal(Ctx& c) {
  Terminal t = validate_create_terminal(c.body);
  if (find_terminal_by_phone(c.st, t.terminal_phone_no))
    throw ApiError(409, "terminal_already_exists", "invalid_request_error",
                   "terminal_phone_no : a terminal with this phone number already exists");
  for (const auto& [id, other] : c.st.terminals)
    if (other.terminal_id == t.terminal_id)
      throw ApiError(409, "terminal_already_exists", "invalid_request_error",
                     "terminal_id : a terminal with this id already exists");
  t.cf_terminal_id = c.st.next_cf_terminal_id++;
  t.added_ms = t.updated_ms = c.now;
  c.changed = true;
  auto [it, inserted] = c.st.terminals.emplace(std::to_string(t.cf_terminal_id), std::move(t));
  (void)inserted;
  return json_reply(200, terminal_entity(it->second));
}

Reply get_terminal(Ctx& c) {
  const Terminal* t = find_terminal_by_phone(c.st, c.params[0]);
  if (!t) throw not_found("terminal_not_found", "terminal_phone_no : no terminal with phone '" + c.params[0] + "'");
  return json_reply(200, terminal_entity(*t));
}

Reply update_terminal_status(Ctx& c) {
  Terminal& t = terminal_or_404(c.st, c.params[0]);
  if (!c.body.is_object()) throw invalid_request("request_invalid", "the request body must be a JSON object");
  const std::string status = required_string(c.body, "terminal_status", 1, 100);
  if (status != "ACTIVE" && status != "INACTIVE")
    throw invalid_request("terminal_status_invalid", "terminal_status : must be ACTIVE or INACTIVE");
  if (t.terminal_status != status) {
    t.terminal_status = status;
    t.updated_ms = c.now;
    c.changed = true;
  }
  return json_reply(200, json::array({terminal_entity(t)}));  // UpdateTerminalEntity[]
}

// The terminal a transaction request names: by cf_terminal_id, else by
// terminal_phone_no; when both are given they must agree.
Terminal& requested_terminal(State& st, const json& b) {
  const auto id = numeric_id(b, "cf_terminal_id");
  const auto phone = string_field(b, "terminal_phone_no", 1, 100);
  if (phone && !ten_digits(*phone))
    throw invalid_request("terminal_phone_no_invalid", "terminal_phone_no : must be exactly 10 digits");
  if (!id && !phone)
    throw invalid_request("terminal_phone_no_missing", "terminal_phone_no : is required when cf_terminal_id is absent");
  if (id) {
    Terminal& t = terminal_or_404(st, *id);
    if (phone && *phone != t.terminal_phone_no)
      throw invalid_request("terminal_phone_no_invalid", "terminal_phone_no : is not the phone of terminal " + *id);
    return t;
  }
  Terminal* t = find_terminal_by_phone(st, *phone);
  if (!t) throw not_found("terminal_not_found", "terminal_phone_no : no terminal with phone '" + *phone + "'");
  return *t;
}

Order& order_by_cf_id(State& st, const std::string& cf_order_id) {
  for (auto& [id, o] : st.orders)
    if (o.cf_order_id == cf_order_id) return o;
  throw not_found("order_not_found", "cf_order_id : no order '" + cf_order_id + "'");
}

// Whether the order was created with terminal `t` (named by id or phone).
bool created_with(const Order& o, const Terminal& t) {
  if (!o.terminal.is_object()) return false;
  return o.terminal.value("cf_terminal_id", "") == std::to_string(t.cf_terminal_id) ||
         o.terminal.value("terminal_phone_no", "") == t.terminal_phone_no;
}

Reply create_terminal_transaction(Ctx& c) {
  const json& b = c.body;
  if (!b.is_object()) throw invalid_request("request_invalid", "the request body must be a JSON object");
  const auto cf_order_id = numeric_id(b, "cf_order_id");
  if (!cf_order_id) throw invalid_request("cf_order_id_missing", "cf_order_id : is required");
  const std::string method = required_string(b, "payment_method", 3, 100);
  if (method != "QR_CODE" && method != "LINK")
    throw invalid_request("payment_method_invalid", "payment_method : must be QR_CODE or LINK");
  // add_invoice (a Dynamic GST QR with invoice data) is accepted and
  // recorded; pgsim's QR carries the plain UPI intent either way.
  const json add_invoice = b.value("add_invoice", json(false));
  if (!add_invoice.is_boolean() && !add_invoice.is_null())
    throw invalid_request("add_invoice_invalid", "add_invoice : must be a boolean");
  const Terminal& t = requested_terminal(c.st, b);
  Order& o = order_by_cf_id(c.st, *cf_order_id);
  if (!created_with(o, t)) {
    // The code names the field the request gave the terminal by.
    const std::string field = numeric_id(b, "cf_terminal_id") ? "cf_terminal_id" : "terminal_phone_no";
    throw invalid_request(field + "_invalid", field + " : order " + o.order_id + " was not created with this terminal");
  }
  if (t.terminal_status != "ACTIVE")
    throw invalid_request("terminal_inactive", "cf_terminal_id : the terminal is " + t.terminal_status);
  if (o.status != "ACTIVE")
    throw invalid_request("order_inactive", "cf_order_id : the order is " + o.status + " and cannot be paid");

  Payment& p = new_attempt(c, o, "upi", method == "QR_CODE" ? "qrcode" : "link");
  add_event(o, c.now, "terminal_transaction",
            {{"cf_payment_id", p.cf_payment_id},
             {"cf_terminal_id", t.cf_terminal_id},
             {"payment_method", method},
             {"add_invoice", add_invoice.is_boolean() && add_invoice.get<bool>()}});
  const std::string intent = upi_intent(c, o, p, "upi://pay");
  return json_reply(200, {{"cf_payment_id", p.cf_payment_id},
                          {"payment_amount", paise_to_json(p.amount_paise)},
                          {"payment_method", method},
                          {"payment_url", intent},
                          {"qrcode", qr_png_data_url(intent)},
                          {"timeout", kTransactionTimeout}});
}

}  // namespace

Terminal* find_terminal_by_id(State& st, const std::string& cf_terminal_id) {
  auto it = st.terminals.find(cf_terminal_id);
  return it == st.terminals.end() ? nullptr : &it->second;
}

Terminal* find_terminal_by_phone(State& st, const std::string& terminal_phone_no) {
  for (auto& [id, t] : st.terminals)
    if (t.terminal_phone_no == terminal_phone_no) return &t;
  return nullptr;
}

json terminal_entity(const Terminal& t) {
  return {{"added_on", format_ist(t.added_ms)},
          {"cf_terminal_id", t.cf_terminal_id},
          {"last_updated_on", format_ist(t.updated_ms)},
          {"terminal_address", t.terminal_address},
          {"terminal_email", t.terminal_email},
          {"terminal_type", t.terminal_type},
          {"terminal_id", t.terminal_id},
          // The spec's schema spells the property "teminal_id" (its example
          // says terminal_id); both are sent, so clients generated from the
          // schema find it too.
          {"teminal_id", t.terminal_id},
          {"terminal_name", t.terminal_name},
          {"terminal_note", t.terminal_note},
          {"terminal_phone_no", t.terminal_phone_no},
          {"terminal_status", t.terminal_status},
          {"terminal_meta", t.terminal_meta}};
}

void link_registered_terminal(State& st, json& order_terminal) {
  if (!order_terminal.is_object()) return;
  const Terminal* t = order_terminal.contains("cf_terminal_id")
                          ? find_terminal_by_id(st, order_terminal["cf_terminal_id"].get<std::string>())
                      : order_terminal.contains("terminal_phone_no")
                          ? find_terminal_by_phone(st, order_terminal["terminal_phone_no"].get<std::string>())
                          : nullptr;
  if (!t) return;
  order_terminal["cf_terminal_id"] = std::to_string(t->cf_terminal_id);  // a string, as validate_terminal keeps it
  if (!order_terminal.contains("terminal_phone_no")) order_terminal["terminal_phone_no"] = t->terminal_phone_no;
  if (!order_terminal.contains("terminal_id")) order_terminal["terminal_id"] = t->terminal_id;
}

void add_terminal_routes(Routes& r) {
  const std::string digits = "([0-9]+)";
  r.push_back({"POST", std::regex("/pg/terminal"), Kind::PgMerchant, "terminal", 100, create_terminal});
  r.push_back({"POST", std::regex("/pg/terminal/transactions"), Kind::PgMerchant, "terminal_transaction", 100,
               create_terminal_transaction});
  r.push_back({"GET", std::regex("/pg/terminal/" + digits), Kind::PgMerchant, "terminal", 100, get_terminal});
  r.push_back({"PATCH", std::regex("/pg/terminal/" + digits + "/status"), Kind::PgMerchant, "terminal", 100,
               update_terminal_status});
}

}  // namespace pgsim
