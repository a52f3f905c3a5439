// Serialises an HTTP/1.1 request into a caller buffer. Everything the caller
// supplies is validated before a byte is written, so a refused request leaves
// the buffer untouched and nothing can reach the wire.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/base/status.hpp"

namespace posagent::http {

enum class Method : std::uint8_t { kGet, kPost, kPatch, kDelete };

std::string_view method_name(Method method);

struct Header {
  std::string_view name;   // an RFC 9110 token
  std::string_view value;  // visible ASCII, SP, HTAB, or obs-text; no CTLs
};

// Bounds what a caller can pile onto one request.
inline constexpr std::size_t kMaxRequestHeaders = 16;

struct Request {
  Method method = Method::kGet;
  // Origin form ("/pg/orders?id=7"), already percent-encoded.
  std::string_view target;
  // Host header value: "api.example.com" or "api.example.com:8443".
  std::string_view host;
  // At most kMaxRequestHeaders, written in order. Host, Content-Length and
  // Transfer-Encoding belong to the writer and are refused here.
  std::span<const Header> headers;
  // Sent with Content-Length. POST and PATCH always carry Content-Length
  // (0 when empty) since some servers answer 411 without it.
  std::span<const std::uint8_t> body;
  // A request that carries secrets (card data, an OTP). HttpClient::exchange
  // zeroizes `secret_source` (the memory the body was built in) as soon as
  // the request is copied into the request buffer, and the request buffer as
  // soon as the request is on the wire, or the send failed; in either case
  // before the first answer byte is read. Its receive slices are wiped once
  // the answer is read (the answer itself is the caller's to wipe).
  bool secret = false;
  std::span<std::uint8_t> secret_source;
};

// Writes the request into `out` and returns its length.
// kInvalidArgument: a bad method, target, host, header name or value (CR, LF,
//   NUL and other control characters are refused: header injection), a
//   reserved header, or more than kMaxRequestHeaders headers.
// kCapacityExceeded: the request does not fit `out`.
// On failure `out` is not modified.
Result<std::size_t> write_request(const Request& request, std::span<char> out);

// ASCII case-insensitive comparison, as header names are compared.
bool equals_ignore_case(std::string_view a, std::string_view b);

}  // namespace posagent::http
