#include "core/flowwise/fw_config.hpp"

namespace posagent::flowwise {

namespace {

constexpr Status kBadConfig(Code::kInvalidArgument, "Check settings");
constexpr std::string_view kScheme = "https://";

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// DNS names and IPv4 literals. Mbed TLS checks the certificate against this
// name, so nothing more exotic (IPv6 literals, IDNs) is accepted.
bool is_host(std::string_view host) {
  if (host.empty() || host.size() > gateway::kHostCapacity) return false;
  for (char c : host) {
    if (!is_alnum(c) && c != '-' && c != '.') return false;
  }
  return true;
}

// Visible ASCII without the characters that would end a path.
bool is_path(std::string_view path) {
  if (path.size() < 2 || path.size() > kBasePathMaxLength) return false;
  if (path.front() != '/' || path.back() == '/') return false;
  for (char c : path) {
    if (c <= ' ' || c > '~' || c == '?' || c == '#' || c == '%') return false;
  }
  return true;
}

bool is_credential(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

bool is_timeout(hal::Millis ms) { return ms >= kMinTimeoutMs && ms <= kMaxTimeoutMs; }

}  // namespace

Result<BaseUrl> parse_base_url(std::string_view url) {
  if (!url.starts_with(kScheme)) return kBadConfig;
  const std::string_view rest(url.data() + kScheme.size(), url.size() - kScheme.size());
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return kBadConfig;
  BaseUrl out;
  out.authority = std::string_view(rest.data(), slash);
  out.path = std::string_view(rest.data() + slash, rest.size() - slash);
  out.host = out.authority;
  const std::size_t colon = out.authority.find(':');
  if (colon != std::string_view::npos) {
    out.host = std::string_view(out.authority.data(), colon);
    const std::string_view digits(out.authority.data() + colon + 1, out.authority.size() - colon - 1);
    if (digits.empty() || digits.size() > 5) return kBadConfig;
    std::uint32_t port = 0;
    for (char c : digits) {
      if (!is_digit(c)) return kBadConfig;
      port = port * 10 + static_cast<std::uint32_t>(c - '0');
    }
    if (port == 0 || port > 65535) return kBadConfig;
    out.port = static_cast<std::uint16_t>(port);
  }
  // '@' (user info) fails is_host too.
  if (!is_host(out.host) || !is_path(out.path)) return kBadConfig;
  return out;
}

Status FlowwiseConfig::validate() const {
  if (!parse_base_url(base_url.view()).ok()) return kBadConfig;
  if (!is_credential(client_id.view()) || !is_credential(client_secret.view())) return kBadConfig;
  if (!is_timeout(read_timeout_ms) || !is_timeout(write_timeout_ms)) return kBadConfig;
  return Status::Ok();
}

}  // namespace posagent::flowwise
