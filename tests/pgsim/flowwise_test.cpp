// The Flowwise Native API under /router: orders, UPI and card payments, the
// 3-D Secure and UPI pages, capture and void, reads, refunds, and the /pg
// conventions (credentials, idempotency, faults, persistence) applied to it.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "tests/pgsim/pgsim_harness.hpp"

using namespace pgsim_test;

namespace {

const json kCard = {{"card_number", "4111111111111111"},
                    {"card_expiry_mm", "12"},
                    {"card_expiry_yy", "49"},
                    {"card_cvv", "123"},
                    {"card_holder_name", "Priya Sharma"}};

// A /router call with the merchant's credentials; `extra` headers are added
// (an empty value removes one).
Response fw(const Pgsim& sim, const std::string& method, const std::string& path, const json& body = nullptr,
            httplib::Headers extra = {}) {
  httplib::Headers h = {{"x-client-id", kClientId}, {"x-client-secret", kClientSecret}};
  for (const auto& [k, v] : extra) {
    h.erase(k);
    if (!v.empty()) h.emplace(k, v);
  }
  return sim.request(method, "/router" + path, body.is_null() ? "" : body.dump(), h);
}

json order_body(const std::string& order_id, double amount = 499.0) {
  return {{"order_id", order_id},
          {"order_amount", amount},
          {"order_currency", "INR"},
          {"customer_details",
           {{"customer_email", "priya@example.com"}, {"customer_phone", "+919876543210"}, {"customer_id", "cust-1"}}},
          {"order_note", "Counter 3 sale"}};
}

json manual_capture(json body) {
  body["order_tags"] = {{"capture", "manual"}};
  return body;
}

json create_order(const Pgsim& sim, const json& body) {
  Response r = fw(sim, "POST", "/orders", body);
  if (r.status != 200) throw std::runtime_error("create order: " + std::to_string(r.status) + " " + r.raw);
  return r.body;
}

Response pay(const Pgsim& sim, const json& order, const std::string& method, const json& details,
             httplib::Headers extra = {}) {
  return fw(sim, "POST", "/order/pay/" + order["order_hash"].get<std::string>(),
            {{"payment_method", method}, {"payment_method_details", details}}, std::move(extra));
}

json payment(const Pgsim& sim, const std::string& id) { return fw(sim, "GET", "/payments/" + id).body; }

Response form(const Pgsim& sim, const std::string& path, const std::string& body) {
  return sim.request("POST", path, body, {}, "application/x-www-form-urlencoded");
}

std::string path_of(const Pgsim& sim, const std::string& url) {
  REQUIRE(url.rfind(sim.base_url(), 0) == 0);
  return url.substr(sim.base_url().size());
}

// A card payment on a new order, completed on the 3-D Secure page with the
// sandbox's OTP. Returns the payment id.
std::string paid_by_card(const Pgsim& sim, const std::string& order_id, bool manual, double amount = 499.0) {
  json body = order_body(order_id, amount);
  json order = create_order(sim, manual ? manual_capture(body) : body);
  Response p = pay(sim, order, "card", kCard);
  REQUIRE(p.status == 200);
  REQUIRE(form(sim, path_of(sim, p.body["redirect_url"]), "decision=submit&otp=111000").status == 303);
  return p.body["payment_id"];
}

Response authorize(const Pgsim& sim, const std::string& order_id, const std::string& payment_id, const json& body) {
  return fw(sim, "POST", "/orders/" + order_id + "/payments/" + payment_id + "/authorize", body);
}

json refund_body(const std::string& refund_id, double amount, const std::string& note = "") {
  json b = {{"refund_id", refund_id}, {"refund_amount", amount}, {"refund_type", "MERCHANT_INITIATED"}};
  if (!note.empty()) b["refund_note"] = note;
  return b;
}

void advance(const Pgsim& sim, int64_t ms) { REQUIRE(sim.admin("POST", "/clock", {{"advance_ms", ms}}).status == 200); }

std::string query_param(const std::string& url, const std::string& key) {
  const auto q = url.find('?');
  std::stringstream ss(q == std::string::npos ? "" : url.substr(q + 1));
  std::string kv;
  while (std::getline(ss, kv, '&'))
    if (kv.rfind(key + "=", 0) == 0) return kv.substr(key.size() + 1);
  return "";
}

// Every key and string value in `j`, for looking for data that must not be kept.
void walk(const json& j, std::vector<std::string>& keys, std::vector<std::string>& strings) {
  if (j.is_string()) strings.push_back(j.get<std::string>());
  if (j.is_object())
    for (const auto& [k, v] : j.items()) {
      keys.push_back(k);
      walk(v, keys, strings);
    }
  if (j.is_array())
    for (const auto& v : j) walk(v, keys, strings);
}

}  // namespace

