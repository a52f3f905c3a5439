// posagent-sim's configuration: the command line, the environment and the
// terminal's provisioning file, resolved into what the agent runs with.
//
// Provisioning file (JSON; written with these defaults on first use):
//   {
//     "terminal": {"terminal_type": "SPOS", "terminal_id": "SIM-0001",
//                  "terminal_phone_no": "9999999999", "cf_terminal_id": "",
//                  "terminal_name": "posagent sim", "terminal_address": "...",
//                  "terminal_note": "..."},
//     "merchant": {"payee": "posagent demo store"},
//     "customer": {"customer_id": "walkin", "customer_phone": "9999999999"},
//     "sale": {"order_prefix": "SIM1", "qr_lifetime_s": 300, "grace_s": 300,
//              "otp_timeout_s": 180},
//     "gateway": {"kind": "pg", "url": "", "ca_file": "", "client_id": "",
//                 "client_secret": "", "api_version": "2025-01-01"}
//   }
//
// Which API: --gateway pg|flowwise, else "gateway.kind" in the file, else
// pg. pg is Cashfree PG (base path /pg); flowwise is Cashfree Flowwise, the
// payment router (/router). Both take the same merchant credentials.
//
// Which gateway (first that applies):
//   1. --gateway-url URL, else "gateway.url" in the file, else
//      POSAGENT_GATEWAY_URL: that gateway, with the credentials below and
//      --ca / ca_file / POSAGENT_CA_FILE as its CA (default: the system
//      bundle).
//   2. Credentials (CASHFREE_CLIENT_ID and CASHFREE_CLIENT_SECRET, else the
//      file's): the API's sandbox, https://sandbox.cashfree.com/pg or
//      https://sandbox.flowwise.com/router.
//   3. Neither: the local pgsim, started by posagent-sim with its own CA; it
//      serves both APIs on one port (/pg and /router, one test merchant).
// The client secret is never printed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/agent/pg_sale_gateway.hpp"
#include "core/agent/sale_runner.hpp"
#include "core/engine/sale_record.hpp"
#include "core/base/status.hpp"
#include "core/gateway/pg_config.hpp"

namespace posagent::sim {

enum class Command : std::uint8_t { kSale, kPreauth, kCapture, kVoid, kRecover, kStatus, kHelp };

enum class CustomerAction : std::uint8_t { kNone, kPay, kDecline, kLeave };

enum class GatewayKind : std::uint8_t { kLocalPgsim, kSandbox, kUrl };

// The gateway's API (see above), as the journal keeps it with each sale.
using GatewayApi = engine::GatewayApi;

struct CommandLine {
  Command command = Command::kHelp;
  std::int64_t amount_paise = 0;  // sale, preauth
  std::string order_id;           // status, capture, void
  std::optional<std::int64_t> capture_paise;  // capture: nullopt takes all of the hold
  CustomerAction customer = CustomerAction::kNone;
  std::uint32_t customer_after_s = 0;
  std::string data_dir;      // empty: the default
  std::string terminal_file; // empty: <data_dir>/terminal.json
  std::optional<GatewayApi> gateway_api;  // --gateway
  std::string gateway_url;                // --gateway-url
  std::string ca_file;
  std::string screens_dir;   // every screen as a PNG
  std::optional<std::int64_t> qr_lifetime_s;
  std::optional<std::int64_t> grace_s;
  std::optional<std::int64_t> otp_timeout_s;
  std::uint16_t pgsim_port = 18443;
  bool verbose = false;
  // A card sale: the card the simulated reader presents (key-entered from
  // these options, or a key=value file, see hal/sim/sim_card_reader.hpp),
  // and the OTPs the cashier keys in, in order ("resend": Enter on nothing).
  std::string card_number;
  std::string card_expiry;  // MM/YY
  std::string card_cvv;
  std::string card_name;
  std::string card_file;
  std::vector<std::string> otps;
  bool card_sale() const { return !card_number.empty() || !card_file.empty(); }
};

// argv without the program name. kInvalidArgument with `error` set for a
// usage mistake (the caller prints it and the usage).
Status parse_command_line(int argc, char** argv, CommandLine& out, std::string& error);
const char* usage_text();

struct SimSetup {
  std::string data_dir;
  std::string terminal_file;
  GatewayKind gateway = GatewayKind::kLocalPgsim;
  GatewayApi api = GatewayApi::kCashfreePg;
  std::string ca_file;  // empty with kLocalPgsim: pgsim's own
  // The gateway's address (host, port, base path) and credentials, for
  // either API (sim_gateways.hpp builds the Flowwise config from it).
  gateway::PgConfig pg;
  gateway::TerminalProvisioning terminal;
  agent::OrderDefaults order;
  agent::RunnerSettings runner;
};

// Resolves everything; writes the default provisioning file when there is
// none. kInvalidArgument with `error` naming the field or variable.
Status resolve_setup(const CommandLine& cli, SimSetup& out, std::string& error);

// "https://host[:port][/base]" into the config's host, port and base path.
Status parse_gateway_url(const std::string& url, gateway::PgConfig& pg);

}  // namespace posagent::sim
