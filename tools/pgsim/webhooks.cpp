#include "webhooks.h"

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <stdexcept>

#include "clock.h"
#include "entities.h"
#include "ids.h"
#include "server.h"

namespace pgsim {
namespace {

// Payment fields the webhook's data.payment carries, per the docs' samples.
constexpr const char* kWebhookPaymentFields[] = {
    "cf_payment_id", "payment_status", "payment_amount", "payment_currency", "payment_message",
    "payment_time", "bank_reference", "auth_id", "payment_method", "payment_group",
    "international_payment", "payment_surcharge"};

// PaymentWebhookCustomerEntity: four of the order's customer fields.
json webhook_customer(const json& order_customer) {
  if (order_customer.is_null()) return nullptr;
  json c = json::object();
  for (const char* k : {"customer_name", "customer_id", "customer_email", "customer_phone"}) c[k] = order_customer[k];
  return c;
}

// PaymentWebhookDataEntity, built from the same PaymentEntity and
// OrderEntity the API returns, so the two never disagree.
json payment_webhook_data(const Order& o, const Payment& p) {
  const json entity = payment_entity(p, o);
  json payment = json::object();
  for (const char* k : kWebhookPaymentFields) payment[k] = entity[k];
  json data = {{"order",
                {{"order_id", o.order_id},
                 {"order_amount", entity["order_amount"]},
                 {"order_currency", o.currency},
                 {"order_tags", o.order_tags}}},
               {"payment", std::move(payment)},
               {"customer_details", webhook_customer(order_entity(o)["customer_details"])},
               {"payment_gateway_details", entity["payment_gateway_details"]},
               {"payment_offers", nullptr}};  // pgsim has no offers
  if (p.status != "SUCCESS") data["error_details"] = entity["error_details"];
  return data;
}

std::string sha256_base64(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("sha256 failed");
  return base64(std::string_view(reinterpret_cast<const char*>(md), len));
}

std::string hmac_sha256_base64(const std::string& key, const std::string& msg) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(msg.data()),
            msg.size(), md, &len))
    throw std::runtime_error("HMAC-SHA256 failed");
  return base64(std::string_view(reinterpret_cast<const char*>(md), len));
}

struct HttpsUrl {
  std::string host;
  int port = 443;
  std::string target = "/";  // path and query
};

// https://host[:port][/path][?query]; user info and IPv6 literals are not
// supported. Create Order has already checked the https:// prefix.
std::optional<HttpsUrl> split_https_url(const std::string& url) {
  const std::string scheme = "https://";
  if (url.rfind(scheme, 0) != 0) return std::nullopt;
  const size_t end = url.find_first_of("/?#", scheme.size());
  const std::string authority = url.substr(scheme.size(), end == std::string::npos ? std::string::npos : end - scheme.size());
  HttpsUrl u;
  if (end != std::string::npos && url[end] != '#') {
    u.target = url.substr(end, url.find('#', end) - end);
    if (u.target[0] == '?') u.target = "/" + u.target;
  }
  const size_t colon = authority.rfind(':');
  u.host = authority.substr(0, colon);
  if (colon != std::string::npos) {
    const std::string port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) return std::nullopt;
    u.port = std::stoi(port);
  }
  if (u.host.empty() || u.host.find('@') != std::string::npos || u.port < 1 || u.port > 65535) return std::nullopt;
  return u;
}

// The system's CAs, and --webhook-ca's when given.
bool trust_cas(httplib::SSLClient& cli, const Config& cfg) {
  SSL_CTX* ctx = cli.ssl_context();
  SSL_CTX_set_default_verify_paths(ctx);
  return !cfg.webhook_ca || SSL_CTX_load_verify_locations(ctx, cfg.webhook_ca->c_str(), nullptr) == 1;
}

bool is_2xx(int status) { return status >= 200 && status < 300; }

}  // namespace

void enqueue_webhook(State& st, const Order& o, const std::string& type, json data, int64_t now) {
  const json url = o.order_meta.is_object() ? o.order_meta.value("notify_url", json()) : json();
  if (!url.is_string()) return;
  if (!o.terminal.is_null()) {
    const json terminal = order_entity(o)["terminal_data"];
    data["terminal_details"] = {{"cf_terminal_id", terminal["cf_terminal_id"]},
                                {"terminal_phone", terminal["agent_mobile_number"]}};
  }
  WebhookEvent ev;
  ev.event_id = "whk_" + random_alnum(24);
  ev.type = type;
  ev.order_id = o.order_id;
  ev.url = url.get<std::string>();
  ev.version = o.api_version;
  ev.body = json{{"data", std::move(data)}, {"event_time", format_ist(now)}, {"type", type}}.dump();
  ev.created_ms = now;
  ev.next_attempt_ms = now;
  st.webhooks.push_back(std::move(ev));
}

void enqueue_payment_webhook(State& st, const Order& o, const Payment& p, int64_t now) {
  const char* type = p.status == "SUCCESS"        ? "PAYMENT_SUCCESS_WEBHOOK"
                     : p.status == "FAILED"       ? "PAYMENT_FAILED_WEBHOOK"
                     : p.status == "USER_DROPPED" ? "PAYMENT_USER_DROPPED_WEBHOOK"
                                                  : nullptr;
  if (type) enqueue_webhook(st, o, type, payment_webhook_data(o, p), now);
}

