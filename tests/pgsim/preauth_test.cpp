// Pre-authorisation: card payments authorised only (--preauth-cards or the
// order tag pgsim_preauth), then captured in full or in part, or voided.
#include <doctest/doctest.h>

#include <ctime>

#include "tests/pgsim/card_helpers.hpp"

using namespace pgsim_test;

namespace {

json preauth_order(const Pgsim& sim, const std::string& order_id, double amount = 499.0) {
  json body = Pgsim::order_body(order_id, amount);
  body["order_tags"] = {{"pgsim_preauth", "true"}};
  return create_order_with(sim, body);
}

Response authorize(const Pgsim& sim, const std::string& order_id, const json& body) {
  return sim.pg("POST", "/orders/" + order_id + "/authorization", body);
}

void check_error(const Response& r, int status, const char* code) {
  CHECK(r.status == status);
  CHECK(r.body["code"] == code);
  CHECK(r.body["type"] == "invalid_request_error");
}

}  // namespace

TEST_CASE("--preauth-cards: the payment is authorised, uncaptured, then captured in full once") {
  Pgsim sim({"--preauth-cards"});
  json order = sim.create_order("pre-full", 499.0);
  const std::string id = pay_by_card(sim, order);
  json p = payment(sim, "pre-full", id);
  CHECK(p["payment_status"] == "SUCCESS");
  CHECK(p["is_captured"] == false);
  CHECK(p["auth_id"].is_string());
  const json& a = p["authorization"];
  CHECK(a["action"].is_null());
  CHECK(a["status"] == "PENDING");
  CHECK(a["captured_amount"] == 0);
  CHECK(a["action_reference"].is_null());
  CHECK(sim.order_status("pre-full") == "PAID");

  Response cap = authorize(sim, "pre-full", {{"action", "CAPTURE"}, {"amount", 499}});
  REQUIRE(cap.status == 200);
  CHECK(cap.body["entity"] == "payment");
  CHECK(cap.body["cf_payment_id"] == id);
  CHECK(cap.body["payment_status"] == "SUCCESS");
  CHECK(cap.body["is_captured"] == true);
  CHECK(cap.body["authorization"]["action"] == "CAPTURE");
  CHECK(cap.body["authorization"]["status"] == "SUCCESS");
  CHECK(cap.body["authorization"]["captured_amount"] == 499);
  CHECK(cap.body["authorization"]["action_reference"].is_string());
  CHECK(cap.body["authorization"]["action_time"].get<std::string>().find("+05:30") != std::string::npos);
  CHECK(payment(sim, "pre-full", id) == cap.body);

  check_error(authorize(sim, "pre-full", {{"action", "CAPTURE"}, {"amount", 499}}), 409, "payment_already_captured");
  check_error(authorize(sim, "pre-full", {{"action", "VOID"}}), 400, "payment_already_captured");
}

TEST_CASE("the pgsim_preauth order tag: partial capture, and the capture's checks") {
  Pgsim sim;
  json order = preauth_order(sim, "pre-part", 499.0);
  const std::string id = pay_by_card(sim, order, "5555555555554444");
  CHECK(payment(sim, "pre-part", id)["is_captured"] == false);

  check_error(authorize(sim, "pre-part", json::object()), 400, "action_missing");
  check_error(authorize(sim, "pre-part", {{"action", "REFUND"}}), 400, "action_invalid");
  check_error(authorize(sim, "pre-part", {{"action", "CAPTURE"}}), 400, "amount_missing");
  check_error(authorize(sim, "pre-part", {{"action", "CAPTURE"}, {"amount", 499.01}}), 400, "amount_invalid");
  check_error(authorize(sim, "pre-part", {{"action", "CAPTURE"}, {"amount", 0}}), 400, "amount_invalid");
  check_error(authorize(sim, "pre-part", {{"action", "CAPTURE"}, {"amount", "200"}}), 400, "amount_invalid");

  Response cap = authorize(sim, "pre-part", {{"action", "CAPTURE"}, {"amount", 200.5}});
  REQUIRE(cap.status == 200);
  CHECK(cap.body["is_captured"] == true);
  CHECK(cap.body["authorization"]["captured_amount"] == 200.5);
  CHECK(cap.body["payment_amount"] == 499);
  // Once only, even for the rest of the amount.
  check_error(authorize(sim, "pre-part", {{"action", "CAPTURE"}, {"amount", 298.5}}), 409, "payment_already_captured");

  // Another order without the tag is captured at once.
  json plain = sim.create_order("pre-none");
  const std::string normal = pay_by_card(sim, plain);
  json p = payment(sim, "pre-none", normal);
  CHECK(p["is_captured"] == true);
  CHECK(p["authorization"].is_null());
  check_error(authorize(sim, "pre-none", {{"action", "VOID"}}), 404, "authorization_not_found");
  check_error(authorize(sim, "no-such-order", {{"action", "VOID"}}), 404, "order_not_found");
}

TEST_CASE("void: the payment is VOID, and cannot be captured or voided again") {
  Pgsim sim({"--preauth-cards"});
  json order = sim.create_order("pre-void");
  const std::string id = pay_by_card(sim, order);
  Response v = authorize(sim, "pre-void", {{"action", "VOID"}});
  REQUIRE(v.status == 200);
  CHECK(v.body["payment_status"] == "VOID");
  CHECK(v.body["is_captured"] == false);
  CHECK(v.body["authorization"]["action"] == "VOID");
  CHECK(v.body["authorization"]["status"] == "SUCCESS");
  CHECK(v.body["authorization"]["captured_amount"] == 0);
  CHECK(v.body["authorization"]["action_reference"].is_string());
  CHECK(payment(sim, "pre-void", id)["payment_status"] == "VOID");
  check_error(authorize(sim, "pre-void", {{"action", "CAPTURE"}, {"amount", 499}}), 400, "payment_already_voided");
  check_error(authorize(sim, "pre-void", {{"action", "VOID"}}), 409, "payment_already_voided");
}

