// What the PG client reads out of Cashfree's answers: the few fields of an
// order, a UPI Order Pay and the payment attempts that a sale needs, in
// fixed memory. Amounts are integer paise, read exactly from the number's
// text. Identifier and text capacities follow the API's documented limits
// with some margin; a longer value is refused (kCapacityExceeded) rather
// than cut, so a truncated id can never be stored or compared.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/timestamp.hpp"

namespace posagent::gateway {

// Our order ids are 3..45 characters (the API's rule since 2023); older
// documentation allowed 50, which is what an answer may carry.
inline constexpr std::size_t kOrderIdCapacity = 50;
// cf_order_id / cf_payment_id: decimal digits (int64 in older versions).
inline constexpr std::size_t kCfIdCapacity = 24;
// Cashfree's session ids are ~70..160 characters; twice the largest seen.
inline constexpr std::size_t kSessionIdCapacity = 256;
// A UPI intent (data.payload.default): "upi://pay?pa=..&pn=..&am=..&tr=..&tn=..
// &cu=INR&mc=..&tid=.." is 150..250 bytes; the sandbox's HTTPS simulator
// links are about as long. 512 leaves room for long payee names and notes.
inline constexpr std::size_t kIntentCapacity = 512;
// An enum value as text, kept for logs when it is not one we know.
inline constexpr std::size_t kEnumTextCapacity = 32;
inline constexpr std::size_t kBankReferenceCapacity = 32;  // UPI UTR/RRN: 12 digits
inline constexpr std::size_t kPaymentMessageCapacity = 128;
inline constexpr std::size_t kErrorCodeCapacity = 48;
inline constexpr std::size_t kErrorDescriptionCapacity = 128;
// Attempts one Get Payments answer may list. A UPI sale makes one or two;
// more than this is refused (kCapacityExceeded), never cut: a dropped
// attempt could be the SUCCESS one. Get Order stays the authority then.
inline constexpr std::size_t kMaxPaymentAttempts = 8;

using OrderId = FixedString<kOrderIdCapacity>;
using CfId = FixedString<kCfIdCapacity>;
using SessionId = FixedString<kSessionIdCapacity>;
using EnumText = FixedString<kEnumTextCapacity>;

enum class OrderStatus : std::uint8_t {
  kActive,
  kPaid,
  kExpired,
  kTerminated,
  kTerminationRequested,
  kUnknown,  // a value this build does not know: read the raw text, poll again
};

enum class PaymentStatus : std::uint8_t {
  kSuccess,
  kNotAttempted,
  kFailed,
  kUserDropped,
  kVoid,
  kCancelled,
  kPending,
  kUnknown,
};

// UPI Order Pay channels. Requests use kLink or kQrcode; answers may name
// others.
enum class UpiChannel : std::uint8_t { kLink, kQrcode, kCollect, kUnknown };

// Order Pay's `action`: UPI link/qrcode/collect answer kCustom.
enum class PayAction : std::uint8_t { kCustom, kLink, kForm, kPost, kCollect, kUnknown };

// The API's spelling ("ACTIVE", "SUCCESS", "qrcode", "custom"); "UNKNOWN" /
// "unknown" for kUnknown.
std::string_view to_string(OrderStatus status);
std::string_view to_string(PaymentStatus status);
std::string_view to_string(UpiChannel channel);
std::string_view to_string(PayAction action);

// Exact, case-sensitive matches; anything else is kUnknown.
OrderStatus parse_order_status(std::string_view text);
PaymentStatus parse_payment_status(std::string_view text);
UpiChannel parse_upi_channel(std::string_view text);
PayAction parse_pay_action(std::string_view text);

// Terminal payment states: the attempt will not change any more.
bool is_final(PaymentStatus status);

// OrderEntity (Create / Get / Terminate Order): 432 bytes on Cortex-M4.
struct OrderEntity {
  OrderId order_id;
  CfId cf_order_id;
  OrderStatus order_status = OrderStatus::kUnknown;
  EnumText order_status_text;     // as received
  SessionId payment_session_id;   // empty when the answer has none (null)
  std::int64_t order_amount_paise = 0;
  std::optional<Timestamp> order_expiry_time;  // absent or null: nullopt
};

// PayOrderEntity of a UPI link or qrcode Order Pay: 648 bytes. The
// QR image (qrcode channel) is not kept here: it is several KB, so the
// caller passes a buffer for it (see decode_upi_pay_order / PgClient).
struct UpiPayment {
  CfId cf_payment_id;
  PayAction action = PayAction::kUnknown;
  EnumText action_text;
  UpiChannel channel = UpiChannel::kUnknown;
  EnumText channel_text;
  std::int64_t payment_amount_paise = 0;  // 0 when the answer has none
  // link: data.payload.default, the intent to show as a QR or open in an
  // app (upi://pay?... in production, an HTTPS simulator link in sandbox).
  // Empty for qrcode.
  FixedString<kIntentCapacity> intent;
};

// One PaymentEntity: 456 bytes.
struct PaymentAttempt {
  CfId cf_payment_id;
  PaymentStatus payment_status = PaymentStatus::kUnknown;
  EnumText payment_status_text;
  FixedString<kBankReferenceCapacity> bank_reference;       // UTR; empty until known
  FixedString<kPaymentMessageCapacity> payment_message;     // empty when null
  FixedString<kErrorCodeCapacity> error_code;               // error_details.error_code
  FixedString<kErrorDescriptionCapacity> error_description; // error_details.error_description
  std::int64_t payment_amount_paise = 0;
};

// Get Payments for an Order, in the order the gateway lists them: 3,656
// bytes (8 attempts).
struct PaymentList {
  std::array<PaymentAttempt, kMaxPaymentAttempts> attempts{};
  std::size_t count = 0;

  // The first SUCCESS attempt, or nullptr. The order is paid if any is.
  const PaymentAttempt* success() const;
};

}  // namespace posagent::gateway
