#include "validate.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <set>
#include <sstream>

#include "api.h"
#include "clock.h"

namespace pgsim {
namespace {

[[noreturn]] void bad(const std::string& field, const std::string& problem) {
  // Not every code is quoted verbatim by Cashfree's docs: order_amount_invalid,
  // customer_email_invalid and the *_missing / *_invalid shape are; the exact
  // leaf names of the others are pgsim's reading of that pattern.
  throw invalid_request(field + "_invalid", field + " : " + problem);
}

[[noreturn]] void missing(const std::string& field) {
  throw invalid_request(field + "_missing", field + " : is required");
}

// Optional string field: absent, null and "" all mean "not given".
std::optional<std::string> opt_string(const json& obj, const char* key, size_t min_len, size_t max_len) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) bad(key, "must be a string");
  const auto s = it->get<std::string>();
  if (s.empty()) return std::nullopt;
  if (s.size() < min_len || s.size() > max_len)
    bad(key, "length must be between " + std::to_string(min_len) + " and " + std::to_string(max_len));
  return s;
}

json validate_customer(const json& c) {
  if (!c.is_object()) bad("customer_details", "must be an object");
  json out = json::object();
  auto id = opt_string(c, "customer_id", 3, 50);
  if (!id) missing("customer_id");
  if (!id_chars(*id)) bad("customer_id", "only letters, digits, '_' and '-' are allowed");
  out["customer_id"] = *id;
  auto phone = opt_string(c, "customer_phone", 1, 64);
  if (!phone) missing("customer_phone");
  if (!is_indian_mobile(*phone)) bad("customer_phone", "must be a 10-digit Indian mobile number");
  out["customer_phone"] = *phone;
  if (auto email = opt_string(c, "customer_email", 3, 100)) {
    const auto at = email->find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= email->size()) bad("customer_email", "is not an email address");
    out["customer_email"] = *email;
  }
  if (auto name = opt_string(c, "customer_name", 3, 100)) out["customer_name"] = *name;
  if (auto acct = opt_string(c, "customer_bank_account_number", 3, 20)) out["customer_bank_account_number"] = *acct;
  if (auto ifsc = opt_string(c, "customer_bank_ifsc", 1, 20)) out["customer_bank_ifsc"] = *ifsc;
  if (auto it = c.find("customer_bank_code"); it != c.end() && !it->is_null()) {
    if (!it->is_number()) bad("customer_bank_code", "must be a number");
    out["customer_bank_code"] = *it;
  }
  if (auto uid = opt_string(c, "customer_uid", 1, 100)) out["customer_uid"] = *uid;
  return out;
}

json validate_terminal(const json& t, const std::string& api_version) {
  if (!t.is_object()) bad("terminal", "must be an object");
  json out = json::object();
  auto type = opt_string(t, "terminal_type", 4, 10);
  if (!type) missing("terminal_type");
  out["terminal_type"] = *type;
  auto phone = opt_string(t, "terminal_phone_no", 1, 64);
  if (phone) {
    if (phone->size() != 10 || !std::all_of(phone->begin(), phone->end(), ::isdigit))
      bad("terminal_phone_no", "must be exactly 10 digits");
    out["terminal_phone_no"] = *phone;
  }
  if (auto it = t.find("cf_terminal_id"); it != t.end() && !it->is_null()) {
    // A string in 2023-08-01 and 2025-01-01, an int64 in the 2026 SDK.
    std::string v = it->is_string() ? it->get<std::string>()
                    : it->is_number_unsigned() ? std::to_string(it->get<uint64_t>())
                                               : std::string();
    if (v.empty() || v.size() > 18 || !std::all_of(v.begin(), v.end(), ::isdigit))
      bad("cf_terminal_id", "must be a numeric id");
    out["cf_terminal_id"] = v;
  }
  // 2023-08-01 requires the phone; later versions want the phone or the id.
  if (!phone && (api_version == "2023-08-01" || !out.contains("cf_terminal_id"))) missing("terminal_phone_no");
  if (auto id = opt_string(t, "terminal_id", 3, 100)) out["terminal_id"] = *id;
  for (const char* k : {"terminal_name", "terminal_address", "terminal_note", "terminal_status", "added_on",
                        "last_updated_on"})
    if (auto v = opt_string(t, k, 1, 500)) out[k] = *v;
  return out;
}

json validate_meta(const json& m) {
  if (!m.is_object()) bad("order_meta", "must be an object");
  json out = json::object();
  if (auto u = opt_string(m, "return_url", 1, 250)) out["return_url"] = *u;
  if (auto u = opt_string(m, "notify_url", 1, 250)) {
    if (u->rfind("https://", 0) != 0) bad("notify_url", "must be an https URL");
    out["notify_url"] = *u;
  }
  if (auto pm = opt_string(m, "payment_methods", 1, 200)) {
    static const std::set<std::string> kAllowed = {"cc",  "dc",     "ccc", "ppc",      "nb",          "upi",   "paypal",
                                                   "app", "paylater", "cardlessemi", "dcemi", "ccemi", "banktransfer"};
    std::stringstream ss(*pm);
    std::string item;
    while (std::getline(ss, item, ',')) {
      if (!kAllowed.count(item)) bad("payment_methods", "unknown payment method '" + item + "'");
    }
    out["payment_methods"] = *pm;
  }
  if (auto it = m.find("payment_methods_filters"); it != m.end() && !it->is_null()) {
    if (!it->is_object()) bad("payment_methods_filters", "must be an object");
    out["payment_methods_filters"] = *it;
  }
  return out;
}

