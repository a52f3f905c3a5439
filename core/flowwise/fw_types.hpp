// What the Flowwise client reads out of the router's answers, in fixed
// memory: an order, a payment, and an order's payments. Amounts are integer
// paise read exactly from the number's text. Ids, URLs and the payload are
// refused (kCapacityExceeded) when longer than their capacity, never cut.
//
// Status enums are the Flowwise SPI's (cashfree-api.md §14), the values pgsim
// emits among them; a value this build does not know is kUnknown with its
// text kept, so a new router state is logged and polled again rather than
// read as a failure.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/timestamp.hpp"
#include "core/gateway/pg_types.hpp"

namespace posagent::flowwise {

using gateway::EnumText;
using gateway::OrderId;

// pgsim's hashes are 32 hex digits; the docs give no length.
inline constexpr std::size_t kOrderHashCapacity = 64;
// pgsim's ids are "pay_" and 24 characters; the docs give no length.
inline constexpr std::size_t kPaymentIdCapacity = 64;
// redirect_url: a 3-D Secure (ACS) page or the router's own page. Banks'
// ACS addresses with their query run to a few hundred bytes.
inline constexpr std::size_t kRedirectUrlCapacity = 512;
// payload: the upi://pay intent (150..250 bytes with a long payee name and
// note), or an opaque string a processor hands back.
inline constexpr std::size_t kPayloadCapacity = 512;
inline constexpr std::size_t kProcessorRefCapacity = 64;
inline constexpr std::size_t kUtrCapacity = gateway::kBankReferenceCapacity;
inline constexpr std::size_t kAuthIdCapacity = 40;
// Attempts one Get Payments answer may list: more is refused, never cut (a
// dropped one could be the SUCCESS). A sale makes one to three.
inline constexpr std::size_t kMaxPayments = 8;

using OrderHash = FixedString<kOrderHashCapacity>;
using PaymentId = FixedString<kPaymentIdCapacity>;

enum class FwOrderStatus : std::uint8_t { kActive, kPaid, kExpired, kUnknown };

enum class FwPaymentStatus : std::uint8_t {
  kInitiated,    // UPI intent: waiting for the customer's app
  kRedirected,   // card: at 3-D Secure
  kPending,      // UPI collect, or with the bank
  kSuccess,
  kFailed,
  kUserDropped,
  kReversed,
  kInitFailed,
  kUnknown,
};

// Null (kNone) until the payment succeeds; then AUTHORISED (manual capture)
// or CAPTURED, and AUTHORISED -> CAPTURED | VOIDED by authorize.
enum class FwCaptureStatus : std::uint8_t {
  kNone,
  kAuthorised,
  kCreated,
  kCaptureRequested,
  kCaptured,
  kVoidRequested,
  kVoided,
  kCaptureFailed,
  kVoidFailed,
  kUnknown,
};

enum class FwPaymentMethod : std::uint8_t { kUpi, kCard, kNetbanking, kWallet, kUnknown };

// The API's spelling ("ACTIVE", "REDIRECTED", "AUTHORISED", "upi"); "" for
// FwCaptureStatus::kNone; "UNKNOWN" / "unknown" for kUnknown.
std::string_view to_string(FwOrderStatus status);
std::string_view to_string(FwPaymentStatus status);
std::string_view to_string(FwCaptureStatus status);
std::string_view to_string(FwPaymentMethod method);

// Exact, case-sensitive matches; anything else is kUnknown. Empty text is
// FwCaptureStatus::kNone (absent or null).
FwOrderStatus parse_order_status(std::string_view text);
FwPaymentStatus parse_payment_status(std::string_view text);
FwCaptureStatus parse_capture_status(std::string_view text);
FwPaymentMethod parse_payment_method(std::string_view text);

// INITIATED, REDIRECTED, PENDING: the customer or the bank may still act.
bool is_open(FwPaymentStatus status);
// SUCCESS, FAILED, USER_DROPPED, REVERSED, INIT_FAILED: the attempt will not
// change any more (its capture status still may).
bool is_final(FwPaymentStatus status);

// Create Order / Get Order.
struct FwOrder {
  OrderId order_id;
  OrderHash order_hash;  // Create Payment's capability: keep it with the order
  FwOrderStatus order_status = FwOrderStatus::kUnknown;
  EnumText order_status_text;  // as received
  std::int64_t order_amount_paise = 0;
  std::optional<Timestamp> order_expiry_time;  // absent or null: nullopt
};

// PaymentDetails: what every payment answer carries (Get Payment, each
// element of Get Payments, Authorize, and Create Payment less the
// gateway_details).
struct FwPaymentDetails {
  PaymentId payment_id;
  OrderId order_id;
  FwPaymentMethod payment_method = FwPaymentMethod::kUnknown;
  EnumText payment_method_text;
  FwPaymentStatus payment_status = FwPaymentStatus::kUnknown;
  EnumText payment_status_text;
  FwCaptureStatus capture_status = FwCaptureStatus::kNone;
  EnumText capture_status_text;  // empty when null
  std::int64_t payment_amount_paise = 0;
  std::int64_t capture_amount_paise = 0;  // 0 until captured
  FixedString<kProcessorRefCapacity> processor_ref;  // as given; empty when null
  FixedString<kUtrCapacity> utr;                     // as given; empty until paid
  FixedString<kAuthIdCapacity> auth_id;              // cards, once authorised
  // Shown to people only: cut to fit, never refused.
  FixedString<gateway::kPaymentMessageCapacity> payment_message;
  FixedString<gateway::kErrorCodeCapacity> error_code;  // error_details.error_code
  FixedString<gateway::kErrorDescriptionCapacity> error_description;
};

// A single payment: PaymentDetails plus where the customer goes next.
struct FwPayment : FwPaymentDetails {
  // Card: the 3-D Secure page while REDIRECTED. UPI intent: the router's
  // pay page in sandboxes (empty in production).
  FixedString<kRedirectUrlCapacity> redirect_url;
  // UPI intent: the upi://pay string to draw as a QR. Empty otherwise.
  FixedString<kPayloadCapacity> payload;
};

// Get all payments for an order, in the order the router lists them.
struct FwPaymentList {
  std::array<FwPaymentDetails, kMaxPayments> payments{};
  std::size_t count = 0;

  // The first SUCCESS payment, or nullptr. The order is paid if any is.
  const FwPaymentDetails* success() const;
  // The payment with this id, or nullptr.
  const FwPaymentDetails* find(std::string_view payment_id) const;
};

}  // namespace posagent::flowwise
