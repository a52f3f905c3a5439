// Payment webhooks to order_meta.notify_url, received by a test HTTPS
// server that uses pgsim's own certificate (valid for localhost): payload,
// headers and signature (recomputed here with OpenSSL), retries, the
// delivery log in /admin/state, and certificate verification.
#include <doctest/doctest.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>

#include "tests/pgsim/pgsim_harness.hpp"

using namespace pgsim_test;

namespace {

struct Received {
  httplib::Headers headers;
  std::string body;
  std::string header(const std::string& k) const {
    auto it = headers.find(k);
    return it == headers.end() ? "" : it->second;
  }
  json json_body() const { return json::parse(body); }
};

// A merchant's webhook endpoint: POST /hook, answering 200 unless told to
// answer otherwise.
class Receiver {
 public:
  explicit Receiver(const fs::path& pki_dir)
      : svr_((pki_dir / "server.pem").c_str(), (pki_dir / "server.key").c_str()) {
    if (!svr_.is_valid()) throw std::runtime_error("receiver: cannot load pgsim's server certificate");
    svr_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      received_.push_back({req.headers, req.body});
      res.status = 200;
      if (!answers_.empty()) {
        res.status = answers_.front();
        answers_.pop_front();
      }
      res.set_content("ok", "text/plain");
    });
    port_ = svr_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { svr_.listen_after_bind(); });
  }
  ~Receiver() {
    svr_.stop();
    thread_.join();
  }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  std::string url() const { return "https://localhost:" + std::to_string(port_) + "/hook"; }
  void answer_next(std::initializer_list<int> statuses) {
    std::lock_guard lock(mu_);
    answers_.insert(answers_.end(), statuses);
  }
  std::vector<Received> received() const {
    std::lock_guard lock(mu_);
    return received_;
  }
  bool wait_for(size_t n) const {
    return eventually([&] { return received().size() >= n; });
  }

 private:
  httplib::SSLServer svr_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<Received> received_;
  std::deque<int> answers_;
};

std::vector<std::string> trusting_pgsim_ca(const fs::path& dir, std::vector<std::string> extra) {
  extra.insert(extra.end(), {"--webhook-ca", (dir / "ca.pem").string()});
  return extra;
}

// pgsim (trusting its own CA for webhooks) and a receiver using its certificate.
struct Setup {
  explicit Setup(std::vector<std::string> extra = {}, fs::path d = Pgsim::fresh_dir())
      : dir(d), sim(trusting_pgsim_ca(dir, std::move(extra)), dir), hook(dir) {}
  fs::path dir;
  Pgsim sim;
  Receiver hook;
};

std::string b64(const unsigned char* p, size_t n) {
  std::string out(4 * ((n + 2) / 3), '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), p, static_cast<int>(n));
  return out;
}

// What Cashfree's docs say a merchant computes: base64(HMAC-SHA256(client
// secret, timestamp + raw body)).
std::string expected_signature(const Received& r) {
  const std::string msg = r.header("x-webhook-timestamp") + r.body;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), kClientSecret, static_cast<int>(std::strlen(kClientSecret)),
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), md, &len);
  return b64(md, len);
}

json order_with_notify_url(const Pgsim& sim, const std::string& order_id, const std::string& url, bool softpos = true,
                           const std::string& version = "2025-01-01") {
  json body = Pgsim::order_body(order_id);
  if (!url.empty()) body["order_meta"] = {{"notify_url", url}};
  body["order_tags"] = {{"till", "3"}};
  if (!softpos) body.erase("terminal");
  Response r = sim.pg("POST", "/orders", body, {{"x-api-version", version}});
  if (r.status != 200) throw std::runtime_error("create order: " + r.raw);
  return r.body;
}

std::string pay_link(const Pgsim& sim, const json& order) {
  Response r = sim.pay_upi(order);
  if (r.status != 200) throw std::runtime_error("pay: " + r.raw);
  return r.body["cf_payment_id"];
}

void decide_on_page(const Pgsim& sim, const std::string& cf_payment_id, const std::string& decision) {
  Response r = sim.request("POST", "/pay/" + cf_payment_id, "decision=" + decision, {},
                           "application/x-www-form-urlencoded");
  if (r.status != 303) throw std::runtime_error("pay page: " + r.raw);
}

