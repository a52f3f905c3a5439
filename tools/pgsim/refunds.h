// Refunds: POST/GET /pg/orders/{order_id}/refunds[/{refund_id}]
// (routes_refunds.cpp) and their settling on pgsim's clock.
#pragma once

#include <cstdint>

#include "state.h"

namespace pgsim {

// Moves every PENDING refund whose time has come to its outcome. Returns
// whether anything changed. Called by tick().
bool tick_refunds(State& st, int64_t now);

}  // namespace pgsim
