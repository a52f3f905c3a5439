// Decoders of Cashfree's 2xx answers into the fixed entities of pg_types.hpp.
//
// Rules, the same for every decoder:
//   - Unknown fields are ignored; so are known ones the sale does not need.
//   - A required field that is absent, null, or of the wrong type, and a
//     value that is not what the field holds (a malformed amount or time),
//     is kParseError; FieldStatus names the key.
//   - A value longer than its capacity is kCapacityExceeded, never cut.
//   - An enum value we do not know is not an error: kUnknown, with its text
//     kept (when it fits kEnumTextCapacity; a longer one cannot be a known
//     value and is left out).
//   - Amounts are read from the number's exact text (JSON number or string)
//     into paise: 499, 499.0, 499.00 and "499.00" are all 49900.
//   - cf_order_id and cf_payment_id are strings since 2023-08-01; an integer
//     (older versions, some samples) is accepted and kept as its digits.
//   - Invalid JSON is kParseError; a body too big for the arena is
//     kCapacityExceeded ("json arena full").
//
// The arena is reset by every decode; the entities own their data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/status.hpp"
#include "core/gateway/pg_types.hpp"
#include "core/json/json_arena.hpp"
#include "core/json/json_reader.hpp"

namespace posagent::gateway {

// OrderEntity. Required: order_id, cf_order_id, order_status, order_amount.
// Optional: payment_session_id (empty when absent/null), order_expiry_time.
FieldStatus decode_order(JsonArenaBase& arena, std::string_view body, OrderEntity& out);

// PayOrderEntity of a UPI Order Pay made on `requested` (kLink or kQrcode).
// Required: cf_payment_id, action, data.payload and, for kLink,
// data.payload.default (the intent); for kQrcode, data.payload.qrcode (a
// "data:image/png;base64,..." URL), which is written into *qr_data_url
// (kInvalidArgument when qr_data_url is null: the caller must provide room).
// Optional: channel, payment_amount.
FieldStatus decode_upi_pay_order(JsonArenaBase& arena, std::string_view body, UpiChannel requested,
                                 UpiPayment& out, StringSpan* qr_data_url);

// A PaymentEntity array. Each element is parsed on its own, so the arena
// needs room for the largest attempt, not for all of them. Per attempt,
// required: cf_payment_id, payment_status, payment_amount; optional:
// bank_reference, payment_message, error_details.{error_code,
// error_description}, is_captured, authorization.{action (null: kNone),
// status, captured_amount (0 allowed)}. More than kMaxPaymentAttempts:
// kCapacityExceeded.
FieldStatus decode_payments(JsonArenaBase& arena, std::string_view body, PaymentList& out);

// One PaymentEntity (the answer to Authorize Order), as an attempt above.
FieldStatus decode_payment(JsonArenaBase& arena, std::string_view body, PaymentAttempt& out);

// PayOrderEntity of a card Order Pay. Required: cf_payment_id, action, the
// data object and, for action post, link or form, a non-empty data.url.
// Optional: channel, payment_amount, data.redirect_to_bank (url and
// redirect_to_bank longer than kCardUrlCapacity: kCapacityExceeded),
// data.method and data.content_type (hints: left empty when too long).
FieldStatus decode_card_pay_order(JsonArenaBase& arena, std::string_view body, CardPayment& out);

// OrderAuthenticateEntity (Submit / Resend OTP). Required:
// authenticate_status. Optional: cf_payment_id (left empty when absent),
// payment_message (cut to fit: it is only shown).
FieldStatus decode_otp_result(JsonArenaBase& arena, std::string_view body, OtpResult& out);

// The PNG inside a qrcode data URL, decoded only when asked: the bytes go
// into out and their count is returned. kParseError when the URL is not
// "data:image/png;base64,<base64>" or the bytes are not a PNG;
// kCapacityExceeded when out is too small (nothing written then).
Result<std::size_t> decode_qr_png(std::string_view data_url, std::span<std::uint8_t> out);

}  // namespace posagent::gateway
