// Capture and void of a pre-authorised payment through HoldRunner, over a
// fake gateway that keeps idempotency keys like Cashfree: full and partial
// capture, void, refusals before anything is sent, a capture never done
// twice (locally, at the gateway, after a lost answer, after a power cut),
// and capture after void refused. Also the hold record's codec.
#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <string>

#include "core/agent/hold_runner.hpp"
#include "core/engine/hold_record.hpp"
#include "tests/agent/runner_fakes.hpp"
#include "tests/screens/recording_display.hpp"

using namespace posagent;
using namespace posagent::agent;
using engine::FailureClass;
using engine::HoldAction;
using engine::HoldRecord;
using engine::HoldResult;
using engine::HoldStep;
using engine::RequestFailed;
using posagent::agent::test::MemoryStorage;
using posagent::agent::test::ScriptedKeypad;

namespace {

constexpr std::string_view kOrder = "SIM1-261123T101010-ab12";
constexpr std::int64_t kHeld = 150'000;  // ₹1,500.00

// Cashfree's pre-authorisation as the fake keeps it: one hold per order,
// CAPTURE (<= the hold) or VOID once; the same key replays its first
// answer; a second action under another key is 409 (same action) or 400
// (the other one).
class FakeHoldGateway final : public HoldGateway {
 public:
  struct Fault {
    FailureClass failure;
    bool acts = false;  // the gateway acted, the answer was lost
  };

  engine::GatewayApi api() const override { return api_is; }
  HoldAnswer read_hold(std::string_view order_id) override {
    ++reads;
    if (!read_faults.empty()) {
      const FailureClass f = read_faults.front();
      read_faults.erase(read_faults.begin());
      return failure(f, "", "Network error");
    }
    if (order_id != kOrder) return failure(FailureClass::kStop, "order_not_found", "Order not found");
    return hold;
  }

  HoldAnswer authorize(std::string_view order_id, const Hold&, HoldAction action, std::int64_t amount,
                       std::string_view key) override {
    ++calls;
    if (on_authorize) on_authorize();
    std::optional<Fault> fault;
    if (!faults.empty()) {
      fault = faults.front();
      faults.erase(faults.begin());
      if (!fault->acts) return failure(fault->failure, "", "Network error");  // never reached the gateway
    }
    if (!remember_keys) replays.clear();
    if (!refuse_with.empty()) return failure(FailureClass::kStop, refuse_with, "Refused");
    HoldAnswer answer;
    if (const auto it = replays.find(std::string(key)); it != replays.end()) {
      ++replayed;
      answer = it->second;
    } else {
      answer = act(order_id, action, amount);
      replays[std::string(key)] = answer;
    }
    if (fault) return failure(fault->failure, "", "Network error");  // acted, the answer lost
    return answer;
  }

  Hold hold{HoldStatus::kHeld, engine::CfId("5114917039"), kHeld, 0};
  int reads = 0;
  engine::GatewayApi api_is = engine::GatewayApi::kCashfreePg;
  int calls = 0;
  int captures = 0;  // how many times money was actually captured
  int replayed = 0;
  bool remember_keys = true;
  std::string refuse_with;  // authorize refuses with this code (the hold changed since it was read)
  std::vector<Fault> faults;
  std::vector<FailureClass> read_faults;
  std::function<void()> on_authorize;

 private:
  std::map<std::string, HoldAnswer> replays;  // key -> its first answer