json validate_tags(const json& tags) {
  if (!tags.is_object()) bad("order_tags", "must be an object of strings");
  if (tags.size() > 10) bad("order_tags", "at most 10 tags are allowed");
  for (const auto& [k, v] : tags.items()) {
    if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().size() > 255)
      bad("order_tags", "tag '" + k + "' must be a string of 1 to 255 characters");
  }
  return tags;
}

}  // namespace

std::optional<std::string> string_field(const json& obj, const char* key, size_t min_len, size_t max_len) {
  return opt_string(obj, key, min_len, max_len);
}

std::optional<int64_t> to_paise(const json& v) {
  if (v.is_number_integer()) {
    const auto n = v.get<int64_t>();
    if (n > INT64_MAX / 100 || n < INT64_MIN / 100) return std::nullopt;
    return n * 100;
  }
  if (!v.is_number_float()) return std::nullopt;
  const double d = v.get<double>();
  if (!std::isfinite(d) || std::fabs(d) > 1e15) return std::nullopt;
  const double scaled = d * 100.0;
  const double rounded = std::round(scaled);
  // A third decimal moves `scaled` by at least 0.1; rounding error is far below 1e-4.
  if (std::fabs(scaled - rounded) > 1e-4) return std::nullopt;
  return static_cast<int64_t>(rounded);
}

json paise_to_json(int64_t paise) {
  if (paise % 100 == 0) return paise / 100;
  return static_cast<double>(paise) / 100.0;
}

bool is_indian_mobile(const std::string& s) {
  return s.size() == 10 && s[0] >= '6' && s[0] <= '9' && std::all_of(s.begin(), s.end(), ::isdigit);
}

bool id_chars(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char ch) { return std::isalnum(ch) || ch == '_' || ch == '-'; });
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char ch) { return std::isdigit(ch); });
}

bool is_vpa(const std::string& s) {
  const auto at = s.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= s.size() || s.size() > 100) return false;
  if (s.find('@', at + 1) != std::string::npos) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_' && c != '@') return false;
  return true;
}

Order validate_create_order(const json& body, const Config& cfg, const std::string& api_version, int64_t now) {
  if (!body.is_object()) throw invalid_request("request_invalid", "the request body must be a JSON object");
  Order o;
  o.api_version = api_version;
  if (auto id = opt_string(body, "order_id", 3, 45)) {
    if (!id_chars(*id)) bad("order_id", "only letters, digits, '_' and '-' are allowed");
    o.order_id = *id;
  }
  auto amount = body.find("order_amount");
  if (amount == body.end() || amount->is_null()) missing("order_amount");
  const auto paise = to_paise(*amount);
  if (!paise) bad("order_amount", "must be a number with at most two decimals");
  if (*paise < 100) bad("order_amount", "must be at least 1");
  if (*paise >= cfg.max_amount_paise) bad("order_amount", "must be less than 1,000,000");
  o.amount_paise = *paise;

  auto currency = opt_string(body, "order_currency", 1, 10);
  if (!currency) missing("order_currency");
  if (!cfg.currencies.count(*currency)) bad("order_currency", "is not enabled for this account (see --currencies)");
  o.currency = *currency;

  auto customer = body.find("customer_details");
  if (customer == body.end() || customer->is_null()) {
    if (api_version != "2026-01-01") missing("customer_details");  // optional from 2026-01-01
  } else {
    o.customer_details = validate_customer(*customer);
  }
  if (auto t = body.find("terminal"); t != body.end() && !t->is_null()) o.terminal = validate_terminal(*t, api_version);
  if (auto m = body.find("order_meta"); m != body.end() && !m->is_null()) o.order_meta = validate_meta(*m);
  if (auto tags = body.find("order_tags"); tags != body.end() && !tags->is_null()) o.order_tags = validate_tags(*tags);
  if (auto note = opt_string(body, "order_note", 3, 200)) o.order_note = *note;

  o.expiry_ms = now + cfg.default_expiry_ms;
  if (auto expiry = opt_string(body, "order_expiry_time", 1, 64)) {
    const auto t = parse_iso8601(*expiry);
    if (!t) bad("order_expiry_time", "must be an ISO 8601 time with an offset, e.g. 2021-07-02T10:20:12+05:30");
    if (*t <= now) bad("order_expiry_time", "must be in the future");
    o.expiry_ms = *t;
  }
  if (auto s = body.find("order_splits"); s != body.end() && !s->is_null()) {
    if (!s->is_array()) bad("order_splits", "must be an array");
    o.order_splits = *s;
  }
  if (auto c = body.find("cart_details"); c != body.end() && !c->is_null() && !(c->is_string() && c->get<std::string>().empty())) {
    if (!c->is_object()) bad("cart_details", "must be an object");
    o.cart_details = *c;
  }
  if (auto p = body.find("products"); p != body.end() && !p->is_null()) {
    if (!p->is_object()) bad("products", "must be an object");
    o.products = *p;
  }
  return o;
}

}  // namespace pgsim
