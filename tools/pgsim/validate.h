// Request validation with Cashfree's codes. Codes follow the documented
// pattern "<field>_missing" / "<field>_invalid" (the leaf name, as in
// customer_email_invalid and card_cvv_invalid); the ones not quoted verbatim
// by the docs are marked in validate.cpp. All are 400 invalid_request_error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "options.h"
#include "state.h"

namespace pgsim {

// Exactly representable in paise (at most two decimals) and finite.
std::optional<int64_t> to_paise(const json& v);
json paise_to_json(int64_t paise);

bool is_indian_mobile(const std::string& s);  // 10 digits, first 6-9
bool is_vpa(const std::string& s);            // handle@bank
bool id_chars(const std::string& s);          // only [A-Za-z0-9_-], as Cashfree's ids
bool all_digits(const std::string& s);        // non-empty, only 0-9

// For validators in other files: an optional string field of `obj`. Absent,
// null and "" mean "not given"; otherwise it must be a string of min_len to
// max_len characters, else ApiError <key>_invalid.
std::optional<std::string> string_field(const json& obj, const char* key, size_t min_len, size_t max_len);

// Builds an Order from a Create Order body (ids, session and times are left
// to the caller except expiry). Throws ApiError on the first problem found.
Order validate_create_order(const json& body, const Config& cfg, const std::string& api_version, int64_t now);

}  // namespace pgsim
