// posagent-sim end to end against pgsim: each case runs the real program
// (the runner, engine, PG client, Mbed TLS, files for the journal) as a
// separate process and checks its exit status, its outcome line and
// pgsim's own records.
#include <doctest/doctest.h>

#include "tests/e2e/sim_process.hpp"

using namespace e2e;

namespace {

std::vector<std::string> sale(const std::string& amount, std::vector<std::string> more = {}) {
  std::vector<std::string> args = {"sale", amount};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// One order for the sale, carrying what the terminal is provisioned with.
void check_order_shape(const json& order) {
  REQUIRE(order.is_object());
  CHECK(order["terminal"].value("terminal_type", "") == "SPOS");
  CHECK(order["terminal"].value("terminal_id", "") == "SIM-0001");
  CHECK(order["terminal"].value("terminal_phone_no", "") == "9999999999");
  CHECK(order["terminal"].value("terminal_name", "") == "posagent sim");
  CHECK(order["customer_details"].value("customer_phone", "") == "9999999999");
  CHECK(order["order_tags"].value("terminal_id", "") == "SIM-0001");
  CHECK(order["order_tags"].value("sale", "") == "upi_qr");
  CHECK(order.value("expiry_ms", 0) > order.value("created_ms", 0));
}

}  // namespace

TEST_CASE("paid: the customer pays, the sale is PAID with pgsim's UTR; status shows it") {
  Pgsim gateway;
  const fs::path dir = fresh_dir("paid");
  SimProcess sim(gateway, dir, sale("499.00", {"--auto-pay", "1", "--screens", dir.string()}));
  const SimResult r = sim.finish();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  REQUIRE(r.outcome == "PAID");
  const json state = gateway.state();
  const json order = order_in(state, r.order_id);
  check_order_shape(order);
  CHECK(order.value("status", "") == "PAID");
  CHECK(order.value("amount_paise", 0) == 49900);
  const std::vector<json> payments = payments_of(state, r.order_id);
  REQUIRE(payments.size() == 1);
  CHECK(payments[0].value("status", "") == "SUCCESS");
  CHECK(r.utr == payments[0].value("bank_reference", ""));
  CHECK(orders_with_prefix(state, "SIM1-").size() == 1);

  // The QR on screen, read back from its PNG, is the intent pgsim issued.
  // (Its Order Pay answer, as stored for the idempotency key.)
  std::string intent;
  for (const json& rec : state["idempotency"]) {
    if (rec.value("path", "") != "/pg/orders/sessions") continue;
    const json body = rec["body"].is_string() ? json::parse(rec["body"].get<std::string>(), nullptr, false) : rec["body"];
    if (!body.is_object() || !body.contains("cf_payment_id")) continue;
    const json& id = body["cf_payment_id"];
    const std::string id_text = id.is_string() ? id.get<std::string>() : id.dump();
    if (id_text == payments[0].value("cf_payment_id", "")) intent = body["data"]["payload"].value("default", "");
  }
  REQUIRE_FALSE(intent.empty());
  fs::path qr_png;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.find("-qr.png") != std::string::npos && (qr_png.empty() || entry.path() < qr_png)) qr_png = entry.path();
  }
  REQUIRE_FALSE(qr_png.empty());
  const std::string command = std::string(POSAGENT_ZBARIMG) + " --raw -q '" + qr_png.string() + "'";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string decoded;
  char buf[1024];
  while (std::fgets(buf, sizeof buf, pipe) != nullptr) decoded += buf;
  pclose(pipe);
  CHECK(decoded == intent + "\n");

  SimProcess status(gateway, dir, {"status", r.order_id}, {}, "status");
  const SimResult s = status.finish();
  CHECK(s.exit_code == 0);
  CHECK(s.out.find("order " + r.order_id + ": PAID Rs 499.00") != std::string::npos);
  CHECK(s.out.find("SUCCESS Rs 499.00 UTR " + r.utr) != std::string::npos);
}

TEST_CASE("failed: the customer declines; the order is terminated and the sale FAILED with the reason") {
  Pgsim gateway;
  SimProcess sim(gateway, fresh_dir("failed"), sale("12.50", {"--auto-decline", "1"}));
  const SimResult r = sim.finish();
  INFO(r.err);
  CHECK(r.exit_code == 3);
  REQUIRE(r.outcome == "FAILED");
  CHECK(r.out.find("reason: ") != std::string::npos);
  const json state = gateway.state();
  CHECK(order_in(state, r.order_id).value("status", "") == "TERMINATED");
  const std::vector<json> payments = payments_of(state, r.order_id);
  REQUIRE(payments.size() == 1);
  CHECK(payments[0].value("status", "") == "FAILED");
}

