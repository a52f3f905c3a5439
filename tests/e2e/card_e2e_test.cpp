// Card sales end to end: posagent-sim (the card reader, runner, engine, PG
// client, Mbed TLS, journal files) against pgsim, checked by exit status,
// outcome line and pgsim's own records. Native OTP right, wrong, resent and
// timed out; 3-D Secure completed and abandoned; the card errors; a card
// refused before anything is sent; pre-authorisation captured in full, in
// part, voided, twice, after a void, and after a power cut at every point;
// and no card number or CVV in anything the terminal wrote.
#include <doctest/doctest.h>

#include <regex>

#include "tests/e2e/sim_process.hpp"

using namespace e2e;

namespace {

constexpr const char* kVisa = "4111111111111111";
constexpr const char* kCvv = "737";

std::vector<std::string> card_sale(const std::string& command, const std::string& amount, const std::string& number,
                                   std::vector<std::string> more = {}) {
  std::vector<std::string> args = {command, amount, "--card", number, "--exp", "12/30", "--cvv",
                                   number.size() == 15 ? std::string("7373") : std::string(kCvv)};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

json payment_of(const json& state, const std::string& order_id) {
  const std::vector<json> payments = payments_of(state, order_id);
  return payments.empty() ? json(nullptr) : payments.back();
}

// Every file the terminal wrote (journal, hold record, screens, logs) and
// its output: no full card number, no middle digits, no CVV next to a card
// field.
void check_no_card_data(const fs::path& dir, const SimResult& r, const std::string& number) {
  const std::string middle = number.substr(6, number.size() - 10);
  std::vector<std::pair<std::string, std::string>> texts = {{"stdout", r.out}, {"stderr", r.err}};
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().string().find("/pgsim/") != std::string::npos) continue;
    texts.emplace_back(entry.path().string(), read_text(entry.path()));
  }
  for (const auto& [name, text] : texts) {
    INFO(name);
    CHECK(text.find(number) == std::string::npos);
    CHECK(text.find(middle) == std::string::npos);
    CHECK_FALSE(std::regex_search(text, std::regex("cvv[^0-9\\n]{0,8}" + std::string(kCvv))));
  }
  // The journal decodes to the masked label only.
  CHECK(r.out.find("XXXX" + number.substr(number.size() - 4)) != std::string::npos);
}

}  // namespace

TEST_CASE("card, native OTP: right, wrong then right, resend, three wrong, never entered") {
  Pgsim gateway;
  SUBCASE("right the first time: PAID, the card's payment SUCCESS") {
    const fs::path dir = fresh_dir("otp-right");
    SimProcess sim(gateway, dir, card_sale("sale", "2299.50", kVisa, {"--otp", "111000"}));
    const SimResult r = sim.finish();
    INFO(r.err);
    CHECK(r.exit_code == 0);
    REQUIRE(r.outcome == "PAID");
    CHECK(r.out.find("VISA XXXX1111") != std::string::npos);
    const json state = gateway.state();
    CHECK(order_in(state, r.order_id).value("status", "") == "PAID");
    CHECK(order_in(state, r.order_id)["order_tags"].value("sale", "") == "card");
    const json p = payment_of(state, r.order_id);
    CHECK(p.value("method", "") == "card");
    CHECK(p.value("channel", "") == "post");
    CHECK(p.value("status", "") == "SUCCESS");
    CHECK(r.utr == p.value("bank_reference", ""));
    check_no_card_data(dir, r, kVisa);
  }
  SUBCASE("wrong, then right: the prompt counts down, PAID") {
    const fs::path dir = fresh_dir("otp-wrong-right");
    SimProcess sim(gateway, dir, card_sale("sale", "499", kVisa, {"--otp", "123456,111000"}));
    const SimResult r = sim.finish();
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.outcome == "PAID");
    CHECK(r.out.find("Wrong OTP, 2 left") != std::string::npos);
    CHECK(successes(payments_of(gateway.state(), r.order_id)) == 1);
  }
  SUBCASE("resend asked, then the right OTP: PAID") {
    const fs::path dir = fresh_dir("otp-resend");
    SimProcess sim(gateway, dir, card_sale("sale", "499", kVisa, {"--otp", "resend,111000"}));
    const SimResult r = sim.finish();
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.outcome == "PAID");
    CHECK(r.err.find("OTP resend for payment") != std::string::npos);
    // pgsim resends at most every 30 s: the gateway's answer is on screen.
    CHECK((r.out.find("OTP not resent") != std::string::npos || r.out.find("OTP sent again") != std::string::npos));
  }
  SUBCASE("three wrong: the bank fails the payment, FAILED, nothing paid") {
    const fs::path dir = fresh_dir("otp-three-wrong");
    SimProcess sim(gateway, dir, card_sale("sale", "499", kVisa, {"--otp", "123456,234567,345678"}));
    const SimResult r = sim.finish();
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK(r.outcome == "FAILED");
    const json state = gateway.state();
    CHECK(successes(payments_of(state, r.order_id)) == 0);
    CHECK(order_in(state, r.order_id).value("status", "") != "PAID");
  }
  SUBCASE("never entered: the OTP times out, the order is ended, FAILED") {
    const fs::path dir = fresh_dir("otp-timeout");
    SimProcess sim(gateway, dir, card_sale("sale", "499", kVisa, {"--otp-timeout", "5"}));
    const SimResult r = sim.finish();
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK(r.outcome == "FAILED");
    CHECK(r.out.find("OTP not entered") != std::string::npos);
    CHECK(order_in(gateway.state(), r.order_id).value("status", "") == "TERMINATED");
  }
}

