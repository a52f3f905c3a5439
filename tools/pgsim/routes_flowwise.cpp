// The Flowwise Native API under /router: orders, authorize (capture/void),
// payment reads, refunds by payment id, and an admin simulate. Create
// Payment is in flowwise_pay.cpp, the customer's pages in flowwise_pages.cpp.
//
// Field names and enums are the docs' (cashfree-api.md §14, enums from the
// Flowwise SPI). Where the docs are silent or UNCONFIRMED, pgsim chooses:
//
// Conventions
// - Every /router call needs x-client-id + x-client-secret (the /pg
//   credentials; 401 authentication_error, code request_failed as on /pg,
//   though a Flowwise sample shows "unauthorized"). No x-api-version is read
//   or sent back. x-idempotency-key, x-request-id, x-ratelimit-* (type
//   app_id), faults and the request log work as on /pg. Rate limits copy PG's
//   production limits for the matching APIs: create order 200, get order 400,
//   create payment 100, authorize 100, get payment 130, get payments 100,
//   refund 100 per minute.
// - Errors are {message, code, type} with /pg's types (invalid_request_error
//   for 400, 404 and 409) and codes "<field>_missing" / "<field>_invalid"; the
//   Flowwise samples' other types (validation_error, resource_error,
//   server_error) are not used. Unknown ids: 404 order_not_found (the code of
//   the Flowwise sample) and payment_not_found.
// - Times are UTC with "Z", as in the Flowwise samples (/pg writes IST).
//
// Orders
// - order_id is required: 3-45 of [A-Za-z0-9_-]. order_amount: at least 1,
//   at most two decimals, below 1,000,000. order_currency: INR only, INR when
//   absent. customer_details is optional; customer_phone is "+91" and 10
//   digits, or 10 digits, and must be an Indian mobile (first digit 6-9, as
//   /pg checks); customer_id 3-50 of [A-Za-z0-9_-]; customer_email has an @.
// - payment_methods: a comma list of cc, dc, upi, nb, wallet; all of them when
//   absent. A payment by a method not listed is 400 payment_method_unsupported.
// - expiry_time_in_minutes: a whole number from 5 to 43200 (30 days); 120
//   when absent. order_note 3-200 characters. order_tags: at most 10 string
//   values of 1-255 characters. return_base_url: an http(s) URL.
// - Capture mode is per order through a pgsim knob: order_tags {"capture":
//   "manual"} makes every successful payment of the order AUTHORISED (UPI and
//   card alike); "auto" or no tag makes it CAPTURED at once.
// - project_id is one constant for the merchant; order_hash is 32 random hex
//   digits; checkout_url is pgsim's own checkout page.
// - A successful payment makes the order PAID, an authorisation included; a
//   later void or refund leaves it PAID. An order past its expiry is EXPIRED,
//   but an attempt opened before may still succeed and make it PAID (as /pg).
//
// Payments (see flowwise_pay.cpp)
// - Create Payment on an unknown hash or an order not ACTIVE: 404
//   order_not_found ("Order not found or has expired" in the sample).
//   netbanking and wallet: 400 request_failed, "not configured" as on /pg.
// - UPI with upi_id: a collect, PENDING, USER_DROPPED if not approved in 5
//   minutes (the SPI's UPI expiry); testsuccess@gocash and testfailure@gocash
//   settle by themselves after --collect-settle-ms. Without upi_id: an
//   intent, INITIATED, `payload` the upi://pay string, redirect_url pgsim's
//   UPI pay page (null with --production-like); USER_DROPPED after
//   --attempt-ttl-ms.
// - Cards: plain {card_number, card_expiry_mm, card_expiry_yy, card_cvv,
//   card_holder_name} or, when a cryptogram is given, a network token
//   {card_number (the token), cryptogram, token_requestor_id, card_display;
//   expiry optional, no CVV}. Codes card_number_* (12-19 digits, Luhn),
//   card_expiry_mm_* / card_expiry_yy_* (an expired card: the field that is
//   past), card_cvv_* (3 or 4 digits), token_requestor_id_missing,
//   card_display_*. The payment is REDIRECTED to /router/view/3ds/{id}: OTP
//   111000 succeeds, another OTP fails (AUTHENTICATION_FAILED), Cancel is
//   USER_DROPPED; left alone it is USER_DROPPED after --attempt-ttl-ms.
// - capture_status is null until SUCCESS; capture_amount is 0 until captured.
//   A void leaves status SUCCESS with capture_status VOIDED. An authorisation
//   not captured in 7 days becomes VOIDED (PG's pre-authorization rule).
//
// Authorize
// - action and capture_amount are both required, as documented; for VOID
//   the amount may be 0 and is not used. CAPTURE takes up to payment_amount
//   (partial captures release the rest), once. Refusals, all 400:
//   payment_not_authorised (the payment is not SUCCESS),
//   payment_already_captured (capture twice, or void after capture),
//   payment_already_voided (void twice, or capture after void),
//   capture_amount_invalid (more than payment_amount).
//
// Refunds
// - refund_id: 3-40 of [A-Za-z0-9_-], unique for the merchant (409
//   refund_already_exists). refund_amount above 0; refund_type
//   MERCHANT_INITIATED or AUTO_REFUND; refund_note 3-100 characters.
// - Only a SUCCESS payment with capture_status CAPTURED can be refunded (400
//   payment_not_captured); refunds not FAILED add up to at most
//   capture_amount (400 refund_amount_invalid).
// - PENDING, then SUCCESS 5 s later on pgsim's clock; refund_note "FAILED"
//   makes it FAILED then and "PENDING" keeps it PENDING (the /pg sandbox's
//   refund_note trick). refund_reference_id is set at once, refund_utr on
//   SUCCESS.
//
// Reads and admin
// - PaymentDetails (GET /router/payments/{id} and each element of GET
//   /router/orders/{id}/payments) adds payment_message, payment_time,
//   payment_method_details (masked card, or UPI channel/upi_id/app_name),
//   error_details and refunds[]: the docs have no refund read, so a refund's
//   progress is read from its payment.
// - POST /admin/flowwise/simulate {payment_id, status: SUCCESS | FAILED |
//   USER_DROPPED | PENDING, error_code?} decides an open payment, like
//   /pg/simulate; no credentials, as all of /admin.
#include <cctype>
#include <set>
#include <sstream>