TEST_CASE("user dropped: the customer leaves without paying; FAILED, nothing charged") {
  Pgsim gateway;
  SimProcess sim(gateway, fresh_dir("dropped"), sale("100", {"--auto-leave", "1"}));
  const SimResult r = sim.finish();
  INFO(r.err);
  CHECK(r.exit_code == 3);
  CHECK(r.outcome == "FAILED");
  const json state = gateway.state();
  CHECK(order_in(state, r.order_id).value("status", "") == "TERMINATED");
  const std::vector<json> payments = payments_of(state, r.order_id);
  REQUIRE(payments.size() == 1);
  CHECK(payments[0].value("status", "") == "USER_DROPPED");
  CHECK(successes(payments) == 0);
}

TEST_CASE("expired: nobody pays before the QR's time runs out; the order is ended, EXPIRED") {
  Pgsim gateway;
  SimProcess sim(gateway, fresh_dir("expired"), sale("75", {"--qr-lifetime", "6"}));
  const SimResult r = sim.finish();
  INFO(r.err);
  CHECK(r.exit_code == 4);
  CHECK(r.outcome == "EXPIRED");
  const std::string status = order_in(gateway.state(), r.order_id).value("status", "");
  CHECK((status == "TERMINATED" || status == "EXPIRED"));
  CHECK(r.err.find("termination") != std::string::npos);  // an ACTIVE order left is terminated
}

TEST_CASE("cancelled: cancel while the QR is up; the order is terminated, CANCELLED") {
  Pgsim gateway;
  SimProcess sim(gateway, fresh_dir("cancelled"), sale("250"));
  REQUIRE(sim.wait_for("customer: scan the QR"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  sim.interrupt();
  const SimResult r = sim.finish();
  INFO(r.err);
  CHECK(r.exit_code == 5);
  CHECK(r.outcome == "CANCELLED");
  CHECK(order_in(gateway.state(), r.order_id).value("status", "") == "TERMINATED");
}

TEST_CASE("cancel racing a payment: the payment lands while terminating, and the sale is PAID") {
  Pgsim gateway({"--termination-delay-ms", "3000"});
  SimProcess sim(gateway, fresh_dir("race"), sale("499"));
  REQUIRE(sim.wait_for("customer: scan the QR"));
  // The customer's payment and the cashier's cancel at the same moment.
  const json state = gateway.state();
  std::string cf_payment_id;
  for (const json& p : state["payments"]) cf_payment_id = p.value("cf_payment_id", "");
  REQUIRE_FALSE(cf_payment_id.empty());
  sim.interrupt();
  const pgsim_test::Response paid =
      gateway.request("POST", "/pay/" + cf_payment_id, "decision=pay", {}, "application/x-www-form-urlencoded");
  CHECK(paid.status == 303);
  const SimResult r = sim.finish();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.outcome == "PAID");
  CHECK(r.err.find("cancel pressed") != std::string::npos);
  const json after = gateway.state();
  CHECK(order_in(after, r.order_id).value("status", "") == "PAID");
  CHECK(successes(payments_of(after, r.order_id)) == 1);
}

TEST_CASE("a 429 storm: every call is rate limited a few times, the sale waits as told and is PAID") {
  Pgsim gateway;
  REQUIRE(gateway.admin("POST", "/faults",
                        {{"faults",
                          {{{"path", "/pg/orders"}, {"action", "rate_limit"}, {"count", 2}, {"retry_s", 1}},
                           {{"path", "/pg/orders/sessions"}, {"action", "rate_limit"}, {"count", 2}, {"retry_s", 1}},
                           {{"path_prefix", "/pg/orders/SIM1-"}, {"action", "rate_limit"}, {"count", 4}, {"retry_s", 1}}}}})
              .status == 200);
  SimProcess sim(gateway, fresh_dir("ratelimited"), sale("42", {"--auto-pay", "1"}));
  const SimResult r = sim.finish();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.outcome == "PAID");
  CHECK(r.err.find("-> retry_after") != std::string::npos);
  const json state = gateway.state();
  CHECK(orders_with_prefix(state, "SIM1-").size() == 1);
  CHECK(payments_of(state, r.order_id).size() == 1);
  CHECK(gateway.admin("GET", "/faults").body["faults"].empty());  // every fault was met
}

