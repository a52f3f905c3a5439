#include "core/http/request_writer.hpp"

#include <cstring>

namespace posagent::http {
namespace {

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool is_visible_ascii(char c) { return c > 0x20 && c < 0x7f; }

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

// Refuses every control character but HTAB: CR/LF would end the header line
// early (injection), NUL truncates in C peers, the rest are invalid anyway.
bool valid_value(std::string_view value) {
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) return false;
  }
  return true;
}

// Origin form only; a space or control byte would break the request line.
bool valid_target(std::string_view target) {
  if (target.empty() || target.front() != '/') return false;
  for (char c : target) {
    if (!is_visible_ascii(c)) return false;
  }
  return true;
}

bool valid_host(std::string_view host) {
  if (host.empty()) return false;
  for (char c : host) {
    if (!is_visible_ascii(c) || c == '/' || c == '?' || c == '#' || c == '@') return false;
  }
  return true;
}

// Framing headers are the writer's: a second Content-Length or a
// Transfer-Encoding from the caller would make the message ambiguous.
bool reserved_name(std::string_view name) {
  return equals_ignore_case(name, "host") || equals_ignore_case(name, "content-length") ||
         equals_ignore_case(name, "transfer-encoding");
}

// Appends to a buffer, or only counts when there is none (the sizing pass).
class Writer {
 public:
  explicit Writer(std::span<char> out) : out_(out) {}
  void put(std::string_view text) {
    if (text.empty()) return;  // memcpy must not see a null pointer
    if (!out_.empty()) std::memcpy(out_.data() + length_, text.data(), text.size());
    length_ += text.size();
  }
  void put_decimal(std::size_t n) {
    char digits[20];
    std::size_t count = 0;
    do {
      digits[sizeof(digits) - 1 - count++] = static_cast<char>('0' + n % 10);
      n /= 10;
    } while (n != 0);
    put({digits + sizeof(digits) - count, count});
  }
  std::size_t length() const { return length_; }

 private:
  std::span<char> out_;
  std::size_t length_ = 0;
};

void serialise(const Request& request, Writer& w) {
  w.put(method_name(request.method));
  w.put(" ");
  w.put(request.target);
  w.put(" HTTP/1.1\r\nHost: ");
  w.put(request.host);
  w.put("\r\n");
  for (const Header& h : request.headers) {
    w.put(h.name);
    w.put(": ");
    w.put(h.value);
    w.put("\r\n");
  }
  if (!request.body.empty() || request.method == Method::kPost || request.method == Method::kPatch) {
    w.put("Content-Length: ");
    w.put_decimal(request.body.size());
    w.put("\r\n");
  }
  w.put("\r\n");
  w.put({reinterpret_cast<const char*>(request.body.data()), request.body.size()});
}

}  // namespace

std::string_view method_name(Method method) {
  switch (method) {
    case Method::kGet: return "GET";
    case Method::kPost: return "POST";
    case Method::kPatch: return "PATCH";
    case Method::kDelete: return "DELETE";
  }
  return {};
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

Result<std::size_t> write_request(const Request& request, std::span<char> out) {
  if (method_name(request.method).empty()) return Status(Code::kInvalidArgument, "bad HTTP method");
  if (!valid_target(request.target)) return Status(Code::kInvalidArgument, "bad request target");
  if (!valid_host(request.host)) return Status(Code::kInvalidArgument, "bad host");
  if (request.headers.size() > kMaxRequestHeaders) return Status(Code::kInvalidArgument, "too many headers");
  for (const Header& h : request.headers) {
    if (!valid_name(h.name)) return Status(Code::kInvalidArgument, "bad header name");
    if (!valid_value(h.value)) return Status(Code::kInvalidArgument, "bad header value");
    if (reserved_name(h.name)) return Status(Code::kInvalidArgument, "reserved header");
  }

  // Size first, so a request that does not fit leaves `out` untouched.
  Writer sizing({});
  serialise(request, sizing);
  if (sizing.length() > out.size()) return Status(Code::kCapacityExceeded, "request too large");

  Writer writer(out);
  serialise(request, writer);
  return writer.length();
}

}  // namespace posagent::http
