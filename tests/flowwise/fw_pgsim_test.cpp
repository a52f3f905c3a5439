// Host only: FlowwiseClient over the product stack (SimNetwork -> TlsSession
// with the firmware's Mbed TLS configuration -> HttpClient) against the real
// pgsim program's /router. The customer's side (pgsim's 3-D Secure page, its
// admin simulate) goes through cpp-httplib, as a test's side channel.
//
// pgsim is started per test case on a free port with a fresh data dir, by
// posagent-sim's launcher. Mbed TLS 2.28 does not match IP SANs, so the
// client dials "localhost".
#include <doctest/doctest.h>

#include <httplib.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/base/uuid.hpp"
#include "core/card/card_data.hpp"
#include "core/flowwise/fw_client.hpp"
#include "core/http/http_client.hpp"
#include "core/tls/tls_pool.hpp"
#include "core/tls/tls_session.hpp"
#include "firmware/sim/pgsim_launcher.hpp"
#include "fw_test_support.hpp"
#include "hal/sim/sim_clock.hpp"
#include "hal/sim/sim_entropy.hpp"
#include "hal/sim/sim_network.hpp"
#include "tests/gateway/gateway_pgsim_support.hpp"

using namespace posagent;
using namespace posagent::flowwise;
using gateway::ErrorOrigin;

namespace {

constexpr const char* kClientId = "pgsim_test_client_id";
constexpr const char* kClientSecret = "pgsim_test_client_secret";

using Pgsim = gateway_pgsim::PgsimProcess;

FlowwiseBuffers<> g_buffers;
card::CardData g_card;

// The product's client stack, pointed at pgsim's /router.
struct Stack {
  hal::sim::SimClock clock;
  hal::sim::SimEntropy entropy;
  hal::sim::SimNetwork network{clock};
  tls::TlsSession session{network, clock, entropy};
  http::HttpClient http{session};
  FlowwiseConfig config;
  FlowwiseClient fw{http, clock, entropy, config, g_buffers};

  Status init(const Pgsim& pgsim) {
    json_init();
    POSAGENT_TRY(tls::pool_init(clock));
    const std::string base = pgsim.origin() + "/router";
    (void)config.base_url.assign(base);
    (void)config.client_id.assign(kClientId);
    (void)config.client_secret.assign(kClientSecret);
    const std::vector<std::uint8_t> ca = pgsim.ca_pem();
    return session.init({"localhost", pgsim.port(), ca});
  }

  std::string key() {
    const Result<FixedString<kUuidTextLength>> u = make_uuid_v4(entropy);
    REQUIRE(u.ok());
    return std::string(u->view());
  }

  FwOrder order(std::string_view order_id, std::int64_t paise = 49900, bool manual = false) {
    FwCreateOrderRequest o;
    o.order_id = order_id;
    o.amount_paise = paise;
    o.customer.customer_id = "walkin-1";
    o.customer.customer_phone = "+919876543210";
    o.terminal_id = "T-0001";
    o.order_note = "Counter 3 sale";
    o.manual_capture = manual;
    const FlowwiseResult<FwOrder> r = fw.create_order(o, key());
    REQUIRE(r.ok());
    return *r;
  }

  FwPayment intent(const FwOrder& order) {
    FwUpiPaymentRequest pay;
    pay.order_hash = order.order_hash.view();
    const FlowwiseResult<FwPayment> r = fw.create_upi_payment(pay, key());
    REQUIRE(r.ok());
    return *r;
  }

  FlowwiseResult<FwPayment> card(const FwOrder& order) {
    g_card.wipe();
    (void)g_card.number.assign("4111111111111111");
    (void)g_card.expiry_mm.assign("12");
    (void)g_card.expiry_yy.assign("49");
    (void)g_card.cvv.assign("123");
    (void)g_card.holder_name.assign("PRIYA SHARMA");
    FlowwiseResult<FwPayment> r = fw.create_card_payment({order.order_hash.view(), ""}, g_card, key());
    g_card.wipe();  // as the runner does, once the call returns
    return r;
  }

  // A new order and its open UPI intent.
  FwPayment order_with_intent(std::string_view order_id, bool manual) { return intent(order(order_id, 49900, manual)); }
};

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

TEST_CASE("Create order keeps the order_hash; get order gives it back; the same key replays it") {
  Pgsim pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());

