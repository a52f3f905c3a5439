#include "options.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace pgsim {
namespace {

constexpr const char* kUsage = R"(usage: pgsim [options]
A local, stateful twin of the Cashfree PG sandbox over HTTPS.

  --host ADDR              listen address (default 127.0.0.1)
  --port N                 port; 0 picks a free one (default 8443)
  --data-dir DIR           where the test CA and server certificate live
                           (default build/pgsim under the current directory)
  --state FILE             keep all state in FILE: loaded on start, rewritten
                           atomically after every change
  --client-id ID           merchant credentials accepted on /pg
  --client-secret SECRET     (defaults: pgsim_test_client_id / pgsim_test_client_secret)
  --public-url URL         base of pgsim's pages in intents (default https://localhost:PORT)
  --production-like        UPI intents are upi://pay?... instead of pgsim's pages
  --payee-vpa VPA          payee in intents (default posagent.merchant@pgsim)
  --payee-name NAME        (default "posagent merchant")
  --termination-delay-ms N TERMINATION_REQUESTED -> TERMINATED after N ms (default 1000)
  --collect-settle-ms N    test VPAs settle collect requests after N ms (default 2000)
  --attempt-ttl-ms N       an open payment attempt becomes USER_DROPPED after N ms
                           (default 600000)
  --rate-limit N           requests per minute per rate group, for every API
                           (default: Cashfree's production limits per API)
  --currencies LIST        currencies Create Order accepts, comma-separated
                           (default INR)
  --card-otp OTP           the OTP every sandbox card expects (default 111000)
  --preauth-cards          card payments are authorised only, to be captured
                           or voided later (account-level pre-authorisation)
  --refund-settle-ms N     a refund stays PENDING for N ms (default 2000)
  --webhook-ca FILE        also trust FILE's CAs when sending webhooks (the
                           system's CAs are always trusted)
  --webhook-retry-ms A,B,C delays before webhook retries, each after the
                           previous attempt (default 120000,600000,1800000;
                           empty: no retries)
  --quiet                  no per-request log lines on stderr

On start pgsim prints two lines on stdout:
  pgsim: listening on https://localhost:PORT
  pgsim: ca /absolute/path/ca.pem
)";

[[noreturn]] void usage(int code) {
  std::fputs(kUsage, code == 0 ? stdout : stderr);
  std::exit(code);
}

int64_t to_int(std::string_view opt, const char* v) {
  char* end = nullptr;
  const long long n = std::strtoll(v, &end, 10);
  if (!*v || *end || n < 0) {
    std::fprintf(stderr, "pgsim: %.*s needs a non-negative integer\n", static_cast<int>(opt.size()), opt.data());
    usage(2);
  }
  return n;
}

std::set<std::string> to_currencies(const char* v) {
  std::set<std::string> out;
  std::string item;
  for (const char* p = v;; ++p) {
    if (*p == ',' || *p == '\0') {
      if (item.size() != 3) {
        std::fprintf(stderr, "pgsim: --currencies needs three-letter codes, e.g. INR,USD\n");
        usage(2);
      }
      out.insert(item);
      item.clear();
      if (*p == '\0') return out;
    } else {
      item.push_back(*p);
    }
  }
}

// "A,B,C": non-negative integers; "" is an empty list.
std::vector<int64_t> to_int_list(std::string_view opt, const char* v) {
  std::vector<int64_t> out;
  std::string_view rest = v;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string item(rest.substr(0, comma));
    out.push_back(to_int(opt, item.c_str()));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return out;
}

}  // namespace

Config parse_options(int argc, char** argv) {
  Config c;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "pgsim: %s needs a value\n", argv[i]);
        usage(2);
      }
      return argv[++i];
    };
    if (a == "--help" || a == "-h") usage(0);
    else if (a == "--host") c.host = value();
    else if (a == "--port") {
      const int64_t p = to_int(a, value());
      if (p > 65535) usage(2);
      c.port = static_cast<int>(p);
    } else if (a == "--data-dir") c.data_dir = value();
    else if (a == "--state") c.state_file = std::filesystem::path(value());
    else if (a == "--client-id") c.client_id = value();
    else if (a == "--client-secret") c.client_secret = value();
    else if (a == "--public-url") c.public_url = value();
    else if (a == "--production-like") c.production_like = true;
    else if (a == "--payee-vpa") c.payee_vpa = value();
    else if (a == "--payee-name") c.payee_name = value();
    else if (a == "--termination-delay-ms") c.termination_delay_ms = to_int(a, value());
    else if (a == "--collect-settle-ms") c.collect_settle_ms = to_int(a, value());
    else if (a == "--attempt-ttl-ms") c.attempt_ttl_ms = to_int(a, value());
    else if (a == "--rate-limit") c.rate_limit_per_minute = static_cast<int>(to_int(a, value()));
    else if (a == "--currencies") c.currencies = to_currencies(value());
    else if (a == "--card-otp") c.card_otp = value();
    else if (a == "--preauth-cards") c.preauth_cards = true;
    else if (a == "--refund-settle-ms") c.refund_settle_ms = to_int(a, value());
    else if (a == "--webhook-ca") c.webhook_ca = std::filesystem::path(value());
    else if (a == "--webhook-retry-ms") c.webhook_retry_ms = to_int_list(a, value());
    else if (a == "--quiet") c.quiet = true;
    else {
      std::fprintf(stderr, "pgsim: unknown option %s\n", argv[i]);
      usage(2);
    }
  }
  return c;
}

}  // namespace pgsim
