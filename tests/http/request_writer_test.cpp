// No CAPTURE/INFO in these tests: under the host sanitizer build doctest's
// context scopes trip UBSan's vptr check (the runner is built with RTTI, the
// tests without). Loops name the failing case in FAIL_CHECK instead.
#include <doctest/doctest.h>

#include <array>
#include <cstring>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/http/request_writer.hpp"

using posagent::as_bytes;
using posagent::Code;
using posagent::Result;
using posagent::http::Header;
using posagent::http::kMaxRequestHeaders;
using posagent::http::Method;
using posagent::http::Request;
using posagent::http::write_request;

namespace {

std::array<char, 2048> g_out;

// Fills the buffer with a marker so tests can see what was (not) written.
std::span<char> fresh_out(std::size_t size = g_out.size()) {
  g_out.fill('#');
  return std::span<char>(g_out).first(size);
}

bool untouched() {
  for (char c : g_out) {
    if (c != '#') return false;
  }
  return true;
}

std::string_view written(const Result<std::size_t>& r) { return {g_out.data(), *r}; }

constexpr Header kOrderHeaders[] = {
    {"Content-Type", "application/json"},
    {"x-api-version", "2023-08-01"},
    {"x-idempotency-key", "POS-000123-1"},
};

Request order_post() {
  Request r;
  r.method = Method::kPost;
  r.target = "/pg/orders?terminal=T1001";
  r.host = "sandbox.example.com";
  r.headers = kOrderHeaders;
  r.body = as_bytes(R"({"order_amount":10.5})");
  return r;
}

void check_refused(const Request& request, const char* message) {
  const Result<std::size_t> r = write_request(request, fresh_out());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kInvalidArgument);
  CHECK(std::string_view(r.status().message()) == message);
  CHECK(untouched());
}

}  // namespace

TEST_CASE("A POST is written byte for byte: request line, Host, headers in order, Content-Length, body") {
  const Result<std::size_t> r = write_request(order_post(), fresh_out());
  REQUIRE(r.ok());
  CHECK(written(r) ==
        "POST /pg/orders?terminal=T1001 HTTP/1.1\r\n"
        "Host: sandbox.example.com\r\n"
        "Content-Type: application/json\r\n"
        "x-api-version: 2023-08-01\r\n"
        "x-idempotency-key: POS-000123-1\r\n"
        "Content-Length: 21\r\n"
        "\r\n"
        R"({"order_amount":10.5})");
  CHECK(g_out[*r] == '#');  // nothing past the returned length
}

TEST_CASE("GET and DELETE without a body carry no Content-Length; PATCH always does") {
  Request r;
  r.target = "/pg/orders/POS-1/payments";
  r.host = "h";
  Result<std::size_t> n = write_request(r, fresh_out());
  REQUIRE(n.ok());
  CHECK(written(n) == "GET /pg/orders/POS-1/payments HTTP/1.1\r\nHost: h\r\n\r\n");

  r.method = Method::kDelete;
  n = write_request(r, fresh_out());
  REQUIRE(n.ok());
  CHECK(written(n) == "DELETE /pg/orders/POS-1/payments HTTP/1.1\r\nHost: h\r\n\r\n");

  r.method = Method::kPatch;
  n = write_request(r, fresh_out());
  REQUIRE(n.ok());
  CHECK(written(n) == "PATCH /pg/orders/POS-1/payments HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");

  r.method = Method::kPost;
  r.host = "api.example.com:8443";
  r.body = as_bytes(std::string_view("x\0y", 3));  // bytes, not text
  n = write_request(r, fresh_out());
  REQUIRE(n.ok());
  constexpr char kExpected[] =
      "POST /pg/orders/POS-1/payments HTTP/1.1\r\nHost: api.example.com:8443\r\n"
      "Content-Length: 3\r\n\r\nx\0y";
  CHECK(written(n) == std::string_view(kExpected, sizeof(kExpected) - 1));
}

