// softPOS terminals: create / get / status, validation, orders made with a
// registered terminal, and terminal transactions (QR code and link) paid
// through the normal payment lifecycle.
#include <doctest/doctest.h>

#include "tests/pgsim/pgsim_harness.hpp"

using namespace pgsim_test;

namespace {

json agent(const std::string& phone, const std::string& terminal_id) {
  return {{"terminal_id", terminal_id},
          {"terminal_phone_no", phone},
          {"terminal_name", "Counter agent"},
          {"terminal_email", "agent@shop.example"},
          {"terminal_type", "AGENT"}};
}

json storefront(const std::string& phone, const std::string& terminal_id) {
  json t = agent(phone, terminal_id);
  t["terminal_type"] = "STOREFRONT";
  t["terminal_address"] = "12 MG Road, Bengaluru";
  t["terminal_meta"] = {{"terminal_operator", "Asha"}};
  t["terminal_note"] = "front desk";
  return t;
}

json create_terminal(const Pgsim& sim, const json& body) {
  Response r = sim.pg("POST", "/terminal", body);
  if (r.status != 200) throw std::runtime_error("create terminal: " + std::to_string(r.status) + " " + r.raw);
  return r.body;
}

// An order made with a softPOS terminal named by phone (or by id).
json terminal_order(const Pgsim& sim, const std::string& order_id, const json& terminal) {
  json body = Pgsim::order_body(order_id, 250.0);
  body["terminal"] = terminal;
  Response r = sim.pg("POST", "/orders", body);
  if (r.status != 200) throw std::runtime_error("create order: " + r.raw);
  return r.body;
}

json spos(const std::string& phone) { return {{"terminal_type", "SPOS"}, {"terminal_phone_no", phone}}; }

Response transaction(const Pgsim& sim, const json& order, const std::string& method, json terminal) {
  json body = std::move(terminal);
  body["cf_order_id"] = order["cf_order_id"];
  body["payment_method"] = method;
  return sim.pg("POST", "/terminal/transactions", body);
}

}  // namespace

TEST_CASE("create and get a terminal") {
  Pgsim sim;
  json t = create_terminal(sim, storefront("9000000001", "store-1"));
  CHECK(t["cf_terminal_id"].is_number_integer());
  CHECK(t["terminal_id"] == "store-1");
  CHECK(t["terminal_phone_no"] == "9000000001");
  CHECK(t["terminal_type"] == "STOREFRONT");
  CHECK(t["terminal_status"] == "ACTIVE");
  CHECK(t["terminal_address"] == "12 MG Road, Bengaluru");
  CHECK(t["terminal_meta"]["terminal_operator"] == "Asha");
  CHECK(t["terminal_note"] == "front desk");
  CHECK(std::string(t["added_on"]).find("+05:30") != std::string::npos);
  CHECK(t["last_updated_on"] == t["added_on"]);

  Response g = sim.pg("GET", "/terminal/9000000001");
  REQUIRE(g.status == 200);
  CHECK(g.body == t);

  // An AGENT needs no address or operator.
  json a = create_terminal(sim, agent("9000000002", "agent-1"));
  CHECK(a["terminal_address"].is_null());
  CHECK(a["terminal_meta"].is_null());
  CHECK(a["cf_terminal_id"] != t["cf_terminal_id"]);

  Response missing = sim.pg("GET", "/terminal/9999999999");
  CHECK(missing.status == 404);
  CHECK(missing.body["code"] == "terminal_not_found");
  CHECK(missing.body["type"] == "invalid_request_error");
}

TEST_CASE("a terminal's phone and terminal_id are unique: 409") {
  Pgsim sim;
  create_terminal(sim, agent("9000000001", "agent-1"));
  Response same_phone = sim.pg("POST", "/terminal", agent("9000000001", "agent-2"));
  CHECK(same_phone.status == 409);
  CHECK(same_phone.body["code"] == "terminal_already_exists");
  CHECK(same_phone.body["type"] == "invalid_request_error");
  Response same_id = sim.pg("POST", "/terminal", agent("9000000002", "agent-1"));
  CHECK(same_id.status == 409);
  CHECK(same_id.body["code"] == "terminal_already_exists");
  CHECK(sim.state()["terminals"].size() == 1);
}