  FwCreateOrderRequest o;
  o.order_id = "FW-ORDER-1";
  o.amount_paise = 49950;
  o.customer.customer_phone = "9876543210";
  o.terminal_id = "T-0001";
  o.expiry_minutes = 30;
  const std::string key = s.key();
  const FlowwiseResult<FwOrder> created = s.fw.create_order(o, key);
  REQUIRE(created.ok());
  CHECK(created->order_id == "FW-ORDER-1");
  CHECK(created->order_status == FwOrderStatus::kActive);
  CHECK(created->order_amount_paise == 49950);
  CHECK(created->order_hash.size() == 32);
  REQUIRE(created->order_expiry_time.has_value());
  CHECK(created->order_expiry_time->offset_minutes() == 0);  // UTC, as Flowwise writes it
  CHECK_FALSE(created.info().replayed);

  const FlowwiseResult<FwOrder> got = s.fw.get_order("FW-ORDER-1");
  REQUIRE(got.ok());
  CHECK(got->order_hash == created->order_hash.view());
  CHECK(*got->order_expiry_time == *created->order_expiry_time);

  const FlowwiseResult<FwOrder> replay = s.fw.create_order(o, key);
  REQUIRE(replay.ok());
  CHECK(replay.info().replayed);
  CHECK(replay->order_hash == created->order_hash.view());

  const FlowwiseResult<FwOrder> taken = s.fw.create_order(o, s.key());
  REQUIRE_FALSE(taken.ok());
  CHECK(taken.error().http_status == 409);
  CHECK(taken.error().code == "order_already_exists");
  CHECK(taken.error().retry == RetryDecision::kStop);

  const FlowwiseResult<FwOrder> missing = s.fw.get_order("FW-NO-SUCH");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().http_status == 404);
  CHECK(std::string_view(missing.error().screen_message) == "Order not found");

  // pgsim saw our request ids, keys, and the terminal in the order's tags.
  const std::string state = pgsim.state();
  CHECK(state.find(std::string(created.info().request_id.view())) != std::string::npos);
  CHECK(state.find(key) != std::string::npos);
  CHECK(state.find(R"("terminal_id":"T-0001")") != std::string::npos);
}

TEST_CASE("UPI intent, then a simulated success: payment SUCCESS and CAPTURED, order PAID") {
  Pgsim pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  const FwOrder order = s.order("FW-UPI-1");
  const FwPayment pay = s.intent(order);
  CHECK(pay.payment_status == FwPaymentStatus::kInitiated);
  CHECK(pay.payment_method == FwPaymentMethod::kUpi);
  CHECK(pay.payment_amount_paise == 49900);
  CHECK(pay.payload.view().starts_with("upi://pay?"));
  CHECK(pay.payload.view().find("am=499.00") != std::string_view::npos);
  CHECK(pay.payload.view().find(pay.payment_id.view()) != std::string_view::npos);  // tr
  CHECK(pay.redirect_url.view().starts_with(pgsim.origin() + "/router/view/pay/"));
  CHECK(pay.capture_status == FwCaptureStatus::kNone);

  REQUIRE(pgsim.simulate_flowwise(pay.payment_id.view(), "SUCCESS"));

  const FlowwiseResult<FwPayment> done = s.fw.get_payment(pay.payment_id.view());
  REQUIRE(done.ok());
  CHECK(done->payment_status == FwPaymentStatus::kSuccess);
  CHECK(done->capture_status == FwCaptureStatus::kCaptured);
  CHECK(done->capture_amount_paise == 49900);
  CHECK(done->utr.size() == 12);
  CHECK(all_digits(done->utr.view()));
  CHECK(done->processor_ref == pay.processor_ref.view());
  const FlowwiseResult<FwOrder> paid = s.fw.get_order("FW-UPI-1");
  REQUIRE(paid.ok());
  CHECK(paid->order_status == FwOrderStatus::kPaid);

  // A paid order takes no more payments.
  FwUpiPaymentRequest again;
  again.order_hash = order.order_hash.view();
  const FlowwiseResult<FwPayment> refused = s.fw.create_upi_payment(again, s.key());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().http_status == 404);
  CHECK(refused.error().code == "order_not_found");
  CHECK(refused.error().retry == RetryDecision::kStop);
  CHECK(std::string_view(refused.error().screen_message) == "Order not active");
}

