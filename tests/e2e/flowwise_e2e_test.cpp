// posagent-sim on Flowwise end to end: the real program (the runner,
// engine, FlowwiseSaleGateway, Mbed TLS, journal files) with --gateway
// flowwise against pgsim's /router, checked by exit status, outcome line and
// pgsim's own Flowwise records. UPI and card sales paid, declines, a
// pre-authorisation captured, and no card number or CVV in anything the
// terminal wrote or printed.
//
// A Flowwise order cannot be terminated: an unpaid sale ends when the
// router's order expires, at least 5 minutes after it was created. Where a
// test needs that, it moves pgsim's clock past the expiry once the terminal
// has asked to end the order, as those minutes would.
#include <doctest/doctest.h>

#include <regex>
#include <set>

#include "tests/e2e/sim_process.hpp"

using namespace e2e;

namespace {

constexpr const char* kVisa = "4111111111111111";
constexpr const char* kCvv = "123";
constexpr long long kPastOrderExpiryMs = 6LL * 60 * 1000;

std::vector<std::string> flowwise(std::vector<std::string> args) {
  args.push_back("--gateway");
  args.push_back("flowwise");
  return args;
}

std::vector<std::string> card(const std::string& command, const std::string& amount,
                              std::vector<std::string> more = {}) {
  std::vector<std::string> args = {command, amount, "--card", kVisa, "--exp", "03/30", "--cvv", kCvv};
  args.insert(args.end(), more.begin(), more.end());
  return flowwise(args);
}

// pgsim's Flowwise record of an order (null if none) and its payments.
json fw_order(const json& state, const std::string& order_id) {
  for (const json& o : state["flowwise"]["orders"])
    if (o.value("order_id", "") == order_id) return o;
  return nullptr;
}
std::vector<json> fw_payments(const json& state, const std::string& order_id) {
  std::vector<json> out;
  for (const json& p : state["flowwise"]["payments"])
    if (p.value("order_id", "") == order_id) out.push_back(p);
  return out;
}

// Every file the terminal wrote (journal, hold record, terminal.json, its
// output files) and what it printed: no full card number, none of its
// hidden digits, no CVV next to a card field.
void check_no_card_data(const fs::path& dir, const SimResult& r) {
  const std::string number = kVisa;
  const std::string middle = number.substr(6, number.size() - 10);
  std::vector<std::pair<std::string, std::string>> texts = {{"stdout", r.out}, {"stderr", r.err}};
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().string().find("/pgsim/") != std::string::npos) continue;
    texts.emplace_back(entry.path().string(), read_text(entry.path()));
  }
  CHECK(texts.size() > 3);  // the journal and terminal.json at least, beside the output
  const std::regex cvv_near_field("cvv[^0-9\\n]{0,8}" + std::string(kCvv), std::regex::icase);
  for (const auto& [name, text] : texts) {
    INFO(name);
    CHECK(text.find(number) == std::string::npos);
    CHECK(text.find(middle) == std::string::npos);
    CHECK_FALSE(std::regex_search(text, cvv_near_field));
  }
  CHECK(r.out.find("VISA XXXX1111") != std::string::npos);
}

// The sale's outcome line has not been printed yet.
bool still_running(const fs::path& dir) {
  return read_text(dir / "run.out").find("posagent-sim: ") == std::string::npos;
}

}  // namespace

