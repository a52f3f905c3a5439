// Order and payment lifecycles: success, failure, termination and its race
// with a payment, the customer's pay page, and state that survives a restart.
#include <doctest/doctest.h>

#include "tests/pgsim/pgsim_harness.hpp"

using namespace pgsim_test;

namespace {

std::string start_upi(const Pgsim& sim, const std::string& order_id) {
  json order = sim.create_order(order_id);
  Response r = sim.pay_upi(order);
  if (r.status != 200) throw std::runtime_error("pay: " + r.raw);
  return r.body["cf_payment_id"];
}

json events_of(const Pgsim& sim, const std::string& order_id) {
  const json state = sim.state();
  for (const auto& o : state["orders"])
    if (o["order_id"] == order_id) return o["events"];
  return json::array();
}

bool has_event(const json& events, const std::string& name) {
  for (const auto& e : events)
    if (e["event"] == name) return true;
  return false;
}

}  // namespace

TEST_CASE("simulate decides a payment: SUCCESS pays the order, others leave it ACTIVE") {
  Pgsim sim;
  for (const char* status : {"FAILED", "USER_DROPPED", "PENDING"}) {
    CAPTURE(status);
    const std::string order_id = std::string("sim-") + status;
    const std::string id = start_upi(sim, order_id);
    Response s = sim.simulate(id, status);
    REQUIRE(s.status == 200);
    CHECK(s.body["entity"] == "PAYMENTS");
    CHECK(s.body["entity_id"] == id);
    CHECK(s.body["entity_simulation"]["payment_status"] == status);
    CHECK(s.body["simulation_id"].get<std::string>().rfind("sim_", 0) == 0);
    Response g = sim.pg("GET", "/simulate/" + s.body["simulation_id"].get<std::string>());
    CHECK(g.body == s.body);
    CHECK(sim.pg("GET", "/orders/" + order_id + "/payments/" + id).body["payment_status"] == status);
    CHECK(sim.order_status(order_id) == "ACTIVE");
  }
  const std::string id = start_upi(sim, "sim-ok");
  REQUIRE(sim.simulate(id, "SUCCESS").status == 200);
  CHECK(sim.order_status("sim-ok") == "PAID");
  json payments = sim.pg("GET", "/orders/sim-ok/payments").body;
  REQUIRE(payments.size() == 1);
  CHECK(payments[0]["payment_status"] == "SUCCESS");
  CHECK(payments[0]["is_captured"] == true);
  CHECK(payments[0]["payment_completion_time"].is_string());
  // A final payment cannot be simulated again.
  CHECK(sim.simulate(id, "FAILED").status == 400);
  CHECK(sim.simulate("999", "SUCCESS").status == 404);
}

TEST_CASE("several attempts on one order: the order is PAID when any succeeds") {
  Pgsim sim;
  json order = sim.create_order("multi-1");
  const std::string first = sim.pay_upi(order).body["cf_payment_id"];
  REQUIRE(sim.simulate(first, "FAILED").status == 200);
  const std::string second = sim.pay_upi(order).body["cf_payment_id"];
  REQUIRE(sim.simulate(second, "SUCCESS").status == 200);
  json payments = sim.pg("GET", "/orders/multi-1/payments").body;
  REQUIRE(payments.size() == 2);
  CHECK(payments[0]["payment_status"] == "FAILED");
  CHECK(payments[1]["payment_status"] == "SUCCESS");
  CHECK(sim.order_status("multi-1") == "PAID");
}

TEST_CASE("terminate: TERMINATION_REQUESTED, then TERMINATED with the open attempt CANCELLED") {
  Pgsim sim({"--termination-delay-ms", "300"});
  const std::string id = start_upi(sim, "term-1");
  Response t = sim.pg("PATCH", "/orders/term-1", {{"order_status", "TERMINATED"}});
  REQUIRE(t.status == 200);
  CHECK(t.body["order_status"] == "TERMINATION_REQUESTED");
  // A repeated terminate is answered with the current state.
  CHECK(sim.pg("PATCH", "/orders/term-1", {{"order_status", "TERMINATED"}}).status == 200);
  CHECK(eventually([&] { return sim.order_status("term-1") == "TERMINATED"; }));
  CHECK(sim.pg("GET", "/orders/term-1/payments/" + id).body["payment_status"] == "CANCELLED");
  // A terminated order cannot be paid.
  CHECK(sim.simulate(id, "SUCCESS").status == 400);

  CHECK(sim.pg("PATCH", "/orders/term-1", {{"order_status", "ACTIVE"}}).body["code"] == "order_status_invalid");
  CHECK(sim.pg("PATCH", "/orders/term-1", json::object()).body["code"] == "order_status_missing");
}

TEST_CASE("a paid order cannot be terminated") {
  Pgsim sim;
  const std::string id = start_upi(sim, "paid-term");
  REQUIRE(sim.simulate(id, "SUCCESS").status == 200);
  Response t = sim.pg("PATCH", "/orders/paid-term", {{"order_status", "TERMINATED"}});
  CHECK(t.status == 400);
  CHECK(t.body["code"] == "order_inactive");
  CHECK(sim.order_status("paid-term") == "PAID");
  CHECK(has_event(events_of(sim, "paid-term"), "termination_refused"));
}

