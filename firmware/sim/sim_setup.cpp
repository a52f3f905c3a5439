#include "firmware/sim/sim_setup.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base/money.hpp"
#include "core/json/json_arena.hpp"
#include "core/json/json_reader.hpp"

namespace posagent::sim {

namespace {

namespace fs = std::filesystem;

constexpr const char* kSandboxUrl = "https://sandbox.cashfree.com/pg";
constexpr const char* kFlowwiseSandboxUrl = "https://sandbox.flowwise.com/router";
// pgsim serves Flowwise here, beside /pg, with the same test merchant.
constexpr const char* kPgsimFlowwisePath = "/router";
constexpr const char* kSystemCaBundle = "/etc/ssl/certs/ca-certificates.crt";
// pgsim's built-in test merchant (tools/pgsim/README.md).
constexpr const char* kPgsimClientId = "pgsim_test_client_id";
constexpr const char* kPgsimClientSecret = "pgsim_test_client_secret";

constexpr const char* kDefaultProvisioning = R"({
  "terminal": {
    "terminal_type": "SPOS",
    "terminal_id": "SIM-0001",
    "terminal_phone_no": "9999999999",
    "cf_terminal_id": "",
    "terminal_name": "posagent sim",
    "terminal_address": "Counter 1, posagent demo store, Bengaluru",
    "terminal_note": "simulated softPOS terminal"
  },
  "merchant": { "payee": "posagent demo store" },
  "customer": { "customer_id": "walkin", "customer_phone": "9999999999" },
  "sale": { "order_prefix": "SIM1", "qr_lifetime_s": 300, "grace_s": 300, "otp_timeout_s": 180 },
  "gateway": { "kind": "pg", "url": "", "ca_file": "", "client_id": "", "client_secret": "", "api_version": "2025-01-01" }
}
)";

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

// A decimal number 0..max (seconds, a port), digits only.
bool parse_number(const std::string& text, std::uint32_t max, std::uint32_t& out) {
  if (text.empty() || text.size() > 6) return false;
  std::uint32_t v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (v > max) return false;
  out = v;
  return true;
}

std::string default_data_dir() {
  if (std::string d = env("POSAGENT_SIM_DIR"); !d.empty()) return d;
  if (std::string x = env("XDG_STATE_HOME"); !x.empty()) return x + "/posagent-sim";
  if (std::string h = env("HOME"); !h.empty()) return h + "/.local/state/posagent-sim";
  return ".posagent-sim";
}

// One section's string fields, each optional.
struct Field {
  const char* key;
  StringSpan out;
};

Status read_fields(const JsonObject& root, const char* section, std::initializer_list<Field> fields,
                   std::string& error) {
  const FieldResult<std::optional<JsonObject>> object = root.get_optional_object(section);
  if (!object.ok()) {
    error = std::string(section) + ": " + object.status().message();
    return object.status();
  }
  if (!object->has_value()) return Status::Ok();
  for (const Field& f : fields) {
    StringSpan out = f.out;
    FixedString<512> text;  // read whole, then fit: a too-long value is an error, not a cut
    const FieldResult<bool> read = (*object)->get_optional_string(f.key, text.span());
    if (!read.ok()) {
      error = std::string(section) + "." + f.key + ": " + read.status().message();
      return read.status();
    }
    if (!*read) continue;
    if (!out.assign(text.view())) {
      error = std::string(section) + "." + f.key + ": longer than " + std::to_string(out.capacity()) + " characters";
      return Status(Code::kInvalidArgument, "value too long");
    }
  }
  return Status::Ok();
}

Status read_seconds(const JsonObject& root, const char* key, std::int64_t& out, std::string& error) {
  const FieldResult<std::optional<JsonObject>> sale = root.get_optional_object("sale");
  if (!sale.ok() || !sale->has_value()) return Status::Ok();
  const FieldResult<std::optional<std::int64_t>> v =
      (*sale)->get_optional_int64(key, engine::SaleTimes::kMinS, engine::SaleTimes::kMaxS);
  if (!v.ok()) {
    error = std::string("sale.") + key + ": " + v.status().message() + " (" +
            std::to_string(engine::SaleTimes::kMinS) + ".." + std::to_string(engine::SaleTimes::kMaxS) + ")";
    return v.status();
  }
  if (v->has_value()) out = **v;
  return Status::Ok();
}

