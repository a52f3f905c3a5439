// Order Pay: POST /pg/orders/sessions, authenticated by payment_session_id.
#include <cctype>
#include <set>

#include "entities.h"
#include "ids.h"
#include "lifecycle.h"
#include "pay.h"
#include "preauth.h"
#include "qr_png.h"
#include "routes.h"
#include "validate.h"

namespace pgsim {
namespace {

// The client-environment headers Cashfree asks for on Order Pay "to enforce
// NPCI rules". Values are checked whenever a header is sent; the headers are
// required from 2026-01-01 (the version whose SDK sends them). Whether
// Cashfree enforces them under 2025-01-01 is unconfirmed, so pgsim does not.
void check_client_environment(const Ctx& c) {
  struct Header {
    const char* name;
    std::set<std::string> values;
  };
  static const Header kHeaders[] = {
      {"x-client-device", {"mobile", "desktop", "tablet"}},
      {"x-client-os", {"android", "ios", "windows", "macos", "linux", "others"}},
      {"x-client-rendering-type", {"mweb", "webview", "native"}},
      {"x-client-browser", {"safari", "chrome", "firefox", "edge", "others"}},
  };
  const bool required = c.api_version >= "2026-01-01";
  const bool mobile = c.req.get_header_value("x-client-device") == "mobile";
  for (const auto& h : kHeaders) {
    const std::string field = std::string(h.name).substr(2);  // client-device ...
    std::string code = field;
    for (char& ch : code)
      if (ch == '-') ch = '_';
    const bool needed = required && (std::string(h.name) != "x-client-rendering-type" || mobile);
    if (!c.req.has_header(h.name)) {
      if (needed) throw invalid_request(code + "_missing", std::string(h.name) + " : header is required");
      continue;
    }
    const std::string v = c.req.get_header_value(h.name);
    if (!h.values.count(v)) {
      std::string allowed;
      for (const auto& a : h.values) allowed += (allowed.empty() ? "" : ", ") + a;
      throw invalid_request(code + "_invalid", std::string(h.name) + " : '" + v + "' is not one of " + allowed);
    }
  }
}

// Card EMI is not enabled on pgsim's account, but its request is checked
// first, as the order-pay error table's card_bank_name and emi_tenure codes
// describe, so a client's EMI request errors are caught here too.
void check_card_emi(const json& emi) {
  static const std::set<std::string> kBanks = {"hdfc", "icici", "kotak", "rbl", "bob", "axis",
                                               "standard chartered", "au", "yes", "indus", "fed", "hsbc",
                                               "citi", "sbi", "amex", "onecard", "idfc"};
  auto bank = emi.find("card_bank_name");
  if (bank == emi.end() || bank->is_null())
    throw invalid_request("card_bank_name_missing", "card_bank_name : is required");
  std::string name = bank->is_string() ? bank->get<std::string>() : "";
  for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (!kBanks.count(name))
    throw invalid_request("card_bank_name_invalid",
                          "card_bank_name : unrecognised value; accepted: hdfc, icici, kotak, rbl, bob, axis, standard "
                          "chartered, au, yes, indus, fed, hsbc, citi, sbi, amex, onecard, idfc");
  auto tenure = emi.find("emi_tenure");
  if (tenure == emi.end() || tenure->is_null()) throw invalid_request("emi_tenure_missing", "emi_tenure : is required");
}

Reply pay_order(Ctx& c) {
  check_client_environment(c);
  const json& b = c.body;
  if (!b.is_object()) throw invalid_request("request_invalid", "the request body must be a JSON object");
  auto sid = b.find("payment_session_id");
  if (sid == b.end() || !sid->is_string() || sid->get<std::string>().empty())
    throw invalid_request("payment_session_id_missing", "payment_session_id : is required");
  auto it = c.st.sessions.find(sid->get<std::string>());
  if (it == c.st.sessions.end())
    throw invalid_request("payment_session_id_invalid", "payment_session_id : is not valid for any order");
  Order& o = *c.st.find_order(it->second);
  if (o.status != "ACTIVE")
    throw not_found("orderpay_not_found",
                    "the order is no longer active and cannot be used to initiate a payment (order is " + o.status + ")");
  auto pm = b.find("payment_method");
  if (pm == b.end() || pm->is_null()) throw invalid_request("payment_method_missing", "payment_method : is required");
  if (!pm->is_object() || pm->size() != 1)
    throw invalid_request("payment_method_invalid", "payment_method : must be an object with exactly one method");
  const std::string method = pm->begin().key();
  static const std::set<std::string> kKnown = {"upi", "card", "netbanking", "app", "emi", "cardless_emi",
                                               "paylater", "banktransfer"};
  if (!kKnown.count(method))
    throw invalid_request("payment_method_invalid", "payment_method : '" + method + "' is not a payment method");
  if (!pm->begin().value().is_object())
    throw invalid_request(method + "_invalid", "payment_method." + method + " : must be an object");
  if (method == "upi") return pay_upi(c, o, pm->begin().value());
  if (method == "card") return pay_card(c, o, pm->begin().value());
  if (method == "emi") check_card_emi(pm->begin().value());
  throw invalid_request("request_failed", "the selected payment mode is not configured for this account");
}

}  // namespace

Payment& new_attempt(Ctx& c, Order& o, const std::string& method, const std::string& channel) {
  Payment p;
  p.cf_payment_id = std::to_string(c.st.next_cf_payment_id++);
  p.order_id = o.order_id;
  p.method = method;
  p.channel = channel;
  p.amount_paise = o.amount_paise;
  p.created_ms = c.now;
  p.attempt_expiry_ms = c.now + c.cfg.attempt_ttl_ms;
  o.payment_ids.push_back(p.cf_payment_id);
  add_event(o, c.now, "payment_created", {{"cf_payment_id", p.cf_payment_id}, {"method", method}, {"channel", channel}});
  c.changed = true;
  auto [it, inserted] = c.st.payments.emplace(p.cf_payment_id, std::move(p));
  (void)inserted;
  return it->second;
}

json pay_order_entity(const Payment& p, const std::string& action, json data) {
  return {{"payment_amount", paise_to_json(p.amount_paise)},
          {"cf_payment_id", p.cf_payment_id},
          {"payment_method", p.method},
          {"channel", p.channel},
          {"action", action},
          {"data", std::move(data)}};
}

std::string upi_intent(const Ctx& c, const Order& o, const Payment& p, const std::string& scheme_prefix) {
  // tn: alphanumerics and spaces, at most 20 characters, as Cashfree's own
  // Flowwise intents are built; the order id when there is no note.
  std::string note;
  const std::string source = o.order_note.is_string() ? o.order_note.get<std::string>() : o.order_id;
  for (char ch : source)
    if ((std::isalnum(static_cast<unsigned char>(ch)) || ch == ' ') && note.size() < 20) note.push_back(ch);
  std::string amount = std::to_string(p.amount_paise / 100) + "." + std::to_string(p.amount_paise % 100 / 10) +
                       std::to_string(p.amount_paise % 10);
  // tr is unique per payment: the cf_payment_id, as in the sandbox's intents.
  const std::string query = "pa=" + url_encode(c.cfg.payee_vpa) + "&pn=" + url_encode(c.cfg.payee_name) +
                            "&am=" + amount + "&tr=" + p.cf_payment_id + "&tn=" + url_encode(note) + "&cu=INR";
  if (c.cfg.production_like) return scheme_prefix + "?" + query;
  return c.base_url + "/pay/" + p.cf_payment_id + "?txnId=" + p.cf_payment_id + "&amount=" + amount + "&" + query;
}

Reply pay_upi(Ctx& c, Order& o, const json& upi) {
  auto ch = upi.find("channel");
  if (ch == upi.end() || ch->is_null() || (ch->is_string() && ch->get<std::string>().empty()))
    throw invalid_request("channel_missing", "channel : is required");
  const std::string channel = ch->is_string() ? ch->get<std::string>() : "";
  if (channel != "link" && channel != "qrcode" && channel != "collect")
    throw invalid_request("channel_invalid", "channel : must be link, qrcode or collect for upi");
  int64_t collect_minutes = 5;
  std::string vpa;
  if (channel == "collect") {
    auto id = upi.find("upi_id");
    if (id == upi.end() || id->is_null() || (id->is_string() && id->get<std::string>().empty()))
      throw invalid_request("upi_id_missing", "upi_id : is required for the collect channel");
    if (!id->is_string() || !is_vpa(id->get<std::string>()))
      throw invalid_request("upi_id_invalid", "upi_id : is not a valid VPA");
    vpa = id->get<std::string>();
    if (auto m = upi.find("upi_expiry_minutes"); m != upi.end() && !m->is_null()) {
      if (!m->is_number_integer() || m->get<int64_t>() < 5 || m->get<int64_t>() > 15)
        throw invalid_request("upi_expiry_minutes_invalid", "upi_expiry_minutes : must be between 5 and 15");
      collect_minutes = m->get<int64_t>();
    }
  }
  const json preauth = upi_authorization(upi, channel, c.now);
  Payment& p = new_attempt(c, o, "upi", channel);
  json data = {{"url", nullptr}, {"payload", nullptr}, {"content_type", nullptr}, {"method", nullptr}};
  if (channel == "collect") {
    p.upi_id = vpa;
    p.collect_expiry_ms = c.now + collect_minutes * 60 * 1000;
    p.attempt_expiry_ms = p.collect_expiry_ms;
    if (!preauth.is_null()) hold_upi_authorization(p, preauth);
    settle(c.st, p, "PENDING", c.now, "collect request sent");
    // The sandbox's test VPAs settle by themselves.
    if (vpa == "testsuccess@gocash" || vpa == "testfailure@gocash") {
      p.auto_settle_ms = c.now + c.cfg.collect_settle_ms;
      p.auto_status = vpa == "testsuccess@gocash" ? "SUCCESS" : "FAILED";
    }
  } else if (channel == "link") {
    data["payload"] = {{"default", upi_intent(c, o, p, "upi://pay")},
                       {"gpay", upi_intent(c, o, p, "tez://upi/pay")},
                       {"phonepe", upi_intent(c, o, p, "phonepe://pay")},
                       {"paytm", upi_intent(c, o, p, "paytmmp://pay")},
                       {"bhim", upi_intent(c, o, p, "upi://pay")}};
  } else {
    data["payload"] = {{"qrcode", qr_png_data_url(upi_intent(c, o, p, "upi://pay"))}};
  }
  return json_reply(200, pay_order_entity(p, "custom", std::move(data)));
}

void add_pay_routes(Routes& r) {
  r.push_back({"POST", std::regex("/pg/orders/sessions"), Kind::PgSession, "pay_order", 100, pay_order});
}

}  // namespace pgsim