TEST_CASE("Content-Length is the body's exact size in decimal") {
  static std::array<std::uint8_t, 1234> body;
  body.fill('a');
  Request r = order_post();
  r.headers = {};
  r.body = body;
  const Result<std::size_t> n = write_request(r, fresh_out());
  REQUIRE(n.ok());
  CHECK(written(n).find("\r\nContent-Length: 1234\r\n\r\naaa") != std::string_view::npos);
  CHECK(*n == written(n).find("\r\n\r\n") + 4 + 1234);
}

TEST_CASE("Header injection and malformed input are refused with nothing written") {
  Request r = order_post();
  r.target = "/pg/orders\r\nX-Evil: 1";
  check_refused(r, "bad request target");
  r.target = "/pg/orders HTTP/1.0";
  check_refused(r, "bad request target");
  r.target = std::string_view("/pg\0/orders", 11);
  check_refused(r, "bad request target");
  r.target = "pg/orders";
  check_refused(r, "bad request target");
  r.target = "";
  check_refused(r, "bad request target");

  r = order_post();
  r.host = "h\r\nX-Evil: 1";
  check_refused(r, "bad host");
  r.host = "";
  check_refused(r, "bad host");
  r.host = "user@h";
  check_refused(r, "bad host");
  r.host = "h\nX-Evil: 1";
  check_refused(r, "bad host");
  r.host = "h x";
  check_refused(r, "bad host");
  r.host = std::string_view("h\0x", 3);
  check_refused(r, "bad host");
  r.host = "h/path";
  check_refused(r, "bad host");

  struct Bad {
    Header header;
    const char* message;
  };
  const Bad bad[] = {
      {{"X-Note", "a\r\nX-Evil: 1"}, "bad header value"},
      {{"X-Note", "a\nb"}, "bad header value"},
      {{"X-Note", "a\rb"}, "bad header value"},
      {{"X-Note", std::string_view("a\0b", 3)}, "bad header value"},
      {{"X-Note", "a\x7f"}, "bad header value"},
      {{"X-Evil\r\nX-Note", "a"}, "bad header name"},
      {{std::string_view("X\0N", 3), "a"}, "bad header name"},
      {{"", "a"}, "bad header name"},
      {{"X Note", "a"}, "bad header name"},
      {{"X-Note:", "a"}, "bad header name"},
      {{"Content-Length", "5"}, "reserved header"},
      {{"HOST", "evil.example"}, "reserved header"},
      {{"transfer-encoding", "chunked"}, "reserved header"},
  };
  for (const Bad& b : bad) {
    const Header headers[] = {{"Accept", "application/json"}, b.header};
    r = order_post();
    r.headers = headers;
    check_refused(r, b.message);
  }

  r = order_post();
  r.method = static_cast<Method>(42);
  check_refused(r, "bad HTTP method");
}

TEST_CASE("Tabs, spaces and obs-text are fine inside a header value; empty values too") {
  const Header headers[] = {{"X-Note", "a\tb c \xc3\xa9"}, {"X-Empty", ""}};
  Request r = order_post();
  r.headers = headers;
  r.body = {};
  const Result<std::size_t> n = write_request(r, fresh_out());
  REQUIRE(n.ok());
  CHECK(written(n).find("\r\nX-Note: a\tb c \xc3\xa9\r\nX-Empty: \r\nContent-Length: 0\r\n\r\n") !=
        std::string_view::npos);
}

TEST_CASE("More than kMaxRequestHeaders headers are refused") {
  std::array<Header, kMaxRequestHeaders + 1> headers;
  headers.fill({"X-Fill", "1"});
  Request r = order_post();
  r.headers = std::span<const Header>(headers).first(kMaxRequestHeaders);
  CHECK(write_request(r, fresh_out()).ok());
  r.headers = headers;
  check_refused(r, "too many headers");
}

TEST_CASE("A request that does not fit is refused and the buffer left untouched") {
  const Result<std::size_t> full = write_request(order_post(), fresh_out());
  REQUIRE(full.ok());
  CHECK(write_request(order_post(), fresh_out(*full)).ok());  // exactly fits
  for (std::size_t size = 0; size < *full; ++size) {
    const Result<std::size_t> r = write_request(order_post(), fresh_out(size));
    if (r.ok() || r.status().code() != Code::kCapacityExceeded || !untouched()) {
      FAIL_CHECK("not refused cleanly with a buffer of " << size << " bytes");
    }
  }
}
