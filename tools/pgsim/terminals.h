// softPOS terminals (Cashfree's "softPOS" API tag): the registry behind
// POST /pg/terminal, GET /pg/terminal/{terminal_phone_no} and
// PATCH /pg/terminal/{cf_terminal_id}/status, and terminal transactions
// (POST /pg/terminal/transactions): a UPI QR code or link for an order that
// was created with the same terminal. Routes are in routes_terminal.cpp.
#pragma once

#include <string>

#include "state.h"

namespace pgsim {

Terminal* find_terminal_by_id(State& st, const std::string& cf_terminal_id);
Terminal* find_terminal_by_phone(State& st, const std::string& terminal_phone_no);

// TerminalEntity (and UpdateTerminalEntity, the same fields).
json terminal_entity(const Terminal& t);

// Completes the `terminal` of an order being created from the registry: the
// registered cf_terminal_id when the order names the terminal by phone, the
// phone when it names it by id, and the merchant's terminal_id. So the
// order's terminal_data shows the registered terminal. A terminal that is
// not registered is kept as given.
void link_registered_terminal(State& st, json& order_terminal);

}  // namespace pgsim
