#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sale_sim.hpp"

using namespace posagent;
using namespace posagent::engine;
using posagent::engine::test::FakeGateway;
using posagent::engine::test::Fault;
using posagent::engine::test::Runner;
using posagent::engine::test::wall_at;

namespace {

std::string describe(const test::Seen& s) {
  std::string text(effect_name(s.kind));
  if (s.kind == EffectKind::kShowScreen) {
    const char* names[] = {"AmountEntry", "Qr", "Waiting", "Result", "Error", "OtpEntry", "PresentCard"};
    text += ":";
    text += names[static_cast<int>(s.screen)];
  }
  if (s.kind == EffectKind::kArmTimer || s.kind == EffectKind::kCancelTimer) {
    const char* names[] = {"request", "expiry", "deadline"};
    text += ":";
    text += names[static_cast<int>(s.timer)];
  }
  if (s.kind == EffectKind::kFinished) text += ":" + std::string(outcome_name(s.outcome));
  return text;
}

// The effects of each step, one line per step.
std::vector<std::string> steps(const Runner& r) {
  std::vector<std::string> lines;
  int step = -1;
  for (const test::Seen& s : r.seen) {
    if (s.step != step) {
      lines.emplace_back();
      step = s.step;
    } else {
      lines.back() += " ";
    }
    lines.back() += describe(s);
  }
  return lines;
}

void require_clean(const Runner& r) {
  if (!r.violations.empty()) MESSAGE(r.first_violation());
  CHECK(r.violations.empty());
  CHECK(r.gw.orders_created <= 1);
  CHECK(r.gw.payments_created <= 1);
  CHECK(r.gw.create_keys.size() <= 1);
  CHECK(r.gw.pay_keys.size() <= 1);
  CHECK(r.gw.terminate_keys.size() <= 1);
}

// The customer scans 5 s after the QR appears; the bank says yes 3 s later.
Runner paying_customer() {
  Runner r;
  r.gw.scan_after_ms = 5'000;
  r.gw.settle_after_ms = 3'000;
  return r;
}

std::int64_t status_reads(const Runner& r) { return r.count(EffectKind::kSendGetOrderAndPayments); }

}  // namespace

TEST_CASE("Happy path: the effects, step by step") {
  Runner r = paying_customer();
  r.start();
  r.run();
  require_clean(r);
  REQUIRE(r.finished);
  CHECK(r.outcome == Outcome::kPaid);
  CHECK(r.engine->record().utr == "412345678901");
  CHECK(r.engine->state() == State::kDone);
  CHECK(r.engine->record().state == State::kDone);
  CHECK(r.engine->record().outcome == Outcome::kPaid);

  std::vector<std::string> s = steps(r);
  CHECK(s.size() >= 6);
  s.resize(s.size() < 6 ? 6 : s.size());
  CHECK(s[0] == "ShowScreen:Waiting ArmTimer:expiry ArmTimer:deadline WriteJournal SendCreateOrder");
  CHECK(s[1] == "ShowScreen:Waiting WriteJournal SendOrderPay");
  CHECK(s[2] == "WriteJournal ShowScreen:Qr ArmTimer:request");
  // Then: the poll timer fires and reads; the read answers ACTIVE and the
  // next poll is armed; until the read that says PAID.
  for (std::size_t i = 3; i + 1 < s.size(); ++i)
    CHECK((s[i] == "SendGetOrderAndPayments" || s[i] == "ArmTimer:request"));
  CHECK(s.back() ==
        "CancelTimer:expiry CancelTimer:deadline ClearQr WriteJournal ShowScreen:Result Finished:PAID");
  // Journal writes: create, pay, QR shown, final. Nothing per poll.
  CHECK(r.journal_writes == 4);
  CHECK(r.gw.orders_created == 1);
  CHECK(r.gw.payments_created == 1);
  CHECK(r.gw.successes == 1);
  const test::Seen* qr = r.first(EffectKind::kShowScreen);
  for (const test::Seen& seen : r.seen)
    if (seen.screen == ScreenKind::kQr) qr = &seen;
  CHECK(qr->text == "upi://pay?pa=merchant@bank&pn=Shop&am=499.00&tr=5114910603577&cu=INR");
  const test::Seen* result = r.last(EffectKind::kShowScreen);
  CHECK(result->outcome == Outcome::kPaid);
  CHECK(result->text == "412345678901");
  MESSAGE("happy path: " << s.size() << " steps, " << r.seen.size() << " effects, " << status_reads(r)
                         << " status reads, paid at " << r.now << " ms");
}

TEST_CASE("The engine's size") {
  MESSAGE("sizeof(SaleEngine) " << sizeof(SaleEngine) << " (SaleRecord " << sizeof(SaleRecord) << "), Effects "
                                << sizeof(Effects) << ", Event " << sizeof(Event) << ", journal record "
                                << kJournalRecordSize << " bytes");
  // The record, the configured times, and 64 bytes of clocks and flags.
  CHECK(sizeof(SaleEngine) < sizeof(SaleRecord) + sizeof(SaleTimes) + 64);
  Runner r = paying_customer();
  r.start();
  r.run();
  CHECK(r.max_effects_per_step <= Effects::kCapacity);
  MESSAGE("longest step of the happy path: " << r.max_effects_per_step << " effects (capacity "
                                              << Effects::kCapacity << ")");
}

