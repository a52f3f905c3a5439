#include "core/engine/sale_engine.hpp"

#include <variant>

#include "core/base/money.hpp"

namespace posagent::engine {

namespace {

constexpr std::int64_t kMsPerS = 1000;
// Wall times outside this range are a broken clock, not a sale time.
constexpr std::int64_t kMaxWallS = std::int64_t{1} << 40;
// A journaled expiry further away than this is clamped (a corrupt-but-valid
// record must not arm a timer years ahead).
constexpr std::int64_t kMaxAheadS = 86'400;
// Wall time comes in whole seconds, so "now" may be up to a second later
// than the runner says: the QR comes down that much early, never late.
constexpr std::int64_t kQrMarginMs = 1'000;

// Seconds from `now` until `at`, 0 if it has passed, at most kMaxAheadS.
// Unsigned subtraction: exact for any two int64 values with at > now.
std::int64_t seconds_until(std::int64_t at, std::int64_t now) {
  if (at <= now) return 0;
  const std::uint64_t d = static_cast<std::uint64_t>(at) - static_cast<std::uint64_t>(now);
  return d > static_cast<std::uint64_t>(kMaxAheadS) ? kMaxAheadS : static_cast<std::int64_t>(d);
}

template <typename T>
const T& as(const Event& e) {
  return *std::get_if<T>(&e);
}

RequestKind answers(const Event& e) {
  switch (kind_of(e)) {
    case EventKind::kOrderCreated: return RequestKind::kCreateOrder;
    case EventKind::kPaymentStarted: return RequestKind::kOrderPay;
    case EventKind::kStatusRead: return RequestKind::kGetStatus;
    case EventKind::kTerminated: return RequestKind::kTerminate;
    case EventKind::kRequestFailed: return as<RequestFailed>(e).request;
    case EventKind::kOtpAnswered: return as<OtpAnswered>(e).request;
    case EventKind::kCardPresented:
    case EventKind::kCardAbsent: return RequestKind::kReadCard;
    default: return RequestKind::kNone;
  }
}

}  // namespace

// One step in progress: the event, the state it arrived in, the effects.
struct Step {
  const Event& event;
  State from;
  Effects& out;
};

struct Transitions {
  using Guard = bool (*)(const SaleEngine&, const Event&);
  using Action = void (*)(SaleEngine&, Step&);
  struct Row {
    State state;
    EventKind event;
    Guard guard;  // nullptr: always
    Action action;
    State next;
  };
  static const Row kRows[];

  // ---- effects -------------------------------------------------------------

  static void push(Step& st, EffectKind kind) {
    Effect e;
    e.kind = kind;
    st.out.push(e);
  }
  static void arm(SaleEngine& m, Step& st, TimerId id, std::int64_t at_ms) {
    Effect e;
    e.kind = EffectKind::kArmTimer;
    e.timer = id;
    e.at_ms = at_ms;
    st.out.push(e);
    m.armed_ = static_cast<std::uint8_t>(m.armed_ | SaleEngine::bit(id));
  }
  static void disarm(SaleEngine& m, Step& st, TimerId id) {
    if (!m.timer_armed(id)) return;
    Effect e;
    e.kind = EffectKind::kCancelTimer;
    e.timer = id;
    st.out.push(e);
    m.armed_ = static_cast<std::uint8_t>(m.armed_ & ~SaleEngine::bit(id));
  }
  static void disarm_all(SaleEngine& m, Step& st) {
    disarm(m, st, TimerId::kRequest);
    disarm(m, st, TimerId::kExpiry);
    disarm(m, st, TimerId::kDeadline);
  }
  static void screen(Step& st, ScreenKind kind, std::string_view text) {
    Effect e;
    e.kind = EffectKind::kShowScreen;
    e.screen.kind = kind;
    e.screen.text = text;
    st.out.push(e);
  }
  static void show_qr(SaleEngine& m, Step& st) {
    Effect e;
    e.kind = EffectKind::kShowScreen;
    e.screen.kind = ScreenKind::kQr;
    e.screen.text = m.record_.intent.view();
    e.screen.amount_paise = m.record_.amount_paise;
    const std::int64_t left_ms = m.expiry_ms_ - m.now_ms_;
    e.screen.seconds_left = left_ms > 0 ? static_cast<std::uint32_t>(left_ms / kMsPerS) : 0;
    st.out.push(e);
    m.qr_shown_ = true;
  }
  static void clear_qr(SaleEngine& m, Step& st) {
    if (!m.qr_shown_) return;
    push(st, EffectKind::kClearQr);
    m.qr_shown_ = false;
  }
  // The record as it stands after this step goes to the journal.
  static void write_journal(SaleEngine& m, Step& st) {
    ++m.record_.sequence;
    Effect e;
    e.kind = EffectKind::kWriteJournal;
    e.record = &m.record_;
    st.out.push(e);
  }
  static void journal_state(SaleEngine& m, Step& st) {
    m.record_.state = m.state_;
    write_journal(m, st);
  }
  static void send(SaleEngine& m, Step& st, RequestKind kind) {
    Effect e;
    e.record = &m.record_;
    switch (kind) {
      case RequestKind::kCreateOrder: e.kind = EffectKind::kSendCreateOrder; break;
      case RequestKind::kOrderPay: e.kind = EffectKind::kSendOrderPay; break;
      case RequestKind::kGetStatus: e.kind = EffectKind::kSendGetOrderAndPayments; break;
      case RequestKind::kTerminate: e.kind = EffectKind::kSendTerminate; break;
      case RequestKind::kSubmitOtp: e.kind = EffectKind::kSendSubmitOtp; break;
      case RequestKind::kResendOtp: e.kind = EffectKind::kSendResendOtp; break;
      case RequestKind::kReadCard: e.kind = EffectKind::kReadCard; break;
      case RequestKind::kNone: return;
    }
    st.out.push(e);
    m.in_flight_ = kind;
    if (kind == RequestKind::kOrderPay && m.record_.is_card() && m.card_pays_ < 255) ++m.card_pays_;
  }
  // Create, pay and terminate change the gateway: the record holding their
  // key is made durable first, in the same step.
  static void send_journaled(SaleEngine& m, Step& st, RequestKind kind) {
    journal_state(m, st);
    send(m, st, kind);
  }
  // The request a state repeats when its timer fires.
  static void send_current(SaleEngine& m, Step& st) {
    switch (m.state_) {
      case State::kCreatingOrder: send_journaled(m, st, RequestKind::kCreateOrder); break;
      case State::kStartingPayment: send_journaled(m, st, RequestKind::kOrderPay); break;
      case State::kTerminating: send_journaled(m, st, RequestKind::kTerminate); break;
      case State::kAwaitingPayment:
      case State::kConfirmingFinal: send(m, st, RequestKind::kGetStatus); break;
      default: break;
    }
  }

  // ---- time ----------------------------------------------------------------