json webhook_log(const Pgsim& sim) { return sim.state()["webhooks"]; }

}  // namespace

TEST_CASE("a successful payment sends a signed PAYMENT_SUCCESS_WEBHOOK") {
  Setup s;
  Response t = s.sim.pg("POST", "/terminal",
                        {{"terminal_id", "T-0001"},
                         {"terminal_phone_no", "9123456780"},  // the harness orders' terminal
                         {"terminal_name", "Counter 3"},
                         {"terminal_email", "counter3@shop.example"},
                         {"terminal_type", "AGENT"}});
  REQUIRE(t.status == 200);
  json order = order_with_notify_url(s.sim, "hook-ok", s.hook.url());
  const std::string id = pay_link(s.sim, order);
  CHECK(webhook_log(s.sim).empty());  // nothing until the payment is decided
  REQUIRE(s.sim.simulate(id, "SUCCESS").status == 200);
  REQUIRE(s.hook.wait_for(1));

  const Received r = s.hook.received()[0];
  CHECK(r.header("Content-Type") == "application/json");
  CHECK(r.header("x-webhook-version") == "2025-01-01");
  CHECK(r.header("x-webhook-attempt") == "1");
  const int64_t ts = std::stoll(r.header("x-webhook-timestamp"));
  CHECK(std::abs(ts - s.sim.state()["now_ms"].get<int64_t>()) < 60000);
  CHECK(r.header("x-webhook-signature") == expected_signature(r));
  CHECK(r.header("x-idempotency-key").size() == 44);  // base64 of a SHA-256

  const json w = r.json_body();
  CHECK(w["type"] == "PAYMENT_SUCCESS_WEBHOOK");
  CHECK(std::string(w["event_time"]).find("+05:30") != std::string::npos);
  const json& d = w["data"];
  CHECK(d["order"] == json{{"order_id", "hook-ok"}, {"order_amount", 499}, {"order_currency", "INR"},
                           {"order_tags", {{"till", "3"}}}});
  const json payment = s.sim.pg("GET", "/orders/hook-ok/payments/" + id).body;
  CHECK(d["payment"]["cf_payment_id"] == id);
  CHECK(d["payment"]["payment_status"] == "SUCCESS");
  CHECK(d["payment"]["payment_amount"] == 499);
  CHECK(d["payment"]["payment_currency"] == "INR");
  CHECK(d["payment"]["payment_message"] == payment["payment_message"]);
  CHECK(d["payment"]["payment_time"] == payment["payment_time"]);
  CHECK(d["payment"]["bank_reference"] == payment["bank_reference"]);
  CHECK(d["payment"]["auth_id"].is_null());
  CHECK(d["payment"]["payment_method"]["upi"]["channel"] == "link");
  CHECK(d["payment"]["payment_group"] == "upi");
  CHECK(d["payment"]["international_payment"]["international"] == false);
  CHECK(d["payment"].contains("payment_surcharge"));
  CHECK(d["customer_details"]["customer_id"] == "walkin-1");
  CHECK(d["customer_details"]["customer_phone"] == "9876543210");
  CHECK(d["payment_gateway_details"]["gateway_payment_id"] == id);
  CHECK(d["payment_gateway_details"]["gateway_order_id"] == order["cf_order_id"]);
  CHECK(d["payment_offers"].is_null());
  CHECK_FALSE(d.contains("error_details"));
  CHECK(d["terminal_details"] == json{{"cf_terminal_id", t.body["cf_terminal_id"]}, {"terminal_phone", "9123456780"}});

  // The delivery is logged in /admin/state.
  REQUIRE(eventually([&] { return webhook_log(s.sim)[0]["status"] == "DELIVERED"; }));
  const json ev = webhook_log(s.sim)[0];
  CHECK(ev["type"] == "PAYMENT_SUCCESS_WEBHOOK");
  CHECK(ev["order_id"] == "hook-ok");
  CHECK(ev["url"] == s.hook.url());
  CHECK(ev["body"] == r.body);
  REQUIRE(ev["attempts"].size() == 1);
  CHECK(ev["attempts"][0]["attempt"] == 1);
  CHECK(ev["attempts"][0]["status"] == 200);
  CHECK(ev["attempts"][0]["at_ms"] == ts);
}