  static RequestFailed failure(FailureClass f, std::string_view code, std::string_view reason) {
    RequestFailed r;
    r.failure = f;
    (void)r.code.assign(code);
    (void)r.reason.assign(reason);
    return r;
  }
  HoldAnswer act(std::string_view order_id, HoldAction action, std::int64_t amount) {
    if (order_id != kOrder) return failure(FailureClass::kStop, "authorization_not_found", "Not found");
    const bool capture = action == HoldAction::kCapture;
    if (hold.status == HoldStatus::kCaptured)
      return capture ? failure(FailureClass::kStop, "payment_already_captured", "Already captured")
                     : failure(FailureClass::kStop, "payment_already_captured", "Already captured");
    if (hold.status == HoldStatus::kVoided)
      return failure(FailureClass::kStop, "payment_already_voided", "Already voided");
    if (capture && (amount <= 0 || amount > hold.authorized_paise))
      return failure(FailureClass::kStop, "amount_invalid", "Check amount");
    if (capture) {
      hold.status = HoldStatus::kCaptured;
      hold.captured_paise = amount;
      ++captures;
    } else {
      hold.status = HoldStatus::kVoided;
    }
    return hold;
  }
};

struct Terminal {
  posagent::test::FakeClock clock;
  ScriptedKeypad keypad{clock};
  MemoryStorage storage;
  posagent::test::RecordingDisplay display;
  posagent::test::SeededEntropy entropy;
  FakeHoldGateway gateway;

  HoldRunner runner(const HoldSettings& settings = {}) {
    return HoldRunner(HoldParts{clock, storage, display, keypad, entropy, gateway}, settings);
  }
  Result<HoldRecord> capture(std::optional<std::int64_t> amount = std::nullopt) {
    return runner().run({HoldAction::kCapture, kOrder, amount});
  }
  Result<HoldRecord> void_hold() { return runner().run({HoldAction::kVoid, kOrder, std::nullopt}); }
  std::optional<HoldRecord> journal() { return runner().last_record(); }
};

}  // namespace