  // Polls and retries never go past the point where another timer takes
  // over: the expiry while the QR is up, the deadline otherwise.
  static std::int64_t request_limit(const SaleEngine& m) {
    return m.state_ == State::kAwaitingPayment ? m.expiry_ms_ : m.deadline_ms_;
  }
  static void arm_request(SaleEngine& m, Step& st, std::int64_t delay_ms) {
    const std::int64_t at = m.now_ms_ + delay_ms;
    if (at < request_limit(m)) arm(m, st, TimerId::kRequest, at);
  }
  static void schedule_poll(SaleEngine& m, Step& st) {
    arm_request(m, st, m.jitter_.apply(poll_interval_ms(m.now_ms_ - m.phase_start_ms_)));
  }
  static void retry_later(SaleEngine& m, Step& st) {
    const RequestFailed& f = as<RequestFailed>(st.event);
    std::int64_t delay;
    switch (f.failure) {
      case FailureClass::kRetryAfter: {
        std::uint32_t s = f.retry_after_s;
        s = s < kMinRetryAfterS ? kMinRetryAfterS : s > kMaxRetryAfterS ? kMaxRetryAfterS : s;
        delay = std::int64_t{s} * kMsPerS;  // honoured as sent, not jittered earlier
        break;
      }
      case FailureClass::kStop: delay = m.jitter_.apply(kStoppedReadRetryMs); break;
      default: delay = m.jitter_.apply(retry_backoff_ms(m.failures_)); break;
    }
    if (m.failures_ < 255) ++m.failures_;
    arm_request(m, st, delay);
  }

  // ---- guards --------------------------------------------------------------

  static bool valid_sale(const SaleEngine&, const Event& e) {
    const AmountEntered& a = as<AmountEntered>(e);
    if (a.kind != RecordKind::kUpiQrSale && a.kind != RecordKind::kCardSale) return false;
    if (!Money::from_paise(a.amount_paise).ok()) return false;
    if (a.order_id.size() < 3) return false;
    for (const char c : a.order_id.view())
      if (!is_order_id_char(c)) return false;
    if (a.create_key.size() != kKeyLength || a.pay_key.size() != kKeyLength || a.terminate_key.size() != kKeyLength)
      return false;
    if (a.create_key.view() == a.pay_key.view() || a.create_key.view() == a.terminate_key.view() ||
        a.pay_key.view() == a.terminate_key.view())
      return false;
    return a.wall_now_s > 0 && a.wall_now_s < kMaxWallS;
  }
  static bool parked(const SaleEngine& m, const Event&) { return m.record_.parked(); }
  static bool cancel_requested(const SaleEngine& m, const Event&) { return m.record_.cancel_requested; }
  static bool expired(const SaleEngine& m, const Event&) { return m.now_ms_ >= m.expiry_ms_; }
  // No create is outstanding and none ever may have taken effect.
  static bool nothing_created(const SaleEngine& m, const Event&) {
    return !m.maybe_created_ && m.in_flight_ == RequestKind::kNone;
  }

  static bool is_timer(const Event& e, TimerId id) { return as<TimerFired>(e).timer == id; }
  static bool request_timer(const SaleEngine&, const Event& e) { return is_timer(e, TimerId::kRequest); }
  static bool expiry_timer(const SaleEngine&, const Event& e) { return is_timer(e, TimerId::kExpiry); }
  static bool deadline_timer(const SaleEngine&, const Event& e) { return is_timer(e, TimerId::kDeadline); }
  static bool expiry_timer_nothing_created(const SaleEngine& m, const Event& e) {
    return expiry_timer(m, e) && nothing_created(m, e);
  }

  static const RequestFailed& failure(const Event& e) { return as<RequestFailed>(e); }
  static bool stopped(const SaleEngine&, const Event& e) { return failure(e).failure == FailureClass::kStop; }
  static bool stopped_with(const Event& e, std::string_view code) {
    return failure(e).failure == FailureClass::kStop && failure(e).code.view() == code;
  }
  // 409 for our own order id after a create that may have landed: the order
  // is ours, though idempotency did not replay it. Without an earlier
  // create it could be someone else's order, which we must not terminate.
  static bool stopped_conflict(const SaleEngine& m, const Event& e) {
    return stopped_with(e, "order_already_exists") && m.maybe_created_;
  }
  // The order is no longer ACTIVE (paid, expired, terminated): read it.
  static bool stopped_inactive(const SaleEngine&, const Event& e) {
    return stopped_with(e, "order_inactive") || stopped_with(e, "orderpay_not_found");
  }
  // A create that certainly did not land, when the sale is over anyway.
  static bool create_gave_nothing_and_over(const SaleEngine& m, const Event& e) {
    const FailureClass c = failure(e).failure;
    if (c == FailureClass::kStop || c == FailureClass::kOutcomeUnknown) return false;
    return !m.maybe_created_ && (m.record_.cancel_requested || m.now_ms_ >= m.expiry_ms_);
  }
  // ---- card guards ---------------------------------------------------------

  static bool needs_otp(const SaleEngine&, const Event& e) { return as<PaymentStarted>(e).needs_otp; }
  // A card Order Pay that did not take effect, or was refused for the card's
  // details: the card (wiped after the send) is needed again.
  static bool card_pay_again(const SaleEngine& m, const Event& e) {
    if (!m.record_.is_card() || m.card_pays_ >= SaleEngine::kMaxCardPays) return false;
    const RequestFailed& f = failure(e);
    if (f.failure == FailureClass::kStop) return f.card_reentry;
    return f.failure == FailureClass::kRetrySameKey || f.failure == FailureClass::kRetryAfter;
  }
  // No card Order Pay left: a refusal or failure that would have asked for
  // the card again ends the order with its reason.
  static bool card_pays_spent(const SaleEngine& m, const Event&) {
    return m.record_.is_card() && m.card_pays_ >= SaleEngine::kMaxCardPays;
  }
  static bool card_pay_unknown(const SaleEngine& m, const Event& e) {
    return m.record_.is_card() && failure(e).failure == FailureClass::kOutcomeUnknown;
  }
  // A fresh key: a reused one would replay the earlier answer.
  static bool new_card_key(const SaleEngine& m, const Event& e) {
    const IdempotencyKey& key = as<CardPresented>(e).pay_key;
    return key.size() == kKeyLength && key.view() != m.record_.pay_key.view() &&
           key.view() != m.record_.create_key.view() && key.view() != m.record_.terminate_key.view();
  }
  static bool nothing_in_flight(const SaleEngine& m, const Event&) { return m.in_flight_ == RequestKind::kNone; }
  static bool can_resend_otp(const SaleEngine& m, const Event& e) {
    return nothing_in_flight(m, e) && m.otp_resends_ < SaleEngine::kMaxOtpResends;
  }
  static const OtpAnswered& otp_answer(const Event& e) { return as<OtpAnswered>(e); }
  static bool otp_accepted(const SaleEngine&, const Event& e) {
    return otp_answer(e).request == RequestKind::kSubmitOtp && otp_answer(e).accepted;
  }
  static bool otp_wrong_tries_left(const SaleEngine& m, const Event& e) {
    return otp_answer(e).request == RequestKind::kSubmitOtp && m.otp_attempts_ < SaleEngine::kMaxOtpAttempts;
  }
  static bool otp_wrong_last(const SaleEngine&, const Event& e) {
    return otp_answer(e).request == RequestKind::kSubmitOtp;
  }

  static bool for_terminate(const SaleEngine&, const Event& e) {
    return failure(e).request == RequestKind::kTerminate;
  }
  static bool terminate_stopped(const SaleEngine& m, const Event& e) {
    return for_terminate(m, e) && stopped(m, e);
  }