#include "flowwise.h"
#include "ids.h"
#include "validate.h"

namespace pgsim {

void fw_missing(const std::string& field) { throw invalid_request(field + "_missing", field + " : is required"); }

void fw_invalid(const std::string& field, const std::string& problem) {
  throw invalid_request(field + "_invalid", field + " : " + problem);
}

std::optional<std::string> fw_string(const json& obj, const char* key, size_t min_len, size_t max_len) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) fw_invalid(key, "must be a string");
  auto s = it->get<std::string>();
  if (s.empty()) return std::nullopt;
  if (s.size() < min_len || s.size() > max_len)
    fw_invalid(key, "length must be between " + std::to_string(min_len) + " and " + std::to_string(max_len));
  return s;
}

json fw_return_base_url(const json& obj) {
  const auto url = fw_string(obj, "return_base_url", 1, 250);
  if (!url) return nullptr;
  if (url->rfind("https://", 0) != 0 && url->rfind("http://", 0) != 0)
    fw_invalid("return_base_url", "must be an http or https URL");
  return *url;
}

namespace {

constexpr const char* kAllMethods = "cc,dc,upi,nb,wallet";
constexpr int64_t kDefaultExpiryMinutes = 120;

const json& body_object(const Ctx& c) {
  if (!c.body.is_object()) throw invalid_request("request_invalid", "the request body must be a JSON object");
  return c.body;
}

std::string required_id(const json& b, const char* key, size_t min_len, size_t max_len) {
  const auto v = fw_string(b, key, min_len, max_len);
  if (!v) fw_missing(key);
  if (!id_chars(*v)) fw_invalid(key, "only letters, digits, '_' and '-' are allowed");
  return *v;
}

// A required amount in paise: a number with at most two decimals, above zero
// (or zero, when `zero_ok`).
int64_t required_amount(const json& b, const char* key, bool zero_ok = false) {
  auto it = b.find(key);
  if (it == b.end() || it->is_null()) fw_missing(key);
  const auto paise = to_paise(*it);
  if (!paise) fw_invalid(key, "must be a number with at most two decimals");
  if (*paise < 0 || (*paise == 0 && !zero_ok)) fw_invalid(key, "must be greater than zero");
  return *paise;
}

bool is_phone(const std::string& s) { return is_indian_mobile(s.rfind("+91", 0) == 0 ? s.substr(3) : s); }

json validate_customer(const json& c) {
  if (!c.is_object()) fw_invalid("customer_details", "must be an object");
  json out = json::object();
  if (const auto email = fw_string(c, "customer_email", 3, 100)) {
    const auto at = email->find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= email->size())
      fw_invalid("customer_email", "is not an email address");
    out["customer_email"] = *email;
  }
  if (const auto phone = fw_string(c, "customer_phone", 1, 20)) {
    if (!is_phone(*phone)) fw_invalid("customer_phone", "must be an Indian mobile number: +91 and 10 digits, or 10 digits");
    out["customer_phone"] = *phone;
  }
  if (const auto address = fw_string(c, "customer_address", 1, 250)) out["customer_address"] = *address;
  if (const auto id = fw_string(c, "customer_id", 3, 50)) {
    if (!id_chars(*id)) fw_invalid("customer_id", "only letters, digits, '_' and '-' are allowed");
    out["customer_id"] = *id;
  }
  return out;
}