TEST_CASE("flowwise UPI sale: the customer pays, PAID with the router's UTR; the order carries the terminal; "
          "status reads it from the router") {
  Pgsim gateway;
  const fs::path dir = fresh_dir("fw-paid");
  SimProcess sim(gateway, dir, flowwise({"sale", "499", "--auto-pay", "2"}));
  const SimResult r = sim.finish();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  REQUIRE(r.outcome == "PAID");
  CHECK(r.err.find("/router/view/pay/") != std::string::npos);  // where the customer paid
  const json state = gateway.state();
  const json order = fw_order(state, r.order_id);
  REQUIRE(order.is_object());
  CHECK(order.value("status", "") == "PAID");
  CHECK(order.value("amount_paise", 0) == 49900);
  CHECK(order.value("capture_mode", "") == "auto");
  CHECK(order["order_tags"].value("terminal_id", "") == "SIM-0001");
  CHECK(order["order_tags"].value("sale", "") == "upi_qr");
  CHECK(order["customer_details"].value("customer_phone", "") == "9999999999");
  CHECK(order.value("expiry_ms", 0LL) - order.value("created_ms", 0LL) == 5 * 60 * 1000);
  const std::vector<json> payments = fw_payments(state, r.order_id);
  REQUIRE(payments.size() == 1);
  CHECK(payments[0].value("status", "") == "SUCCESS");
  CHECK(payments[0].value("method", "") == "upi");
  CHECK(r.utr == payments[0].value("utr", ""));
  CHECK(order_in(state, r.order_id).is_null());  // nothing on /pg

  SimProcess status(gateway, dir, flowwise({"status", r.order_id}), {}, "status");
  const SimResult s = status.finish();
  INFO(s.err);
  CHECK(s.exit_code == 0);
  CHECK(s.out.find("order " + r.order_id + ": PAID Rs 499.00") != std::string::npos);
  CHECK(s.out.find("SUCCESS Rs 499.00 capture CAPTURED Rs 499.00 UTR " + r.utr) != std::string::npos);
}

TEST_CASE("flowwise card sale: the 3-D Secure page as the QR, verified there, PAID; no card data kept") {
  Pgsim gateway;
  const fs::path dir = fresh_dir("fw-card");
  SimProcess sim(gateway, dir, card("sale", "499", {"--auto-pay", "2"}));
  const SimResult r = sim.finish();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  REQUIRE(r.outcome == "PAID");
  CHECK(r.err.find("verify the card at " + gateway.base_url() + "/router/view/3ds/") != std::string::npos);
  const json state = gateway.state();
  const json order = fw_order(state, r.order_id);
  REQUIRE(order.is_object());
  CHECK(order.value("status", "") == "PAID");
  CHECK(order["order_tags"].value("sale", "") == "card");
  const std::vector<json> payments = fw_payments(state, r.order_id);
  REQUIRE(payments.size() == 1);
  CHECK(payments[0].value("method", "") == "card");
  CHECK(payments[0].value("status", "") == "SUCCESS");
  CHECK(payments[0].value("capture_status", "") == "CAPTURED");
  CHECK(r.utr == payments[0].value("utr", ""));
  check_no_card_data(dir, r);
  CHECK(state.dump().find(kVisa) == std::string::npos);  // the router kept it masked
}

TEST_CASE("flowwise declined: the sale waits while the order can still be paid, then FAILED once it expired") {
  Pgsim gateway;
  SUBCASE("UPI, declined in the customer's app") {
    const fs::path dir = fresh_dir("fw-upi-declined");
    SimProcess sim(gateway, dir, flowwise({"sale", "12.50", "--auto-decline", "1"}));
    REQUIRE(sim.wait_for("cannot terminate"));
    // The order is ACTIVE: a new payment could still land. No outcome yet.
    std::this_thread::sleep_for(std::chrono::seconds(3));
    CHECK(still_running(dir));
    REQUIRE(gateway.admin("POST", "/clock", {{"advance_ms", kPastOrderExpiryMs}}).status == 200);
    const SimResult r = sim.finish();
    INFO(r.err);
    CHECK(r.exit_code == 3);
    REQUIRE(r.outcome == "FAILED");
    CHECK(r.out.find("reason: ") != std::string::npos);
    const json state = gateway.state();
    CHECK(fw_order(state, r.order_id).value("status", "") == "EXPIRED");
    const std::vector<json> payments = fw_payments(state, r.order_id);
    REQUIRE(payments.size() == 1);
    CHECK(payments[0].value("status", "") == "FAILED");
  }
  SUBCASE("card, cancelled on the 3-D Secure page") {
    const fs::path dir = fresh_dir("fw-card-declined");
    SimProcess sim(gateway, dir, card("sale", "250", {"--auto-decline", "1"}));
    REQUIRE(sim.wait_for("cannot terminate"));
    std::this_thread::sleep_for(std::chrono::seconds(3));
    CHECK(still_running(dir));
    REQUIRE(gateway.admin("POST", "/clock", {{"advance_ms", kPastOrderExpiryMs}}).status == 200);
    const SimResult r = sim.finish();
    INFO(r.err);
    CHECK(r.exit_code == 3);
    REQUIRE(r.outcome == "FAILED");
    const json state = gateway.state();
    CHECK(fw_order(state, r.order_id).value("status", "") == "EXPIRED");
    const std::vector<json> payments = fw_payments(state, r.order_id);
    REQUIRE(payments.size() == 1);
    CHECK(payments[0].value("status", "") == "USER_DROPPED");
    check_no_card_data(dir, r);
  }
}