  static const StatusRead& status(const Event& e) { return as<StatusRead>(e); }
  static bool any_attempt(const StatusRead& s, PaymentStatus wanted) {
    for (std::size_t i = 0; i < s.attempt_count && i < kMaxAttempts; ++i)
      if (s.attempts[i].status == wanted) return true;
    return false;
  }
  // Our attempt: the one with our cf_payment_id, or one the runner could
  // not identify.
  static const PaymentAttempt* our_attempt(const SaleRecord& r, const StatusRead& s) {
    for (std::size_t i = 0; i < s.attempt_count && i < kMaxAttempts; ++i) {
      const PaymentAttempt& a = s.attempts[i];
      if (a.cf_payment_id.empty() || r.cf_payment_id.empty() || a.cf_payment_id.view() == r.cf_payment_id.view())
        return &a;
    }
    return nullptr;
  }
  // PAID is the order's word only (an attempt's SUCCESS alone is not).
  static bool paid(const SaleEngine&, const Event& e) { return status(e).order_status == OrderStatus::kPaid; }
  // Ended and unpaid for good: TERMINATED (no attempt can be open then,
  // cashfree-api.md §1.4), or EXPIRED with no attempt at the bank. A
  // NOT_ATTEMPTED attempt never reached the bank and cannot start after
  // expiry. Any SUCCESS means the gateway is still catching up: not final.
  static bool settled(const SaleEngine&, const Event& e) {
    const StatusRead& s = status(e);
    if (s.order_status == OrderStatus::kPaid || any_attempt(s, PaymentStatus::kSuccess)) return false;
    if (s.order_status == OrderStatus::kTerminated) return true;
    return s.order_status == OrderStatus::kExpired && !any_attempt(s, PaymentStatus::kPending);
  }
  // The order is ACTIVE but our attempt ended unpaid.
  static bool attempt_ended(const SaleEngine& m, const Event& e) {
    const StatusRead& s = status(e);
    if (s.order_status != OrderStatus::kActive || any_attempt(s, PaymentStatus::kSuccess)) return false;
    const PaymentAttempt* a = our_attempt(m.record_, s);
    if (a == nullptr) return false;
    return a->status == PaymentStatus::kFailed || a->status == PaymentStatus::kUserDropped ||
           a->status == PaymentStatus::kCancelled || a->status == PaymentStatus::kVoid;
  }
  // The order is ending without us (expiring with an attempt still at the
  // bank, or terminated from elsewhere): stop showing the QR, follow it.
  static bool order_ending(const SaleEngine&, const Event& e) {
    const OrderStatus o = status(e).order_status;
    return o == OrderStatus::kExpired || o == OrderStatus::kTerminated || o == OrderStatus::kTerminationRequested;
  }

  // The record a PowerUp or RecoverRequested would resume, if any.
  static const SaleRecord* resumable(const SaleEngine& m, const Event& e) {
    if (kind_of(e) == EventKind::kPowerUp) {
      const SaleRecord* r = as<PowerUp>(e).record;
      return r != nullptr && r->unfinished() ? r : nullptr;
    }
    return m.record_.parked() && m.record_.unfinished() ? &m.record_ : nullptr;
  }
  static std::int64_t wall_now(const Event& e) {
    return kind_of(e) == EventKind::kPowerUp ? as<PowerUp>(e).wall_now_s : as<RecoverRequested>(e).wall_now_s;
  }
  static bool resumes_in(const SaleEngine& m, const Event& e, State s) {
    const SaleRecord* r = resumable(m, e);
    return r != nullptr && r->state == s;
  }
  static bool wall_expired(const SaleEngine& m, const Event& e) {
    return seconds_until(resumable(m, e)->expiry_at_s, wall_now(e)) * kMsPerS <= kQrMarginMs;
  }
  static bool boot_without_sale(const SaleEngine& m, const Event& e) {
    const SaleRecord* r = as<PowerUp>(e).record;
    return resumable(m, e) == nullptr && (r == nullptr || !r->finished());
  }
  // An unfinished sale made on another gateway API than the runner's: its
  // order is not where the runner would look (a read there says "not
  // found", a create there makes another order), so it is kept as it is.
  static bool boot_other_gateway(const SaleEngine&, const Event& e) {
    const PowerUp& p = as<PowerUp>(e);
    return p.record != nullptr && p.record->unfinished() && p.record->gateway != p.gateway;
  }
  static bool recover_other_gateway(const SaleEngine& m, const Event& e) {
    return resumable(m, e) != nullptr && m.record_.gateway != as<RecoverRequested>(e).gateway;
  }
  static bool boot_with_finished(const SaleEngine&, const Event& e) {
    const SaleRecord* r = as<PowerUp>(e).record;
    return r != nullptr && r->finished();
  }
  static bool resume_create(const SaleEngine& m, const Event& e) { return resumes_in(m, e, State::kCreatingOrder); }
  // A card sale cut while it needed the card or the OTP prompt: both are gone.
  static bool resume_card_interrupted(const SaleEngine& m, const Event& e) {
    const SaleRecord* r = resumable(m, e);
    return r != nullptr && r->is_card() && (r->state == State::kStartingPayment || r->state == State::kAwaitingOtp);
  }
  static bool resume_pay_ending(const SaleEngine& m, const Event& e) {
    return resumes_in(m, e, State::kStartingPayment) && (resumable(m, e)->cancel_requested || wall_expired(m, e));
  }
  static bool resume_pay(const SaleEngine& m, const Event& e) { return resumes_in(m, e, State::kStartingPayment); }
  static bool resume_awaiting_expired(const SaleEngine& m, const Event& e) {
    return resumes_in(m, e, State::kAwaitingPayment) && wall_expired(m, e);
  }
  static bool resume_awaiting(const SaleEngine& m, const Event& e) {
    return resumes_in(m, e, State::kAwaitingPayment);
  }
  static bool resume_terminating(const SaleEngine& m, const Event& e) { return resumes_in(m, e, State::kTerminating); }
  static bool resume_confirming(const SaleEngine& m, const Event& e) {
    return resumes_in(m, e, State::kConfirmingFinal);
  }

  // ---- actions -------------------------------------------------------------

  static void show_amount_entry(SaleEngine&, Step& st) { screen(st, ScreenKind::kAmountEntry, {}); }
  static void refuse_amount(SaleEngine&, Step& st) { screen(st, ScreenKind::kError, "Invalid amount"); }
  static void refuse_while_parked(SaleEngine&, Step& st) { screen(st, ScreenKind::kError, "Last sale unresolved"); }
  // Kept for the API that has its order, unchanged in the journal: in memory
  // it is parked, so no new sale starts over it and recover refuses it.
  static void keep_for_other_gateway(SaleEngine& m, Step& st) {
    m.record_ = *as<PowerUp>(st.event).record;
    m.record_.outcome = Outcome::kUnknown;
    refuse_other_gateway(m, st);
  }
  static void refuse_other_gateway(SaleEngine&, Step& st) { screen(st, ScreenKind::kError, "Gateway changed"); }
  static void load_finished(SaleEngine& m, Step& st) {
    m.record_ = *as<PowerUp>(st.event).record;
    show_amount_entry(m, st);
  }