std::string validate_payment_methods(const json& b) {
  const auto pm = fw_string(b, "payment_methods", 1, 100);
  if (!pm) return kAllMethods;
  static const std::set<std::string> kAllowed = {"cc", "dc", "upi", "nb", "wallet"};
  std::stringstream ss(*pm);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!kAllowed.count(item)) fw_invalid("payment_methods", "'" + item + "' is not one of cc, dc, upi, nb, wallet");
  return *pm;
}

int64_t expiry_minutes(const json& b) {
  auto it = b.find("expiry_time_in_minutes");
  if (it == b.end() || it->is_null()) return kDefaultExpiryMinutes;
  if (!it->is_number_integer() || it->get<int64_t>() < 5 || it->get<int64_t>() > 43200)
    fw_invalid("expiry_time_in_minutes", "must be a whole number from 5 to 43200");
  return it->get<int64_t>();
}

// Tags as received; the "capture" tag, pgsim's knob, sets `capture_mode`.
json validate_tags(const json& b, std::string& capture_mode) {
  auto it = b.find("order_tags");
  if (it == b.end() || it->is_null()) return nullptr;
  if (!it->is_object() || it->size() > 10) fw_invalid("order_tags", "must be an object of at most 10 tags");
  for (const auto& [k, v] : it->items())
    if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().size() > 255)
      fw_invalid("order_tags", "tag '" + k + "' must be a string of 1 to 255 characters");
  if (it->contains("capture")) {
    const std::string mode = (*it)["capture"];
    if (mode != "auto" && mode != "manual") fw_invalid("order_tags", "the capture tag must be auto or manual");
    capture_mode = mode;
  }
  return *it;
}

FwOrder& order_or_404(Ctx& c, const std::string& id) {
  FwOrder* o = c.st.flowwise.find_order(id);
  if (!o) throw not_found("order_not_found", "order_id : no order with id '" + id + "'");
  return *o;
}

FwPayment& payment_or_404(Ctx& c, const std::string& id) {
  FwPayment* p = c.st.flowwise.find_payment(id);
  if (!p) throw not_found("payment_not_found", "payment_id : no payment with id '" + id + "'");
  return *p;
}

Reply create_order(Ctx& c) {
  const json& b = body_object(c);
  FwOrder o;
  o.order_id = required_id(b, "order_id", 3, 45);
  o.amount_paise = required_amount(b, "order_amount");
  if (o.amount_paise < 100) fw_invalid("order_amount", "must be at least 1");
  if (o.amount_paise >= c.cfg.max_amount_paise) fw_invalid("order_amount", "must be less than 1,000,000");
  if (const auto currency = fw_string(b, "order_currency", 1, 10); currency && *currency != "INR")
    fw_invalid("order_currency", "only INR is enabled for this account");
  if (auto cust = b.find("customer_details"); cust != b.end() && !cust->is_null())
    o.customer_details = validate_customer(*cust);
  o.payment_methods = validate_payment_methods(b);
  const int64_t minutes = expiry_minutes(b);
  if (const auto note = fw_string(b, "order_note", 3, 200)) o.order_note = *note;
  o.order_tags = validate_tags(b, o.capture_mode);
  o.return_base_url = fw_return_base_url(b);

  auto& fw = c.st.flowwise;
  if (fw.orders.count(o.order_id))
    throw ApiError(409, "order_already_exists", "invalid_request_error", "order with same id is already present");
  o.order_hash = sha256_hex(random_alnum(32)).substr(0, 32);
  o.created_ms = c.now;
  o.expiry_ms = c.now + minutes * 60 * 1000;
  fw.hashes[o.order_hash] = o.order_id;
  const std::string id = o.order_id;
  const FwOrder& saved = fw.orders.emplace(id, std::move(o)).first->second;
  c.changed = true;
  return json_reply(200, fw_order_entity(saved, c.base_url));
}

Reply get_order(Ctx& c) { return json_reply(200, fw_order_entity(order_or_404(c, c.params[0]), c.base_url)); }

Reply list_payments(Ctx& c) {
  const FwOrder& o = order_or_404(c, c.params[0]);
  json out = json::array();
  for (const auto& id : o.payment_ids)
    if (const FwPayment* p = c.st.flowwise.find_payment(id)) out.push_back(fw_payment_details(c.st.flowwise, *p, o));
  return json_reply(200, out);
}

Reply get_payment(Ctx& c) {
  const FwPayment& p = payment_or_404(c, c.params[0]);
  return json_reply(200, fw_payment_details(c.st.flowwise, p, *c.st.flowwise.find_order(p.order_id)));
}

