// The sale's journal record and the vocabulary the engine shares with its
// runner: states, outcomes, the gateway's order and payment statuses.
//
// One SaleRecord describes one transaction from the amount to the outcome. It
// is all the engine needs to resume after a power cut: the idempotency keys
// of every operation are in it before the first request that uses them, and
// the gateway's ids and the QR's intent are added as they are learned.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/base/fixed_string.hpp"

namespace posagent::engine {

// Capacities. Cashfree's limits where it documents them; otherwise a margin
// over what the sandbox and pgsim send (noted per field).
inline constexpr std::size_t kKeyLength = 36;            // UUID v4 text
inline constexpr std::size_t kOrderIdCapacity = 45;      // Cashfree: 3..45 characters
inline constexpr std::size_t kCfIdCapacity = 32;         // numeric strings, ~10-19 digits today
inline constexpr std::size_t kSessionIdCapacity = 192;   // "session_" + ~110-140 characters seen
inline constexpr std::size_t kIntentCapacity = 512;      // a upi://pay intent is 150-250 bytes
inline constexpr std::size_t kUtrCapacity = 32;          // the UPI RRN/UTR is 12 digits
inline constexpr std::size_t kReasonCapacity = 48;       // short; screens show 20 characters
inline constexpr std::size_t kGatewayCodeCapacity = 40;  // e.g. "order_already_exists"
inline constexpr std::size_t kCardLabelCapacity = 20;    // "VISA XXXX1111": masked, never the number

using IdempotencyKey = FixedString<kKeyLength>;
using OrderId = FixedString<kOrderIdCapacity>;
using CfId = FixedString<kCfIdCapacity>;
using SessionId = FixedString<kSessionIdCapacity>;
using Intent = FixedString<kIntentCapacity>;
using Utr = FixedString<kUtrCapacity>;
using Reason = FixedString<kReasonCapacity>;
using GatewayCode = FixedString<kGatewayCodeCapacity>;
using CardLabel = FixedString<kCardLabelCapacity>;

// The engine's states. Numbers are part of the journal format: append only.
enum class State : std::uint8_t {
  kIdle = 0,             // no sale yet since power-up
  kCreatingOrder = 1,    // create order sent or waiting to be re-sent
  kStartingPayment = 2,  // order pay sent or waiting to be re-sent
  kAwaitingPayment = 3,  // QR on screen, reading status
  kTerminating = 4,      // the order must end: terminate sent or to be sent
  kConfirmingFinal = 5,  // reading status until the gateway's answer is final
  kDone = 6,             // outcome known (or parked as UNKNOWN)
  kAwaitingOtp = 7,      // card, native OTP: the cashier keys in the customer's OTP
};
inline constexpr std::uint8_t kStateCount = 8;

// Numbers are part of the journal format: append only.
enum class Outcome : std::uint8_t {
  kNone = 0,  // not decided yet
  kPaid = 1,
  kFailed = 2,
  kExpired = 3,
  kCancelled = 4,
  kUnknown = 5,  // the gateway could not be reached before the deadline
  kAuthorized = 6,  // card pre-authorisation: the order is PAID, the payment authorised, not captured
};
inline constexpr std::uint8_t kOutcomeCount = 7;

// Cashfree's order_status (cashfree-api.md §1.4); kUnknown for anything else.
enum class OrderStatus : std::uint8_t {
  kUnknown = 0,
  kActive = 1,
  kPaid = 2,
  kExpired = 3,
  kTerminated = 4,
  kTerminationRequested = 5,
};
inline constexpr std::uint8_t kOrderStatusCount = 6;

// Cashfree's payment_status (cashfree-api.md §5.2); kUnknown for anything else.
enum class PaymentStatus : std::uint8_t {
  kUnknown = 0,
  kSuccess = 1,
  kNotAttempted = 2,
  kFailed = 3,
  kUserDropped = 4,
  kVoid = 5,
  kCancelled = 6,
  kPending = 7,
};
inline constexpr std::uint8_t kPaymentStatusCount = 8;

// Why the engine decided to end the order: picks the outcome once the
// gateway confirms the order ended unpaid. The first cause wins.
enum class EndCause : std::uint8_t {
  kNone = 0,           // nothing asked (e.g. terminated at the gateway by someone else)
  kCancel = 1,         // the cashier pressed cancel
  kExpiry = 2,         // the order's time ran out
  kAttemptFailed = 3,  // the customer's attempt failed or was dropped
  kPayRefused = 4,     // order pay was refused for good (e.g. method not enabled)
  kCreateConflict = 5, // create said order_already_exists for our own order
  kCardNotPresented = 6, // a card payment needed the card again and none came
  kOtpTimedOut = 7,    // the OTP was not entered in time
  kInterrupted = 8,    // a power cut lost the card or the OTP prompt mid-payment
};
inline constexpr std::uint8_t kEndCauseCount = 9;

enum class RecordKind : std::uint8_t {
  kNone = 0,       // an empty record: no sale
  kUpiQrSale = 1,  // a UPI QR/intent sale (order + order pay + status)
  kCardSale = 2,   // a card sale: order + card order pay (native OTP or a 3-D Secure QR) + status
};
inline constexpr std::uint8_t kRecordKindCount = 3;

// The gateway API a sale was made on. The engine does not drive them
// differently; it keeps the API with the sale so that a sale is resumed only
// through the API that has its order (the terminal's setting may change
// between a power cut and the next boot). Journaled as a flag bit.
enum class GatewayApi : std::uint8_t {
  kCashfreePg = 0,
  kFlowwise = 1,
};
inline constexpr std::uint8_t kGatewayApiCount = 2;

struct SaleRecord {
  RecordKind kind = RecordKind::kNone;
  // The state to resume in. kDone marks a finished record. A parked record
  // (outcome kUnknown) keeps the state it was in, so it can be resumed.
  State state = State::kIdle;
  Outcome outcome = Outcome::kNone;
  EndCause end_cause = EndCause::kNone;
  bool cancel_requested = false;
  bool authorize_only = false;  // card pre-authorisation: captured or voided later
  GatewayApi gateway = GatewayApi::kCashfreePg;
  OrderStatus last_order_status = OrderStatus::kUnknown;
  PaymentStatus last_payment_status = PaymentStatus::kUnknown;
  // +1 on every write: the newest of two copies wins in a two-slot store.
  std::uint32_t sequence = 0;
  std::int64_t amount_paise = 0;
  std::int64_t started_at_s = 0;  // wall clock, Unix seconds
  std::int64_t expiry_at_s = 0;   // the order's expiry (= the QR's), wall clock
  OrderId order_id;
  IdempotencyKey create_key;
  IdempotencyKey pay_key;
  IdempotencyKey terminate_key;
  CfId cf_order_id;
  SessionId payment_session_id;
  CfId cf_payment_id;
  // What the QR encodes, kept so a power-up can redraw it: the UPI intent,
  // or the 3-D Secure page of a card payment. Empty for a native OTP payment.
  Intent intent;
  Utr utr;        // bank_reference of the successful attempt
  Reason reason;  // why it failed (or ended), for the result screen
  CardLabel card_label;  // card sales: network and last four, for screens and receipts

  bool empty() const { return kind == RecordKind::kNone; }
  bool is_card() const { return kind == RecordKind::kCardSale; }
  bool finished() const { return !empty() && state == State::kDone; }
  // Something at the gateway may still need driving: resume it on power-up.
  bool unfinished() const { return !empty() && state != State::kDone && state != State::kIdle; }
  // Given up as UNKNOWN, kept to be resumed.
  bool parked() const { return unfinished() && outcome == Outcome::kUnknown; }
};

bool operator==(const SaleRecord& a, const SaleRecord& b);

// Letters, digits, '_' and '-': what Cashfree accepts in an order id.
constexpr bool is_order_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

std::string_view state_name(State state);
std::string_view outcome_name(Outcome outcome);
std::string_view order_status_name(OrderStatus status);
std::string_view payment_status_name(PaymentStatus status);
std::string_view end_cause_name(EndCause cause);
std::string_view gateway_api_name(GatewayApi api);  // "Cashfree PG", "Flowwise"

}  // namespace posagent::engine