// "pg" or "flowwise".
std::optional<GatewayApi> parse_api(std::string_view text) {
  if (text == "pg") return GatewayApi::kCashfreePg;
  if (text == "flowwise") return GatewayApi::kFlowwise;
  return std::nullopt;
}

Status load_provisioning(const std::string& path, SimSetup& s, FixedString<512>& gateway_url,
                         FixedString<512>& ca_file, FixedString<gateway::kClientIdCapacity>& client_id,
                         FixedString<gateway::kClientSecretCapacity>& client_secret, std::string& error) {
  std::string text;
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream all;
      all << in.rdbuf();
      text = all.str();
    } else {
      std::error_code ec;
      fs::create_directories(fs::path(path).parent_path(), ec);
      std::ofstream outf(path, std::ios::binary);
      if (!outf) {
        error = "cannot write the default provisioning file " + path;
        return Status(Code::kIoError, "provisioning");
      }
      outf << kDefaultProvisioning;
      text = kDefaultProvisioning;
    }
  }
  static JsonArena<16384> arena;
  const Result<JsonDocument> doc = JsonDocument::parse(arena, text);
  if (!doc.ok()) {
    error = path + ": not valid JSON (" + doc.status().message() + ")";
    return doc.status();
  }
  const FieldResult<JsonObject> root = doc->root_object();
  if (!root.ok()) {
    error = path + ": not a JSON object";
    return root.status();
  }
  gateway::TerminalProvisioning& t = s.terminal;
  FixedString<agent::kPayeeCapacity> payee;
  FixedString<agent::kOrderPrefixCapacity> prefix;
  FixedString<gateway::kApiVersionCapacity> api_version{"2025-01-01"};
  FixedString<16> kind;
  std::string where;
  Status st = read_fields(*root, "terminal",
                          {{"terminal_type", t.terminal_type.span()},
                           {"terminal_id", t.terminal_id.span()},
                           {"terminal_phone_no", t.terminal_phone_no.span()},
                           {"cf_terminal_id", t.cf_terminal_id.span()},
                           {"terminal_name", t.terminal_name.span()},
                           {"terminal_address", t.terminal_address.span()},
                           {"terminal_note", t.terminal_note.span()}},
                          where);
  if (st.ok()) st = read_fields(*root, "merchant", {{"payee", payee.span()}}, where);
  if (st.ok()) {
    st = read_fields(*root, "customer",
                     {{"customer_id", s.order.customer_id.span()}, {"customer_phone", s.order.customer_phone.span()}},
                     where);
  }
  if (st.ok()) st = read_fields(*root, "sale", {{"order_prefix", prefix.span()}}, where);
  if (st.ok()) {
    st = read_fields(*root, "gateway",
                     {{"kind", kind.span()},
                      {"url", gateway_url.span()},
                      {"ca_file", ca_file.span()},
                      {"client_id", client_id.span()},
                      {"client_secret", client_secret.span()},
                      {"api_version", api_version.span()}},
                     where);
  }
  if (st.ok()) st = read_seconds(*root, "qr_lifetime_s", s.runner.times.order_lifetime_s, where);
  if (st.ok()) st = read_seconds(*root, "grace_s", s.runner.times.grace_s, where);
  if (st.ok()) st = read_seconds(*root, "otp_timeout_s", s.runner.times.otp_timeout_s, where);
  if (!st.ok()) {
    error = path + ": " + where;
    return st;
  }
  if (!kind.empty()) {
    const std::optional<GatewayApi> api = parse_api(kind.view());
    if (!api) {
      error = path + ": gateway.kind: '" + std::string(kind.view()) + "' is not pg or flowwise";
      return Status(Code::kInvalidArgument, "gateway kind");
    }
    s.api = *api;
  }
  if (const Status valid = t.validate(); !valid.ok()) {
    error = path + ": terminal: " + valid.message() +
            " (terminal_type 4..10 characters, terminal_id 3..100, and a 10-digit terminal_phone_no or a "
            "numeric cf_terminal_id)";
    return valid;
  }
  if (!api_version.empty()) (void)s.pg.api_version.assign(api_version.view());
  if (s.order.customer_phone.empty()) (void)s.order.customer_phone.assign(t.terminal_phone_no.view());
  (void)s.order.terminal_tag.assign(t.terminal_id.view().substr(0, agent::kTagCapacity));
  (void)s.runner.payee.assign(!payee.empty() ? payee.view() : t.terminal_name.view().substr(0, agent::kPayeeCapacity));
  if (!prefix.empty()) {
    (void)s.runner.order_prefix.assign(prefix.view());
  } else {
    (void)s.runner.order_prefix.assign(t.terminal_id.view().substr(0, agent::kOrderPrefixCapacity));
  }
  return Status::Ok();
}

}  // namespace

