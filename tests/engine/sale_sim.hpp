// Test support for the sale engine: a fake gateway that honours idempotency
// keys (same key -> the first answer), a customer who scans and pays (or
// fails) on a timetable, and a runner that executes the engine's effects in
// order on a simulated clock, can cut the power after any effect, and checks
// the engine's promises on every step.
//
// The fake gateway follows Cashfree's documented lifecycle as pgsim does:
// ACTIVE -> PAID / EXPIRED / TERMINATION_REQUESTED -> TERMINATED; a success
// that lands while termination is pending wins; a PENDING attempt can still
// succeed after expiry; paying or terminating an inactive order is refused
// (orderpay_not_found, order_inactive).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "core/engine/journal_codec.hpp"
#include "core/engine/sale_engine.hpp"

namespace posagent::engine::test {

// Wall clock (Unix seconds) at monotonic 0: the simulated clocks agree.
inline constexpr std::int64_t kWall0 = 1'790'000'000;
inline std::int64_t wall_at(std::int64_t now_ms) { return kWall0 + now_ms / 1000; }

inline constexpr std::int64_t kAmount = 49'900;  // ₹499.00

struct Fault {
  RequestKind request;
  int nth;  // the nth request of this kind (1-based) fails
  FailureClass failure;
  bool acts = false;  // the gateway acted before the answer was lost
  std::uint32_t retry_after_s = 0;
  const char* code = "";
  const char* reason = "";
  bool card_reentry = false;
};

class FakeGateway {
 public:
  // The customer: scans the QR scan_after_ms after the attempt exists (the
  // attempt turns PENDING), and the bank answers settle_after_ms later.
  // Negative: never scans.
  std::int64_t scan_after_ms = -1;
  std::int64_t settle_after_ms = 3'000;
  PaymentStatus customer_result = PaymentStatus::kSuccess;
  std::int64_t termination_delay_ms = 1'000;
  bool can_terminate = true;  // false: terminate answers the order as it is, ACTIVE until it expires
  // The order turns PAID this long after the attempt's SUCCESS (the
  // gateway's records catching up with each other).
  std::int64_t order_paid_lag_ms = 0;
  std::vector<Fault> faults;

  // Card payments (the sale's record says which kind it is).
  enum class CardFlow : std::uint8_t { kNativeOtp, kThreeDsPage };
  CardFlow card_flow = CardFlow::kNativeOtp;
  std::string card_otp = "111000";
  bool preauth = false;  // a successful card payment is authorised only
  int wrong_otps = 0;
  int otp_resends = 0;
  std::string last_otp;  // what the terminal submitted last
  bool otp_pending = false;  // a native OTP attempt waits for its OTP, not for the customer's app

  // What happened at the gateway.
  int orders_created = 0;
  int payments_created = 0;
  int successes = 0;
  std::array<int, 8> requests{};
  std::vector<std::string> create_keys, pay_keys, terminate_keys;  // distinct keys seen

  bool order_exists = false;
  OrderStatus order_status = OrderStatus::kUnknown;
  std::int64_t order_expiry_ms = 0;
  bool payment_exists = false;
  PaymentStatus payment_status = PaymentStatus::kUnknown;
  std::int64_t payment_created_ms = 0;
  std::int64_t termination_requested_ms = -1;
  std::int64_t succeeded_ms = -1;
  std::string utr = "412345678901";

  int& count(RequestKind k) { return requests[static_cast<std::size_t>(k)]; }