TEST_CASE("card, 3-D Secure page (no native OTP for the card): completed, abandoned") {
  Pgsim gateway;
  SUBCASE("the customer completes it on their phone: PAID") {
    const fs::path dir = fresh_dir("3ds-done");
    SimProcess sim(gateway, dir, card_sale("sale", "499", "4000000000003220", {"--auto-pay", "1"}));
    const SimResult r = sim.finish();
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.outcome == "PAID");
    CHECK(r.out.find("Scan to verify card") != std::string::npos);
    CHECK(payment_of(gateway.state(), r.order_id).value("status", "") == "SUCCESS");
    check_no_card_data(dir, r, "4000000000003220");
  }
  SUBCASE("the customer cancels on the page: FAILED") {
    const fs::path dir = fresh_dir("3ds-cancel");
    SimProcess sim(gateway, dir, card_sale("sale", "499", "4000000000003220", {"--auto-decline", "1"}));
    const SimResult r = sim.finish();
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK(r.outcome == "FAILED");
    CHECK(payment_of(gateway.state(), r.order_id).value("status", "") == "USER_DROPPED");
  }
}

TEST_CASE("card errors from the gateway: each ends with its screen line and the right decision") {
  Pgsim gateway;
  struct Case {
    const char* number;
    const char* line;         // in the outcome's reason
    std::size_t pay_refusals;  // Order Pays the gateway refused (retryable: tried kMaxCardPays times)
  };
  const Case cases[] = {
      {"4000000000000119", "Bank busy, try again", 3},  // 502 bank_processing_failure: retry, then stop
      {"36227206271667", "Card not supported", 1},      // 400 payment_method_unsupported: stop at once
      {"4000000000000002", "declined", 0},              // the bank declines after the OTP
  };
  for (const Case& c : cases) {
    CAPTURE(c.number);
    const fs::path dir = fresh_dir(std::string("card-error-") + c.number);
    SimProcess sim(gateway, dir, card_sale("sale", "499", c.number, {"--otp", "111000"}));
    const SimResult r = sim.finish();
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK(r.outcome == "FAILED");
    CHECK(r.out.find(c.line) != std::string::npos);
    const json state = gateway.state();
    CHECK(successes(payments_of(state, r.order_id)) == 0);
    CHECK(order_in(state, r.order_id).value("status", "") != "PAID");
    std::size_t refusals = 0;
    for (std::size_t at = r.err.find("card order pay failed"); at != std::string::npos;
         at = r.err.find("card order pay failed", at + 1))
      ++refusals;
    CHECK(refusals == c.pay_refusals);
    check_no_card_data(dir, r, c.number);
  }
}