const char* usage_text() {
  return "usage:\n"
         "  posagent-sim sale AMOUNT [options]   a UPI QR sale of AMOUNT rupees (499 or 499.00),\n"
         "                                       or a card sale with --card (or --card-file)\n"
         "  posagent-sim preauth AMOUNT --card N --exp MM/YY --cvv C [options]\n"
         "                                       a card pre-authorisation (outcome AUTHORISED)\n"
         "  posagent-sim capture ORDER_ID [AMOUNT] [options]\n"
         "                                       capture a pre-authorisation (all, or AMOUNT rupees)\n"
         "  posagent-sim void ORDER_ID [options] release a pre-authorisation\n"
         "  posagent-sim recover [options]       finish an interrupted sale, capture or void\n"
         "  posagent-sim status ORDER_ID [options]  what the gateway says about an order\n"
         "\n"
         "options:\n"
         "  --auto-pay S        the customer pays S seconds after the QR appears\n"
         "  --auto-decline S    the customer declines S seconds after the QR appears\n"
         "  --auto-leave S      the customer leaves without paying after S seconds\n"
         "                      (a card's 3-D Secure page: pay = the right OTP, decline = Cancel)\n"
         "  --card NUMBER       pay by card (a test card: tools/pgsim/CARDS.md), with\n"
         "  --exp MM/YY --cvv CVV [--name NAME]\n"
         "  --card-file FILE    the card as key=value lines (number, expiry, cvv, name, or a\n"
         "                      network token: cryptogram, token_requestor_id, last_four)\n"
         "  --otp LIST          the OTPs to key in at the prompt, comma-separated, in order;\n"
         "                      'resend' asks for a new one (default: typed on the keypad)\n"
         "  --data-dir DIR      journal, provisioning and local gateway state\n"
         "                      (default $POSAGENT_SIM_DIR or ~/.local/state/posagent-sim)\n"
         "  --terminal FILE     the terminal's provisioning file (default DATA_DIR/terminal.json)\n"
         "  --gateway API       pg (Cashfree PG, the default) or flowwise (Cashfree Flowwise,\n"
         "                      the payment router); default: gateway.kind in the terminal file\n"
         "  --gateway-url URL   a running gateway (https://host:port/pg, .../router for flowwise);\n"
         "                      credentials from CASHFREE_CLIENT_ID / CASHFREE_CLIENT_SECRET\n"
         "  --ca FILE           the gateway's CA certificates (PEM)\n"
         "  --pgsim-port PORT   where to start the local gateway (default 18443)\n"
         "  --qr-lifetime S     how long the order and its QR live (default 300)\n"
         "  --grace S           how long past expiry to wait for a final answer (default 300)\n"
         "  --otp-timeout S     how long the OTP prompt waits for the OTP (default 180)\n"
         "  --screens DIR       also write every screen as a PNG into DIR\n"
         "  --verbose           debug log lines\n"
         "\n"
         "With no gateway URL and no credentials, posagent-sim starts the local gateway (pgsim),\n"
         "which serves both APIs. With CASHFREE_CLIENT_ID and CASHFREE_CLIENT_SECRET set it uses\n"
         "the API's sandbox.\n"
         "Ctrl-C (or x) cancels the sale; Ctrl-C twice stops the program like a power cut.\n"
         "\n"
         "exit status: 0 PAID (AUTHORISED, CAPTURED, VOIDED), 3 FAILED (REFUSED), 4 EXPIRED,\n"
         "             5 CANCELLED, 6 UNKNOWN (run recover),\n"
         "             1 setup or gateway error, 2 usage\n";
}

