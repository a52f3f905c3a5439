// SaleGateway on Cashfree Flowwise, the payment router (/router): the same
// engine requests as PgSaleGateway, as FlowwiseClient calls, so the engine
// and the runner do not know which gateway they talk to.
//
//   create    POST /orders: customer, expiry in whole minutes, the tags
//             "terminal_id" and "sale" (Flowwise has no terminal object),
//             and capture=manual for a pre-authorisation. Flowwise has no
//             cf_order_id; its order_hash (Create Payment's path) goes where
//             PG's payment_session_id goes, so the journal keeps it.
//   pay       POST /order/pay/{order_hash}. UPI: an intent; its payload
//             (upi://pay?...) is the QR. Card: the 3-D Secure page
//             (redirect_url) is the QR; Flowwise has no native OTP here, so
//             needs_otp is never set.
//   status    GET /orders/{id}, then GET /orders/{id}/payments.
//   terminate reads the order; see below.
//   OTP       not offered: kStop.
//
// Terminate. Flowwise has no call that ends an order (the docs have no
// terminate or cancel; pgsim's /router has none): an ACTIVE order takes
// payments until its order_expiry_time, at least 5 minutes after creation,
// through an attempt still open (our intent, our 3-D Secure page) and through
// new ones (its checkout_url, Create Payment). An order ends only PAID or
// EXPIRED. So kTerminate changes nothing at the router: it reads the order
// and answers Terminated with its true status (ACTIVE, PAID or EXPIRED, never
// TERMINATED). The engine then confirms with status reads, and it settles an
// unpaid sale only on TERMINATED (never reported here) or on EXPIRED with no
// open attempt (INITIATED, REDIRECTED and PENDING all read as PENDING). So
// FAILED, EXPIRED or CANCELLED is reported only once the router can take no
// payment at all; a payment that lands meanwhile is PAID; and if the router's
// expiry comes after the engine's deadline the sale parks as UNKNOWN, which
// `recover` settles once the order has expired.
//   Why Terminated and not a retryable failure (equally safe: either way
// only a status read decides): a failure makes the engine resend terminate
// under its back-off, each resend after a journal write (a flash write every
// 8 s for minutes) and logged as a failure; Terminated lets it poll on its
// normal schedule with no writes.
//   The cost: an unpaid Flowwise sale (cancelled, declined, left) finishes
// only when the order expires. The expiry is sent as the QR lifetime rounded
// up to whole minutes, at least 5 (the router's minimum), so a QR lifetime
// under 300 s still waits 5 minutes: keep lifetime + grace beyond that. An
// order that ended by expiring reads EXPIRED, so a cancelled sale ends
// EXPIRED, not CANCELLED (the engine's rule for an order that expired).
//
// Failures map as PgSaleGateway's (to_request_failed: the client's retry
// decision, a replayed 5xx final), with the router's codes put in the
// engine's words where the engine reads a code: 404 order_not_found on
// Create Payment (the order is no longer ACTIVE) becomes order_inactive, so
// the engine reads the order instead of ending it; a refused card field is
// card_reentry.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/agent/pg_sale_gateway.hpp"
#include "core/agent/sale_gateway.hpp"
#include "core/base/log.hpp"
#include "core/flowwise/fw_client.hpp"

namespace posagent::agent {

// The engine's view of a failed Flowwise call (tested row by row).
engine::RequestFailed flowwise_request_failed(engine::RequestKind request, const gateway::GatewayError& error);
// The engine's view of an order and its payments, picked as PG's are: at
// most engine::kMaxAttempts, SUCCESS ones first, then open ones, then ours,
// then the newest others. authorized_only: SUCCESS with a capture status
// other than CAPTURED (or none): the money is held, not taken.
engine::StatusRead to_status_read(const flowwise::FwOrder& order, const flowwise::FwPaymentList& payments,
                                  std::string_view our_payment_id);
engine::OrderStatus to_engine(flowwise::FwOrderStatus status);
engine::PaymentStatus to_engine(flowwise::FwPaymentStatus status);
// Create Order's expiry_time_in_minutes for a sale: its lifetime (expiry
// less start, as journaled, so a resent create has the same body) rounded
// up to whole minutes, within the router's 5..43200.
std::uint32_t flowwise_expiry_minutes(const engine::SaleRecord& record);

class FlowwiseSaleGateway final : public SaleGateway {
 public:
  // defaults: the customer, note and terminal tag; its call_timeout_ms is
  // not used (FlowwiseConfig has the router's timeouts).
  FlowwiseSaleGateway(flowwise::FlowwiseClient& fw, const OrderDefaults& defaults, Logger* log = nullptr)
      : fw_(fw), defaults_(defaults), log_(log) {}

  engine::Event send(engine::RequestKind request, const engine::SaleRecord& record,
                     const SaleSecrets& secrets) override;
  engine::GatewayApi api() const override { return engine::GatewayApi::kFlowwise; }

 private:
  engine::Event create(const engine::SaleRecord& record);
  engine::Event pay_upi(const engine::SaleRecord& record);
  engine::Event pay_card(const engine::SaleRecord& record, const SaleSecrets& secrets);
  engine::Event status(const engine::SaleRecord& record);
  engine::Event terminate(const engine::SaleRecord& record);
  engine::Event failed(engine::RequestKind request, std::string_view call, const gateway::GatewayError& error,
                       const gateway::PgCallInfo& info);

  flowwise::FlowwiseClient& fw_;
  const OrderDefaults& defaults_;
  Logger* log_;
};

}  // namespace posagent::agent