Reply authorize(Ctx& c) {
  const FwOrder& o = order_or_404(c, c.params[0]);
  FwPayment& p = payment_or_404(c, c.params[1]);
  if (p.order_id != o.order_id) throw not_found("payment_not_found", "payment_id : no such payment on this order");
  const json& b = body_object(c);
  const auto action = fw_string(b, "action", 1, 16);
  if (!action) fw_missing("action");
  if (*action != "CAPTURE" && *action != "VOID") fw_invalid("action", "must be CAPTURE or VOID");
  const int64_t amount = required_amount(b, "capture_amount", /*zero_ok=*/*action == "VOID");
  fw_authorize(p, *action, amount);
  c.changed = true;
  return json_reply(200, fw_authorize_entity(p, o));
}

Reply create_refund(Ctx& c) {
  const FwPayment& p = payment_or_404(c, c.params[0]);
  const json& b = body_object(c);
  FwRefund r;
  r.refund_id = required_id(b, "refund_id", 3, 40);
  r.amount_paise = required_amount(b, "refund_amount");
  const auto type = fw_string(b, "refund_type", 1, 32);
  if (!type) fw_missing("refund_type");
  if (*type != "MERCHANT_INITIATED" && *type != "AUTO_REFUND")
    fw_invalid("refund_type", "must be MERCHANT_INITIATED or AUTO_REFUND");
  r.type = *type;
  if (const auto note = fw_string(b, "refund_note", 3, 100)) r.note = *note;

  auto& fw = c.st.flowwise;
  if (fw.refunds.count(r.refund_id))
    throw ApiError(409, "refund_already_exists", "invalid_request_error", "refund with same id is already present");
  if (p.status != "SUCCESS" || p.capture_status != "CAPTURED")
    throw invalid_request("payment_not_captured", "payment_id : only a captured payment can be refunded; this one is " +
                                                      (p.capture_status.empty() ? p.status : p.capture_status));
  if (r.amount_paise > fw_refundable_paise(fw, p))
    throw invalid_request("refund_amount_invalid", "refund_amount : more than is left to refund of the captured amount");
  const FwRefund& saved = fw_add_refund(fw, p, std::move(r), c.now);
  c.changed = true;
  return json_reply(200, fw_refund_entity(saved));
}

// POST /admin/flowwise/simulate: decides an open payment, as the customer or
// their bank would.
Reply simulate(Ctx& c) {
  const json b = json::parse(c.req.body, nullptr, false);
  if (!b.is_object()) throw invalid_request("request_invalid", "the request body must be a JSON object");
  const auto id = fw_string(b, "payment_id", 1, 64);
  if (!id) fw_missing("payment_id");
  const auto status = fw_string(b, "status", 1, 32);
  if (!status) fw_missing("status");
  if (*status != "SUCCESS" && *status != "FAILED" && *status != "USER_DROPPED" && *status != "PENDING")
    fw_invalid("status", "must be SUCCESS, FAILED, USER_DROPPED or PENDING");
  const auto error_code = fw_string(b, "error_code", 1, 64);
  FwPayment& p = payment_or_404(c, *id);
  if (!fw_is_open(p)) throw invalid_request("payment_not_open", "payment_id : the payment is already " + p.status);
  auto& fw = c.st.flowwise;
  c.changed |= fw_settle(fw, p, *status, c.now, "simulate", error_code.value_or(""));
  return json_reply(200, fw_payment_details(fw, p, *fw.find_order(p.order_id)));
}

}  // namespace

void add_flowwise_routes(Routes& r) {
  const std::string id = "([A-Za-z0-9_-]+)";
  r.push_back({"POST", std::regex("/router/orders"), Kind::Flowwise, "fw_create_order", 200, create_order});
  r.push_back({"GET", std::regex("/router/orders/" + id), Kind::Flowwise, "fw_get_order", 400, get_order});
  r.push_back({"GET", std::regex("/router/orders/" + id + "/payments"), Kind::Flowwise, "fw_get_payments", 100,
               list_payments});
  r.push_back({"POST", std::regex("/router/orders/" + id + "/payments/" + id + "/authorize"), Kind::Flowwise,
               "fw_authorize", 100, authorize});
  r.push_back({"GET", std::regex("/router/payments/" + id), Kind::Flowwise, "fw_get_payment", 130, get_payment});
  r.push_back({"POST", std::regex("/router/payments/" + id), Kind::Flowwise, "fw_create_refund", 100, create_refund});
  r.push_back({"POST", std::regex("/admin/flowwise/simulate"), Kind::Admin, "", 0, simulate});
  add_flowwise_pay_routes(r);
  add_flowwise_page_routes(r);
}

}  // namespace pgsim