Status parse_command_line(int argc, char** argv, CommandLine& out, std::string& error) {
  const auto bad = [&](const std::string& why) {
    error = why;
    return Status(Code::kInvalidArgument, "usage");
  };
  if (argc < 1) return bad("no command");
  const std::string command = argv[0];
  int i = 1;
  if (command == "sale" || command == "preauth") {
    out.command = command == "sale" ? Command::kSale : Command::kPreauth;
    if (argc < 2) return bad(command + " needs an AMOUNT in rupees, e.g. 499.00");
    const Result<Money> amount = Money::parse(argv[1]);
    if (!amount.ok() || amount->paise() < 100) {
      return bad(std::string("amount '") + argv[1] + "': give rupees from 1.00 to 1000000.00, e.g. 499 or 499.00");
    }
    out.amount_paise = amount->paise();
    i = 2;
  } else if (command == "recover") {
    out.command = Command::kRecover;
  } else if (command == "capture" || command == "void") {
    out.command = command == "capture" ? Command::kCapture : Command::kVoid;
    if (argc < 2 || argv[1][0] == '-') return bad(command + " needs the ORDER_ID of a pre-authorisation");
    out.order_id = argv[1];
    i = 2;
    if (command == "capture" && argc > 2 && argv[2][0] != '-') {
      const Result<Money> amount = Money::parse(argv[2]);
      if (!amount.ok() || amount->paise() < 100) {
        return bad(std::string("capture amount '") + argv[2] + "': give rupees, e.g. 1500 or 1500.00");
      }
      out.capture_paise = amount->paise();
      i = 3;
    }
  } else if (command == "status") {
    out.command = Command::kStatus;
    if (argc < 2) return bad("status needs an ORDER_ID");
    out.order_id = argv[1];
    i = 2;
  } else if (command == "help" || command == "--help" || command == "-h") {
    out.command = Command::kHelp;
    return Status::Ok();
  } else {
    return bad("unknown command '" + command + "'");
  }
  for (; i < argc; ++i) {
    const std::string opt = argv[i];
    const auto value = [&](std::string& v) -> bool {
      if (i + 1 >= argc) return false;
      v = argv[++i];
      return true;
    };
    std::string v;
    if (opt == "--verbose") {
      out.verbose = true;
      continue;
    }
    if (!value(v)) return bad(opt == "--help" ? "unexpected --help" : opt + " needs a value (or is unknown)");
    if (opt == "--auto-pay" || opt == "--auto-decline" || opt == "--auto-leave") {
      if (out.customer != CustomerAction::kNone) return bad("only one of --auto-pay, --auto-decline, --auto-leave");
      if (!parse_number(v, 3600, out.customer_after_s)) return bad(opt + " takes seconds, 0..3600");
      out.customer = opt == "--auto-pay" ? CustomerAction::kPay
                     : opt == "--auto-decline" ? CustomerAction::kDecline
                                               : CustomerAction::kLeave;
    } else if (opt == "--data-dir") {
      out.data_dir = v;
    } else if (opt == "--terminal") {
      out.terminal_file = v;
    } else if (opt == "--gateway") {
      out.gateway_api = parse_api(v);
      if (!out.gateway_api) {
        return bad("--gateway takes pg or flowwise" +
                   std::string(v.rfind("https://", 0) == 0 ? " (the address is --gateway-url)" : ""));
      }
    } else if (opt == "--gateway-url") {
      out.gateway_url = v;
    } else if (opt == "--ca") {
      out.ca_file = v;
    } else if (opt == "--screens") {
      out.screens_dir = v;
    } else if (opt == "--card") {
      out.card_number = v;
    } else if (opt == "--exp") {
      out.card_expiry = v;
    } else if (opt == "--cvv") {
      out.card_cvv = v;
    } else if (opt == "--name") {
      out.card_name = v;
    } else if (opt == "--card-file") {
      out.card_file = v;
    } else if (opt == "--otp") {
      std::stringstream list(v);
      for (std::string otp; std::getline(list, otp, ',');) {
        if (otp != "resend" && (otp.size() < 4 || otp.size() > 8 || otp.find_first_not_of("0123456789") != std::string::npos))
          return bad("--otp takes 4 to 8 digit OTPs or 'resend', comma-separated");
        out.otps.push_back(otp == "resend" ? "" : otp);
      }
    } else if (opt == "--pgsim-port") {
      std::uint32_t port = 0;
      if (!parse_number(v, 65535, port) || port == 0) return bad("--pgsim-port takes 1..65535");
      out.pgsim_port = static_cast<std::uint16_t>(port);
    } else if (opt == "--qr-lifetime" || opt == "--grace" || opt == "--otp-timeout") {
      std::uint32_t s = 0;
      if (!parse_number(v, engine::SaleTimes::kMaxS, s) || s < engine::SaleTimes::kMinS) {
        return bad(opt + " takes seconds, " + std::to_string(engine::SaleTimes::kMinS) + ".." +
                   std::to_string(engine::SaleTimes::kMaxS));
      }
      (opt == "--qr-lifetime" ? out.qr_lifetime_s : opt == "--grace" ? out.grace_s : out.otp_timeout_s) = s;
    } else {
      return bad("unknown option " + opt);
    }
  }
  if (!out.card_number.empty() && !out.card_file.empty()) return bad("--card or --card-file, not both");
  if (!out.card_number.empty() && (out.card_expiry.empty() || out.card_cvv.empty()))
    return bad("--card needs --exp MM/YY and --cvv");
  if (out.card_number.empty() && (!out.card_expiry.empty() || !out.card_cvv.empty() || !out.card_name.empty()))
    return bad("--exp, --cvv and --name go with --card");
  if (out.command == Command::kPreauth && !out.card_sale()) return bad("preauth needs a card (--card or --card-file)");
  if (!out.otps.empty() && !out.card_sale()) return bad("--otp goes with a card sale");
  if ((out.command == Command::kCapture || out.command == Command::kVoid) && out.card_sale())
    return bad("capture and void need no card: the order's pre-authorisation is used");
  return Status::Ok();
}