TEST_CASE("The gateway ending the order by itself: QR down, journaled, followed to the end") {
  Runner r;
  r.gw.scan_after_ms = 20'000;  // PENDING at 20.2 s, still at the bank at expiry
  r.gw.settle_after_ms = 600'000;
  r.start();
  r.run(1'000);
  r.gw.order_expiry_ms = 30'000;  // the gateway expires it early (its clock, its rules)
  r.gw.settle_after_ms = 15'000;  // and the bank says no at 35.2 s
  r.gw.customer_result = PaymentStatus::kFailed;
  r.run(31'000);
  // A read after 30 s saw EXPIRED with an attempt PENDING: confirming.
  while (r.engine->state() == State::kAwaitingPayment && !r.finished) r.run(r.now + 1);
  CHECK(r.engine->state() == State::kConfirmingFinal);
  CHECK_FALSE(r.qr_visible);
  Result<SaleRecord> journaled = decode_record(r.journal);
  CHECK(journaled.ok());
  CHECK((journaled.ok() && journaled->state == State::kConfirmingFinal));
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kExpired);
}

namespace {

struct FailureCase {
  const char* name;
  Fault fault;
};

Fault fault(RequestKind k, FailureClass c, bool acts = false, std::uint32_t retry_after = 0, const char* code = "",
            const char* reason = "") {
  Fault f{k, 1, c};
  f.acts = acts;
  f.retry_after_s = retry_after;
  f.code = code;
  f.reason = reason;
  return f;
}

// The request of kind k that failed first and the one after it.
std::pair<std::int64_t, std::int64_t> first_two(const Runner& r, EffectKind k) {
  const std::vector<std::int64_t> t = r.times_of(k);
  CHECK(t.size() >= 2);
  if (t.size() < 2) return {0, -1};
  return {t[0], t[1]};
}

EffectKind send_of(RequestKind k) {
  switch (k) {
    case RequestKind::kCreateOrder: return EffectKind::kSendCreateOrder;
    case RequestKind::kOrderPay: return EffectKind::kSendOrderPay;
    case RequestKind::kTerminate: return EffectKind::kSendTerminate;
    default: return EffectKind::kSendGetOrderAndPayments;
  }
}

}  // namespace

TEST_CASE("Retryable failures of create, pay and status are retried with the same key, then PAID") {
  for (RequestKind k : {RequestKind::kCreateOrder, RequestKind::kOrderPay, RequestKind::kGetStatus}) {
    const FailureCase cases[] = {
        {"RetrySameKey", fault(k, FailureClass::kRetrySameKey)},
        {"RetryAfter 7 s (429)", fault(k, FailureClass::kRetryAfter, false, 7)},
        {"OutcomeUnknown, it had acted", fault(k, FailureClass::kOutcomeUnknown, true)},
        {"OutcomeUnknown, it had not", fault(k, FailureClass::kOutcomeUnknown, false)},
    };
    for (const FailureCase& c : cases) {
      Runner r = paying_customer();
      r.gw.faults.push_back(c.fault);
      r.start();
      r.run();
      require_clean(r);
      if (r.outcome != Outcome::kPaid) MESSAGE(static_cast<int>(k) << " " << c.name);
      CHECK(r.outcome == Outcome::kPaid);
      CHECK(r.gw.orders_created == 1);
      CHECK(r.gw.payments_created == 1);
      const auto [failed_at, retried_at] = first_two(r, send_of(k));
      const std::int64_t wait = retried_at - (failed_at + r.latency_ms);
      if (c.fault.failure == FailureClass::kRetryAfter) {
        CHECK(wait == 7'000);  // honoured exactly
      } else {
        CHECK(wait >= 800);  // 1 s ± 20 %
        CHECK(wait <= 1'200);
      }
    }
  }
}

TEST_CASE("A stopped create ends the sale FAILED with nothing at the gateway") {
  Runner r = paying_customer();
  r.gw.faults.push_back(
      fault(RequestKind::kCreateOrder, FailureClass::kStop, false, 0, "order_amount_invalid", "amount invalid"));
  r.start();
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kFailed);
  CHECK(r.engine->record().reason == "amount invalid");
  CHECK(r.count(EffectKind::kSendOrderPay) == 0);
  CHECK(r.gw.orders_created == 0);
}

TEST_CASE("409 order_already_exists after a lost create: our order is ended, FAILED once confirmed") {
  Runner r = paying_customer();
  // The first create landed but its answer was lost; the retry is answered
  // 409 as if the idempotency record had gone.
  r.gw.faults.push_back(fault(RequestKind::kCreateOrder, FailureClass::kOutcomeUnknown, true));
  r.gw.faults.push_back(
      {RequestKind::kCreateOrder, 2, FailureClass::kStop, false, 0, "order_already_exists", "order exists"});
  r.start();
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kFailed);
  CHECK(r.gw.order_status == OrderStatus::kTerminated);
  CHECK(r.count(EffectKind::kSendOrderPay) == 0);
}

TEST_CASE("409 on the very first create is someone else's order: not terminated") {
  Runner r = paying_customer();
  r.gw.faults.push_back(
      fault(RequestKind::kCreateOrder, FailureClass::kStop, false, 0, "order_already_exists", "order exists"));
  r.start();
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kFailed);
  CHECK(r.count(EffectKind::kSendTerminate) == 0);
}

