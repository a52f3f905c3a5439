// HoldGateway on Cashfree PG: the hold is the order's pre-authorised card
// payment (GET /orders/{id}/payments: a PaymentEntity with an
// `authorization` object), captured or voided with
// POST /orders/{order_id}/authorization.
#pragma once

#include "core/agent/hold_gateway.hpp"
#include "core/base/log.hpp"
#include "core/gateway/pg_client.hpp"
#include "hal/clock.hpp"

namespace posagent::agent {

// The hold a payment describes: kHeld (authorised, no action yet),
// kCaptured, kVoided, kUnknown (an authorization still PENDING with an
// action, or one the decoder did not recognise); kNone for a payment that
// was not pre-authorised.
Hold to_hold(const gateway::PaymentAttempt& payment);

class PgHoldGateway final : public HoldGateway {
 public:
  PgHoldGateway(gateway::PgClient& pg, hal::Clock& clock, hal::Millis call_timeout_ms, Logger* log = nullptr)
      : pg_(pg), clock_(clock), call_timeout_ms_(call_timeout_ms), log_(log) {}

  HoldAnswer read_hold(std::string_view order_id) override;
  HoldAnswer authorize(std::string_view order_id, const Hold& hold, HoldAction action, std::int64_t amount_paise,
                       std::string_view idempotency_key) override;
  engine::GatewayApi api() const override { return engine::GatewayApi::kCashfreePg; }

 private:
  gateway::PgClient& pg_;
  hal::Clock& clock_;
  hal::Millis call_timeout_ms_;
  Logger* log_;
};

}  // namespace posagent::agent
