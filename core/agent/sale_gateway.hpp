// The runner's view of the gateway: one request of the sale engine in, the
// engine's answer event out. PgSaleGateway implements it with the Cashfree
// PG client; tests implement it with a fake gateway, so the runner's own
// logic (effects, timers, journal, screens) is tested without a network.
#pragma once

#include "core/engine/events.hpp"
#include "core/engine/sale_record.hpp"

namespace posagent::agent {

class SaleGateway {
 public:
  // Carries out `request` for the sale in `record` (its order id, amounts,
  // keys and the ids learned so far) and returns what the engine must hear:
  // OrderCreated, PaymentStarted, StatusRead or Terminated on success, else
  // RequestFailed for the same request. Blocks until the answer or the
  // gateway's own deadline.
  virtual engine::Event send(engine::RequestKind request, const engine::SaleRecord& record) = 0;

 protected:
  ~SaleGateway() = default;
};

}  // namespace posagent::agent
