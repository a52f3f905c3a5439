// Refunds: create, list, get; full and partial; the limits; the sandbox's
// note-forced outcomes; settling on pgsim's clock; and persistence.
#include <doctest/doctest.h>

#include "tests/pgsim/card_helpers.hpp"

using namespace pgsim_test;

namespace {

// An order paid by UPI (simulated); returns the cf_payment_id.
std::string paid_upi_order(const Pgsim& sim, const std::string& order_id, double amount = 499.0) {
  json order = sim.create_order(order_id, amount);
  const std::string id = sim.pay_upi(order).body["cf_payment_id"];
  if (sim.simulate(id, "SUCCESS").status != 200) throw std::runtime_error("simulate");
  return id;
}

Response refund(const Pgsim& sim, const std::string& order_id, const std::string& refund_id, json amount,
                const std::string& note = "") {
  json body = {{"refund_amount", amount}, {"refund_id", refund_id}};
  if (!note.empty()) body["refund_note"] = note;
  return sim.pg("POST", "/orders/" + order_id + "/refunds", body);
}

json get_refund(const Pgsim& sim, const std::string& order_id, const std::string& refund_id) {
  return sim.pg("GET", "/orders/" + order_id + "/refunds/" + refund_id).body;
}

void check_error(const Response& r, int status, const char* code) {
  CHECK(r.status == status);
  CHECK(r.body["code"] == code);
  CHECK(r.body["type"] == "invalid_request_error");
}

}  // namespace

TEST_CASE("a full refund is PENDING, then SUCCESS on pgsim's clock") {
  Pgsim sim({"--refund-settle-ms", "5000"});
  const std::string pid = paid_upi_order(sim, "ref-full");
  Response r = refund(sim, "ref-full", "rf-full-1", 499, "customer returned the goods");
  REQUIRE(r.status == 200);
  const json& e = r.body;
  CHECK(e["entity"] == "refund");
  CHECK(e["refund_id"] == "rf-full-1");
  CHECK(e["order_id"] == "ref-full");
  CHECK(e["cf_payment_id"] == pid);
  CHECK(e["cf_refund_id"].is_string());
  CHECK(e["refund_amount"] == 499);
  CHECK(e["refund_currency"] == "INR");
  CHECK(e["refund_note"] == "customer returned the goods");
  CHECK(e["refund_status"] == "PENDING");
  CHECK(e["refund_arn"].is_null());
  CHECK(e["refund_type"] == "MERCHANT_INITIATED");
  CHECK(e["refund_mode"] == "STANDARD");
  CHECK(e["refund_speed"]["requested"] == "STANDARD");
  CHECK(e["refund_speed"]["accepted"] == "STANDARD");
  CHECK(e["refund_speed"]["processed"].is_null());
  CHECK(e["refund_splits"] == json::array());
  CHECK(e["refund_charge"] == 0);
  CHECK(e["created_at"].get<std::string>().find("+05:30") != std::string::npos);
  CHECK(e["processed_at"].is_null());
  CHECK(e["status_description"].is_string());
  CHECK(e.contains("metadata"));

  advance(sim, 4000);
  CHECK(get_refund(sim, "ref-full", "rf-full-1")["refund_status"] == "PENDING");
  advance(sim, 1000);
  json done = get_refund(sim, "ref-full", "rf-full-1");
  CHECK(done["refund_status"] == "SUCCESS");
  CHECK(done["refund_arn"].is_string());
  CHECK(done["processed_at"].is_string());
  CHECK(done["refund_speed"]["processed"] == "STANDARD");

  json all = sim.pg("GET", "/orders/ref-full/refunds").body;
  REQUIRE(all.is_array());
  REQUIRE(all.size() == 1);
  CHECK(all[0] == done);
  // Nothing is left to refund.
  check_error(refund(sim, "ref-full", "rf-full-2", 1), 400, "refund_amount_invalid");
}

