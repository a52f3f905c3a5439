// Card Order Pay: Native OTP (right, wrong, resent, timed out), the 3-D
// Secure page, the sandbox test cards, tokens and saved cards, the error
// codes, and that no full card number or CVV is ever kept.
#include <doctest/doctest.h>

#include <ctime>
#include <fstream>
#include <sstream>

#include "tests/pgsim/card_helpers.hpp"

using namespace pgsim_test;

namespace {

std::string path_of(const Pgsim& sim, const std::string& url) {
  REQUIRE(url.rfind(sim.base_url(), 0) == 0);
  return url.substr(sim.base_url().size());
}

Response post_form(const Pgsim& sim, const std::string& path, const std::string& form) {
  return sim.request("POST", path, form, {}, "application/x-www-form-urlencoded");
}

bool contains(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

// Whether any key is `key` or any string value equals `value`, anywhere in `j`.
bool has_key_or_value(const json& j, const std::string& key, const std::string& value) {
  if (j.is_string()) return j.get<std::string>() == value;
  if (j.is_array()) {
    for (const auto& v : j)
      if (has_key_or_value(v, key, value)) return true;
  }
  if (j.is_object()) {
    for (const auto& [k, v] : j.items())
      if (k == key || has_key_or_value(v, key, value)) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("card post: Native OTP with the sandbox OTP pays the order") {
  Pgsim sim;
  json order = sim.create_order("card-otp-1", 499.0);
  Response r = pay_card(sim, order, plain_card("4111111111111111"));
  REQUIRE(r.status == 200);
  const std::string id = r.body["cf_payment_id"];
  CHECK(r.body["payment_method"] == "card");
  CHECK(r.body["channel"] == "post");
  CHECK(r.body["action"] == "post");
  CHECK(r.body["payment_amount"] == 499);
  const json& data = r.body["data"];
  CHECK(data["url"] == sim.base_url() + "/pg/orders/pay/authenticate/" + id);
  CHECK(data["payload"].is_null());
  CHECK(data["content_type"] == "application/json");
  CHECK(data["method"] == "post");
  CHECK(data["redirect_to_bank"] == sim.base_url() + "/pg/view/3ds/" + id);

  json p = payment(sim, "card-otp-1", id);
  CHECK(p["payment_status"] == "PENDING");
  CHECK(p["payment_group"] == "credit_card");
  const json& card = p["payment_method"]["card"];
  CHECK(card["channel"] == "post");
  CHECK(card["card_number"] == "411111xxxxxx1111");
  CHECK(card["card_network"] == "visa");
  CHECK(card["card_type"] == "credit_card");
  CHECK(card["card_country"] == "IN");
  CHECK(card["card_bank_name"] == "HDFC Bank");
  CHECK(card["card_network_reference_id"].is_null());
  CHECK(card["instrument_id"].is_null());
  CHECK(p["auth_id"].is_null());

  Response a = submit_otp(sim, id);
  REQUIRE(a.status == 200);
  CHECK(a.body["cf_payment_id"] == id);
  CHECK(a.body["action"] == "SUBMIT_OTP");
  CHECK(a.body["authenticate_status"] == "SUCCESS");
  CHECK(a.body["payment_message"].is_string());
  p = payment(sim, "card-otp-1", id);
  CHECK(p["payment_status"] == "SUCCESS");
  CHECK(p["is_captured"] == true);
  CHECK(p["authorization"].is_null());
  CHECK(p["auth_id"].get<std::string>().size() == 7);
  CHECK(p["payment_method"]["card"]["card_network_reference_id"].is_string());
  CHECK(p["payment_method"].count("upi") == 0);
  CHECK(sim.order_status("card-otp-1") == "PAID");

  // A payment no longer open cannot be authenticated.
  Response again = submit_otp(sim, id);
  CHECK(again.status == 400);
  CHECK(again.body["code"] == "cf_payment_id_invalid");
  CHECK(again.body["type"] == "invalid_request_error");
}

TEST_CASE("card networks and types come from the card's BIN and the test-card table") {
  Pgsim sim;
  struct Case {
    const char* number;
    const char* network;
    const char* type;
    const char* masked;
  };
  const Case cases[] = {{"5555555555554444", "mastercard", "debit_card", "555555xxxxxx4444"},
                        {"6521500000000006", "rupay", "debit_card", "652150xxxxxx0006"},
                        {"378282246310005", "amex", "credit_card", "378282xxxxx0005"}};
  int n = 0;
  for (const auto& c : cases) {
    CAPTURE(c.number);
    const std::string order_id = "net-" + std::to_string(n++);
    json order = sim.create_order(order_id);
    const std::string id = pay_by_card(sim, order, c.number);
    json p = payment(sim, order_id, id);
    CHECK(p["payment_status"] == "SUCCESS");
    CHECK(p["payment_group"] == c.type);
    CHECK(p["payment_method"]["card"]["card_network"] == c.network);
    CHECK(p["payment_method"]["card"]["card_number"] == c.masked);
  }
}

TEST_CASE("Native OTP: a wrong OTP is refused, and the third fails the payment") {
  Pgsim sim;
  json order = sim.create_order("card-wrong");
  const std::string id = pay_card(sim, order, plain_card("4111111111111111")).body["cf_payment_id"];
  for (int i = 1; i <= 2; ++i) {
    CAPTURE(i);
    Response a = submit_otp(sim, id, "000000");
    REQUIRE(a.status == 200);
    CHECK(a.body["authenticate_status"] == "FAILED");
    CHECK(a.body["payment_message"] == "otp is invalid");
    CHECK(payment(sim, "card-wrong", id)["payment_status"] == "PENDING");
  }
  Response third = submit_otp(sim, id, "123456");
  CHECK(third.body["authenticate_status"] == "FAILED");
  json p = payment(sim, "card-wrong", id);
  CHECK(p["payment_status"] == "FAILED");
  CHECK(p["error_details"]["error_code"] == "AUTHENTICATION_FAILED");
  CHECK(sim.order_status("card-wrong") == "ACTIVE");
  // The right OTP comes too late.
  CHECK(submit_otp(sim, id).body["code"] == "cf_payment_id_invalid");
}

TEST_CASE("Native OTP: resend twice at most, each 30 s after the previous send") {
  Pgsim sim;
  json order = sim.create_order("card-resend");
  const std::string id = pay_card(sim, order, plain_card("4111111111111111")).body["cf_payment_id"];
  const json resend = {{"action", "RESEND_OTP"}};  // no otp needed
  Response early = authenticate(sim, id, resend);
  REQUIRE(early.status == 200);
  CHECK(early.body["action"] == "RESEND_OTP");
  CHECK(early.body["authenticate_status"] == "FAILED");
  CHECK(contains(early.body["payment_message"], "30 seconds"));
  advance(sim, 30000);
  CHECK(authenticate(sim, id, resend).body["authenticate_status"] == "SUCCESS");
  advance(sim, 10000);
  CHECK(authenticate(sim, id, resend).body["authenticate_status"] == "FAILED");  // 10 s after the resend
  advance(sim, 20000);
  CHECK(authenticate(sim, id, resend).body["authenticate_status"] == "SUCCESS");
  advance(sim, 30000);
  Response third = authenticate(sim, id, resend);
  CHECK(third.body["authenticate_status"] == "FAILED");
  CHECK(contains(third.body["payment_message"], "at most 2 times"));
  // The resent OTP works.
  CHECK(submit_otp(sim, id).body["authenticate_status"] == "SUCCESS");
  CHECK(sim.order_status("card-resend") == "PAID");
}

TEST_CASE("Native OTP: after 5 minutes the payment is USER_DROPPED and authentication FAILED") {
  Pgsim sim;
  json order = sim.create_order("card-timeout");
  const std::string id = pay_card(sim, order, plain_card("4111111111111111")).body["cf_payment_id"];
  advance(sim, 299000);
  CHECK(payment(sim, "card-timeout", id)["payment_status"] == "PENDING");
  advance(sim, 1000);
  CHECK(payment(sim, "card-timeout", id)["payment_status"] == "USER_DROPPED");
  Response a = submit_otp(sim, id);
  REQUIRE(a.status == 200);
  CHECK(a.body["authenticate_status"] == "FAILED");
  CHECK(contains(a.body["payment_message"], "expired"));
  CHECK(sim.order_status("card-timeout") == "ACTIVE");
}

TEST_CASE("the decline card: the right OTP, then the bank declines") {
  Pgsim sim;
  json order = sim.create_order("card-decline");
  const std::string id = pay_card(sim, order, plain_card("4000000000000002")).body["cf_payment_id"];
  Response a = submit_otp(sim, id);
  REQUIRE(a.status == 200);
  CHECK(a.body["authenticate_status"] == "SUCCESS");
  CHECK(contains(a.body["payment_message"], "declined"));
  json p = payment(sim, "card-decline", id);
  CHECK(p["payment_status"] == "FAILED");
  CHECK(p["error_details"]["error_code"] == "TRANSACTION_DECLINED");
  CHECK(p["error_details"]["error_source"] == "bank");
  CHECK(p["auth_id"].is_null());
  CHECK(sim.order_status("card-decline") == "ACTIVE");
}

TEST_CASE("3-D Secure page: channel link, Submit with the right OTP pays") {
  Pgsim sim;
  json order = sim.create_order("card-3ds", 250.75);
  Response r = pay_card(sim, order, plain_card("5555555555554444", "link"));
  REQUIRE(r.status == 200);
  const std::string id = r.body["cf_payment_id"];
  CHECK(r.body["channel"] == "link");
  CHECK(r.body["action"] == "link");
  CHECK(r.body["data"]["url"] == sim.base_url() + "/pg/view/3ds/" + id);
  CHECK(r.body["data"]["payload"] == json{{"name", "card"}});
  CHECK(r.body["data"]["content_type"] == "application/x-www-form-urlencoded");
  CHECK(r.body["data"]["method"] == "post");
  CHECK(payment(sim, "card-3ds", id)["payment_status"] == "NOT_ATTEMPTED");
  // Native OTP is not offered for a link payment.
  CHECK(submit_otp(sim, id).body["code"] == "cf_payment_id_invalid");

  const std::string page_path = path_of(sim, r.body["data"]["url"]);
  Response page = sim.request("GET", page_path, "", {});
  REQUIRE(page.status == 200);
  CHECK(contains(page.raw, "posagent merchant"));
  CHECK(contains(page.raw, "250.75"));
  CHECK(contains(page.raw, "555555xxxxxx4444"));
  CHECK(!contains(page.raw, "5555555555554444"));
  CHECK(contains(page.raw, "name=otp"));
  CHECK(contains(page.raw, ">Submit<"));
  CHECK(contains(page.raw, ">Cancel<"));
  // The form post Order Pay describes shows the same page.
  Response form = post_form(sim, page_path, "name=card");
  CHECK(form.status == 200);
  CHECK(contains(form.raw, ">Submit<"));

  Response wrong = post_form(sim, page_path, "decision=submit&otp=999999");
  CHECK(wrong.status == 303);
  CHECK(contains(sim.request("GET", page_path, "", {}).raw, "The OTP was wrong (1 of 3"));
  CHECK(payment(sim, "card-3ds", id)["payment_status"] == "NOT_ATTEMPTED");

  Response ok = post_form(sim, page_path, std::string("decision=submit&otp=") + kOtp);
  CHECK(ok.status == 303);
  CHECK(payment(sim, "card-3ds", id)["payment_status"] == "SUCCESS");
  CHECK(sim.order_status("card-3ds") == "PAID");
  Response after = sim.request("GET", page_path, "", {});
  CHECK(contains(after.raw, "This payment is SUCCESS"));
  CHECK(!contains(after.raw, ">Submit<"));
}

TEST_CASE("3-D Secure page: Cancel, and a page nobody completes, are USER_DROPPED") {
  Pgsim sim({"--attempt-ttl-ms", "60000"});
  json order = sim.create_order("card-cancel");
  const std::string id = pay_card(sim, order, plain_card("4111111111111111", "link")).body["cf_payment_id"];
  CHECK(post_form(sim, "/pg/view/3ds/" + id, "decision=cancel").status == 303);
  CHECK(payment(sim, "card-cancel", id)["payment_status"] == "USER_DROPPED");
  CHECK(sim.order_status("card-cancel") == "ACTIVE");

  const std::string left = pay_card(sim, order, plain_card("4111111111111111", "link")).body["cf_payment_id"];
  advance(sim, 59000);
  CHECK(payment(sim, "card-cancel", left)["payment_status"] == "NOT_ATTEMPTED");
  advance(sim, 2000);
  CHECK(payment(sim, "card-cancel", left)["payment_status"] == "USER_DROPPED");

  CHECK(sim.request("GET", "/pg/view/3ds/999", "", {}).status == 404);
}

TEST_CASE("a card without Native OTP: channel post answers action link to the 3-D Secure page") {
  Pgsim sim;
  json order = sim.create_order("card-fallback");
  Response r = pay_card(sim, order, plain_card("4000000000003220", "post"));
  REQUIRE(r.status == 200);
  const std::string id = r.body["cf_payment_id"];
  CHECK(r.body["channel"] == "post");
  CHECK(r.body["action"] == "link");
  const std::string page = sim.base_url() + "/pg/view/3ds/" + id;
  CHECK(r.body["data"]["url"] == page);
  CHECK(r.body["data"]["redirect_to_bank"] == page);
  CHECK(submit_otp(sim, id).body["code"] == "cf_payment_id_invalid");
  CHECK(post_form(sim, path_of(sim, page), std::string("decision=submit&otp=") + kOtp).status == 303);
  json p = payment(sim, "card-fallback", id);
  CHECK(p["payment_status"] == "SUCCESS");
  CHECK(p["payment_method"]["card"]["card_bank_name"] == "Kotak Mahindra Bank");
}

TEST_CASE("the bank-down card: 502 bank_processing_failure and no payment") {
  Pgsim sim;
  json order = sim.create_order("card-502");
  Response r = pay_card(sim, order, plain_card("4000000000000119"));
  CHECK(r.status == 502);
  CHECK(r.body["code"] == "bank_processing_failure");
  CHECK(r.body["type"] == "api_error");
  CHECK(sim.state()["payments"].empty());
}

TEST_CASE("a network token with cryptogram pays, showing only the card's last 4") {
  Pgsim sim;
  json order = sim.create_order("card-token");
  const json token = {{"channel", "post"},
                      {"card_number", "4895370012345671"},
                      {"card_expiry_mm", "03"},
                      {"card_expiry_yy", "49"},
                      {"cryptogram", "AQBBBBBBZatIlaIAmWKSghwBBBB="},
                      {"token_requestor_id", "22457512314"},
                      {"card_display", "3243"}};
  Response r = pay_card(sim, order, token);
  REQUIRE(r.status == 200);
  const std::string id = r.body["cf_payment_id"];
  CHECK(r.body["action"] == "post");
  CHECK(submit_otp(sim, id).body["authenticate_status"] == "SUCCESS");
  json p = payment(sim, "card-token", id);
  CHECK(p["payment_status"] == "SUCCESS");
  CHECK(p["payment_method"]["card"]["card_number"] == "xxxxxxxxxxxx3243");
  CHECK(p["payment_method"]["card"]["card_network"] == "visa");

  json other = sim.create_order("card-token-bad");
  json no_trid = token;
  no_trid.erase("token_requestor_id");
  CHECK(pay_card(sim, other, no_trid).body["code"] == "token_requestor_id_missing");
  json bad_display = token;
  bad_display["card_display"] = "32";
  CHECK(pay_card(sim, other, bad_display).body["code"] == "card_display_invalid");
  json no_number = token;
  no_number.erase("card_number");
  CHECK(pay_card(sim, other, no_number).body["code"] == "card_number_missing");
}

TEST_CASE("saved cards: the sandbox instrument ids pay, others are card_not_found") {
  Pgsim sim;
  json order = sim.create_order("card-saved");
  Response r = pay_card(sim, order, {{"channel", "post"}, {"instrument_id", "3fc5814b-e732-4a71-b2ee-94b4f147d9e1"}});
  REQUIRE(r.status == 200);
  const std::string id = r.body["cf_payment_id"];
  CHECK(submit_otp(sim, id).body["authenticate_status"] == "SUCCESS");
  json p = payment(sim, "card-saved", id);
  CHECK(p["payment_method"]["card"]["instrument_id"] == "3fc5814b-e732-4a71-b2ee-94b4f147d9e1");
  CHECK(p["payment_method"]["card"]["card_number"] == "555555xxxxxx4444");
  CHECK(p["payment_method"]["card"]["card_network"] == "mastercard");

  json other = sim.create_order("card-saved-2");
  Response with_cvv = pay_card(sim, other, {{"channel", "link"},
                                            {"instrument_id", "54deabb4-ba45-4a60-9e6a-9c016fe7ab10"},
                                            {"card_cvv", "900"}});
  CHECK(with_cvv.status == 200);
  for (const char* key : {"instrument_id", "card_alias"}) {
    CAPTURE(key);
    Response unknown = pay_card(sim, other, {{"channel", "post"}, {key, "00000000-0000-0000-0000-000000000000"}});
    CHECK(unknown.status == 404);
    CHECK(unknown.body["code"] == "card_not_found");
    CHECK(unknown.body["type"] == "invalid_request_error");
  }
}

TEST_CASE("card order pay errors carry the documented codes, statuses and types") {
  Pgsim sim;
  json order = sim.create_order("card-err");
  const json ok = plain_card("4111111111111111");
  auto with = [&](const std::string& key, json v) {
    json c = ok;
    if (v.is_null()) {
      c.erase(key);
    } else {
      c[key] = v;
    }
    return c;
  };
  struct Case {
    const char* what;
    json card;
    int status;
    const char* code;
  };
  const Case cases[] = {
      {"no channel", with("channel", nullptr), 400, "channel_missing"},
      {"empty channel", with("channel", ""), 400, "channel_missing"},
      {"channel qrcode", with("channel", "qrcode"), 400, "channel_invalid"},
      {"no card at all", {{"channel", "post"}, {"card_expiry_mm", "12"}, {"card_cvv", "123"}}, 400, "card_invalid"},
      {"empty card number", with("card_number", ""), 400, "card_number_missing"},
      {"failing Luhn", with("card_number", "4111111111111112"), 400, "card_number_invalid"},
      {"11 digits", with("card_number", "41111111113"), 400, "card_number_invalid"},
      {"20 digits", with("card_number", "41111111111111111113"), 400, "card_number_invalid"},
      {"letters", with("card_number", "4111-1111-1111-1111"), 400, "card_number_invalid"},
      {"no expiry month", with("card_expiry_mm", nullptr), 400, "card_expiry_mm_missing"},
      {"month 13", with("card_expiry_mm", "13"), 400, "card_expiry_mm_invalid"},
      {"month of one digit", with("card_expiry_mm", "6"), 400, "card_expiry_mm_invalid"},
      {"month as a number", with("card_expiry_mm", 6), 400, "card_expiry_mm_invalid"},
      {"no expiry year", with("card_expiry_yy", nullptr), 400, "card_expiry_yy_missing"},
      {"year of one digit", with("card_expiry_yy", "9"), 400, "card_expiry_yy_invalid"},
      {"year of four digits", with("card_expiry_yy", "2049"), 400, "card_expiry_yy_invalid"},
      {"expired in 2020", with("card_expiry_yy", "20"), 400, "card_expiry_yy_invalid"},
      {"no CVV", with("card_cvv", nullptr), 400, "card_cvv_missing"},
      {"CVV of 2 digits", with("card_cvv", "12"), 400, "card_cvv_invalid"},
      {"CVV of 5 digits", with("card_cvv", "12345"), 400, "card_cvv_invalid"},
      {"Diners", with("card_number", "36227206271667"), 400, "payment_method_unsupported"},
      {"Discover", with("card_number", "6011111111111117"), 400, "payment_method_unsupported"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    Response r = pay_card(sim, order, c.card);
    CHECK(r.status == c.status);
    CHECK(r.body["code"] == c.code);
    CHECK(r.body["type"] == "invalid_request_error");
    // Never the card number or CVV in an error body.
    CHECK(!contains(r.raw, "4111111111111111"));
  }
  CHECK(sim.state()["payments"].empty());
}

TEST_CASE("a card whose expiry month has passed this year is card_expiry_mm_invalid") {
  Pgsim sim;
  int64_t now = sim.state()["now_ms"];
  auto ist_month = [](int64_t ms, int& year) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000 + 19800);
    std::tm tm{};
    gmtime_r(&t, &tm);
    year = tm.tm_year + 1900;
    return tm.tm_mon + 1;
  };
  int year = 0;
  if (ist_month(now, year) == 1) {  // January has no earlier month this year
    advance(sim, 32LL * 24 * 3600 * 1000);
    now = sim.state()["now_ms"];
  }
  const int month = ist_month(now, year);
  char mm[3], yy[3];
  std::snprintf(mm, sizeof mm, "%02d", month - 1);
  std::snprintf(yy, sizeof yy, "%02d", year % 100);
  json order = sim.create_order("card-expired");
  json card = plain_card("4111111111111111");
  card["card_expiry_mm"] = mm;
  card["card_expiry_yy"] = yy;
  Response r = pay_card(sim, order, card);
  CHECK(r.status == 400);
  CHECK(r.body["code"] == "card_expiry_mm_invalid");
  // This month is still valid.
  std::snprintf(mm, sizeof mm, "%02d", month);
  card["card_expiry_mm"] = mm;
  CHECK(pay_card(sim, order, card).status == 200);
}

TEST_CASE("cards on a non-INR order are request_invalid; --currencies lists what Create Order accepts") {
  Pgsim sim({"--currencies", "INR,USD"});
  json body = Pgsim::order_body("card-usd");
  body["order_currency"] = "USD";
  json order = create_order_with(sim, body);
  CHECK(order["order_currency"] == "USD");
  Response r = pay_card(sim, order, plain_card("4111111111111111"));
  CHECK(r.status == 400);
  CHECK(r.body["code"] == "request_invalid");
  CHECK(r.body["type"] == "invalid_request_error");
  CHECK(contains(r.body["message"], "USD"));
  body["order_id"] = "card-eur";
  body["order_currency"] = "EUR";
  Response eur = sim.pg("POST", "/orders", body);
  CHECK(eur.status == 400);
  CHECK(eur.body["code"] == "order_currency_invalid");
}

TEST_CASE("authenticate errors: action, otp, unknown and non-card payments") {
  Pgsim sim;
  json order = sim.create_order("auth-err");
  const std::string id = pay_card(sim, order, plain_card("4111111111111111")).body["cf_payment_id"];
  struct Case {
    const char* what;
    json body;
    const char* code;
  };
  const Case cases[] = {
      {"no action", {{"otp", "111000"}}, "action_missing"},
      {"unknown action", {{"action", "VERIFY"}, {"otp", "111000"}}, "action_invalid"},
      {"submit without otp", {{"action", "SUBMIT_OTP"}}, "otp_missing"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    Response r = authenticate(sim, id, c.body);
    CHECK(r.status == 400);
    CHECK(r.body["code"] == c.code);
    CHECK(r.body["type"] == "invalid_request_error");
  }
  Response unknown = authenticate(sim, "12345", {{"action", "SUBMIT_OTP"}, {"otp", "111000"}});
  CHECK(unknown.status == 404);
  CHECK(unknown.body["code"] == "payment_not_found");
  Response no_id = sim.pg("POST", "/orders/pay/authenticate/", {{"action", "SUBMIT_OTP"}},
                          {{"x-client-id", ""}, {"x-client-secret", ""}});
  CHECK(no_id.status == 400);
  CHECK(no_id.body["code"] == "cf_payment_id_missing");
  json upi_order = sim.create_order("auth-upi");
  const std::string upi = sim.pay_upi(upi_order).body["cf_payment_id"];
  CHECK(submit_otp(sim, upi).body["code"] == "cf_payment_id_invalid");
  // Rate-limited per IP, like Order Pay.
  CHECK(authenticate(sim, id, {{"action", "RESEND_OTP"}}).header("x-ratelimit-type") == "ip");
  CHECK(payment(sim, "auth-err", id)["payment_status"] == "PENDING");
}

TEST_CASE("the full card number and CVV appear nowhere: not in payments, /admin/state nor the state file") {
  const fs::path dir = Pgsim::fresh_dir();
  const std::string state_file = (dir / "state.json").string();
  Pgsim sim({"--state", state_file}, dir);
  json order = sim.create_order("pan-1");
  const std::string id = pay_by_card(sim, order, "4111111111111111");  // CVV 987
  json token_order = sim.create_order("pan-2");
  Response t = pay_card(sim, token_order,
                        {{"channel", "link"},
                         {"card_number", "4895370012345671"},
                         {"card_expiry_mm", "03"},
                         {"card_expiry_yy", "49"},
                         {"card_cvv", "987"},
                         {"cryptogram", "AQBBBBBBZatIlaIAmWKSghwBBBB="},
                         {"token_requestor_id", "22457512314"},
                         {"card_display", "3243"}});
  REQUIRE(t.status == 200);
  // An Order Pay with an idempotency key: its record keeps the response (and a hash of the request).
  Response keyed = sim.pg("POST", "/orders/sessions",
                          {{"payment_session_id", token_order["payment_session_id"]},
                           {"payment_method", {{"card", plain_card("4111111111111111")}}}},
                          {{"x-client-id", ""}, {"x-client-secret", ""}, {"x-idempotency-key", "pan-key-1"}});
  REQUIRE(keyed.status == 200);

  json listed = sim.pg("GET", "/orders/pan-1/payments").body;
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["payment_method"]["card"]["card_number"] == "411111xxxxxx1111");

  json state = sim.state();
  bool masked_seen = false;
  for (const auto& p : state["payments"])
    if (p["cf_payment_id"] == id) masked_seen = p["card"]["card_number"] == "411111xxxxxx1111";
  CHECK(masked_seen);
  sim.stop();  // and the shutdown save
  std::ifstream in(state_file);
  std::stringstream file;
  file << in.rdbuf();
  for (const std::string& text : {state.dump(), file.str()}) {
    CHECK(!contains(text, "4111111111111111"));
    CHECK(!contains(text, "4895370012345671"));
    CHECK(!contains(text, "AQBBBBBBZatIlaIAmWKSghwBBBB="));
    CHECK(!contains(text, "card_cvv"));
    CHECK(!contains(text, "\"987\""));
    CHECK(!has_key_or_value(json::parse(text), "card_cvv", "987"));
  }
}