TEST_CASE("UPI collect to the sandbox's success VPA settles by itself") {
  Pgsim pgsim({"--collect-settle-ms", "200"});
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  const FwOrder order = s.order("FW-COLLECT-1");
  FwUpiPaymentRequest collect;
  collect.order_hash = order.order_hash.view();
  collect.flow = FwUpiFlow::kCollect;
  collect.upi_id = "testsuccess@gocash";
  const FlowwiseResult<FwPayment> pay = s.fw.create_upi_payment(collect, s.key());
  REQUIRE(pay.ok());
  CHECK(pay->payment_status == FwPaymentStatus::kPending);
  FwPaymentStatus status = pay->payment_status;
  for (int i = 0; i < 50 && status == FwPaymentStatus::kPending; ++i) {
    usleep(100'000);
    const FlowwiseResult<FwPayment> p = s.fw.get_payment(pay->payment_id.view());
    REQUIRE(p.ok());
    status = p->payment_status;
  }
  CHECK(status == FwPaymentStatus::kSuccess);
}

TEST_CASE("Card: REDIRECTED to pgsim's 3-D Secure page, completed there; no card byte left in the buffers") {
  Pgsim pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());

  SUBCASE("the page's form with the sandbox OTP: SUCCESS") {
    const FwOrder order = s.order("FW-CARD-1");
    const FlowwiseResult<FwPayment> pay = s.card(order);
    REQUIRE(pay.ok());
    CHECK(pay->payment_status == FwPaymentStatus::kRedirected);
    CHECK(pay->payment_method == FwPaymentMethod::kCard);
    CHECK(pay->redirect_url == pgsim.origin() + "/router/view/3ds/" + std::string(pay->payment_id.view()));
    CHECK(pay->payload.empty());

    // The card went over TLS and left nothing behind in our buffers.
    const std::span<const std::uint8_t> all = fw_test::readable(&g_buffers, sizeof(g_buffers));
    CHECK_FALSE(fw_test::contains(all, "4111111111111111"));
    CHECK_FALSE(fw_test::contains(all, R"("card_cvv":)"));
    CHECK_FALSE(fw_test::contains(all, "PRIYA SHARMA"));

    CHECK(pgsim.three_ds(pay->redirect_url.view(), "decision=submit&otp=111000") == 303);
    const FlowwiseResult<FwPayment> done = s.fw.get_payment(pay->payment_id.view());
    REQUIRE(done.ok());
    CHECK(done->payment_status == FwPaymentStatus::kSuccess);
    CHECK(done->capture_status == FwCaptureStatus::kCaptured);
    CHECK(done->capture_amount_paise == 49900);
    CHECK(done->auth_id.view().starts_with("AUTH_"));
    CHECK(done->utr.size() == 12);
    const FlowwiseResult<FwOrder> paid = s.fw.get_order("FW-CARD-1");
    REQUIRE(paid.ok());
    CHECK(paid->order_status == FwOrderStatus::kPaid);
    // pgsim keeps the card masked only; the full number never reached its state.
    CHECK(pgsim.state().find("4111111111111111") == std::string::npos);
  }
  SUBCASE("a wrong OTP: FAILED, AUTHENTICATION_FAILED") {
    const FwOrder order = s.order("FW-CARD-2");
    const FlowwiseResult<FwPayment> pay = s.card(order);
    REQUIRE(pay.ok());
    CHECK(pgsim.three_ds(pay->redirect_url.view(), "decision=submit&otp=000000") == 303);
    const FlowwiseResult<FwPayment> done = s.fw.get_payment(pay->payment_id.view());
    REQUIRE(done.ok());
    CHECK(done->payment_status == FwPaymentStatus::kFailed);
    CHECK(done->error_code == "AUTHENTICATION_FAILED");
    CHECK(done->capture_status == FwCaptureStatus::kNone);
  }
  SUBCASE("decided by pgsim's admin simulate instead") {
    const FwOrder order = s.order("FW-CARD-3");
    const FlowwiseResult<FwPayment> pay = s.card(order);
    REQUIRE(pay.ok());
    REQUIRE(pgsim.simulate_flowwise(pay->payment_id.view(), "SUCCESS"));
    const FlowwiseResult<FwPayment> done = s.fw.get_payment(pay->payment_id.view());
    REQUIRE(done.ok());
    CHECK(done->payment_status == FwPaymentStatus::kSuccess);
  }
  SUBCASE("a card number the router refuses") {
    const FwOrder order = s.order("FW-CARD-4");
    g_card.wipe();
    (void)g_card.number.assign("4111111111111112");  // Luhn fails: the router's check
    (void)g_card.expiry_mm.assign("12");
    (void)g_card.expiry_yy.assign("49");
    (void)g_card.cvv.assign("123");
    const FlowwiseResult<FwPayment> r = s.fw.create_card_payment({order.order_hash.view(), ""}, g_card, s.key());
    g_card.wipe();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().http_status == 400);
    CHECK(r.error().code == "card_number_invalid");
    CHECK(r.error().retry == RetryDecision::kStop);
    CHECK(std::string_view(r.error().screen_message) == "Check card number");
  }
}

