// Card sales on the engine: native OTP (right, wrong, resent, timed out),
// the 3-D Secure page as a QR, an Order Pay that needs the card again, and
// pre-authorisation, each against the fake gateway with the runner's
// promises checked on every step.
#include <doctest/doctest.h>

#include <string>

#include "sale_sim.hpp"

using namespace posagent;
using namespace posagent::engine;
using posagent::engine::test::FakeGateway;
using posagent::engine::test::Fault;
using posagent::engine::test::Runner;

namespace {

using Flow = FakeGateway::CardFlow;

void card(Runner& r, Flow flow, std::vector<std::string> otps = {}) {
  r.card_sale = true;
  r.gw.card_flow = flow;
  r.otp_inputs = std::move(otps);
  r.gw.scan_after_ms = flow == Flow::kThreeDsPage ? 20'000 : -1;
}

std::vector<std::string> screens_of(const Runner& r, ScreenKind kind) {
  std::vector<std::string> texts;
  for (const test::Seen& s : r.seen)
    if (s.kind == EffectKind::kShowScreen && s.screen == kind) texts.push_back(s.text);
  return texts;
}

void check_clean(const Runner& r) {
  CHECK(r.violations.empty());
  if (!r.violations.empty()) MESSAGE(r.first_violation());
  CHECK(r.gw.orders_created == 1);
  CHECK(r.gw.successes <= 1);
}

}  // namespace

TEST_CASE("Native OTP, right the first time: PAID, no QR, one payment") {
  Runner r;
  card(r, Flow::kNativeOtp, {"111000"});
  r.start();
  r.run();
  check_clean(r);
  CHECK(r.result() == Outcome::kPaid);
  CHECK(r.count(EffectKind::kSendSubmitOtp) == 1);
  CHECK(screens_of(r, ScreenKind::kQr).empty());
  CHECK(screens_of(r, ScreenKind::kOtpEntry) == std::vector<std::string>{"Enter OTP"});
  CHECK(r.gw.payments_created == 1);
  CHECK(r.engine->record().card_label.view() == "VISA XXXX1111");
  CHECK(r.engine->record().intent.empty());
}

TEST_CASE("Native OTP, wrong then right: the prompt says how many are left, then PAID") {
  Runner r;
  card(r, Flow::kNativeOtp, {"123456", "654321", "111000"});
  r.start();
  r.run();
  check_clean(r);
  CHECK(r.result() == Outcome::kPaid);
  CHECK(screens_of(r, ScreenKind::kOtpEntry) ==
        std::vector<std::string>{"Enter OTP", "Wrong OTP, 2 left", "Wrong OTP, 1 left"});
  CHECK(r.gw.wrong_otps == 2);
}

TEST_CASE("Native OTP, three wrong: the gateway fails the payment, the order is ended, FAILED") {
  Runner r;
  card(r, Flow::kNativeOtp, {"000001", "000002", "000003", "111000"});
  r.start();
  r.run();
  check_clean(r);
  CHECK(r.result() == Outcome::kFailed);
  CHECK(r.count(EffectKind::kSendSubmitOtp) == 3);  // never a fourth
  CHECK(r.gw.order_status == OrderStatus::kTerminated);
  CHECK(r.engine->record().reason.view() == "issuer declined");
}

TEST_CASE("Native OTP resent twice, a third resend refused locally, then the right OTP: PAID") {
  Runner r;
  card(r, Flow::kNativeOtp, {"", "", "", "111000"});
  r.start();
  r.run();
  check_clean(r);
  CHECK(r.result() == Outcome::kPaid);
  CHECK(r.count(EffectKind::kSendResendOtp) == 2);
  CHECK(screens_of(r, ScreenKind::kOtpEntry) ==
        std::vector<std::string>{"Enter OTP", "OTP sent again", "OTP sent again", "No more resends"});
}