WebhookSender::WebhookSender(App& app) : app_(app) {
  // Refuse to start with a CA file that cannot be used, rather than fail
  // every delivery later.
  const auto& ca = app_.cfg().webhook_ca;
  if (!ca) return;
  X509_STORE* store = X509_STORE_new();
  const bool ok = store && X509_STORE_load_locations(store, ca->c_str(), nullptr) == 1;
  X509_STORE_free(store);
  if (!ok) throw std::runtime_error("--webhook-ca: cannot load CA certificates from " + ca->string());
}

WebhookSender::~WebhookSender() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (worker_.joinable()) worker_.join();
}

void WebhookSender::start() { worker_ = std::thread([this] { loop(); }); }

void WebhookSender::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_one();
}

void WebhookSender::loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    const int64_t wait_ms = send_due();
    lock.lock();
    if (wait_ms == 0 || woken_) continue;
    auto ready = [this] { return stopping_ || woken_; };
    if (wait_ms < 0) {
      cv_.wait(lock, ready);
    } else {
      cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), ready);
    }
  }
}

// Sends each due event once. Returns how long until the next one is due:
// 0 after sending (a retry may be due at once), -1 when none is pending.
int64_t WebhookSender::send_due() {
  try {
    int64_t wait_ms = -1;
    const std::vector<Outgoing> due = take_due(wait_ms);
    for (const auto& out : due) {
      if (stopping_) return -1;
      record(out.event_id, post(out));
    }
    return due.empty() ? wait_ms : 0;
  } catch (const std::exception& e) {
    // E.g. the state file could not be written; try again in a while.
    std::fprintf(stderr, "pgsim: webhooks: %s\n", e.what());
    return 1000;
  }
}

std::vector<WebhookSender::Outgoing> WebhookSender::take_due(int64_t& wait_ms) {
  std::vector<Outgoing> due;
  app_.with_state([&](State& st, int64_t now) {
    for (const auto& ev : st.webhooks) {
      if (ev.status != "PENDING") continue;
      if (ev.next_attempt_ms <= now) {
        due.push_back({ev.event_id, ev.url, ev.version, ev.body, static_cast<int>(ev.attempts.size()) + 1});
      } else {
        const int64_t until = ev.next_attempt_ms - now;
        wait_ms = wait_ms < 0 ? until : std::min(wait_ms, until);
      }
    }
    return false;  // nothing changed
  });
  return due;
}

WebhookAttempt WebhookSender::post(const Outgoing& out) const {
  const Config& cfg = app_.cfg();
  WebhookAttempt a;
  a.attempt = out.attempt;
  a.at_ms = app_.clock().now_ms();
  const auto url = split_https_url(out.url);
  if (!url) {
    a.error = "notify_url is not an https URL pgsim can send to";
    return a;
  }
  httplib::SSLClient cli(url->host, url->port);
  if (!trust_cas(cli, cfg)) {
    a.error = "cannot load the CA certificates of --webhook-ca";
    return a;
  }
  cli.enable_server_certificate_verification(true);
  cli.set_connection_timeout(5);
  cli.set_read_timeout(10);
  cli.set_write_timeout(10);
  const std::string timestamp = std::to_string(a.at_ms);
  httplib::Headers headers = {{"x-webhook-timestamp", timestamp},
                              {"x-webhook-signature", hmac_sha256_base64(cfg.client_secret, timestamp + out.body)},
                              {"x-webhook-version", out.version},
                              {"x-webhook-attempt", std::to_string(out.attempt)}};
  if (out.version >= "2025-01-01") headers.emplace("x-idempotency-key", sha256_base64(out.body));
  const httplib::Result res = cli.Post(url->target, headers, out.body, "application/json");
  if (res) {
    a.status = res->status;
  } else {
    a.error = httplib::to_string(res.error());
    if (res.error() == httplib::Error::SSLServerVerification)
      a.error += std::string(": ") + X509_verify_cert_error_string(cli.get_openssl_verify_result());
  }
  return a;
}

void WebhookSender::record(const std::string& event_id, const WebhookAttempt& a) {
  app_.with_state([&](State& st, int64_t) {
    auto ev = std::find_if(st.webhooks.begin(), st.webhooks.end(),
                           [&](const WebhookEvent& e) { return e.event_id == event_id; });
    if (ev == st.webhooks.end()) return false;
    ev->attempts.push_back(a);
    const auto& retries = app_.cfg().webhook_retry_ms;
    const size_t retries_used = ev->attempts.size() - 1;
    if (is_2xx(a.status) || retries_used >= retries.size()) {
      ev->status = is_2xx(a.status) ? "DELIVERED" : "FAILED";
      ev->next_attempt_ms = 0;
    } else {
      ev->next_attempt_ms = a.at_ms + retries[retries_used];
    }
    return true;
  });
}

}  // namespace pgsim
