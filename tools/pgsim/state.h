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

struct State {
  std::map<std::string, Order> orders;        // by order_id
  std::map<std::string, Payment> payments;    // by cf_payment_id
  std::map<std::string, Simulation> simulations;
  std::map<std::string, IdempotencyRecord> idempotency;  // by scope + key
  std::deque<RequestLogEntry> requests;
  FlowwiseState flowwise;  // the /router API's orders, payments and refunds
  uint64_t next_cf_order_id = 0;
  uint64_t next_cf_payment_id = 0;
  uint64_t next_request_seq = 1;

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