TEST_CASE("5xx and dropped connections mid-flow, some after the gateway acted: one order, one payment, PAID") {
  Pgsim gateway;
  REQUIRE(gateway.admin("POST", "/faults",
                        {{"faults",
                          {{{"path", "/pg/orders"}, {"action", "error"}, {"status", 500}},
                           {{"path", "/pg/orders"}, {"action", "drop"}, {"act", true}},
                           {{"path", "/pg/orders/sessions"}, {"action", "error"}, {"status", 502}},
                           {{"path", "/pg/orders/sessions"}, {"action", "drop"}, {"act", true}},
                           {{"path_prefix", "/pg/orders/SIM1-"}, {"action", "drop"}},
                           {{"path_prefix", "/pg/orders/SIM1-"}, {"action", "truncate"}},
                           {{"path_prefix", "/pg/orders/SIM1-"}, {"action", "malformed"}}}}})
              .status == 200);
  SimProcess sim(gateway, fresh_dir("faults"), sale("310.75", {"--auto-pay", "2"}));
  const SimResult r = sim.finish();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.outcome == "PAID");
  const json state = gateway.state();
  CHECK(orders_with_prefix(state, "SIM1-").size() == 1);
  CHECK(order_in(state, r.order_id).value("amount_paise", 0) == 31075);
  CHECK(payments_of(state, r.order_id).size() == 1);
  CHECK(successes(payments_of(state, r.order_id)) == 1);
  CHECK(gateway.admin("GET", "/faults").body["faults"].empty());
}

TEST_CASE("pgsim restarted mid-flow: the sale rides out the outage and is PAID") {
  const fs::path gw_dir = Pgsim::fresh_dir();
  const std::vector<std::string> state_args = {"--state", (gw_dir / "state.json").string()};
  auto gateway = std::make_unique<Pgsim>(state_args, gw_dir);
  const int port = gateway->port();
  std::vector<std::string> fixed = state_args;
  fixed.insert(fixed.end(), {"--port", std::to_string(port)});
  gateway = std::make_unique<Pgsim>(fixed, gw_dir);  // the same port from now on
  REQUIRE(gateway->port() == port);

  SimProcess sim(*gateway, fresh_dir("restart"), sale("199", {"--auto-pay", "6"}));
  REQUIRE(sim.wait_for("customer: scan the QR"));
  gateway->kill_hard();  // a crash: no shutdown save
  std::this_thread::sleep_for(std::chrono::seconds(3));
  gateway = std::make_unique<Pgsim>(fixed, gw_dir);
  const SimResult r = sim.finish();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.outcome == "PAID");
  CHECK(r.err.find("transport") != std::string::npos);  // the outage was seen
  const json state = gateway->state();
  CHECK(orders_with_prefix(state, "SIM1-").size() == 1);
  CHECK(successes(payments_of(state, r.order_id)) == 1);
}

TEST_CASE("unreachable past the deadline: UNKNOWN, the record kept; recover settles it with the gateway") {
  const fs::path gw_dir = Pgsim::fresh_dir();
  const std::vector<std::string> state_args = {"--state", (gw_dir / "state.json").string()};
  auto gateway = std::make_unique<Pgsim>(state_args, gw_dir);
  std::vector<std::string> fixed = state_args;
  fixed.insert(fixed.end(), {"--port", std::to_string(gateway->port())});
  gateway = std::make_unique<Pgsim>(fixed, gw_dir);

  const fs::path dir = fresh_dir("unknown");
  SimProcess sim(*gateway, dir, sale("60", {"--qr-lifetime", "5", "--grace", "5"}));
  REQUIRE(sim.wait_for("customer: scan the QR"));
  gateway->stop();
  const SimResult r = sim.finish();
  INFO(r.err);
  CHECK(r.exit_code == 6);
  REQUIRE(r.outcome == "UNKNOWN");
  CHECK(r.out.find("do not charge again") != std::string::npos);
  CHECK(r.out.find("Result unknown") != std::string::npos);  // the screen says so too

  gateway = std::make_unique<Pgsim>(fixed, gw_dir);
  SimProcess recover(*gateway, dir, {"recover"}, {}, "recover");
  const SimResult rr = recover.finish();
  INFO(rr.err);
  CHECK(rr.exit_code == 4);
  CHECK(rr.outcome == "EXPIRED");
  CHECK(rr.order_id == r.order_id);
  const std::string status = order_in(gateway->state(), r.order_id).value("status", "");
  CHECK((status == "EXPIRED" || status == "TERMINATED"));

  SimProcess again(*gateway, dir, {"recover"}, {}, "again");
  const SimResult ra = again.finish();
  CHECK(ra.exit_code == 0);
  CHECK(ra.err.find("nothing to recover") != std::string::npos);
}

TEST_CASE("bad input is refused before anything is sent") {
  Pgsim gateway;
  const fs::path dir = fresh_dir("usage");
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"sale", "0"}, {"sale", "4.999"}, {"sale", "-5"}, {"sale", "1000000.01"}, {"sale"}, {"bogus"},
           {"sale", "10", "--auto-pay", "soon"}}) {
    SimProcess sim(gateway, dir, args, {}, "usage");
    const SimResult r = sim.finish();
    CAPTURE(args[0]);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("usage:") != std::string::npos);
  }
  CHECK(gateway.state()["orders"].empty());
}
