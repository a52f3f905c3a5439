// Pre-authorisation (routes_authorization.cpp): the authorization block a
// payment carries, and UPI collect's one-time mandate (authorize_only).
#pragma once

#include <cstdint>
#include <string>

#include "state.h"

namespace pgsim {

// AuthorizationInPaymentsEntity before CAPTURE or VOID: status PENDING,
// nothing captured. The times are UPI only (null for cards).
json pending_authorization(json start_time = nullptr, json end_time = nullptr, json approve_by = nullptr);

// Order Pay's upi.authorize_only + upi.authorization, validated: the
// authorization block for the new payment, or null without authorize_only.
// Throws ApiError; called before the payment is created.
json upi_authorization(const json& upi, const std::string& channel, int64_t now);

// Gives a UPI collect payment its authorization block; an approve_by before
// the collect's own expiry brings that expiry forward.
void hold_upi_authorization(Payment& p, const json& authorization);

}  // namespace pgsim
