// What pgsim holds for the Flowwise Native API (/router): orders, payments
// and refunds, kept apart from the /pg entities (another product with its own
// ids). Part of State, so it is in the --state file and GET /admin/state
// under "flowwise". Amounts are integer paise; times epoch milliseconds.
// No full card number, CVV or cryptogram is ever kept: cards are held as
// first6/last4 (or the card_display of a token) in method_details.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pgsim {

struct FwOrder {
  std::string order_id;
  std::string order_hash;  // the capability Create Payment is called with
  std::string currency = "INR";
  std::string status = "ACTIVE";  // ACTIVE PAID EXPIRED
  std::string payment_methods;    // "cc,dc,upi,nb,wallet" or a subset
  std::string capture_mode = "auto";  // auto | manual (order_tags.capture)
  int64_t amount_paise = 0;
  int64_t created_ms = 0;
  int64_t expiry_ms = 0;
  // As received (validated); null when absent.
  nlohmann::json customer_details;
  nlohmann::json order_note;
  nlohmann::json order_tags;
  nlohmann::json return_base_url;
  std::vector<std::string> payment_ids;  // in creation order
};

struct FwPayment {
  std::string payment_id;
  std::string order_id;
  std::string method;                 // upi | card
  std::string status = "INITIATED";   // INITIATED REDIRECTED PENDING SUCCESS FAILED USER_DROPPED
  std::string capture_status;         // "" until SUCCESS, then AUTHORISED CAPTURED VOIDED
  std::string message;
  std::string processor_ref;
  std::string auth_id;  // cards, once authorised
  std::string utr;      // once paid
  nlohmann::json method_details;  // upi {channel, upi_id, app_name}; card {card_number masked, ...}
  nlohmann::json return_url;      // null or where the customer goes afterwards
  nlohmann::json error_details;   // null unless FAILED or USER_DROPPED
  int64_t amount_paise = 0;
  int64_t capture_paise = 0;
  int64_t created_ms = 0;
  int64_t completed_ms = 0;       // 0 until terminal
  int64_t attempt_expiry_ms = 0;  // still open then: USER_DROPPED
  int64_t auto_settle_ms = 0;     // sandbox test VPAs decide by themselves
  std::string auto_status;
  int64_t authorisation_expiry_ms = 0;  // AUTHORISED and not captured then: VOIDED
};

struct FwRefund {
  std::string refund_id;
  std::string payment_id;
  std::string order_id;
  std::string status = "PENDING";  // PENDING SUCCESS FAILED
  std::string type;                // MERCHANT_INITIATED AUTO_REFUND
  std::string message;
  std::string reference_id;
  std::string utr;  // once SUCCESS
  nlohmann::json note;
  std::string outcome;  // SUCCESS or FAILED at settle_ms
  int64_t amount_paise = 0;
  int64_t created_ms = 0;
  int64_t settle_ms = 0;  // 0: stays PENDING
  int64_t completed_ms = 0;
};

struct FlowwiseState {
  std::map<std::string, FwOrder> orders;      // by order_id
  std::map<std::string, FwPayment> payments;  // by payment_id
  std::map<std::string, FwRefund> refunds;    // by refund_id
  // Derived index, rebuilt on load: order_hash -> order_id.
  std::map<std::string, std::string> hashes;

  nlohmann::json to_json() const;
  static FlowwiseState from_json(const nlohmann::json& j);

  FwOrder* find_order(const std::string& id);
  FwPayment* find_payment(const std::string& id);
};

}  // namespace pgsim
