// Flowwise's errors as core/gateway's GatewayError: the same origins, retry
// decisions (classify_http: 4xx stop, 408/5xx retry with the same key, 429
// retry after) and transport mapping, with screen lines for the codes the
// router has and /pg does not. pgsim answers {message, code, type} as /pg
// does, with "<field>_missing" / "<field>_invalid" codes and these:
//
//   400 payment_already_captured   capture twice, or void after capture
//   400 payment_already_voided     void twice, or capture after void
//   400 payment_not_authorised     capture/void of a payment not SUCCESS
//   400 capture_amount_invalid     more than the payment's amount
//   400 payment_method_unsupported a method outside the order's list
//   404 order_not_found            also Create Payment on an order that is
//                                  no longer ACTIVE ("not found or expired")
//   404 payment_not_found
//
// All of them are kStop: the request as it is will never succeed. After a
// refused capture or void, read the payment to learn where it stands.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/gateway/pg_error.hpp"
#include "core/json/json_arena.hpp"

namespace posagent::flowwise {

enum class FwCall : std::uint8_t { kCreateOrder, kGetOrder, kCreatePayment, kAuthorize, kGetPayment, kGetPayments };

std::string_view to_string(FwCall call);

// The screen line for a Flowwise answer: the router's own codes first, then
// core/gateway's table (401 "Check settings", 429 "Gateway busy", ...).
// At most 20 characters, static storage.
const char* screen_message_for_flowwise(int http_status, std::string_view code, FwCall call);

// gateway::error_from_response with the Flowwise screen line (and the
// status message that mirrors it).
gateway::GatewayError flowwise_error_from_response(int http_status, std::string_view body,
                                                  const gateway::ResponseHints& hints, JsonArenaBase& arena,
                                                  FwCall call);

}  // namespace posagent::flowwise
