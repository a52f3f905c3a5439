// No CAPTURE/INFO in these tests: under the host sanitizer build doctest's
// context scopes trip UBSan's vptr check (the runner is built with RTTI, the
// tests without). Loops report their failing case with FAIL_CHECK instead.
#include <doctest/doctest.h>

#include <llhttp.h>

#include <array>
#include <cstring>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/http/response_parser.hpp"

using posagent::as_bytes;
using posagent::Code;
using posagent::FixedString;
using posagent::Result;
using posagent::Status;
using posagent::http::HeaderCapture;
using posagent::http::kHeaderValueCapacity;
using posagent::http::kMaxHeaderBytes;
using posagent::http::kMaxHeaderLines;
using posagent::http::Response;
using posagent::http::ResponseParser;

namespace {

constexpr std::string_view kWantedNames[] = {
    "content-type",      "x-request-id",           "x-ratelimit-retry", "x-ratelimit-remaining",
    "x-ratelimit-limit", "x-idempotency-replayed", "retry-after",       "location",
};

std::array<HeaderCapture, 8> g_wanted;
std::array<std::uint8_t, 256> g_body;
ResponseParser g_parser;
FixedString<12 * 1024> g_text;  // responses built by tests

// A fresh response over the static buffers, with a body capacity of `capacity`.
Response fresh_response(std::size_t capacity = g_body.size()) {
  for (std::size_t i = 0; i < g_wanted.size(); ++i) g_wanted[i] = HeaderCapture{kWantedNames[i], {}, false};
  return Response(g_wanted, std::span<std::uint8_t>(g_body).first(capacity));
}

struct Parsed {
  Status status;
  std::size_t consumed = 0;
};

// Feeds `text` as the transport would: a first slice of `first` bytes, then
// slices of `slice` bytes (0: the rest at once), until the parser completes
// or fails; then, with `eof`, tells it the peer closed.
Parsed parse(Response& response, std::string_view text, std::size_t first = 0, std::size_t slice = 0,
             bool eof = false) {
  Parsed out;
  out.status = g_parser.begin(response);
  if (!out.status.ok()) return out;
  std::size_t at = 0;
  bool first_slice = true;
  while (at < text.size() && !g_parser.complete()) {
    std::size_t n = first_slice && first != 0 ? first : slice;
    if (n == 0 || n > text.size() - at) n = text.size() - at;
    first_slice = false;
    const Result<std::size_t> used = g_parser.feed(as_bytes(text.substr(at, n)));
    if (!used.ok()) {
      out.status = used.status();
      return out;
    }
    out.consumed += *used;
    at += n;
  }
  if (eof) out.status = g_parser.finish();
  return out;
}

void check_fails(const Parsed& p, Code code, const char* message) {
  CHECK(p.status.code() == code);
  CHECK(std::string_view(p.status.message()) == message);
  CHECK(std::strlen(p.status.message()) <= 20);
  CHECK_FALSE(g_parser.complete());
}

constexpr std::string_view kCreated =
    "HTTP/1.1 201 Created\r\n"
    "Content-Type: application/json\r\n"
    "X-Request-ID: req-42\r\n"
    "Server: gateway\r\n"
    "X-RATELIMIT-REMAINING:  99 \t \r\n"
    "X-Other: not wanted\r\n"
    "Content-Length: 23\r\n"
    "\r\n"
    R"({"order_status":"PAID"})";

constexpr std::string_view kChunked =
    "HTTP/1.1 200 OK\r\n"
    "Transfer-Encoding: chunked\r\n"
    "x-request-id: req-7\r\n"
    "\r\n"
    "5\r\nhello\r\n"
    "7;ext=1\r\n, world\r\n"
    "0\r\n"
    "X-Request-Id: from-trailer\r\n"
    "\r\n";

// The first way a parse differs from the expected outcome, or nullptr.
const char* created_problem(const Response& r, const Parsed& p) {
  if (!p.status.ok()) return p.status.message();
  if (p.consumed != kCreated.size()) return "consumed";
  if (!r.complete() || !g_parser.keep_alive()) return "not complete/keep-alive";
  if (r.status_code() != 201) return "status code";
  if (r.body_text() != R"({"order_status":"PAID"})") return "body";
  if (r.header("content-type") != "application/json") return "content-type";
  if (r.header("X-Request-Id") != "req-42") return "x-request-id";
  if (r.header("x-ratelimit-remaining") != "99") return "x-ratelimit-remaining";
  if (r.header("retry-after") || r.header("server") || r.header("x-other")) return "extra header";
  return nullptr;
}

const char* chunked_problem(const Response& r, const Parsed& p) {
  if (!p.status.ok()) return p.status.message();
  if (p.consumed != kChunked.size()) return "consumed";
  if (!r.complete() || r.status_code() != 200) return "not complete/status";
  if (r.body_text() != "hello, world") return "body";
  if (r.header("x-request-id") != "req-7") return "x-request-id";  // the trailer must not override it
  if (r.header("content-type")) return "extra header";
  return nullptr;
}

const char* fails_problem(const Parsed& p, Code code, const char* message) {
  if (p.status.code() != code) return p.status.message();
  if (std::string_view(p.status.message()) != message) return p.status.message();
  if (g_parser.complete()) return "complete after failure";
  return nullptr;
}

// Reports a problem found in iteration k of a loop.
void expect_none(const char* problem, const char* what, std::size_t k) {
  if (problem != nullptr) FAIL_CHECK(what << " " << k << ": " << problem);
}

void check_created(const Response& r, const Parsed& p) {
  REQUIRE(p.status.ok());
  CHECK(p.consumed == kCreated.size());
  CHECK(r.complete());
  CHECK(g_parser.keep_alive());
  CHECK(r.status_code() == 201);
  CHECK(r.body_text() == R"({"order_status":"PAID"})");
  CHECK(r.header("content-type") == "application/json");
  CHECK(r.header("X-Request-Id") == "req-42");
  CHECK(r.header("x-ratelimit-remaining") == "99");
  CHECK_FALSE(r.header("retry-after").has_value());  // wanted, absent
  CHECK_FALSE(r.header("server").has_value());       // present, not wanted
  CHECK_FALSE(r.header("x-other").has_value());
}

void check_chunked(const Response& r, const Parsed& p) {
  REQUIRE(p.status.ok());
  CHECK(p.consumed == kChunked.size());
  CHECK(r.complete());
  CHECK(r.status_code() == 200);
  CHECK(r.body_text() == "hello, world");
  CHECK(r.header("x-request-id") == "req-7");  // the trailer does not override it
  CHECK_FALSE(r.header("content-type").has_value());
}

// "HTTP/1.1 200 OK" with one wanted header of the given value and an empty body.
std::string_view with_request_id(std::string_view value) {
  g_text.clear();
  g_text.append("HTTP/1.1 200 OK\r\nX-Request-Id: ");
  g_text.append(value);
  g_text.append("\r\nContent-Length: 0\r\n\r\n");
  return g_text.view();
}

}  // namespace

