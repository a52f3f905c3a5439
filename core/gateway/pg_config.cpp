#include "core/gateway/pg_config.hpp"

#include <initializer_list>

namespace posagent::gateway {

namespace {

constexpr Status kBadConfig(Code::kInvalidArgument, "Check settings");
constexpr Status kBadTerminal(Code::kInvalidArgument, "Check terminal setup");

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// Visible ASCII only: these values go into headers and the Host line.
bool is_visible_ascii(std::string_view text) {
  for (char c : text) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

bool one_of(std::string_view value, std::initializer_list<std::string_view> accepted) {
  for (std::string_view a : accepted) {
    if (value == a) return true;
  }
  return false;
}

// YYYY-MM-DD, digits where digits belong (the gateway checks the date itself).
bool is_api_version(std::string_view v) {
  if (v.size() != 10 || v[4] != '-' || v[7] != '-') return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i != 4 && i != 7 && !is_digit(v[i])) return false;
  }
  return true;
}

}  // namespace

Status PgConfig::validate() const {
  if (host.empty() || !is_visible_ascii(host.view())) return kBadConfig;
  if (port == 0) return kBadConfig;
  // The base path is joined with "/orders...": it must start with '/' and
  // not end with one ("/" alone would give "//orders").
  const std::string_view base = base_path.view();
  if (base.size() < 2 || base.front() != '/' || base.back() == '/' || !is_visible_ascii(base)) return kBadConfig;
  if (!is_api_version(api_version.view())) return kBadConfig;
  if (client_id.empty() || !is_visible_ascii(client_id.view())) return kBadConfig;
  if (client_secret.empty() || !is_visible_ascii(client_secret.view())) return kBadConfig;
  // The values Cashfree's Order Pay accepts (current docs); anything else
  // would be refused on every payment.
  if (!one_of(client.device.view(), {"mobile", "desktop", "tablet"})) return kBadConfig;
  if (!one_of(client.os.view(), {"android", "ios", "windows", "macos", "linux", "others"})) return kBadConfig;
  if (!one_of(client.rendering_type.view(), {"mweb", "webview", "native"})) return kBadConfig;
  if (!one_of(client.browser.view(), {"safari", "chrome", "firefox", "edge", "others"})) return kBadConfig;
  return Status::Ok();
}

Status TerminalProvisioning::validate() const {
  if (terminal_type.empty()) return Status::Ok();  // no terminal object is sent
  if (terminal_type.size() < 4) return kBadTerminal;
  if (terminal_phone_no.empty() && cf_terminal_id.empty()) return kBadTerminal;
  if (!terminal_phone_no.empty() && (terminal_phone_no.size() != kPhoneLength || !all_digits(terminal_phone_no.view()))) {
    return kBadTerminal;
  }
  if (!cf_terminal_id.empty() && !all_digits(cf_terminal_id.view())) return kBadTerminal;
  if (!terminal_id.empty() && terminal_id.size() < 3) return kBadTerminal;
  return Status::Ok();
}

}  // namespace posagent::gateway
