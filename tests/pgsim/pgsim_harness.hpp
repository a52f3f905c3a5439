// Runs a real pgsim process for a test and talks to it over HTTPS with its
// CA trusted. One Pgsim per test case: a fresh data dir, a free port, and a
// SIGTERM (then SIGKILL) when the object goes away.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace pgsim_test {

using json = nlohmann::json;
namespace fs = std::filesystem;

inline const char* kClientId = "pgsim_test_client_id";
inline const char* kClientSecret = "pgsim_test_client_secret";

struct Response {
  int status = 0;  // 0: no HTTP response (connection failed or dropped)
  json body;       // discarded when the body is not JSON
  std::string raw;
  httplib::Headers headers;
  std::string header(const std::string& k) const {
    auto it = headers.find(k);
    return it == headers.end() ? "" : it->second;
  }
};

class Pgsim {
 public:
  // `dir` keeps the PKI and (with --state) the state file; reusing a dir
  // across two Pgsim objects is how tests restart pgsim on the same state.
  explicit Pgsim(std::vector<std::string> extra = {}, fs::path dir = {}) {
    dir_ = dir.empty() ? fresh_dir() : dir;
    start(std::move(extra));
  }
  ~Pgsim() { stop(); }
  Pgsim(const Pgsim&) = delete;
  Pgsim& operator=(const Pgsim&) = delete;

  static fs::path fresh_dir() {
    char tmpl[] = "/tmp/pgsim-test-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp");
    return tmpl;
  }

  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      int st = 0;
      if (waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = 0;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }

  // Ends pgsim at once, as a crash or power cut would: no shutdown save.
  void kill_hard() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }

  const fs::path& dir() const { return dir_; }
  const std::string& base_url() const { return base_url_; }
  const std::string& ca_path() const { return ca_; }
  int port() const { return port_; }

  // A plain request; `headers` are sent as given (nothing added).
  Response request(const std::string& method, const std::string& path, const std::string& body,
                   const httplib::Headers& headers, const char* content_type = "application/json") const {
    httplib::SSLClient cli("localhost", port_);
    cli.set_ca_cert_path(ca_.c_str());
    cli.enable_server_certificate_verification(true);
    cli.set_connection_timeout(5);
    cli.set_read_timeout(20);
    httplib::Result r = method == "GET"      ? cli.Get(path, headers)
                        : method == "DELETE" ? cli.Delete(path, headers)
                        : method == "PATCH"  ? cli.Patch(path, headers, body, content_type)
                                             : cli.Post(path, headers, body, content_type);
    Response out;
    if (!r) return out;
    out.status = r->status;
    out.raw = r->body;
    out.headers = r->headers;
    out.body = json::parse(r->body, nullptr, false);
    return out;
  }

  // A /pg call with credentials and x-api-version 2025-01-01; `extra`
  // headers are added (and may replace those).
  Response pg(const std::string& method, const std::string& path, const json& body = nullptr,
              httplib::Headers extra = {}) const {
    httplib::Headers h = {{"x-api-version", "2025-01-01"},
                          {"x-client-id", kClientId},
                          {"x-client-secret", kClientSecret}};
    for (const auto& [k, v] : extra) {
      h.erase(k);
      if (!v.empty()) h.emplace(k, v);
    }
    return request(method, "/pg" + path, body.is_null() ? "" : body.dump(), h);
  }

  Response admin(const std::string& method, const std::string& path, const json& body = nullptr) const {
    return request(method, "/admin" + path, body.is_null() ? "" : body.dump(), {});
  }

  json state() const { return admin("GET", "/state").body; }

  // --- flows tests share -----------------------------------------------------
  static json order_body(const std::string& order_id, double amount = 499.0) {
    json b = {{"order_amount", amount},
              {"order_currency", "INR"},
              {"customer_details", {{"customer_id", "walkin-1"}, {"customer_phone", "9876543210"}}},
              {"terminal", {{"terminal_type", "SPOS"}, {"terminal_id", "T-0001"}, {"terminal_phone_no", "9123456780"}}},
              {"order_note", "Counter 3 sale"}};
    if (!order_id.empty()) b["order_id"] = order_id;
    return b;
  }

  json create_order(const std::string& order_id, double amount = 499.0) const {
    Response r = pg("POST", "/orders", order_body(order_id, amount));
    if (r.status != 200) throw std::runtime_error("create order: " + std::to_string(r.status) + " " + r.raw);
    return r.body;
  }

  Response pay_upi(const json& order, json upi = {{"channel", "link"}}) const {
    return pg("POST", "/orders/sessions",
              {{"payment_session_id", order["payment_session_id"]}, {"payment_method", {{"upi", upi}}}},
              {{"x-client-id", ""}, {"x-client-secret", ""}});
  }

  Response simulate(const std::string& cf_payment_id, const std::string& status) const {
    return pg("POST", "/simulate",
              {{"entity", "PAYMENTS"},
               {"entity_id", cf_payment_id},
               {"entity_simulation", {{"payment_status", status}}}});
  }

  std::string order_status(const std::string& order_id) const {
    return pg("GET", "/orders/" + order_id).body.value("order_status", "");
  }

 private:
  void start(std::vector<std::string> extra) {
    std::vector<std::string> args = {PGSIM_BIN, "--port", "0", "--data-dir", dir_.string(), "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);  // a test that crashes takes its pgsim with it
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    FILE* f = fdopen(out[0], "r");
    char line[1024];
    while (fgets(line, sizeof line, f)) {
      std::string s(line);
      if (!s.empty() && s.back() == '\n') s.pop_back();
      if (s.rfind("pgsim: listening on ", 0) == 0) base_url_ = s.substr(20);
      if (s.rfind("pgsim: ca ", 0) == 0) {
        ca_ = s.substr(10);
        break;
      }
    }
    fclose(f);  // pgsim prints nothing more on stdout
    if (base_url_.empty() || ca_.empty()) throw std::runtime_error("pgsim did not start");
    port_ = std::stoi(base_url_.substr(base_url_.rfind(':') + 1));
  }

  fs::path dir_;
  pid_t pid_ = 0;
  std::string base_url_, ca_;
  int port_ = 0;
};

// Waits (up to `ms`) for `pred` to hold, polling every 50 ms.
template <class Pred>
bool eventually(Pred pred, int ms = 5000) {
  for (int waited = 0; waited <= ms; waited += 50) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace pgsim_test
