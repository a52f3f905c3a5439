// The runner over fakes on one simulated clock: effects carried out in
// order, requests only after their journal write is durable, timers and the
// cancel key, screens, refusals, and a power cut after every request.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "core/agent/sale_runner.hpp"
#include "core/engine/journal_codec.hpp"
#include "tests/agent/runner_fakes.hpp"
#include "tests/screens/recording_display.hpp"

using namespace posagent;
using namespace posagent::agent;
using namespace posagent::agent::test;
using engine::Outcome;
using engine::RequestKind;

namespace {

// One terminal: clock, keypad, storage, display, entropy and the gateway.
struct Terminal {
  posagent::test::FakeClock clock{kWall0};
  ScriptedKeypad keypad{clock};
  MemoryStorage storage;
  posagent::test::RecordingDisplay display;
  posagent::test::SeededEntropy entropy;
  FakeSaleGateway gateway{clock};
  RunnerSettings settings;
  std::optional<SaleRunner> runner;

  Terminal() {
    gateway.storage = &storage;
    (void)settings.order_prefix.assign("T-01/A");  // '/' is dropped
    (void)settings.payee.assign("Chai Point");
  }
  SaleRunner& boot() {
    runner.emplace(RunnerParts{clock, storage, display, keypad, entropy, gateway}, settings);
    return *runner;
  }
  std::optional<engine::SaleRecord> journal() {
    const auto it = storage.records.find(hal::RecordId::kJournal);
    if (it == storage.records.end()) return std::nullopt;
    Result<engine::SaleRecord> r = engine::decode_record(it->second);
    if (!r.ok()) return std::nullopt;
    return *r;
  }
};

bool is_change(RequestKind k) { return k != RequestKind::kGetStatus; }

}  // namespace

TEST_CASE("A sale the customer pays: PAID with the UTR, journaled before every change, QR then result") {
  Terminal t;
  t.gateway.gw.scan_after_ms = 6'000;
  SaleRunner& runner = t.boot();
  const PowerUpReport boot = runner.power_up();
  CHECK(boot.journal.ok());
  CHECK_FALSE(boot.resumed);

  const Result<Outcome> sale = runner.sell(engine::test::kAmount);
  REQUIRE(sale.ok());
  CHECK(*sale == Outcome::kPaid);
  CHECK(t.gateway.gw.orders_created == 1);
  CHECK(t.gateway.gw.payments_created == 1);
  CHECK(t.gateway.gw.successes == 1);

  // The record: finished, paid, the UTR kept, and durable.
  const std::optional<engine::SaleRecord> journaled = t.journal();
  REQUIRE(journaled.has_value());
  CHECK(*journaled == runner.record());
  CHECK(journaled->state == engine::State::kDone);
  CHECK(journaled->outcome == Outcome::kPaid);
  CHECK(journaled->utr == "412345678901");

  // Order id: the sanitised prefix, local time, 4 hex digits; keys distinct.
  const std::string id(journaled->order_id.view());
  CHECK(id.rfind("T-01A-", 0) == 0);
  CHECK(id.size() == std::string("T-01A-").size() + 13 + 1 + 4);
  CHECK(id[12] == 'T');
  CHECK(journaled->create_key.size() == 36);
  CHECK(journaled->create_key.view() != journaled->pay_key.view());

  // Every request that changes something went out after a journal write
  // that was not there before the previous request.
  REQUIRE(t.gateway.sent.size() >= 3);
  int last_writes = 0;
  for (std::size_t i = 0; i < t.gateway.sent.size(); ++i) {
    if (is_change(t.gateway.sent[i])) CHECK(t.gateway.journal_writes_before[i] > last_writes);
    last_writes = t.gateway.journal_writes_before[i];
  }

  // The result is on screen; the QR was drawn and counted down meanwhile.
  CHECK(t.display.row(0) == "PAID");
  CHECK(t.display.row(1) == "Rs 499.00");
  CHECK(t.display.row(2) == "UTR 412345678901");
  CHECK(t.display.calls().bitmap >= 1);
  CHECK(t.display.calls().status >= 5);  // the time left, about once a second for ~7 s
  CHECK(t.display.overlong() == 0);
}