TEST_CASE("a success that lands while termination is pending wins, and the race is recorded") {
  Pgsim sim({"--termination-delay-ms", "60000"});
  const std::string id = start_upi(sim, "race-1");
  REQUIRE(sim.pg("PATCH", "/orders/race-1", {{"order_status", "TERMINATED"}}).body["order_status"] ==
          "TERMINATION_REQUESTED");
  REQUIRE(sim.simulate(id, "SUCCESS").status == 200);
  CHECK(sim.order_status("race-1") == "PAID");
  CHECK(has_event(events_of(sim, "race-1"), "paid_termination_overridden"));
  // And the termination never completes afterwards.
  sim.admin("POST", "/clock", {{"advance_ms", 120000}});
  CHECK(sim.order_status("race-1") == "PAID");
}

TEST_CASE("the customer's pay page: Pay, Decline and Leave") {
  Pgsim sim;
  struct Case {
    const char* decision;
    const char* payment_status;
    const char* order_status;
  };
  const Case cases[] = {{"pay", "SUCCESS", "PAID"}, {"decline", "FAILED", "ACTIVE"}, {"leave", "USER_DROPPED", "ACTIVE"}};
  for (const auto& c : cases) {
    CAPTURE(c.decision);
    const std::string order_id = std::string("page-") + c.decision;
    const std::string id = start_upi(sim, order_id);
    Response page = sim.request("GET", "/pay/" + id, "", {});
    REQUIRE(page.status == 200);
    CHECK(page.raw.find("posagent merchant") != std::string::npos);
    CHECK(page.raw.find("499.00") != std::string::npos);
    CHECK(page.raw.find("Counter 3 sale") != std::string::npos);
    CHECK(page.raw.find(">Pay<") != std::string::npos);
    Response post = sim.request("POST", "/pay/" + id, std::string("decision=") + c.decision, {},
                                "application/x-www-form-urlencoded");
    CHECK(post.status == 303);
    CHECK(sim.pg("GET", "/orders/" + order_id + "/payments/" + id).body["payment_status"] == c.payment_status);
    CHECK(sim.order_status(order_id) == c.order_status);
    // The page now shows the outcome and offers no buttons.
    Response after = sim.request("GET", "/pay/" + id, "", {});
    CHECK(after.raw.find(std::string("This payment is ") + c.payment_status) != std::string::npos);
    CHECK(after.raw.find(">Pay<") == std::string::npos);
  }
  Response index = sim.request("GET", "/", "", {});
  CHECK(index.status == 200);
  CHECK(index.raw.find("page-pay") != std::string::npos);
}

TEST_CASE("an attempt nobody completes becomes USER_DROPPED after the attempt time limit") {
  Pgsim sim({"--attempt-ttl-ms", "60000"});
  const std::string id = start_upi(sim, "ttl-1");
  sim.admin("POST", "/clock", {{"advance_ms", 59000}});
  CHECK(sim.pg("GET", "/orders/ttl-1/payments/" + id).body["payment_status"] == "NOT_ATTEMPTED");
  sim.admin("POST", "/clock", {{"advance_ms", 2000}});
  CHECK(sim.pg("GET", "/orders/ttl-1/payments/" + id).body["payment_status"] == "USER_DROPPED");
}

TEST_CASE("with --state, everything survives pgsim being killed and restarted") {
  const fs::path dir = Pgsim::fresh_dir();
  const std::string state_file = (dir / "state.json").string();
  std::string id;
  std::string session;
  {
    Pgsim sim({"--state", state_file}, dir);
    json order = sim.create_order("keep-1");
    session = order["payment_session_id"];
    id = sim.pay_upi(order).body["cf_payment_id"];
    Response first = sim.pg("POST", "/orders", Pgsim::order_body("keep-2"), {{"x-idempotency-key", "key-keep-2"}});
    REQUIRE(first.status == 200);
    sim.kill_hard();  // no shutdown save: what is on disk must already be complete
  }
  Pgsim again({"--state", state_file}, dir);
  CHECK(again.order_status("keep-1") == "ACTIVE");
  CHECK(again.pg("GET", "/orders/keep-1/payments/" + id).body["payment_status"] == "NOT_ATTEMPTED");
  // The idempotency record came back too: the same request is replayed.
  Response replay = again.pg("POST", "/orders", Pgsim::order_body("keep-2"), {{"x-idempotency-key", "key-keep-2"}});
  CHECK(replay.status == 200);
  CHECK(replay.header("x-idempotency-replayed") == "true");
  // The session still pays, and ids keep counting without reuse.
  REQUIRE(again.simulate(id, "SUCCESS").status == 200);
  CHECK(again.order_status("keep-1") == "PAID");
  json state = again.state();
  CHECK(state["requests"].size() >= 5);
}