TEST_CASE("A refused order pay ends the order; FAILED only after TERMINATED") {
  Runner r = paying_customer();
  r.gw.faults.push_back(fault(RequestKind::kOrderPay, FailureClass::kStop, false, 0, "payment_method_unsupported",
                              "UPI not enabled"));
  r.start();
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kFailed);
  CHECK(r.engine->record().reason == "UPI not enabled");
  CHECK(r.gw.order_status == OrderStatus::kTerminated);
  CHECK(r.count(EffectKind::kSendTerminate) == 1);
  const test::Seen* finished = r.last(EffectKind::kFinished);
  CHECK(finished->at > r.last(EffectKind::kSendTerminate)->at);
}

TEST_CASE("orderpay_not_found: the order is read until its status is final") {
  Runner r = paying_customer();
  r.gw.faults.push_back(
      fault(RequestKind::kOrderPay, FailureClass::kStop, false, 0, "orderpay_not_found", "order not active"));
  r.start();
  r.run();
  require_clean(r);
  // The scripted answer lied (the order is still ACTIVE): the engine keeps
  // reading, and reports what the gateway finally says.
  CHECK(r.outcome == Outcome::kExpired);
  CHECK(r.gw.order_status == OrderStatus::kExpired);
  CHECK(r.count(EffectKind::kShowScreen) >= 1);
}

