// Configuration of the Flowwise client: where the router is, the merchant's
// credentials, and how long one call may take.
//
// Flowwise authenticates every call, Create Payment included, with
// x-client-id and x-client-secret, and its samples carry no x-api-version
// (cashfree-api.md §14), so there is neither a version nor NPCI client
// headers here. Like PgConfig it is a plain value loaded once; nothing here
// prints itself (the secret must never reach a log line).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/status.hpp"
#include "core/gateway/pg_config.hpp"
#include "hal/clock.hpp"

namespace posagent::flowwise {

inline constexpr std::size_t kBaseUrlCapacity = 160;
// The path is joined with ids into one request target; this bounds it.
inline constexpr std::size_t kBasePathMaxLength = 48;
inline constexpr std::string_view kSandboxBaseUrl = "https://sandbox.flowwise.com/router";
inline constexpr std::string_view kProductionBaseUrl = "https://app.flowwise.com/router";

// A base URL's pieces, as views into its text.
struct BaseUrl {
  std::string_view host;       // "sandbox.flowwise.com", "localhost"
  std::uint16_t port = 443;
  std::string_view authority;  // the Host header: host, or host:port as written
  std::string_view path;       // "/router": starts with '/', does not end with one
};

// "https://" host [":" port] path. kInvalidArgument "Check settings" for
// anything else: another scheme (TLS is never optional), user info, a query
// or fragment, a host that is not letters, digits, '-' and '.', a port
// outside 1..65535, a path that is missing, "/", ends with '/' or is longer
// than kBasePathMaxLength.
Result<BaseUrl> parse_base_url(std::string_view url);

// Bounds of a call's time: below a second a TLS handshake cannot finish;
// above two minutes a customer has walked away.
inline constexpr hal::Millis kMinTimeoutMs = 1'000;
inline constexpr hal::Millis kMaxTimeoutMs = 120'000;

struct FlowwiseConfig {
  FixedString<kBaseUrlCapacity> base_url{kSandboxBaseUrl};
  FixedString<gateway::kClientIdCapacity> client_id;
  FixedString<gateway::kClientSecretCapacity> client_secret;  // never logged
  // GETs change nothing and answer from the router's own records; POSTs may
  // wait on a processor or bank, so they get longer.
  hal::Millis read_timeout_ms = 15'000;
  hal::Millis write_timeout_ms = 30'000;

  // kInvalidArgument "Check settings": a base URL parse_base_url refuses,
  // empty or non-visible credentials, a timeout outside
  // kMinTimeoutMs..kMaxTimeoutMs.
  Status validate() const;
};

}  // namespace posagent::flowwise
