// Faults on demand through /admin/faults: latency, 5xx, 429 bursts, dropped
// connections before and after pgsim acted, truncated and malformed bodies.
#include <doctest/doctest.h>

#include <chrono>

#include "tests/pgsim/pgsim_harness.hpp"

using namespace pgsim_test;

namespace {

int orders_in(const Pgsim& sim) { return static_cast<int>(sim.state()["orders"].size()); }

json last_logged(const Pgsim& sim) { return sim.state()["requests"].back(); }

}  // namespace

TEST_CASE("error faults answer 5xx without acting, or after acting") {
  Pgsim sim;
  REQUIRE(sim.admin("POST", "/faults", {{"path", "/pg/orders"}, {"action", "error"}, {"status", 503}}).status == 200);
  Response r = sim.pg("POST", "/orders", Pgsim::order_body("f-1"));
  CHECK(r.status == 503);
  CHECK(r.body["type"] == "api_error");
  CHECK(orders_in(sim) == 0);
  // Consumed: the next request goes through.
  CHECK(sim.pg("POST", "/orders", Pgsim::order_body("f-1")).status == 200);

  sim.admin("POST", "/faults", {{"path", "/pg/orders"}, {"action", "error"}, {"status", 502}, {"act", true}});
  Response bank = sim.pg("POST", "/orders", Pgsim::order_body("f-2"));
  CHECK(bank.status == 502);
  CHECK(bank.body["code"] == "bank_processing_failure");
  CHECK(orders_in(sim) == 2);  // it acted before failing
  CHECK(last_logged(sim)["fault"] == "error 502 after acting");
}

TEST_CASE("a 429 burst, then normal service") {
  Pgsim sim;
  sim.admin("POST", "/faults", {{"path_prefix", "/pg/orders/"}, {"action", "rate_limit"}, {"count", 3}, {"retry_s", 2}});
  for (int i = 0; i < 3; ++i) {
    Response r = sim.pg("GET", "/orders/any");
    CHECK(r.status == 429);
    CHECK(r.header("x-ratelimit-retry") == "2");
    CHECK(r.body["type"] == "rate_limit_error");
  }
  CHECK(sim.pg("GET", "/orders/any").status == 404);
  CHECK(sim.admin("GET", "/faults").body["faults"].empty());
}

TEST_CASE("a dropped connection, before and after pgsim acted") {
  Pgsim sim;
  sim.admin("POST", "/faults", {{"method", "POST"}, {"path", "/pg/orders"}, {"action", "drop"}});
  CHECK(sim.pg("POST", "/orders", Pgsim::order_body("d-1")).status == 0);
  CHECK(orders_in(sim) == 0);

  sim.admin("POST", "/faults", {{"method", "POST"}, {"path", "/pg/orders"}, {"action", "drop"}, {"act", true}});
  CHECK(sim.pg("POST", "/orders", Pgsim::order_body("d-2"), {{"x-idempotency-key", "drop-key"}}).status == 0);
  CHECK(orders_in(sim) == 1);  // created, though the client never heard
  CHECK(last_logged(sim)["status"] == 0);
  // The client's retry with the same key gets the stored answer, not a 409.
  Response retry = sim.pg("POST", "/orders", Pgsim::order_body("d-2"), {{"x-idempotency-key", "drop-key"}});
  CHECK(retry.status == 200);
  CHECK(retry.header("x-idempotency-replayed") == "true");
}

TEST_CASE("a truncated body and a malformed body, both after acting") {
  Pgsim sim;
  sim.admin("POST", "/faults", {{"path", "/pg/orders"}, {"action", "truncate"}});
  Response cut = sim.pg("POST", "/orders", Pgsim::order_body("t-1"));
  // cpp-httplib reports a body shorter than Content-Length as an error.
  CHECK(cut.status == 0);
  CHECK(orders_in(sim) == 1);

  sim.admin("POST", "/faults", {{"path", "/pg/orders/t-1"}, {"action", "malformed"}});
  Response bad = sim.pg("GET", "/orders/t-1");
  CHECK(bad.status == 200);
  CHECK(bad.body.is_discarded());
  CHECK(sim.pg("GET", "/orders/t-1").body["order_id"] == "t-1");
}

TEST_CASE("a stalled response: headers and half the body, then silence") {
  Pgsim sim;
  sim.admin("POST", "/faults", {{"path", "/pg/orders/stall-1"}, {"action", "stall"}, {"stall_ms", 3000}});
  REQUIRE(sim.pg("POST", "/orders", Pgsim::order_body("stall-1")).status == 200);
  // The harness's client gives up reading after 20 s; this one after 1 s.
  httplib::SSLClient cli("localhost", sim.port());
  cli.set_ca_cert_path(sim.ca_path().c_str());
  cli.enable_server_certificate_verification(true);
  cli.set_read_timeout(1);
  auto r = cli.Get("/pg/orders/stall-1", {{"x-api-version", "2025-01-01"},
                                          {"x-client-id", kClientId},
                                          {"x-client-secret", kClientSecret}});
  CHECK(!r);
  CHECK(r.error() == httplib::Error::Read);
  CHECK(sim.pg("GET", "/orders/stall-1").status == 200);
}

TEST_CASE("latency delays the answer") {
  Pgsim sim;
  sim.admin("POST", "/faults", {{"path", "/pg/orders/slow"}, {"action", "latency"}, {"delay_ms", 700}});
  const auto t0 = std::chrono::steady_clock::now();
  Response r = sim.pg("GET", "/orders/slow");
  const auto waited = std::chrono::steady_clock::now() - t0;
  CHECK(r.status == 404);
  CHECK(waited >= std::chrono::milliseconds(700));
}

TEST_CASE("bad fault scripts are refused") {
  Pgsim sim;
  CHECK(sim.admin("POST", "/faults", {{"action", "explode"}}).status == 400);
  CHECK(sim.admin("POST", "/faults", {{"action", "error"}, {"status", 404}}).status == 400);
  CHECK(sim.admin("POST", "/faults", {{"action", "error"}, {"colour", "red"}}).status == 400);
  CHECK(sim.admin("GET", "/faults").body["faults"].empty());
}
