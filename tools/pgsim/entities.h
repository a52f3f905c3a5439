// The response bodies, shaped as the 2025-01-01 spec's schemas: OrderEntity,
// PaymentEntity, SimulationResponse. Absent optional fields are null, as
// Cashfree returns them.
#pragma once

#include "state.h"

namespace pgsim {

json order_entity(const Order& o);
json payment_entity(const Payment& p, const Order& o);
json simulation_entity(const Simulation& s);

}  // namespace pgsim