TEST_CASE("Native OTP never entered: the OTP times out, the order is ended, FAILED") {
  Runner r;
  card(r, Flow::kNativeOtp, {});
  r.start();
  r.run();
  check_clean(r);
  CHECK(r.result() == Outcome::kFailed);
  CHECK(r.engine->record().end_cause == EndCause::kOtpTimedOut);
  CHECK(r.engine->record().reason.view() == "OTP not entered");
  CHECK(r.gw.order_status == OrderStatus::kTerminated);
  // The timeout runs from the prompt.
  std::int64_t prompt_at = -1;
  for (const test::Seen& seen : r.seen)
    if (seen.kind == EffectKind::kShowScreen && seen.screen == ScreenKind::kOtpEntry) prompt_at = seen.at;
  CHECK(r.times_of(EffectKind::kSendTerminate).front() == prompt_at + SaleTimes{}.otp_timeout_s * 1000);
}

TEST_CASE("Cancel at the OTP prompt: the order is ended, CANCELLED") {
  Runner r;
  card(r, Flow::kNativeOtp, {});
  r.at(5'000, CancelPressed{});
  r.start();
  r.run();
  check_clean(r);
  CHECK(r.result() == Outcome::kCancelled);
  CHECK(r.count(EffectKind::kSendSubmitOtp) == 0);
}

TEST_CASE("No native OTP for the card: the 3-D Secure page is shown as a QR, the customer completes it") {
  Runner r;
  card(r, Flow::kThreeDsPage);
  r.start();
  r.run();
  check_clean(r);
  CHECK(r.result() == Outcome::kPaid);
  const std::vector<std::string> qrs = screens_of(r, ScreenKind::kQr);
  REQUIRE(qrs.size() == 1);
  CHECK(qrs[0] == "https://pg.example/pg/view/3ds/5114910603577");
  CHECK(r.count(EffectKind::kSendSubmitOtp) == 0);
}

TEST_CASE("3-D Secure abandoned by the customer: FAILED once the order is ended") {
  Runner r;
  card(r, Flow::kThreeDsPage);
  r.gw.customer_result = PaymentStatus::kUserDropped;
  r.start();
  r.run();
  check_clean(r);
  CHECK(r.result() == Outcome::kFailed);
  CHECK(r.gw.order_status == OrderStatus::kTerminated);
}

TEST_CASE("A card Order Pay that can be retried asks for the card again and goes out under a new key") {
  Runner r;
  card(r, Flow::kNativeOtp, {"111000"});
  r.cards_in_hand = 1;
  r.gw.faults.push_back({RequestKind::kOrderPay, 1, FailureClass::kRetrySameKey, false, 0, "", "Bank busy, try again"});
  r.start();
  r.run();
  check_clean(r);
  CHECK(r.result() == Outcome::kPaid);
  CHECK(r.card_reads == 1);
  CHECK(r.count(EffectKind::kSendOrderPay) == 2);
  // The first key never took effect; the second Order Pay went out under a new one.
  CHECK(r.gw.pay_keys.size() == 1);
  CHECK(r.engine->record().pay_key.view() != Runner::sale(0).pay_key.view());
  CHECK(screens_of(r, ScreenKind::kPresentCard) == std::vector<std::string>{"Bank busy, try again"});
}

TEST_CASE("A bank that keeps failing the card Order Pay: three tries, then the order is ended with the bank's line") {
  Runner r;
  card(r, Flow::kNativeOtp, {"111000"});
  r.cards_in_hand = 5;
  for (int nth = 1; nth <= 5; ++nth)
    r.gw.faults.push_back({RequestKind::kOrderPay, nth, FailureClass::kRetrySameKey, false, 0,
                           "bank_processing_failure", "Bank busy, try again"});
  r.start();
  r.run();
  check_clean(r);
  CHECK(r.result() == Outcome::kFailed);
  CHECK(r.count(EffectKind::kSendOrderPay) == SaleEngine::kMaxCardPays);
  CHECK(r.card_reads == SaleEngine::kMaxCardPays - 1);
  CHECK(r.engine->record().end_cause == EndCause::kPayRefused);
  CHECK(r.engine->record().reason.view() == "Bank busy, try again");
  CHECK(r.gw.payments_created == 0);
}

TEST_CASE("A card refused for its details: presented again it pays; not presented, the order ends FAILED") {
  const Fault invalid{RequestKind::kOrderPay, 1, FailureClass::kStop, false, 0, "card_number_invalid",
                      "Check card number", true};
  SUBCASE("presented again") {
    Runner r;
    card(r, Flow::kNativeOtp, {"111000"});
    r.cards_in_hand = 1;
    r.gw.faults.push_back(invalid);
    r.start();
    r.run();
    check_clean(r);
    CHECK(r.result() == Outcome::kPaid);
    CHECK(screens_of(r, ScreenKind::kPresentCard) == std::vector<std::string>{"Check card number"});
  }
  SUBCASE("not presented") {
    Runner r;
    card(r, Flow::kNativeOtp, {"111000"});
    r.gw.faults.push_back(invalid);
    r.start();
    r.run();
    check_clean(r);
    CHECK(r.result() == Outcome::kFailed);
    CHECK(r.engine->record().end_cause == EndCause::kCardNotPresented);
    CHECK(r.engine->record().reason.view() == "No card presented");
    CHECK(r.gw.payments_created == 0);
  }
  SUBCASE("a refusal that is not about the card's details ends the order without asking") {
    Runner r;
    card(r, Flow::kNativeOtp, {"111000"});
    r.cards_in_hand = 1;
    r.gw.faults.push_back({RequestKind::kOrderPay, 1, FailureClass::kStop, false, 0, "payment_method_unsupported",
                           "Card not supported"});
    r.start();
    r.run();
    check_clean(r);
    CHECK(r.result() == Outcome::kFailed);
    CHECK(r.card_reads == 0);
    CHECK(r.engine->record().reason.view() == "Card not supported");
  }
}

TEST_CASE("A card Order Pay whose outcome is unknown ends the order; nothing is charged") {
  Runner r;
  card(r, Flow::kNativeOtp, {"111000"});
  r.gw.faults.push_back({RequestKind::kOrderPay, 1, FailureClass::kOutcomeUnknown, true});
  r.start();
  r.run();
  check_clean(r);
  CHECK(r.result() == Outcome::kFailed);
  CHECK(r.card_reads == 0);
  CHECK(r.count(EffectKind::kSendSubmitOtp) == 0);
  CHECK(r.engine->record().reason.view() == "Card payment unclear");
}

TEST_CASE("Pre-authorisation: the order is PAID with the payment authorised only, outcome AUTHORISED") {
  Runner r;
  card(r, Flow::kNativeOtp, {"111000"});
  r.authorize_only = true;
  r.gw.preauth = true;
  r.start();
  r.run();
  check_clean(r);
  CHECK(r.result() == Outcome::kAuthorized);
  CHECK(r.engine->record().authorize_only);
}

// The index of the first effect of `kind` (a screen of `screen`) in a run.
long effect_index(const Runner& r, EffectKind kind, ScreenKind screen = ScreenKind::kAmountEntry) {
  for (std::size_t i = 0; i < r.seen.size(); ++i)
    if (r.seen[i].kind == kind && (kind != EffectKind::kShowScreen || r.seen[i].screen == screen))
      return static_cast<long>(i);
  return -1;
}

TEST_CASE("A power cut at the OTP prompt: the order is ended at power-up, and PAID still wins") {
  Runner whole;
  card(whole, Flow::kNativeOtp, {"111000"});
  whole.start();
  whole.run();
  REQUIRE(whole.result() == Outcome::kPaid);

  SUBCASE("cut with the prompt up: FAILED, terminated, the card's payment never completed") {
    Runner r;
    card(r, Flow::kNativeOtp, {"111000"});
    r.cut_at = effect_index(whole, EffectKind::kShowScreen, ScreenKind::kOtpEntry) + 1;
    r.start();
    r.run();
    REQUIRE(r.power_off);
    CHECK(r.engine->state() == State::kAwaitingOtp);
    r.otp_inputs.clear();
    r.reboot();
    r.run();
    check_clean(r);
    CHECK(r.result() == Outcome::kFailed);
    CHECK(r.engine->record().end_cause == EndCause::kInterrupted);
    CHECK(r.gw.order_status == OrderStatus::kTerminated);
  }
  SUBCASE("cut after the right OTP reached the gateway: PAID") {
    Runner r;
    card(r, Flow::kNativeOtp, {"111000"});
    r.cut_at = effect_index(whole, EffectKind::kSendSubmitOtp) + 1;
    r.start();
    r.run();
    REQUIRE(r.power_off);
    CHECK(r.gw.successes == 1);
    r.reboot();
    r.run();
    check_clean(r);
    CHECK(r.result() == Outcome::kPaid);
  }
}