TEST_CASE("flowwise: create and get an order") {
  Pgsim sim;
  Response r = fw(sim, "POST", "/orders", order_body("fw-1", 499.5), {{"x-request-id", "trace-fw-1"}});
  REQUIRE(r.status == 200);
  const json& o = r.body;
  CHECK(o["order_id"] == "fw-1");
  CHECK(o["order_status"] == "ACTIVE");
  CHECK(o["order_amount"] == 499.5);
  CHECK(o["order_currency"] == "INR");
  CHECK(o["customer_email"] == "priya@example.com");
  CHECK(o["customer_id"] == "cust-1");
  CHECK(o["payment_methods"] == "cc,dc,upi,nb,wallet");
  CHECK(o["order_note"] == "Counter 3 sale");
  CHECK(o["project_id"].is_string());
  const std::string hash = o["order_hash"];
  CHECK(hash.size() == 32);
  CHECK(hash.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(o["checkout_url"] == sim.base_url() + "/router/view/checkout/" + hash);
  CHECK(o["added_on"].get<std::string>().back() == 'Z');
  CHECK(o["order_expiry_time"].get<std::string>().back() == 'Z');
  // The /pg conventions, less the version.
  CHECK(r.header("x-request-id") == "trace-fw-1");
  CHECK(r.header("x-ratelimit-limit") == "200");
  CHECK(r.header("x-ratelimit-remaining") == "199");
  CHECK(r.header("x-ratelimit-type") == "app_id");
  CHECK(r.header("x-api-version").empty());

  Response g = fw(sim, "GET", "/orders/fw-1");
  REQUIRE(g.status == 200);
  CHECK(g.body == o);
  CHECK(g.header("x-ratelimit-limit") == "400");
  // The checkout page shows the order.
  Response page = sim.request("GET", path_of(sim, o["checkout_url"]), "", {});
  CHECK(page.status == 200);
  CHECK(page.raw.find("fw-1") != std::string::npos);
  // Flowwise orders are apart from /pg's.
  CHECK(sim.pg("GET", "/orders/fw-1").status == 404);
}

TEST_CASE("flowwise: order validation, duplicates, credentials, unknown ids") {
  Pgsim sim;
  struct Case {
    const char* what;
    json body;
    const char* code;
  };
  const json base = order_body("v-1");
  auto with = [&](const std::string& ptr, json v) {
    json b = base;
    b[json::json_pointer(ptr)] = std::move(v);
    return b;
  };
  auto without = [&](const std::string& key) {
    json b = base;
    b.erase(key);
    return b;
  };
  const Case cases[] = {
      {"order id missing", without("order_id"), "order_id_missing"},
      {"order id too short", with("/order_id", "ab"), "order_id_invalid"},
      {"order id too long", with("/order_id", std::string(46, 'a')), "order_id_invalid"},
      {"order id with a space", with("/order_id", "a b c"), "order_id_invalid"},
      {"amount missing", without("order_amount"), "order_amount_missing"},
      {"amount below 1", with("/order_amount", 0.5), "order_amount_invalid"},
      {"amount of a million", with("/order_amount", 1000000), "order_amount_invalid"},
      {"three decimals", with("/order_amount", 10.155), "order_amount_invalid"},
      {"amount as a string", with("/order_amount", "10"), "order_amount_invalid"},
      {"currency not INR", with("/order_currency", "USD"), "order_currency_invalid"},
      {"phone of 9 digits", with("/customer_details/customer_phone", "+91987654321"), "customer_phone_invalid"},
      {"phone with another country", with("/customer_details/customer_phone", "+449876543210"), "customer_phone_invalid"},
      {"bad email", with("/customer_details/customer_email", "nobody"), "customer_email_invalid"},
      {"unknown payment method", with("/payment_methods", "cc,cash"), "payment_methods_invalid"},
      {"expiry of 2 minutes", with("/expiry_time_in_minutes", 2), "expiry_time_in_minutes_invalid"},
      {"expiry as text", with("/expiry_time_in_minutes", "60"), "expiry_time_in_minutes_invalid"},
      {"capture knob unknown", with("/order_tags", {{"capture", "later"}}), "order_tags_invalid"},
      {"tag not a string", with("/order_tags", {{"lane", 3}}), "order_tags_invalid"},
      {"return url not http", with("/return_base_url", "ftp://shop/x"), "return_base_url_invalid"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    Response r = fw(sim, "POST", "/orders", c.body);
    CHECK(r.status == 400);
    CHECK(r.body["code"] == c.code);
    CHECK(r.body["type"] == "invalid_request_error");
    CHECK(!r.body["message"].get<std::string>().empty());
  }
  CHECK(sim.state()["flowwise"]["orders"].empty());

  // A bare 10-digit phone and no customer at all are both fine.
  CHECK(fw(sim, "POST", "/orders", with("/customer_details/customer_phone", "9876543210")).status == 200);
  json minimal = {{"order_id", "v-min"}, {"order_amount", 1}};
  Response m = fw(sim, "POST", "/orders", minimal);
  REQUIRE(m.status == 200);
  CHECK(m.body["customer_email"].is_null());
  CHECK(m.body["order_currency"] == "INR");

  Response dup = fw(sim, "POST", "/orders", minimal);
  CHECK(dup.status == 409);
  CHECK(dup.body["code"] == "order_already_exists");
  CHECK(dup.body["type"] == "invalid_request_error");

  Response wrong = fw(sim, "POST", "/orders", order_body("v-2"), {{"x-client-secret", "guess"}});
  CHECK(wrong.status == 401);
  CHECK(wrong.body["type"] == "authentication_error");
  CHECK(fw(sim, "GET", "/orders/v-min", nullptr, {{"x-client-id", ""}}).status == 401);
  CHECK(pay(sim, m.body, "upi", json::object(), {{"x-client-secret", ""}}).status == 401);

  Response none = fw(sim, "GET", "/orders/nope");
  CHECK(none.status == 404);
  CHECK(none.body["code"] == "order_not_found");
  CHECK(fw(sim, "GET", "/payments/nope").body["code"] == "payment_not_found");
  CHECK(fw(sim, "POST", "/order/pay/0123abcd", {{"payment_method", "upi"}, {"payment_method_details", json::object()}})
            .body["code"] == "order_not_found");
  CHECK(fw(sim, "GET", "/nothing/here").body["code"] == "request_failed");
}

TEST_CASE("flowwise: UPI collect to the sandbox's test VPAs settles by itself") {
  Pgsim sim({"--collect-settle-ms", "200"});
  json ok = create_order(sim, order_body("fw-collect-ok"));
  Response r = pay(sim, ok, "upi", {{"upi_id", "testsuccess@gocash"}, {"app_name", "PhonePe"}});
  REQUIRE(r.status == 200);
  CHECK(r.body["payment_method"] == "upi");
  CHECK(r.body["payment_status"] == "PENDING");
  CHECK(r.body["payment_amount"] == 499);
  CHECK(r.body["capture_status"].is_null());
  CHECK(r.body["payload"].is_null());
  CHECK(r.body["redirect_url"].is_null());
  CHECK(r.body["processor_ref"].is_string());
  const std::string id = r.body["payment_id"];
  CHECK(eventually([&] { return payment(sim, id)["status"] == "SUCCESS"; }));
  json p = payment(sim, id);
  CHECK(p["capture_status"] == "CAPTURED");
  CHECK(p["capture_amount"] == 499);
  CHECK(p["gateway_details"]["utr"].get<std::string>().size() == 12);
  CHECK(p["payment_method_details"]["channel"] == "COLLECT");
  CHECK(p["payment_method_details"]["upi_id"] == "testsuccess@gocash");
  CHECK(p["payment_method_details"]["app_name"] == "PhonePe");
  CHECK(fw(sim, "GET", "/orders/fw-collect-ok").body["order_status"] == "PAID");
  // A paid order takes no more payments.
  CHECK(pay(sim, ok, "upi", json::object()).status == 404);

  json bad = create_order(sim, order_body("fw-collect-fail"));
  const std::string fail_id = pay(sim, bad, "upi", {{"upi_id", "testfailure@gocash"}}).body["payment_id"];
  CHECK(eventually([&] { return payment(sim, fail_id)["status"] == "FAILED"; }));
  json f = payment(sim, fail_id);
  CHECK(f["error_details"]["error_code"].is_string());
  CHECK(f["capture_status"].is_null());
  CHECK(fw(sim, "GET", "/orders/fw-collect-fail").body["order_status"] == "ACTIVE");

  // Another VPA waits for the customer, who has 5 minutes.
  json slow = create_order(sim, order_body("fw-collect-slow"));
  const std::string slow_id = pay(sim, slow, "upi", {{"upi_id", "someone@okbank"}}).body["payment_id"];
  advance(sim, 4 * 60 * 1000);
  CHECK(payment(sim, slow_id)["status"] == "PENDING");
  advance(sim, 61 * 1000);
  CHECK(payment(sim, slow_id)["status"] == "USER_DROPPED");
  CHECK(pay(sim, slow, "upi", {{"upi_id", "nobody"}}).body["code"] == "upi_id_invalid");
}

TEST_CASE("flowwise: UPI intent carries a upi://pay payload and a pay page") {
  Pgsim sim({"--payee-vpa", "shop@pgsim", "--payee-name", "Corner Shop"});
  json order = create_order(sim, order_body("fw-intent", 12.5));
  Response r = pay(sim, order, "upi", {{"app_name", "GPay"}});
  REQUIRE(r.status == 200);
  CHECK(r.body["payment_status"] == "INITIATED");
  const std::string id = r.body["payment_id"];
  const std::string intent = r.body["payload"];
  CHECK(intent.rfind("upi://pay?pa=shop%40pgsim&pn=Corner%20Shop&tr=" + id + "&am=12.50&cu=INR&mc=5732&tn=", 0) == 0);
  CHECK(query_param(intent, "tn") == "Counter%203%20sale");
  const std::string page = path_of(sim, r.body["redirect_url"]);
  CHECK(page == "/router/view/pay/" + id);

  Response view = sim.request("GET", page, "", {});
  CHECK(view.status == 200);
  CHECK(view.raw.find("Corner Shop") != std::string::npos);
  CHECK(view.raw.find("value=pay") != std::string::npos);
  Response paid = form(sim, page, "decision=pay");
  CHECK(paid.status == 303);
  CHECK(paid.header("Location") == page);
  CHECK(payment(sim, id)["status"] == "SUCCESS");
  CHECK(fw(sim, "GET", "/orders/fw-intent").body["order_status"] == "PAID");
  CHECK(sim.request("GET", page, "", {}).raw.find("This payment is SUCCESS") != std::string::npos);

  // Declined and abandoned intents leave the order ACTIVE.
  json other = create_order(sim, order_body("fw-intent-2"));
  const std::string declined = pay(sim, other, "upi", json::object()).body["payment_id"];
  form(sim, "/router/view/pay/" + declined, "decision=decline");
  CHECK(payment(sim, declined)["status"] == "FAILED");
  const std::string left = pay(sim, other, "upi", json::object()).body["payment_id"];
  form(sim, "/router/view/pay/" + left, "decision=leave");
  CHECK(payment(sim, left)["status"] == "USER_DROPPED");
  CHECK(fw(sim, "GET", "/orders/fw-intent-2").body["order_status"] == "ACTIVE");
  // One left alone is dropped when the attempt's time runs out.
  const std::string idle = pay(sim, other, "upi", json::object()).body["payment_id"];
  advance(sim, 10 * 60 * 1000 + 1000);
  CHECK(payment(sim, idle)["status"] == "USER_DROPPED");
}

TEST_CASE("flowwise: UPI intent in production-like mode has no pgsim page") {
  Pgsim sim({"--production-like"});
  json order = create_order(sim, order_body("fw-prod"));
  Response r = pay(sim, order, "upi", json::object());
  REQUIRE(r.status == 200);
  CHECK(r.body["payload"].get<std::string>().rfind("upi://pay?", 0) == 0);
  CHECK(r.body["redirect_url"].is_null());
}

TEST_CASE("flowwise: the checkout page starts a UPI payment") {
  Pgsim sim;
  json order = create_order(sim, order_body("fw-checkout"));
  const std::string checkout = path_of(sim, order["checkout_url"]);
  Response start = form(sim, checkout, "");
  REQUIRE(start.status == 303);
  const std::string page = start.header("Location");
  CHECK(page.rfind("/router/view/pay/pay_", 0) == 0);
  form(sim, page, "decision=pay");
  CHECK(fw(sim, "GET", "/orders/fw-checkout").body["order_status"] == "PAID");
  Response after = sim.request("GET", checkout, "", {});
  CHECK(after.raw.find("PAID") != std::string::npos);
  CHECK(after.raw.find("Pay with UPI") == std::string::npos);
}

TEST_CASE("flowwise: card payment through 3-D Secure, completed") {
  Pgsim sim;
  json body = order_body("fw-card");
  body["return_base_url"] = "https://shop.example/done";
  json order = create_order(sim, body);
  Response r = pay(sim, order, "card", kCard);
  REQUIRE(r.status == 200);
  CHECK(r.body["payment_method"] == "card");
  CHECK(r.body["payment_status"] == "REDIRECTED");
  CHECK(r.body["capture_status"].is_null());
  CHECK(r.body["capture_amount"] == 0);
  CHECK(r.body["return_url"] == "https://shop.example/done?order_id=fw-card");
  const std::string id = r.body["payment_id"];
  const std::string acs = path_of(sim, r.body["redirect_url"]);
  CHECK(acs == "/router/view/3ds/" + id);

  Response view = sim.request("GET", acs, "", {});
  CHECK(view.status == 200);
  CHECK(view.raw.find("411111XXXXXX1111") != std::string::npos);
  CHECK(view.raw.find("111000") != std::string::npos);
  CHECK(view.raw.find("4111111111111111") == std::string::npos);

  Response done = form(sim, acs, "decision=submit&otp=111000");
  CHECK(done.status == 303);
  CHECK(done.header("Location") == "https://shop.example/done?order_id=fw-card");
  json p = payment(sim, id);
  CHECK(p["status"] == "SUCCESS");
  CHECK(p["capture_status"] == "CAPTURED");
  CHECK(p["capture_amount"] == 499);
  CHECK(p["payment_amount"] == 499);
  CHECK(p["payment_currency"] == "INR");
  CHECK(p["gateway_details"]["auth_id"].is_string());
  CHECK(p["gateway_details"]["utr"].is_string());
  CHECK(p["gateway_details"]["processor_ref"] == r.body["processor_ref"]);
  CHECK(p["payment_method_details"]["card_number"] == "411111XXXXXX1111");
  CHECK(p["payment_method_details"]["card_network"] == "VISA");
  CHECK(p["payment_method_details"]["card_holder_name"] == "Priya Sharma");
  CHECK(fw(sim, "GET", "/orders/fw-card").body["order_status"] == "PAID");
  // The page no longer offers the OTP form; a second submit changes nothing.
  CHECK(sim.request("GET", acs, "", {}).raw.find("This payment is SUCCESS") != std::string::npos);
  form(sim, acs, "decision=cancel");
  CHECK(payment(sim, id)["status"] == "SUCCESS");
}

TEST_CASE("flowwise: card 3-D Secure cancelled, or failed with a wrong OTP") {
  Pgsim sim;
  json order = create_order(sim, order_body("fw-card-no"));
  const std::string cancelled = pay(sim, order, "card", kCard).body["payment_id"];
  Response back = form(sim, "/router/view/3ds/" + cancelled, "decision=cancel");
  CHECK(back.status == 303);
  CHECK(back.header("Location") == "/router/view/3ds/" + cancelled);  // no return_url
  json c = payment(sim, cancelled);
  CHECK(c["status"] == "USER_DROPPED");
  CHECK(c["capture_status"].is_null());

  const std::string wrong = pay(sim, order, "card", kCard).body["payment_id"];
  form(sim, "/router/view/3ds/" + wrong, "decision=submit&otp=123456");
  json w = payment(sim, wrong);
  CHECK(w["status"] == "FAILED");
  CHECK(w["error_details"]["error_code"] == "AUTHENTICATION_FAILED");
  CHECK(fw(sim, "GET", "/orders/fw-card-no").body["order_status"] == "ACTIVE");
  json all = fw(sim, "GET", "/orders/fw-card-no/payments").body;
  REQUIRE(all.size() == 2);
  CHECK(all[0]["payment_id"] == cancelled);
  CHECK(all[1]["payment_id"] == wrong);
}

TEST_CASE("flowwise: card and payment validation") {
  Pgsim sim;
  json order = create_order(sim, order_body("fw-card-v"));
  auto card_with = [](const std::string& key, json v) {
    json c = kCard;
    if (v.is_null()) c.erase(key);
    else c[key] = std::move(v);
    return c;
  };
  const json token = {{"card_number", "4242424242424242"},
                      {"cryptogram", "AgAAAAAABk4DWZ4C28yUQAAAAAA="},
                      {"token_requestor_id", "40010030273"},
                      {"card_display", "1234"}};
  auto token_with = [&](const std::string& key, json v) {
    json c = token;
    if (v.is_null()) c.erase(key);
    else c[key] = std::move(v);
    return c;
  };
  struct Case {
    const char* what;
    json details;
    const char* code;
  };
  const Case cases[] = {
      {"no card number", card_with("card_number", nullptr), "card_number_missing"},
      {"Luhn fails", card_with("card_number", "4111111111111112"), "card_number_invalid"},
      {"letters", card_with("card_number", "4111abcd11111111"), "card_number_invalid"},
      {"no month", card_with("card_expiry_mm", nullptr), "card_expiry_mm_missing"},
      {"month 13", card_with("card_expiry_mm", "13"), "card_expiry_mm_invalid"},
      {"no year", card_with("card_expiry_yy", nullptr), "card_expiry_yy_missing"},
      {"expired", card_with("card_expiry_yy", "20"), "card_expiry_yy_invalid"},
      {"no CVV", card_with("card_cvv", nullptr), "card_cvv_missing"},
      {"CVV of 2", card_with("card_cvv", "12"), "card_cvv_invalid"},
      {"CVV as a number", card_with("card_cvv", 123), "card_cvv_invalid"},
      {"token without requestor", token_with("token_requestor_id", nullptr), "token_requestor_id_missing"},
      {"token without display", token_with("card_display", nullptr), "card_display_missing"},
      {"token display of 5", token_with("card_display", "12345"), "card_display_invalid"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    Response r = pay(sim, order, "card", c.details);
    CHECK(r.status == 400);
    CHECK(r.body["code"] == c.code);
    CHECK(r.raw.find("4111") == std::string::npos);  // card data is never echoed
  }
  const std::string hash = order["order_hash"];
  auto raw_pay = [&](const json& b) { return fw(sim, "POST", "/order/pay/" + hash, b); };
  CHECK(raw_pay({{"payment_method_details", kCard}}).body["code"] == "payment_method_missing");
  CHECK(raw_pay({{"payment_method", "cash"}, {"payment_method_details", kCard}}).body["code"] == "payment_method_invalid");
  CHECK(raw_pay({{"payment_method", "card"}}).body["code"] == "payment_method_details_missing");
  CHECK(raw_pay({{"payment_method", "card"}, {"payment_method_details", "x"}}).body["code"] ==
        "payment_method_details_invalid");
  Response nb = pay(sim, order, "netbanking", {{"bank", "TESTR"}});
  CHECK(nb.status == 400);
  CHECK(nb.body["code"] == "request_failed");
  CHECK(pay(sim, order, "wallet", json::object()).body["code"] == "request_failed");
  CHECK(sim.state()["flowwise"]["payments"].empty());

  // A network token: no CVV, the real card's last 4 shown.
  Response t = pay(sim, order, "card", token);
  REQUIRE(t.status == 200);
  json tp = payment(sim, t.body["payment_id"]);
  CHECK(tp["payment_method_details"]["card_number"] == "XXXXXXXXXXXX1234");
  CHECK(tp["payment_method_details"]["token_requestor_id"] == "40010030273");

  // An order limited to UPI refuses cards.
  json upi_only = order_body("fw-upi-only");
  upi_only["payment_methods"] = "upi";
  Response refused = pay(sim, create_order(sim, upi_only), "card", kCard);
  CHECK(refused.status == 400);
  CHECK(refused.body["code"] == "payment_method_unsupported");
}

TEST_CASE("flowwise: manual capture, full and partial, once") {
  Pgsim sim;
  const std::string full = paid_by_card(sim, "fw-cap-full", /*manual=*/true);
  json p = payment(sim, full);
  CHECK(p["status"] == "SUCCESS");
  CHECK(p["capture_status"] == "AUTHORISED");
  CHECK(p["capture_amount"] == 0);
  CHECK(fw(sim, "GET", "/orders/fw-cap-full").body["order_status"] == "PAID");

  Response over = authorize(sim, "fw-cap-full", full, {{"action", "CAPTURE"}, {"capture_amount", 500}});
  CHECK(over.status == 400);
  CHECK(over.body["code"] == "capture_amount_invalid");
  Response cap = authorize(sim, "fw-cap-full", full, {{"action", "CAPTURE"}, {"capture_amount", 499}});
  REQUIRE(cap.status == 200);
  CHECK(cap.body["order_id"] == "fw-cap-full");
  CHECK(cap.body["payment_id"] == full);
  CHECK(cap.body["status"] == "SUCCESS");
  CHECK(cap.body["capture_status"] == "CAPTURED");
  CHECK(cap.body["capture_amount"] == 499);
  CHECK(cap.body["payment_amount"] == 499);
  CHECK(cap.body["payment_currency"] == "INR");
  CHECK(cap.body["payment_method"] == "card");
  CHECK(cap.body["payment_message"].is_string());
  CHECK(cap.body["redirect_url"].is_null());
  CHECK(cap.body["gateway_details"]["auth_id"].is_string());
  CHECK(cap.header("x-ratelimit-limit") == "100");

  Response twice = authorize(sim, "fw-cap-full", full, {{"action", "CAPTURE"}, {"capture_amount", 499}});
  CHECK(twice.status == 400);
  CHECK(twice.body["code"] == "payment_already_captured");
  Response void_after = authorize(sim, "fw-cap-full", full, {{"action", "VOID"}, {"capture_amount", 0}});
  CHECK(void_after.status == 400);
  CHECK(void_after.body["code"] == "payment_already_captured");

  const std::string part = paid_by_card(sim, "fw-cap-part", true);
  Response partial = authorize(sim, "fw-cap-part", part, {{"action", "CAPTURE"}, {"capture_amount", 100.25}});
  REQUIRE(partial.status == 200);
  CHECK(partial.body["capture_amount"] == 100.25);
  CHECK(partial.body["payment_amount"] == 499);
  CHECK(payment(sim, part)["capture_amount"] == 100.25);
  CHECK(authorize(sim, "fw-cap-part", part, {{"action", "CAPTURE"}, {"capture_amount", 1}}).body["code"] ==
        "payment_already_captured");

  // An auto-captured payment cannot be captured again.
  const std::string autocap = paid_by_card(sim, "fw-cap-auto", false);
  CHECK(authorize(sim, "fw-cap-auto", autocap, {{"action", "CAPTURE"}, {"capture_amount", 499}}).body["code"] ==
        "payment_already_captured");
}

TEST_CASE("flowwise: void, and what may not follow it") {
  Pgsim sim;
  const std::string id = paid_by_card(sim, "fw-void", true);
  Response v = authorize(sim, "fw-void", id, {{"action", "VOID"}, {"capture_amount", 0}});
  REQUIRE(v.status == 200);
  CHECK(v.body["status"] == "SUCCESS");
  CHECK(v.body["capture_status"] == "VOIDED");
  CHECK(v.body["capture_amount"] == 0);
  CHECK(authorize(sim, "fw-void", id, {{"action", "VOID"}, {"capture_amount", 0}}).body["code"] ==
        "payment_already_voided");
  Response cap = authorize(sim, "fw-void", id, {{"action", "CAPTURE"}, {"capture_amount", 499}});
  CHECK(cap.status == 400);
  CHECK(cap.body["code"] == "payment_already_voided");
  CHECK(fw(sim, "POST", "/payments/" + id, refund_body("rf-void", 1)).body["code"] == "payment_not_captured");

  // Request checks.
  json order = create_order(sim, manual_capture(order_body("fw-void-2")));
  const std::string open = pay(sim, order, "card", kCard).body["payment_id"];
  CHECK(authorize(sim, "fw-void-2", open, {{"action", "CAPTURE"}, {"capture_amount", 1}}).body["code"] ==
        "payment_not_authorised");
  CHECK(authorize(sim, "fw-void-2", open, {{"capture_amount", 1}}).body["code"] == "action_missing");
  CHECK(authorize(sim, "fw-void-2", open, {{"action", "REFUND"}, {"capture_amount", 1}}).body["code"] ==
        "action_invalid");
  CHECK(authorize(sim, "fw-void-2", open, {{"action", "CAPTURE"}}).body["code"] == "capture_amount_missing");
  CHECK(authorize(sim, "fw-void-2", open, {{"action", "CAPTURE"}, {"capture_amount", 0}}).body["code"] ==
        "capture_amount_invalid");
  CHECK(authorize(sim, "fw-void", open, {{"action", "VOID"}, {"capture_amount", 0}}).status == 404);

  // An authorisation never captured lapses after 7 days.
  const std::string lapsing = paid_by_card(sim, "fw-void-3", true);
  advance(sim, 7LL * 24 * 3600 * 1000 + 1000);
  CHECK(payment(sim, lapsing)["capture_status"] == "VOIDED");
}

TEST_CASE("flowwise: admin simulate decides an open payment") {
  Pgsim sim;
  json order = create_order(sim, manual_capture(order_body("fw-sim")));
  const std::string id = pay(sim, order, "upi", json::object()).body["payment_id"];
  Response s = sim.admin("POST", "/flowwise/simulate", {{"payment_id", id}, {"status", "PENDING"}});
  REQUIRE(s.status == 200);
  CHECK(s.body["status"] == "PENDING");
  s = sim.admin("POST", "/flowwise/simulate", {{"payment_id", id}, {"status", "SUCCESS"}});
  CHECK(s.body["status"] == "SUCCESS");
  CHECK(s.body["capture_status"] == "AUTHORISED");  // the order's capture mode applies to UPI too
  CHECK(sim.admin("POST", "/flowwise/simulate", {{"payment_id", id}, {"status", "FAILED"}}).status == 400);
  CHECK(sim.admin("POST", "/flowwise/simulate", {{"payment_id", "nope"}, {"status", "FAILED"}}).status == 404);
  CHECK(sim.admin("POST", "/flowwise/simulate", {{"payment_id", id}, {"status", "VOID"}}).body["code"] ==
        "status_invalid");

  json other = create_order(sim, order_body("fw-sim-2"));
  const std::string failed = pay(sim, other, "card", kCard).body["payment_id"];
  s = sim.admin("POST", "/flowwise/simulate", {{"payment_id", failed}, {"status", "FAILED"}, {"error_code", "CARD_EXPIRED"}});
  CHECK(s.body["error_details"]["error_code"] == "CARD_EXPIRED");
}

TEST_CASE("flowwise: payment reads") {
  Pgsim sim;
  json order = create_order(sim, order_body("fw-read"));
  const std::string first = pay(sim, order, "upi", json::object()).body["payment_id"];
  const std::string second = pay(sim, order, "card", kCard).body["payment_id"];
  Response g = fw(sim, "GET", "/payments/" + second);
  REQUIRE(g.status == 200);
  for (const char* k : {"status", "order_id", "payment_id", "capture_status", "capture_amount", "payment_amount",
                        "payment_currency", "payment_method", "gateway_details"}) {
    CAPTURE(k);
    CHECK(g.body.contains(k));
  }
  CHECK(g.body["status"] == "REDIRECTED");
  CHECK(g.body["order_id"] == "fw-read");
  CHECK(g.body["payment_method"] == "card");
  CHECK(g.header("x-ratelimit-limit") == "130");
  Response all = fw(sim, "GET", "/orders/fw-read/payments");
  REQUIRE(all.status == 200);
  REQUIRE(all.body.size() == 2);
  CHECK(all.body[0]["payment_id"] == first);
  CHECK(all.body[0]["status"] == "INITIATED");
  CHECK(all.body[1] == g.body);
  CHECK(fw(sim, "GET", "/orders/nope/payments").status == 404);
}

TEST_CASE("flowwise: refunds, full and partial, with their limits") {
  Pgsim sim;
  const std::string id = paid_by_card(sim, "fw-refund", false, 500);
  Response r = fw(sim, "POST", "/payments/" + id, refund_body("rf-1", 200, "Customer returned item"));
  REQUIRE(r.status == 200);
  CHECK(r.body["payment_id"] == id);
  CHECK(r.body["order_id"] == "fw-refund");
  CHECK(r.body["refund_id"] == "rf-1");
  CHECK(r.body["refund_amount"] == 200);
  CHECK(r.body["refund_status"] == "PENDING");
  CHECK(r.body["refund_type"] == "MERCHANT_INITIATED");
  CHECK(r.body["refund_note"] == "Customer returned item");
  CHECK(r.body["refund_message"].is_string());
  CHECK(r.body["gateway_details"]["refund_reference_id"].is_string());
  CHECK(r.body["gateway_details"]["refund_utr"].is_null());

  Response dup = fw(sim, "POST", "/payments/" + id, refund_body("rf-1", 10));
  CHECK(dup.status == 409);
  CHECK(dup.body["code"] == "refund_already_exists");
  Response over = fw(sim, "POST", "/payments/" + id, refund_body("rf-2", 300.01));
  CHECK(over.status == 400);
  CHECK(over.body["code"] == "refund_amount_invalid");

  // A refund forced to fail gives its amount back.
  Response failing = fw(sim, "POST", "/payments/" + id, refund_body("rf-3", 300, "FAILED"));
  REQUIRE(failing.status == 200);
  advance(sim, 6000);
  json p = payment(sim, id);
  REQUIRE(p["refunds"].size() == 2);
  CHECK(p["refunds"][0]["refund_status"] == "SUCCESS");
  CHECK(p["refunds"][0]["gateway_details"]["refund_utr"].get<std::string>().size() == 12);
  CHECK(p["refunds"][1]["refund_status"] == "FAILED");
  Response rest = fw(sim, "POST", "/payments/" + id, {{"refund_id", "rf-4"}, {"refund_amount", 300}, {"refund_type", "AUTO_REFUND"}});
  REQUIRE(rest.status == 200);
  CHECK(rest.body["refund_type"] == "AUTO_REFUND");
  CHECK(fw(sim, "POST", "/payments/" + id, refund_body("rf-5", 0.01)).body["code"] == "refund_amount_invalid");
  CHECK(fw(sim, "GET", "/orders/fw-refund").body["order_status"] == "PAID");

  // A full refund at once; refunds of a partial capture stop at what was captured.
  const std::string whole = paid_by_card(sim, "fw-refund-full", false, 250.5);
  CHECK(fw(sim, "POST", "/payments/" + whole, refund_body("rf-full", 250.5)).status == 200);
  const std::string part = paid_by_card(sim, "fw-refund-part", true);
  REQUIRE(authorize(sim, "fw-refund-part", part, {{"action", "CAPTURE"}, {"capture_amount", 100}}).status == 200);
  CHECK(fw(sim, "POST", "/payments/" + part, refund_body("rf-part-1", 100.01)).body["code"] == "refund_amount_invalid");
  CHECK(fw(sim, "POST", "/payments/" + part, refund_body("rf-part-2", 100)).status == 200);

  // Validation, and payments that cannot be refunded.
  const json base = refund_body("rf-v", 1);
  auto without = [&](const char* k) {
    json b = base;
    b.erase(k);
    return b;
  };
  CHECK(fw(sim, "POST", "/payments/" + whole, without("refund_id")).body["code"] == "refund_id_missing");
  CHECK(fw(sim, "POST", "/payments/" + whole, without("refund_amount")).body["code"] == "refund_amount_missing");
  CHECK(fw(sim, "POST", "/payments/" + whole, without("refund_type")).body["code"] == "refund_type_missing");
  json bad_type = base;
  bad_type["refund_type"] = "CUSTOMER_INITIATED";
  CHECK(fw(sim, "POST", "/payments/" + whole, bad_type).body["code"] == "refund_type_invalid");
  const std::string authorised = paid_by_card(sim, "fw-refund-auth", true);
  CHECK(fw(sim, "POST", "/payments/" + authorised, base).body["code"] == "payment_not_captured");
  json open_order = create_order(sim, order_body("fw-refund-open"));
  const std::string open = pay(sim, open_order, "upi", json::object()).body["payment_id"];
  CHECK(fw(sim, "POST", "/payments/" + open, base).body["code"] == "payment_not_captured");
  CHECK(fw(sim, "POST", "/payments/nope", base).status == 404);
}

TEST_CASE("flowwise: an order expires on pgsim's clock") {
  Pgsim sim;
  json body = order_body("fw-expiry");
  body["expiry_time_in_minutes"] = 5;
  json order = create_order(sim, body);
  json late = create_order(sim, [&] {
    json b = body;
    b["order_id"] = "fw-expiry-late";
    return b;
  }());
  // An attempt opened before expiry may still succeed afterwards.
  const std::string open = pay(sim, late, "upi", json::object()).body["payment_id"];
  advance(sim, 5 * 60 * 1000 + 1000);
  CHECK(fw(sim, "GET", "/orders/fw-expiry").body["order_status"] == "EXPIRED");
  Response refused = pay(sim, order, "upi", json::object());
  CHECK(refused.status == 404);
  CHECK(refused.body["code"] == "order_not_found");
  form(sim, "/router/view/pay/" + open, "decision=pay");
  CHECK(fw(sim, "GET", "/orders/fw-expiry-late").body["order_status"] == "PAID");
}

TEST_CASE("flowwise: idempotency keys replay on /router") {
  Pgsim sim;
  const httplib::Headers key = {{"x-idempotency-key", "fw-order-key-1"}};
  Response first = fw(sim, "POST", "/orders", order_body("fw-idem"), key);
  REQUIRE(first.status == 200);
  CHECK(first.header("x-idempotency-replayed") == "false");
  Response again = fw(sim, "POST", "/orders", order_body("fw-idem"), key);
  CHECK(again.status == 200);  // not 409: the stored answer
  CHECK(again.header("x-idempotency-replayed") == "true");
  CHECK(again.raw == first.raw);
  Response other = fw(sim, "POST", "/orders", order_body("fw-idem-2"), key);
  CHECK(other.status == 422);
  CHECK(other.body["type"] == "idempotency_error");

  const httplib::Headers pay_key = {{"x-idempotency-key", "fw-pay-key-1"}};
  Response a = pay(sim, first.body, "card", kCard, pay_key);
  Response b = pay(sim, first.body, "card", kCard, pay_key);
  REQUIRE(a.status == 200);
  CHECK(b.header("x-idempotency-replayed") == "true");
  CHECK(a.body["payment_id"] == b.body["payment_id"]);
  CHECK(fw(sim, "GET", "/orders/fw-idem/payments").body.size() == 1);
}

TEST_CASE("flowwise: faults, rate limits and the request log apply to /router") {
  Pgsim sim({"--rate-limit", "2"});
  sim.admin("POST", "/faults", {{"path", "/router/orders"}, {"action", "error"}, {"status", 503}});
  Response failed = fw(sim, "POST", "/orders", order_body("fw-fault"));
  CHECK(failed.status == 503);
  CHECK(failed.body["type"] == "api_error");
  CHECK(sim.state()["flowwise"]["orders"].empty());
  CHECK(fw(sim, "GET", "/orders/fw-fault").status == 404);
  CHECK(fw(sim, "GET", "/orders/fw-fault").status == 404);
  Response limited = fw(sim, "GET", "/orders/fw-fault");
  CHECK(limited.status == 429);
  CHECK(limited.body["type"] == "rate_limit_error");
  const json log = sim.state()["requests"];
  REQUIRE(log.size() == 4);
  CHECK(log[0]["path"] == "/router/orders");
  CHECK(log[0]["fault"].get<std::string>().find("error 503") == 0);
  CHECK(log[3]["status"] == 429);
}

TEST_CASE("flowwise: state survives a restart with --state") {
  const fs::path dir = Pgsim::fresh_dir();
  const std::string state_file = (dir / "state.json").string();
  std::string card_id, hash;
  {
    Pgsim sim({"--state", state_file}, dir);
    json order = create_order(sim, manual_capture(order_body("fw-persist")));
    hash = order["order_hash"];
    card_id = paid_by_card(sim, "fw-persist-card", false);
    REQUIRE(fw(sim, "POST", "/payments/" + card_id, refund_body("rf-persist", 10)).status == 200);
    sim.kill_hard();  // every change is already on disk
  }
  Pgsim sim({"--state", state_file}, dir);
  json order = fw(sim, "GET", "/orders/fw-persist").body;
  CHECK(order["order_status"] == "ACTIVE");
  CHECK(order["order_hash"] == hash);
  json p = payment(sim, card_id);
  CHECK(p["status"] == "SUCCESS");
  CHECK(p["payment_method_details"]["card_number"] == "411111XXXXXX1111");
  REQUIRE(p["refunds"].size() == 1);
  CHECK(p["refunds"][0]["refund_id"] == "rf-persist");
  // The order hash still finds its order, and the capture mode holds.
  Response again = pay(sim, order, "upi", json::object());
  REQUIRE(again.status == 200);
  Response s = sim.admin("POST", "/flowwise/simulate", {{"payment_id", again.body["payment_id"]}, {"status", "SUCCESS"}});
  CHECK(s.body["capture_status"] == "AUTHORISED");
  CHECK(fw(sim, "POST", "/payments/" + card_id, refund_body("rf-persist", 1)).status == 409);
}

TEST_CASE("flowwise: no full card number, CVV or cryptogram is kept anywhere") {
  const fs::path dir = Pgsim::fresh_dir();
  const std::string state_file = (dir / "state.json").string();
  Pgsim sim({"--state", state_file}, dir);
  json order = create_order(sim, order_body("fw-pci"));
  const httplib::Headers key = {{"x-idempotency-key", "fw-pci-key"}};
  REQUIRE(pay(sim, order, "card", kCard, key).status == 200);
  json expired = kCard;
  expired["card_expiry_yy"] = "20";
  REQUIRE(pay(sim, order, "card", expired, {{"x-idempotency-key", "fw-pci-key-2"}}).status == 400);
  const json token = {{"card_number", "4242424242424242"},
                      {"cryptogram", "AgAAAAAABk4DWZ4C28yUQAAAAAA="},
                      {"token_requestor_id", "40010030273"},
                      {"card_display", "1234"}};
  REQUIRE(pay(sim, order, "card", token, {{"x-idempotency-key", "fw-pci-key-3"}}).status == 200);

  const json state = sim.state();
  std::ifstream in(state_file);
  const std::string on_disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const std::string& text : {state.dump(), on_disk}) {
    CHECK(text.find("4111111111111111") == std::string::npos);
    CHECK(text.find("4242424242424242") == std::string::npos);
    CHECK(text.find("AgAAAAAABk4DWZ4C28yUQAAAAAA=") == std::string::npos);
  }
  std::vector<std::string> keys, strings;
  walk(state, keys, strings);
  for (const auto& k : keys) {
    CHECK(k != "card_cvv");
    CHECK(k != "cryptogram");
  }
  for (const auto& s : strings) CHECK(s != "123");
}