TEST_CASE("partial refunds add up to the paid amount at most; failed ones do not count") {
  Pgsim sim({"--refund-settle-ms", "1000"});
  paid_upi_order(sim, "ref-part", 499.0);
  CHECK(refund(sim, "ref-part", "rf-a", 200).status == 200);
  json instant = {{"refund_amount", 99.5}, {"refund_id", "rf-b"}, {"refund_speed", "INSTANT"}};
  Response b = sim.pg("POST", "/orders/ref-part/refunds", instant);
  REQUIRE(b.status == 200);
  CHECK(b.body["refund_mode"] == "INSTANT");
  CHECK(b.body["refund_speed"]["requested"] == "INSTANT");
  check_error(refund(sim, "ref-part", "rf-c", 199.51), 400, "refund_amount_invalid");
  Response failing = refund(sim, "ref-part", "rf-d", 199.5, "FAILED");
  REQUIRE(failing.status == 200);
  check_error(refund(sim, "ref-part", "rf-e", 0.01), 400, "refund_amount_invalid");  // rf-d still counts
  advance(sim, 1000);
  CHECK(get_refund(sim, "ref-part", "rf-d")["refund_status"] == "FAILED");
  // The failed refund's amount can be refunded again.
  CHECK(refund(sim, "ref-part", "rf-f", 199.5).status == 200);
  json all = sim.pg("GET", "/orders/ref-part/refunds").body;
  REQUIRE(all.size() == 4);
  CHECK(all[0]["refund_id"] == "rf-a");
  CHECK(all[3]["refund_id"] == "rf-f");
}

TEST_CASE("a refund id is used once per order: 409 refund_already_exists") {
  Pgsim sim;
  paid_upi_order(sim, "ref-dup");
  CHECK(refund(sim, "ref-dup", "rf-dup", 10).status == 200);
  Response again = refund(sim, "ref-dup", "rf-dup", 10);
  check_error(again, 409, "refund_already_exists");
  // The same id on another order is another refund.
  paid_upi_order(sim, "ref-dup-2");
  CHECK(refund(sim, "ref-dup-2", "rf-dup", 10).status == 200);
}

TEST_CASE("refund_note forces the sandbox outcome at settle time") {
  Pgsim sim({"--refund-settle-ms", "2000"});
  paid_upi_order(sim, "ref-notes", 100.0);
  for (const char* note : {"SUCCESS", "FAILED", "PENDING", "CANCELLED", "ONHOLD"}) {
    Response r = refund(sim, "ref-notes", std::string("rf-") + note, 1, note);
    REQUIRE(r.status == 200);
    CHECK(r.body["refund_status"] == "PENDING");
  }
  advance(sim, 2000);
  for (const char* note : {"SUCCESS", "FAILED", "PENDING", "CANCELLED", "ONHOLD"}) {
    CAPTURE(note);
    json r = get_refund(sim, "ref-notes", std::string("rf-") + note);
    CHECK(r["refund_status"] == note);
    CHECK(r["refund_arn"].is_null() == (std::string(note) != "SUCCESS"));
  }
  advance(sim, 3600 * 1000);
  CHECK(get_refund(sim, "ref-notes", "rf-PENDING")["refund_status"] == "PENDING");
}

