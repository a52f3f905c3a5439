// Flows the card, pre-authorisation and refund tests share: card Order Pay,
// Native OTP, and an order paid by card or UPI.
#pragma once

#include <stdexcept>
#include <string>

#include "tests/pgsim/pgsim_harness.hpp"

namespace pgsim_test {

inline const char* kOtp = "111000";  // pgsim's default --card-otp

// A plain card that expires in 2049.
inline json plain_card(const std::string& number, const std::string& channel = "post") {
  return {{"channel", channel},
          {"card_number", number},
          {"card_holder_name", "Test Customer"},
          {"card_expiry_mm", "12"},
          {"card_expiry_yy", "49"},
          {"card_cvv", "987"}};
}

inline Response pay_card(const Pgsim& sim, const json& order, const json& card) {
  return sim.pg("POST", "/orders/sessions",
                {{"payment_session_id", order["payment_session_id"]}, {"payment_method", {{"card", card}}}},
                {{"x-client-id", ""}, {"x-client-secret", ""}});
}

// POST /pg/orders/pay/authenticate/{id}, without credentials like Order Pay.
inline Response authenticate(const Pgsim& sim, const std::string& cf_payment_id, const json& body) {
  return sim.pg("POST", "/orders/pay/authenticate/" + cf_payment_id, body, {{"x-client-id", ""}, {"x-client-secret", ""}});
}

inline Response submit_otp(const Pgsim& sim, const std::string& cf_payment_id, const std::string& otp = kOtp) {
  return authenticate(sim, cf_payment_id, {{"action", "SUBMIT_OTP"}, {"otp", otp}});
}

inline json create_order_with(const Pgsim& sim, json body) {
  Response r = sim.pg("POST", "/orders", body);
  if (r.status != 200) throw std::runtime_error("create order: " + std::to_string(r.status) + " " + r.raw);
  return r.body;
}

// An order paid by `number` through Native OTP; returns the cf_payment_id.
inline std::string pay_by_card(const Pgsim& sim, const json& order, const std::string& number = "4111111111111111") {
  Response r = pay_card(sim, order, plain_card(number));
  if (r.status != 200) throw std::runtime_error("card pay: " + r.raw);
  const std::string id = r.body["cf_payment_id"];
  Response a = submit_otp(sim, id);
  if (a.status != 200 || a.body["authenticate_status"] != "SUCCESS") throw std::runtime_error("otp: " + a.raw);
  return id;
}

inline json payment(const Pgsim& sim, const std::string& order_id, const std::string& cf_payment_id) {
  return sim.pg("GET", "/orders/" + order_id + "/payments/" + cf_payment_id).body;
}

inline void advance(const Pgsim& sim, int64_t ms) { sim.admin("POST", "/clock", {{"advance_ms", ms}}); }

}  // namespace pgsim_test
