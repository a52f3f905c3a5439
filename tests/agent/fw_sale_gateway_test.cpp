// Host only: sales on Flowwise end to end in one process. agent::SaleRunner
// (the engine, the journal in memory, screens into a transcript) drives
// FlowwiseSaleGateway -> FlowwiseClient -> HttpClient -> TlsSession (the
// firmware's Mbed TLS) -> SimNetwork against the real pgsim program's
// /router, in real time; FlowwiseHoldGateway captures and voids. The
// customer acts through pgsim's side doors (admin simulate, the 3-D Secure
// page's form) over cpp-httplib.
//
// Flowwise orders end only by expiring (fw_sale_gateway.hpp): where a sale
// must end unpaid, the test moves pgsim's clock past the order's expiry
// once the engine has asked to end it, as the minutes passing would.
#include <doctest/doctest.h>

#include <httplib.h>
#include <unistd.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "core/agent/fw_hold_gateway.hpp"
#include "core/agent/fw_sale_gateway.hpp"
#include "core/agent/sale_runner.hpp"
#include "core/base/log.hpp"
#include "core/base/uuid.hpp"
#include "core/tls/tls_pool.hpp"
#include "core/tls/tls_session.hpp"
#include "firmware/sim/pgsim_launcher.hpp"
#include "hal/sim/sim_clock.hpp"
#include "hal/sim/sim_entropy.hpp"
#include "hal/sim/sim_network.hpp"
#include "tests/agent/runner_fakes.hpp"
#include "tests/gateway/gateway_pgsim_support.hpp"

using namespace posagent;
using namespace posagent::agent;
namespace fw = posagent::flowwise;
using engine::Outcome;
using engine::RequestKind;

namespace {

constexpr const char* kClientId = "pgsim_test_client_id";
constexpr const char* kClientSecret = "pgsim_test_client_secret";
constexpr std::string_view kPan = "4111111111111111";
constexpr std::string_view kCvv = "737";
// Past any order a test makes (5 minutes) and short of an attempt's limit
// (pgsim's 10 minutes), so an open attempt stays open.
constexpr long long kPastOrderExpiryMs = 6LL * 60 * 1000;

using Pgsim = gateway_pgsim::PgsimProcess;

// Real time: the runner's waits for its next timer are slept through.
class SleepingKeypad final : public hal::Input {
 public:
  explicit SleepingKeypad(hal::Clock& clock) : clock_(clock) {}
  hal::Key wait_key(hal::Millis deadline) override {
    while (clock_.monotonic_ms() < deadline) usleep(10'000);
    return hal::Key::kNone;
  }

 private:
  hal::Clock& clock_;
};

class TranscriptDisplay final : public hal::Display {
 public:
  void clear() override {}
  void text(std::uint8_t, std::string_view line) override { (transcript += line) += '\n'; }
  void bitmap(const hal::Bitmap&) override {}
  void status(std::string_view line) override { (transcript += line) += '\n'; }
  void present() override {}
  std::string transcript;
};

class TranscriptSink final : public hal::LogSink {
 public:
  void write(hal::LogLevel, std::string_view line) override { (lines += line) += '\n'; }
  std::string lines;
};

class FakeCardReader final : public hal::CardReader {
 public:
  Status read_card(card::CardData& out, hal::Millis) override {
    ++reads;
    (void)out.number.assign(kPan);
    (void)out.expiry_mm.assign("12");
    (void)out.expiry_yy.assign("30");
    (void)out.cvv.assign(kCvv);
    return Status::Ok();
  }
  int reads = 0;
};

// The customer acts when the terminal first reads the payment's status, so
// the engine has seen it open.
class Customer final : public SaleObserver {
 public:
  enum class Action { kNothing, kPay, kDecline };
  explicit Customer(const Pgsim& pgsim) : pgsim_(pgsim) {}
  void on_qr_shown(const engine::SaleRecord& record) override {
    ++qr_shown;
    payment_id = std::string(record.cf_payment_id.view());
    qr = std::string(record.intent.view());
    card = record.is_card();
  }
  void on_status(const engine::StatusRead&, std::uint32_t check) override {
    if (check != 1 || action == Action::kNothing) return;
    if (card) {
      // pgsim's 3-D Secure page: the sandbox OTP pays, Cancel drops.
      const std::string form = action == Action::kPay ? "decision=submit&otp=111000" : "decision=cancel";
      answered = pgsim_.three_ds(qr, form);
    } else {
      answered = pgsim_.simulate_flowwise(payment_id, action == Action::kPay ? "SUCCESS" : "FAILED") ? 200 : 0;
    }
  }
  Action action = Action::kPay;
  int qr_shown = 0;
  int answered = 0;
  std::string payment_id, qr;
  bool card = false;