TEST_CASE("Cancel while the QR is up terminates the order: CANCELLED once the gateway confirms") {
  Terminal t;
  t.keypad.cancel_at_ms = 10'000;
  SaleRunner& runner = t.boot();
  (void)runner.power_up();
  const Result<Outcome> sale = runner.sell(engine::test::kAmount);
  REQUIRE(sale.ok());
  CHECK(*sale == Outcome::kCancelled);
  CHECK(t.gateway.gw.order_status == engine::OrderStatus::kTerminated);
  CHECK(t.gateway.gw.count(RequestKind::kTerminate) >= 1);
  CHECK(t.display.row(0) == "CANCELLED");
  CHECK(t.clock.monotonic_ms() >= 10'000);
}

TEST_CASE("A payment that lands while cancelling is reported PAID") {
  Terminal t;
  t.gateway.gw.scan_after_ms = 8'000;
  t.gateway.gw.settle_after_ms = 2'500;      // at the bank when cancel is pressed
  t.gateway.gw.termination_delay_ms = 5'000;  // the success lands first
  t.keypad.cancel_at_ms = 9'000;
  SaleRunner& runner = t.boot();
  (void)runner.power_up();
  const Result<Outcome> sale = runner.sell(engine::test::kAmount);
  REQUIRE(sale.ok());
  CHECK(*sale == Outcome::kPaid);
  CHECK(t.gateway.gw.count(RequestKind::kTerminate) == 1);
  CHECK(t.display.row(0) == "PAID");
}

TEST_CASE("An unpaid QR expires: the order is terminated and the sale is EXPIRED, the QR gone in time") {
  Terminal t;
  t.settings.times.order_lifetime_s = 20;
  SaleRunner& runner = t.boot();
  (void)runner.power_up();
  const Result<Outcome> sale = runner.sell(engine::test::kAmount);
  REQUIRE(sale.ok());
  CHECK(*sale == Outcome::kExpired);
  CHECK(t.journal()->expiry_at_s == kWall0 + 20);
  CHECK(t.gateway.gw.order_status == engine::OrderStatus::kTerminated);
  CHECK(t.display.row(0) == "EXPIRED");
}

TEST_CASE("A journal write that fails holds its request back until a write succeeds") {
  Terminal t;
  t.gateway.gw.scan_after_ms = 3'000;
  t.storage.fail_writes = 2;  // the first create's record, and its first retry
  SaleRunner& runner = t.boot();
  (void)runner.power_up();
  const Result<Outcome> sale = runner.sell(engine::test::kAmount);
  REQUIRE(sale.ok());
  CHECK(*sale == Outcome::kPaid);
  REQUIRE_FALSE(t.gateway.sent.empty());
  CHECK(t.gateway.sent[0] == RequestKind::kCreateOrder);
  CHECK(t.gateway.journal_writes_before[0] == 3);  // two failed writes, then the durable one
  CHECK(t.gateway.gw.create_keys.size() == 1);
  CHECK(runner.journal_status().ok());
}

TEST_CASE("Refusals send nothing and say why on screen") {
  Terminal t;
  SaleRunner& runner = t.boot();
  (void)runner.power_up();

  SUBCASE("an amount of zero") {
    const Result<Outcome> sale = runner.sell(0);
    CHECK(sale.status().code() == Code::kInvalidArgument);
    CHECK(t.display.row(1) == "Invalid amount");
  }
  SUBCASE("an amount over 10 lakh rupees") {
    const Result<Outcome> sale = runner.sell(100'000'001);
    CHECK(sale.status().code() == Code::kInvalidArgument);
  }
  SUBCASE("a wall clock that is not set") {
    t.clock.set_unix_seconds(-1'000'000);
    const Result<Outcome> sale = runner.sell(engine::test::kAmount);
    CHECK(sale.status().code() == Code::kOutOfRange);
    CHECK(t.display.row(1) == "Clock not set");
  }
  SUBCASE("no random source for the keys") {
    t.entropy.fail = true;
    const Result<Outcome> sale = runner.sell(engine::test::kAmount);
    CHECK(sale.status().code() == Code::kIoError);
  }
  CHECK(t.gateway.sent.empty());
  CHECK(t.storage.writes == 0);
}

TEST_CASE("A gateway that cannot be reached parks the sale as UNKNOWN; recover finishes it") {
  Terminal t;
  t.settings.times.order_lifetime_s = 30;
  t.settings.times.grace_s = 30;
  // Every create answer is lost after the gateway acted, until recover.
  for (int n = 1; n <= 40; ++n)
    t.gateway.gw.faults.push_back({RequestKind::kCreateOrder, n, engine::FailureClass::kOutcomeUnknown, true});
  SaleRunner& runner = t.boot();
  (void)runner.power_up();
  const Result<Outcome> sale = runner.sell(engine::test::kAmount);
  REQUIRE(sale.ok());
  CHECK(*sale == Outcome::kUnknown);
  CHECK(runner.record().parked());
  CHECK(t.journal()->parked());
  CHECK(t.display.row(0) == "Result unknown");
  CHECK(t.gateway.gw.orders_created == 1);

  // A second sale is refused while this one is unresolved.
  const Result<Outcome> refused = runner.sell(engine::test::kAmount);
  CHECK(refused.status().code() == Code::kUnavailable);

  t.gateway.gw.faults.clear();
  const Result<Outcome> recovered = runner.recover();
  REQUIRE(recovered.ok());
  // The order exists (the lost create landed) but expired unpaid.
  CHECK(*recovered == Outcome::kExpired);
  CHECK(t.gateway.gw.orders_created == 1);
  CHECK_FALSE(runner.record().parked());
  CHECK(runner.recover().status().code() == Code::kNotFound);
}

TEST_CASE("A sale journaled on one gateway API is not resumed through another, and blocks new sales there") {
  Terminal t;
  t.settings.times.order_lifetime_s = 30;
  t.settings.times.grace_s = 30;
  t.gateway.api_is = engine::GatewayApi::kFlowwise;
  for (int n = 1; n <= 40; ++n)
    t.gateway.gw.faults.push_back({RequestKind::kCreateOrder, n, engine::FailureClass::kOutcomeUnknown, true});
  (void)t.boot().power_up();
  REQUIRE(t.runner->sell(engine::test::kAmount).ok());
  REQUIRE(t.journal()->parked());
  CHECK(t.journal()->gateway == engine::GatewayApi::kFlowwise);
  t.gateway.gw.faults.clear();

  // Rebooted with the terminal set to Cashfree PG.
  t.gateway.api_is = engine::GatewayApi::kCashfreePg;
  const std::size_t sent = t.gateway.sent.size();
  const std::vector<std::uint8_t> bytes = t.storage.records[hal::RecordId::kJournal];
  const PowerUpReport boot = t.boot().power_up();
  CHECK(boot.journal.ok());
  CHECK(boot.other_gateway);
  CHECK_FALSE(boot.resumed);
  CHECK(t.display.row(0) == "Error");
  CHECK(t.display.row(1) == "Gateway changed");
  CHECK(t.runner->sell(engine::test::kAmount).status().code() == Code::kUnavailable);
  const Result<Outcome> recovered = t.runner->recover();
  CHECK(recovered.status().code() == Code::kUnavailable);
  CHECK(std::string(recovered.status().message()) == "Gateway changed");
  CHECK(t.gateway.sent.size() == sent);                                  // nothing sent
  CHECK(t.storage.records[hal::RecordId::kJournal] == bytes);            // nothing written

  // Set back to Flowwise: resumed, and settled by that gateway.
  t.gateway.api_is = engine::GatewayApi::kFlowwise;
  const PowerUpReport back = t.boot().power_up();
  CHECK(back.resumed);
  CHECK_FALSE(back.other_gateway);
  CHECK(back.outcome == Outcome::kExpired);
  CHECK(t.gateway.gw.orders_created == 1);
}

TEST_CASE("A power cut after any request, then power-up: one order, at most one payment, the gateway's truth") {
  // Pass 1 counts the requests of a paid sale; pass 2 cuts after each.
  std::size_t requests = 0;
  {
    Terminal t;
    t.gateway.gw.scan_after_ms = 4'000;
    SaleRunner& runner = t.boot();
    (void)runner.power_up();
    REQUIRE(runner.sell(engine::test::kAmount).ok());
    requests = t.gateway.sent.size();
  }
  REQUIRE(requests >= 4);
  int covered = 0;
  for (std::size_t cut = 1; cut <= requests; ++cut) {
    CAPTURE(cut);
    Terminal before;
    before.gateway.gw.scan_after_ms = 4'000;
    // What survives the cut: the journal as written, the gateway's state
    // and the time. The first runner goes on, unobserved.
    std::optional<std::map<hal::RecordId, std::vector<std::uint8_t>>> durable;
    std::optional<FakeGateway> gateway_then;
    std::optional<posagent::test::FakeClock> clock_then;
    before.gateway.on_request = [&](FakeSaleGateway& g) {
      if (g.sent.size() != cut || durable) return;
      durable = before.storage.records;
      gateway_then = g.gw;
      clock_then = before.clock;
    };
    SaleRunner& first = before.boot();
    (void)first.power_up();
    (void)first.sell(engine::test::kAmount);
    REQUIRE(durable.has_value());

    Terminal after;
    after.clock = *clock_then;
    after.storage.records = *durable;
    after.gateway.gw = *gateway_then;
    SaleRunner& second = after.boot();
    const PowerUpReport boot = second.power_up();
    CHECK(boot.journal.ok());
    CHECK(boot.resumed);
    CHECK(boot.outcome == Outcome::kPaid);
    CHECK(after.gateway.gw.orders_created == 1);
    CHECK(after.gateway.gw.payments_created == 1);
    CHECK(after.gateway.gw.successes <= 1);
    CHECK(after.gateway.gw.create_keys.size() == 1);
    CHECK(after.gateway.gw.pay_keys.size() == 1);
    CHECK(after.display.row(0) == "PAID");
    ++covered;
  }
  MESSAGE("runner power cuts covered: " << covered);
}
