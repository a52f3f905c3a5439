#include "entities.h"

#include "clock.h"
#include "validate.h"

namespace pgsim {
namespace {

json customer_details_response(const json& given) {
  if (given.is_null()) return nullptr;
  json c = {{"customer_id", nullptr},   {"customer_email", nullptr}, {"customer_phone", nullptr},
            {"customer_name", nullptr}, {"customer_bank_account_number", nullptr},
            {"customer_bank_ifsc", nullptr}, {"customer_bank_code", nullptr}, {"customer_uid", nullptr}};
  for (const auto& [k, v] : given.items()) c[k] = v;
  return c;
}

json order_meta_response(const json& given) {
  json m = {{"return_url", nullptr}, {"notify_url", nullptr}, {"payment_methods", nullptr}};
  if (given.is_object())
    for (const auto& [k, v] : given.items()) m[k] = v;
  return m;
}

// TerminalData: the terminal as Cashfree knows it. cf_terminal_id is the
// given one (for a registered terminal, create_order has filled in its id:
// link_registered_terminal), else derived from the phone.
json terminal_data(const json& t) {
  if (t.is_null()) return nullptr;
  int64_t cf_id = 0;
  if (t.contains("cf_terminal_id")) {
    cf_id = std::stoll(t["cf_terminal_id"].get<std::string>());
  } else {
    cf_id = 1'000'000 + std::stoll(t["terminal_phone_no"].get<std::string>()) % 9'000'000;
  }
  return {{"agent_mobile_number", t.value("terminal_phone_no", json())},
          {"cf_terminal_id", cf_id},
          {"merchant_terminal_id", t.value("terminal_id", json())},
          {"terminal_type", t["terminal_type"]}};
}

}  // namespace

json order_entity(const Order& o) {
  json e = {
      {"cf_order_id", o.cf_order_id},
      {"order_id", o.order_id},
      {"entity", "order"},
      {"order_currency", o.currency},
      {"order_amount", paise_to_json(o.amount_paise)},
      {"order_status", o.status},
      {"payment_session_id", o.payment_session_id},
      {"order_expiry_time", format_ist(o.expiry_ms)},
      {"order_note", o.order_note},
      {"created_at", format_ist(o.created_ms)},
      {"order_splits", o.order_splits.is_null() ? json::array() : o.order_splits},
      {"customer_details", customer_details_response(o.customer_details)},
      {"order_meta", order_meta_response(o.order_meta)},
      {"order_tags", o.order_tags},
      {"cart_details", o.cart_details.is_null() ? json(nullptr) : json{{"cart_id", o.cf_order_id}}},
      {"terminal_data", terminal_data(o.terminal)},
  };
  if (!o.products.is_null()) e["products"] = o.products;
  return e;
}

json payment_entity(const Payment& p, const Order& o) {
  const bool card = p.method == "card";
  // A pre-authorised payment is captured only once CAPTURE has succeeded.
  const bool captured =
      p.status == "SUCCESS" && (p.authorization.is_null() || p.authorization.value("action", json()) == "CAPTURE");
  json method = card ? json{{"card", p.card}}
                     : json{{"upi", {{"channel", p.channel}, {"upi_id", p.upi_id.empty() ? json(nullptr) : json(p.upi_id)}}}};
  return {
      {"cf_payment_id", p.cf_payment_id},
      {"order_id", p.order_id},
      {"entity", "payment"},
      {"error_details", p.error_details},
      {"is_captured", captured},
      {"order_amount", paise_to_json(o.amount_paise)},
      {"payment_group", card ? p.card.value("card_type", "credit_card") : "upi"},
      {"payment_currency", o.currency},
      {"payment_amount", paise_to_json(p.amount_paise)},
      {"payment_time", format_ist(p.created_ms)},
      {"payment_completion_time", p.completed_ms ? json(format_ist(p.completed_ms)) : json(nullptr)},
      {"payment_status", p.status},
      {"payment_message", p.message.empty() ? json(nullptr) : json(p.message)},
      {"bank_reference", p.bank_reference.empty() ? json(nullptr) : json(p.bank_reference)},
      {"auth_id", p.auth_id.empty() ? json(nullptr) : json(p.auth_id)},
      {"order_currency", o.currency},
      {"authorization", p.authorization},
      {"payment_method", std::move(method)},
      {"international_payment", {{"international", false}}},
      {"payment_gateway_details",
       {{"gateway_name", "CASHFREE"},
        {"gateway_order_id", o.cf_order_id},
        {"gateway_payment_id", p.cf_payment_id},
        {"gateway_order_reference_id", nullptr},
        {"gateway_status_code", nullptr},
        {"gateway_settlement", "CASHFREE"},
        {"gateway_reference_name", nullptr}}},
      {"payment_surcharge", nullptr},
  };
}

json simulation_entity(const Simulation& s) {
  json sim = {{"payment_status", s.payment_status}};
  sim["payment_error_code"] = s.payment_error_code.empty() ? json(nullptr) : json(s.payment_error_code);
  return {{"simulation_id", s.simulation_id},
          {"entity", s.entity},
          {"entity_id", s.entity_id},
          {"entity_simulation", std::move(sim)}};
}

}  // namespace pgsim