 private:
  const Pgsim& pgsim_;
};

// The gateway under test, each request recorded. With expire_on_terminate,
// pgsim's clock passes the order's expiry once the engine asks to end it.
class RecordingGateway final : public SaleGateway {
 public:
  RecordingGateway(SaleGateway& inner, const Pgsim& pgsim) : inner_(inner), pgsim_(pgsim) {}
  engine::Event send(RequestKind request, const engine::SaleRecord& record, const SaleSecrets& secrets) override {
    sent.push_back(request);
    engine::Event answer = inner_.send(request, record, secrets);
    answers.push_back(engine::kind_of(answer));
    if (const auto* t = std::get_if<engine::Terminated>(&answer)) terminated_as.push_back(t->order_status);
    if (request == RequestKind::kTerminate && expire_on_terminate) CHECK(pgsim_.advance_clock(kPastOrderExpiryMs));
    return answer;
  }
  engine::GatewayApi api() const override { return inner_.api(); }
  std::vector<RequestKind> sent;
  std::vector<engine::EventKind> answers;
  std::vector<engine::OrderStatus> terminated_as;
  bool expire_on_terminate = false;

 private:
  SaleGateway& inner_;
  const Pgsim& pgsim_;
};

fw::FlowwiseBuffers<> g_buffers;

// A terminal on Flowwise: the product's stack and a runner, over pgsim.
struct Terminal {
  explicit Terminal(const Pgsim& pgsim, engine::SaleTimes times = {}) : pgsim_(pgsim), customer(pgsim) {
    json_init();
    REQUIRE(tls::pool_init(clock).ok());
    (void)config.base_url.assign(pgsim.origin() + "/router");
    (void)config.client_id.assign(kClientId);
    (void)config.client_secret.assign(kClientSecret);
    const std::vector<std::uint8_t> ca = pgsim.ca_pem();
    REQUIRE(session.init({"localhost", pgsim.port(), ca}).ok());
    (void)defaults.customer_id.assign("walkin");
    (void)defaults.customer_phone.assign("9876543210");
    (void)defaults.terminal_tag.assign("T-FW-0001");
    (void)defaults.order_note.assign("Counter 3 sale");
    settings.times = times;
    (void)settings.order_prefix.assign("FWT");
    (void)settings.payee.assign("posagent demo store");
  }

  SaleRunner& runner() {
    if (!runner_) {
      RunnerParts parts{clock, storage, display, keypad, entropy, recording};
      parts.card_reader = &reader;
      runner_.emplace(parts, settings, &log, &customer);
    }
    return *runner_;
  }
  std::string key() {
    const Result<FixedString<kUuidTextLength>> u = make_uuid_v4(entropy);
    REQUIRE(u.ok());
    return std::string(u->view());
  }
  bool asked(RequestKind request) const {
    return std::find(recording.sent.begin(), recording.sent.end(), request) != recording.sent.end();
  }
  // The journal as last written, as text, for the hygiene checks.
  std::string journal() const {
    const auto it = storage.records.find(hal::RecordId::kJournal);
    return it == storage.records.end() ? std::string() : std::string(it->second.begin(), it->second.end());
  }

