// Create / Get / Terminate Order and their validation, against a real pgsim.
#include <doctest/doctest.h>

#include "tests/pgsim/pgsim_harness.hpp"

using namespace pgsim_test;

TEST_CASE("create order echoes the terminal and customer and starts ACTIVE") {
  Pgsim sim;
  Response r = sim.pg("POST", "/orders", Pgsim::order_body("sale-0001", 499.5));
  REQUIRE(r.status == 200);
  const json& o = r.body;
  CHECK(o["order_id"] == "sale-0001");
  CHECK(o["entity"] == "order");
  CHECK(o["order_status"] == "ACTIVE");
  CHECK(o["order_amount"] == 499.5);
  CHECK(o["order_currency"] == "INR");
  CHECK(o["cf_order_id"].is_string());
  CHECK(o["payment_session_id"].get<std::string>().rfind("session_", 0) == 0);
  CHECK(o["customer_details"]["customer_phone"] == "9876543210");
  CHECK(o["terminal_data"]["merchant_terminal_id"] == "T-0001");
  CHECK(o["terminal_data"]["agent_mobile_number"] == "9123456780");
  CHECK(o["terminal_data"]["terminal_type"] == "SPOS");
  CHECK(o["terminal_data"]["cf_terminal_id"].is_number_integer());
  // Times are written in IST, as Cashfree writes them.
  CHECK(o["created_at"].get<std::string>().find("+05:30") != std::string::npos);

  Response g = sim.pg("GET", "/orders/sale-0001");
  REQUIRE(g.status == 200);
  CHECK(g.body == o);
}

TEST_CASE("create order generates an id when none is given, and refuses a duplicate") {
  Pgsim sim;
  json a = sim.create_order("");
  CHECK(a["order_id"].get<std::string>().size() >= 3);
  sim.create_order("dup-1");
  Response again = sim.pg("POST", "/orders", Pgsim::order_body("dup-1"));
  CHECK(again.status == 409);
  CHECK(again.body["code"] == "order_already_exists");
  CHECK(again.body["type"] == "invalid_request_error");
}

TEST_CASE("create order validation uses Cashfree's codes and sends nothing on to state") {
  Pgsim sim;
  struct Case {
    const char* what;
    json body;
    const char* code;
  };
  auto base = Pgsim::order_body("v-1");
  auto with = [&](const std::string& ptr, json v) {
    json b = base;
    b[json::json_pointer(ptr)] = v;  // null means "not given", as for Cashfree
    return b;
  };
  json no_amount = base;
  no_amount.erase("order_amount");
  json no_customer = base;
  no_customer.erase("customer_details");
  json no_phone = base;
  no_phone["customer_details"].erase("customer_phone");
  json terminal_no_phone = base;
  terminal_no_phone["terminal"].erase("terminal_phone_no");
  const Case cases[] = {
      {"amount missing", no_amount, "order_amount_missing"},
      {"amount below 1", with("/order_amount", 0.5), "order_amount_invalid"},
      {"amount at the maximum", with("/order_amount", 1000000), "order_amount_invalid"},
      {"three decimals", with("/order_amount", 10.155), "order_amount_invalid"},
      {"amount as a string", with("/order_amount", "10"), "order_amount_invalid"},
      {"currency not INR", with("/order_currency", "USD"), "order_currency_invalid"},
      {"customer missing", no_customer, "customer_details_missing"},
      {"phone missing", no_phone, "customer_phone_missing"},
      {"phone of 9 digits", with("/customer_details/customer_phone", "987654321"), "customer_phone_invalid"},
      {"phone not Indian", with("/customer_details/customer_phone", "1234567890"), "customer_phone_invalid"},
      {"bad email", with("/customer_details/customer_email", "nobody"), "customer_email_invalid"},
      {"order id too short", with("/order_id", "ab"), "order_id_invalid"},
      {"order id too long", with("/order_id", std::string(46, 'a')), "order_id_invalid"},
      {"order id with a space", with("/order_id", "a b c"), "order_id_invalid"},
      {"terminal without type", with("/terminal/terminal_type", nullptr), "terminal_type_missing"},
      {"terminal without phone or id", terminal_no_phone, "terminal_phone_no_missing"},
      {"expiry in the past", with("/order_expiry_time", "2020-01-01T00:00:00+05:30"), "order_expiry_time_invalid"},
      {"expiry without offset", with("/order_expiry_time", "2099-01-01T00:00:00"), "order_expiry_time_invalid"},
      {"eleven tags", with("/order_tags", [] {
         json t;
         for (int i = 0; i < 11; ++i) t["k" + std::to_string(i)] = "v";
         return t;
       }()),
       "order_tags_invalid"},
      {"notify_url over http", with("/order_meta/notify_url", "http://example.com/hook"), "notify_url_invalid"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    Response r = sim.pg("POST", "/orders", c.body);
    CHECK(r.status == 400);
    CHECK(r.body["code"] == c.code);
    CHECK(r.body["type"] == "invalid_request_error");
    CHECK(!r.body["message"].get<std::string>().empty());
  }
  CHECK(sim.state()["orders"].empty());
}

TEST_CASE("an order with cf_terminal_id and no phone is accepted from 2025-01-01, refused in 2023-08-01") {
  Pgsim sim;
  json b = Pgsim::order_body("t-1");
  b["terminal"] = {{"terminal_type", "SPOS"}, {"cf_terminal_id", "31051123"}};
  CHECK(sim.pg("POST", "/orders", b).status == 200);
  b["order_id"] = "t-2";
  Response old = sim.pg("POST", "/orders", b, {{"x-api-version", "2023-08-01"}});
  CHECK(old.status == 400);
  CHECK(old.body["code"] == "terminal_phone_no_missing");
  // 2026-01-01 makes customer_details optional.
  json c = Pgsim::order_body("t-3");
  c.erase("customer_details");
  CHECK(sim.pg("POST", "/orders", c, {{"x-api-version", "2026-01-01"}}).status == 200);
  c["order_id"] = "t-4";
  CHECK(sim.pg("POST", "/orders", c).body["code"] == "customer_details_missing");
}

TEST_CASE("get order of an unknown id is a 404") {
  Pgsim sim;
  Response r = sim.pg("GET", "/orders/nope-1");
  CHECK(r.status == 404);
  CHECK(r.body["type"] == "invalid_request_error");
}

TEST_CASE("order_expiry_time is kept and the order expires then") {
  Pgsim sim;
  json b = Pgsim::order_body("exp-1");
  b["order_expiry_time"] = "2099-01-01T10:00:00Z";
  Response r = sim.pg("POST", "/orders", b);
  REQUIRE(r.status == 200);
  CHECK(r.body["order_expiry_time"] == "2099-01-01T15:30:00+05:30");

  json s = Pgsim::order_body("exp-2");
  const auto in_a_minute = std::chrono::system_clock::now() + std::chrono::minutes(1);
  const std::time_t t = std::chrono::system_clock::to_time_t(in_a_minute);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  s["order_expiry_time"] = buf;
  REQUIRE(sim.pg("POST", "/orders", s).status == 200);
  CHECK(sim.order_status("exp-2") == "ACTIVE");
  sim.admin("POST", "/clock", {{"advance_ms", 61000}});
  CHECK(sim.order_status("exp-2") == "EXPIRED");
  CHECK(sim.order_status("exp-1") == "ACTIVE");
}