TEST_CASE("create terminal validation codes") {
  Pgsim sim;
  struct Case {
    const char* what;
    json body;
    const char* code;
  };
  auto without = [](json b, const char* key) {
    b.erase(key);
    return b;
  };
  auto with = [](json b, const char* key, json v) {
    b[key] = std::move(v);
    return b;
  };
  const json ok = storefront("9000000001", "store-1");
  const Case cases[] = {
      {"no terminal_id", without(ok, "terminal_id"), "terminal_id_missing"},
      {"short terminal_id", with(ok, "terminal_id", "ab"), "terminal_id_invalid"},
      {"no phone", without(ok, "terminal_phone_no"), "terminal_phone_no_missing"},
      {"nine-digit phone", with(ok, "terminal_phone_no", "900000000"), "terminal_phone_no_invalid"},
      {"phone with letters", with(ok, "terminal_phone_no", "90000000ab"), "terminal_phone_no_invalid"},
      {"no name", without(ok, "terminal_name"), "terminal_name_missing"},
      {"short name", with(ok, "terminal_name", "Al"), "terminal_name_invalid"},
      {"no email", without(ok, "terminal_email"), "terminal_email_missing"},
      {"bad email", with(ok, "terminal_email", "nobody"), "terminal_email_invalid"},
      {"no type", without(ok, "terminal_type"), "terminal_type_missing"},
      {"SPOS type", with(ok, "terminal_type", "SPOS"), "terminal_type_invalid"},
      {"storefront without address", without(ok, "terminal_address"), "terminal_address_missing"},
      {"storefront without meta", without(ok, "terminal_meta"), "terminal_meta_missing"},
      {"storefront without operator", with(ok, "terminal_meta", json::object()), "terminal_operator_missing"},
      {"meta not an object", with(ok, "terminal_meta", "Asha"), "terminal_meta_invalid"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    Response r = sim.pg("POST", "/terminal", c.body);
    CHECK(r.status == 400);
    CHECK(r.body["code"] == c.code);
    CHECK(r.body["type"] == "invalid_request_error");
  }
  CHECK(sim.state()["terminals"].empty());
}

TEST_CASE("terminal status: ACTIVE and INACTIVE") {
  Pgsim sim;
  json t = create_terminal(sim, agent("9000000001", "agent-1"));
  const std::string id = std::to_string(t["cf_terminal_id"].get<uint64_t>());
  sim.admin("POST", "/clock", {{"advance_ms", 5000}});
  Response r = sim.pg("PATCH", "/terminal/" + id + "/status", {{"terminal_status", "INACTIVE"}});
  REQUIRE(r.status == 200);
  REQUIRE(r.body.is_array());
  REQUIRE(r.body.size() == 1);
  CHECK(r.body[0]["terminal_status"] == "INACTIVE");
  CHECK(r.body[0]["cf_terminal_id"] == t["cf_terminal_id"]);
  CHECK(r.body[0]["last_updated_on"] != t["added_on"]);
  CHECK(sim.pg("GET", "/terminal/9000000001").body["terminal_status"] == "INACTIVE");

  CHECK(sim.pg("PATCH", "/terminal/" + id + "/status", {{"terminal_status", "DOCS_AWAITED"}}).body["code"] ==
        "terminal_status_invalid");
  CHECK(sim.pg("PATCH", "/terminal/" + id + "/status", json::object()).body["code"] == "terminal_status_missing");
  Response unknown = sim.pg("PATCH", "/terminal/1/status", {{"terminal_status", "ACTIVE"}});
  CHECK(unknown.status == 404);
  CHECK(unknown.body["code"] == "terminal_not_found");
}

TEST_CASE("an order made with a registered terminal shows its cf_terminal_id") {
  Pgsim sim;
  json t = create_terminal(sim, agent("9000000001", "agent-1"));
  json by_phone = terminal_order(sim, "spos-phone", spos("9000000001"));
  CHECK(by_phone["terminal_data"]["cf_terminal_id"] == t["cf_terminal_id"]);
  CHECK(by_phone["terminal_data"]["agent_mobile_number"] == "9000000001");
  CHECK(by_phone["terminal_data"]["merchant_terminal_id"] == "agent-1");
  // Named by id only, the order learns the terminal's phone.
  json by_id = terminal_order(sim, "spos-id",
                              {{"terminal_type", "SPOS"},
                               {"cf_terminal_id", std::to_string(t["cf_terminal_id"].get<uint64_t>())}});
  CHECK(by_id["terminal_data"]["cf_terminal_id"] == t["cf_terminal_id"]);
  CHECK(by_id["terminal_data"]["agent_mobile_number"] == "9000000001");
  CHECK(sim.pg("GET", "/orders/spos-id").body["terminal_data"] == by_id["terminal_data"]);
  // An unregistered terminal is still accepted, with a derived id.
  json other = terminal_order(sim, "spos-other", spos("9000000009"));
  CHECK(other["terminal_data"]["cf_terminal_id"] != t["cf_terminal_id"]);
}

TEST_CASE("terminal transaction QR_CODE, paid on the customer's pay page") {
  Pgsim sim;
  json t = create_terminal(sim, agent("9000000001", "agent-1"));
  json order = terminal_order(sim, "spos-qr", spos("9000000001"));
  Response r = transaction(sim, order, "QR_CODE", {{"terminal_phone_no", "9000000001"}});
  REQUIRE(r.status == 200);
  const std::string id = r.body["cf_payment_id"];
  CHECK(r.body["payment_amount"] == 250);
  CHECK(r.body["payment_method"] == "QR_CODE");
  CHECK(r.body["timeout"] == "300000");
  const std::string url = r.body["payment_url"];
  CHECK(url.rfind(sim.base_url() + "/pay/" + id + "?", 0) == 0);
  CHECK(std::string(r.body["qrcode"]).rfind("data:image/png;base64,", 0) == 0);

  json p = sim.pg("GET", "/orders/spos-qr/payments/" + id).body;
  CHECK(p["payment_status"] == "NOT_ATTEMPTED");
  CHECK(p["payment_method"]["upi"]["channel"] == "qrcode");

  Response page = sim.request("GET", "/pay/" + id, "", {});
  CHECK(page.raw.find("250.00") != std::string::npos);
  Response paid = sim.request("POST", "/pay/" + id, "decision=pay", {}, "application/x-www-form-urlencoded");
  CHECK(paid.status == 303);
  CHECK(sim.order_status("spos-qr") == "PAID");
  CHECK(sim.pg("GET", "/orders/spos-qr/payments/" + id).body["payment_status"] == "SUCCESS");
}

TEST_CASE("terminal transaction LINK, decided by simulate") {
  Pgsim sim;
  json t = create_terminal(sim, agent("9000000001", "agent-1"));
  json order = terminal_order(sim, "spos-link", spos("9000000001"));
  // Named by cf_terminal_id, given as a number as in the spec's example.
  Response r = transaction(sim, order, "LINK", {{"cf_terminal_id", t["cf_terminal_id"]}, {"add_invoice", false}});
  REQUIRE(r.status == 200);
  CHECK(r.body["payment_method"] == "LINK");
  const std::string id = r.body["cf_payment_id"];
  CHECK(sim.pg("GET", "/orders/spos-link/payments/" + id).body["payment_method"]["upi"]["channel"] == "link");
  REQUIRE(sim.simulate(id, "SUCCESS").status == 200);
  CHECK(sim.order_status("spos-link") == "PAID");
  // A paid order takes no more terminal transactions.
  Response again = transaction(sim, order, "LINK", {{"cf_terminal_id", t["cf_terminal_id"]}});
  CHECK(again.status == 400);
  CHECK(again.body["code"] == "order_inactive");
}

TEST_CASE("terminal transaction refusals") {
  Pgsim sim;
  json mine = create_terminal(sim, agent("9000000001", "agent-1"));
  json other = create_terminal(sim, agent("9000000002", "agent-2"));
  json order = terminal_order(sim, "spos-refuse", spos("9000000001"));
  const json plain = sim.create_order("not-spos");  // made with the harness's unregistered terminal
  struct Case {
    const char* what;
    Response r;
    int status;
    const char* code;
  };
  const Case cases[] = {
      {"another terminal, by phone", transaction(sim, order, "QR_CODE", {{"terminal_phone_no", "9000000002"}}), 400,
       "terminal_phone_no_invalid"},
      {"another terminal, by id", transaction(sim, order, "QR_CODE", {{"cf_terminal_id", other["cf_terminal_id"]}}), 400,
       "cf_terminal_id_invalid"},
      {"an order made with another terminal", transaction(sim, plain, "QR_CODE", {{"terminal_phone_no", "9000000001"}}),
       400, "terminal_phone_no_invalid"},
      {"id and phone disagree",
       transaction(sim, order, "QR_CODE", {{"cf_terminal_id", mine["cf_terminal_id"]}, {"terminal_phone_no", "9000000002"}}),
       400, "terminal_phone_no_invalid"},
      {"no terminal", transaction(sim, order, "QR_CODE", json::object()), 400, "terminal_phone_no_missing"},
      {"unknown terminal", transaction(sim, order, "QR_CODE", {{"terminal_phone_no", "9000000003"}}), 404,
       "terminal_not_found"},
      {"bad method", transaction(sim, order, "CARD", {{"terminal_phone_no", "9000000001"}}), 400,
       "payment_method_invalid"},
      {"no method",
       sim.pg("POST", "/terminal/transactions", {{"cf_order_id", order["cf_order_id"]}, {"terminal_phone_no", "9000000001"}}),
       400, "payment_method_missing"},
      {"no order id",
       sim.pg("POST", "/terminal/transactions", {{"payment_method", "LINK"}, {"terminal_phone_no", "9000000001"}}), 400,
       "cf_order_id_missing"},
      {"unknown order",
       sim.pg("POST", "/terminal/transactions",
              {{"cf_order_id", "1"}, {"payment_method", "LINK"}, {"terminal_phone_no", "9000000001"}}),
       404, "order_not_found"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    CHECK(c.r.status == c.status);
    CHECK(c.r.body["code"] == c.code);
  }
  CHECK(sim.state()["payments"].empty());

  // An INACTIVE terminal takes no transactions.
  const std::string id = std::to_string(mine["cf_terminal_id"].get<uint64_t>());
  REQUIRE(sim.pg("PATCH", "/terminal/" + id + "/status", {{"terminal_status", "INACTIVE"}}).status == 200);
  Response inactive = transaction(sim, order, "QR_CODE", {{"terminal_phone_no", "9000000001"}});
  CHECK(inactive.status == 400);
  CHECK(inactive.body["code"] == "terminal_inactive");
}

TEST_CASE("terminals persist with --state and show in /admin/state") {
  const fs::path dir = Pgsim::fresh_dir();
  const std::string state_file = (dir / "state.json").string();
  json t;
  {
    Pgsim sim({"--state", state_file}, dir);
    t = create_terminal(sim, storefront("9000000001", "store-1"));
    json state = sim.state();
    REQUIRE(state["terminals"].size() == 1);
    CHECK(state["terminals"][0]["terminal_phone_no"] == "9000000001");
    sim.kill_hard();
  }
  Pgsim again({"--state", state_file}, dir);
  CHECK(again.pg("GET", "/terminal/9000000001").body == t);
  // Ids keep counting without reuse.
  json next = create_terminal(again, agent("9000000002", "agent-2"));
  CHECK(next["cf_terminal_id"].get<uint64_t>() > t["cf_terminal_id"].get<uint64_t>());
}
