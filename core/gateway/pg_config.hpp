// Configuration of the Cashfree PG client: where the gateway is, which API
// version and credentials to use, the device environment Order Pay declares,
// and the terminal this device is (sent on every order it creates).
//
// Both are plain values with fixed capacities, loaded once (from storage or
// the firmware's configuration) and kept for the life of the client. Nothing
// here prints itself: the client secret must never reach a log line, so
// code that logs configuration names fields one by one (and wraps the secret
// in posagent::Secret).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/status.hpp"

namespace posagent::gateway {

inline constexpr std::size_t kHostCapacity = 128;
inline constexpr std::size_t kBasePathCapacity = 32;
inline constexpr std::size_t kApiVersionCapacity = 10;  // "YYYY-MM-DD"
inline constexpr std::size_t kClientIdCapacity = 64;
inline constexpr std::size_t kClientSecretCapacity = 128;
inline constexpr std::size_t kClientEnvCapacity = 8;

// Order Pay's NPCI client-environment headers (x-client-device, x-client-os,
// x-client-rendering-type, x-client-browser). The defaults describe a
// softPOS app on Android drawing its own screens.
struct ClientEnvironment {
  FixedString<kClientEnvCapacity> device{"mobile"};          // mobile | desktop | tablet
  FixedString<kClientEnvCapacity> os{"android"};             // android | ios | windows | macos | linux | others
  FixedString<kClientEnvCapacity> rendering_type{"native"};  // mweb | webview | native
  FixedString<kClientEnvCapacity> browser{"others"};         // safari | chrome | firefox | edge | others
};

struct PgConfig {
  // "sandbox.cashfree.com", "api.cashfree.com", or "localhost" for pgsim.
  FixedString<kHostCapacity> host;
  std::uint16_t port = 443;
  // Prefix of every path: "/pg" (no trailing '/').
  FixedString<kBasePathCapacity> base_path{"/pg"};
  FixedString<kApiVersionCapacity> api_version{"2025-01-01"};
  FixedString<kClientIdCapacity> client_id;
  FixedString<kClientSecretCapacity> client_secret;  // never logged
  ClientEnvironment client;

  // kInvalidArgument "Check settings"-class problems, before anything is
  // sent: empty host/credentials, a base path not starting with '/', an API
  // version not shaped YYYY-MM-DD, a client-environment value Cashfree does
  // not accept.
  Status validate() const;
};

inline constexpr std::size_t kTerminalTypeCapacity = 10;   // spec: 4..10
inline constexpr std::size_t kTerminalIdCapacity = 100;    // spec: 3..100
inline constexpr std::size_t kPhoneLength = 10;            // exactly 10 digits
inline constexpr std::size_t kCfTerminalIdCapacity = 18;   // digits (int64 in later versions)
inline constexpr std::size_t kTerminalNameCapacity = 64;
inline constexpr std::size_t kTerminalAddressCapacity = 128;
inline constexpr std::size_t kTerminalNoteCapacity = 128;

// The softPOS terminal (`terminal` object of Create Order). Cashfree needs
// terminal_type and either terminal_phone_no or cf_terminal_id; the rest is
// sent when not empty.
struct TerminalProvisioning {
  // "SPOS" for a softPOS device. Empty: orders are created without a
  // `terminal` object (a non-softPOS integration).
  FixedString<kTerminalTypeCapacity> terminal_type{"SPOS"};
  FixedString<kTerminalIdCapacity> terminal_id;          // our own reference
  FixedString<kPhoneLength> terminal_phone_no;           // 10 digits, or empty
  FixedString<kCfTerminalIdCapacity> cf_terminal_id;     // Cashfree's id (digits), or empty
  FixedString<kTerminalNameCapacity> terminal_name;
  FixedString<kTerminalAddressCapacity> terminal_address;
  FixedString<kTerminalNoteCapacity> terminal_note;

  // kInvalidArgument: a type outside 4..10 characters, neither phone nor
  // cf_terminal_id, a phone that is not 10 digits, a cf_terminal_id that is
  // not digits, a terminal_id outside 3..100 characters.
  Status validate() const;
};

}  // namespace posagent::gateway