TEST_CASE("refund validation and the order's state") {
  Pgsim sim;
  paid_upi_order(sim, "ref-val");
  struct Case {
    const char* what;
    json body;
    const char* code;
  };
  const Case cases[] = {
      {"no amount", {{"refund_id", "rf-1"}}, "refund_amount_missing"},
      {"zero", {{"refund_id", "rf-1"}, {"refund_amount", 0}}, "refund_amount_invalid"},
      {"string amount", {{"refund_id", "rf-1"}, {"refund_amount", "10"}}, "refund_amount_invalid"},
      {"three decimals", {{"refund_id", "rf-1"}, {"refund_amount", 1.234}}, "refund_amount_invalid"},
      {"no id", {{"refund_amount", 1}}, "refund_id_missing"},
      {"short id", {{"refund_id", "ab"}, {"refund_amount", 1}}, "refund_id_invalid"},
      {"long id", {{"refund_id", std::string(41, 'a')}, {"refund_amount", 1}}, "refund_id_invalid"},
      {"id with a space", {{"refund_id", "rf 1"}, {"refund_amount", 1}}, "refund_id_invalid"},
      {"short note", {{"refund_id", "rf-1"}, {"refund_amount", 1}, {"refund_note", "ok"}}, "refund_note_invalid"},
      {"long note", {{"refund_id", "rf-1"}, {"refund_amount", 1}, {"refund_note", std::string(101, 'n')}},
       "refund_note_invalid"},
      {"speed FAST", {{"refund_id", "rf-1"}, {"refund_amount", 1}, {"refund_speed", "FAST"}}, "refund_speed_invalid"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    check_error(sim.pg("POST", "/orders/ref-val/refunds", c.body), 400, c.code);
  }
  CHECK(sim.pg("GET", "/orders/ref-val/refunds").body == json::array());
  check_error(refund(sim, "no-such-order", "rf-1", 1), 404, "order_not_found");
  check_error(sim.pg("GET", "/orders/no-such-order/refunds"), 404, "order_not_found");
  check_error(sim.pg("GET", "/orders/ref-val/refunds/rf-none"), 404, "refund_not_found");
  sim.create_order("ref-unpaid");
  check_error(refund(sim, "ref-unpaid", "rf-1", 1), 400, "order_not_paid");
}

TEST_CASE("pre-authorised payments refund only what was captured") {
  Pgsim sim({"--preauth-cards"});
  json order = sim.create_order("ref-pre", 499.0);
  const std::string id = pay_by_card(sim, order);
  check_error(refund(sim, "ref-pre", "rf-1", 1), 400, "payment_not_captured");
  REQUIRE(sim.pg("POST", "/orders/ref-pre/authorization", {{"action", "CAPTURE"}, {"amount", 200}}).status == 200);
  check_error(refund(sim, "ref-pre", "rf-1", 200.01), 400, "refund_amount_invalid");
  Response ok = refund(sim, "ref-pre", "rf-1", 200);
  REQUIRE(ok.status == 200);
  CHECK(ok.body["cf_payment_id"] == id);

  json voided = sim.create_order("ref-void");
  pay_by_card(sim, voided);
  REQUIRE(sim.pg("POST", "/orders/ref-void/authorization", {{"action", "VOID"}}).status == 200);
  check_error(refund(sim, "ref-void", "rf-1", 1), 400, "payment_not_captured");
}

TEST_CASE("refunds survive a restart with --state and settle afterwards") {
  const fs::path dir = Pgsim::fresh_dir();
  const std::string state_file = (dir / "state.json").string();
  std::string cf_refund_id;
  {
    Pgsim sim({"--state", state_file, "--refund-settle-ms", "60000"}, dir);
    json order = sim.create_order("ref-keep");
    pay_by_card(sim, order);
    Response r = refund(sim, "ref-keep", "rf-keep", 100);
    REQUIRE(r.status == 200);
    cf_refund_id = r.body["cf_refund_id"];
    sim.kill_hard();
  }
  Pgsim again({"--state", state_file, "--refund-settle-ms", "60000"}, dir);
  json kept = get_refund(again, "ref-keep", "rf-keep");
  CHECK(kept["refund_status"] == "PENDING");
  CHECK(kept["cf_refund_id"] == cf_refund_id);
  check_error(refund(again, "ref-keep", "rf-keep", 1), 409, "refund_already_exists");
  advance(again, 60000);
  CHECK(get_refund(again, "ref-keep", "rf-keep")["refund_status"] == "SUCCESS");
  // New refunds keep counting without reusing the id.
  Response next = refund(again, "ref-keep", "rf-keep-2", 1);
  REQUIRE(next.status == 200);
  CHECK(std::stoull(next.body["cf_refund_id"].get<std::string>()) > std::stoull(cf_refund_id));
}