TEST_CASE("capture and void only within 7 days of the authorisation") {
  Pgsim sim({"--preauth-cards"});
  json order = sim.create_order("pre-late");
  pay_by_card(sim, order);
  advance(sim, 7LL * 24 * 3600 * 1000 + 1000);
  check_error(authorize(sim, "pre-late", {{"action", "CAPTURE"}, {"amount", 499}}), 400, "authorization_expired");
  check_error(authorize(sim, "pre-late", {{"action", "VOID"}}), 400, "authorization_expired");

  json inside = sim.create_order("pre-in-time");
  pay_by_card(sim, inside);
  advance(sim, 6LL * 24 * 3600 * 1000);
  CHECK(authorize(sim, "pre-in-time", {{"action", "CAPTURE"}, {"amount", 100}}).status == 200);
}

TEST_CASE("pre-authorisation is for Visa and Mastercard, and also holds for simulated successes") {
  Pgsim sim;
  json order = preauth_order(sim, "pre-rupay");
  Response r = pay_card(sim, order, plain_card("6521500000000006"));
  check_error(r, 400, "payment_method_unsupported");

  // A pre-auth payment that /pg/simulate decides is authorised only too.
  Response pending = pay_card(sim, order, plain_card("4111111111111111", "link"));
  REQUIRE(pending.status == 200);
  const std::string id = pending.body["cf_payment_id"];
  REQUIRE(sim.simulate(id, "SUCCESS").status == 200);
  json p = payment(sim, "pre-rupay", id);
  CHECK(p["is_captured"] == false);
  CHECK(p["authorization"]["status"] == "PENDING");
}

TEST_CASE("UPI collect with authorize_only: a one-time mandate captured until end_time") {
  Pgsim sim({"--collect-settle-ms", "200"});
  json order = sim.create_order("pre-upi", 300.0);
  const json mandate = {{"channel", "collect"},
                        {"upi_id", "testsuccess@gocash"},
                        {"authorize_only", true},
                        {"authorization", {{"end_time", "2099-01-01T00:00:00+05:30"}}}};
  Response r = sim.pay_upi(order, mandate);
  REQUIRE(r.status == 200);
  const std::string id = r.body["cf_payment_id"];
  json pending = payment(sim, "pre-upi", id);
  CHECK(pending["payment_status"] == "PENDING");
  CHECK(pending["authorization"]["end_time"] == "2099-01-01T00:00:00+05:30");
  CHECK(pending["authorization"]["approve_by"].is_string());
  // Not yet authorised: nothing to capture.
  check_error(authorize(sim, "pre-upi", {{"action", "VOID"}}), 404, "authorization_not_found");
  REQUIRE(eventually([&] { return payment(sim, "pre-upi", id)["payment_status"] == "SUCCESS"; }));
  json p = payment(sim, "pre-upi", id);
  CHECK(p["is_captured"] == false);
  CHECK(p["authorization"]["status"] == "PENDING");
  CHECK(sim.order_status("pre-upi") == "PAID");
  advance(sim, 30LL * 24 * 3600 * 1000);  // past a card's 7 days, inside end_time
  Response cap = authorize(sim, "pre-upi", {{"action", "CAPTURE"}, {"amount", 120}});
  REQUIRE(cap.status == 200);
  CHECK(cap.body["authorization"]["captured_amount"] == 120);
  CHECK(cap.body["authorization"]["end_time"] == "2099-01-01T00:00:00+05:30");

  json other = sim.create_order("pre-upi-bad");
  json on_link = {{"channel", "link"}, {"authorize_only", true}};
  check_error(sim.pay_upi(other, on_link), 400, "authorize_only_invalid");
  json no_auth = mandate;
  no_auth.erase("authorization");
  check_error(sim.pay_upi(other, no_auth), 400, "authorization_missing");
  json past_end = mandate;
  past_end["authorization"]["end_time"] = "2020-01-01T00:00:00+05:30";
  check_error(sim.pay_upi(other, past_end), 400, "end_time_invalid");
  json bad_time = mandate;
  bad_time["authorization"]["approve_by"] = "tomorrow";
  check_error(sim.pay_upi(other, bad_time), 400, "approve_by_invalid");
}

TEST_CASE("UPI mandate: capture after end_time is authorization_expired") {
  Pgsim sim({"--collect-settle-ms", "0"});
  json order = sim.create_order("pre-upi-late");
  const int64_t now = sim.state()["now_ms"];
  // end_time one hour from now, written in UTC.
  const std::time_t end = static_cast<std::time_t>(now / 1000 + 3600);
  std::tm tm{};
  gmtime_r(&end, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  Response r = sim.pay_upi(order, {{"channel", "collect"},
                                   {"upi_id", "testsuccess@gocash"},
                                   {"authorize_only", true},
                                   {"authorization", {{"end_time", text}}}});
  REQUIRE(r.status == 200);
  REQUIRE(eventually([&] { return sim.order_status("pre-upi-late") == "PAID"; }));
  advance(sim, 3601 * 1000);
  check_error(authorize(sim, "pre-upi-late", {{"action", "CAPTURE"}, {"amount", 10}}), 400, "authorization_expired");
}