Status parse_gateway_url(const std::string& url, gateway::PgConfig& pg) {
  constexpr std::string_view kScheme = "https://";
  if (url.rfind(kScheme, 0) != 0) return Status(Code::kInvalidArgument, "URL must be https");
  std::string rest = url.substr(kScheme.size());
  std::string path;
  if (const std::size_t slash = rest.find('/'); slash != std::string::npos) {
    path = rest.substr(slash);
    rest = rest.substr(0, slash);
  }
  while (!path.empty() && path.back() == '/') path.pop_back();
  std::uint32_t port = 443;
  if (const std::size_t colon = rest.rfind(':'); colon != std::string::npos) {
    if (!parse_number(rest.substr(colon + 1), 65535, port) || port == 0) {
      return Status(Code::kInvalidArgument, "bad port in URL");
    }
    rest = rest.substr(0, colon);
  }
  if (rest.empty() || !pg.host.assign(rest)) return Status(Code::kInvalidArgument, "bad host in URL");
  if (!pg.base_path.assign(path)) return Status(Code::kInvalidArgument, "URL path too long");
  pg.port = static_cast<std::uint16_t>(port);
  return Status::Ok();
}

Status resolve_setup(const CommandLine& cli, SimSetup& s, std::string& error) {
  s.data_dir = !cli.data_dir.empty() ? cli.data_dir : default_data_dir();
  s.terminal_file = !cli.terminal_file.empty() ? cli.terminal_file : s.data_dir + "/terminal.json";
  FixedString<512> file_url, file_ca;
  FixedString<gateway::kClientIdCapacity> file_id;
  FixedString<gateway::kClientSecretCapacity> file_secret;
  POSAGENT_TRY(load_provisioning(s.terminal_file, s, file_url, file_ca, file_id, file_secret, error));
  if (cli.qr_lifetime_s) s.runner.times.order_lifetime_s = *cli.qr_lifetime_s;
  if (cli.grace_s) s.runner.times.grace_s = *cli.grace_s;
  if (cli.otp_timeout_s) s.runner.times.otp_timeout_s = *cli.otp_timeout_s;
  if (cli.gateway_api) s.api = *cli.gateway_api;
  const bool flowwise = s.api == GatewayApi::kFlowwise;

  std::string url = cli.gateway_url;
  if (url.empty()) url = std::string(file_url.view());
  if (url.empty()) url = env("POSAGENT_GATEWAY_URL");
  std::string id = env("CASHFREE_CLIENT_ID");
  std::string secret = env("CASHFREE_CLIENT_SECRET");
  if (id.empty() && secret.empty()) {
    id = std::string(file_id.view());
    secret = std::string(file_secret.view());
  }
  const bool have_credentials = !id.empty() && !secret.empty();
  if (!url.empty()) {
    s.gateway = GatewayKind::kUrl;
  } else if (have_credentials) {
    s.gateway = GatewayKind::kSandbox;
    url = flowwise ? kFlowwiseSandboxUrl : kSandboxUrl;
  } else {
    s.gateway = GatewayKind::kLocalPgsim;
  }

  // pgsim's /pg flags a pre-authorisation per order (Cashfree: per
  // account); Flowwise asks for manual capture on the order itself.
  const auto pgsim_preauth = [&s, flowwise] {
    if (flowwise) return;
    (void)s.order.preauth_tag_key.assign("pgsim_preauth");
    (void)s.order.preauth_tag_value.assign("true");
  };
  if (s.gateway == GatewayKind::kLocalPgsim) {
    (void)s.pg.host.assign("localhost");  // the launcher's port is filled in later
    if (flowwise) (void)s.pg.base_path.assign(kPgsimFlowwisePath);
    (void)s.pg.client_id.assign(kPgsimClientId);
    (void)s.pg.client_secret.assign(kPgsimClientSecret);
    pgsim_preauth();
    return Status::Ok();
  }
  if (const Status u = parse_gateway_url(url, s.pg); !u.ok()) {
    error = "gateway URL '" + url + "': " + u.message();
    return u;
  }
  if (flowwise && s.pg.base_path.empty()) {
    error = "gateway URL '" + url + "': a Flowwise URL needs its path, e.g. https://sandbox.flowwise.com/router";
    return Status(Code::kInvalidArgument, "gateway URL");
  }
  if (s.pg.host == "localhost" || s.pg.host == "127.0.0.1") pgsim_preauth();
  if (!have_credentials) {
    error = "gateway " + url + " needs CASHFREE_CLIENT_ID and CASHFREE_CLIENT_SECRET (or gateway.client_id and "
            "gateway.client_secret in " + s.terminal_file + ")";
    return Status(Code::kInvalidArgument, "no credentials");
  }
  if (!s.pg.client_id.assign(id) || !s.pg.client_secret.assign(secret)) {
    error = "client id or secret too long";
    return Status(Code::kInvalidArgument, "credentials");
  }
  s.ca_file = cli.ca_file;
  if (s.ca_file.empty()) s.ca_file = std::string(file_ca.view());
  if (s.ca_file.empty()) s.ca_file = env("POSAGENT_CA_FILE");
  if (s.ca_file.empty()) s.ca_file = kSystemCaBundle;
  return Status::Ok();
}

}  // namespace posagent::sim