TEST_CASE("a bad card is refused on the terminal: its line, and nothing reaches the gateway") {
  Pgsim gateway;
  struct Case {
    std::vector<std::string> args;
    const char* line;
  };
  const Case cases[] = {
      {{"sale", "499", "--card", "4111111111111112", "--exp", "12/30", "--cvv", "737"}, "Check card number"},
      {{"sale", "499", "--card", kVisa, "--exp", "01/20", "--cvv", "737"}, "Card expired"},
      {{"sale", "499", "--card", kVisa, "--exp", "12/30", "--cvv", "73"}, "Check CVV"},
      {{"sale", "499", "--card", "378282246310005", "--exp", "12/30", "--cvv", "737"}, "Check CVV"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.line);
    const fs::path dir = fresh_dir("bad-card");
    SimProcess sim(gateway, dir, c.args);
    const SimResult r = sim.finish();
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find(c.line) != std::string::npos);
    CHECK(r.out.find(c.line) != std::string::npos);  // on the terminal's screen
  }
  CHECK(orders_with_prefix(gateway.state(), "SIM1-").empty());
}

TEST_CASE("pre-authorisation: AUTHORISED, then captured in full, in part, voided; twice and crossed refused") {
  Pgsim gateway;
  const auto preauth = [&](const std::string& name) {
    const fs::path dir = fresh_dir(name);
    SimProcess sim(gateway, dir, card_sale("preauth", "1500", kVisa, {"--otp", "111000"}));
    SimResult r = sim.finish();
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.outcome == "AUTHORISED");
    const json p = payment_of(gateway.state(), r.order_id);
    CHECK(p.value("status", "") == "SUCCESS");
    CHECK(p["authorization"].is_object());
    return std::make_pair(dir, r.order_id);
  };
  const auto run = [&](const fs::path& dir, std::vector<std::string> args, const std::string& name) {
    SimProcess sim(gateway, dir, std::move(args), {}, name);
    return sim.finish();
  };
  SUBCASE("full capture, then a second capture and a void refused") {
    const auto [dir, order] = preauth("capture-full");
    SimResult r = run(dir, {"capture", order}, "capture");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("CAPTURED order " + order + " Rs 1,500.00 of Rs 1,500.00") != std::string::npos);
    const json a = payment_of(gateway.state(), order)["authorization"];
    CHECK(a.value("action", "") == "CAPTURE");
    CHECK(a.value("captured_amount", 0) == 1500);
    r = run(dir, {"capture", order}, "again");
    CHECK(r.exit_code == 3);
    CHECK(r.out.find("REFUSED capture of order " + order + " reason: Already captured") != std::string::npos);
    r = run(dir, {"void", order}, "void");
    CHECK(r.exit_code == 3);
    CHECK(r.out.find("reason: Captured: cannot void") != std::string::npos);
    // Another terminal (no journal of it): the gateway's record refuses it.
    const fs::path other = fresh_dir("capture-other-terminal");
    r = run(other, {"capture", order}, "other");
    CHECK(r.exit_code == 3);
    CHECK(r.out.find("reason: Already captured") != std::string::npos);
    CHECK(payment_of(gateway.state(), order)["authorization"].value("captured_amount", 0) == 1500);
  }
  SUBCASE("partial capture") {
    const auto [dir, order] = preauth("capture-part");
    const SimResult r = run(dir, {"capture", order, "1000.50"}, "capture");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("CAPTURED order " + order + " Rs 1,000.50 of Rs 1,500.00") != std::string::npos);
    CHECK(payment_of(gateway.state(), order)["authorization"].value("captured_amount", 0.0) == 1000.5);
  }
  SUBCASE("above the hold: refused on the terminal, nothing sent") {
    const auto [dir, order] = preauth("capture-above");
    const SimResult r = run(dir, {"capture", order, "1500.01"}, "capture");
    CHECK(r.exit_code == 3);
    CHECK(r.out.find("reason: Amount above hold") != std::string::npos);
    CHECK(payment_of(gateway.state(), order)["authorization"]["action"].is_null());
  }
  SUBCASE("void, then a capture refused") {
    const auto [dir, order] = preauth("void");
    SimResult r = run(dir, {"void", order}, "void");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("VOIDED order " + order + " Rs 1,500.00 released") != std::string::npos);
    CHECK(payment_of(gateway.state(), order).value("status", "") == "VOID");
    r = run(dir, {"capture", order}, "capture");
    CHECK(r.exit_code == 3);
    CHECK(r.out.find("reason: Voided: cannot capture") != std::string::npos);
    CHECK(payment_of(gateway.state(), order)["authorization"].value("captured_amount", 0) == 0);
  }
  SUBCASE("a UPI sale has no hold to capture") {
    const fs::path dir = fresh_dir("capture-upi");
    SimResult r = run(dir, {"sale", "499", "--auto-pay", "0"}, "sale");
    REQUIRE(r.outcome == "PAID");
    r = run(dir, {"capture", r.order_id}, "capture");
    CHECK(r.exit_code == 3);
    CHECK(r.out.find("reason: Not pre-authorised") != std::string::npos);
  }
}