  // Moves the gateway's own clock: scans, settlements, terminations and
  // expiry, earliest first.
  void advance(std::int64_t now) {
    for (;;) {
      std::int64_t t_scan = INT64_MAX, t_settle = INT64_MAX, t_term = INT64_MAX, t_exp = INT64_MAX,
                   t_paid = INT64_MAX;
      const bool unpaid_success = payment_status == PaymentStatus::kSuccess && order_status != OrderStatus::kPaid;
      if (unpaid_success) t_paid = succeeded_ms + order_paid_lag_ms;
      if (payment_exists && payment_status == PaymentStatus::kNotAttempted && scan_after_ms >= 0)
        t_scan = payment_created_ms + scan_after_ms;
      if (payment_exists && payment_status == PaymentStatus::kPending && !otp_pending)
        t_settle = payment_created_ms + scan_after_ms + settle_after_ms;
      if (order_status == OrderStatus::kTerminationRequested) t_term = termination_requested_ms + termination_delay_ms;
      if (order_status == OrderStatus::kActive) t_exp = order_expiry_ms;
      const std::int64_t t = std::min(std::min(std::min(t_scan, t_settle), std::min(t_term, t_exp)), t_paid);
      if (t > now) return;
      if (t == t_paid) {
        order_status = OrderStatus::kPaid;
      } else if (t == t_exp) {
        order_status = OrderStatus::kExpired;
      } else if (t == t_term) {
        // A success already at the bank wins over the termination.
        order_status = unpaid_success ? OrderStatus::kPaid : OrderStatus::kTerminated;
        if (payment_status == PaymentStatus::kNotAttempted || payment_status == PaymentStatus::kPending)
          payment_status = PaymentStatus::kCancelled;
      } else if (t == t_scan) {
        // An order that cannot take payments any more turns the scan away.
        if (order_status == OrderStatus::kActive)
          payment_status = PaymentStatus::kPending;
        else
          scan_after_ms = -1;
      } else {
        payment_status = customer_result;
        if (customer_result == PaymentStatus::kSuccess) {
          ++successes;
          succeeded_ms = t;
          if (order_paid_lag_ms == 0) order_status = OrderStatus::kPaid;
        }
      }
    }
  }

  // The bank's answer to a right OTP, at once.
  void settle_now(std::int64_t now) {
    otp_pending = false;
    payment_status = customer_result;
    if (customer_result == PaymentStatus::kSuccess) {
      ++successes;
      succeeded_ms = now;
      if (order_paid_lag_ms == 0) order_status = OrderStatus::kPaid;
    }
  }

  Event request(RequestKind kind, const SaleRecord& r, std::int64_t now) {
    advance(now);
    const int n = ++count(kind);
    const Fault* fault = nullptr;
    for (const Fault& f : faults)
      if (f.request == kind && f.nth == n) fault = &f;
    if (fault != nullptr && !fault->acts) return failed(*fault);
    Event answer = act(kind, r, now);
    if (fault != nullptr) return failed(*fault);
    return answer;
  }

 private:
  struct Stored {
    RequestKind kind;
    std::string key;
    Event answer;
  };
  std::vector<Stored> stored_;

  static RequestFailed stop(RequestKind kind, const char* code, const char* reason) {
    RequestFailed f;
    f.request = kind;
    f.failure = FailureClass::kStop;
    (void)f.code.assign(code);
    (void)f.reason.assign(reason);
    return f;
  }
  static Event failed(const Fault& fault) {
    RequestFailed f;
    f.request = fault.request;
    f.failure = fault.failure;
    f.retry_after_s = fault.retry_after_s;
    (void)f.code.assign(fault.code);
    (void)f.reason.assign(fault.reason);
    f.card_reentry = fault.card_reentry;
    return f;
  }
  static void note_key(std::vector<std::string>& keys, std::string_view key) {
    for (const auto& k : keys)
      if (k == key) return;
    keys.emplace_back(key);
  }
  const Event* replay(RequestKind kind, std::string_view key) const {
    for (const Stored& s : stored_)
      if (s.kind == kind && s.key == key) return &s.answer;
    return nullptr;
  }

