// Everything pgsim holds: orders, payments, simulations, idempotency records
// and the log of received requests. The whole State is one JSON document:
// the --state file, and the body of GET /admin/state. Amounts are integer
// paise; times are epoch milliseconds (written out in IST by entities.cpp).
#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "card_state.h"
#include "flowwise_state.h"

namespace pgsim {

using json = nlohmann::json;

struct Order {
  std::string order_id;
  std::string cf_order_id;
  std::string currency = "INR";
  std::string status = "ACTIVE";  // ACTIVE PAID EXPIRED TERMINATION_REQUESTED TERMINATED
  std::string payment_session_id;
  std::string api_version;  // of the create call
  int64_t amount_paise = 0;
  int64_t created_ms = 0;
  int64_t expiry_ms = 0;
  int64_t termination_requested_ms = 0;  // 0: never requested
  // As received (validated), echoed in OrderEntity; null when absent.
  json order_note;
  json customer_details;
  json order_meta;
  json order_tags;
  json order_splits = json::array();
  json cart_details;
  json terminal;
  json products;
  std::vector<std::string> payment_ids;  // in creation order
  // What happened and why, e.g. a success that beat a termination request.
  json events = json::array();
};

struct Payment {
  std::string cf_payment_id;
  std::string order_id;
  std::string status = "NOT_ATTEMPTED";  // NOT_ATTEMPTED PENDING SUCCESS FAILED USER_DROPPED CANCELLED VOID
  std::string method = "upi";
  std::string channel;  // link qrcode collect
  std::string upi_id;   // collect: the customer's VPA; link/qrcode: the payer's, once paid
  std::string message;
  std::string bank_reference;  // the UTR, once paid
  int64_t amount_paise = 0;
  int64_t created_ms = 0;
  int64_t completed_ms = 0;       // 0 until terminal
  int64_t collect_expiry_ms = 0;  // collect only
  // An attempt still open at this time is closed as USER_DROPPED (the
  // customer never approved it): the transaction's time limit.
  int64_t attempt_expiry_ms = 0;
  // Sandbox test VPAs settle by themselves at this time.
  int64_t auto_settle_ms = 0;
  std::string auto_status;
  json error_details;  // null unless the payment failed
  // Cards: PaymentEntity's payment_method.card, with the number masked
  // (first 6, last 4); null for other methods.
  json card;
  std::string auth_id;  // the issuer's authorisation id, once authorised
  // AuthorizationInPaymentsEntity for a pre-authorised payment; null otherwise.
  json authorization;
};

struct Simulation {
  std::string simulation_id;
  std::string entity;
  std::string entity_id;
  std::string payment_status;
  std::string payment_error_code;
  int64_t created_ms = 0;
};

struct IdempotencyRecord {
  std::string key;
  std::string scope;  // credential (or caller IP) + method + path
  std::string method;
  std::string path;
  std::string body_hash;  // of the canonical JSON body
  int status = 0;
  std::string body;
  int64_t created_ms = 0;
  int replays = 0;
};

struct RequestLogEntry {
  uint64_t seq = 0;
  int64_t at_ms = 0;
  std::string method;
  std::string path;
  std::string request_id;       // x-request-id as received
  std::string idempotency_key;  // x-idempotency-key as received
  int status = 0;               // 0: no response was sent
  bool replayed = false;
  std::string fault;  // the scripted fault applied, if any
};

// A softPOS terminal (POST /pg/terminal). cf_terminal_id is Cashfree's id.
struct Terminal {
  uint64_t cf_terminal_id = 0;
  std::string terminal_id;  // the merchant's own reference
  std::string terminal_phone_no;
  std::string terminal_name;
  std::string terminal_email;
  std::string terminal_type;               // AGENT STOREFRONT
  std::string terminal_status = "ACTIVE";  // ACTIVE INACTIVE
  json terminal_address;                   // null when absent
  json terminal_note;
  json terminal_meta;  // {terminal_operator}; required for STOREFRONT
  int64_t added_ms = 0;
  int64_t updated_ms = 0;
};

// One try at delivering a webhook.
struct WebhookAttempt {
  int attempt = 0;  // x-webhook-attempt: 1, 2, ...
  int64_t at_ms = 0;
  int status = 0;     // the receiver's HTTP status; 0 when it gave none
  std::string error;  // why there was no response (connection, TLS, timeout)
};

// An outbound webhook (webhooks.h). The body is fixed when the event is
// made, so every attempt sends the same bytes and x-idempotency-key.
struct WebhookEvent {
  std::string event_id;
  std::string type;  // PAYMENT_SUCCESS_WEBHOOK ...
  std::string order_id;
  std::string url;
  std::string version;  // x-webhook-version: the order's api_version
  std::string body;
  int64_t created_ms = 0;
  std::string status = "PENDING";  // PENDING DELIVERED FAILED (every retry used up)
  int64_t next_attempt_ms = 0;     // pgsim clock; 0 once DELIVERED or FAILED
  std::vector<WebhookAttempt> attempts;
};

struct State {
  std::map<std::string, Order> orders;        // by order_id
  std::map<std::string, Payment> payments;    // by cf_payment_id
  std::map<std::string, Simulation> simulations;
  std::map<std::string, CardSession> card_sessions;  // by cf_payment_id
  std::map<std::string, Refund> refunds;             // by cf_refund_id
  std::map<std::string, IdempotencyRecord> idempotency;  // by scope + key
  std::deque<RequestLogEntry> requests;
  FlowwiseState flowwise;  // the /router API's orders, payments and refunds
  uint64_t next_cf_order_id = 0;
  uint64_t next_cf_payment_id = 0;
  uint64_t next_cf_refund_id = 0;
  uint64_t next_request_seq = 1;
  std::map<std::string, Terminal> terminals;  // by cf_terminal_id
  uint64_t next_cf_terminal_id = 0;
  std::vector<WebhookEvent> webhooks;  // in creation order

  // Derived index, rebuilt on load: payment_session_id -> order_id.
  std::map<std::string, std::string> sessions;

  static State fresh();
  json to_json() const;
  static State from_json(const json& j);
  void rebuild_index();

  Order* find_order(const std::string& id);
  Payment* find_payment(const std::string& id);
};

// The state file: loaded once, written after every change (temp + fsync +
// rename, so a crash leaves either the old or the new document).
class StateFile {
 public:
  explicit StateFile(std::optional<std::filesystem::path> path) : path_(std::move(path)) {}
  std::optional<State> load() const;  // nothing when no file is configured or present
  void save(const State& s) const;

 private:
  std::optional<std::filesystem::path> path_;
};

}  // namespace pgsim