  static void start_sale(SaleEngine& m, Step& st) {
    const AmountEntered& a = as<AmountEntered>(st.event);
    const std::uint32_t sequence = m.record_.sequence;
    m.record_ = SaleRecord{};
    SaleRecord& r = m.record_;
    r.sequence = sequence;
    r.kind = a.kind;
    r.authorize_only = a.kind == RecordKind::kCardSale && a.authorize_only;
    r.gateway = a.gateway;
    (void)r.card_label.assign(a.card_label.view());
    r.amount_paise = a.amount_paise;
    (void)r.order_id.assign(a.order_id.view());
    (void)r.create_key.assign(a.create_key.view());
    (void)r.pay_key.assign(a.pay_key.view());
    (void)r.terminate_key.assign(a.terminate_key.view());
    r.started_at_s = a.wall_now_s;
    r.expiry_at_s = a.wall_now_s + m.times_.order_lifetime_s;
    m.jitter_.reseed(a.seed);
    m.maybe_created_ = false;
    m.qr_shown_ = false;
    m.failures_ = 0;
    m.otp_attempts_ = 0;
    m.otp_resends_ = 0;
    m.card_pays_ = 0;
    m.in_flight_ = RequestKind::kNone;
    m.expiry_ms_ = m.now_ms_ + m.times_.order_lifetime_s * kMsPerS - kQrMarginMs;
    m.deadline_ms_ = m.now_ms_ + (m.times_.order_lifetime_s + m.times_.grace_s) * kMsPerS;
    screen(st, ScreenKind::kWaiting, "Creating order");
    arm(m, st, TimerId::kExpiry, m.expiry_ms_);
    arm(m, st, TimerId::kDeadline, m.deadline_ms_);
    send_journaled(m, st, RequestKind::kCreateOrder);
  }

  // Ends the sale with an outcome the gateway has confirmed (or, with no
  // order, that nothing exists there).
  static void finish(SaleEngine& m, Step& st, Outcome outcome) {
    disarm_all(m, st);
    clear_qr(m, st);
    m.record_.outcome = outcome;
    m.record_.state = State::kDone;
    write_journal(m, st);
    Effect e;
    e.kind = EffectKind::kShowScreen;
    e.screen.kind = ScreenKind::kResult;
    e.screen.outcome = outcome;
    e.screen.amount_paise = m.record_.amount_paise;
    e.screen.text = outcome == Outcome::kPaid ? m.record_.utr.view() : m.record_.reason.view();
    st.out.push(e);
    Effect done;
    done.kind = EffectKind::kFinished;
    done.outcome = outcome;
    st.out.push(done);
  }
  static void set_reason(SaleEngine& m, std::string_view text) {
    if (!m.record_.reason.assign(text)) (void)m.record_.reason.assign(text.substr(0, kReasonCapacity));
  }
  static void set_reason_from_failure(SaleEngine& m, const RequestFailed& f) {
    set_reason(m, !f.reason.empty() ? f.reason.view() : f.code.view());
  }

  // No order exists at the gateway: nothing to end there.
  static void finish_without_order(SaleEngine& m, Step& st) {
    if (kind_of(st.event) == EventKind::kRequestFailed) set_reason_from_failure(m, failure(st.event));
    if (m.record_.cancel_requested) return finish(m, st, Outcome::kCancelled);
    if (m.now_ms_ >= m.expiry_ms_) {
      if (m.record_.reason.empty()) set_reason(m, "no order was created");
      return finish(m, st, Outcome::kExpired);
    }
    finish(m, st, Outcome::kFailed);
  }
  static void cancel_without_order(SaleEngine& m, Step& st) {
    m.record_.cancel_requested = true;
    finish_without_order(m, st);
  }

  // The gateway's final word on an order that did not get paid, read with
  // why we ended it.
  static Outcome unpaid_outcome(const SaleRecord& r, OrderStatus order) {
    switch (r.end_cause) {
      case EndCause::kAttemptFailed:
      case EndCause::kPayRefused:
      case EndCause::kCreateConflict:
      case EndCause::kCardNotPresented:
      case EndCause::kOtpTimedOut:
      case EndCause::kInterrupted: return Outcome::kFailed;
      case EndCause::kExpiry: return Outcome::kExpired;
      case EndCause::kCancel:
      case EndCause::kNone: break;
    }
    return order == OrderStatus::kExpired ? Outcome::kExpired : Outcome::kCancelled;
  }
  static void finish_from_status(SaleEngine& m, Step& st) {
    const StatusRead& s = status(st.event);
    if (s.order_status == OrderStatus::kPaid) {
      m.record_.utr.clear();
      bool authorized_only = false;
      for (std::size_t i = 0; i < s.attempt_count && i < kMaxAttempts; ++i) {
        if (s.attempts[i].status == PaymentStatus::kSuccess) {
          (void)m.record_.utr.assign(s.attempts[i].bank_reference.view());
          authorized_only = s.attempts[i].authorized_only;
          break;
        }
      }
      m.record_.reason.clear();
      // Pre-authorised: held on the card, to be captured or voided later.
      return finish(m, st, authorized_only ? Outcome::kAuthorized : Outcome::kPaid);
    }
    const Outcome outcome = unpaid_outcome(m.record_, s.order_status);
    if (outcome == Outcome::kCancelled && m.record_.end_cause == EndCause::kNone && m.record_.reason.empty())
      set_reason(m, "terminated at gateway");
    finish(m, st, outcome);
  }

  static void park_unknown(SaleEngine& m, Step& st) {
    disarm_all(m, st);
    clear_qr(m, st);
    m.record_.outcome = Outcome::kUnknown;
    m.record_.state = st.from;  // resume where it stopped
    write_journal(m, st);
    Effect e;
    e.kind = EffectKind::kShowScreen;
    e.screen.kind = ScreenKind::kResult;
    e.screen.outcome = Outcome::kUnknown;
    e.screen.amount_paise = m.record_.amount_paise;
    e.screen.text = "Not confirmed";
    st.out.push(e);
    Effect done;
    done.kind = EffectKind::kFinished;
    done.outcome = Outcome::kUnknown;
    st.out.push(done);
  }

  static void store_order(SaleEngine& m, Step& st) {
    const OrderCreated& o = as<OrderCreated>(st.event);
    (void)m.record_.cf_order_id.assign(o.cf_order_id.view());
    (void)m.record_.payment_session_id.assign(o.payment_session_id.view());
    m.record_.last_order_status = OrderStatus::kActive;
    // The QR lives as long as the order: an earlier expiry from the gateway
    // moves ours (and the expiry timer) forward.
    if (o.order_expiry_s > 0 && o.order_expiry_s < m.record_.expiry_at_s) {
      const std::int64_t earlier_s = seconds_until(m.record_.expiry_at_s, o.order_expiry_s);
      m.record_.expiry_at_s = o.order_expiry_s;
      m.expiry_ms_ -= earlier_s * kMsPerS;
      if (m.timer_armed(TimerId::kExpiry)) arm(m, st, TimerId::kExpiry, m.expiry_ms_);
    }
  }
  static void order_then_pay(SaleEngine& m, Step& st) {
    store_order(m, st);
    screen(st, ScreenKind::kWaiting, "Starting payment");
    send_journaled(m, st, RequestKind::kOrderPay);
  }
  static void note_cancel(SaleEngine& m, Step& st) {
    m.record_.cancel_requested = true;
    screen(st, ScreenKind::kWaiting, "Cancelling");
    journal_state(m, st);
  }
  static void create_retry_later(SaleEngine& m, Step& st) {
    if (failure(st.event).failure == FailureClass::kOutcomeUnknown) m.maybe_created_ = true;
    retry_later(m, st);
  }