TEST_CASE("A Content-Length response is parsed however the bytes are sliced") {
  Response r = fresh_response();
  SUBCASE("all at once") { check_created(r, parse(r, kCreated)); }
  SUBCASE("one byte at a time") { check_created(r, parse(r, kCreated, 0, 1)); }
  SUBCASE("split at every byte boundary") {
    for (std::size_t k = 1; k < kCreated.size(); ++k) {
      expect_none(created_problem(r, parse(r, kCreated, k)), "split at", k);
    }
  }
}

TEST_CASE("A chunked response is de-chunked however the bytes are sliced") {
  Response r = fresh_response();
  check_chunked(r, parse(r, kChunked));
  check_chunked(r, parse(r, kChunked, 0, 1));
  for (std::size_t k = 1; k < kChunked.size(); ++k) {
    expect_none(chunked_problem(r, parse(r, kChunked, k)), "split at", k);
  }
}

TEST_CASE("A body delimited by the connection close completes at EOF") {
  constexpr std::string_view text = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end";
  Response r = fresh_response();
  for (std::size_t k = 1; k < text.size(); ++k) {
    const Parsed p = parse(r, text, k);
    const bool early = g_parser.complete();  // only EOF can end this body
    const Status s = g_parser.finish();
    const bool good = p.status.ok() && !early && s.ok() && r.complete() && r.body_text() == "until the end" &&
                      r.header("content-type") == "text/plain" && !g_parser.keep_alive();
    expect_none(good ? nullptr : "wrong result", "split at", k);
  }
  const Parsed p = parse(r, text, 0, 0, true);
  REQUIRE(p.status.ok());
  CHECK(r.body_text() == "until the end");
  CHECK_FALSE(g_parser.keep_alive());
}

TEST_CASE("Parsing stops at the end of the response; what follows is not consumed") {
  g_text.clear();
  g_text.append(kCreated);
  g_text.append("HTTP/1.1 200 OK\r\n");
  Response r = fresh_response();
  const Parsed p = parse(r, g_text.view());
  REQUIRE(p.status.ok());
  CHECK(p.consumed == kCreated.size());
  const Result<std::size_t> again = g_parser.feed(as_bytes("more"));
  REQUIRE(again.ok());
  CHECK(*again == 0);
}

