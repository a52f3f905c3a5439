// The HTTPS server: one cpp-httplib SSLServer whose handlers all go through
// App::dispatch, which applies scripted faults, the /pg conventions (version,
// credentials, idempotency, x-request-id and x-ratelimit-* headers), routes
// the request under the state lock, logs it and persists the state.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "api.h"
#include "clock.h"
#include "faults.h"
#include "options.h"
#include "pki.h"
#include "routes.h"
#include "state.h"
#include "webhooks.h"

namespace pgsim {

// Applies everything time makes happen on /pg and /router alike (expiries,
// settlements, termination). Returns whether anything changed.
bool apply_time(State& st, const Config& cfg, int64_t now);

class App {
 public:
  App(Config cfg, const PkiFiles& pki, State initial);
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  int bind();  // binds cfg.host:cfg.port; returns the port (throws on failure)
  void run();  // serves until stop()
  void stop();
  void save_now();  // persists under the lock (used at shutdown)
  // Runs fn(state, now) under the state lock, outside any request (the
  // webhook sender), and persists the state when fn returns true.
  void with_state(const std::function<bool(State&, int64_t now)>& fn);

  std::string base_url() const;
  const Config& cfg() const { return cfg_; }
  FaultBook& faults() { return faults_; }
  Clock& clock() { return clock_; }

 private:
  struct Match {
    const Route* route = nullptr;
    std::vector<std::string> params;
  };
  Match find_route(const std::string& method, const std::string& path) const;
  void dispatch(const httplib::Request& req, httplib::Response& res);
  Reply run_route(const Route& r, Ctx& ctx);
  Reply run_pg(const Route& r, Ctx& ctx, bool& replayed);
  struct RateCheck {
    bool allowed = true;
    int remaining = 0;
    int retry_s = 0;
  };
  RateCheck rate_check(const std::string& key, int limit);
  // Applies what time makes happen (expiries, settlements) every 250 ms, so
  // a payment settles and its webhook goes out with no request to drive it.
  void tick_loop();

  Config cfg_;
  httplib::SSLServer svr_;
  Routes routes_;
  FaultBook faults_;
  Clock clock_;
  StateFile file_;
  std::string body_hash_key_;  // of idempotency records' body hashes, kept in the data dir
  int port_ = 0;

  std::mutex mu_;  // guards everything below
  State st_;
  std::map<std::string, std::deque<int64_t>> rate_windows_;

  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread ticker_;

  // Not guarded by mu_ (its worker takes it through with_state). Last, so
  // it stops before the members its worker uses are destroyed.
  WebhookSender webhooks_{*this};
};

}  // namespace pgsim