  static std::string_view ending_text(EndCause cause) {
    switch (cause) {
      case EndCause::kCancel: return "Cancelling";
      case EndCause::kExpiry: return "QR expired";
      case EndCause::kAttemptFailed: return "Payment failed";
      case EndCause::kPayRefused: return "Payment refused";
      case EndCause::kCardNotPresented: return "No card";
      case EndCause::kOtpTimedOut: return "OTP timed out";
      case EndCause::kInterrupted: return "Payment interrupted";
      case EndCause::kCreateConflict:
      case EndCause::kNone: break;
    }
    return "Ending order";
  }
  // The order must end. Terminate goes out now, or as soon as the request
  // in flight has answered (one request at a time).
  static void begin_terminate(SaleEngine& m, Step& st, EndCause cause) {
    if (m.record_.end_cause == EndCause::kNone) m.record_.end_cause = cause;
    if (cause == EndCause::kCancel) m.record_.cancel_requested = true;
    disarm(m, st, TimerId::kRequest);
    clear_qr(m, st);
    screen(st, ScreenKind::kWaiting, ending_text(m.record_.end_cause));
    if (m.in_flight_ == RequestKind::kNone) {
      send_journaled(m, st, RequestKind::kTerminate);
    } else {
      journal_state(m, st);
    }
  }
  static void terminate_for_cancel(SaleEngine& m, Step& st) { begin_terminate(m, st, EndCause::kCancel); }
  static void terminate_for_expiry(SaleEngine& m, Step& st) { begin_terminate(m, st, EndCause::kExpiry); }
  static void order_then_terminate(SaleEngine& m, Step& st) {
    store_order(m, st);
    begin_terminate(m, st, m.record_.cancel_requested ? EndCause::kCancel : EndCause::kExpiry);
  }
  static void terminate_conflict(SaleEngine& m, Step& st) {
    set_reason_from_failure(m, failure(st.event));
    begin_terminate(m, st, m.record_.cancel_requested ? EndCause::kCancel : EndCause::kCreateConflict);
  }
  static void terminate_pay_refused(SaleEngine& m, Step& st) {
    set_reason_from_failure(m, failure(st.event));
    begin_terminate(m, st, EndCause::kPayRefused);
  }
  static void terminate_attempt_failed(SaleEngine& m, Step& st) {
    const PaymentAttempt* a = our_attempt(m.record_, status(st.event));
    set_reason(m, !a->failure_reason.empty() ? a->failure_reason.view() : payment_status_name(a->status));
    begin_terminate(m, st, EndCause::kAttemptFailed);
  }

  static void store_payment(SaleEngine& m, Step& st) {
    const PaymentStarted& p = as<PaymentStarted>(st.event);
    (void)m.record_.cf_payment_id.assign(p.cf_payment_id.view());
    (void)m.record_.intent.assign(p.intent.view());
    m.record_.last_payment_status = PaymentStatus::kNotAttempted;
  }
  static void show_qr_and_poll(SaleEngine& m, Step& st) {
    store_payment(m, st);
    journal_state(m, st);  // the intent is durable before the customer sees it
    show_qr(m, st);
    m.phase_start_ms_ = m.now_ms_;
    schedule_poll(m, st);
  }
  static void payment_then_terminate_for_expiry(SaleEngine& m, Step& st) {
    store_payment(m, st);
    terminate_for_expiry(m, st);
  }
  static void payment_then_send_terminate(SaleEngine& m, Step& st) {
    store_payment(m, st);
    send_journaled(m, st, RequestKind::kTerminate);
  }
  static void send_terminate(SaleEngine& m, Step& st) { send_journaled(m, st, RequestKind::kTerminate); }

  static void confirm_now(SaleEngine& m, Step& st) {
    disarm(m, st, TimerId::kRequest);
    clear_qr(m, st);
    // A gateway with no way to end an order (Flowwise) answers with the
    // order still ACTIVE: it can be paid until it expires, and the sale
    // waits that long. Say so rather than "Confirming" for minutes.
    const bool still_open = kind_of(st.event) == EventKind::kTerminated &&
                            as<Terminated>(st.event).order_status == OrderStatus::kActive;
    screen(st, ScreenKind::kWaiting, still_open ? "Open till expiry" : "Confirming");
    m.phase_start_ms_ = m.now_ms_;
    send(m, st, RequestKind::kGetStatus);
  }
  // The gateway is ending the order without us. Journaled, so a power-up
  // here does not redraw a QR that can no longer be paid.
  static void confirm_later(SaleEngine& m, Step& st) {
    clear_qr(m, st);
    screen(st, ScreenKind::kWaiting, "Confirming");
    journal_state(m, st);
    m.phase_start_ms_ = m.now_ms_;
    schedule_poll(m, st);
  }

  // ---- card actions --------------------------------------------------------

  static void prompt_otp(SaleEngine& m, Step& st, std::string_view prompt) {
    screen(st, ScreenKind::kOtpEntry, prompt);
    arm_request(m, st, m.times_.otp_timeout_s * kMsPerS);  // the OTP timeout
  }
  static void ask_first_otp(SaleEngine& m, Step& st) {
    store_payment(m, st);
    m.otp_attempts_ = 0;
    m.otp_resends_ = 0;
    journal_state(m, st);  // cf_payment_id is durable before the customer acts
    prompt_otp(m, st, "Enter OTP");
  }
  static void submit_otp(SaleEngine& m, Step& st) {
    disarm(m, st, TimerId::kRequest);
    ++m.otp_attempts_;
    screen(st, ScreenKind::kWaiting, "Checking OTP");
    send(m, st, RequestKind::kSubmitOtp);
  }
  static void resend_otp(SaleEngine& m, Step& st) {
    disarm(m, st, TimerId::kRequest);
    ++m.otp_resends_;
    screen(st, ScreenKind::kWaiting, "Sending OTP again");
    send(m, st, RequestKind::kResendOtp);
  }
  static void no_more_resends(SaleEngine& m, Step& st) {
    if (m.in_flight_ != RequestKind::kNone) return;
    screen(st, ScreenKind::kOtpEntry, "No more resends");
  }
  static void otp_wrong(SaleEngine& m, Step& st) {
    static constexpr std::string_view kLeft[] = {"Wrong OTP, 0 left", "Wrong OTP, 1 left", "Wrong OTP, 2 left"};
    const std::uint8_t left = static_cast<std::uint8_t>(SaleEngine::kMaxOtpAttempts - m.otp_attempts_);
    prompt_otp(m, st, left < 3 ? kLeft[left] : "Wrong OTP");
  }
  static void otp_resent(SaleEngine& m, Step& st) {
    prompt_otp(m, st, otp_answer(st.event).accepted ? "OTP sent again" : "OTP not resent");
  }
  static void otp_not_sent(SaleEngine& m, Step& st) { prompt_otp(m, st, "Enter OTP again"); }
  // The OTP was accepted, or the payment can no longer take one: the
  // gateway's status decides, as for a scanned QR.
  static void confirm_card_payment(SaleEngine& m, Step& st) {
    disarm(m, st, TimerId::kRequest);
    screen(st, ScreenKind::kWaiting, "Confirming payment");
    journal_state(m, st);
    m.phase_start_ms_ = m.now_ms_;
    send(m, st, RequestKind::kGetStatus);
  }
  static void terminate_otp_timeout(SaleEngine& m, Step& st) {
    set_reason(m, "OTP not entered");
    begin_terminate(m, st, EndCause::kOtpTimedOut);
  }