TEST_CASE("a power cut at every point of a capture: recover finishes it, captured exactly once") {
  Pgsim gateway;
  // How many cut points a capture has, on a pre-authorisation of its own.
  long points = 0;
  {
    const fs::path count_dir = fresh_dir("capture-cut-count");
    SimProcess pre(gateway, count_dir, card_sale("preauth", "1500", kVisa, {"--otp", "111000"}), {}, "preauth");
    const SimResult other = pre.finish();
    REQUIRE(other.outcome == "AUTHORISED");
    SimProcess sim(gateway, count_dir, {"capture", other.order_id, "700"}, {{"POSAGENT_SIM_CUT_AT", "0"}}, "count");
    const SimResult r = sim.finish();
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const std::size_t at = r.err.rfind("cut points: ");
    REQUIRE(at != std::string::npos);
    points = std::stol(r.err.substr(at + 12));
  }
  REQUIRE(points > 3);
  // Each k on its own pre-authorisation: cut at k, then recover, then the
  // cashier asks again. pgsim must show one capture of 700.00.
  for (long k = 1; k <= points; ++k) {
    CAPTURE(k);
    const fs::path run_dir = fresh_dir("capture-cut-" + std::to_string(k));
    SimProcess pre(gateway, run_dir, card_sale("preauth", "1500", kVisa, {"--otp", "111000"}), {}, "preauth");
    const SimResult held = pre.finish();
    REQUIRE(held.outcome == "AUTHORISED");
    SimProcess cut(gateway, run_dir, {"capture", held.order_id, "700"}, {{"POSAGENT_SIM_CUT_AT", std::to_string(k)}},
                   "cut");
    const SimResult died = cut.finish();
    CHECK(died.exit_code == 86);
    SimProcess rec(gateway, run_dir, {"recover"}, {}, "recover");
    const SimResult recovered = rec.finish();
    SimProcess again(gateway, run_dir, {"capture", held.order_id, "700"}, {}, "again");
    const SimResult second = again.finish();
    INFO(died.err);
    INFO(recovered.out);
    INFO(second.out);
    const json a = payment_of(gateway.state(), held.order_id)["authorization"];
    CHECK(a.value("action", "") == "CAPTURE");
    CHECK(a.value("captured_amount", 0) == 700);
    // Captured once, and the terminal's last word says so: recover finished
    // the journaled capture, or (cut before its key was journaled) the
    // cashier's second try did it, or (cut after the result was journaled)
    // the second try is refused from the journal.
    const bool by_recover = recovered.out.find("CAPTURED order " + held.order_id) != std::string::npos;
    const bool by_again = second.out.find("CAPTURED order " + held.order_id) != std::string::npos;
    const bool already = second.out.find("reason: Already captured") != std::string::npos;
    CHECK(!(by_recover && by_again));
    CHECK((by_recover || by_again || already));
    CHECK(recovered.out.find("UNKNOWN") == std::string::npos);
  }
}