TEST_CASE("Manual capture: full, partial, void; a second capture and the other refusals") {
  Pgsim pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  auto authorised = [&](std::string_view order_id) {
    const FwPayment p = s.order_with_intent(order_id, true);
    REQUIRE(pgsim.simulate_flowwise(p.payment_id.view(), "SUCCESS"));
    const FlowwiseResult<FwPayment> got = s.fw.get_payment(p.payment_id.view());
    REQUIRE(got.ok());
    CHECK(got->payment_status == FwPaymentStatus::kSuccess);
    CHECK(got->capture_status == FwCaptureStatus::kAuthorised);
    CHECK(got->capture_amount_paise == 0);
    return p;
  };
  auto authorize = [&](const FwPayment& p, FwAuthorizeAction action, std::int64_t paise) {
    return s.fw.authorize({p.order_id.view(), p.payment_id.view(), action, paise}, s.key());
  };

  SUBCASE("CAPTURE in full, then a second capture and a void refused") {
    const FwPayment p = authorised("FW-CAP-FULL");
    const FlowwiseResult<FwPayment> captured = authorize(p, FwAuthorizeAction::kCapture, 49900);
    REQUIRE(captured.ok());
    CHECK(captured->capture_status == FwCaptureStatus::kCaptured);
    CHECK(captured->capture_amount_paise == 49900);
    CHECK(captured->payment_status == FwPaymentStatus::kSuccess);

    const FlowwiseResult<FwPayment> twice = authorize(p, FwAuthorizeAction::kCapture, 49900);
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().origin == ErrorOrigin::kGateway);
    CHECK(twice.error().http_status == 400);
    CHECK(twice.error().code == "payment_already_captured");
    CHECK(twice.error().retry == RetryDecision::kStop);
    CHECK(std::string_view(twice.error().screen_message) == "Already captured");

    const FlowwiseResult<FwPayment> void_after = authorize(p, FwAuthorizeAction::kVoid, 0);
    REQUIRE_FALSE(void_after.ok());
    CHECK(void_after.error().code == "payment_already_captured");
    CHECK(void_after.error().retry == RetryDecision::kStop);
  }
  SUBCASE("CAPTURE part: the rest is released") {
    const FwPayment p = authorised("FW-CAP-PART");
    const FlowwiseResult<FwPayment> captured = authorize(p, FwAuthorizeAction::kCapture, 20050);
    REQUIRE(captured.ok());
    CHECK(captured->capture_status == FwCaptureStatus::kCaptured);
    CHECK(captured->capture_amount_paise == 20050);
    CHECK(captured->payment_amount_paise == 49900);
    const FlowwiseResult<FwPayment> read = s.fw.get_payment(p.payment_id.view());
    REQUIRE(read.ok());
    CHECK(read->capture_amount_paise == 20050);
  }
  SUBCASE("VOID, then a capture refused") {
    const FwPayment p = authorised("FW-VOID-1");
    const FlowwiseResult<FwPayment> voided = authorize(p, FwAuthorizeAction::kVoid, 0);
    REQUIRE(voided.ok());
    CHECK(voided->capture_status == FwCaptureStatus::kVoided);
    CHECK(voided->capture_amount_paise == 0);
    CHECK(voided->payment_status == FwPaymentStatus::kSuccess);  // a void leaves the payment SUCCESS
    const FlowwiseResult<FwPayment> late = authorize(p, FwAuthorizeAction::kCapture, 49900);
    REQUIRE_FALSE(late.ok());
    CHECK(late.error().code == "payment_already_voided");
    CHECK(std::string_view(late.error().screen_message) == "Already voided");
    const FlowwiseResult<FwPayment> again = authorize(p, FwAuthorizeAction::kVoid, 0);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "payment_already_voided");
  }
  SUBCASE("more than authorised, and a payment not yet authorised") {
    const FwPayment p = authorised("FW-CAP-OVER");
    const FlowwiseResult<FwPayment> over = authorize(p, FwAuthorizeAction::kCapture, 50000);
    REQUIRE_FALSE(over.ok());
    CHECK(over.error().code == "capture_amount_invalid");
    CHECK(std::string_view(over.error().screen_message) == "Check capture amount");

    const FwPayment open = s.order_with_intent("FW-CAP-OPEN", true);
    const FlowwiseResult<FwPayment> early = authorize(open, FwAuthorizeAction::kCapture, 49900);
    REQUIRE_FALSE(early.ok());
    CHECK(early.error().code == "payment_not_authorised");
    CHECK(early.error().retry == RetryDecision::kStop);
  }
}