  static void ask_card_again(SaleEngine& m, Step& st) {
    const RequestFailed& f = failure(st.event);
    screen(st, ScreenKind::kPresentCard, !f.reason.empty() ? f.reason.view() : std::string_view("Present card again"));
    send(m, st, RequestKind::kReadCard);
  }
  static void pay_with_card_again(SaleEngine& m, Step& st) {
    const CardPresented& c = as<CardPresented>(st.event);
    (void)m.record_.pay_key.assign(c.pay_key.view());
    (void)m.record_.card_label.assign(c.card_label.view());
    screen(st, ScreenKind::kWaiting, "Starting payment");
    send_journaled(m, st, RequestKind::kOrderPay);  // the new key is durable first
  }
  static void terminate_card_absent(SaleEngine& m, Step& st) {
    const CardAbsent* c = std::get_if<CardAbsent>(&st.event);
    set_reason(m, c != nullptr && !c->reason.empty() ? c->reason.view() : std::string_view("No card"));
    begin_terminate(m, st, EndCause::kCardNotPresented);
  }
  static void terminate_pay_unknown(SaleEngine& m, Step& st) {
    set_reason(m, "Card payment unclear");
    begin_terminate(m, st, EndCause::kPayRefused);
  }
  static void resume_card_terminating(SaleEngine& m, Step& st) {
    resume_common(m, st);
    if (m.record_.reason.empty()) set_reason(m, "Power lost mid-payment");
    begin_terminate(m, st, m.record_.cancel_requested ? EndCause::kCancel : EndCause::kInterrupted);
  }

