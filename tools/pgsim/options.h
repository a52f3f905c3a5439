// pgsim's command line. Every option has a default good for tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pgsim {

struct Config {
  std::string host = "127.0.0.1";
  int port = 8443;                                  // 0: any free port
  std::filesystem::path data_dir = "build/pgsim";   // PKI files
  std::optional<std::filesystem::path> state_file;  // persistence, off by default
  std::string client_id = "pgsim_test_client_id";
  std::string client_secret = "pgsim_test_client_secret";
  std::string public_url;  // base of pages in intents; default https://localhost:PORT
  bool production_like = false;  // upi:// intents instead of links to pgsim's pages
  std::string payee_vpa = "posagent.merchant@pgsim";
  std::string payee_name = "posagent merchant";
  // Create Order rejects amounts at or above this (paise). The order-pay
  // error table says the amount must be below 1,000,000.
  int64_t max_amount_paise = 1'000'000LL * 100;
  int64_t default_expiry_ms = 30LL * 24 * 3600 * 1000;  // examples show ~30 days
  // TERMINATION_REQUESTED becomes TERMINATED this long after the PATCH; any
  // attempt still open then is CANCELLED. A success before it wins (PAID).
  int64_t termination_delay_ms = 1000;
  // testsuccess@gocash / testfailure@gocash collect requests settle after this.
  int64_t collect_settle_ms = 2000;
  // An attempt left open this long (the customer never approved it) becomes
  // USER_DROPPED. Cashfree does not publish its transaction time limit; the
  // softPOS terminal transactions' example timeout is 300000 ms.
  int64_t attempt_ttl_ms = 10LL * 60 * 1000;
  // Requests per minute allowed per rate group; 0 uses Cashfree's documented
  // production defaults (see the route tables).
  int rate_limit_per_minute = 0;
  int64_t idempotency_ttl_ms = 24LL * 3600 * 1000;
  size_t request_log_capacity = 2000;
  bool quiet = false;  // no per-request lines on stderr
  // Currencies Create Order accepts; others are order_currency_invalid.
  std::set<std::string> currencies = {"INR"};
  // The sandbox's Native OTP and 3-D Secure OTP for every test card.
  std::string card_otp = "111000";
  // Account-level pre-authorisation: successful card payments are
  // authorised only, and captured or voided with POST /orders/{id}/authorization.
  bool preauth_cards = false;
  // A refund stays PENDING this long, then reaches its outcome.
  int64_t refund_settle_ms = 2000;
  // Webhooks are sent over HTTPS with the certificate checked against the
  // system's CAs plus this file (e.g. pgsim's own ca.pem, for test receivers).
  std::optional<std::filesystem::path> webhook_ca;
  // Delays before each retry of an undelivered webhook, each counted from
  // the previous attempt: Cashfree's default 2, 10 and 30 minutes.
  std::vector<int64_t> webhook_retry_ms = {2 * 60 * 1000, 10 * 60 * 1000, 30 * 60 * 1000};
};

// Parses argv; prints usage and exits on --help or a bad option.
Config parse_options(int argc, char** argv);

}  // namespace pgsim
