// Order Pay (POST /pg/orders/sessions): what the method-specific handlers
// share. routes_pay.cpp checks the session, the order and the client
// environment, then hands the payment_method object to the method's handler.
#pragma once

#include "api.h"

namespace pgsim {

// A new attempt on `o` (status NOT_ATTEMPTED), registered in State.
Payment& new_attempt(Ctx& c, Order& o, const std::string& method, const std::string& channel);

// The PayOrderEntity envelope around `data`.
json pay_order_entity(const Payment& p, const std::string& action, json data);

// The UPI intent a payment's customer opens: a link to pgsim's own pay page
// in sandbox mode, a upi://pay URI in production-like mode. `scheme_prefix`
// selects an app's scheme in production-like mode ("upi://pay", "tez://upi/pay", ...).
std::string upi_intent(const Ctx& c, const Order& o, const Payment& p, const std::string& scheme_prefix);

Reply pay_upi(Ctx& c, Order& o, const json& upi);
Reply pay_card(Ctx& c, Order& o, const json& card);

}  // namespace pgsim
