// The route table. Each routes_*.cpp file adds its own routes.
#pragma once

#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "api.h"

namespace pgsim {

enum class Kind {
  PgMerchant,  // /pg, x-api-version + x-client-id/x-client-secret, rate type app_id
  PgSession,   // /pg, x-api-version only (authenticated by a session id), rate type ip
  Page,        // the customer's pages: HTML, no headers required
  Admin,       // /admin: JSON for tests; never faulted nor logged
  Flowwise,    // /router, x-client-id/x-client-secret, no x-api-version, rate type app_id
};

struct Route {
  std::string method;
  std::regex pattern;  // matched against the whole path; groups become Ctx::params
  Kind kind;
  std::string rate_group;  // x-ratelimit-* bucket (/pg only)
  int rate_limit = 0;      // per minute, Cashfree's documented production defaults
  std::function<Reply(Ctx&)> handler;
};

using Routes = std::vector<Route>;

void add_order_routes(Routes& r);
void add_pay_routes(Routes& r);
void add_simulate_routes(Routes& r);
void add_admin_routes(Routes& r);
void add_page_routes(Routes& r);
void add_card_routes(Routes& r);           // Native OTP and the 3-D Secure page
void add_authorization_routes(Routes& r);  // pre-authorisation capture / void
void add_refund_routes(Routes& r);
void add_terminal_routes(Routes& r);
void add_flowwise_routes(Routes& r);  // /router, its pages and its admin (routes_flowwise.cpp)

}  // namespace pgsim
