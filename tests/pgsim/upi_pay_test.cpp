// Order Pay with UPI: link intents, QR image, collect, and the errors.
#include <doctest/doctest.h>

#include <openssl/evp.h>

#include "tests/pgsim/pgsim_harness.hpp"

using namespace pgsim_test;

namespace {

std::string query_param(const std::string& url, const std::string& key) {
  const auto q = url.find('?');
  if (q == std::string::npos) return "";
  std::string rest = url.substr(q + 1);
  size_t pos = 0;
  while (pos <= rest.size()) {
    const size_t amp = rest.find('&', pos);
    const std::string kv = rest.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (kv.rfind(key + "=", 0) == 0) return kv.substr(key.size() + 1);
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return "";
}

std::string base64_decode(const std::string& b64) {
  std::string out(b64.size() * 3 / 4 + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
  out.resize(n < 0 ? 0 : static_cast<size_t>(n));
  return out;
}

}  // namespace

TEST_CASE("UPI link: intents point at pgsim's own pay page in sandbox mode") {
  Pgsim sim;
  json order = sim.create_order("upi-1", 499.0);
  Response r = sim.pay_upi(order);
  REQUIRE(r.status == 200);
  CHECK(r.body["payment_method"] == "upi");
  CHECK(r.body["channel"] == "link");
  CHECK(r.body["action"] == "custom");
  CHECK(r.body["payment_amount"] == 499);
  CHECK(r.body["data"]["url"].is_null());
  const std::string id = r.body["cf_payment_id"];
  for (const char* app : {"default", "gpay", "phonepe", "paytm", "bhim"}) {
    CAPTURE(app);
    const std::string intent = r.body["data"]["payload"][app];
    CHECK(intent.rfind(sim.base_url() + "/pay/" + id + "?", 0) == 0);
    CHECK(query_param(intent, "am") == "499.00");
    CHECK(query_param(intent, "tr") == id);
    CHECK(query_param(intent, "cu") == "INR");
  }
  // The payment exists, not yet attempted by the customer.
  Response p = sim.pg("GET", "/orders/upi-1/payments/" + id);
  REQUIRE(p.status == 200);
  CHECK(p.body["payment_status"] == "NOT_ATTEMPTED");
  CHECK(p.body["payment_method"]["upi"]["channel"] == "link");
  CHECK(p.body["payment_amount"] == 499);
}

TEST_CASE("UPI link in production-like mode issues upi://pay intents") {
  Pgsim sim({"--production-like", "--payee-vpa", "shop@pgsim", "--payee-name", "Corner Shop"});
  json order = sim.create_order("upi-prod-1", 12.5);
  Response r = sim.pay_upi(order);
  REQUIRE(r.status == 200);
  const std::string intent = r.body["data"]["payload"]["default"];
  CHECK(intent.rfind("upi://pay?", 0) == 0);
  CHECK(query_param(intent, "pa") == "shop%40pgsim");
  CHECK(query_param(intent, "pn") == "Corner%20Shop");
  CHECK(query_param(intent, "am") == "12.50");
  CHECK(query_param(intent, "tr") == r.body["cf_payment_id"]);
  CHECK(query_param(intent, "tn") == "Counter%203%20sale");
  CHECK(query_param(intent, "cu") == "INR");
  CHECK(std::string(r.body["data"]["payload"]["gpay"]).rfind("tez://upi/pay?", 0) == 0);
  CHECK(std::string(r.body["data"]["payload"]["phonepe"]).rfind("phonepe://pay?", 0) == 0);
  CHECK(std::string(r.body["data"]["payload"]["paytm"]).rfind("paytmmp://pay?", 0) == 0);
}

TEST_CASE("UPI qrcode returns a PNG data URL") {
  Pgsim sim;
  json order = sim.create_order("upi-qr-1");
  Response r = sim.pay_upi(order, {{"channel", "qrcode"}});
  REQUIRE(r.status == 200);
  CHECK(r.body["channel"] == "qrcode");
  const std::string qr = r.body["data"]["payload"]["qrcode"];
  const std::string prefix = "data:image/png;base64,";
  REQUIRE(qr.rfind(prefix, 0) == 0);
  const std::string png = base64_decode(qr.substr(prefix.size()));
  REQUIRE(png.size() > 8);
  CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
}

TEST_CASE("UPI collect to the sandbox's test VPAs settles by itself") {
  Pgsim sim({"--collect-settle-ms", "200"});
  json ok = sim.create_order("collect-ok");
  Response r = sim.pay_upi(ok, {{"channel", "collect"}, {"upi_id", "testsuccess@gocash"}});
  REQUIRE(r.status == 200);
  CHECK(r.body["action"] == "custom");
  const std::string ok_id = r.body["cf_payment_id"];
  CHECK(sim.pg("GET", "/orders/collect-ok/payments/" + ok_id).body["payment_status"] == "PENDING");
  CHECK(eventually([&] { return sim.order_status("collect-ok") == "PAID"; }));
  json paid = sim.pg("GET", "/orders/collect-ok/payments/" + ok_id).body;
  CHECK(paid["payment_status"] == "SUCCESS");
  CHECK(paid["bank_reference"].get<std::string>().size() == 12);
  CHECK(paid["payment_method"]["upi"]["upi_id"] == "testsuccess@gocash");

  json bad = sim.create_order("collect-fail");
  Response f = sim.pay_upi(bad, {{"channel", "collect"}, {"upi_id", "testfailure@gocash"}});
  REQUIRE(f.status == 200);
  const std::string fail_id = f.body["cf_payment_id"];
  CHECK(eventually([&] {
    return sim.pg("GET", "/orders/collect-fail/payments/" + fail_id).body["payment_status"] == "FAILED";
  }));
  CHECK(sim.order_status("collect-fail") == "ACTIVE");
  json failed = sim.pg("GET", "/orders/collect-fail/payments/" + fail_id).body;
  CHECK(failed["error_details"]["error_code"].is_string());
}

TEST_CASE("a collect request the customer ignores becomes USER_DROPPED at upi_expiry_minutes") {
  Pgsim sim;
  json order = sim.create_order("collect-ignored");
  Response r = sim.pay_upi(order, {{"channel", "collect"}, {"upi_id", "someone@okbank"}, {"upi_expiry_minutes", 5}});
  REQUIRE(r.status == 200);
  const std::string id = r.body["cf_payment_id"];
  sim.admin("POST", "/clock", {{"advance_ms", 4 * 60 * 1000}});
  CHECK(sim.pg("GET", "/orders/collect-ignored/payments/" + id).body["payment_status"] == "PENDING");
  sim.admin("POST", "/clock", {{"advance_ms", 61 * 1000}});
  CHECK(sim.pg("GET", "/orders/collect-ignored/payments/" + id).body["payment_status"] == "USER_DROPPED");
}

TEST_CASE("order pay errors carry the documented codes") {
  Pgsim sim;
  json order = sim.create_order("pay-err-1");
  const json sid = order["payment_session_id"];
  struct Case {
    const char* what;
    json body;
    int status;
    const char* code;
  };
  const Case cases[] = {
      {"no session", {{"payment_method", {{"upi", {{"channel", "link"}}}}}}, 400, "payment_session_id_missing"},
      {"unknown session", {{"payment_session_id", "session_nope"}, {"payment_method", {{"upi", {{"channel", "link"}}}}}},
       400, "payment_session_id_invalid"},
      {"no method", {{"payment_session_id", sid}}, 400, "payment_method_missing"},
      {"unknown method", {{"payment_session_id", sid}, {"payment_method", {{"cash", json::object()}}}}, 400,
       "payment_method_invalid"},
      {"no channel", {{"payment_session_id", sid}, {"payment_method", {{"upi", json::object()}}}}, 400,
       "channel_missing"},
      {"collect without VPA", {{"payment_session_id", sid}, {"payment_method", {{"upi", {{"channel", "collect"}}}}}},
       400, "upi_id_missing"},
      {"collect with a bad VPA",
       {{"payment_session_id", sid}, {"payment_method", {{"upi", {{"channel", "collect"}, {"upi_id", "nobody"}}}}}},
       400, "upi_id_invalid"},
      {"collect expiry of 30 minutes",
       {{"payment_session_id", sid},
        {"payment_method", {{"upi", {{"channel", "collect"}, {"upi_id", "a@b"}, {"upi_expiry_minutes", 30}}}}}},
       400, "upi_expiry_minutes_invalid"},
      {"a method this account lacks", {{"payment_session_id", sid}, {"payment_method", {{"paylater", json::object()}}}},
       400, "request_failed"},
      {"card EMI without a bank", {{"payment_session_id", sid}, {"payment_method", {{"emi", {{"emi_tenure", 3}}}}}}, 400,
       "card_bank_name_missing"},
      {"card EMI with an unknown bank",
       {{"payment_session_id", sid}, {"payment_method", {{"emi", {{"card_bank_name", "INVALID$BANK"}}}}}}, 400,
       "card_bank_name_invalid"},
      {"card EMI without a tenure",
       {{"payment_session_id", sid}, {"payment_method", {{"emi", {{"card_bank_name", "HDFC"}}}}}}, 400,
       "emi_tenure_missing"},
      {"card EMI, not enabled on the account",
       {{"payment_session_id", sid}, {"payment_method", {{"emi", {{"card_bank_name", "hdfc"}, {"emi_tenure", 6}}}}}},
       400, "request_failed"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    Response r = sim.pg("POST", "/orders/sessions", c.body, {{"x-client-id", ""}, {"x-client-secret", ""}});
    CHECK(r.status == c.status);
    CHECK(r.body["code"] == c.code);
  }
  CHECK(sim.state()["payments"].empty());

  // An order that is no longer ACTIVE cannot be paid: orderpay_not_found (404).
  Response first = sim.pay_upi(order);
  REQUIRE(first.status == 200);
  REQUIRE(sim.simulate(first.body["cf_payment_id"], "SUCCESS").status == 200);
  Response late = sim.pay_upi(order);
  CHECK(late.status == 404);
  CHECK(late.body["code"] == "orderpay_not_found");
}

TEST_CASE("order pay checks the client-environment headers") {
  Pgsim sim;
  json order = sim.create_order("env-1");
  const json body = {{"payment_session_id", order["payment_session_id"]},
                     {"payment_method", {{"upi", {{"channel", "link"}}}}}};
  const httplib::Headers no_creds = {{"x-client-id", ""}, {"x-client-secret", ""}};
  // 2025-01-01: optional, but checked when sent.
  CHECK(sim.pg("POST", "/orders/sessions", body, no_creds).status == 200);
  Response bad = sim.pg("POST", "/orders/sessions", body,
                        {{"x-client-id", ""}, {"x-client-secret", ""}, {"x-client-device", "toaster"}});
  CHECK(bad.status == 400);
  CHECK(bad.body["code"] == "client_device_invalid");
  // 2026-01-01: required; the rendering type only for mobile devices.
  Response missing = sim.pg("POST", "/orders/sessions", body,
                            {{"x-client-id", ""}, {"x-client-secret", ""}, {"x-api-version", "2026-01-01"}});
  CHECK(missing.status == 400);
  CHECK(missing.body["code"] == "client_device_missing");
  Response mobile = sim.pg("POST", "/orders/sessions", body,
                           {{"x-client-id", ""},
                            {"x-client-secret", ""},
                            {"x-api-version", "2026-01-01"},
                            {"x-client-device", "mobile"},
                            {"x-client-os", "android"},
                            {"x-client-browser", "others"}});
  CHECK(mobile.body["code"] == "client_rendering_type_missing");
  Response ok = sim.pg("POST", "/orders/sessions", body,
                       {{"x-client-id", ""},
                        {"x-client-secret", ""},
                        {"x-api-version", "2026-01-01"},
                        {"x-client-device", "mobile"},
                        {"x-client-os", "android"},
                        {"x-client-rendering-type", "native"},
                        {"x-client-browser", "others"}});
  CHECK(ok.status == 200);
}
