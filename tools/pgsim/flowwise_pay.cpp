// Create Payment: POST /router/order/pay/{order_hash}. UPI is a collect
// request when payment_method_details has an upi_id, an intent otherwise;
// cards (plain, or network-tokenised with a cryptogram) go to pgsim's 3-D
// Secure page. Netbanking and wallets answer as an account without them does.
//
// Card data is validated here and dropped: only the masked number
// (first6/last4, or the token's card_display) is kept. Error messages never
// echo card fields, because error bodies are kept as idempotency records.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <set>
#include <sstream>

#include "cards.h"
#include "flowwise.h"
#include "ids.h"
#include "validate.h"

namespace pgsim {
namespace {

constexpr int64_t kCollectTtlMs = 5 * 60 * 1000;  // the SPI's default UPI expiry: 5 minutes
constexpr const char* kMcc = "5732";               // the SPI's default merchant category code

bool is_card_number(const std::string& s) { return s.size() >= 12 && s.size() <= 19 && all_digits(s) && luhn_valid(s); }

// The scheme from the leading digits (cards.cpp's table), in Flowwise's
// upper case; network tokens keep their scheme's range.
std::string card_network_upper(const std::string& n) {
  std::string net = card_network(n);
  if (net.empty()) return "UNKNOWN";
  for (char& ch : net) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return net;
}

// card_expiry_mm "01".."12" and card_expiry_yy two digits, not before the
// current month in IST on pgsim's clock. Optional for tokens.
void check_expiry(const json& d, int64_t now, bool required) {
  const auto mm = fw_string(d, "card_expiry_mm", 1, 8);
  const auto yy = fw_string(d, "card_expiry_yy", 1, 8);
  if (!required && !mm && !yy) return;
  if (!mm) fw_missing("card_expiry_mm");
  if (mm->size() != 2 || !all_digits(*mm) || std::stoi(*mm) < 1 || std::stoi(*mm) > 12)
    fw_invalid("card_expiry_mm", "must be two digits, 01 to 12");
  if (!yy) fw_missing("card_expiry_yy");
  if (yy->size() != 2 || !all_digits(*yy)) fw_invalid("card_expiry_yy", "must be two digits");
  const std::time_t ist = static_cast<std::time_t>(now / 1000 + 5 * 3600 + 30 * 60);
  std::tm today{};
  gmtime_r(&ist, &today);
  const int year = 2000 + std::stoi(*yy);
  if (year < today.tm_year + 1900) fw_invalid("card_expiry_yy", "the card has expired");
  if (year == today.tm_year + 1900 && std::stoi(*mm) < today.tm_mon + 1)
    fw_invalid("card_expiry_mm", "the card has expired");
}

json card_details(const json& d, int64_t now) {
  const auto number = fw_string(d, "card_number", 1, 64);
  if (!number) fw_missing("card_number");
  if (!is_card_number(*number)) fw_invalid("card_number", "is not a valid card number");
  const auto holder = fw_string(d, "card_holder_name", 1, 100);
  json out = {{"card_number", nullptr},
              {"card_network", card_network_upper(*number)},
              {"card_holder_name", holder ? json(*holder) : json(nullptr)},
              {"card_display", nullptr},
              {"token_requestor_id", nullptr}};
  if (fw_string(d, "cryptogram", 1, 512)) {  // a network token: no CVV
    const auto requestor = fw_string(d, "token_requestor_id", 1, 64);
    if (!requestor) fw_missing("token_requestor_id");
    const auto display = fw_string(d, "card_display", 1, 16);
    if (!display) fw_missing("card_display");
    if (display->size() != 4 || !all_digits(*display))
      fw_invalid("card_display", "must be the last 4 digits of the real card number");
    check_expiry(d, now, false);
    out["card_number"] = std::string(12, 'X') + *display;
    out["card_display"] = *display;
    out["token_requestor_id"] = *requestor;
    return out;
  }
  check_expiry(d, now, true);
  const auto cvv = fw_string(d, "card_cvv", 1, 16);
  if (!cvv) fw_missing("card_cvv");
  if (cvv->size() < 3 || cvv->size() > 4 || !all_digits(*cvv)) fw_invalid("card_cvv", "must be 3 or 4 digits");
  out["card_number"] = number->substr(0, 6) + std::string(number->size() - 10, 'X') + number->substr(number->size() - 4);
  return out;
}

json upi_details(const json& d) {
  const auto vpa = fw_string(d, "upi_id", 1, 100);
  if (vpa && !is_vpa(*vpa)) fw_invalid("upi_id", "is not a valid VPA");
  const auto app = fw_string(d, "app_name", 1, 50);
  // The SPI's UPI sub-types: COLLECT to a VPA, INTENT for the customer's app.
  return {{"channel", vpa ? "COLLECT" : "INTENT"},
          {"upi_id", vpa ? json(*vpa) : json(nullptr)},
          {"app_name", app ? json(*app) : json(nullptr)}};
}

void start_upi(const Config& cfg, FwPayment& p, int64_t now) {
  p.processor_ref = "UPI" + random_digits(18);
  const json vpa = p.method_details["upi_id"];
  if (vpa.is_null()) {
    p.status = "INITIATED";
    p.message = "Waiting for the customer to pay in their UPI app";
    return;
  }
  p.status = "PENDING";
  p.message = "Collect request sent to the customer's UPI app";
  p.attempt_expiry_ms = now + kCollectTtlMs;
  // The sandbox's test VPAs answer by themselves, as on /pg.
  if (vpa == "testsuccess@gocash" || vpa == "testfailure@gocash") {
    p.auto_settle_ms = now + cfg.collect_settle_ms;
    p.auto_status = vpa == "testsuccess@gocash" ? "SUCCESS" : "FAILED";
  }
}

// As in the docs' sample: https://mystore.com/payment-success?order_id=...
json return_url_for(const json& base, const std::string& order_id) {
  if (!base.is_string()) return nullptr;
  const std::string b = base.get<std::string>();
  return b + (b.find('?') == std::string::npos ? "?" : "&") + "order_id=" + url_encode(order_id);
}

bool order_allows(const FwOrder& o, const std::string& method) {
  std::stringstream ss(o.payment_methods);
  std::string item;
  while (std::getline(ss, item, ','))
    if (item == method || (method == "card" && (item == "cc" || item == "dc"))) return true;
  return false;
}

Reply create_payment(Ctx& c) {
  auto it = c.st.flowwise.hashes.find(c.params[0]);
  if (it == c.st.flowwise.hashes.end()) throw not_found("order_not_found", "order_hash : no order has this hash");
  FwOrder& o = *c.st.flowwise.find_order(it->second);
  if (o.status != "ACTIVE") throw not_found("order_not_found", "the order is " + o.status + " and cannot be paid");
  const json& b = c.body;
  if (!b.is_object()) throw invalid_request("request_invalid", "the request body must be a JSON object");
  const auto method = fw_string(b, "payment_method", 1, 32);
  if (!method) fw_missing("payment_method");
  static const std::set<std::string> kMethods = {"upi", "card", "netbanking", "wallet"};
  if (!kMethods.count(*method)) fw_invalid("payment_method", "must be upi, card, netbanking or wallet");
  const auto details = b.find("payment_method_details");
  if (details == b.end() || details->is_null()) fw_missing("payment_method_details");
  if (!details->is_object()) fw_invalid("payment_method_details", "must be an object");
  const json return_base = fw_return_base_url(b);
  if (*method == "netbanking" || *method == "wallet")
    throw invalid_request("request_failed", "The selected payment mode is not configured for this account");
  const FwPayment& p = fw_add_payment(c, o, *method, *details, return_base);
  return json_reply(200, fw_create_payment_entity(c, p, o));
}

}  // namespace

FwPayment& fw_add_payment(Ctx& c, FwOrder& o, const std::string& method, const json& details,
                          const json& return_base_url) {
  if (!order_allows(o, method))
    throw invalid_request("payment_method_unsupported",
                          "payment_method : " + method + " is not among this order's payment_methods");
  FwPayment p;
  p.method = method;
  p.method_details = method == "card" ? card_details(details, c.now) : upi_details(details);
  p.payment_id = "pay_" + random_alnum(24);
  p.order_id = o.order_id;
  p.amount_paise = o.amount_paise;
  p.created_ms = c.now;
  p.attempt_expiry_ms = c.now + c.cfg.attempt_ttl_ms;
  p.return_url = return_url_for(return_base_url.is_null() ? o.return_base_url : return_base_url, o.order_id);
  if (method == "card") {
    p.status = "REDIRECTED";
    p.message = "Redirected to 3-D Secure";
    p.processor_ref = "CC" + random_digits(18);
  } else {
    start_upi(c.cfg, p, c.now);
  }
  o.payment_ids.push_back(p.payment_id);
  c.changed = true;
  const std::string id = p.payment_id;
  return c.st.flowwise.payments.emplace(id, std::move(p)).first->second;
}

std::string fw_upi_intent(const Config& cfg, const FwOrder& o, const FwPayment& p) {
  // tn: alphanumerics and spaces, at most 20 characters, from the note or
  // else the order id, as the SPI's UPIUtil cuts it.
  std::string note;
  const std::string source = o.order_note.is_string() ? o.order_note.get<std::string>() : o.order_id;
  for (char ch : source)
    if ((std::isalnum(static_cast<unsigned char>(ch)) || ch == ' ') && note.size() < 20) note.push_back(ch);
  if (note.empty()) note = "Cashfree Payments";
  char amount[32];
  std::snprintf(amount, sizeof amount, "%lld.%02lld", static_cast<long long>(p.amount_paise / 100),
                static_cast<long long>(p.amount_paise % 100));
  // tr is the payment id: unique per payment, as Cashfree requires.
  return "upi://pay?pa=" + url_encode(cfg.payee_vpa) + "&pn=" + url_encode(cfg.payee_name) + "&tr=" + p.payment_id +
         "&am=" + amount + "&cu=INR&mc=" + kMcc + "&tn=" + url_encode(note);
}

void add_flowwise_pay_routes(Routes& r) {
  r.push_back({"POST", std::regex("/router/order/pay/([A-Za-z0-9]+)"), Kind::Flowwise, "fw_create_payment", 100,
               create_payment});
}

}  // namespace pgsim