TEST_CASE("A refused status read is never a failure: reading goes on, slowly") {
  Runner r = paying_customer();
  r.gw.faults.push_back(fault(RequestKind::kGetStatus, FailureClass::kStop, false, 0, "authentication_error", "401"));
  r.start();
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kPaid);
  const auto [failed_at, retried_at] = first_two(r, EffectKind::kSendGetOrderAndPayments);
  const std::int64_t wait = retried_at - (failed_at + r.latency_ms);
  CHECK(wait >= 12'000);
  CHECK(wait <= 18'000);
}

TEST_CASE("Terminate failures on cancel: retried with the same key, or read to the end") {
  const FailureCase cases[] = {
      {"RetrySameKey", fault(RequestKind::kTerminate, FailureClass::kRetrySameKey)},
      {"RetryAfter 4 s (429)", fault(RequestKind::kTerminate, FailureClass::kRetryAfter, false, 4)},
      {"OutcomeUnknown, it had acted", fault(RequestKind::kTerminate, FailureClass::kOutcomeUnknown, true)},
      {"OutcomeUnknown, it had not", fault(RequestKind::kTerminate, FailureClass::kOutcomeUnknown, false)},
  };
  for (const FailureCase& c : cases) {
    Runner r;  // the customer never scans
    r.gw.faults.push_back(c.fault);
    r.at(3'000, CancelPressed{});
    r.start();
    r.run();
    require_clean(r);
    if (r.outcome != Outcome::kCancelled) MESSAGE(c.name);
    CHECK(r.outcome == Outcome::kCancelled);
    CHECK(r.gw.order_status == OrderStatus::kTerminated);
    CHECK(r.count(EffectKind::kSendTerminate) == 2);
    const auto [failed_at, retried_at] = first_two(r, EffectKind::kSendTerminate);
    const std::int64_t wait = retried_at - (failed_at + r.latency_ms);
    if (c.fault.failure == FailureClass::kRetryAfter) {
      CHECK(wait == 4'000);
    } else {
      CHECK(wait >= 800);
      CHECK(wait <= 1'200);
    }
  }

  // Terminate refused for good (here 401): the order cannot be ended by us,
  // so it is read until the gateway ends it (expiry). Never CANCELLED while
  // it could still be paid.
  Runner r;
  r.gw.faults.push_back(fault(RequestKind::kTerminate, FailureClass::kStop, false, 0, "authentication_error", "401"));
  r.at(3'000, CancelPressed{});
  r.start();
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kExpired);
  CHECK(r.gw.order_status == OrderStatus::kExpired);
}

TEST_CASE("An attempt's SUCCESS is not PAID until the order says PAID") {
  Runner r = paying_customer();  // SUCCESS at 8.1 s
  r.gw.order_paid_lag_ms = 4'000;  // the order turns PAID at 12.1 s
  r.start();
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kPaid);
  CHECK(r.last(EffectKind::kFinished)->at >= 12'100);

  // The same, read by hand: SUCCESS with the order ACTIVE only polls on.
  SaleEngine e;
  (void)e.handle(0, Runner::sale(wall_at(0)));
  OrderCreated o;
  (void)o.payment_session_id.assign("session_x");
  (void)e.handle(100, o);
  PaymentStarted p;
  (void)p.cf_payment_id.assign("77");
  (void)p.intent.assign("upi://pay?pa=a@b");
  (void)e.handle(200, p);
  (void)e.handle(2'200, TimerFired{TimerId::kRequest});
  StatusRead s;
  s.order_status = OrderStatus::kActive;
  s.attempt_count = 1;
  s.attempts[0].status = PaymentStatus::kSuccess;
  (void)s.attempts[0].cf_payment_id.assign("77");
  const Effects fx = e.handle(2'300, s);
  CHECK(e.state() == State::kAwaitingPayment);
  REQUIRE(fx.size() == 1);
  CHECK(fx[0].kind == EffectKind::kArmTimer);
}

TEST_CASE("A create sent before a power cut may have landed: cancel after power-up still resolves it") {
  Runner r;
  r.cut_at = 5;  // the create reached the gateway; its answer is lost with the power
  r.gw.faults.push_back({RequestKind::kCreateOrder, 2, FailureClass::kRetrySameKey, false});
  r.start();
  r.run();
  CHECK(r.power_off);
  CHECK(r.gw.orders_created == 1);
  r.reboot(2'000);
  r.at(r.now + 500, CancelPressed{});  // during the back-off after the refused re-send
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kCancelled);
  CHECK(r.gw.count(RequestKind::kCreateOrder) == 3);
  CHECK(r.gw.order_status == OrderStatus::kTerminated);
}

TEST_CASE("429 on a poll is honoured, and a poll is never pushed past expiry") {
  Runner r = paying_customer();
  r.gw.faults.push_back({RequestKind::kGetStatus, 2, FailureClass::kRetryAfter, false, 9});
  r.start();
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kPaid);
  std::vector<std::int64_t> t = r.times_of(EffectKind::kSendGetOrderAndPayments);
  CHECK(t.size() >= 3);
  t.resize(t.size() < 3 ? 3 : t.size());
  CHECK(t[2] - (t[1] + r.latency_ms) == 9'000);

  // A RetryAfter that would land after expiry is not armed: the expiry step
  // terminates and reads instead.
  Runner late;
  late.start();
  late.run(290'000);
  late.gw.faults.push_back({RequestKind::kGetStatus, late.gw.count(RequestKind::kGetStatus) + 1,
                            FailureClass::kRetryAfter, false, 59});
  late.run();
  require_clean(late);
  CHECK(late.outcome == Outcome::kExpired);
  for (const test::Seen& s : late.seen)
    if (s.kind == EffectKind::kSendGetOrderAndPayments && s.state_after == State::kAwaitingPayment)
      CHECK(s.at < 299'000);
}

TEST_CASE("The polling schedule: fast, then backing off, jittered, never past expiry") {
  for (std::uint32_t seed : {7u, 1234u, 0xDEADBEEFu}) {
    Runner r;  // the customer never scans
    AmountEntered a = Runner::sale(wall_at(0), seed);
    r.deliver(a);
    r.run();
    require_clean(r);
    CHECK(r.outcome == Outcome::kExpired);
    std::int64_t qr_at = -1;
    for (const test::Seen& s : r.seen)
      if (s.kind == EffectKind::kShowScreen && s.screen == ScreenKind::kQr) qr_at = s.at;
    REQUIRE(qr_at >= 0);
    std::string schedule;
    int polls = 0;
    double lowest = 2, highest = 0;
    for (const test::Seen& s : r.seen) {
      if (s.kind != EffectKind::kArmTimer || s.timer != TimerId::kRequest || s.state_after != State::kAwaitingPayment)
        continue;
      const std::int64_t since = s.at - qr_at;
      const std::int64_t base = poll_interval_ms(since);
      const std::int64_t delay = s.timer_at - s.at;
      CHECK(delay * 10 >= base * 8);
      CHECK(delay * 10 <= base * 12);
      CHECK(s.timer_at < 299'000);  // the QR's end (expiry - 1 s)
      const double ratio = static_cast<double>(delay) / static_cast<double>(base);
      lowest = ratio < lowest ? ratio : lowest;
      highest = ratio > highest ? ratio : highest;
      ++polls;
      // long, not %f or %lld: newlib-nano's printf has neither.
      const long tenths = static_cast<long>((s.timer_at - qr_at) / 100);
      char item[32];
      std::snprintf(item, sizeof item, "%s%ld.%ld", schedule.empty() ? "" : " ", tenths / 10, tenths % 10);
      schedule += item;
    }
    for (const test::Seen& s : r.seen)
      if (s.kind == EffectKind::kSendGetOrderAndPayments && s.state_after == State::kAwaitingPayment)
        CHECK(s.at < 299'000);
    CHECK(polls >= 35);
    CHECK(polls <= 48);
    CHECK(lowest < 0.95);  // jitter is there
    CHECK(highest > 1.05);
    MESSAGE("seed " << seed << ": " << polls << " polls at s after the QR: " << schedule);
  }
}

TEST_CASE("Cancel before the order exists: nothing at the gateway") {
  SUBCASE("while waiting to retry a refused create") {
    Runner r;
    r.gw.faults.push_back(fault(RequestKind::kCreateOrder, FailureClass::kRetryAfter, false, 5));
    r.at(1'000, CancelPressed{});
    r.start();
    r.run();
    require_clean(r);
    CHECK(r.outcome == Outcome::kCancelled);
    CHECK(r.now == 1'000);  // at once
    CHECK(r.gw.orders_created == 0);
    CHECK(r.gw.count(RequestKind::kCreateOrder) == 1);
  }
  SUBCASE("while a create is in flight that turns out refused") {
    Runner r;
    r.gw.faults.push_back(fault(RequestKind::kCreateOrder, FailureClass::kRetrySameKey));
    r.at(50, CancelPressed{});
    r.start();
    r.run();
    require_clean(r);
    CHECK(r.outcome == Outcome::kCancelled);
    CHECK(r.gw.orders_created == 0);
    CHECK(r.engine->record().cancel_requested);
  }
  SUBCASE("while a create is in flight that succeeds: the order is ended") {
    Runner r;
    r.at(50, CancelPressed{});
    r.start();
    r.run();
    require_clean(r);
    CHECK(r.outcome == Outcome::kCancelled);
    CHECK(r.gw.orders_created == 1);
    CHECK(r.gw.order_status == OrderStatus::kTerminated);
    CHECK(r.count(EffectKind::kSendOrderPay) == 0);
  }
}

TEST_CASE("Cancel during a create whose outcome is unknown: resolve with the same key, then terminate") {
  for (bool acted : {true, false}) {
    Runner r;
    r.gw.faults.push_back(fault(RequestKind::kCreateOrder, FailureClass::kOutcomeUnknown, acted));
    r.at(500, CancelPressed{});  // during the back-off
    r.start();
    r.run();
    require_clean(r);
    CHECK(r.outcome == Outcome::kCancelled);
    CHECK(r.gw.count(RequestKind::kCreateOrder) == 2);
    CHECK(r.gw.create_keys.size() == 1);
    CHECK(r.gw.orders_created == 1);
    CHECK(r.gw.order_status == OrderStatus::kTerminated);
    CHECK(r.count(EffectKind::kSendOrderPay) == 0);
    std::string waiting = "(none)";
    for (const test::Seen& s : r.seen)
      if (s.at == 500 && s.kind == EffectKind::kShowScreen) waiting = s.text;
    CHECK(waiting == "Cancelling");
  }
}

TEST_CASE("Cancel while order pay is in flight: no QR, the order is ended") {
  Runner r = paying_customer();
  r.at(150, CancelPressed{});  // pay went out at 100, answers at 200
  r.start();
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kCancelled);
  for (const test::Seen& s : r.seen) CHECK_FALSE((s.kind == EffectKind::kShowScreen && s.screen == ScreenKind::kQr));
  CHECK(r.gw.order_status == OrderStatus::kTerminated);
  CHECK(r.engine->record().cf_payment_id == "5114910603577");  // learned, kept
}

TEST_CASE("Cancel with the QR up: QR cleared at once, terminated, CANCELLED") {
  Runner r;
  r.at(3'000, CancelPressed{});
  r.start();
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kCancelled);
  std::vector<std::string> s = steps(r);
  bool found = false;
  for (const test::Seen& seen : r.seen)
    if (seen.at == 3'000 && seen.kind == EffectKind::kClearQr) found = true;
  CHECK(found);
}

TEST_CASE("Cancel on a gateway that cannot end an order: the cashier is told it stays open till expiry") {
  Runner r;
  r.gw.can_terminate = false;
  r.start();
  r.run(10'000);
  REQUIRE(r.qr_visible);
  r.deliver(CancelPressed{});
  r.run(20'000);
  const test::Seen* waiting = nullptr;
  for (const test::Seen& s : r.seen)
    if (s.at >= 10'000 && s.kind == EffectKind::kShowScreen && s.screen == ScreenKind::kWaiting) waiting = &s;
  REQUIRE(waiting != nullptr);
  CHECK(waiting->text == "Open till expiry");
  CHECK(r.engine->state() == State::kConfirmingFinal);
  CHECK_FALSE(r.qr_visible);
  r.run();  // until the order expires unpaid
  require_clean(r);
  CHECK(r.outcome == Outcome::kExpired);
  CHECK(r.gw.order_status == OrderStatus::kExpired);
}

TEST_CASE("Cancel racing a payment: PAID wins") {
  SUBCASE("the payment lands while termination is pending") {
    Runner r;
    r.gw.scan_after_ms = 2'000;    // PENDING at 2.1 s
    r.gw.settle_after_ms = 3'000;  // SUCCESS at 5.1 s
    r.gw.termination_delay_ms = 2'000;
    r.at(4'000, CancelPressed{});  // terminate at ~4 s; it would complete at ~6 s
    r.start();
    r.run();
    require_clean(r);
    CHECK(r.gw.order_status == OrderStatus::kPaid);
    CHECK(r.outcome == Outcome::kPaid);
    CHECK(r.engine->record().utr == "412345678901");
    CHECK(r.engine->record().cancel_requested);
  }
  SUBCASE("the payment landed just before cancel: terminate says order_inactive") {
    Runner r = paying_customer();  // SUCCESS at 8.1 s
    r.at(8'150, CancelPressed{});
    r.start();
    r.run();
    require_clean(r);
    CHECK(r.outcome == Outcome::kPaid);
  }
  SUBCASE("cancel while a status read is in flight that says PAID: no terminate needed") {
    Runner r = paying_customer();
    r.gw.order_paid_lag_ms = 2'000;  // so no read can see PAID before 10.1 s
    r.start();
    r.run(10'100);
    // The first read sent after the order is PAID; cancel comes before its answer.
    while (!r.finished && !(r.engine->in_flight() == RequestKind::kGetStatus &&
                            r.last(EffectKind::kSendGetOrderAndPayments)->at >= 10'100))
      r.run(r.now + 1);
    CHECK_FALSE(r.finished);
    r.at(r.now + 50, CancelPressed{});
    r.run();
    require_clean(r);
    CHECK(r.outcome == Outcome::kPaid);
    CHECK(r.count(EffectKind::kSendTerminate) == 0);
    CHECK(r.engine->record().cancel_requested);
  }
}

TEST_CASE("Expiry: the QR goes at once, an ACTIVE order is terminated, EXPIRED") {
  Runner r;  // never scans
  r.start();
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kExpired);
  CHECK(r.gw.order_status == OrderStatus::kTerminated);
  const test::Seen* clear = r.first(EffectKind::kClearQr);
  CHECK(clear->step >= 0);
  CHECK(clear->at == 299'000);
  // Terminate goes out in the expiry step, or when a read that was in
  // flight at expiry has answered.
  const test::Seen* terminate = r.first(EffectKind::kSendTerminate);
  CHECK(terminate->step >= 0);
  CHECK(terminate->at >= 299'000);
  CHECK(terminate->at <= 299'000 + r.latency_ms);
  if (terminate->at == 299'000) CHECK(terminate->step == clear->step);
  for (const test::Seen& s : r.seen)
    if (s.kind == EffectKind::kSendGetOrderAndPayments && s.at >= 299'000)
      CHECK(s.state_after == State::kConfirmingFinal);
}

TEST_CASE("Expiry with a last-second payment: PAID") {
  Runner r;
  r.gw.scan_after_ms = 296'000;  // PENDING at 296.1 s
  r.gw.settle_after_ms = 6'000;  // SUCCESS at 302.1 s, after expiry
  r.gw.termination_delay_ms = 10'000;
  r.start();
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kPaid);
}

TEST_CASE("Expiry when the gateway expired the order first: terminate refused, read, EXPIRED") {
  Runner r;
  r.start();
  r.run(1'000);
  r.gw.order_expiry_ms = 298'800;  // the gateway's clock runs ahead
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kExpired);
  CHECK(r.gw.order_status == OrderStatus::kExpired);
  CHECK(r.count(EffectKind::kSendTerminate) == 1);  // answered order_inactive
}

TEST_CASE("An earlier expiry from the gateway moves the QR's end") {
  SaleEngine e;
  (void)e.handle(0, Runner::sale(wall_at(0)));
  OrderCreated o;
  (void)o.cf_order_id.assign("1");
  (void)o.payment_session_id.assign("session_x");
  o.order_expiry_s = wall_at(0) + 100;
  const Effects fx = e.handle(100, o);
  bool rearmed = false;
  for (const Effect& f : fx)
    if (f.kind == EffectKind::kArmTimer && f.timer == TimerId::kExpiry) rearmed = f.at_ms == 99'000;
  CHECK(rearmed);
  CHECK(e.record().expiry_at_s == wall_at(0) + 100);
}

TEST_CASE("A failed or dropped attempt: terminate, confirm unpaid, then FAILED") {
  struct Case {
    PaymentStatus status;
    const char* reason;
  };
  for (const Case c : {Case{PaymentStatus::kFailed, "issuer declined"}, Case{PaymentStatus::kUserDropped, "USER_DROPPED"}}) {
    Runner r;
    r.gw.scan_after_ms = 3'000;
    r.gw.settle_after_ms = 2'000;
    r.gw.customer_result = c.status;
    r.start();
    r.run();
    require_clean(r);
    CHECK(r.outcome == Outcome::kFailed);
    CHECK(r.engine->record().reason == c.reason);
    CHECK(r.engine->record().end_cause == EndCause::kAttemptFailed);
    CHECK(r.gw.order_status == OrderStatus::kTerminated);
    // Order: the read that saw the failure clears the QR and terminates;
    // FAILED comes only after a later read saw TERMINATED.
    const test::Seen* terminate = r.first(EffectKind::kSendTerminate);
    const test::Seen* finished = r.first(EffectKind::kFinished);
    CHECK(terminate->step >= 0);
    CHECK(finished->at > terminate->at);
    CHECK(r.last(EffectKind::kShowScreen)->text == c.reason);
  }
}

TEST_CASE("Unreachable past the deadline: UNKNOWN, kept, refused new sale, resumed by recover") {
  Runner r = paying_customer();  // paid at 8.1 s, but nobody can tell
  for (int n = 1; n <= 400; ++n) {
    r.gw.faults.push_back({RequestKind::kGetStatus, n, FailureClass::kOutcomeUnknown, false});
    r.gw.faults.push_back({RequestKind::kTerminate, n, FailureClass::kOutcomeUnknown, false});
  }
  r.start();
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kUnknown);
  CHECK(r.gw.order_status == OrderStatus::kPaid);  // the truth, not yet known
  CHECK(r.now == 600'000);                         // expiry + grace
  r.finished = false;
  r.run();  // the answer still in flight arrives, and is dropped
  const SaleRecord& parked = r.engine->record();
  CHECK(parked.parked());
  CHECK(parked.state == State::kTerminating);
  CHECK(parked.outcome == Outcome::kUnknown);
  // The journal holds the parked record too.
  Result<SaleRecord> journaled = decode_record(r.journal);
  REQUIRE(journaled.ok());
  CHECK(journaled->parked());

  // A new sale must wait.
  r.deliver(Runner::sale(wall_at(r.now)));
  CHECK(r.engine->state() == State::kDone);
  CHECK(r.last(EffectKind::kShowScreen)->screen == ScreenKind::kError);

  // The network is back; `recover`.
  r.gw.faults.clear();
  r.finished = false;
  RecoverRequested recover;
  recover.wall_now_s = wall_at(r.now);
  r.deliver(recover);
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kPaid);
  CHECK(r.engine->record().utr == "412345678901");
  CHECK_FALSE(r.engine->record().parked());
}

TEST_CASE("A parked UNKNOWN sale is resumed at power-up") {
  Runner r;  // no payment
  for (int n = 1; n <= 400; ++n) {
    r.gw.faults.push_back({RequestKind::kGetStatus, n, FailureClass::kRetrySameKey, false});
    r.gw.faults.push_back({RequestKind::kTerminate, n, FailureClass::kRetrySameKey, false});
  }
  r.start();
  r.run();
  CHECK(r.outcome == Outcome::kUnknown);
  r.gw.faults.clear();
  r.reboot(60'000);
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kExpired);
}

TEST_CASE("A sale made on another gateway API is kept at power-up, not resumed there") {
  // Paid on Flowwise at 8.1 s; the power goes at 7 s with the QR up, and
  // the terminal comes back set to Cashfree PG, where the order does not exist.
  Runner r = paying_customer();
  r.gateway = GatewayApi::kFlowwise;
  r.start();
  r.run(7'000);
  REQUIRE(r.engine->record().gateway == GatewayApi::kFlowwise);
  r.power_cut();
  const int writes = r.journal_writes;
  const std::size_t before = r.seen.size();
  r.gateway = GatewayApi::kCashfreePg;
  r.reboot(5'000);
  CHECK(r.engine->state() == State::kDone);
  CHECK(r.engine->record().parked());  // in memory: no new sale over it
  REQUIRE(r.seen.size() == before + 1);  // the screen, and nothing sent, armed or written
  CHECK(r.seen.back().kind == EffectKind::kShowScreen);
  CHECK(r.seen.back().screen == ScreenKind::kError);
  CHECK(r.seen.back().text == "Gateway changed");
  CHECK(r.journal_writes == writes);
  Result<SaleRecord> journaled = decode_record(r.journal);
  REQUIRE(journaled.ok());
  CHECK(journaled->state == State::kAwaitingPayment);  // as the cut left it
  CHECK(journaled->gateway == GatewayApi::kFlowwise);

  // A new sale and recover are refused, with nothing sent.
  r.deliver(Runner::sale(wall_at(r.now)));
  CHECK(r.seen.back().text == "Last sale unresolved");
  RecoverRequested recover;
  recover.wall_now_s = wall_at(r.now);
  recover.gateway = GatewayApi::kCashfreePg;
  r.deliver(recover);
  CHECK(r.seen.back().text == "Gateway changed");
  CHECK(r.engine->state() == State::kDone);
  CHECK(r.seen.size() == before + 3);

  // Set back to Flowwise: resumed there, and the payment is found.
  r.gateway = GatewayApi::kFlowwise;
  r.reboot(1'000);
  r.run();
  require_clean(r);
  CHECK(r.outcome == Outcome::kPaid);
  CHECK(r.gw.orders_created == 1);
}

TEST_CASE("Power-up: no record, a finished record, and the wall clock judging expiry") {
  SUBCASE("no record: amount entry, nothing else") {
    SaleEngine e;
    PowerUp p;
    p.wall_now_s = wall_at(0);
    const Effects fx = e.handle(0, p);
    REQUIRE(fx.size() == 1);
    CHECK(fx[0].kind == EffectKind::kShowScreen);
    CHECK(fx[0].screen.kind == ScreenKind::kAmountEntry);
    CHECK(e.state() == State::kIdle);
  }
  SUBCASE("a finished record is kept for status; the next sale continues its sequence") {
    Runner r = paying_customer();
    r.start();
    r.run();
    const std::uint32_t sequence = r.engine->record().sequence;
    const std::size_t before = r.seen.size();
    r.reboot();
    CHECK(r.engine->state() == State::kDone);
    CHECK(r.engine->record().outcome == Outcome::kPaid);
    REQUIRE(r.seen.size() == before + 1);
    CHECK(r.seen.back().screen == ScreenKind::kAmountEntry);
    r.deliver(Runner::sale(wall_at(r.now)));
    CHECK(r.engine->state() == State::kCreatingOrder);
    CHECK(r.engine->record().sequence == sequence + 1);
  }
  SUBCASE("QR up, power back after expiry: no QR, the order is ended") {
    Runner r;
    r.start();
    r.run(10'000);
    r.power_cut();
    r.reboot(400'000);
    for (const test::Seen& s : r.seen)
      if (s.at >= 10'000) CHECK_FALSE((s.kind == EffectKind::kShowScreen && s.screen == ScreenKind::kQr));
    CHECK(r.engine->state() == State::kTerminating);
    r.run();
    require_clean(r);
    CHECK(r.outcome == Outcome::kExpired);
  }
  SUBCASE("QR up, power back in time: the same QR, and a read at once") {
    Runner r;
    r.start();
    r.run(10'000);
    r.power_cut();
    const std::size_t before = r.seen.size();
    r.reboot(5'000);
    REQUIRE(r.seen.size() > before);
    bool qr = false, read = false;
    for (std::size_t i = before; i < r.seen.size(); ++i) {
      qr |= r.seen[i].screen == ScreenKind::kQr && r.seen[i].kind == EffectKind::kShowScreen;
      read |= r.seen[i].kind == EffectKind::kSendGetOrderAndPayments;
    }
    CHECK(qr);
    CHECK(read);
    CHECK(r.engine->state() == State::kAwaitingPayment);
  }
}

TEST_CASE("A journaled record with extreme times resumes without overflow") {
  // A CRC-valid record can carry any value; the engine's time arithmetic
  // is checked by UBSan on the host.
  for (std::int64_t expiry : {INT64_MIN, std::int64_t{-1}, std::int64_t{0}, INT64_MAX}) {
    for (State s : {State::kCreatingOrder, State::kStartingPayment, State::kAwaitingPayment, State::kTerminating,
                    State::kConfirmingFinal}) {
      SaleRecord r;
      r.kind = RecordKind::kUpiQrSale;
      r.state = s;
      r.expiry_at_s = expiry;
      r.started_at_s = -(expiry / 2);
      r.amount_paise = INT64_MIN;
      r.sequence = 0xFFFFFFFFu;
      (void)r.intent.assign("upi://pay?pa=a@b");
      SaleEngine e;
      PowerUp p;
      p.record = &r;
      p.wall_now_s = wall_at(0);
      Effects fx = e.handle(0, p);
      CHECK_FALSE(fx.overflowed());
      for (const Effect& f : fx)
        if (f.kind == EffectKind::kArmTimer) {
          CHECK(f.at_ms >= 0);
          CHECK(f.at_ms <= (SaleEngine::kGraceS + 86'400) * 1000);
        }
      fx = e.handle(INT64_MAX / 2, TimerFired{TimerId::kDeadline});
      CHECK(e.state() == State::kDone);
      CHECK(e.record().parked());
    }
  }
}

TEST_CASE("Stale answers, unarmed timers and bad input change nothing") {
  SaleEngine e;
  CHECK(e.handle(0, StatusRead{}).empty());
  CHECK(e.handle(0, TimerFired{TimerId::kRequest}).empty());
  AmountEntered bad = Runner::sale(wall_at(0));
  bad.amount_paise = 50;  // under ₹1
  Effects fx = e.handle(0, bad);
  REQUIRE(fx.size() == 1);
  CHECK(fx[0].screen.kind == ScreenKind::kError);
  AmountEntered same_keys = Runner::sale(wall_at(0));
  (void)same_keys.pay_key.assign(same_keys.create_key.view());
  CHECK(e.handle(0, same_keys)[0].screen.kind == ScreenKind::kError);
  AmountEntered bad_id = Runner::sale(wall_at(0));
  (void)bad_id.order_id.assign("a b");
  CHECK(e.handle(0, bad_id)[0].screen.kind == ScreenKind::kError);
  CHECK(e.state() == State::kIdle);

  fx = e.handle(0, Runner::sale(wall_at(0)));
  CHECK(e.state() == State::kCreatingOrder);
  CHECK(e.handle(10, Runner::sale(wall_at(0))).empty());        // a sale is running
  CHECK(e.handle(10, PaymentStarted{}).empty());                // not what is in flight
  CHECK(e.handle(10, Terminated{OrderStatus::kTerminated}).empty());
  CHECK(e.handle(10, TimerFired{TimerId::kRequest}).empty());   // not armed
  CHECK(e.state() == State::kCreatingOrder);
  CHECK(e.in_flight() == RequestKind::kCreateOrder);
}
