// What the PG client reads out of Cashfree's answers: the few fields of an
// order, a UPI or card Order Pay, a Native OTP answer and the payment
// attempts that a sale needs, in fixed memory. Amounts are integer paise, read exactly from the number's
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
// Card Order Pay's data.url (a 3-D Secure page, a bank's ACS form, or the
// authenticate URL) and data.redirect_to_bank: the sandbox's are ~100..170
// bytes; 512 as for intents.
inline constexpr std::size_t kCardUrlCapacity = 512;
// data.content_type: "application/x-www-form-urlencoded" is 33.
inline constexpr std::size_t kContentTypeCapacity = 48;
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

// Order Pay's `action`: UPI link/qrcode/collect answer kCustom; cards kPost
// (Native OTP) or kLink (the 3-D Secure page).
enum class PayAction : std::uint8_t { kCustom, kLink, kForm, kPost, kCollect, kUnknown };

// Card Order Pay channels: kPost asks for Native OTP (the terminal collects
// the OTP and submits it), kLink for the bank's 3-D Secure page.
enum class CardChannel : std::uint8_t { kPost, kLink };

// Native OTP actions (POST /orders/pay/authenticate/{cf_payment_id}).
enum class OtpAction : std::uint8_t { kSubmit, kResend };
enum class AuthenticateStatus : std::uint8_t { kSuccess, kFailed, kUnknown };

// Pre-authorisation: what POST /orders/{order_id}/authorization asks, and
// what a PaymentEntity's `authorization` block says was done.
enum class AuthorizeAction : std::uint8_t { kCapture, kVoid };
enum class AuthorizationAction : std::uint8_t { kNone, kCapture, kVoid, kUnknown };  // kNone: null
enum class AuthorizationStatus : std::uint8_t { kPending, kSuccess, kUnknown };

// The API's spelling ("ACTIVE", "SUCCESS", "qrcode", "custom"); "UNKNOWN" /
// "unknown" for kUnknown.
std::string_view to_string(OrderStatus status);
std::string_view to_string(PaymentStatus status);
std::string_view to_string(UpiChannel channel);
std::string_view to_string(PayAction action);
std::string_view to_string(CardChannel channel);          // "post", "link"
std::string_view to_string(OtpAction action);            // "SUBMIT_OTP", "RESEND_OTP"
std::string_view to_string(AuthenticateStatus status);   // "SUCCESS", "FAILED", "UNKNOWN"
std::string_view to_string(AuthorizeAction action);      // "CAPTURE", "VOID"
std::string_view to_string(AuthorizationAction action);  // "none", "CAPTURE", "VOID", "UNKNOWN"
std::string_view to_string(AuthorizationStatus status);  // "PENDING", "SUCCESS", "UNKNOWN"

// Exact, case-sensitive matches; anything else is kUnknown.
OrderStatus parse_order_status(std::string_view text);
PaymentStatus parse_payment_status(std::string_view text);
UpiChannel parse_upi_channel(std::string_view text);
PayAction parse_pay_action(std::string_view text);
AuthenticateStatus parse_authenticate_status(std::string_view text);
AuthorizationAction parse_authorization_action(std::string_view text);  // never kNone
AuthorizationStatus parse_authorization_status(std::string_view text);

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

// PayOrderEntity of a card Order Pay: 1,264 bytes on Cortex-M4 (1,320 on
// x86_64).
//   action kPost  Native OTP: collect the OTP and submit it with
//                 PgClient::authenticate_payment; url is the authenticate
//                 URL, redirect_to_bank the bank's page (the fallback).
//   action kLink  no Native OTP (channel link, or a bank without it): the
//                 customer completes 3-D Secure at url (= redirect_to_bank
//                 when Native OTP was asked for); then poll the payment.
struct CardPayment {
  CfId cf_payment_id;
  PayAction action = PayAction::kUnknown;
  EnumText action_text;
  EnumText channel_text;                  // "post" / "link", as received; empty when absent
  std::int64_t payment_amount_paise = 0;  // 0 when the answer has none
  FixedString<kCardUrlCapacity> url;              // data.url; empty when null
  FixedString<kCardUrlCapacity> redirect_to_bank; // data.redirect_to_bank; empty when absent
  EnumText method;                                // data.method ("post"); empty when null
  FixedString<kContentTypeCapacity> content_type; // data.content_type; empty when null
};

// OrderAuthenticateEntity, the answer to SUBMIT_OTP / RESEND_OTP: 212
// bytes. SUCCESS means the OTP action worked, not that the payment did:
// read the payment.
struct OtpResult {
  CfId cf_payment_id;
  AuthenticateStatus authenticate_status = AuthenticateStatus::kUnknown;
  EnumText authenticate_status_text;
  FixedString<kPaymentMessageCapacity> payment_message;  // cut to fit; empty when null
};

// A PaymentEntity's pre-authorisation block. 8 bytes, packed beside
// payment_status where PaymentAttempt had padding. Paise fit int32: an
// amount is at most Money::kMaxPaise (10^8).
struct PaymentAuthorization {
  std::int32_t captured_amount_paise = 0;
  bool present = false;  // the answer carried an `authorization` object
  AuthorizationAction action = AuthorizationAction::kNone;
  AuthorizationStatus status = AuthorizationStatus::kUnknown;
};

// One PaymentEntity: 464 bytes on Cortex-M4 (456 before pre-authorisation;
// x86_64: 512, was 504).
struct PaymentAttempt {
  CfId cf_payment_id;
  PaymentStatus payment_status = PaymentStatus::kUnknown;
  std::optional<bool> is_captured;     // absent or null: nullopt
  PaymentAuthorization authorization;  // present only on pre-authorised payments
  EnumText payment_status_text;
  FixedString<kBankReferenceCapacity> bank_reference;       // UTR; empty until known
  FixedString<kPaymentMessageCapacity> payment_message;     // empty when null
  FixedString<kErrorCodeCapacity> error_code;               // error_details.error_code
  FixedString<kErrorDescriptionCapacity> error_description; // error_details.error_description
  std::int64_t payment_amount_paise = 0;
};

// Get Payments for an Order, in the order the gateway lists them: 3,720
// bytes on Cortex-M4 (8 attempts).
struct PaymentList {
  std::array<PaymentAttempt, kMaxPaymentAttempts> attempts{};
  std::size_t count = 0;

  // The first SUCCESS attempt, or nullptr. The order is paid if any is.
  const PaymentAttempt* success() const;
};

}  // namespace posagent::gateway