  Event act(RequestKind kind, const SaleRecord& r, std::int64_t now) {
    switch (kind) {
      case RequestKind::kCreateOrder: {
        note_key(create_keys, r.create_key.view());
        if (const Event* e = replay(kind, r.create_key.view())) return *e;
        Event answer;
        if (order_exists) {
          answer = stop(kind, "order_already_exists", "order with same id is already present");
        } else if (r.expiry_at_s <= wall_at(now)) {
          answer = stop(kind, "order_expiry_time_invalid", "order_expiry_time in the past");
        } else {
          ++orders_created;
          order_exists = true;
          order_status = OrderStatus::kActive;
          order_expiry_ms = (r.expiry_at_s - kWall0) * 1000;
          // Built in place: copying a local would copy FixedString tails
          // never written (GCC's -Wmaybe-uninitialized on aarch64).
          OrderCreated& o = answer.emplace<OrderCreated>();
          (void)o.cf_order_id.assign("2149460581");
          (void)o.payment_session_id.assign("session_a1VXIPJo8kh7IBigVXX8LgTMupQW_cu25FS8KwLwQLOmiHqbBxq5");
          o.order_expiry_s = r.expiry_at_s;
        }
        stored_.push_back({kind, std::string(r.create_key.view()), answer});
        return answer;
      }
      case RequestKind::kOrderPay: {
        note_key(pay_keys, r.pay_key.view());
        if (const Event* e = replay(kind, r.pay_key.view())) return *e;
        Event answer;
        if (!order_exists || r.payment_session_id.empty()) {
          answer = stop(kind, "payment_session_id_invalid", "payment_session_id invalid");
        } else if (order_status != OrderStatus::kActive) {
          answer = stop(kind, "orderpay_not_found", "order is no longer active");
        } else {
          ++payments_created;
          payment_exists = true;
          payment_status = PaymentStatus::kNotAttempted;
          payment_created_ms = now;
          PaymentStarted& p = answer.emplace<PaymentStarted>();
          (void)p.cf_payment_id.assign("5114910603577");
          if (!r.is_card()) {
            (void)p.intent.assign("upi://pay?pa=merchant@bank&pn=Shop&am=499.00&tr=5114910603577&cu=INR");
          } else if (card_flow == CardFlow::kThreeDsPage) {
            (void)p.intent.assign("https://pg.example/pg/view/3ds/5114910603577");
          } else {
            // Native OTP: the bank has sent the OTP; the attempt waits for it.
            payment_status = PaymentStatus::kPending;
            otp_pending = true;
            scan_after_ms = -1;
            p.needs_otp = true;
          }
        }
        stored_.push_back({kind, std::string(r.pay_key.view()), answer});
        return answer;
      }
      case RequestKind::kGetStatus: {
        if (!order_exists) return stop(kind, "order_not_found", "no order with this id");
        StatusRead s;
        s.order_status = order_status;
        if (payment_exists) {
          s.attempt_count = 1;
          s.attempts[0].status = payment_status;
          (void)s.attempts[0].cf_payment_id.assign("5114910603577");
          if (payment_status == PaymentStatus::kSuccess) (void)s.attempts[0].bank_reference.assign(utr);
          if (payment_status == PaymentStatus::kFailed)
            (void)s.attempts[0].failure_reason.assign("issuer declined");
          s.attempts[0].authorized_only = preauth && payment_status == PaymentStatus::kSuccess;
        }
        return s;
      }
      case RequestKind::kTerminate: {
        note_key(terminate_keys, r.terminate_key.view());
        if (const Event* e = replay(kind, r.terminate_key.view())) return *e;
        Event answer;
        if (!order_exists) {
          answer = stop(kind, "order_not_found", "no order with this id");
        } else if (order_status == OrderStatus::kPaid || order_status == OrderStatus::kExpired) {
          answer = stop(kind, "order_inactive", "the order cannot be terminated");
        } else {
          // A gateway that cannot end an order (Flowwise) reads it instead.
          if (order_status == OrderStatus::kActive && can_terminate) {
            order_status = OrderStatus::kTerminationRequested;
            termination_requested_ms = now;
            advance(now);
          }
          answer = Terminated{order_status};
        }
        stored_.push_back({kind, std::string(r.terminate_key.view()), answer});
        return answer;
      }
      case RequestKind::kSubmitOtp:
      case RequestKind::kResendOtp: {
        // Only an attempt waiting for its OTP takes one (pgsim's rule).
        if (!payment_exists || payment_status != PaymentStatus::kPending || card_flow != CardFlow::kNativeOtp)
          return stop(kind, "cf_payment_id_invalid", "payment is not open for OTP");
        OtpAnswered a;
        a.request = kind;
        if (kind == RequestKind::kResendOtp) {
          a.accepted = ++otp_resends <= 2;
          if (!a.accepted) (void)a.message.assign("resend limit reached");
          return a;
        }
        if (last_otp == card_otp) {
          a.accepted = true;
          settle_now(now);
        } else {
          (void)a.message.assign("otp is invalid");
          if (++wrong_otps >= 3) {
            otp_pending = false;
            payment_status = PaymentStatus::kFailed;
          }
        }
        return a;
      }
      case RequestKind::kReadCard:
      case RequestKind::kNone: break;
    }
    return stop(kind, "bad_request", "no such request");
  }
};

// One effect as the runner saw it.
struct Seen {
  int step = 0;
  std::int64_t at = 0;
  EffectKind kind = EffectKind::kClearQr;
  ScreenKind screen = ScreenKind::kAmountEntry;
  Outcome outcome = Outcome::kNone;
  TimerId timer = TimerId::kRequest;
  std::int64_t timer_at = 0;
  State state_after = State::kIdle;
  std::string text;
};

struct Scripted {
  std::int64_t at;
  Event event;
  bool done = false;
};

class Runner {
 public:
  FakeGateway gw;
  std::optional<SaleEngine> engine;
  std::int64_t now = 0;
  std::int64_t latency_ms = 100;
  std::vector<Scripted> script;