TEST_CASE("Keep-alive follows the response: HTTP/1.1 default, Connection: close, HTTP/1.0") {
  Response r = fresh_response();
  REQUIRE(parse(r, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").status.ok());
  CHECK(g_parser.keep_alive());
  REQUIRE(parse(r, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").status.ok());
  CHECK_FALSE(g_parser.keep_alive());
  REQUIRE(parse(r, "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").status.ok());
  CHECK_FALSE(g_parser.keep_alive());
  REQUIRE(parse(r, "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").status.ok());
  CHECK(g_parser.keep_alive());
}

TEST_CASE("A wanted header value fills its buffer exactly, trailing whitespace aside, and no further") {
  const std::string_view max(
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  REQUIRE(max.size() == kHeaderValueCapacity);
  Response r = fresh_response();

  g_text.clear();
  g_text.append(max);
  g_text.append(" \t  ");
  const FixedString<80> padded(g_text.view());
  for (std::size_t k = 1; k < 60; ++k) {
    Parsed p = parse(r, with_request_id(max), 0, k);
    expect_none(p.status.ok() && r.header("x-request-id") == max ? nullptr : p.status.message(), "slices of", k);
    p = parse(r, with_request_id(padded.view()), 0, k);
    expect_none(p.status.ok() && r.header("x-request-id") == max ? nullptr : p.status.message(), "padded, slices of",
                k);
  }

  g_text.clear();
  g_text.append(max);
  g_text.append("X");
  const FixedString<80> over(g_text.view());
  check_fails(parse(r, with_request_id(over.view())), Code::kCapacityExceeded, "header too long");
  // Whitespace that turns out to be inside the value counts.
  g_text.clear();
  g_text.append(max);
  g_text.append(" X");
  const FixedString<80> inner(g_text.view());
  check_fails(parse(r, with_request_id(inner.view()), 0, 1), Code::kCapacityExceeded, "header too long");
  // An unwanted header may be longer than any wanted value.
  g_text.clear();
  g_text.append("HTTP/1.1 200 OK\r\nX-Unwanted: ");
  g_text.append(over.view());
  g_text.append(over.view());
  g_text.append("\r\nContent-Length: 0\r\n\r\n");
  CHECK(parse(r, g_text.view()).status.ok());
}

TEST_CASE("Repeated wanted header lines are combined; empty values are present") {
  Response r = fresh_response();
  for (std::size_t slice : {std::size_t{0}, std::size_t{1}, std::size_t{3}}) {
    const Parsed p = parse(r,
                           "HTTP/1.1 429 Too Many Requests\r\n"
                           "Retry-After: 5\r\nretry-after: 7 \r\nX-Ratelimit-Limit:\r\n"
                           "Location:\r\nlocation: /a\r\nLOCATION:  \r\n"
                           "Content-Length: 0\r\n\r\n",
                           0, slice);
    REQUIRE(p.status.ok());
    CHECK(r.status_code() == 429);
    CHECK(r.header("retry-after") == "5, 7");
    CHECK(r.header("location") == "/a");  // empty lines add no empty elements
    REQUIRE(r.header("x-ratelimit-limit").has_value());
    CHECK(r.header("x-ratelimit-limit")->empty());
  }
  // The joined value must fit as a whole.
  g_text.clear();
  g_text.append("HTTP/1.1 200 OK\r\n");
  for (int i = 0; i < 7; ++i) g_text.append("X-Request-Id: 12345678\r\n");  // 7 * 8 + 6 * 2 = 68
  g_text.append("Content-Length: 0\r\n\r\n");
  check_fails(parse(r, g_text.view()), Code::kCapacityExceeded, "header too long");
}

TEST_CASE("A header flood is refused: too many lines or too many bytes") {
  Response r = fresh_response();
  auto lines = [](std::size_t count) {
    g_text.clear();
    g_text.append("HTTP/1.1 200 OK\r\n");
    for (std::size_t i = 1; i < count; ++i) g_text.append("X-Fill: 1\r\n");
    g_text.append("Content-Length: 0\r\n\r\n");
    return g_text.view();
  };
  CHECK(parse(r, lines(kMaxHeaderLines)).status.ok());
  check_fails(parse(r, lines(kMaxHeaderLines + 1)), Code::kCapacityExceeded, "header flood");

  auto big = [](std::string_view head, char fill, std::string_view tail) {
    g_text.clear();
    g_text.append(head);
    while (g_text.size() < kMaxHeaderBytes + 100) g_text.push_back(fill);
    g_text.append(tail);
    return g_text.view();
  };
  // Each case can only be caught by one of the parser's checks: a callback
  // that sees a span ending past the limit, or the count of bytes fed.
  SUBCASE("one long value, the last header, in one slice") {
    const std::string_view text = big("HTTP/1.1 204 No Content\r\nX-Big: ", 'v', "\r\n\r\n");
    check_fails(parse(r, text), Code::kCapacityExceeded, "header flood");
  }
  SUBCASE("one long name, in one slice") {
    const std::string_view text = big("HTTP/1.1 204 No Content\r\nX-", 'n', ": v\r\n\r\n");
    check_fails(parse(r, text), Code::kCapacityExceeded, "header flood");
  }
  SUBCASE("a long status line that never ends") {
    const std::string_view text = big("HTTP/1.1 200 O", 'K', "");
    check_fails(parse(r, text, 0, 100), Code::kCapacityExceeded, "header flood");
  }
  SUBCASE("a run of whitespace that never ends") {
    const std::string_view text = big("HTTP/1.1 200 OK\r\nX-Pad:", ' ', "");
    check_fails(parse(r, text, 0, 100), Code::kCapacityExceeded, "header flood");
  }
  SUBCASE("a long value in small slices") {
    const std::string_view text = big("HTTP/1.1 200 OK\r\nX-Big: ", 'v', "\r\nContent-Length: 0\r\n\r\n");
    check_fails(parse(r, text, 0, 1), Code::kCapacityExceeded, "header flood");
  }
  SUBCASE("trailers of a chunked body count too") {
    const std::string_view text =
        big("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-Trailer: ", 't', "\r\n\r\n");
    check_fails(parse(r, text), Code::kCapacityExceeded, "header flood");
  }
  SUBCASE("trailer lines count against the line limit") {
    g_text.clear();
    g_text.append("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n");
    for (std::size_t i = 0; i < kMaxHeaderLines; ++i) g_text.append("X-T: 1\r\n");
    g_text.append("\r\n");
    check_fails(parse(r, g_text.view()), Code::kCapacityExceeded, "header flood");
  }
  SUBCASE("just under the limit is fine") {
    g_text.clear();
    g_text.append("HTTP/1.1 200 OK\r\nX-Big: ");
    while (g_text.size() < kMaxHeaderBytes - 30) g_text.push_back('v');
    g_text.append("\r\nContent-Length: 0\r\n\r\n");
    REQUIRE(g_text.size() <= kMaxHeaderBytes);
    CHECK(parse(r, g_text.view(), 0, 7).status.ok());
  }
}

TEST_CASE("Malformed responses are parse errors carrying the llhttp errno") {
  Response r = fresh_response();
  struct Bad {
    std::string_view text;
    llhttp_errno_t err;
  };
  const Bad bad[] = {
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", HPE_INVALID_CHUNK_SIZE},
      {"HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n", HPE_INVALID_STATUS},
      {"HTTX/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", HPE_INVALID_CONSTANT},
      {"<html>oops</html>", HPE_INVALID_CONSTANT},
      {"HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n", HPE_INVALID_CONTENT_LENGTH},
      {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc", HPE_UNEXPECTED_CONTENT_LENGTH},
      {"HTTP/1.1 200 OK\r\nX-Bad: a\x01z\r\nContent-Length: 0\r\n\r\n", HPE_INVALID_HEADER_TOKEN},
  };
  for (std::size_t i = 0; i < std::size(bad); ++i) {
    for (std::size_t slice : {std::size_t{0}, std::size_t{1}}) {
      const Parsed p = parse(r, bad[i].text, 0, slice);
      expect_none(fails_problem(p, Code::kParseError, "bad HTTP response"), "bad response", i);
      if (p.status.detail() != bad[i].err) FAIL_CHECK("bad response " << i << ": errno " << p.status.detail());
      // The error sticks.
      const Result<std::size_t> again = g_parser.feed(as_bytes("HTTP/1.1 200 OK\r\n"));
      const bool sticks = !again.ok() && again.status().detail() == bad[i].err &&
                          g_parser.finish().code() == Code::kParseError;
      expect_none(sticks ? nullptr : "error did not stick", "bad response", i);
    }
  }
}

TEST_CASE("A status code that is not three digits is refused (llhttp 8.1.0 lets it through)") {
  for (std::string_view text : {"HTTP/1.1 2 0\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 99 OK\r\nContent-Length: 0\r\n\r\n",
                                "HTTP/1.1 1000 OK\r\nContent-Length: 0\r\n\r\n"}) {
    Response r = fresh_response();
    const Parsed p = parse(r, text);
    CHECK(p.status.code() == Code::kParseError);
    CHECK_FALSE(r.complete());
  }
  Response r = fresh_response();
  CHECK(parse(r, "HTTP/1.1 599 Odd\r\nContent-Length: 0\r\n\r\n").status.ok());
  CHECK(r.status_code() == 599);
}

TEST_CASE("A body larger than its buffer is refused, never truncated") {
  SUBCASE("Content-Length: refused at the headers, before any body byte") {
    Response r = fresh_response(22);
    const std::string_view head = kCreated.substr(0, kCreated.size() - 23);
    check_fails(parse(r, head), Code::kCapacityExceeded, "body too large");
    CHECK(r.body().empty());
    Response exact = fresh_response(23);
    CHECK(parse(exact, kCreated).status.ok());
  }
  SUBCASE("chunked") {
    Response r = fresh_response(11);
    check_fails(parse(r, kChunked, 0, 1), Code::kCapacityExceeded, "body too large");
    Response exact = fresh_response(12);
    CHECK(parse(exact, kChunked, 0, 1).status.ok());
  }
  SUBCASE("delimited by close") {
    Response r = fresh_response(4);
    check_fails(parse(r, "HTTP/1.1 200 OK\r\n\r\n12345", 0, 2, true), Code::kCapacityExceeded,
                "body too large");
  }
}

TEST_CASE("EOF before the response is complete is kConnectionClosed, not a short body") {
  Response r = fresh_response();
  SUBCASE("nothing at all") {
    check_fails(parse(r, "", 0, 0, true), Code::kConnectionClosed, "closed, no response");
  }
  SUBCASE("Content-Length body cut short, at every length") {
    for (std::size_t cut = 1; cut < kCreated.size(); ++cut) {
      const Parsed p = parse(r, kCreated.substr(0, cut), 0, 0, true);
      expect_none(fails_problem(p, Code::kConnectionClosed, "closed mid-response"), "cut at", cut);
      expect_none(r.complete() ? "complete" : nullptr, "cut at", cut);
    }
  }
  SUBCASE("chunked body cut short, at every length") {
    for (std::size_t cut = 1; cut < kChunked.size(); ++cut) {
      const Parsed p = parse(r, kChunked.substr(0, cut), 0, 0, true);
      expect_none(fails_problem(p, Code::kConnectionClosed, "closed mid-response"), "cut at", cut);
      expect_none(r.complete() ? "complete" : nullptr, "cut at", cut);
    }
  }
}

TEST_CASE("Interim 1xx responses are skipped, their headers forgotten; 101 is refused") {
  constexpr std::string_view text =
      "HTTP/1.1 100 Continue\r\nX-Request-Id: interim\r\n\r\n"
      "HTTP/1.1 103 Early Hints\r\nLocation: /early\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  Response r = fresh_response();
  for (std::size_t k = 0; k < text.size(); ++k) {
    const Parsed p = parse(r, text, k);
    const bool good = p.status.ok() && p.consumed == text.size() && r.status_code() == 200 &&
                      r.body_text() == "ok" && !r.header("x-request-id") && !r.header("location");
    expect_none(good ? nullptr : "wrong result", "split at", k);
  }

  g_text.clear();
  for (int i = 0; i < 5; ++i) g_text.append("HTTP/1.1 100 Continue\r\n\r\n");
  g_text.append("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  check_fails(parse(r, g_text.view()), Code::kProtocolError, "too many 1xx");

  check_fails(parse(r, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n"),
              Code::kProtocolError, "HTTP upgrade refused");
  check_fails(parse(r, "HTTP/1.1 101 Switching Protocols\r\n\r\n"), Code::kProtocolError, "HTTP upgrade refused");
}

TEST_CASE("204 and 304 have no body whatever their headers say") {
  constexpr std::string_view text = "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello";
  Response r = fresh_response();
  const Parsed p = parse(r, text);
  REQUIRE(p.status.ok());
  CHECK(r.status_code() == 204);
  CHECK(r.body().empty());
  CHECK(p.consumed == text.size() - 5);  // "hello" is not part of the response
}

TEST_CASE("Wanted names must be non-empty and not longer than kMaxWantedNameLength") {
  HeaderCapture bad[] = {{"x-request-id", {}, false}, {"", {}, false}};
  Response r(bad, g_body);
  CHECK(g_parser.begin(r).code() == Code::kInvalidArgument);
  HeaderCapture too_long[] = {{"x-a-header-name-that-is-much-longer-than-any-real-one", {}, false}};
  Response r2(too_long, g_body);
  CHECK(g_parser.begin(r2).code() == Code::kInvalidArgument);
}
