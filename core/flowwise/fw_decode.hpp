// Decoders of the router's 2xx answers into the fixed entities of
// fw_types.hpp. The rules are core/gateway's (pg_decode.hpp):
//   - Unknown fields are ignored, and so are known ones a sale does not need.
//   - A required field that is absent, null or of the wrong type, or a value
//     that is not what the field holds, is kParseError naming the key.
//   - A value longer than its capacity is kCapacityExceeded, never cut;
//     texts only shown to people (payment_message, error_description) are
//     cut instead.
//   - An enum value we do not know is kUnknown with its text kept.
//   - Amounts are read from the number's exact text into paise. Money starts
//     at 1.00, so the one smaller amount the router sends, capture_amount 0
//     (nothing captured yet), is read as the integer it is; 0.0 or a
//     capture below 1.00 is refused.
//   - Invalid JSON is kParseError; a body too big for the arena is
//     kCapacityExceeded.
// The arena is reset by every decode; the entities own their data.
#pragma once

#include <string_view>

#include "core/flowwise/fw_types.hpp"
#include "core/json/json_arena.hpp"
#include "core/json/json_reader.hpp"

namespace posagent::flowwise {

// Create / Get Order. Required: order_id, order_status, order_amount.
// Optional: order_hash (empty when absent; the client requires it of a
// created order), order_expiry_time ("2024-12-03T14:32:15Z" or with an
// offset).
FieldStatus decode_order(JsonArenaBase& arena, std::string_view body, FwOrder& out);

// One payment in any of the router's shapes: Create Payment (payment_status,
// processor_ref at the top, redirect_url, payload), PaymentDetails (Get
// Payment: status, gateway_details{auth_id, processor_ref, utr},
// payment_message, error_details) and Authorize (PaymentDetails' fields and
// redirect_url). Required: payment_id, order_id, payment_status or status,
// payment_amount. The rest is optional: empty, kNone or 0 when absent or
// null.
FieldStatus decode_payment(JsonArenaBase& arena, std::string_view body, FwPayment& out);

// An array of PaymentDetails (Get all payments for an order). Each element
// is parsed on its own, so the arena needs room for the largest one only.
// More than kMaxPayments: kCapacityExceeded.
FieldStatus decode_payments(JsonArenaBase& arena, std::string_view body, FwPaymentList& out);

}  // namespace posagent::flowwise
