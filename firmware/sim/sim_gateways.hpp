// The gateway posagent-sim talks to, by the terminal's choice (SimSetup::api):
// Cashfree PG or Cashfree Flowwise, each as the SaleGateway the sale runner
// drives and the HoldGateway capture and void use, over the one HTTP client;
// and the status command, which prints an order as that gateway has it.
//
// The address and credentials are SimSetup::pg's for either API (the
// launcher fills in pgsim's port), so build this after the port is known.
// Host program code: it owns its clients and their static buffers.
#pragma once

#include <optional>
#include <string>

#include "core/agent/fw_hold_gateway.hpp"
#include "core/agent/fw_sale_gateway.hpp"
#include "core/agent/hold_gateway.hpp"
#include "core/agent/pg_hold_gateway.hpp"
#include "core/agent/pg_sale_gateway.hpp"
#include "core/agent/sale_gateway.hpp"
#include "core/base/log.hpp"
#include "core/flowwise/fw_client.hpp"
#include "core/gateway/pg_client.hpp"
#include "core/http/http_client.hpp"
#include "firmware/sim/sim_setup.hpp"
#include "hal/clock.hpp"
#include "hal/entropy.hpp"

namespace posagent::sim {

// "https://host[:port]/path" for FlowwiseConfig::base_url, from the address
// in pg (the port left out when it is 443).
std::string flowwise_base_url(const gateway::PgConfig& pg);

class SimGateways {
 public:
  // setup, http, clock and entropy must outlive this.
  SimGateways(const SimSetup& setup, http::HttpClient& http, hal::Clock& clock, hal::Entropy& entropy, Logger* log);
  SimGateways(const SimGateways&) = delete;
  SimGateways& operator=(const SimGateways&) = delete;

  GatewayApi api() const { return api_; }
  agent::SaleGateway& sale();
  agent::HoldGateway& hold();
  // `posagent-sim status ORDER_ID`: the order and its payments on stdout;
  // the exit status (0, or 1 when the gateway could not be read).
  int print_status(const std::string& order_id);

 private:
  int print_pg_status(const std::string& order_id);
  int print_flowwise_status(const std::string& order_id);

  GatewayApi api_;
  hal::Clock& clock_;
  flowwise::FlowwiseConfig fw_config_;
  // One API's members are built, the other's stay empty.
  std::optional<gateway::PgClient> pg_;
  std::optional<agent::PgSaleGateway> pg_sale_;
  std::optional<agent::PgCardSales> pg_cards_;  // card Order Pay and OTP on PG
  std::optional<agent::PgHoldGateway> pg_hold_;
  std::optional<flowwise::FlowwiseClient> fw_;
  std::optional<agent::FlowwiseSaleGateway> fw_sale_;
  std::optional<agent::FlowwiseHoldGateway> fw_hold_;
};

}  // namespace posagent::sim