TEST_CASE("failed and user-dropped payments send their webhooks with error_details") {
  Setup s;
  struct Case {
    const char* decision;
    const char* type;
    const char* status;
  };
  const Case cases[] = {{"decline", "PAYMENT_FAILED_WEBHOOK", "FAILED"},
                        {"leave", "PAYMENT_USER_DROPPED_WEBHOOK", "USER_DROPPED"}};
  size_t n = 0;
  for (const auto& c : cases) {
    CAPTURE(c.decision);
    const std::string order_id = std::string("hook-") + c.decision;
    json order = order_with_notify_url(s.sim, order_id, s.hook.url(), /*softpos=*/false);
    const std::string id = pay_link(s.sim, order);
    decide_on_page(s.sim, id, c.decision);
    REQUIRE(s.hook.wait_for(++n));
    const Received r = s.hook.received()[n - 1];
    CHECK(r.header("x-webhook-signature") == expected_signature(r));
    const json w = r.json_body();
    CHECK(w["type"] == c.type);
    CHECK(w["data"]["payment"]["cf_payment_id"] == id);
    CHECK(w["data"]["payment"]["payment_status"] == c.status);
    CHECK(w["data"]["error_details"] ==
          s.sim.pg("GET", "/orders/" + order_id + "/payments/" + id).body["error_details"]);
    CHECK(w["data"]["error_details"]["error_code"].is_string());
    CHECK_FALSE(w["data"].contains("terminal_details"));  // not a softPOS order
  }
}

TEST_CASE("a refused webhook is retried with x-webhook-attempt counting up, then given up") {
  Setup s({"--webhook-retry-ms", "100,100,100"});
  s.hook.answer_next({500});
  json order = order_with_notify_url(s.sim, "hook-retry", s.hook.url());
  REQUIRE(s.sim.simulate(pay_link(s.sim, order), "SUCCESS").status == 200);
  REQUIRE(s.hook.wait_for(2));
  const auto got = s.hook.received();
  CHECK(got[0].header("x-webhook-attempt") == "1");
  CHECK(got[1].header("x-webhook-attempt") == "2");
  CHECK(got[1].body == got[0].body);
  CHECK(got[1].header("x-idempotency-key") == got[0].header("x-idempotency-key"));
  for (const auto& r : got) CHECK(r.header("x-webhook-signature") == expected_signature(r));
  REQUIRE(eventually([&] { return webhook_log(s.sim)[0]["status"] == "DELIVERED"; }));
  json attempts = webhook_log(s.sim)[0]["attempts"];
  REQUIRE(attempts.size() == 2);
  CHECK(attempts[0]["status"] == 500);
  CHECK(attempts[1]["status"] == 200);
  CHECK(attempts[1]["at_ms"].get<int64_t>() - attempts[0]["at_ms"].get<int64_t>() >= 100);

  // Refused every time: the first attempt and three retries, then FAILED.
  s.hook.answer_next({503, 503, 503, 503});
  json second = order_with_notify_url(s.sim, "hook-give-up", s.hook.url());
  REQUIRE(s.sim.simulate(pay_link(s.sim, second), "FAILED").status == 200);
  REQUIRE(eventually([&] { return webhook_log(s.sim)[1]["status"] == "FAILED"; }));
  attempts = webhook_log(s.sim)[1]["attempts"];
  REQUIRE(attempts.size() == 4);
  CHECK(attempts[3]["attempt"] == 4);
  CHECK(attempts[3]["status"] == 503);
  CHECK(s.hook.received().size() == 6);
}

TEST_CASE("2023-08-01 webhooks carry that version and no x-idempotency-key") {
  Setup s;
  json order = order_with_notify_url(s.sim, "hook-v2023", s.hook.url(), true, "2023-08-01");
  REQUIRE(s.sim.simulate(pay_link(s.sim, order), "SUCCESS").status == 200);
  REQUIRE(s.hook.wait_for(1));
  const Received r = s.hook.received()[0];
  CHECK(r.header("x-webhook-version") == "2023-08-01");
  CHECK_FALSE(r.headers.count("x-idempotency-key"));
  CHECK(r.header("x-webhook-signature") == expected_signature(r));
}

