// What happens to a sale, as the engine hears it. The runner builds these:
// from the cashier's input, from the gateway client's decoded responses,
// from its timers and from the journal at power-up. Plain data, fixed sizes.
//
// The monotonic time of every event is passed beside it (SaleEngine::handle),
// so no event carries it twice.
#pragma once

#include <array>
#include <cstdint>
#include <variant>

#include "core/engine/sale_record.hpp"

namespace posagent::engine {

// The cashier confirmed an amount. The runner makes the order id and one
// idempotency key per operation (UUID v4 text) before the sale starts, so
// each is journaled before the first request that uses it.
struct AmountEntered {
  std::int64_t amount_paise = 0;
  OrderId order_id;
  IdempotencyKey create_key;
  IdempotencyKey pay_key;
  IdempotencyKey terminate_key;
  std::int64_t wall_now_s = 0;  // sets the order's expiry
  std::uint32_t seed = 0;       // for polling jitter; any value
  // A card sale: the runner has read and checked the card (it never reaches
  // the engine; only its masked label does).
  RecordKind kind = RecordKind::kUpiQrSale;
  CardLabel card_label;
  bool authorize_only = false;  // card pre-authorisation
  GatewayApi gateway = GatewayApi::kCashfreePg;  // the API the sale is made on
};

// POST /orders answered 200.
struct OrderCreated {
  CfId cf_order_id;
  SessionId payment_session_id;
  std::int64_t order_expiry_s = 0;  // the gateway's order_expiry_time; 0 if absent
};

// POST /orders/sessions answered 200.
struct PaymentStarted {
  CfId cf_payment_id;
  // UPI: the upi://pay?... text the QR shows. Card with action link or
  // form: the 3-D Secure page the customer opens from the QR. Empty with
  // needs_otp.
  Intent intent;
  bool needs_otp = false;  // card, action post: native OTP on the terminal
};

// One payment attempt from GET /orders/{id}/payments.
struct PaymentAttempt {
  PaymentStatus status = PaymentStatus::kUnknown;
  CfId cf_payment_id;  // empty if the runner could not read it
  Utr bank_reference;
  Reason failure_reason;  // error_details.error_description or payment_message
  bool authorized_only = false;  // SUCCESS, authorised and not captured (pre-auth)
};

inline constexpr std::size_t kMaxAttempts = 4;

// GET /orders/{id} and GET /orders/{id}/payments, read together. If the
// order has more than kMaxAttempts attempts the runner must keep every
// SUCCESS and PENDING one (the engine decides from those).
struct StatusRead {
  OrderStatus order_status = OrderStatus::kUnknown;
  std::array<PaymentAttempt, kMaxAttempts> attempts{};
  std::uint8_t attempt_count = 0;
};

// PATCH /orders/{id} {"order_status":"TERMINATED"} answered 200.
struct Terminated {
  OrderStatus order_status = OrderStatus::kUnknown;
};

enum class RequestKind : std::uint8_t {
  kNone = 0,
  kCreateOrder,
  kOrderPay,
  kGetStatus,  // order + its payments
  kTerminate,
  kSubmitOtp,  // POST /orders/pay/authenticate/{cf_payment_id} SUBMIT_OTP
  kResendOtp,  // ... RESEND_OTP
  kReadCard,   // not a gateway request: the runner reads and checks a card again
};

// How a request failed, as the runner classifies it.
enum class FailureClass : std::uint8_t {
  // It certainly did not take effect (refused before the gateway acted:
  // connect failed, 503 from a proxy). Retry with the same key.
  kRetrySameKey,
  // 429: the gateway refused it; wait retry_after_s, then the same key.
  kRetryAfter,
  // A final answer that retrying will not change (4xx). code says which.
  kStop,
  // It may have taken effect (timeout or reset after sending). Never a
  // failure: retry with the same key; idempotency returns the first result.
  kOutcomeUnknown,
};

struct RequestFailed {
  RequestKind request = RequestKind::kNone;
  FailureClass failure = FailureClass::kRetrySameKey;
  std::uint32_t retry_after_s = 0;  // kRetryAfter
  Reason reason;                    // kStop: short text for the screen and the record
  GatewayCode code;                 // kStop: the gateway's error code, e.g. "order_inactive"
  bool card_reentry = false;        // card order pay: presenting the card again may succeed
};

enum class TimerId : std::uint8_t {
  kRequest = 0,   // (re)send the state's request: a poll or a retry
  kExpiry = 1,    // the order's expiry: the QR must go
  kDeadline = 2,  // expiry + grace: give up as UNKNOWN
};
inline constexpr std::uint8_t kTimerCount = 3;

struct TimerFired {
  TimerId timer = TimerId::kRequest;
};

struct CancelPressed {};

// The first event after boot. record is the journal's record if it decoded
// (nullptr if there was none or it did not decode); it is read during the
// call only.
// gateway: the API the runner talks to now; a sale made on another one is
// kept, not resumed.
struct PowerUp {
  const SaleRecord* record = nullptr;
  std::int64_t wall_now_s = 0;
  std::uint32_t seed = 0;
  GatewayApi gateway = GatewayApi::kCashfreePg;
};

// The `recover` command: resume a sale parked as UNKNOWN.
struct RecoverRequested {
  std::int64_t wall_now_s = 0;
  std::uint32_t seed = 0;
  GatewayApi gateway = GatewayApi::kCashfreePg;
};

// The card was read and checked again (after a card order pay that can be
// retried): a fresh key, since the earlier one did not take effect and the
// same key with another card's body would be refused.
struct CardPresented {
  IdempotencyKey pay_key;
  CardLabel card_label;
};
// No card came (cancelled, timed out, or it did not pass the checks).
struct CardAbsent {
  Reason reason;
};

// The cashier entered the customer's OTP (the runner holds it) and pressed
// Enter; or pressed Enter with no digits: send the OTP again.
struct OtpEntered {};
struct OtpResendPressed {};

// The gateway's answer to SUBMIT_OTP or RESEND_OTP.
struct OtpAnswered {
  RequestKind request = RequestKind::kSubmitOtp;
  bool accepted = false;  // authenticate_status SUCCESS
  Reason message;         // payment_message, e.g. "otp is invalid"
};

// Alternatives in EventKind order.
using Event = std::variant<AmountEntered, OrderCreated, PaymentStarted, StatusRead, Terminated, RequestFailed,
                           TimerFired, CancelPressed, PowerUp, RecoverRequested, CardPresented, CardAbsent,
                           OtpEntered, OtpResendPressed, OtpAnswered>;

enum class EventKind : std::uint8_t {
  kAmountEntered,
  kOrderCreated,
  kPaymentStarted,
  kStatusRead,
  kTerminated,
  kRequestFailed,
  kTimerFired,
  kCancelPressed,
  kPowerUp,
  kRecoverRequested,
  kCardPresented,
  kCardAbsent,
  kOtpEntered,
  kOtpResendPressed,
  kOtpAnswered,
};

inline EventKind kind_of(const Event& event) { return static_cast<EventKind>(event.index()); }

static_assert(std::variant_size_v<Event> == static_cast<std::size_t>(EventKind::kOtpAnswered) + 1);
static_assert(std::is_same_v<std::variant_alternative_t<static_cast<std::size_t>(EventKind::kOtpAnswered), Event>,
                             OtpAnswered>);

}  // namespace posagent::engine