  std::array<std::uint8_t, kJournalRecordSize> journal{};
  bool has_journal = false;
  int journal_writes = 0;

  std::vector<Seen> seen;
  std::vector<std::string> violations;
  bool finished = false;
  Outcome outcome = Outcome::kNone;
  bool qr_visible = false;
  int steps = 0;
  int boots = 0;
  std::size_t max_effects_per_step = 0;

  // Power: cut before executing effect number cut_at (counted from 0 over
  // the whole run); -1 never.
  long cut_at = -1;
  long effects_run = 0;
  bool power_off = false;

  // Card sales: what the cashier keys when the OTP prompt shows, in order
  // ("" = Enter with no digits: resend), otp_entry_ms after the prompt.
  // Nothing left: the prompt times out. Cards presented again when asked.
  bool card_sale = false;
  bool authorize_only = false;
  // The gateway API the runner talks to (new sales, power-ups, recover).
  GatewayApi gateway = GatewayApi::kCashfreePg;
  std::vector<std::string> otp_inputs;
  std::int64_t otp_entry_ms = 8'000;
  int cards_in_hand = 0;
  int card_reads = 0;

  Runner() { engine.emplace(); }

  static AmountEntered sale(std::int64_t wall_s, std::uint32_t seed = 7) {
    AmountEntered a;
    a.amount_paise = kAmount;
    (void)a.order_id.assign("pos_order_8f14e45f");
    (void)a.create_key.assign("0b7c4a8e-8d1f-4c55-9a0e-1f6f5a9d0c01");
    (void)a.pay_key.assign("0b7c4a8e-8d1f-4c55-9a0e-1f6f5a9d0c02");
    (void)a.terminate_key.assign("0b7c4a8e-8d1f-4c55-9a0e-1f6f5a9d0c03");
    a.wall_now_s = wall_s;
    a.seed = seed;
    return a;
  }

  void start() {
    AmountEntered a = sale(wall_at(now));
    a.gateway = gateway;
    if (card_sale) {
      a.kind = RecordKind::kCardSale;
      a.authorize_only = authorize_only;
      (void)a.card_label.assign("VISA XXXX1111");
    }
    deliver(a);
  }
  void at(std::int64_t when, Event e) { script.push_back({when, std::move(e)}); }

  void violation(const std::string& what) {
    char prefix[64];
    std::snprintf(prefix, sizeof prefix, "t=%ld step %d: ", static_cast<long>(now), steps);  // no %lld in newlib-nano
    violations.push_back(prefix + what);
  }

  // Feeds one event and executes its effects, unless the power goes.
  void deliver(const Event& event) {
    if (power_off) return;
    ++steps;
    const Effects fx = engine->handle(now, event);
    check_step(fx);
    for (const Effect& e : fx) {
      if (cut_at >= 0 && effects_run == cut_at) {
        power_off = true;
        return;
      }
      execute(e);
      ++effects_run;
    }
    // The QR's lifetime is the order's expiry as the engine knows it.
    const SaleRecord& r = engine->record();
    if (qr_visible && now >= (r.expiry_at_s - kWall0) * 1000) violation("QR on screen past the order's expiry");
  }

  // The power goes now (the effects of the next step are lost).
  void power_cut() { power_off = true; }