TEST_CASE("an order without notify_url sends no webhook") {
  Setup s;
  json quiet = order_with_notify_url(s.sim, "hook-none", "");
  REQUIRE(s.sim.simulate(pay_link(s.sim, quiet), "SUCCESS").status == 200);
  json loud = order_with_notify_url(s.sim, "hook-some", s.hook.url());
  REQUIRE(s.sim.simulate(pay_link(s.sim, loud), "SUCCESS").status == 200);
  // Events go out in order, so once the second order's has arrived the
  // first order would have sent one already.
  REQUIRE(s.hook.wait_for(1));
  CHECK(s.hook.received().size() == 1);
  CHECK(s.hook.received()[0].json_body()["data"]["order"]["order_id"] == "hook-some");
  CHECK(webhook_log(s.sim).size() == 1);
}

TEST_CASE("the receiver's certificate is verified") {
  // Without --webhook-ca pgsim's own CA is not trusted, so the receiver
  // (using pgsim's certificate) must be refused.
  const fs::path dir = Pgsim::fresh_dir();
  Pgsim sim({"--webhook-retry-ms", ""}, dir);
  Receiver hook(dir);
  json order = order_with_notify_url(sim, "hook-untrusted", hook.url());
  REQUIRE(sim.simulate(pay_link(sim, order), "SUCCESS").status == 200);
  REQUIRE(eventually([&] { return webhook_log(sim)[0]["status"] == "FAILED"; }));
  const json attempt = webhook_log(sim)[0]["attempts"][0];
  CHECK(attempt["status"] == 0);
  CHECK(std::string(attempt["error"]).find("SSLServerVerification") != std::string::npos);
  CHECK(hook.received().empty());
}

TEST_CASE("pending webhooks survive a restart, and the clock brings retries forward") {
  const fs::path dir = Pgsim::fresh_dir();
  const std::string state_file = (dir / "state.json").string();
  const std::vector<std::string> args = {"--state", state_file, "--webhook-retry-ms", "60000"};
  Setup first(args, dir);
  first.hook.answer_next({500});
  json order = order_with_notify_url(first.sim, "hook-restart", first.hook.url());
  REQUIRE(first.sim.simulate(pay_link(first.sim, order), "SUCCESS").status == 200);
  REQUIRE(eventually([&] { return webhook_log(first.sim)[0]["attempts"].size() == 1; }));
  first.sim.kill_hard();

  Pgsim again(trusting_pgsim_ca(dir, args), dir);
  json ev = webhook_log(again)[0];
  CHECK(ev["status"] == "PENDING");
  CHECK(ev["attempts"][0]["status"] == 500);
  again.admin("POST", "/clock", {{"advance_ms", 60000}});
  REQUIRE(first.hook.wait_for(2));
  CHECK(first.hook.received()[1].header("x-webhook-attempt") == "2");
  CHECK(eventually([&] { return webhook_log(again)[0]["status"] == "DELIVERED"; }));
}

TEST_CASE("a refund that reaches its outcome is announced with REFUND_STATUS_WEBHOOK") {
  Setup s({"--refund-settle-ms", "100"});
  json order = order_with_notify_url(s.sim, "wh-refund-1", s.hook.url());
  const std::string id = s.sim.pay_upi(order).body["cf_payment_id"];
  REQUIRE(s.sim.simulate(id, "SUCCESS").status == 200);
  REQUIRE(s.hook.wait_for(1));  // the payment's own webhook
  Response r = s.sim.pg("POST", "/orders/wh-refund-1/refunds", {{"refund_amount", 100}, {"refund_id", "rf-1"}});
  REQUIRE(r.status == 200);
  CHECK(r.body["refund_status"] == "PENDING");
  // No request drives it: pgsim's own clock settles the refund and sends.
  REQUIRE(s.hook.wait_for(2));
  const Received hook = s.hook.received()[1];
  CHECK(hook.header("x-webhook-signature") == expected_signature(hook));
  const json body = hook.json_body();
  CHECK(body["type"] == "REFUND_STATUS_WEBHOOK");
  CHECK(body["data"]["refund"]["refund_id"] == "rf-1");
  CHECK(body["data"]["refund"]["refund_status"] == "SUCCESS");
  CHECK(body["data"]["refund"]["cf_payment_id"] == id);
  CHECK(body["data"]["refund"]["refund_amount"] == 100);
}