TEST_CASE("hold record: encodes to a fixed size and decodes back; damage is refused") {
  HoldRecord r;
  r.action = HoldAction::kCapture;
  r.step = HoldStep::kDone;
  r.result = HoldResult::kCaptured;
  r.sends = 2;
  r.sequence = 7;
  r.amount_paise = 50'000;
  r.authorized_paise = kHeld;
  r.captured_paise = 50'000;
  r.started_at_s = 1'790'000'000;
  (void)r.order_id.assign(kOrder);
  (void)r.key.assign("9f0c1c2e-3b4a-4d5e-8f60-718293a4b5c6");
  (void)r.payment_id.assign("5114917039");
  (void)r.reason.assign("Confirmed by gateway");
  std::uint8_t bytes[engine::kHoldRecordSize];
  const Result<std::size_t> n = engine::encode_hold(r, bytes);
  REQUIRE(n.ok());
  CHECK(*n == engine::kHoldRecordSize);
  const Result<HoldRecord> back = engine::decode_hold({bytes, *n});
  REQUIRE(back.ok());
  CHECK(back->action == HoldAction::kCapture);
  CHECK(back->result == HoldResult::kCaptured);
  CHECK(back->sends == 2);
  CHECK(back->captured_paise == 50'000);
  CHECK(back->order_id.view() == kOrder);
  CHECK(back->key.view() == r.key.view());
  CHECK(back->reason.view() == "Confirmed by gateway");
  CHECK(back->gateway == engine::GatewayApi::kCashfreePg);
  CHECK(bytes[5] == 0);  // records from before the gateway byte read as Cashfree PG
  r.gateway = engine::GatewayApi::kFlowwise;
  REQUIRE(engine::encode_hold(r, bytes).ok());
  CHECK(bytes[5] == 1);
  CHECK(engine::decode_hold({bytes, *n})->gateway == engine::GatewayApi::kFlowwise);
  r.gateway = static_cast<engine::GatewayApi>(engine::kGatewayApiCount);
  CHECK(engine::encode_hold(r, bytes).status().code() == Code::kInvalidArgument);
  r.gateway = engine::GatewayApi::kCashfreePg;
  REQUIRE(engine::encode_hold(r, bytes).ok());
  for (std::size_t i = 0; i < *n; i += 7) {
    std::uint8_t damaged[engine::kHoldRecordSize];
    std::copy(bytes, bytes + *n, damaged);
    damaged[i] ^= 0x01;
    CHECK_FALSE(engine::decode_hold({damaged, *n}).ok());
  }
  CHECK_FALSE(engine::decode_hold({bytes, *n - 1}).ok());
}

TEST_CASE("full capture: the whole hold, journaled with its key before the request") {
  Terminal t;
  std::optional<HoldRecord> before_send;
  t.gateway.on_authorize = [&] { before_send = t.journal(); };
  const Result<HoldRecord> r = t.capture();
  REQUIRE(r.ok());
  CHECK(r->result == HoldResult::kCaptured);
  CHECK(r->captured_paise == kHeld);
  CHECK(r->step == HoldStep::kDone);
  REQUIRE(before_send.has_value());
  CHECK(before_send->step == HoldStep::kSending);
  CHECK(before_send->key.view() == r->key.view());
  CHECK(r->key.size() == engine::kKeyLength);
  CHECK(t.journal()->result == HoldResult::kCaptured);
  CHECK(t.gateway.captures == 1);
  CHECK(t.display.row(0) == "CAPTURED");
  CHECK(t.display.row(1) == "Rs 1,500.00");
}

TEST_CASE("partial capture: the amount asked for; above the hold is refused before sending") {
  Terminal t;
  SUBCASE("part") {
    const Result<HoldRecord> r = t.capture(50'000);
    REQUIRE(r.ok());
    CHECK(r->result == HoldResult::kCaptured);
    CHECK(r->captured_paise == 50'000);
    CHECK(t.gateway.hold.captured_paise == 50'000);
  }
  SUBCASE("above the hold") {
    const Result<HoldRecord> r = t.capture(kHeld + 1);
    REQUIRE(r.ok());
    CHECK(r->result == HoldResult::kRefused);
    CHECK(r->reason.view() == "Amount above hold");
    CHECK(t.gateway.calls == 0);
    CHECK_FALSE(t.journal().has_value());
  }
  SUBCASE("zero") {
    const Result<HoldRecord> r = t.capture(0);
    REQUIRE(r.ok());
    CHECK(r->result == HoldResult::kRefused);
    CHECK(t.gateway.reads == 0);
  }
}

TEST_CASE("void: the hold released; then a capture is refused locally, without asking the gateway") {
  Terminal t;
  const Result<HoldRecord> v = t.void_hold();
  REQUIRE(v.ok());
  CHECK(v->result == HoldResult::kVoided);
  CHECK(t.display.row(0) == "VOIDED");
  const int reads = t.gateway.reads;
  const Result<HoldRecord> c = t.capture();
  REQUIRE(c.ok());
  CHECK(c->result == HoldResult::kRefused);
  CHECK(c->reason.view() == "Voided: cannot capture");
  CHECK(t.gateway.reads == reads);
  CHECK(t.gateway.calls == 1);
  CHECK(t.gateway.captures == 0);
  CHECK(t.display.row(1) == "Voided: cannot");
}

TEST_CASE("capture after a void done elsewhere: the hold is read, refused, nothing sent") {
  Terminal t;
  t.gateway.hold.status = HoldStatus::kVoided;
  const Result<HoldRecord> c = t.capture();
  REQUIRE(c.ok());
  CHECK(c->result == HoldResult::kRefused);
  CHECK(c->reason.view() == "Voided: cannot capture");
  CHECK(t.gateway.calls == 0);
}

TEST_CASE("a void racing our capture: the gateway's 400 is a clear refusal") {
  Terminal t;
  t.gateway.on_authorize = [&] {
    if (t.gateway.calls == 1) t.gateway.hold.status = HoldStatus::kVoided;  // voided between read and send
  };
  const Result<HoldRecord> c = t.capture();
  REQUIRE(c.ok());
  CHECK(c->result == HoldResult::kRefused);
  CHECK(c->reason.view() == "Voided: cannot capture");
  CHECK(c->code.view() == "payment_already_voided");
  CHECK(t.gateway.captures == 0);
}

TEST_CASE("double capture prevented: locally, and at the gateway for another terminal") {
  Terminal t;
  REQUIRE(t.capture()->result == HoldResult::kCaptured);
  SUBCASE("same terminal: refused from the journal, no request") {
    const int calls = t.gateway.calls;
    const Result<HoldRecord> again = t.capture();
    CHECK(again->result == HoldResult::kRefused);
    CHECK(again->reason.view() == "Already captured");
    CHECK(t.gateway.calls == calls);
  }
  SUBCASE("another terminal (empty journal): the hold reads captured, no request") {
    t.storage.records.clear();
    const int calls = t.gateway.calls;
    const Result<HoldRecord> again = t.capture();
    CHECK(again->result == HoldResult::kRefused);
    CHECK(again->reason.view() == "Already captured");
    CHECK(t.gateway.calls == calls);
  }
  CHECK(t.gateway.captures == 1);
}

TEST_CASE("an answer lost after the capture landed: retried under the same key, replayed, captured once") {
  Terminal t;
  t.gateway.faults.push_back({FailureClass::kOutcomeUnknown, true});
  const Result<HoldRecord> r = t.capture();
  REQUIRE(r.ok());
  CHECK(r->result == HoldResult::kCaptured);
  CHECK(t.gateway.calls == 2);
  CHECK(t.gateway.replayed == 1);
  CHECK(t.gateway.captures == 1);
  CHECK(r->sends == 2);
}

TEST_CASE("a power cut after the capture went out: at power-up it is finished under its key, once") {
  Terminal t;
  MemoryStorage at_cut;
  // The cut: the request reached the gateway, nothing came back; flash holds
  // what it held when the request left.
  t.gateway.on_authorize = [&] {
    if (t.gateway.calls == 1) at_cut.records = t.storage.records;
  };
  t.gateway.faults.push_back({FailureClass::kOutcomeUnknown, true});
  (void)t.capture();
  t.storage.records = at_cut.records;
  REQUIRE(t.journal()->step == HoldStep::kSending);
  const engine::IdempotencyKey key_at_cut = t.journal()->key;
  const int replayed_before = t.gateway.replayed;

  SUBCASE("recover") {
    const Result<HoldRecord> r = t.runner().recover();
    REQUIRE(r.ok());
    CHECK(r->result == HoldResult::kCaptured);
    CHECK(r->captured_paise == kHeld);
  }
  SUBCASE("the cashier asks for the capture again: the journaled one is finished, not a new one") {
    const Result<HoldRecord> r = t.capture();
    REQUIRE(r.ok());
    CHECK(r->result == HoldResult::kCaptured);
    CHECK(r->key.view() == key_at_cut.view());
    CHECK(t.gateway.replayed == replayed_before + 1);
  }
  SUBCASE("the gateway has forgotten the key: its 409 is read back and confirmed") {
    t.gateway.remember_keys = false;
    const Result<HoldRecord> r = t.runner().recover();
    REQUIRE(r.ok());
    CHECK(r->result == HoldResult::kCaptured);
    CHECK(r->reason.view() == "Confirmed by gateway");
  }
  CHECK(t.gateway.captures == 1);
  CHECK(t.journal()->step == HoldStep::kDone);
  CHECK_FALSE(t.runner().recover().ok());  // nothing left to recover
}

TEST_CASE("an unfinished capture sent to one gateway API is not resumed through another") {
  Terminal t;
  t.gateway.api_is = engine::GatewayApi::kFlowwise;
  MemoryStorage at_cut;
  t.gateway.on_authorize = [&] {
    if (t.gateway.calls == 1) at_cut.records = t.storage.records;
  };
  t.gateway.faults.push_back({FailureClass::kOutcomeUnknown, true});
  (void)t.capture();
  t.storage.records = at_cut.records;
  REQUIRE(t.journal()->step == HoldStep::kSending);
  CHECK(t.journal()->gateway == engine::GatewayApi::kFlowwise);

  // The terminal now set to Cashfree PG: refused, nothing read or sent, the
  // record kept as it was.
  t.gateway.api_is = engine::GatewayApi::kCashfreePg;
  const int reads = t.gateway.reads, calls = t.gateway.calls;
  const std::vector<std::uint8_t> bytes = t.storage.records[hal::RecordId::kHold];
  const Result<HoldRecord> recovered = t.runner().recover();
  CHECK(recovered.status().code() == Code::kUnavailable);
  CHECK(t.display.row(0) == "Error");
  CHECK(t.display.row(1) == "Gateway changed");
  const Result<HoldRecord> again = t.void_hold();
  REQUIRE(again.ok());
  CHECK(again->result == HoldResult::kRefused);
  CHECK(again->reason.view() == "Gateway changed");
  CHECK(t.gateway.reads == reads);
  CHECK(t.gateway.calls == calls);
  CHECK(t.storage.records[hal::RecordId::kHold] == bytes);

  // Back on Flowwise: finished under its key, captured once.
  t.gateway.api_is = engine::GatewayApi::kFlowwise;
  const Result<HoldRecord> r = t.runner().recover();
  REQUIRE(r.ok());
  CHECK(r->result == HoldResult::kCaptured);
  CHECK(t.gateway.captures == 1);
}

TEST_CASE("the gateway's refusals of a capture, Cashfree PG's codes and Flowwise's, in the cashier's words") {
  const std::pair<const char*, const char*> cases[] = {
      {"authorization_not_found", "Not pre-authorised"}, {"payment_not_authorised", "Not pre-authorised"},
      {"amount_invalid", "Amount above hold"},           {"capture_amount_invalid", "Amount above hold"},
      {"authorization_expired", "Authorisation expired"}, {"something_new", "Refused"},
  };
  for (const auto& [code, line] : cases) {
    CAPTURE(code);
    Terminal t;
    t.gateway.refuse_with = code;
    const Result<HoldRecord> r = t.capture();
    REQUIRE(r.ok());
    CHECK(r->result == HoldResult::kRefused);
    CHECK(r->reason.view() == line);
    CHECK(r->code.view() == code);
    CHECK(t.journal()->step == HoldStep::kDone);  // refused for good: nothing left to recover
    CHECK(t.gateway.captures == 0);
  }
}

TEST_CASE("no answer before the deadline: UNKNOWN, the record kept for recover") {
  Terminal t;
  for (int i = 0; i < 40; ++i) t.gateway.faults.push_back({FailureClass::kOutcomeUnknown, i == 0});
  const Result<HoldRecord> r = t.runner(HoldSettings{20'000, 3}).run({HoldAction::kCapture, kOrder, std::nullopt});
  REQUIRE(r.ok());
  CHECK(r->result == HoldResult::kUnknown);
  CHECK(t.journal()->step == HoldStep::kSending);
  CHECK(t.display.row(0) == "Result unknown");
  t.gateway.faults.clear();
  const Result<HoldRecord> later = t.runner().recover();
  REQUIRE(later.ok());
  CHECK(later->result == HoldResult::kCaptured);
  CHECK(t.gateway.captures == 1);
}

TEST_CASE("a gateway that never took the request: refused at the deadline, nothing to recover") {
  Terminal t;
  for (int i = 0; i < 40; ++i) t.gateway.faults.push_back({FailureClass::kRetrySameKey, false});
  const Result<HoldRecord> r = t.runner(HoldSettings{20'000, 3}).run({HoldAction::kCapture, kOrder, std::nullopt});
  REQUIRE(r.ok());
  CHECK(r->result == HoldResult::kRefused);
  CHECK(r->reason.view() == "Gateway unreachable");
  CHECK(t.journal()->step == HoldStep::kDone);
  CHECK(t.gateway.captures == 0);
}

TEST_CASE("refusals before anything is sent: no hold, unknown order, journal write failed") {
  Terminal t;
  SUBCASE("not pre-authorised") {
    t.gateway.hold.status = HoldStatus::kNone;
    const Result<HoldRecord> r = t.capture();
    CHECK(r->reason.view() == "Not pre-authorised");
  }
  SUBCASE("unknown order") {
    const Result<HoldRecord> r = t.runner().run({HoldAction::kCapture, "SIM1-NOSUCH", std::nullopt});
    CHECK(r->reason.view() == "Order not found");
  }
  SUBCASE("the journal cannot be written") {
    t.storage.fail_writes = 1;
    const Result<HoldRecord> r = t.capture();
    CHECK_FALSE(r.ok());
  }
  CHECK(t.gateway.calls == 0);
}
