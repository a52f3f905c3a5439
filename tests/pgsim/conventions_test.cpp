// The /pg conventions every call shares: version, credentials, request id,
// rate-limit headers and limits, idempotency.
#include <doctest/doctest.h>

#include "tests/pgsim/pgsim_harness.hpp"

using namespace pgsim_test;

TEST_CASE("x-api-version is required and validated") {
  Pgsim sim;
  Response none = sim.pg("GET", "/orders/x-1", nullptr, {{"x-api-version", ""}});
  CHECK(none.status == 400);
  CHECK(none.body["code"] == "version_missing");
  Response bad = sim.pg("GET", "/orders/x-1", nullptr, {{"x-api-version", "2019-01-01"}});
  CHECK(bad.status == 400);
  CHECK(bad.body["code"] == "version_invalid");
  for (const char* v : {"2023-08-01", "2025-01-01", "2026-01-01"}) {
    CAPTURE(v);
    Response ok = sim.pg("POST", "/orders", Pgsim::order_body(std::string("ver-") + v), {{"x-api-version", v}});
    CHECK(ok.status == 200);
    CHECK(ok.header("x-api-version") == v);
  }
}

TEST_CASE("merchant calls need the client id and secret; order pay does not") {
  Pgsim sim;
  Response wrong = sim.pg("POST", "/orders", Pgsim::order_body("auth-1"), {{"x-client-secret", "guess"}});
  CHECK(wrong.status == 401);
  CHECK(wrong.body["type"] == "authentication_error");
  CHECK(sim.pg("GET", "/orders/auth-1", nullptr, {{"x-client-id", ""}}).status == 401);
  CHECK(sim.state()["orders"].empty());
  json order = sim.create_order("auth-2");
  CHECK(sim.pay_upi(order).status == 200);  // sent without credentials
}

TEST_CASE("responses echo x-request-id and carry the x-ratelimit-* headers") {
  Pgsim sim;
  Response r = sim.pg("POST", "/orders", Pgsim::order_body("hdr-1"), {{"x-request-id", "trace-42"}});
  REQUIRE(r.status == 200);
  CHECK(r.header("x-request-id") == "trace-42");
  CHECK(r.header("x-ratelimit-limit") == "200");
  CHECK(r.header("x-ratelimit-remaining") == "199");
  CHECK(r.header("x-ratelimit-retry") == "0");
  CHECK(r.header("x-ratelimit-type") == "app_id");
  Response pay = sim.pay_upi(r.body);
  CHECK(pay.header("x-ratelimit-type") == "ip");
  CHECK(pay.header("x-ratelimit-limit") == "100");
  // The request log keeps the ids and keys pgsim received.
  bool logged = false;
  const json state = sim.state();
  for (const auto& e : state["requests"]) logged |= e["request_id"] == "trace-42" && e["status"] == 200;
  CHECK(logged);
}

TEST_CASE("rate limits: 429 rate_limit_error with x-ratelimit-retry once the window is full") {
  Pgsim sim({"--rate-limit", "3"});
  for (int i = 0; i < 3; ++i) CHECK(sim.pg("GET", "/orders/none").status == 404);
  Response limited = sim.pg("GET", "/orders/none");
  CHECK(limited.status == 429);
  CHECK(limited.body["type"] == "rate_limit_error");
  CHECK(limited.header("x-ratelimit-remaining") == "0");
  const int retry = std::stoi(limited.header("x-ratelimit-retry"));
  CHECK(retry >= 1);
  CHECK(retry <= 59);
  // Other rate groups have their own windows.
  CHECK(sim.pg("POST", "/orders", Pgsim::order_body("rl-1")).status == 200);
  // A refused request changes nothing.
  Response refused = sim.pg("GET", "/orders/rl-1");
  CHECK(refused.status == 429);
}

TEST_CASE("idempotency: the first response is replayed; another body with the key is a 422") {
  Pgsim sim;
  const httplib::Headers key = {{"x-idempotency-key", "6f1c2a7e-0d7b-4a55-9f57-3c1b1f9e2a10"}};
  Response first = sim.pg("POST", "/orders", Pgsim::order_body("idem-1"), key);
  REQUIRE(first.status == 200);
  CHECK(first.header("x-idempotency-replayed") == "false");
  CHECK(first.header("x-idempotency-key") == "6f1c2a7e-0d7b-4a55-9f57-3c1b1f9e2a10");
  Response again = sim.pg("POST", "/orders", Pgsim::order_body("idem-1"), key);
  CHECK(again.status == 200);
  CHECK(again.header("x-idempotency-replayed") == "true");
  CHECK(again.raw == first.raw);
  Response other = sim.pg("POST", "/orders", Pgsim::order_body("idem-2"), key);
  CHECK(other.status == 422);
  CHECK(other.body["type"] == "idempotency_error");
  CHECK(other.body["code"] == "request_invalid");
  CHECK(sim.state()["orders"].size() == 1);

  // Errors are stored and replayed as well: the same bad request, the same 400.
  json bad = Pgsim::order_body("idem-3");
  bad["order_amount"] = 0;
  const httplib::Headers key2 = {{"x-idempotency-key", "b0f6c0de-1111-4222-8333-444455556666"}};
  Response e1 = sim.pg("POST", "/orders", bad, key2);
  Response e2 = sim.pg("POST", "/orders", bad, key2);
  CHECK(e1.status == 400);
  CHECK(e2.status == 400);
  CHECK(e2.header("x-idempotency-replayed") == "true");
}

TEST_CASE("idempotent order pay: a retried attempt is one payment") {
  Pgsim sim;
  json order = sim.create_order("idem-pay");
  const json body = {{"payment_session_id", order["payment_session_id"]},
                     {"payment_method", {{"upi", {{"channel", "link"}}}}}};
  const httplib::Headers h = {{"x-client-id", ""}, {"x-client-secret", ""}, {"x-idempotency-key", "pay-key-1"}};
  Response a = sim.pg("POST", "/orders/sessions", body, h);
  Response b = sim.pg("POST", "/orders/sessions", body, h);
  REQUIRE(a.status == 200);
  CHECK(b.header("x-idempotency-replayed") == "true");
  CHECK(a.body["cf_payment_id"] == b.body["cf_payment_id"]);
  CHECK(sim.pg("GET", "/orders/idem-pay/payments").body.size() == 1);
}

TEST_CASE("an unknown /pg endpoint is a 400 request_failed") {
  Pgsim sim;
  Response r = sim.pg("GET", "/nothing/here");
  CHECK(r.status == 400);
  CHECK(r.body["code"] == "request_failed");
}
