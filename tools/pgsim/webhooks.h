// Outbound webhooks, as Cashfree sends them to an order's
// order_meta.notify_url.
//
// Making an event belongs to the state change that causes it, under the
// state lock: enqueue_webhook builds the body and stores it in
// State::webhooks as PENDING (so it is persisted and shown by
// GET /admin/state). Sending does not: WebhookSender, one worker thread,
// takes the due events under the lock, POSTs them with the lock released,
// then records each attempt under the lock again.
//
// Every attempt carries content-type application/json, x-webhook-timestamp
// (pgsim's clock, epoch ms), x-webhook-signature = base64(HMAC-SHA256(key =
// the client secret, msg = timestamp + body)), x-webhook-version (the
// order's api_version), x-webhook-attempt (1, 2, ...) and, from 2025-01-01,
// x-idempotency-key = base64(SHA-256(body)): the same on every attempt of an
// event and different between events. The receiver's certificate is
// verified (system CAs plus --webhook-ca). A 2xx answer delivers the event;
// anything else, or no answer, is retried Config::webhook_retry_ms[0], [1],
// ... after the previous attempt; when they are used up the event is FAILED.
// Retry times are on pgsim's clock, so POST /admin/clock brings them forward.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "state.h"

namespace pgsim {

class App;

// Queues a webhook `{"data": data, "event_time", "type": type}` about order
// `o` for its notify_url; an order without one gets none. A softPOS order's
// data gets terminal_details{cf_terminal_id, terminal_phone}, as Cashfree
// adds it to payment, refund and dispute webhooks. Call under the state lock
// (then App wakes the sender after the request). Another event type is one
// call, e.g. enqueue_webhook(st, o, "REFUND_STATUS_WEBHOOK", {{"refund", ...}}, now).
void enqueue_webhook(State& st, const Order& o, const std::string& type, json data, int64_t now);

// PAYMENT_SUCCESS_WEBHOOK, PAYMENT_FAILED_WEBHOOK or
// PAYMENT_USER_DROPPED_WEBHOOK for a payment that has just reached that
// status (nothing for any other status). lifecycle.cpp's settle calls it.
void enqueue_payment_webhook(State& st, const Order& o, const Payment& p, int64_t now);

class WebhookSender {
 public:
  // Throws std::runtime_error when --webhook-ca is given but unreadable.
  explicit WebhookSender(App& app);
  ~WebhookSender();  // stops the worker (after the attempt in progress)
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  void start();
  void wake();  // events may have been queued, or the clock moved

 private:
  struct Outgoing {
    std::string event_id;
    std::string url;
    std::string version;
    std::string body;
    int attempt = 0;
  };
  void loop();
  int64_t send_due();
  std::vector<Outgoing> take_due(int64_t& wait_ms);
  WebhookAttempt post(const Outgoing& out) const;
  void record(const std::string& event_id, const WebhookAttempt& a);

  App& app_;
  std::thread worker_;
  std::mutex mu_;  // guards woken_
  std::condition_variable cv_;
  bool woken_ = false;
  std::atomic<bool> stopping_{false};
};

}  // namespace pgsim
