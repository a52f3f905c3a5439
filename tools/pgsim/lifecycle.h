// The order and payment state machines.
//
// Order:   ACTIVE -> PAID                     a payment succeeded
//          ACTIVE -> EXPIRED                  order_expiry_time passed (an open
//                                             attempt may still make it PAID)
//          ACTIVE -> TERMINATION_REQUESTED    PATCH order_status=TERMINATED
//          TERMINATION_REQUESTED -> PAID      an open attempt succeeded first
//          TERMINATION_REQUESTED -> TERMINATED after the termination delay;
//                                             open attempts become CANCELLED
// Payment: NOT_ATTEMPTED -> PENDING -> SUCCESS | FAILED | USER_DROPPED | CANCELLED
//          (any open state may go straight to a terminal one)
//
// All of it runs under the state lock, so a success and a terminate that race
// are ordered; the loser is refused and both are written to the order's events.
#pragma once

#include <string>

#include "options.h"
#include "state.h"

namespace pgsim {

bool is_open(const Payment& p);  // NOT_ATTEMPTED or PENDING
void add_event(Order& o, int64_t now, const std::string& event, json detail = nullptr);

// Applies everything that time makes happen: expiry, test-VPA outcomes,
// collect expiry, termination completion, idempotency record expiry.
// Returns whether anything changed.
bool tick(State& st, const Config& cfg, int64_t now);

// Moves an open payment to `status` (PENDING or a terminal status) and the
// order with it. Returns false, changing nothing, when the payment is no
// longer open. `source` says who acted (pay page, simulate, ...).
bool settle(State& st, Payment& p, const std::string& status, int64_t now, const std::string& source,
            const std::string& error_code = "");

// PATCH {"order_status":"TERMINATED"}. Throws ApiError (400 order_inactive)
// for a PAID or EXPIRED order; a repeated request is answered with the
// current state.
void request_termination(State& st, const Config& cfg, Order& o, int64_t now);

}  // namespace pgsim