TEST_CASE("flowwise pre-authorisation: manual capture asked on the order, AUTHORISED; captured in part, "
          "then a void refused") {
  Pgsim gateway;
  const fs::path dir = fresh_dir("fw-preauth");
  SimProcess sim(gateway, dir, card("preauth", "300", {"--auto-pay", "2"}));
  const SimResult r = sim.finish();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  REQUIRE(r.outcome == "AUTHORISED");
  json state = gateway.state();
  const json order = fw_order(state, r.order_id);
  REQUIRE(order.is_object());
  CHECK(order.value("status", "") == "PAID");
  CHECK(order.value("capture_mode", "") == "manual");
  CHECK(order["order_tags"].value("capture", "") == "manual");
  CHECK(order["order_tags"].value("sale", "") == "card_preauth");
  REQUIRE(fw_payments(state, r.order_id).size() == 1);
  CHECK(fw_payments(state, r.order_id)[0].value("capture_status", "") == "AUTHORISED");
  check_no_card_data(dir, r);

  SimProcess capture(gateway, dir, flowwise({"capture", r.order_id, "100"}), {}, "capture");
  const SimResult c = capture.finish();
  INFO(c.err);
  CHECK(c.exit_code == 0);
  CHECK(c.out.find("CAPTURED order " + r.order_id + " Rs 100.00 of Rs 300.00") != std::string::npos);
  state = gateway.state();
  CHECK(fw_payments(state, r.order_id)[0].value("capture_status", "") == "CAPTURED");
  CHECK(fw_payments(state, r.order_id)[0].value("capture_paise", 0) == 10000);

  SimProcess void_after(gateway, dir, flowwise({"void", r.order_id}), {}, "void");
  const SimResult v = void_after.finish();
  INFO(v.err);
  CHECK(v.exit_code == 3);
  CHECK(v.out.find("REFUSED") != std::string::npos);
  CHECK(fw_payments(gateway.state(), r.order_id)[0].value("capture_status", "") == "CAPTURED");
}

TEST_CASE("a Flowwise sale cut by a power loss is kept, not resumed, by a terminal now set to pg; set back, it "
          "is finished") {
  Pgsim gateway;
  const fs::path dir = fresh_dir("fw-switch");
  SimProcess sim(gateway, dir, flowwise({"sale", "499"}));
  REQUIRE(sim.wait_for("customer: scan the QR"));
  sim.power_cut();
  (void)sim.finish();
  const json orders = gateway.state()["flowwise"]["orders"];
  REQUIRE(orders.size() == 1);
  const std::string order_id = orders[0].value("order_id", "");

  // On pg, where the order is not: neither resumed nor replaced by a new
  // sale, and nothing sent to /pg.
  for (const std::vector<std::string>& args : {std::vector<std::string>{"recover"}, {"sale", "10"}}) {
    SimProcess on_pg(gateway, dir, args, {}, "on-pg-" + args[0]);
    const SimResult p = on_pg.finish();
    INFO(p.err);
    CHECK(p.exit_code == 6);
    CHECK(p.err.find("the interrupted sale " + order_id + " was made on Flowwise, and this terminal is now set to "
                     "Cashfree PG") != std::string::npos);
    CHECK(p.err.find("`posagent-sim recover --gateway flowwise`") != std::string::npos);
  }
  CHECK(gateway.state()["orders"].empty());

  SimProcess back(gateway, dir, flowwise({"recover", "--auto-pay", "1"}), {}, "recover");
  const SimResult r = back.finish();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  REQUIRE(r.outcome == "PAID");
  CHECK(r.order_id == order_id);
  CHECK(fw_payments(gateway.state(), order_id).size() == 1);
}