  const Pgsim& pgsim_;
  hal::sim::SimClock clock;
  hal::sim::SimEntropy entropy;
  hal::sim::SimNetwork network{clock};
  tls::TlsSession session{network, clock, entropy};
  http::HttpClient http{session};
  fw::FlowwiseConfig config;
  fw::FlowwiseClient client{http, clock, entropy, config, g_buffers};
  OrderDefaults defaults;
  TranscriptSink sink;
  Logger log{sink, hal::LogLevel::kDebug};
  FlowwiseSaleGateway gateway{client, defaults, &log};
  FlowwiseHoldGateway holds{client, &log};
  RecordingGateway recording{gateway, pgsim_};
  agent::test::MemoryStorage storage;
  TranscriptDisplay display;
  SleepingKeypad keypad{clock};
  FakeCardReader reader;
  Customer customer;
  RunnerSettings settings;
  std::optional<SaleRunner> runner_;
};

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// `digits` as a number of its own in text (not inside a longer run, such as
// a 12-digit UTR that happens to hold the same three digits).
bool has_number(std::string_view text, std::string_view digits) {
  for (std::size_t at = text.find(digits); at != std::string_view::npos; at = text.find(digits, at + 1)) {
    const bool left = at == 0 || text[at - 1] < '0' || text[at - 1] > '9';
    const std::size_t end = at + digits.size();
    const bool right = end == text.size() || text[end] < '0' || text[end] > '9';
    if (left && right) return true;
  }
  return false;
}

bool buffers_hold(std::string_view text) {
#if defined(__SANITIZE_ADDRESS__)
  ASAN_UNPOISON_MEMORY_REGION(&g_buffers, sizeof(g_buffers));  // the JSON arena poisons what it does not use
#endif
  const auto* bytes = reinterpret_cast<const char*>(&g_buffers);
  return std::string_view(bytes, sizeof(g_buffers)).find(text) != std::string_view::npos;
}

// The card's number and CVV are nowhere the terminal keeps or shows things.
void check_card_hygiene(const Terminal& t) {
  CHECK(t.sink.lines.find(kPan) == std::string::npos);
  CHECK_FALSE(has_number(t.sink.lines, kCvv));
  CHECK(t.display.transcript.find(kPan) == std::string::npos);
  CHECK_FALSE(has_number(t.display.transcript, kCvv));
  CHECK(t.journal().find(kPan) == std::string::npos);
  CHECK_FALSE(buffers_hold(kPan));
  CHECK_FALSE(buffers_hold(R"("card_cvv")"));
}

engine::SaleRecord created_record(Terminal& t, std::string_view order_id) {
  engine::SaleRecord r;
  r.kind = engine::RecordKind::kCardSale;
  r.amount_paise = 49900;
  (void)r.order_id.assign(order_id);
  (void)r.create_key.assign(t.key());
  (void)r.pay_key.assign(t.key());
  r.started_at_s = t.clock.unix_seconds();
  r.expiry_at_s = r.started_at_s + 300;
  const engine::Event e = t.gateway.send(RequestKind::kCreateOrder, r, {});
  const auto* created = std::get_if<engine::OrderCreated>(&e);
  REQUIRE(created != nullptr);
  (void)r.payment_session_id.assign(created->payment_session_id.view());
  return r;
}

}  // namespace

TEST_CASE("UPI sale on Flowwise: the router's intent as the QR, the customer pays, PAID with the UTR") {
  Pgsim pgsim;
  REQUIRE(pgsim.ok());
  Terminal t(pgsim);
  const Result<Outcome> sale = t.runner().sell(49900);
  INFO(t.sink.lines);
  REQUIRE(sale.ok());
  CHECK(*sale == Outcome::kPaid);
  const engine::SaleRecord& r = t.runner().record();
  CHECK(r.utr.size() == 12);
  CHECK(all_digits(r.utr.view()));
  CHECK(r.payment_session_id.size() == 32);  // the order_hash, kept where PG keeps the session
  CHECK(r.intent.view().starts_with("upi://pay?"));
  CHECK(r.intent.view().find("am=499.00") != std::string_view::npos);
  CHECK(r.intent.view().find("tr=" + t.customer.payment_id) != std::string_view::npos);
  CHECK(t.customer.qr_shown == 1);
  CHECK(t.customer.answered == 200);
  REQUIRE(t.recording.sent.size() >= 3);
  CHECK(t.recording.sent[0] == RequestKind::kCreateOrder);
  CHECK(t.recording.sent[1] == RequestKind::kOrderPay);
  CHECK(t.recording.sent.back() == RequestKind::kGetStatus);
  CHECK_FALSE(t.asked(RequestKind::kTerminate));

  // The order as the router has it: the terminal's tag and the sale's kind,
  // auto capture, expiring in 5 minutes.
  const std::string state = pgsim.state();
  CHECK(state.find(R"("terminal_id":"T-FW-0001")") != std::string::npos);
  CHECK(state.find(R"("sale":"upi_qr")") != std::string::npos);
  CHECK(state.find(R"("capture":"manual")") == std::string::npos);
  CHECK(state.find(t.customer.payment_id) != std::string::npos);
  // The journal's last word: PAID.
  const std::string journal = t.journal();
  const Result<engine::SaleRecord> journaled =
      engine::decode_record({reinterpret_cast<const std::uint8_t*>(journal.data()), journal.size()});
  REQUIRE(journaled.ok());
  CHECK(journaled->outcome == Outcome::kPaid);
}

TEST_CASE("Card sale on Flowwise: the 3-D Secure page as the QR, the customer verifies there, PAID") {
  Pgsim pgsim;
  REQUIRE(pgsim.ok());
  Terminal t(pgsim);
  const Result<Outcome> sale = t.runner().sell_card(49900);
  INFO(t.sink.lines);
  REQUIRE(sale.ok());
  CHECK(*sale == Outcome::kPaid);
  const engine::SaleRecord& r = t.runner().record();
  CHECK(r.card_label == "VISA XXXX1111");
  CHECK(r.intent == pgsim.origin() + "/router/view/3ds/" + t.customer.payment_id);
  CHECK(t.customer.answered == 303);
  CHECK(r.utr.size() == 12);
  CHECK(t.reader.reads == 1);
  CHECK_FALSE(t.asked(RequestKind::kSubmitOtp));  // Flowwise: no native OTP
  CHECK(pgsim.state().find(R"("sale":"card")") != std::string::npos);
  check_card_hygiene(t);
  CHECK(pgsim.state().find(kPan) == std::string::npos);
}

TEST_CASE("Card left on the 3-D Secure page: the attempt drops; the sale ends FAILED only once the order expired") {
  Pgsim pgsim({"--attempt-ttl-ms", "1500"});
  REQUIRE(pgsim.ok());
  Terminal t(pgsim);
  t.customer.action = Customer::Action::kNothing;
  t.recording.expire_on_terminate = true;
  const Result<Outcome> sale = t.runner().sell_card(49900);
  INFO(t.sink.lines);
  REQUIRE(sale.ok());
  CHECK(*sale == Outcome::kFailed);
  // Terminate read the order still ACTIVE and said so; the end came from a
  // status read of the expired order, after it.
  REQUIRE(t.recording.terminated_as.size() == 1);
  CHECK(t.recording.terminated_as[0] == engine::OrderStatus::kActive);
  CHECK(t.recording.sent.back() == RequestKind::kGetStatus);
  const engine::SaleRecord& r = t.runner().record();
  CHECK(r.last_order_status == engine::OrderStatus::kExpired);
  CHECK(r.last_payment_status == engine::PaymentStatus::kUserDropped);
  CHECK(r.end_cause == engine::EndCause::kAttemptFailed);
  check_card_hygiene(t);
}

TEST_CASE("Cancelled on the 3-D Secure page: dropped, then FAILED once the router's order expired") {
  Pgsim pgsim;
  REQUIRE(pgsim.ok());
  Terminal t(pgsim);
  t.customer.action = Customer::Action::kDecline;
  t.recording.expire_on_terminate = true;
  const Result<Outcome> sale = t.runner().sell_card(12550);
  INFO(t.sink.lines);
  REQUIRE(sale.ok());
  CHECK(*sale == Outcome::kFailed);
  CHECK(t.customer.answered == 303);
  CHECK(t.runner().record().last_payment_status == engine::PaymentStatus::kUserDropped);
  check_card_hygiene(t);
}

TEST_CASE("A declined UPI payment while the order can still be paid: UNKNOWN at the deadline, never FAILED; "
          "recover settles it once the order has expired") {
  Pgsim pgsim;
  REQUIRE(pgsim.ok());
  engine::SaleTimes brief;
  brief.order_lifetime_s = 10;  // the router still keeps it 5 minutes
  brief.grace_s = 5;
  brief.resume_window_s = 10;
  Terminal t(pgsim, brief);
  t.customer.action = Customer::Action::kDecline;
  const Result<Outcome> sale = t.runner().sell(7500);
  INFO(t.sink.lines);
  REQUIRE(sale.ok());
  CHECK(*sale == Outcome::kUnknown);
  CHECK(t.asked(RequestKind::kTerminate));
  CHECK(t.runner().record().parked());
  CHECK(t.runner().record().last_order_status == engine::OrderStatus::kActive);
  // The payment could not succeed any more, but a new one on the ACTIVE
  // order could: nothing final was claimed.
  CHECK(pgsim.state().find(R"("status":"ACTIVE")") != std::string::npos);

  REQUIRE(pgsim.advance_clock(kPastOrderExpiryMs));
  const Result<Outcome> recovered = t.runner().recover();
  REQUIRE(recovered.ok());
  CHECK(*recovered == Outcome::kFailed);
  CHECK(t.runner().record().last_order_status == engine::OrderStatus::kExpired);
}

TEST_CASE("The gateway's answers to each request, one send() at a time") {
  Pgsim pgsim;
  REQUIRE(pgsim.ok());
  Terminal t(pgsim);

  SUBCASE("a card number the router refuses asks for the card again; the next card pays") {
    engine::SaleRecord r = created_record(t, "FW-REFUSED-1");
    card::CardData bad;
    (void)bad.number.assign("4111111111111112");  // fails the router's Luhn check
    (void)bad.expiry_mm.assign("12");
    (void)bad.expiry_yy.assign("30");
    (void)bad.cvv.assign(kCvv);
    const engine::Event refused = t.gateway.send(RequestKind::kOrderPay, r, {&bad, {}});
    const auto* f = std::get_if<engine::RequestFailed>(&refused);
    REQUIRE(f != nullptr);
    CHECK(f->request == RequestKind::kOrderPay);
    CHECK(f->failure == engine::FailureClass::kStop);
    CHECK(f->card_reentry);
    CHECK(f->code == "card_number_invalid");
    CHECK(f->reason == "Check card number");

    // As the engine does: a fresh key with the card read again.
    (void)r.pay_key.assign(t.key());
    card::CardData good;
    (void)good.number.assign(kPan);
    (void)good.expiry_mm.assign("12");
    (void)good.expiry_yy.assign("30");
    (void)good.cvv.assign(kCvv);
    const engine::Event started = t.gateway.send(RequestKind::kOrderPay, r, {&good, {}});
    const auto* p = std::get_if<engine::PaymentStarted>(&started);
    REQUIRE(p != nullptr);
    CHECK_FALSE(p->needs_otp);
    CHECK(p->intent.view().starts_with(pgsim.origin() + "/router/view/3ds/"));
    CHECK(t.sink.lines.find("4111111111111112") == std::string::npos);
    check_card_hygiene(t);
  }
  SUBCASE("no card: presented again, nothing sent") {
    const engine::SaleRecord r = created_record(t, "FW-NOCARD-1");
    const engine::Event e = t.gateway.send(RequestKind::kOrderPay, r, {});
    const auto* f = std::get_if<engine::RequestFailed>(&e);
    REQUIRE(f != nullptr);
    CHECK(f->card_reentry);
    CHECK(f->code == "card_missing");
    CHECK(pgsim.state().find("/router/order/pay/") == std::string::npos);  // no Create Payment came
  }
  SUBCASE("OTP requests are refused for good") {
    const engine::SaleRecord r = created_record(t, "FW-OTP-1");
    for (const RequestKind otp : {RequestKind::kSubmitOtp, RequestKind::kResendOtp}) {
      const engine::Event e = t.gateway.send(otp, r, {nullptr, "111000"});
      const auto* f = std::get_if<engine::RequestFailed>(&e);
      REQUIRE(f != nullptr);
      CHECK(f->failure == engine::FailureClass::kStop);
      CHECK(f->code == "otp_unsupported");
    }
  }
  SUBCASE("the same create key replays the order; a paid order refuses a payment as order_inactive") {
    engine::SaleRecord r = created_record(t, "FW-REPLAY-1");
    const engine::Event again = t.gateway.send(RequestKind::kCreateOrder, r, {});
    const auto* o = std::get_if<engine::OrderCreated>(&again);
    REQUIRE(o != nullptr);
    CHECK(o->payment_session_id == r.payment_session_id.view());
    CHECK(o->order_expiry_s > r.expiry_at_s - 5);  // the router's 5 minutes, not earlier than ours

    r.kind = engine::RecordKind::kUpiQrSale;
    const engine::Event started = t.gateway.send(RequestKind::kOrderPay, r, {});
    const auto* p = std::get_if<engine::PaymentStarted>(&started);
    REQUIRE(p != nullptr);
    REQUIRE(pgsim.simulate_flowwise(p->cf_payment_id.view(), "SUCCESS"));
    (void)r.pay_key.assign(t.key());
    const engine::Event late = t.gateway.send(RequestKind::kOrderPay, r, {});
    const auto* f = std::get_if<engine::RequestFailed>(&late);
    REQUIRE(f != nullptr);
    CHECK(f->code == "order_inactive");
    // Terminate reads it: PAID.
    const engine::Event ended = t.gateway.send(RequestKind::kTerminate, r, {});
    const auto* term = std::get_if<engine::Terminated>(&ended);
    REQUIRE(term != nullptr);
    CHECK(term->order_status == engine::OrderStatus::kPaid);
  }
}

TEST_CASE("Pre-authorisation on Flowwise: the order asks for manual capture and the sale ends AUTHORISED; "
          "then the hold is read, captured once, and a second capture is refused") {
  Pgsim pgsim;
  REQUIRE(pgsim.ok());
  Terminal t(pgsim);
  const Result<Outcome> sale = t.runner().sell_card(49900, /*authorize_only=*/true);
  INFO(t.sink.lines);
  REQUIRE(sale.ok());
  CHECK(*sale == Outcome::kAuthorized);
  const std::string state = pgsim.state();
  CHECK(state.find(R"("capture":"manual")") != std::string::npos);
  CHECK(state.find(R"("sale":"card_preauth")") != std::string::npos);
  check_card_hygiene(t);

  const std::string order_id(t.runner().record().order_id.view());
  const HoldAnswer read = t.holds.read_hold(order_id);
  const auto* held = std::get_if<Hold>(&read);
  REQUIRE(held != nullptr);
  CHECK(held->status == HoldStatus::kHeld);
  CHECK(held->payment_id == t.customer.payment_id);
  CHECK(held->authorized_paise == 49900);

  const std::string key = t.key();
  const HoldAnswer captured = t.holds.authorize(order_id, *held, HoldAction::kCapture, 49900, key);
  const auto* c = std::get_if<Hold>(&captured);
  REQUIRE(c != nullptr);
  CHECK(c->status == HoldStatus::kCaptured);
  CHECK(c->captured_paise == 49900);
  // A lost answer retried with the same key: the same capture, not a refusal.
  const HoldAnswer replayed = t.holds.authorize(order_id, *held, HoldAction::kCapture, 49900, key);
  REQUIRE(std::holds_alternative<Hold>(replayed));
  CHECK(std::get<Hold>(replayed).status == HoldStatus::kCaptured);

  const HoldAnswer twice = t.holds.authorize(order_id, *held, HoldAction::kCapture, 49900, t.key());
  const auto* refused = std::get_if<engine::RequestFailed>(&twice);
  REQUIRE(refused != nullptr);
  CHECK(refused->request == RequestKind::kNone);
  CHECK(refused->failure == engine::FailureClass::kStop);
  CHECK(refused->code == "payment_already_captured");
  CHECK(refused->reason == "Already captured");
  const HoldAnswer void_after = t.holds.authorize(order_id, *held, HoldAction::kVoid, 0, t.key());
  REQUIRE(std::holds_alternative<engine::RequestFailed>(void_after));
  CHECK(std::get<engine::RequestFailed>(void_after).code == "payment_already_captured");

  const HoldAnswer after = t.holds.read_hold(order_id);
  REQUIRE(std::holds_alternative<Hold>(after));
  CHECK(std::get<Hold>(after).status == HoldStatus::kCaptured);
  CHECK(std::get<Hold>(after).captured_paise == 49900);
}

TEST_CASE("Holds on Flowwise: partial capture, void, and the refusals after them, with the router's codes") {
  Pgsim pgsim;
  REQUIRE(pgsim.ok());
  Terminal t(pgsim);
  // An authorised payment on a manual-capture order, made directly.
  const auto authorised = [&](std::string_view order_id) {
    fw::FwCreateOrderRequest o;
    o.order_id = order_id;
    o.amount_paise = 49900;
    o.manual_capture = true;
    const fw::FlowwiseResult<fw::FwOrder> order = t.client.create_order(o, t.key());
    REQUIRE(order.ok());
    fw::FwUpiPaymentRequest pay;
    pay.order_hash = order->order_hash.view();
    const fw::FlowwiseResult<fw::FwPayment> p = t.client.create_upi_payment(pay, t.key());
    REQUIRE(p.ok());
    REQUIRE(pgsim.simulate_flowwise(p->payment_id.view(), "SUCCESS"));
    const HoldAnswer read = t.holds.read_hold(order_id);
    REQUIRE(std::holds_alternative<Hold>(read));
    REQUIRE(std::get<Hold>(read).status == HoldStatus::kHeld);
    return std::get<Hold>(read);
  };
  const auto code_of = [](const HoldAnswer& a) {
    const auto* f = std::get_if<engine::RequestFailed>(&a);
    return f != nullptr ? std::string(f->code.view()) : std::string("(answered)");
  };

  SUBCASE("partial capture: captured in part, the rest released; no second capture") {
    const Hold h = authorised("FW-HOLD-PART");
    const HoldAnswer part = t.holds.authorize("FW-HOLD-PART", h, HoldAction::kCapture, 20050, t.key());
    REQUIRE(std::holds_alternative<Hold>(part));
    CHECK(std::get<Hold>(part).status == HoldStatus::kCaptured);
    CHECK(std::get<Hold>(part).captured_paise == 20050);
    CHECK(std::get<Hold>(part).authorized_paise == 49900);
    CHECK(code_of(t.holds.authorize("FW-HOLD-PART", h, HoldAction::kCapture, 29850, t.key())) ==
          "payment_already_captured");
  }
  SUBCASE("void: released; capture after void and a second void refused") {
    const Hold h = authorised("FW-HOLD-VOID");
    const HoldAnswer voided = t.holds.authorize("FW-HOLD-VOID", h, HoldAction::kVoid, 49900, t.key());
    REQUIRE(std::holds_alternative<Hold>(voided));
    CHECK(std::get<Hold>(voided).status == HoldStatus::kVoided);
    CHECK(std::get<Hold>(voided).captured_paise == 0);
    const HoldAnswer late = t.holds.authorize("FW-HOLD-VOID", h, HoldAction::kCapture, 49900, t.key());
    CHECK(code_of(late) == "payment_already_voided");
    CHECK(std::get<engine::RequestFailed>(late).reason == "Already voided");
    CHECK(code_of(t.holds.authorize("FW-HOLD-VOID", h, HoldAction::kVoid, 0, t.key())) == "payment_already_voided");
    const HoldAnswer read = t.holds.read_hold("FW-HOLD-VOID");
    REQUIRE(std::holds_alternative<Hold>(read));
    CHECK(std::get<Hold>(read).status == HoldStatus::kVoided);
  }
  SUBCASE("more than authorised, an order with no hold, an unknown order, a hold never read") {
    const Hold h = authorised("FW-HOLD-OVER");
    CHECK(code_of(t.holds.authorize("FW-HOLD-OVER", h, HoldAction::kCapture, 50000, t.key())) ==
          "capture_amount_invalid");

    fw::FwCreateOrderRequest o;
    o.order_id = "FW-HOLD-NONE";
    o.amount_paise = 10000;
    REQUIRE(t.client.create_order(o, t.key()).ok());
    const HoldAnswer none = t.holds.read_hold("FW-HOLD-NONE");
    REQUIRE(std::holds_alternative<Hold>(none));
    CHECK(std::get<Hold>(none).status == HoldStatus::kNone);

    const HoldAnswer unknown = t.holds.read_hold("FW-NO-SUCH");
    CHECK(code_of(unknown) == "order_not_found");
    CHECK(std::get<engine::RequestFailed>(unknown).failure == engine::FailureClass::kStop);

    CHECK(code_of(t.holds.authorize("FW-HOLD-OVER", Hold{}, HoldAction::kVoid, 0, t.key())) ==
          "payment_id_missing");
  }
}
