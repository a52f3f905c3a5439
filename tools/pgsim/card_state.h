// The parts of State that cards, pre-authorisation and refunds add: the
// sandbox card's OTP session and the merchant's refunds. Included by state.h;
// persisted with the rest of State (--state file, GET /admin/state).
//
// Never here nor anywhere in State: a full card number or a CVV. The masked
// card lives in Payment::card.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace pgsim {

using json = nlohmann::json;

// One card attempt's authentication: Native OTP (channel post) or pgsim's
// own 3-D Secure page. Keyed by cf_payment_id.
struct CardSession {
  std::string cf_payment_id;
  bool bank_declines = false;  // the sandbox card the bank declines after a right OTP
  bool auth_only = false;      // pre-authorisation: SUCCESS leaves the payment uncaptured
  int wrong_otps = 0;
  int resends = 0;
  int64_t otp_sent_ms = 0;    // the last (re)send
  int64_t otp_expiry_ms = 0;  // end of the Native OTP session; 0 for the 3-D Secure page only
};

struct Refund {
  std::string cf_refund_id;
  std::string refund_id;  // the merchant's, unique within its order
  std::string order_id;
  std::string cf_payment_id;
  int64_t amount_paise = 0;
  std::string currency = "INR";
  std::string note;
  std::string status = "PENDING";  // PENDING SUCCESS FAILED CANCELLED ONHOLD
  std::string speed = "STANDARD";  // requested (and accepted): STANDARD INSTANT
  std::string arn;                 // the bank's reference, once SUCCESS
  json refund_splits = json::array();
  int64_t created_ms = 0;
  int64_t processed_ms = 0;   // 0 until the refund left PENDING
  int64_t settle_at_ms = 0;   // 0: stays as it is
  std::string settle_to;      // the status it reaches at settle_at_ms
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CardSession, cf_payment_id, bank_declines, auth_only, wrong_otps,
                                                resends, otp_sent_ms, otp_expiry_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Refund, cf_refund_id, refund_id, order_id, cf_payment_id,
                                                amount_paise, currency, note, status, speed, arn, refund_splits,
                                                created_ms, processed_ms, settle_at_ms, settle_to)

}  // namespace pgsim
