#include "server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <openssl/ssl.h>
#include <thread>

#include "flowwise.h"
#include "ids.h"
#include "lifecycle.h"

namespace pgsim {

json error_body(int, const std::string& code, const std::string& type, const std::string& message) {
  return {{"message", message}, {"code", code}, {"type", type}};
}

Reply json_reply(int status, const json& body) { return Reply{status, body.dump(), "application/json", {}}; }

Reply html_reply(int status, std::string html) {
  return Reply{status, std::move(html), "text/html; charset=utf-8", {}};
}

Reply error_reply(const ApiError& e) { return json_reply(e.status, error_body(e.status, e.code, e.type, e.what())); }

namespace {

const char* const kVersions[] = {"2023-08-01", "2025-01-01", "2026-01-01"};
constexpr const char* kDefaultVersion = "2025-01-01";

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

bool is_pg_path(const std::string& p) { return p == "/pg" || starts_with(p, "/pg/"); }

// The Flowwise API; the customer's pages under /router/view/ are pages.
bool is_router_path(const std::string& p) {
  return (p == "/router" || starts_with(p, "/router/")) && !starts_with(p, "/router/view/");
}

// Credentials or session, idempotency and the x-idempotency-* headers.
bool uses_api_conventions(Kind k) { return k == Kind::PgMerchant || k == Kind::PgSession || k == Kind::Flowwise; }

bool has_body(const std::string& method) { return method == "POST" || method == "PATCH" || method == "PUT"; }

std::string validated_version(const httplib::Request& req) {
  if (!req.has_header("x-api-version") || req.get_header_value("x-api-version").empty())
    throw invalid_request("version_missing",
                          "x-api-version : is required; pgsim supports 2023-08-01, 2025-01-01 and 2026-01-01");
  const std::string v = req.get_header_value("x-api-version");
  for (const char* known : kVersions)
    if (v == known) return v;
  throw invalid_request("version_invalid",
                        "x-api-version : '" + v + "' is not supported; use 2023-08-01, 2025-01-01 or 2026-01-01");
}

void check_credentials(const httplib::Request& req, const Config& cfg) {
  // Only the id + secret scheme is modelled; signatures and partner keys are
  // refused like wrong credentials.
  if (req.get_header_value("x-client-id") != cfg.client_id ||
      req.get_header_value("x-client-secret") != cfg.client_secret)
    throw ApiError(401, "request_failed", "authentication_error", "authentication failed: check x-client-id and x-client-secret");
}

// Resets the client's connection at once (a TCP RST, as a crashed gateway
// or a middlebox would): the socket is set to linger 0 and its last
// reference is replaced, through dup2, by an unconnected socket. That closes
// the real one (sending the RST) while the descriptor cpp-httplib still holds
// stays valid: its own writes then fail and it closes the stand-in.
void drop_connection(const httplib::Request& req) {
  if (!req.ssl) return;
  const int fd = SSL_get_fd(const_cast<SSL*>(req.ssl));
  if (fd < 0) return;
  const linger reset{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  const int stand_in = ::socket(AF_INET, SOCK_STREAM, 0);
  if (stand_in < 0 || ::dup2(stand_in, fd) < 0) ::shutdown(fd, SHUT_RDWR);  // at least end the stream
  if (stand_in >= 0) ::close(stand_in);
}

}  // namespace

bool apply_time(State& st, const Config& cfg, int64_t now) {
  const bool pg = tick(st, cfg, now);
  const bool fw = flowwise_tick(st.flowwise, now);
  return pg || fw;
}

App::App(Config cfg, const PkiFiles& pki, State initial)
    : cfg_(std::move(cfg)),
      svr_(pki.server_cert.c_str(), pki.server_key.c_str()),
      file_(cfg_.state_file),
      body_hash_key_(load_or_make_secret(cfg_.data_dir / "idempotency.key")),
      st_(std::move(initial)) {
  if (!svr_.is_valid()) throw std::runtime_error("cannot load the server certificate and key");
  add_order_routes(routes_);
  add_pay_routes(routes_);
  add_simulate_routes(routes_);
  add_admin_routes(routes_);
  add_page_routes(routes_);
  add_card_routes(routes_);
  add_authorization_routes(routes_);
  add_refund_routes(routes_);
  add_terminal_routes(routes_);
  add_flowwise_routes(routes_);
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { dispatch(req, res); };
  svr_.Get(".*", handler);
  svr_.Post(".*", handler);
  svr_.Patch(".*", handler);
  svr_.Put(".*", handler);
  svr_.Delete(".*", handler);
  svr_.set_payload_max_length(1 << 20);
  svr_.set_read_timeout(30);
  svr_.set_write_timeout(30);
}

int App::bind() {
  const int port = cfg_.port == 0 ? svr_.bind_to_any_port(cfg_.host) : (svr_.bind_to_port(cfg_.host, cfg_.port) ? cfg_.port : -1);
  if (port <= 0) throw std::runtime_error("cannot listen on " + cfg_.host + ":" + std::to_string(cfg_.port));
  port_ = port;
  return port;
}

void App::run() {
  webhooks_.start();  // also sends what a previous run left pending
  ticker_ = std::thread([this] { tick_loop(); });
  svr_.listen_after_bind();
  {
    std::lock_guard lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  ticker_.join();
}

void App::stop() { svr_.stop(); }

void App::tick_loop() {
  std::unique_lock lock(stop_mu_);
  while (!stop_cv_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stopping_; })) {
    bool changed = false;
    with_state([&](State& st, int64_t now) {
      changed = apply_time(st, cfg_, now);
      return changed;
    });
    if (changed) webhooks_.wake();
  }
}

void App::save_now() {
  std::lock_guard lock(mu_);
  file_.save(st_);
}

void App::with_state(const std::function<bool(State&, int64_t)>& fn) {
  std::lock_guard lock(mu_);
  if (fn(st_, clock_.now_ms())) file_.save(st_);
}

std::string App::base_url() const {
  return cfg_.public_url.empty() ? "https://localhost:" + std::to_string(port_) : cfg_.public_url;
}

App::Match App::find_route(const std::string& method, const std::string& path) const {
  for (const auto& r : routes_) {
    std::smatch m;
    if (r.method != method || !std::regex_match(path, m, r.pattern)) continue;
    Match out{&r, {}};
    for (size_t i = 1; i < m.size(); ++i) out.params.push_back(m[i].str());
    return out;
  }
  return {};
}

App::RateCheck App::rate_check(const std::string& key, int limit) {
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  auto& w = rate_windows_[key];
  while (!w.empty() && w.front() <= now - 60000) w.pop_front();  // sliding one-minute window
  RateCheck r;
  if (static_cast<int>(w.size()) >= limit) {
    // Refused requests are not counted; the caller may retry once the
    // oldest counted request leaves the window.
    r.allowed = false;
    r.retry_s = static_cast<int>(std::clamp<int64_t>((w.front() + 60000 - now + 999) / 1000, 1, 59));
    return r;
  }
  w.push_back(now);
  r.remaining = limit - static_cast<int>(w.size());
  return r;
}

Reply App::run_pg(const Route& r, Ctx& ctx, bool& replayed) {
  const auto& req = ctx.req;
  if (r.kind != Kind::Flowwise) ctx.api_version = validated_version(req);  // Flowwise has no versions
  if (r.kind == Kind::PgMerchant || r.kind == Kind::Flowwise) check_credentials(req, cfg_);
  if (!has_body(req.method)) return r.handler(ctx);

  json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  const bool parsed = !body.is_discarded();
  const std::string key = req.get_header_value("x-idempotency-key");
  std::string record_id, hash;
  if (!key.empty()) {
    const std::string who = r.kind == Kind::PgSession ? "ip:" + req.remote_addr : "app:" + cfg_.client_id;
    const std::string scope = who + " " + req.method + " " + req.path;
    record_id = scope + "\n" + key;
    // Key order and spacing do not matter. Keyed, because the body of a card
    // payment holds the card number and CVV: an unkeyed hash of them could
    // be searched for in the state file.
    hash = hmac_sha256_hex(body_hash_key_, parsed ? body.dump() : req.body);
    if (auto it = ctx.st.idempotency.find(record_id); it != ctx.st.idempotency.end()) {
      if (it->second.body_hash != hash)
        throw ApiError(422, "request_invalid", "idempotency_error",
                       "x-idempotency-key : this key was used with a different request body");
      ++it->second.replays;
      ctx.changed = true;
      replayed = true;
      return Reply{it->second.status, it->second.body, "application/json", {}};
    }
  }
  Reply rep;
  try {
    if (!parsed) throw invalid_request("request_invalid", "the request body is not valid JSON");
    ctx.body = std::move(body);
    rep = r.handler(ctx);
  } catch (const ApiError& e) {
    rep = error_reply(e);
  }
  if (!key.empty()) {
    // Stored whatever the outcome, 4xx and 5xx included, as Cashfree does.
    IdempotencyRecord rec{key, record_id.substr(0, record_id.find('\n')), req.method, req.path, hash,
                          rep.status, rep.body, ctx.now, 0};
    ctx.st.idempotency[record_id] = std::move(rec);
    ctx.changed = true;
  }
  return rep;
}

Reply App::run_route(const Route& r, Ctx& ctx) {
  bool replayed = false;
  Reply rep;
  try {
    if (uses_api_conventions(r.kind)) {
      rep = run_pg(r, ctx, replayed);
    } else {
      rep = r.handler(ctx);
    }
  } catch (const ApiError& e) {
    rep = error_reply(e);
  }
  if (!ctx.req.get_header_value("x-idempotency-key").empty() && uses_api_conventions(r.kind))
    rep.headers.emplace_back("x-idempotency-replayed", replayed ? "true" : "false");
  return rep;
}

void App::dispatch(const httplib::Request& req, httplib::Response& res) {
  const bool admin = req.path == "/admin" || starts_with(req.path, "/admin/");
  const bool pg = is_pg_path(req.path);
  const bool api = pg || is_router_path(req.path);  // /router follows /pg's conventions
  const Match match = find_route(req.method, req.path);
  std::optional<Fault> fault;
  if (!admin) fault = faults_.take(req.method, req.path);
  if (fault && fault->delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(fault->delay_ms));
  const bool short_circuit =
      fault && !fault->act && (fault->action == "error" || fault->action == "rate_limit" || fault->action == "drop");

  std::unique_lock lock(mu_);
  const int64_t now = clock_.now_ms();
  bool changed = apply_time(st_, cfg_, now);

  // Rate limits: per credential for merchant calls, per IP for Order Pay.
  const Route* route = match.route;
  const bool by_ip = route && route->kind == Kind::PgSession;
  const int limit = cfg_.rate_limit_per_minute > 0 ? cfg_.rate_limit_per_minute : route ? route->rate_limit : 100;
  RateCheck rate;
  if (api && !short_circuit) {
    const std::string who = by_ip ? "ip:" + req.remote_addr : "app:" + req.get_header_value("x-client-id");
    rate = rate_check(who + " " + (route ? route->rate_group : "other"), limit);
  }

  Reply rep;
  bool replayed = false;
  if (!rate.allowed) {
    rep = json_reply(429, error_body(429, "request_failed", "rate_limit_error",
                                     std::string("Too many requests from ") + (by_ip ? "IP" : "this client") +
                                         ". Check headers"));
  } else if (!short_circuit) {
    Ctx ctx{req, *this, cfg_, st_, now, match.params, nullptr, "", base_url()};
    try {
      if (route) {
        rep = run_route(*route, ctx);
        for (const auto& [k, v] : rep.headers)
          if (k == "x-idempotency-replayed") replayed = v == "true";
      } else if (api) {
        rep = error_reply(invalid_request("request_failed", "no such endpoint: " + req.method + " " + req.path +
                                                                 " (check the API documentation)"));
      } else {
        rep = Reply{404, "not found\n", "text/plain", {}};
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "pgsim: internal error on %s %s: %s\n", req.method.c_str(), req.path.c_str(), e.what());
      rep = error_reply(ApiError(500, "internal_error", "api_error", "internal server error"));
    }
    changed |= ctx.changed;
  }
  if (fault && fault->action == "error") {
    rep = json_reply(fault->status, error_body(fault->status, fault->code, fault->type, fault->message));
  } else if (fault && fault->action == "rate_limit") {
    rep = json_reply(429, error_body(429, "request_failed", "rate_limit_error",
                                     "Too many requests. Check headers (pgsim fault)"));
    rate.allowed = false;
    rate.retry_s = fault->retry_s;
  }

  if (pg) {
    const std::string version = req.get_header_value("x-api-version");
    rep.headers.emplace_back("x-api-version", version.empty() ? kDefaultVersion : version);
  }
  if (api) {
    rep.headers.emplace_back("x-request-id", req.get_header_value("x-request-id"));
    rep.headers.emplace_back("x-ratelimit-limit", std::to_string(limit));
    rep.headers.emplace_back("x-ratelimit-remaining", rate.allowed ? std::to_string(rate.remaining) : "0");
    rep.headers.emplace_back("x-ratelimit-retry", rate.allowed ? "0" : std::to_string(rate.retry_s));
    rep.headers.emplace_back("x-ratelimit-type", by_ip ? "ip" : "app_id");
    if (req.has_header("x-idempotency-key")) {
      rep.headers.emplace_back("x-idempotency-key", req.get_header_value("x-idempotency-key"));
      // Requests that never reached a handler (faults, limits, unknown paths)
      // are not replays either.
      bool set = false;
      for (const auto& [k, v] : rep.headers) set |= k == "x-idempotency-replayed";
      if (!set) rep.headers.emplace_back("x-idempotency-replayed", "false");
    }
  }

  const bool dropped = fault && fault->action == "drop";
  if (!admin) {
    RequestLogEntry e;
    e.seq = st_.next_request_seq++;
    e.at_ms = now;
    e.method = req.method;
    e.path = req.path;
    e.request_id = req.get_header_value("x-request-id");
    e.idempotency_key = req.get_header_value("x-idempotency-key");
    e.status = dropped ? 0 : rep.status;
    e.replayed = replayed;
    e.fault = fault ? fault->describe() : "";
    st_.requests.push_back(std::move(e));
    while (st_.requests.size() > cfg_.request_log_capacity) st_.requests.pop_front();
    changed = true;
  }
  if (changed) file_.save(st_);
  lock.unlock();
  webhooks_.wake();  // the request may have queued webhooks or moved the clock

  if (!cfg_.quiet && !admin)
    std::fprintf(stderr, "pgsim: %s %s -> %s%s\n", req.method.c_str(), req.path.c_str(),
                 dropped ? "dropped" : std::to_string(rep.status).c_str(),
                 fault ? (" [fault: " + fault->describe() + "]").c_str() : "");

  if (dropped) {
    drop_connection(req);
    return;
  }
  res.status = rep.status;
  for (const auto& [k, v] : rep.headers) res.set_header(k, v);
  if (fault && (fault->action == "truncate" || fault->action == "stall") && rep.body.size() > 1) {
    // Half the body, then (stall) a silence, then the connection closes
    // short of the announced Content-Length.
    auto body = std::make_shared<std::string>(std::move(rep.body));
    const int stall_ms = fault->action == "stall" ? fault->stall_ms : 0;
    res.set_content_provider(body->size(), rep.content_type,
                             [body, stall_ms](size_t offset, size_t, httplib::DataSink& sink) {
                               if (offset == 0) sink.write(body->data(), body->size() / 2);
                               if (stall_ms) std::this_thread::sleep_for(std::chrono::milliseconds(stall_ms));
                               return false;
                             });
    return;
  }
  if (fault && fault->action == "malformed") rep.body = rep.body.substr(0, rep.body.size() / 2) + "\x01<not json";
  res.set_content(rep.body, rep.content_type.c_str());
}

}  // namespace pgsim