TEST_CASE("Get payments lists every payment of the order, in order") {
  Pgsim pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  const FwOrder order = s.order("FW-LIST-1");
  const FwPayment declined = s.intent(order);
  REQUIRE(pgsim.simulate_flowwise(declined.payment_id.view(), "FAILED"));
  const FlowwiseResult<FwPayment> dropped = s.card(order);
  REQUIRE(dropped.ok());
  CHECK(pgsim.three_ds(dropped->redirect_url.view(), "decision=cancel") == 303);
  const FwPayment success = s.intent(order);
  REQUIRE(pgsim.simulate_flowwise(success.payment_id.view(), "SUCCESS"));

  const FlowwiseResult<FwPaymentList> list = s.fw.get_payments("FW-LIST-1");
  REQUIRE(list.ok());
  REQUIRE(list->count == 3);
  CHECK(list->payments[0].payment_id == declined.payment_id.view());
  CHECK(list->payments[0].payment_status == FwPaymentStatus::kFailed);
  CHECK(list->payments[0].error_code == "TRANSACTION_DECLINED");
  CHECK(list->payments[1].payment_id == dropped->payment_id.view());
  CHECK(list->payments[1].payment_status == FwPaymentStatus::kUserDropped);
  CHECK(list->payments[1].payment_method == FwPaymentMethod::kCard);
  CHECK(list->payments[2].payment_id == success.payment_id.view());
  REQUIRE(list->success() != nullptr);
  CHECK(list->success()->payment_id == success.payment_id.view());
  CHECK(g_buffers.arena().peak() < kDefaultArenaBytes);
}

TEST_CASE("A create payment whose answer was lost: outcome unknown; get payments tells what happened") {
  Pgsim pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  const FwOrder order = s.order("FW-DROP-1");
  REQUIRE(pgsim.fault(R"({"path":"/router/order/pay/)" + std::string(order.order_hash.view()) +
                      R"(","action":"drop","act":true})"));
  FwUpiPaymentRequest pay;
  pay.order_hash = order.order_hash.view();
  const std::string key = s.key();
  const FlowwiseResult<FwPayment> lost = s.fw.create_upi_payment(pay, key);
  REQUIRE_FALSE(lost.ok());
  CHECK(lost.error().origin == ErrorOrigin::kTransport);
  CHECK(lost.error().retry == RetryDecision::kOutcomeUnknown);
  const FlowwiseResult<FwPaymentList> list = s.fw.get_payments("FW-DROP-1");
  REQUIRE(list.ok());
  REQUIRE(list->count == 1);
  // The same key replays the payment pgsim made, not a second one.
  const FlowwiseResult<FwPayment> replay = s.fw.create_upi_payment(pay, key);
  REQUIRE(replay.ok());
  CHECK(replay.info().replayed);
  CHECK(replay->payment_id == list->payments[0].payment_id.view());
}

TEST_CASE("Wrong credentials: 401, stop, check settings") {
  Pgsim pgsim;
  REQUIRE(pgsim.ok());
  Stack s;
  REQUIRE(s.init(pgsim).ok());
  (void)s.config.client_secret.assign("wrong_secret");
  const FlowwiseResult<FwOrder> r = s.fw.get_order("FW-ANY-1");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().http_status == 401);
  CHECK(r.error().type == "authentication_error");
  CHECK(r.error().retry == RetryDecision::kStop);
  CHECK(std::string_view(r.error().screen_message) == "Check settings");
}
