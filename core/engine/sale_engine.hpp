// The sale transaction engine: a pure state machine. Given an event and the
// monotonic time, it changes its state and returns the effects its runner
// must carry out (journal writes, requests, screens, timers). It does no I/O,
// so every interleaving of cancel, payment, failure and power cut can be fed
// to it directly, on the host and on the devices alike.
//
// Guarantees (each tested in tests/engine):
// - A request that creates or changes something at the gateway (create,
//   pay, terminate) is always preceded, in the same step, by a journal
//   write of a record that holds its idempotency key. A power cut therefore
//   never leads to a second order or payment: the resumed engine re-sends
//   with the same key and the gateway returns the first result.
// - At most one request is outstanding at a time.
// - PAID only when the gateway says the order is PAID. FAILED only once the
//   order is terminated or expired and confirmed unpaid, or when no order
//   was ever created. A payment that lands during cancel or expiry is PAID.
// - No QR stays on screen once its order's expiry has passed.
//
// Times (documented choices; SaleTimes, defaults below):
// - The order, and with it the QR, lives order_lifetime_s from the amount
//   (sent as order_expiry_time). The gateway's own expiry, if earlier, wins.
//   The QR comes down a second before it: wall time has whole seconds.
// - The deadline for a final answer is expiry + grace_s; the grace covers
//   termination and an attempt still in flight at expiry. Past it the sale
//   is parked as UNKNOWN: the record is kept (state unchanged, outcome
//   UNKNOWN) and resumed by RecoverRequested or at the next power-up.
// - A resumed sale gets at least resume_window_s to reach the gateway.
// - Native OTP: the cashier has otp_timeout_s from the prompt to enter the
//   customer's OTP (each wrong OTP or resend restarts it); then the order is
//   ended. Cashfree's OTP session lasts about 5 minutes.
//
// Cards (RecordKind::kCardSale). The card itself never reaches the engine
// or the journal: the runner reads and checks it before the sale starts and
// wipes it once the Order Pay that carries it is on the wire. So:
// - An Order Pay that can be retried (nothing reached the gateway, 5xx, 429)
//   or that the gateway refused for the card's details asks for the card
//   again (kReadCard) and goes out under a fresh key, at most kMaxCardPays
//   Order Pays in all; a refusal for any other reason ends the order. One whose outcome is unknown ends the order
//   too (the customer has neither an OTP prompt nor a 3-D Secure page, so
//   nothing can complete it), and PAID still wins if it somehow did.
// - Action post: the OTP prompt. At most kMaxOtpAttempts OTPs and
//   kMaxOtpResends resends; after the last wrong OTP the payment is read
//   (the gateway fails it). Action link or form: the 3-D Secure page is shown
//   as a QR, and the sale polls as for UPI.
// - A power cut while the card or the OTP prompt was needed ends the order
//   (the card and the OTP session are gone); the status read still reports
//   a payment that completed.
//
// Records: a finished record (state kDone) stays in the journal and in
// record() for the status command until the next sale replaces it. A new
// sale is refused while the last one is parked as UNKNOWN: the journal holds
// one sale, and that one may still be paid.
#pragma once

#include <cstdint>

#include "core/engine/effects.hpp"
#include "core/engine/events.hpp"
#include "core/engine/sale_record.hpp"
#include "core/engine/schedule.hpp"

namespace posagent::engine {

// A deployment may shorten the QR's life (a busy counter) or lengthen it;
// tests shorten everything to keep end-to-end runs brief. Values outside
// the bounds are clamped by the engine.
struct SaleTimes {
  static constexpr std::int64_t kMinS = 5;
  static constexpr std::int64_t kMaxS = 86'400;
  std::int64_t order_lifetime_s = 300;
  std::int64_t grace_s = 300;
  std::int64_t resume_window_s = 120;
  std::int64_t otp_timeout_s = 180;

  SaleTimes clamped() const;
};

class SaleEngine {
 public:
  static constexpr std::int64_t kOrderLifetimeS = SaleTimes{}.order_lifetime_s;
  static constexpr std::int64_t kGraceS = SaleTimes{}.grace_s;
  static constexpr std::int64_t kResumeWindowS = SaleTimes{}.resume_window_s;
  static constexpr std::uint8_t kMaxOtpAttempts = 3;  // Cashfree fails the payment on the third wrong OTP
  static constexpr std::uint8_t kMaxOtpResends = 2;
  // Card Order Pays per sale (the first and the card presented again after
  // a refusal or a bank or gateway failure); then the order is ended, so a
  // card the bank keeps refusing is not sent again and again.
  static constexpr std::uint8_t kMaxCardPays = 3;

  explicit SaleEngine(const SaleTimes& times = {}) : times_(times.clamped()) {}

  // One step. now_ms is the monotonic clock (the timers' clock).
  Effects handle(std::int64_t now_ms, const Event& event);

  State state() const { return state_; }
  const SaleTimes& times() const { return times_; }
  const SaleRecord& record() const { return record_; }
  RequestKind in_flight() const { return in_flight_; }
  bool timer_armed(TimerId id) const { return (armed_ & bit(id)) != 0; }

 private:
  friend struct Transitions;  // the table and its guards and actions (.cpp)

  static constexpr std::uint8_t bit(TimerId id) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(id)); }

  SaleTimes times_;
  SaleRecord record_;
  std::int64_t now_ms_ = 0;          // the current step's time
  std::int64_t expiry_ms_ = 0;       // record_.expiry_at_s on the monotonic clock
  std::int64_t deadline_ms_ = 0;     // when to park as UNKNOWN
  std::int64_t phase_start_ms_ = 0;  // start of the current polling phase
  Jitter jitter_;
  State state_ = State::kIdle;
  RequestKind in_flight_ = RequestKind::kNone;
  std::uint8_t armed_ = 0;     // bit per TimerId
  std::uint8_t failures_ = 0;  // consecutive failed requests, for back-off
  bool maybe_created_ = false; // a create may have taken effect
  bool qr_shown_ = false;
  std::uint8_t otp_attempts_ = 0;  // OTPs submitted for the current payment
  std::uint8_t otp_resends_ = 0;
  std::uint8_t card_pays_ = 0;  // card Order Pays sent in this sale
};

}  // namespace posagent::engine
