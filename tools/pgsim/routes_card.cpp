// Card Order Pay (payment_method.card) and Native OTP
// (POST /pg/orders/pay/authenticate/{cf_payment_id}).
//
// Three ways to name a card, checked in this order: a saved card
// (instrument_id, or card_alias: both looked up among pgsim's fixed sandbox
// instruments, else 404 card_not_found), a network token (cryptogram with
// token_requestor_id, card_display and the token's number and expiry), or a
// plain card (card_number, expiry, CVV). None of them: card_invalid.
//
// Choices where Cashfree's documents are silent:
// - An expired card is card_expiry_yy_invalid when its year has passed and
//   card_expiry_mm_invalid when only its month has: the documented code of
//   the field that makes it expired.
// - A network pgsim's account does not accept (Diners, Discover, JCB, or no
//   known BIN), and pre-authorisation on a card other than Visa or Mastercard
//   (the networks Cashfree's pre-auth page names), are
//   payment_method_unsupported.
// - Channel link leaves the payment NOT_ATTEMPTED until the customer acts on
//   the 3-D Secure page; channel post (Native OTP) makes it PENDING, as the
//   OTP has been sent.
// - Authenticating a payment that is no longer open (or has no Native OTP
//   session) is 400 cf_payment_id_invalid, after the documented
//   cf_payment_id_missing; an unknown one is 404 payment_not_found. Once the
//   OTP session has expired the answer is authenticate_status FAILED.
// - A right OTP on the decline card is authenticate_status SUCCESS (the OTP
//   action succeeded, as the spec describes it) with the decline in
//   payment_message; the payment is FAILED.
//
// Card numbers and CVVs are never stored, logged or echoed in a message:
// Payment::card holds the masked number, and error bodies (which idempotency
// records keep) never quote the values received.
#include <algorithm>
#include <cctype>
#include <ctime>

#include "cards.h"
#include "entities.h"
#include "lifecycle.h"
#include "pay.h"
#include "routes.h"
#include "validate.h"

