// The runner's view of the gateway: one request of the sale engine in, the
// engine's answer event out. PgSaleGateway implements it with the Cashfree
// PG client; tests implement it with a fake gateway, so the runner's own
// logic (effects, timers, journal, screens) is tested without a network.
#pragma once

#include <string_view>

#include "core/card/card_data.hpp"
#include "core/engine/events.hpp"
#include "core/engine/sale_record.hpp"

namespace posagent::agent {

// What a request needs that is never journaled: the card of a card Order
// Pay and the OTP of SUBMIT_OTP. The runner owns both, passes them for that
// one request only, and wipes them when send() returns; the gateway leaves
// no copy (its request buffers are wiped once the request is on the wire).
struct SaleSecrets {
  const card::CardData* card = nullptr;  // kOrderPay of a card sale
  std::string_view otp;                  // kSubmitOtp
};

class SaleGateway {
 public:
  // Carries out `request` for the sale in `record` (its order id, amounts,
  // keys and the ids learned so far) and returns what the engine must hear:
  // OrderCreated, PaymentStarted, StatusRead, Terminated or OtpAnswered on
  // success, else RequestFailed for the same request. Blocks until the
  // answer or the gateway's own deadline.
  virtual engine::Event send(engine::RequestKind request, const engine::SaleRecord& record,
                             const SaleSecrets& secrets) = 0;

  // The API this gateway speaks. A sale is journaled with it and resumed
  // only through a gateway of the same API, where its order is.
  virtual engine::GatewayApi api() const = 0;

 protected:
  ~SaleGateway() = default;
};

}  // namespace posagent::agent