  // Runs until Finished, the power goes, or nothing is left to happen.
  void run(std::int64_t until_ms = 3'600'000) {
    while (!finished && !power_off && now <= until_ms) {
      std::int64_t t = INT64_MAX;
      int which = -1;  // 0 response, 1 script, 2 timer
      std::size_t index = 0;
      if (response_) {
        t = response_->first;
        which = 0;
      }
      for (std::size_t i = 0; i < script.size(); ++i)
        if (!script[i].done && script[i].at < t) t = script[i].at, which = 1, index = i;
      for (std::size_t i = 0; i < kTimerCount; ++i)
        if (timers_[i] && *timers_[i] < t) t = *timers_[i], which = 2, index = i;
      if (which < 0) return;
      if (t > now) now = t;
      gw.advance(now);
      if (which == 0) {
        Event e = response_->second;
        response_.reset();
        deliver(e);
      } else if (which == 1) {
        script[index].done = true;
        deliver(script[index].event);
      } else {
        timers_[index].reset();
        deliver(TimerFired{static_cast<TimerId>(index)});
      }
    }
  }

  // The power comes back after downtime_ms: a fresh engine, the journal as
  // it was last written, no timers, no answers in flight.
  void reboot(std::int64_t downtime_ms = 2'000, std::uint32_t seed = 99) {
    now += downtime_ms;
    gw.advance(now);
    engine.emplace();
    response_.reset();
    for (auto& t : timers_) t.reset();
    qr_visible = false;
    power_off = false;
    cut_at = -1;
    finished = false;
    ++boots;
    PowerUp p;
    p.wall_now_s = wall_at(now);
    p.seed = seed;
    p.gateway = gateway;
    std::optional<SaleRecord> record;
    if (has_journal) {
      Result<SaleRecord> r = decode_record(journal);
      if (!r.ok()) {
        violation("journal did not decode");
      } else {
        record = *r;
        p.record = &*record;
      }
    }
    deliver(p);
  }

  // The sale's outcome: from Finished, or from a finished record found at
  // power-up.
  Outcome result() const {
    if (finished) return outcome;
    if (engine->state() == State::kDone) return engine->record().outcome;
    return Outcome::kNone;
  }

  int count(EffectKind kind) const {
    int n = 0;
    for (const Seen& s : seen) n += s.kind == kind;
    return n;
  }
  std::vector<std::int64_t> times_of(EffectKind kind) const {
    std::vector<std::int64_t> t;
    for (const Seen& s : seen)
      if (s.kind == kind) t.push_back(s.at);
    return t;
  }
  // Never null: an effect that did not happen is `missing` (step -1), so a
  // failed check does not turn into a crash (REQUIRE does not stop a test
  // in this build, which has no exceptions).
  const Seen* first(EffectKind kind) const {
    for (const Seen& s : seen)
      if (s.kind == kind) return &s;
    return &missing_;
  }
  const Seen* last(EffectKind kind) const {
    const Seen* found = &missing_;
    for (const Seen& s : seen)
      if (s.kind == kind) found = &s;
    return found;
  }
  std::string first_violation() const { return violations.empty() ? "" : violations.front(); }

 private:
  static inline const Seen missing_ = [] {
    Seen s;
    s.step = -1;
    s.at = -1;
    return s;
  }();
  std::optional<std::pair<std::int64_t, Event>> response_;
  std::array<std::optional<std::int64_t>, kTimerCount> timers_{};

  // The engine's promises, checked on every step.
  void check_step(const Effects& fx) {
    if (fx.overflowed()) violation("effects overflowed");
    if (fx.size() > max_effects_per_step) max_effects_per_step = fx.size();
    int journal_at = -1;
    int writes = 0;
    for (std::size_t i = 0; i < fx.size(); ++i) {
      const Effect& e = fx[i];
      if (e.kind == EffectKind::kWriteJournal) {
        journal_at = static_cast<int>(i);
        ++writes;
      }
      const bool mutating = e.kind == EffectKind::kSendCreateOrder || e.kind == EffectKind::kSendOrderPay ||
                            e.kind == EffectKind::kSendTerminate;
      if (mutating) {
        if (journal_at < 0) violation(std::string(effect_name(e.kind)) + " without a journal write before it");
        const SaleRecord& r = *e.record;
        const bool keyed = e.kind == EffectKind::kSendCreateOrder ? r.create_key.size() == kKeyLength
                           : e.kind == EffectKind::kSendOrderPay  ? r.pay_key.size() == kKeyLength
                                                                  : r.terminate_key.size() == kKeyLength;
        if (!keyed) violation(std::string(effect_name(e.kind)) + " with no key journaled");
        const State want = e.kind == EffectKind::kSendCreateOrder ? State::kCreatingOrder
                           : e.kind == EffectKind::kSendOrderPay  ? State::kStartingPayment
                                                                  : State::kTerminating;
        if (r.state != want) violation(std::string(effect_name(e.kind)) + " journaled in the wrong state");
      }
      if (e.kind == EffectKind::kArmTimer && e.at_ms < now) violation("timer armed in the past");
    }
    if (writes > 1) violation("two journal writes in one step");
  }