TEST_CASE("the API is the terminal's choice: gateway.kind in terminal.json; --gateway takes only pg or flowwise") {
  Pgsim gateway;
  SUBCASE("terminal.json says flowwise: the sale goes to /router") {
    const fs::path dir = fresh_dir("fw-kind");
    fs::create_directories(dir);
    std::ofstream(dir / "terminal.json") << R"({
      "terminal": {"terminal_type": "SPOS", "terminal_id": "SIM-FW-7", "terminal_phone_no": "9999999999",
                   "terminal_name": "posagent sim"},
      "gateway": {"kind": "flowwise"}})";
    SimProcess sim(gateway, dir, {"sale", "75", "--auto-pay", "1", "--gateway-url", gateway.base_url() + "/router"});
    const SimResult r = sim.finish();
    INFO(r.err);
    CHECK(r.exit_code == 0);
    REQUIRE(r.outcome == "PAID");
    const json order = fw_order(gateway.state(), r.order_id);
    REQUIRE(order.is_object());
    CHECK(order["order_tags"].value("terminal_id", "") == "SIM-FW-7");
  }
  SUBCASE("the old --gateway URL is a usage error that names --gateway-url") {
    const fs::path dir = fresh_dir("fw-usage");
    SimProcess sim(gateway, dir, {"sale", "75", "--gateway", gateway.base_url() + "/pg"});
    const SimResult r = sim.finish();
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--gateway takes pg or flowwise (the address is --gateway-url)") != std::string::npos);
  }
  SUBCASE("an unknown kind in terminal.json is refused before anything is sent") {
    const fs::path dir = fresh_dir("fw-bad-kind");
    fs::create_directories(dir);
    std::ofstream(dir / "terminal.json") << R"({"gateway": {"kind": "router"}})";
    SimProcess sim(gateway, dir, {"sale", "75"});
    const SimResult r = sim.finish();
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("gateway.kind: 'router' is not pg or flowwise") != std::string::npos);
  }
}

TEST_CASE("flowwise holds: captured in full then again refused on the terminal; voided then a capture refused") {
  Pgsim gateway;
  SUBCASE("full capture, then a second one") {
    const fs::path dir = fresh_dir("fw-full-capture");
    SimProcess pre(gateway, dir, card("preauth", "300", {"--auto-pay", "0"}), {}, "preauth");
    const SimResult held = pre.finish();
    REQUIRE(held.outcome == "AUTHORISED");
    SimProcess capture(gateway, dir, flowwise({"capture", held.order_id}), {}, "capture");
    const SimResult c = capture.finish();
    INFO(c.err);
    CHECK(c.exit_code == 0);
    CHECK(c.out.find("CAPTURED order " + held.order_id + " Rs 300.00") != std::string::npos);
    SimProcess again(gateway, dir, flowwise({"capture", held.order_id}), {}, "again");
    const SimResult a = again.finish();
    CHECK(a.exit_code == 3);
    CHECK(a.out.find("reason: Already captured") != std::string::npos);
    const json p = fw_payments(gateway.state(), held.order_id)[0];
    CHECK(p.value("capture_status", "") == "CAPTURED");
    CHECK(p.value("capture_paise", 0) == 30000);
  }
  SUBCASE("void, then a capture") {
    const fs::path dir = fresh_dir("fw-void");
    SimProcess pre(gateway, dir, card("preauth", "300", {"--auto-pay", "0"}), {}, "preauth");
    const SimResult held = pre.finish();
    REQUIRE(held.outcome == "AUTHORISED");
    SimProcess release(gateway, dir, flowwise({"void", held.order_id}), {}, "void");
    const SimResult v = release.finish();
    INFO(v.err);
    CHECK(v.exit_code == 0);
    CHECK(v.out.find("VOIDED order " + held.order_id) != std::string::npos);
    SimProcess capture(gateway, dir, flowwise({"capture", held.order_id}), {}, "capture");
    const SimResult c = capture.finish();
    CHECK(c.exit_code == 3);
    CHECK(c.out.find("REFUSED") != std::string::npos);
    CHECK(fw_payments(gateway.state(), held.order_id)[0].value("capture_status", "") == "VOIDED");
  }
}

