#include "core/flowwise/fw_error.hpp"

namespace posagent::flowwise {

namespace {

// "<field>_missing" / "<field>_invalid" codes about one of these fields.
bool about(std::string_view code, std::string_view field_prefix) { return code.starts_with(field_prefix); }

// 400s that name a field of a card or UPI payment: the cashier can fix them
// by asking again, so the line says which.
const char* field_message(std::string_view code) {
  if (about(code, "card_number_")) return "Check card number";
  if (about(code, "card_expiry_")) return "Check card expiry";
  if (about(code, "card_cvv_")) return "Check CVV";
  if (about(code, "card_") || about(code, "cryptogram_") || about(code, "token_requestor_id_")) {
    return "Check card details";
  }
  if (about(code, "upi_id_")) return "Check UPI ID";
  return nullptr;
}

}  // namespace

std::string_view to_string(FwCall call) {
  switch (call) {
    case FwCall::kCreateOrder: return "create_order";
    case FwCall::kGetOrder: return "get_order";
    case FwCall::kCreatePayment: return "create_payment";
    case FwCall::kAuthorize: return "authorize";
    case FwCall::kGetPayment: return "get_payment";
    case FwCall::kGetPayments: return "get_payments";
  }
  return "?";
}

const char* screen_message_for_flowwise(int http_status, std::string_view code, FwCall call) {
  if (http_status == 400) {
    if (code == "payment_already_captured") return "Already captured";
    if (code == "payment_already_voided") return "Already voided";
    if (code == "payment_not_authorised") return "Not authorised";
    if (code == "capture_amount_invalid") return "Check capture amount";
    if (code == "payment_method_unsupported") return "Method not allowed";
    if (const char* m = field_message(code)) return m;
  }
  if (http_status == 404) {
    // Create Payment finds orders by hash, and only ACTIVE ones.
    if (code == "order_not_found") return call == FwCall::kCreatePayment ? "Order not active" : "Order not found";
    if (code == "payment_not_found") return "Payment not found";
  }
  return gateway::screen_message_for_http(http_status, code);
}

gateway::GatewayError flowwise_error_from_response(int http_status, std::string_view body,
                                                  const gateway::ResponseHints& hints, JsonArenaBase& arena,
                                                  FwCall call) {
  gateway::GatewayError e = gateway::error_from_response(http_status, body, hints, arena);
  e.screen_message = screen_message_for_flowwise(http_status, e.code.view(), call);
  e.status = Status(e.status.code(), e.screen_message);
  return e;
}

}  // namespace posagent::flowwise