  // Resuming a journaled sale (power-up, or recover after UNKNOWN). Every
  // key is reused; nothing is assumed about requests that may have gone out.
  static void resume_common(SaleEngine& m, Step& st) {
    const SaleRecord* r = resumable(m, st.event);
    if (r != &m.record_) m.record_ = *r;
    m.record_.outcome = Outcome::kNone;
    const std::int64_t wall = wall_now(st.event);
    const std::uint32_t seed = kind_of(st.event) == EventKind::kPowerUp ? as<PowerUp>(st.event).seed
                                                                        : as<RecoverRequested>(st.event).seed;
    m.jitter_.reseed(seed ^ m.record_.sequence);
    m.maybe_created_ = true;  // a create may have gone out before the cut
    m.qr_shown_ = false;
    m.failures_ = 0;
    m.in_flight_ = RequestKind::kNone;
    // Expiry is judged by wall time; from here on by the monotonic clock.
    const std::int64_t until_expiry_s = seconds_until(m.record_.expiry_at_s, wall);
    std::int64_t until_deadline_s;
    if (until_expiry_s > 0) {
      until_deadline_s = until_expiry_s + m.times_.grace_s;
    } else {
      const std::int64_t grace_left = m.times_.grace_s - seconds_until(wall, m.record_.expiry_at_s);
      until_deadline_s = grace_left > m.times_.resume_window_s ? grace_left : m.times_.resume_window_s;
    }
    const std::int64_t until_expiry_ms = until_expiry_s * kMsPerS - kQrMarginMs;
    m.expiry_ms_ = m.now_ms_ + (until_expiry_ms > 0 ? until_expiry_ms : 0);
    m.deadline_ms_ = m.now_ms_ + until_deadline_s * kMsPerS;
    disarm_all(m, st);
    if (until_expiry_ms > 0) arm(m, st, TimerId::kExpiry, m.expiry_ms_);
    arm(m, st, TimerId::kDeadline, m.deadline_ms_);
  }
  static void resume_creating(SaleEngine& m, Step& st) {
    resume_common(m, st);
    screen(st, ScreenKind::kWaiting, m.record_.cancel_requested ? "Cancelling" : "Creating order");
    send_journaled(m, st, RequestKind::kCreateOrder);
  }
  static void resume_paying(SaleEngine& m, Step& st) {
    resume_common(m, st);
    screen(st, ScreenKind::kWaiting, "Starting payment");
    send_journaled(m, st, RequestKind::kOrderPay);
  }
  static void resume_awaiting_payment(SaleEngine& m, Step& st) {
    resume_common(m, st);
    if (m.record_.intent.empty()) {
      screen(st, ScreenKind::kWaiting, "Confirming payment");  // native OTP: no QR to redraw
    } else {
      show_qr(m, st);
    }
    m.phase_start_ms_ = m.now_ms_;
    send(m, st, RequestKind::kGetStatus);  // it may have been paid while off
  }
  static void resume_terminating_order(SaleEngine& m, Step& st) {
    resume_common(m, st);
    begin_terminate(m, st, m.record_.cancel_requested ? EndCause::kCancel : EndCause::kExpiry);
  }
  static void resume_confirming_final(SaleEngine& m, Step& st) {
    resume_common(m, st);
    confirm_now(m, st);
  }
};

// The transition table: the first row whose state, event and guard match
// decides the next state and the action. An event with no matching row
// changes nothing. Before the table (SaleEngine::handle): a response that
// does not answer the request in flight, and a timer that is not armed, are
// dropped as stale.
using S = State;
using E = EventKind;
using T = Transitions;
const Transitions::Row Transitions::kRows[] = {
    // state                 event               guard                           action                             next
    {S::kIdle,              E::kPowerUp,        T::boot_without_sale,           T::show_amount_entry,              S::kIdle},
    {S::kIdle,              E::kPowerUp,        T::boot_with_finished,          T::load_finished,                  S::kDone},
    {S::kIdle,              E::kPowerUp,        T::boot_other_gateway,          T::keep_for_other_gateway,         S::kDone},
    {S::kIdle,              E::kPowerUp,        T::resume_create,               T::resume_creating,                S::kCreatingOrder},
    {S::kIdle,              E::kPowerUp,        T::resume_card_interrupted,     T::resume_card_terminating,        S::kTerminating},
    {S::kIdle,              E::kPowerUp,        T::resume_pay_ending,           T::resume_terminating_order,       S::kTerminating},
    {S::kIdle,              E::kPowerUp,        T::resume_pay,                  T::resume_paying,                  S::kStartingPayment},
    {S::kIdle,              E::kPowerUp,        T::resume_awaiting_expired,     T::resume_terminating_order,       S::kTerminating},
    {S::kIdle,              E::kPowerUp,        T::resume_awaiting,             T::resume_awaiting_payment,        S::kAwaitingPayment},
    {S::kIdle,              E::kPowerUp,        T::resume_terminating,          T::resume_terminating_order,       S::kTerminating},
    {S::kIdle,              E::kPowerUp,        T::resume_confirming,           T::resume_confirming_final,        S::kConfirmingFinal},
    {S::kIdle,              E::kAmountEntered,  T::valid_sale,                  T::start_sale,                     S::kCreatingOrder},
    {S::kIdle,              E::kAmountEntered,  nullptr,                        T::refuse_amount,                  S::kIdle},

    {S::kCreatingOrder,     E::kOrderCreated,   T::cancel_requested,            T::order_then_terminate,           S::kTerminating},
    {S::kCreatingOrder,     E::kOrderCreated,   T::expired,                     T::order_then_terminate,           S::kTerminating},
    {S::kCreatingOrder,     E::kOrderCreated,   nullptr,                        T::order_then_pay,                 S::kStartingPayment},
    {S::kCreatingOrder,     E::kRequestFailed,  T::stopped_conflict,            T::terminate_conflict,             S::kTerminating},
    {S::kCreatingOrder,     E::kRequestFailed,  T::stopped,                     T::finish_without_order,           S::kDone},
    {S::kCreatingOrder,     E::kRequestFailed,  T::create_gave_nothing_and_over, T::finish_without_order,          S::kDone},
    {S::kCreatingOrder,     E::kRequestFailed,  nullptr,                        T::create_retry_later,             S::kCreatingOrder},
    {S::kCreatingOrder,     E::kTimerFired,     T::request_timer,               T::send_current,                   S::kCreatingOrder},
    {S::kCreatingOrder,     E::kTimerFired,     T::expiry_timer_nothing_created, T::finish_without_order,          S::kDone},
    {S::kCreatingOrder,     E::kTimerFired,     T::deadline_timer,              T::park_unknown,                   S::kDone},
    {S::kCreatingOrder,     E::kCancelPressed,  T::nothing_created,             T::cancel_without_order,           S::kDone},
    {S::kCreatingOrder,     E::kCancelPressed,  nullptr,                        T::note_cancel,                    S::kCreatingOrder},

    {S::kStartingPayment,   E::kPaymentStarted, T::expired,                     T::payment_then_terminate_for_expiry, S::kTerminating},
    {S::kStartingPayment,   E::kPaymentStarted, T::needs_otp,                   T::ask_first_otp,                  S::kAwaitingOtp},
    {S::kStartingPayment,   E::kPaymentStarted, nullptr,                        T::show_qr_and_poll,               S::kAwaitingPayment},
    {S::kStartingPayment,   E::kRequestFailed,  T::stopped_inactive,            T::confirm_now,                    S::kConfirmingFinal},
    {S::kStartingPayment,   E::kRequestFailed,  T::card_pay_again,              T::ask_card_again,                 S::kStartingPayment},
    {S::kStartingPayment,   E::kRequestFailed,  T::card_pay_unknown,            T::terminate_pay_unknown,          S::kTerminating},
    {S::kStartingPayment,   E::kRequestFailed,  T::card_pays_spent,             T::terminate_pay_refused,          S::kTerminating},
    {S::kStartingPayment,   E::kRequestFailed,  T::stopped,                     T::terminate_pay_refused,          S::kTerminating},
    {S::kStartingPayment,   E::kRequestFailed,  T::expired,                     T::terminate_for_expiry,           S::kTerminating},
    {S::kStartingPayment,   E::kRequestFailed,  nullptr,                        T::retry_later,                    S::kStartingPayment},
    {S::kStartingPayment,   E::kTimerFired,     T::request_timer,               T::send_current,                   S::kStartingPayment},
    {S::kStartingPayment,   E::kTimerFired,     T::expiry_timer,                T::terminate_for_expiry,           S::kTerminating},
    {S::kStartingPayment,   E::kTimerFired,     T::deadline_timer,              T::park_unknown,                   S::kDone},
    {S::kStartingPayment,   E::kCancelPressed,  nullptr,                        T::terminate_for_cancel,           S::kTerminating},
    {S::kStartingPayment,   E::kCardPresented,  T::new_card_key,                T::pay_with_card_again,            S::kStartingPayment},
    {S::kStartingPayment,   E::kCardPresented,  nullptr,                        T::terminate_card_absent,          S::kTerminating},
    {S::kStartingPayment,   E::kCardAbsent,     nullptr,                        T::terminate_card_absent,          S::kTerminating},

    // Native OTP. The request timer is the OTP timeout while the prompt is up.
    {S::kAwaitingOtp,       E::kOtpEntered,     T::nothing_in_flight,           T::submit_otp,                     S::kAwaitingOtp},
    {S::kAwaitingOtp,       E::kOtpResendPressed, T::can_resend_otp,            T::resend_otp,                     S::kAwaitingOtp},
    {S::kAwaitingOtp,       E::kOtpResendPressed, nullptr,                      T::no_more_resends,                S::kAwaitingOtp},
    {S::kAwaitingOtp,       E::kOtpAnswered,    T::otp_accepted,                T::confirm_card_payment,           S::kAwaitingPayment},
    {S::kAwaitingOtp,       E::kOtpAnswered,    T::otp_wrong_tries_left,        T::otp_wrong,                      S::kAwaitingOtp},
    {S::kAwaitingOtp,       E::kOtpAnswered,    T::otp_wrong_last,              T::confirm_card_payment,           S::kAwaitingPayment},
    {S::kAwaitingOtp,       E::kOtpAnswered,    nullptr,                        T::otp_resent,                     S::kAwaitingOtp},
    {S::kAwaitingOtp,       E::kRequestFailed,  T::stopped,                     T::confirm_card_payment,           S::kAwaitingPayment},
    {S::kAwaitingOtp,       E::kRequestFailed,  nullptr,                        T::otp_not_sent,                   S::kAwaitingOtp},
    {S::kAwaitingOtp,       E::kTimerFired,     T::request_timer,               T::terminate_otp_timeout,          S::kTerminating},
    {S::kAwaitingOtp,       E::kTimerFired,     T::expiry_timer,                T::terminate_for_expiry,           S::kTerminating},
    {S::kAwaitingOtp,       E::kTimerFired,     T::deadline_timer,              T::park_unknown,                   S::kDone},
    {S::kAwaitingOtp,       E::kCancelPressed,  nullptr,                        T::terminate_for_cancel,           S::kTerminating},

    {S::kAwaitingPayment,   E::kStatusRead,     T::paid,                        T::finish_from_status,             S::kDone},
    {S::kAwaitingPayment,   E::kStatusRead,     T::settled,                     T::finish_from_status,             S::kDone},
    {S::kAwaitingPayment,   E::kStatusRead,     T::attempt_ended,               T::terminate_attempt_failed,       S::kTerminating},
    {S::kAwaitingPayment,   E::kStatusRead,     T::order_ending,                T::confirm_later,                  S::kConfirmingFinal},
    {S::kAwaitingPayment,   E::kStatusRead,     nullptr,                        T::schedule_poll,                  S::kAwaitingPayment},
    {S::kAwaitingPayment,   E::kRequestFailed,  nullptr,                        T::retry_later,                    S::kAwaitingPayment},
    {S::kAwaitingPayment,   E::kTimerFired,     T::request_timer,               T::send_current,                   S::kAwaitingPayment},
    {S::kAwaitingPayment,   E::kTimerFired,     T::expiry_timer,                T::terminate_for_expiry,           S::kTerminating},
    {S::kAwaitingPayment,   E::kTimerFired,     T::deadline_timer,              T::park_unknown,                   S::kDone},
    {S::kAwaitingPayment,   E::kCancelPressed,  nullptr,                        T::terminate_for_cancel,           S::kTerminating},

    // A status read or pay answer that was in flight when the order had to
    // end arrives here first; PAID still wins.
    {S::kTerminating,       E::kStatusRead,     T::paid,                        T::finish_from_status,             S::kDone},
    {S::kTerminating,       E::kStatusRead,     T::settled,                     T::finish_from_status,             S::kDone},
    {S::kTerminating,       E::kStatusRead,     nullptr,                        T::send_terminate,                 S::kTerminating},
    {S::kTerminating,       E::kPaymentStarted, nullptr,                        T::payment_then_send_terminate,    S::kTerminating},
    {S::kTerminating,       E::kOtpAnswered,    nullptr,                        T::send_terminate,                 S::kTerminating},
    {S::kTerminating,       E::kCardPresented,  nullptr,                        T::send_terminate,                 S::kTerminating},
    {S::kTerminating,       E::kCardAbsent,     nullptr,                        T::send_terminate,                 S::kTerminating},
    {S::kTerminating,       E::kTerminated,     nullptr,                        T::confirm_now,                    S::kConfirmingFinal},
    {S::kTerminating,       E::kRequestFailed,  T::terminate_stopped,           T::confirm_now,                    S::kConfirmingFinal},
    {S::kTerminating,       E::kRequestFailed,  T::for_terminate,               T::retry_later,                    S::kTerminating},
    {S::kTerminating,       E::kRequestFailed,  nullptr,                        T::send_terminate,                 S::kTerminating},
    {S::kTerminating,       E::kTimerFired,     T::request_timer,               T::send_current,                   S::kTerminating},
    {S::kTerminating,       E::kTimerFired,     T::deadline_timer,              T::park_unknown,                   S::kDone},

    {S::kConfirmingFinal,   E::kStatusRead,     T::paid,                        T::finish_from_status,             S::kDone},
    {S::kConfirmingFinal,   E::kStatusRead,     T::settled,                     T::finish_from_status,             S::kDone},
    {S::kConfirmingFinal,   E::kStatusRead,     nullptr,                        T::schedule_poll,                  S::kConfirmingFinal},
    {S::kConfirmingFinal,   E::kRequestFailed,  nullptr,                        T::retry_later,                    S::kConfirmingFinal},
    {S::kConfirmingFinal,   E::kTimerFired,     T::request_timer,               T::send_current,                   S::kConfirmingFinal},
    {S::kConfirmingFinal,   E::kTimerFired,     T::deadline_timer,              T::park_unknown,                   S::kDone},

    {S::kDone,              E::kAmountEntered,  T::parked,                      T::refuse_while_parked,            S::kDone},
    {S::kDone,              E::kAmountEntered,  T::valid_sale,                  T::start_sale,                     S::kCreatingOrder},
    {S::kDone,              E::kAmountEntered,  nullptr,                        T::refuse_amount,                  S::kDone},
    {S::kDone,              E::kCancelPressed,  nullptr,                        T::show_amount_entry,              S::kDone},
    {S::kDone,              E::kRecoverRequested, T::recover_other_gateway,     T::refuse_other_gateway,           S::kDone},
    {S::kDone,              E::kRecoverRequested, T::resume_create,             T::resume_creating,                S::kCreatingOrder},
    {S::kDone,              E::kRecoverRequested, T::resume_card_interrupted,   T::resume_card_terminating,        S::kTerminating},
    {S::kDone,              E::kRecoverRequested, T::resume_pay_ending,         T::resume_terminating_order,       S::kTerminating},
    {S::kDone,              E::kRecoverRequested, T::resume_pay,                T::resume_paying,                  S::kStartingPayment},
    {S::kDone,              E::kRecoverRequested, T::resume_awaiting_expired,   T::resume_terminating_order,       S::kTerminating},
    {S::kDone,              E::kRecoverRequested, T::resume_awaiting,           T::resume_awaiting_payment,        S::kAwaitingPayment},
    {S::kDone,              E::kRecoverRequested, T::resume_terminating,        T::resume_terminating_order,       S::kTerminating},
    {S::kDone,              E::kRecoverRequested, T::resume_confirming,         T::resume_confirming_final,        S::kConfirmingFinal},
};

SaleTimes SaleTimes::clamped() const {
  const auto clamp = [](std::int64_t v) { return v < kMinS ? kMinS : v > kMaxS ? kMaxS : v; };
  SaleTimes t;
  t.order_lifetime_s = clamp(order_lifetime_s);
  t.grace_s = clamp(grace_s);
  t.resume_window_s = clamp(resume_window_s);
  t.otp_timeout_s = clamp(otp_timeout_s);
  return t;
}

Effects SaleEngine::handle(std::int64_t now_ms, const Event& event) {
  Effects out;
  now_ms_ = now_ms;
  const EventKind kind = kind_of(event);

  const RequestKind answer = answers(event);
  if (answer != RequestKind::kNone) {
    if (answer != in_flight_) return out;  // stale: not the request we are waiting for
    in_flight_ = RequestKind::kNone;
    if (kind != EventKind::kRequestFailed) failures_ = 0;
  }
  if (kind == EventKind::kTimerFired) {
    const TimerId id = std::get_if<TimerFired>(&event)->timer;
    if (!timer_armed(id)) return out;  // cancelled while it was firing
    armed_ = static_cast<std::uint8_t>(armed_ & ~bit(id));
  }
  // Facts from the gateway are noted whatever the row does with them.
  if (const StatusRead* s = std::get_if<StatusRead>(&event)) {
    record_.last_order_status = s->order_status;
    if (const PaymentAttempt* a = Transitions::our_attempt(record_, *s)) record_.last_payment_status = a->status;
  } else if (const Terminated* t = std::get_if<Terminated>(&event)) {
    record_.last_order_status = t->order_status;
  }

  for (const Transitions::Row& row : Transitions::kRows) {
    if (row.state != state_ || row.event != kind) continue;
    if (row.guard != nullptr && !row.guard(*this, event)) continue;
    Step step{event, state_, out};
    state_ = row.next;
    row.action(*this, step);
    break;
  }
  return out;
}

RequestKind request_of(EffectKind kind) {
  switch (kind) {
    case EffectKind::kSendCreateOrder: return RequestKind::kCreateOrder;
    case EffectKind::kSendOrderPay: return RequestKind::kOrderPay;
    case EffectKind::kSendGetOrderAndPayments: return RequestKind::kGetStatus;
    case EffectKind::kSendTerminate: return RequestKind::kTerminate;
    case EffectKind::kSendSubmitOtp: return RequestKind::kSubmitOtp;
    case EffectKind::kSendResendOtp: return RequestKind::kResendOtp;
    case EffectKind::kReadCard: return RequestKind::kReadCard;
    default: return RequestKind::kNone;
  }
}

std::string_view effect_name(EffectKind kind) {
  switch (kind) {
    case EffectKind::kWriteJournal: return "WriteJournal";
    case EffectKind::kSendCreateOrder: return "SendCreateOrder";
    case EffectKind::kSendOrderPay: return "SendOrderPay";
    case EffectKind::kSendGetOrderAndPayments: return "SendGetOrderAndPayments";
    case EffectKind::kSendTerminate: return "SendTerminate";
    case EffectKind::kSendSubmitOtp: return "SendSubmitOtp";
    case EffectKind::kSendResendOtp: return "SendResendOtp";
    case EffectKind::kReadCard: return "ReadCard";
    case EffectKind::kShowScreen: return "ShowScreen";
    case EffectKind::kClearQr: return "ClearQr";
    case EffectKind::kArmTimer: return "ArmTimer";
    case EffectKind::kCancelTimer: return "CancelTimer";
    case EffectKind::kFinished: return "Finished";
  }
  return "?";
}

}  // namespace posagent::engine