// The runner's logic is the same as on Cashfree PG, whose e2e test cuts at
// every point. Each cut here needs a fresh pre-authorisation on the router's
// 3-D Secure page, so: every point from the capture key's journal write on
// (the authorize request, its answer, the result's write), and every third
// point of the hold read before it.
TEST_CASE("flowwise: a power cut across a capture's points; recover finishes it, captured exactly once") {
  Pgsim gateway;
  long points = 0;
  long first_write = 0;  // the first journal write's point: the capture's key
  {
    const fs::path dir = fresh_dir("fw-capture-cut-count");
    SimProcess pre(gateway, dir, card("preauth", "1500", {"--auto-pay", "0"}), {}, "preauth");
    const SimResult held = pre.finish();
    REQUIRE(held.outcome == "AUTHORISED");
    SimProcess sim(gateway, dir, flowwise({"capture", held.order_id, "700"}), {{"POSAGENT_SIM_CUT_AT", "0"}}, "count");
    const SimResult r = sim.finish();
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const std::size_t at = r.err.rfind("cut points: ");
    REQUIRE(at != std::string::npos);
    points = std::stol(r.err.substr(at + 12));
    const std::size_t write = r.err.find(": before journal write");
    REQUIRE(write != std::string::npos);
    const std::size_t number = r.err.rfind("cut point ", write) + 10;
    first_write = std::stol(r.err.substr(number, write - number));
  }
  REQUIRE(points > 3);
  REQUIRE(first_write > 1);
  MESSAGE("capture cut points on Flowwise: " << points << ", the key's journal write at " << first_write);
  std::vector<long> cut_points;
  for (long k = 1; k < first_write; k += 3) cut_points.push_back(k);
  for (long k = first_write; k <= points; ++k) cut_points.push_back(k);
  std::set<std::string> kinds;
  for (const long k : cut_points) {
    CAPTURE(k);
    const fs::path dir = fresh_dir("fw-capture-cut-" + std::to_string(k));
    SimProcess pre(gateway, dir, card("preauth", "1500", {"--auto-pay", "0"}), {}, "preauth");
    const SimResult held = pre.finish();
    REQUIRE(held.outcome == "AUTHORISED");
    SimProcess cut(gateway, dir, flowwise({"capture", held.order_id, "700"}),
                   {{"POSAGENT_SIM_CUT_AT", std::to_string(k)}}, "cut");
    const SimResult died = cut.finish();
    CHECK(died.exit_code == 86);
    const std::size_t at = died.err.find("power cut at point ");
    if (at != std::string::npos) {
      const std::size_t open = died.err.find('(', at), close = died.err.find(')', at);
      kinds.insert(died.err.substr(open + 1, close - open - 1));
    }
    SimProcess rec(gateway, dir, flowwise({"recover"}), {}, "recover");
    const SimResult recovered = rec.finish();
    SimProcess again(gateway, dir, flowwise({"capture", held.order_id, "700"}), {}, "again");
    const SimResult second = again.finish();
    INFO(recovered.out);
    INFO(second.out);
    const json p = fw_payments(gateway.state(), held.order_id)[0];
    CHECK(p.value("capture_status", "") == "CAPTURED");
    CHECK(p.value("capture_paise", 0) == 70000);
    const bool by_recover = recovered.out.find("CAPTURED order " + held.order_id) != std::string::npos;
    const bool by_again = second.out.find("CAPTURED order " + held.order_id) != std::string::npos;
    const bool already = second.out.find("reason: Already captured") != std::string::npos;
    CHECK(!(by_recover && by_again));
    CHECK((by_recover || by_again || already));
    CHECK(recovered.out.find("UNKNOWN") == std::string::npos);
  }
  CHECK(kinds == std::set<std::string>{"before journal write", "after journal write", "before connect", "before send",
                                       "after send", "before receive"});
}
