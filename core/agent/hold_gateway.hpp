// The capture and void runner's view of the gateway: a pre-authorised
// card payment (a "hold") is read, then captured (all or part of it) or
// voided. PgHoldGateway implements it with POST /orders/{id}/authorization;
// the Flowwise one with POST .../payments/{payment_id}/authorize; tests with
// a fake. Failures are classified as for a sale (engine::FailureClass), so
// the runner retries the same idempotency key only where that is safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <variant>

#include "core/engine/events.hpp"
#include "core/engine/hold_record.hpp"
#include "core/engine/sale_record.hpp"

namespace posagent::agent {

using engine::HoldAction;

// What the gateway says about the order's pre-authorised payment.
enum class HoldStatus : std::uint8_t {
  kNone = 0,      // no pre-authorised payment on the order (or not paid)
  kHeld = 1,      // authorised, neither captured nor voided
  kCaptured = 2,  // captured (captured_paise says how much)
  kVoided = 3,    // voided: released to the customer
  kUnknown = 4,   // a payment whose authorization the gateway did not describe
};

struct Hold {
  HoldStatus status = HoldStatus::kNone;
  engine::CfId payment_id;           // the gateway's payment id
  std::int64_t authorized_paise = 0;  // the payment's amount
  std::int64_t captured_paise = 0;    // kCaptured
};

// A read or an authorize that returned an answer: the hold as it now is.
// Otherwise the failure, with request kNone (code and reason as the
// gateway gave them; kStop codes of interest: payment_already_captured,
// payment_already_voided, authorization_not_found, authorization_expired,
// amount_invalid).
using HoldAnswer = std::variant<Hold, engine::RequestFailed>;

class HoldGateway {
 public:
  // GET the order and its payments; the pre-authorised one, if any.
  virtual HoldAnswer read_hold(std::string_view order_id) = 0;
  // CAPTURE amount_paise (all or part of the authorised amount) or VOID
  // (amount ignored), under idempotency_key: the same key after a lost
  // answer replays the first result and never acts twice.
  virtual HoldAnswer authorize(std::string_view order_id, const Hold& hold, HoldAction action,
                               std::int64_t amount_paise, std::string_view idempotency_key) = 0;
  // The API this gateway speaks: an unfinished capture or void is resumed
  // only through the API it was sent to.
  virtual engine::GatewayApi api() const = 0;

 protected:
  ~HoldGateway() = default;
};

}  // namespace posagent::agent
