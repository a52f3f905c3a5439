// posagent-sim: the payment agent on the simulator HAL. It runs the same
// runner, engine, gateway client, TLS stack and screens as a terminal, with
// the display in this terminal window (and optionally PNG files), the
// journal in files, the keypad on stdin / Ctrl-C, and the local gateway
// (pgsim) or the Cashfree sandbox on the network. See usage_text().
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/agent/hold_runner.hpp"
#include "core/agent/sale_runner.hpp"
#include "core/screens/text.hpp"
#include "core/http/http_client.hpp"
#include "core/json/json_arena.hpp"
#include "core/tls/tls_pool.hpp"
#include "core/tls/tls_session.hpp"
#include "firmware/sim/pgsim_launcher.hpp"
#include "firmware/sim/sim_customer.hpp"
#include "firmware/sim/sim_gateways.hpp"
#include "firmware/sim/sim_keypad.hpp"
#include "firmware/sim/sim_power_cut.hpp"
#include "firmware/sim/sim_setup.hpp"
#include "hal/sim/sim_card_reader.hpp"
#include "hal/sim/sim_clock.hpp"
#include "hal/sim/sim_display.hpp"
#include "hal/sim/sim_entropy.hpp"
#include "hal/sim/sim_log.hpp"
#include "hal/sim/sim_network.hpp"
#include "hal/sim/sim_storage.hpp"

namespace {

using namespace posagent;
using engine::Outcome;

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

int exit_code(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPaid:
    case Outcome::kAuthorized: return 0;
    case Outcome::kFailed: return 3;
    case Outcome::kExpired: return 4;
    case Outcome::kCancelled: return 5;
    case Outcome::kUnknown: return 6;
    case Outcome::kNone: break;
  }
  return kExitError;
}

// As the screens show amounts: "Rs 499.00", "Rs 1,00,000.00".
std::string rupees(std::int64_t paise) {
  const Result<screens::Line> text = screens::format_amount(paise);
  return text.ok() ? std::string(text->view()) : "Rs ?";
}