namespace pgsim {
namespace {

// A string field: nothing when absent, null or ""; a non-string is invalid.
std::optional<std::string> field(const json& card, const char* key) {
  auto it = card.find(key);
  if (it == card.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw invalid_request(std::string(key) + "_invalid", std::string(key) + " : must be a string");
  if (it->get<std::string>().empty()) return std::nullopt;
  return it->get<std::string>();
}

std::string required(const json& card, const char* key) {
  auto v = field(card, key);
  if (!v) throw invalid_request(std::string(key) + "_missing", std::string(key) + " : is required");
  return *v;
}

std::string card_number(const json& card) {
  const std::string pan = required(card, "card_number");
  if (!all_digits(pan) || pan.size() < 12 || pan.size() > 19 || !luhn_valid(pan))
    throw invalid_request("card_number_invalid", "card_number : is not a valid card number");
  if (card_network(pan).empty())
    throw invalid_request("payment_method_unsupported",
                          "card_number : this card network is not supported (visa, mastercard, rupay, amex are)");
  return pan;
}

// The current month in IST, as years * 12 + month - 1.
int month_index_ist(int64_t now_ms) {
  const std::time_t t = static_cast<std::time_t>(now_ms / 1000 + 19800);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return (tm.tm_year + 1900) * 12 + tm.tm_mon;
}

void check_expiry(const json& card, int64_t now) {
  const std::string mm = required(card, "card_expiry_mm");
  if (mm.size() != 2 || !all_digits(mm) || std::stoi(mm) < 1 || std::stoi(mm) > 12)
    throw invalid_request("card_expiry_mm_invalid", "card_expiry_mm : must be two digits, 01 to 12");
  const std::string yy = required(card, "card_expiry_yy");
  if (yy.size() != 2 || !all_digits(yy))
    throw invalid_request("card_expiry_yy_invalid", "card_expiry_yy : must be two digits, e.g. 29");
  const int year = 2000 + std::stoi(yy);
  const int current = month_index_ist(now);
  if (year * 12 + std::stoi(mm) - 1 >= current) return;
  if (year < current / 12) throw invalid_request("card_expiry_yy_invalid", "card_expiry_yy : the card has expired");
  throw invalid_request("card_expiry_mm_invalid", "card_expiry_mm : the card has expired");
}

void check_cvv(const json& card, bool is_required) {
  auto cvv = field(card, "card_cvv");
  if (!cvv) {
    if (is_required) throw invalid_request("card_cvv_missing", "card_cvv : is required");
    return;
  }
  if (!all_digits(*cvv) || cvv->size() < 3 || cvv->size() > 4)
    throw invalid_request("card_cvv_invalid", "card_cvv : must be 3 or 4 digits");
}

// The card as validated: PaymentEntity's card block (no channel yet) and
// what the bank will do.
struct CardIn {
  json card;
  CardProfile profile;
};

CardIn card_in(const std::string& masked, const CardProfile& profile, const std::string& instrument_id) {
  json card = {{"card_number", masked},
               {"card_network", profile.network},
               {"card_type", profile.type},
               {"card_country", "IN"},
               {"card_bank_name", profile.bank_name},
               {"card_network_reference_id", nullptr},  // set once authorised
               {"instrument_id", instrument_id.empty() ? json(nullptr) : json(instrument_id)}};
  return {std::move(card), profile};
}

CardIn saved_card(const json& card, const std::string& id) {
  auto saved = find_saved_card(id);
  if (!saved) throw not_found("card_not_found", "the card details could not be retrieved; verify the card information");
  check_cvv(card, false);  // optional for saved cards
  return card_in(saved->masked, saved->profile, id);
}

CardIn token_card(const json& card, int64_t now) {
  const std::string pan = card_number(card);  // the token's number
  check_expiry(card, now);                     // the token's expiry
  required(card, "token_requestor_id");
  const std::string display = required(card, "card_display");
  if (display.size() != 4 || !all_digits(display))
    throw invalid_request("card_display_invalid", "card_display : must be the last 4 digits of the card");
  check_cvv(card, false);
  // Only the real card's last 4 are known; the token's digits are not the card's.
  return card_in(std::string(12, 'x') + display, card_profile(pan), "");
}

CardIn plain_card(const json& card, int64_t now) {
  const std::string pan = card_number(card);
  check_expiry(card, now);
  check_cvv(card, true);
  return card_in(mask_pan(pan), card_profile(pan), "");
}

CardIn read_card(const json& card, int64_t now) {
  if (auto id = field(card, "instrument_id")) return saved_card(card, *id);
  if (auto alias = field(card, "card_alias")) return saved_card(card, *alias);
  if (field(card, "cryptogram")) return token_card(card, now);
  // A card_number key, even empty, is a plain card attempt (card_number_missing).
  if (card.contains("card_number")) return plain_card(card, now);
  throw invalid_request("card_invalid",
                        "card : provide card details, card_alias, instrument_id or cryptogram");
}

std::string card_channel(const json& card) {
  auto ch = card.find("channel");
  if (ch == card.end() || ch->is_null() || (ch->is_string() && ch->get<std::string>().empty()))
    throw invalid_request("channel_missing", "channel : is required");
  if (!ch->is_string() || (*ch != "link" && *ch != "post"))
    throw invalid_request("channel_invalid", "channel : must be link or post for card");
  return ch->get<std::string>();
}

// Pre-authorisation: the account setting (--preauth-cards), or the pgsim-only
// order tag pgsim_preauth "true" for a single order.
bool auth_only(const Config& cfg, const Order& o) {
  return cfg.preauth_cards || (o.order_tags.is_object() && o.order_tags.value("pgsim_preauth", "") == "true");
}

std::string three_ds_page(const Ctx& c, const Payment& p) { return c.base_url + "/pg/view/3ds/" + p.cf_payment_id; }

// The spec's card-link example: a form post to the page.
json link_data(const std::string& url) {
  return {{"url", url},
          {"payload", {{"name", "card"}}},
          {"content_type", "application/x-www-form-urlencoded"},
          {"method", "post"}};
}

// Sends the OTP: the payment is PENDING until the OTP session ends (or the
// attempt time limit, if sooner). Returns the action "post" data.
json start_native_otp(Ctx& c, Payment& p, CardSession& s) {
  s.otp_sent_ms = c.now;
  s.otp_expiry_ms = std::min(c.now + kOtpSessionMs, p.attempt_expiry_ms);
  p.attempt_expiry_ms = s.otp_expiry_ms;
  settle(c.st, p, "PENDING", c.now, "OTP sent to the customer");
  return {{"url", c.base_url + "/pg/orders/pay/authenticate/" + p.cf_payment_id},
          {"payload", nullptr},
          {"content_type", "application/json"},
          {"method", "post"},
          {"redirect_to_bank", three_ds_page(c, p)}};
}

}  // namespace

Reply pay_card(Ctx& c, Order& o, const json& card) {
  const std::string channel = card_channel(card);
  const CardIn in = read_card(card, c.now);
  if (o.currency != "INR")
    throw invalid_request("request_invalid",
                          "Cards issued in India cannot be used for transactions where the order currency is non-INR. "
                          "Value received: " + o.currency);
  const bool preauth = auth_only(c.cfg, o);
  if (preauth && in.profile.network != "visa" && in.profile.network != "mastercard")
    throw invalid_request("payment_method_unsupported",
                          "pre-authorisation is supported for visa and mastercard cards only");
  if (in.profile.outcome == CardOutcome::BankDown)
    throw ApiError(502, "bank_processing_failure", "api_error",
                   "The transaction could not be created at the banking partner. Retry the request or contact support "
                   "if the issue persists.");

  Payment& p = new_attempt(c, o, "card", channel);
  p.card = in.card;
  p.card["channel"] = channel;
  CardSession s;
  s.cf_payment_id = p.cf_payment_id;
  s.bank_declines = in.profile.outcome == CardOutcome::Decline;
  s.auth_only = preauth;
  const bool native_otp = channel == "post" && in.profile.outcome != CardOutcome::NoNativeOtp;
  json data = native_otp ? start_native_otp(c, p, s) : link_data(three_ds_page(c, p));
  // Native OTP asked for but the bank has none: the docs' fallback answer.
  if (channel == "post" && !native_otp) data["redirect_to_bank"] = three_ds_page(c, p);
  c.st.card_sessions[p.cf_payment_id] = s;
  return json_reply(200, pay_order_entity(p, native_otp ? "post" : "link", std::move(data)));
}

namespace {

json authenticate_entity(const Payment& p, const std::string& action, const AuthResult& r) {
  return {{"cf_payment_id", p.cf_payment_id},
          {"action", action},
          {"authenticate_status", r.ok ? "SUCCESS" : "FAILED"},
          {"payment_message", r.message}};
}

std::string otp_action(const json& b) {
  auto a = b.find("action");
  if (a == b.end() || a->is_null() || (a->is_string() && a->get<std::string>().empty()))
    throw invalid_request("action_missing", "action : is required");
  if (!a->is_string() || (*a != "SUBMIT_OTP" && *a != "RESEND_OTP"))
    throw invalid_request("action_invalid", "action : must be SUBMIT_OTP or RESEND_OTP");
  return a->get<std::string>();
}

Reply authenticate(Ctx& c) {
  if (!c.body.is_object()) throw invalid_request("request_invalid", "the request body must be a JSON object");
  Payment* p = c.st.find_payment(c.params[0]);
  if (!p) throw not_found("payment_not_found", "cf_payment_id : no payment '" + c.params[0] + "'");
  const std::string action = otp_action(c.body);
  auto it = c.st.card_sessions.find(p->cf_payment_id);
  if (it == c.st.card_sessions.end() || it->second.otp_expiry_ms == 0)
    throw invalid_request("cf_payment_id_invalid",
                          "cf_payment_id : Native OTP is not available for this payment; use data.url from Order Pay");
  CardSession& s = it->second;
  if (c.now >= s.otp_expiry_ms && (is_open(*p) || p->status == "USER_DROPPED")) {
    c.changed |= settle(c.st, *p, "USER_DROPPED", s.otp_expiry_ms, "OTP session expired");
    return json_reply(200, authenticate_entity(*p, action, {false, "the otp session has expired (5 minutes)"}));
  }
  if (!is_open(*p))
    throw invalid_request("cf_payment_id_invalid",
                          "cf_payment_id : the payment is already " + p->status + " and cannot be authenticated");
  c.changed = true;
  if (action == "RESEND_OTP") return json_reply(200, authenticate_entity(*p, action, resend_otp(s, c.now)));
  auto otp = field(c.body, "otp");
  if (!otp) throw invalid_request("otp_missing", "otp : is required for SUBMIT_OTP");
  const AuthResult r = submit_otp(c.st, c.cfg, *p, s, *otp, c.now, "Native OTP");
  return json_reply(200, authenticate_entity(*p, action, r));
}

Reply authenticate_without_id(Ctx&) {
  throw invalid_request("cf_payment_id_missing", "cf_payment_id : is required in the path");
}

}  // namespace

void add_card_routes(Routes& r) {
  // Limited per IP like Order Pay: the customer's device calls it.
  r.push_back({"POST", std::regex("/pg/orders/pay/authenticate/([0-9]+)"), Kind::PgSession, "authenticate", 100,
               authenticate});
  r.push_back({"POST", std::regex("/pg/orders/pay/authenticate/?"), Kind::PgSession, "authenticate", 100,
               authenticate_without_id});
  add_card_page_routes(r);
}

}  // namespace pgsim