  void execute(const Effect& e) {
    Seen s;
    s.step = steps;
    s.at = now;
    s.kind = e.kind;
    s.state_after = engine->state();
    switch (e.kind) {
      case EffectKind::kWriteJournal: {
        Result<std::size_t> n = encode_record(*e.record, journal);
        if (!n.ok()) violation("journal record did not encode");
        has_journal = true;
        ++journal_writes;
        break;
      }
      case EffectKind::kSendCreateOrder:
      case EffectKind::kSendOrderPay:
      case EffectKind::kSendGetOrderAndPayments:
      case EffectKind::kSendTerminate:
      case EffectKind::kSendSubmitOtp:
      case EffectKind::kSendResendOtp: {
        if (response_) violation("a second request while one is in flight");
        const RequestKind kind = request_of(e.kind);
        response_.emplace(now + latency_ms, gw.request(kind, *e.record, now));
        break;
      }
      case EffectKind::kReadCard: {
        if (response_) violation("a card read while a request is in flight");
        ++card_reads;
        Event answer;
        if (cards_in_hand > 0) {
          --cards_in_hand;
          CardPresented& c = answer.emplace<CardPresented>();
          (void)c.pay_key.assign("0b7c4a8e-8d1f-4c55-9a0e-1f6f5a9d0c1" + std::to_string(card_reads % 10));
          (void)c.card_label.assign("VISA XXXX1111");
        } else {
          (void)answer.emplace<CardAbsent>().reason.assign("No card presented");
        }
        response_.emplace(now + 2'000, answer);
        break;
      }
      case EffectKind::kShowScreen:
        s.screen = e.screen.kind;
        s.outcome = e.screen.outcome;
        s.text = std::string(e.screen.text);
        if (e.screen.kind == ScreenKind::kQr) {
          if (e.screen.text.empty()) violation("QR with no intent");
          qr_visible = true;
        }
        if (e.screen.kind == ScreenKind::kOtpEntry && !otp_inputs.empty()) {
          const std::string otp = otp_inputs.front();
          otp_inputs.erase(otp_inputs.begin());
          if (otp.empty()) {
            at(now + otp_entry_ms, OtpResendPressed{});
          } else {
            gw.last_otp = otp;
            at(now + otp_entry_ms, OtpEntered{});
          }
        }
        break;
      case EffectKind::kClearQr: qr_visible = false; break;
      case EffectKind::kArmTimer:
        s.timer = e.timer;
        s.timer_at = e.at_ms;
        timers_[static_cast<std::size_t>(e.timer)] = e.at_ms;
        break;
      case EffectKind::kCancelTimer:
        s.timer = e.timer;
        timers_[static_cast<std::size_t>(e.timer)].reset();
        break;
      case EffectKind::kFinished:
        finished = true;
        outcome = e.outcome;
        s.outcome = e.outcome;
        if (qr_visible) violation("finished with the QR still up");
        check_outcome(e.outcome);
        break;
    }
    seen.push_back(s);
  }

  // Never a false PAID, never a false FAILED.
  void check_outcome(Outcome o) {
    const OrderStatus g = gw.order_exists ? gw.order_status : OrderStatus::kUnknown;
    const bool paid = o == Outcome::kPaid || o == Outcome::kAuthorized;
    if (paid && g != OrderStatus::kPaid) violation("PAID but the order is not PAID");
    if ((o == Outcome::kAuthorized) != (gw.preauth && paid)) violation("AUTHORISED is not the pre-auth's success");
    if (!paid && o != Outcome::kUnknown && g == OrderStatus::kPaid)
      violation(std::string(outcome_name(o)) + " but the order is PAID");
    if ((o == Outcome::kFailed || o == Outcome::kCancelled || o == Outcome::kExpired) && gw.order_exists &&
        g != OrderStatus::kTerminated && g != OrderStatus::kExpired)
      violation(std::string(outcome_name(o)) + " while the order can still be paid");
    if (paid && engine->record().utr.view() != gw.utr) violation("PAID with the wrong UTR");
  }
};

}  // namespace posagent::engine::test