// The last line of a sale, for people and scripts alike:
//   posagent-sim: PAID order SIM1-261123101500-3fa9 Rs 499.00 UTR 512345678901
void print_outcome(const engine::SaleRecord& r) {
  std::string line = "posagent-sim: " + std::string(engine::outcome_name(r.outcome)) + " order " +
                     std::string(r.order_id.view()) + " " + rupees(r.amount_paise);
  if (r.is_card()) line += " " + std::string(r.card_label.view());
  if (r.outcome == Outcome::kPaid || r.outcome == Outcome::kAuthorized) {
    line += " UTR " + std::string(r.utr.empty() ? "(not given)" : r.utr.view());
  } else if (r.outcome == Outcome::kUnknown) {
    line += " not confirmed: the record is kept; do not charge again, run `posagent-sim recover`";
  } else if (!r.reason.empty()) {
    line += " reason: " + std::string(r.reason.view());
  }
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

// The --gateway value of an API, for hints.
const char* gateway_option(engine::GatewayApi api) {
  return api == engine::GatewayApi::kFlowwise ? "flowwise" : "pg";
}

// An unfinished capture or void sent to another API blocks the hold runner:
// say which and how to finish it. True when there is one.
bool explain_other_gateway_hold(agent::HoldRunner& holds, engine::GatewayApi now) {
  const std::optional<engine::HoldRecord> last = holds.last_record();
  if (!last || last->step != engine::HoldStep::kSending || last->gateway == now) return false;
  const std::string_view api = engine::gateway_api_name(last->gateway);
  std::fprintf(stderr,
               "posagent-sim: the unfinished %s of order %.*s was sent to %.*s, and this terminal is now set to "
               "%.*s; it is kept, not resumed. Finish it with `posagent-sim recover --gateway %s`.\n",
               engine::hold_action_name(last->action), static_cast<int>(last->order_id.size()),
               last->order_id.view().data(), static_cast<int>(api.size()), api.data(),
               static_cast<int>(engine::gateway_api_name(now).size()), engine::gateway_api_name(now).data(),
               gateway_option(last->gateway));
  return true;
}

int hold_exit_code(engine::HoldResult result) {
  switch (result) {
    case engine::HoldResult::kCaptured:
    case engine::HoldResult::kVoided: return 0;
    case engine::HoldResult::kRefused: return 3;
    case engine::HoldResult::kUnknown: return 6;
    case engine::HoldResult::kNone: break;
  }
  return kExitError;
}

// The last line of a capture or void:
//   posagent-sim: CAPTURED order SIM1-261123101500-3fa9 Rs 1,000.00 of Rs 1,500.00
//   posagent-sim: REFUSED capture of order SIM1-... reason: Voided: cannot capture
void print_hold(const engine::HoldRecord& r) {
  using engine::HoldResult;
  std::string line = "posagent-sim: " + std::string(engine::hold_result_name(r.result));
  const std::string order(r.order_id.view());
  switch (r.result) {
    case HoldResult::kCaptured:
      line += " order " + order + " " + rupees(r.captured_paise) + " of " + rupees(r.authorized_paise);
      break;
    case HoldResult::kVoided: line += " order " + order + " " + rupees(r.authorized_paise) + " released"; break;
    case HoldResult::kUnknown:
      line += " " + std::string(engine::hold_action_name(r.action)) + " of order " + order +
              " not confirmed: the record is kept; do not repeat it, run `posagent-sim recover`";
      break;
    case HoldResult::kRefused:
    case HoldResult::kNone:
      line += " " + std::string(engine::hold_action_name(r.action)) + " of order " + order +
              " reason: " + std::string(r.reason.view());
      break;
  }
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

// Log lines to stderr, the last few also kept for the terminal display's
// trailer (a frame's clear-screen would wipe them).
class ConsoleLog final : public hal::LogSink {
 public:
  explicit ConsoleLog(hal::LogLevel level) : sink_(level) { sink_.set_show_level(false); }
  void write(hal::LogLevel level, std::string_view line) override {
    sink_.write(level, line);
    if (level < sink_.min_level()) return;
    recent_.emplace_back(line);
    if (recent_.size() > kKept) recent_.pop_front();
  }
  void print_recent(std::FILE* out) const {
    for (const std::string& line : recent_) std::fprintf(out, "  %s\n", line.c_str());
  }

 private:
  static constexpr std::size_t kKept = 5;
  hal::sim::SimLogSink sink_;
  std::deque<std::string> recent_;
};

bool read_file(const std::string& path, std::vector<std::uint8_t>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  out.push_back(0);  // Mbed TLS parses PEM with its terminating NUL
  return true;
}

// The simulated card reader: presents the card given on the command line
// each time the runner asks (a retried Order Pay asks again).
class CliCardReader final : public hal::CardReader {
 public:
  explicit CliCardReader(const sim::CommandLine& cli) : cli_(cli) {}
  Status read_card(card::CardData& out, hal::Millis deadline) override {
    const Status loaded = cli_.card_file.empty()
                              ? reader_.set_key_entered(cli_.card_number, cli_.card_expiry, cli_.card_cvv, cli_.card_name)
                              : reader_.load(cli_.card_file.c_str());
    if (!loaded.ok()) return loaded;
    return reader_.read_card(out, deadline);
  }

 private:
  const sim::CommandLine& cli_;
  hal::sim::SimCardReader reader_;
};

// The customer, and the cashier keying the --otp list at each OTP prompt.
class SimObserver final : public agent::SaleObserver {
 public:
  SimObserver(sim::SimCustomer& customer, sim::SimKeypad& keypad, std::vector<std::string> otps)
      : customer_(customer), keypad_(keypad), otps_(std::move(otps)) {}
  void on_qr_shown(const engine::SaleRecord& record) override { customer_.on_qr_shown(record); }
  void on_otp_prompt(std::string_view prompt) override {
    if (next_ >= otps_.size()) {
      std::fprintf(stderr, "posagent-sim: %.*s: type it and press Enter (Enter alone: resend)\n",
                   static_cast<int>(prompt.size()), prompt.data());
      return;
    }
    const std::string& otp = otps_[next_++];
    std::fprintf(stderr, "posagent-sim: %.*s: keying %s\n", static_cast<int>(prompt.size()), prompt.data(),
                 otp.empty() ? "resend" : "the OTP");
    keypad_.type(otp + "\n");
  }

 private:
  sim::SimCustomer& customer_;
  sim::SimKeypad& keypad_;
  std::vector<std::string> otps_;
  std::size_t next_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  sim::CommandLine cli;
  std::string error;
  if (!sim::parse_command_line(argc - 1, argv + 1, cli, error).ok()) {
    std::fprintf(stderr, "posagent-sim: %s\n\n%s", error.c_str(), sim::usage_text());
    return kExitUsage;
  }
  if (cli.command == sim::Command::kHelp) {
    std::printf("%s", sim::usage_text());
    return 0;
  }
  json_init();
  sim::SimSetup setup;
  if (!sim::resolve_setup(cli, setup, error).ok()) {
    std::fprintf(stderr, "posagent-sim: %s\n", error.c_str());
    return kExitError;
  }

  ConsoleLog console(cli.verbose ? hal::LogLevel::kDebug : hal::LogLevel::kInfo);
  Logger log(console, cli.verbose ? hal::LogLevel::kDebug : hal::LogLevel::kInfo);

  // The gateway: the local pgsim unless one was configured.
  sim::PgsimProcess pgsim;
  std::string ca_file = setup.ca_file;
  if (setup.gateway == sim::GatewayKind::kLocalPgsim) {
    sim::PgsimOptions options;
    options.data_dir = setup.data_dir + "/pgsim";
    options.port = cli.pgsim_port;
    const Status started = pgsim.start(options, argv[0]);
    if (!started.ok()) {
      std::fprintf(stderr,
                   "posagent-sim: could not start the local gateway (pgsim): %s.\n"
                   "  Is it built (cmake --workflow --preset host)? Is port %u in use? (--pgsim-port)\n",
                   started.message(), static_cast<unsigned>(cli.pgsim_port));
      return kExitError;
    }
    setup.pg.port = pgsim.endpoint().port;
    ca_file = pgsim.endpoint().ca_path;
    std::fprintf(stderr, "posagent-sim: local gateway (pgsim) at %s%s, state in %s\n",
                 pgsim.endpoint().base_url.c_str(), setup.pg.base_path.c_str(), options.data_dir.c_str());
  } else {
    std::fprintf(stderr, "posagent-sim: gateway https://%s:%u%s (client id %s)\n", setup.pg.host.c_str(),
                 static_cast<unsigned>(setup.pg.port), setup.pg.base_path.c_str(), setup.pg.client_id.c_str());
  }
  std::vector<std::uint8_t> ca;
  if (!read_file(ca_file, ca)) {
    std::fprintf(stderr, "posagent-sim: cannot read the CA file %s\n", ca_file.c_str());
    return kExitError;
  }

  // The terminal's stack, as on a device.
  hal::sim::SimClock clock;
  hal::sim::SimEntropy entropy;
  sim::PowerCut power_cut;
  hal::sim::SimNetwork socket(clock);
  sim::CutNetwork network(socket, power_cut);
  if (const Status pool = tls::pool_init(clock); !pool.ok()) {
    std::fprintf(stderr, "posagent-sim: TLS: %s\n", pool.message());
    return kExitError;
  }
  tls::TlsSession session(network, clock, entropy);
  if (const Status tls_ok = session.init({setup.pg.host.view(), setup.pg.port, ca}); !tls_ok.ok()) {
    std::fprintf(stderr, "posagent-sim: TLS setup with CA file %s: %s (%d)\n", ca_file.c_str(), tls_ok.message(),
                 static_cast<int>(tls_ok.detail()));
    return kExitError;
  }
  http::HttpClient http(session);
  sim::SimGateways gateways(setup, http, clock, entropy, &log);

  if (cli.command == sim::Command::kStatus) return gateways.print_status(cli.order_id);

  hal::sim::SimStorage files((setup.data_dir + "/storage").c_str());
  if (!files.status().ok()) {
    std::fprintf(stderr, "posagent-sim: storage in %s/storage: %s\n", setup.data_dir.c_str(), files.status().message());
    return kExitError;
  }
  sim::CutStorage storage(files, power_cut);
  hal::sim::SimDisplay display(stdout);
  display.set_frame_trailer([&console](std::FILE* out) { console.print_recent(out); });
  if (!cli.screens_dir.empty()) {
    if (const Status png = display.write_png_frames(cli.screens_dir); !png.ok()) {
      std::fprintf(stderr, "posagent-sim: --screens %s: %s\n", cli.screens_dir.c_str(), png.message());
      return kExitUsage;
    }
  }
  sim::SimKeypad keypad(clock);

  sim::CustomerGateway customer_gateway;
  customer_gateway.host = std::string(setup.pg.host.view());
  customer_gateway.port = setup.pg.port;
  customer_gateway.base_path = std::string(setup.pg.base_path.view());
  customer_gateway.ca_file = ca_file;
  customer_gateway.pgsim = setup.gateway == sim::GatewayKind::kLocalPgsim || setup.pg.host == "localhost" ||
                           setup.pg.host == "127.0.0.1";
  customer_gateway.client_id = std::string(setup.pg.client_id.view());
  customer_gateway.client_secret = std::string(setup.pg.client_secret.view());
  customer_gateway.api_version = std::string(setup.pg.api_version.view());
  customer_gateway.flowwise = setup.api == sim::GatewayApi::kFlowwise;
  sim::SimCustomer customer(cli.customer, cli.customer_after_s, customer_gateway);

  agent::HoldRunner holds(agent::HoldParts{clock, storage, display, keypad, entropy, gateways.hold()}, {}, &log);
  if (cli.command == sim::Command::kCapture || cli.command == sim::Command::kVoid) {
    const agent::HoldRequest request{
        cli.command == sim::Command::kCapture ? engine::HoldAction::kCapture : engine::HoldAction::kVoid,
        cli.order_id, cli.capture_paise};
    const Result<engine::HoldRecord> done = holds.run(request);
    if (!done.ok()) {
      std::fprintf(stderr, "posagent-sim: %s\n", done.status().message());
      return kExitError;
    }
    print_hold(*done);
    (void)explain_other_gateway_hold(holds, setup.api);
    if (power_cut.enabled()) std::fprintf(stderr, "posagent-sim: cut points: %ld\n", power_cut.count());
    return hold_exit_code(done->result);
  }

  CliCardReader card_reader(cli);
  SimObserver observer(customer, keypad, cli.otps);
  agent::RunnerParts parts{clock, storage, display, keypad, entropy, gateways.sale()};
  parts.card_reader = &card_reader;
  agent::SaleRunner runner(parts, setup.runner, &log, &observer);

  int code = 0;
  const agent::PowerUpReport boot = runner.power_up();
  if (!boot.journal.ok()) {
    std::fprintf(stderr, "posagent-sim: WARNING: the journal could not be read (%s); an interrupted sale in it "
                         "cannot be resumed. Check its orders with `posagent-sim status ORDER_ID`.\n",
                 boot.journal.message());
  }
  if (boot.resumed) {
    std::fprintf(stderr, "posagent-sim: an interrupted sale was resumed\n");
    print_outcome(runner.record());
  }
  if (boot.other_gateway) {
    // Its order is at the other API: asking this one would find nothing.
    const engine::SaleRecord& kept = runner.record();
    const std::string_view api = engine::gateway_api_name(kept.gateway);
    std::fprintf(stderr,
                 "posagent-sim: the interrupted sale %.*s was made on %.*s, and this terminal is now set to %.*s; "
                 "it is kept, not resumed. Finish it with `posagent-sim recover --gateway %s`; no new sale until "
                 "then.\n",
                 static_cast<int>(kept.order_id.size()), kept.order_id.view().data(), static_cast<int>(api.size()),
                 api.data(), static_cast<int>(engine::gateway_api_name(setup.api).size()),
                 engine::gateway_api_name(setup.api).data(),
                 gateway_option(kept.gateway));
    if (power_cut.enabled()) std::fprintf(stderr, "posagent-sim: cut points: %ld\n", power_cut.count());
    return exit_code(Outcome::kUnknown);
  }
  if (cli.command == sim::Command::kRecover) {
    // An unfinished capture or void first: its key is in its own record.
    const Result<engine::HoldRecord> hold = holds.recover();
    if (hold.ok()) print_hold(*hold);
    if (explain_other_gateway_hold(holds, setup.api) && !boot.resumed) return exit_code(Outcome::kUnknown);
    const int hold_code = hold.ok() ? hold_exit_code(hold->result) : 0;
    if (!boot.resumed && hold.ok()) return hold_code;
    if (!boot.resumed) {
      std::fprintf(stderr, "posagent-sim: nothing to recover\n");
      if (!runner.record().empty()) print_outcome(runner.record());
      code = 0;
    } else {
      code = exit_code(boot.outcome);
    }
  } else if (boot.resumed && boot.outcome == Outcome::kUnknown) {
    std::fprintf(stderr, "posagent-sim: the interrupted sale is still unresolved; no new sale until "
                         "`posagent-sim recover` settles it\n");
    code = exit_code(Outcome::kUnknown);
  } else {
    const Result<Outcome> sale = cli.card_sale()
                                     ? runner.sell_card(cli.amount_paise, cli.command == sim::Command::kPreauth)
                                     : runner.sell(cli.amount_paise);
    if (sale.ok()) {
      print_outcome(runner.record());
      code = exit_code(*sale);
    } else {
      std::fprintf(stderr, "posagent-sim: sale refused: %s\n", sale.status().message());
      code = sale.status().code() == Code::kUnavailable ? exit_code(Outcome::kUnknown) : kExitError;
    }
  }
  if (power_cut.enabled()) std::fprintf(stderr, "posagent-sim: cut points: %ld\n", power_cut.count());
  return code;
}
