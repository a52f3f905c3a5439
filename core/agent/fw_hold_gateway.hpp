// HoldGateway on Cashfree Flowwise (/router): the hold is the order's
// payment that succeeded under manual capture (order tag capture=manual:
// status SUCCESS, capture_status AUTHORISED), read with
// GET /orders/{id}/payments and captured or voided with
// POST /orders/{order_id}/payments/{payment_id}/authorize. The capture
// amount is sent in rupees, as the API has it, from paise.
//
// What the router answers a capture or void after the first (pgsim: all
// 400, kStop, the code kept in RequestFailed::code): payment_already_captured
// (capture twice, or void after capture), payment_already_voided (void
// twice, or capture after void), payment_not_authorised (the payment is not
// SUCCESS), capture_amount_invalid (more than authorised); and 404
// order_not_found / payment_not_found. After any of them read the hold.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/agent/hold_gateway.hpp"
#include "core/base/log.hpp"
#include "core/flowwise/fw_client.hpp"

namespace posagent::agent {

// The hold a payment describes. SUCCESS with capture_status AUTHORISED:
// kHeld; CAPTURED: kCaptured (capture_amount); VOIDED: kVoided; a capture
// or void still requested or failed, or a status this build does not know:
// kUnknown. Any other payment status: kNone (never authorised). Flowwise
// does not tell an auto-captured payment from a captured authorisation:
// both read kCaptured, which is what matters (nothing is left to capture
// or void).
Hold to_hold(const flowwise::FwPaymentDetails& payment);

class FlowwiseHoldGateway final : public HoldGateway {
 public:
  explicit FlowwiseHoldGateway(flowwise::FlowwiseClient& fw, Logger* log = nullptr) : fw_(fw), log_(log) {}

  HoldAnswer read_hold(std::string_view order_id) override;
  // hold.payment_id names the payment (Flowwise authorizes a payment, not
  // an order): read_hold's answer. VOID sends capture_amount 0.
  HoldAnswer authorize(std::string_view order_id, const Hold& hold, HoldAction action, std::int64_t amount_paise,
                       std::string_view idempotency_key) override;
  engine::GatewayApi api() const override { return engine::GatewayApi::kFlowwise; }

 private:
  HoldAnswer failed(std::string_view call, const gateway::GatewayError& error);

  flowwise::FlowwiseClient& fw_;
  Logger* log_;
};

}  // namespace posagent::agent
