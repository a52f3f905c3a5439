// No CAPTURE/INFO in these tests: under the host sanitizer build doctest's
// context scopes trip UBSan's vptr check (the runner is built with RTTI, the
// tests without). Loops report their failing case with FAIL_CHECK instead.
#include <doctest/doctest.h>

#include <llhttp.h>

#include <array>
#include <cstring>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/secure_wipe.hpp"
#include "core/http/http_client.hpp"
#include "scripted_transport.hpp"

using posagent::as_bytes;
using posagent::Code;
using posagent::FixedString;
using posagent::Status;
using posagent::hal::Millis;
using posagent::http::ExchangeResult;
using posagent::http::Header;
using posagent::http::HeaderCapture;
using posagent::http::HttpClient;
using posagent::http::Method;
using posagent::http::Request;
using posagent::http::Response;
using posagent::http::test::g_sent;
using posagent::http::test::peer;
using posagent::http::test::ScriptedConnection;
using posagent::http::test::ScriptedTransport;
using End = ScriptedConnection::End;

namespace {

constexpr Millis kDeadline = 123'456;

std::array<char, 1024> g_request_buffer;
std::array<std::uint8_t, 512> g_body;
std::array<HeaderCapture, 3> g_wanted;

Response fresh_response() {
  g_wanted = {HeaderCapture{"content-type", {}, false}, HeaderCapture{"x-request-id", {}, false},
              HeaderCapture{"x-idempotency-replayed", {}, false}};
  return Response(g_wanted, g_body);
}

constexpr Header kHeaders[] = {{"Content-Type", "application/json"}, {"x-idempotency-key", "K-1"}};

Request post_order() {
  Request r;
  r.method = Method::kPost;
  r.target = "/pg/orders";
  r.host = "gw.example";
  r.headers = kHeaders;
  r.body = as_bytes(R"({"amount":1})");
  return r;
}

Request get_order() {
  Request r;
  r.target = "/pg/orders/K-1";
  r.host = "gw.example";
  return r;
}

constexpr std::string_view kPostWire =
    "POST /pg/orders HTTP/1.1\r\nHost: gw.example\r\nContent-Type: application/json\r\n"
    "x-idempotency-key: K-1\r\nContent-Length: 12\r\n\r\n{\"amount\":1}";
constexpr std::string_view kGetWire = "GET /pg/orders/K-1 HTTP/1.1\r\nHost: gw.example\r\n\r\n";

constexpr std::string_view kCreated =
    "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Request-Id: r-1\r\n"
    "Content-Length: 15\r\n\r\n{\"status\":\"OK\"}";
constexpr std::string_view kChunkedOk =
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nx-idempotency-replayed: true\r\n\r\n"
    "4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n";
constexpr std::string_view kClosing =
    "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok";

ExchangeResult run(HttpClient& client, const Request& request, Response& response) {
  return client.exchange(request, g_request_buffer, response, kDeadline);
}

void check_created(const ExchangeResult& x, const Response& r) {
  REQUIRE(x.ok());
  CHECK(x.request_written);
  CHECK(x.response_started);
  CHECK(r.complete());
  CHECK(r.status_code() == 201);
  CHECK(r.body_text() == R"({"status":"OK"})");
  CHECK(r.header("x-request-id") == "r-1");
}

// A failure and how far the exchange got.
void check_failed(const ExchangeResult& x, Code code, bool written, bool started) {
  CHECK(x.status.code() == code);
  CHECK(std::strlen(x.status.message()) <= 20);
  CHECK(x.request_written == written);
  CHECK(x.response_started == started);
}

}  // namespace

TEST_CASE("One exchange: the request goes out byte for byte, the response comes back") {
  const ScriptedConnection script[] = {peer(kCreated)};
  ScriptedTransport t(script);
  HttpClient client(t);
  Response r = fresh_response();
  const ExchangeResult x = run(client, post_order(), r);
  check_created(x, r);
  CHECK(x.bytes_sent == kPostWire.size());
  CHECK(g_sent.view() == kPostWire);
  CHECK(t.opens == 1);
  CHECK(t.is_open());  // keep-alive
  CHECK(t.deadlines_agree);
  CHECK(t.first_deadline == kDeadline);
}

TEST_CASE("Keep-alive: two exchanges share one connection") {
  const ScriptedConnection script[] = {peer(kCreated).with_then(kChunkedOk).with_slices(0, 7)};
  ScriptedTransport t(script);
  HttpClient client(t);

  Response r = fresh_response();
  check_created(run(client, post_order(), r), r);
  CHECK(t.unread() == 0);

  const ExchangeResult x = run(client, get_order(), r);
  REQUIRE(x.ok());
  CHECK(r.status_code() == 200);
  CHECK(r.body_text() == R"({"a":1})");
  CHECK(r.header("x-idempotency-replayed") == "true");
  CHECK_FALSE(r.header("x-request-id").has_value());  // nothing left from the first response

  CHECK(t.opens == 1);
  CHECK(t.closes == 0);
  FixedString<512> wire;
  wire.append(kPostWire);
  wire.append(kGetWire);
  CHECK(g_sent.view() == wire.view());
}

TEST_CASE("Connection: close ends the connection; the next exchange opens a new one") {
  const ScriptedConnection script[] = {peer(kClosing), peer(kCreated)};
  ScriptedTransport t(script);
  HttpClient client(t);
  Response r = fresh_response();

  const ExchangeResult first = run(client, get_order(), r);
  REQUIRE(first.ok());
  CHECK(r.body_text() == "ok");
  CHECK_FALSE(t.is_open());
  CHECK(t.closes == 1);

  check_created(run(client, post_order(), r), r);
  CHECK(t.opens == 2);
  CHECK(t.is_open());
}

TEST_CASE("An HTTP/1.0 response without keep-alive closes the connection") {
  const ScriptedConnection script[] = {peer("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")};
  ScriptedTransport t(script);
  HttpClient client(t);
  Response r = fresh_response();
  REQUIRE(run(client, get_order(), r).ok());
  CHECK_FALSE(t.is_open());
}

TEST_CASE("A body delimited by the connection close is complete at EOF") {
  const ScriptedConnection script[] = {
      peer("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it").with_slices(0, 3)};
  ScriptedTransport t(script);
  HttpClient client(t);
  Response r = fresh_response();
  const ExchangeResult x = run(client, get_order(), r);
  REQUIRE(x.ok());
  CHECK(r.complete());
  CHECK(r.body_text() == "all of it");
  CHECK(r.header("content-type") == "text/plain");
  CHECK_FALSE(t.is_open());
}

TEST_CASE("Responses split at every byte boundary and in 1-byte slices come through whole") {
  Response r = fresh_response();
  for (std::string_view text : {kCreated, kChunkedOk}) {
    for (std::size_t k = 0; k < text.size(); ++k) {
      // k == 0: one byte per recv; otherwise a first slice of k bytes, then the rest.
      const ScriptedConnection script[] = {peer(text).with_slices(k, k == 0 ? 1 : 0)};
      ScriptedTransport t(script);
      HttpClient client(t);
      const ExchangeResult x = run(client, get_order(), r);
      const std::string_view body = text == kCreated ? R"({"status":"OK"})" : R"({"a":1})";
      if (!x.ok() || !r.complete() || r.body_text() != body || !t.is_open()) {
        FAIL_CHECK("first slice " << k << ": " << x.status.message());
      }
    }
  }
}

TEST_CASE("A transport that takes one byte per send still gets the whole request") {
  const ScriptedConnection script[] = {peer(kCreated).send_slices(1)};
  ScriptedTransport t(script);
  HttpClient client(t);
  Response r = fresh_response();
  check_created(run(client, post_order(), r), r);
  CHECK(g_sent.view() == kPostWire);
}

TEST_CASE("Unsolicited bytes after a response: the exchange succeeds, the connection is dropped") {
  FixedString<512> extra;
  extra.append(kCreated);
  extra.append("HTTP/1.1 200 OK\r\n");
  const ScriptedConnection script[] = {peer(extra.view()), peer(kClosing)};
  ScriptedTransport t(script);
  HttpClient client(t);
  Response r = fresh_response();
  check_created(run(client, post_order(), r), r);
  CHECK_FALSE(t.is_open());

  REQUIRE(run(client, get_order(), r).ok());
  CHECK(r.body_text() == "ok");  // from the new connection, not the stale bytes
  CHECK(t.opens == 2);
}

TEST_CASE("A refused request sends nothing and leaves the connection as it was") {
  const ScriptedConnection script[] = {peer(kCreated).with_then(kCreated)};
  ScriptedTransport t(script);
  HttpClient client(t);
  Response r = fresh_response();

  const Header evil[] = {{"X-Note", "a\r\nX-Evil: 1"}};
  Request bad = get_order();
  bad.headers = evil;
  ExchangeResult x = run(client, bad, r);
  check_failed(x, Code::kInvalidArgument, false, false);
  CHECK(x.bytes_sent == 0);
  CHECK(t.opens == 0);
  CHECK(g_sent.empty());

  check_created(run(client, post_order(), r), r);  // opens the connection
  g_sent.clear();

  x = client.exchange(post_order(), std::span<char>(g_request_buffer).first(kPostWire.size() - 1), r, kDeadline);
  check_failed(x, Code::kCapacityExceeded, false, false);
  CHECK(x.bytes_sent == 0);
  CHECK(g_sent.empty());
  CHECK(t.is_open());  // still usable
  CHECK(t.closes == 0);

  HeaderCapture bad_wanted[] = {{"", {}, false}};
  Response bad_response(bad_wanted, g_body);
  check_failed(run(client, get_order(), bad_response), Code::kInvalidArgument, false, false);
  CHECK(g_sent.empty());

  check_created(run(client, post_order(), r), r);  // same connection
  CHECK(t.opens == 1);
}

TEST_CASE("Failures close the connection and say how far the exchange got") {
  Response r = fresh_response();

  SUBCASE("open fails: nothing sent") {
    const ScriptedConnection script[] = {peer("").failing_open(Status(Code::kConnectionFailed, "refused"))};
    ScriptedTransport t(script);
    HttpClient client(t);
    const ExchangeResult x = run(client, post_order(), r);
    check_failed(x, Code::kConnectionFailed, false, false);
    CHECK(x.bytes_sent == 0);
    CHECK(g_sent.empty());
  }
  SUBCASE("send fails part way: request not written") {
    const ScriptedConnection script[] = {peer(kCreated).accepting(20)};
    ScriptedTransport t(script);
    HttpClient client(t);
    const ExchangeResult x = run(client, post_order(), r);
    check_failed(x, Code::kIoError, false, false);
    CHECK(x.bytes_sent == 20);
    CHECK_FALSE(t.is_open());
  }
  SUBCASE("send fails at once: nothing sent") {
    const ScriptedConnection script[] = {peer(kCreated).accepting(0)};
    ScriptedTransport t(script);
    HttpClient client(t);
    const ExchangeResult x = run(client, post_order(), r);
    check_failed(x, Code::kIoError, false, false);
    CHECK(x.bytes_sent == 0);
  }
  SUBCASE("peer closes without answering: sent, no response") {
    const ScriptedConnection script[] = {peer("")};
    ScriptedTransport t(script);
    HttpClient client(t);
    const ExchangeResult x = run(client, post_order(), r);
    check_failed(x, Code::kConnectionClosed, true, false);
    CHECK(x.bytes_sent == kPostWire.size());
    CHECK(std::string_view(x.status.message()) == "closed, no response");
    CHECK_FALSE(t.is_open());
  }
  SUBCASE("stalled peer before any byte: timeout, sent, no response") {
    const ScriptedConnection script[] = {peer("").ending(End::kStall)};
    ScriptedTransport t(script);
    HttpClient client(t);
    check_failed(run(client, post_order(), r), Code::kTimeout, true, false);
    CHECK_FALSE(t.is_open());
    CHECK(t.deadlines_agree);
    CHECK(t.first_deadline == kDeadline);
  }
  SUBCASE("stalled peer mid-body: timeout, started, not complete") {
    const ScriptedConnection script[] = {
        peer(kCreated.substr(0, kCreated.size() - 4)).with_slices(0, 5).ending(End::kStall)};
    ScriptedTransport t(script);
    HttpClient client(t);
    check_failed(run(client, post_order(), r), Code::kTimeout, true, true);
    CHECK_FALSE(r.complete());
    CHECK_FALSE(t.is_open());
    CHECK(t.deadlines_agree);
  }
  SUBCASE("receive error mid-headers") {
    const ScriptedConnection script[] = {peer(kCreated.substr(0, 30)).ending(End::kError)};
    ScriptedTransport t(script);
    HttpClient client(t);
    check_failed(run(client, post_order(), r), Code::kIoError, true, true);
    CHECK_FALSE(t.is_open());
  }
  SUBCASE("Content-Length body cut by EOF") {
    const ScriptedConnection script[] = {peer(kCreated.substr(0, kCreated.size() - 1)).with_slices(0, 1)};
    ScriptedTransport t(script);
    HttpClient client(t);
    const ExchangeResult x = run(client, post_order(), r);
    check_failed(x, Code::kConnectionClosed, true, true);
    CHECK(std::string_view(x.status.message()) == "closed mid-response");
    CHECK_FALSE(r.complete());
    CHECK_FALSE(t.is_open());
  }
  SUBCASE("chunked body cut by EOF before the last chunk") {
    const ScriptedConnection script[] = {peer(kChunkedOk.substr(0, kChunkedOk.size() - 5))};
    ScriptedTransport t(script);
    HttpClient client(t);
    check_failed(run(client, get_order(), r), Code::kConnectionClosed, true, true);
    CHECK_FALSE(r.complete());
    CHECK_FALSE(t.is_open());
  }
  SUBCASE("body larger than the buffer") {
    const ScriptedConnection script[] = {
        peer("HTTP/1.1 200 OK\r\nContent-Length: 513\r\n\r\n").ending(End::kStall)};
    ScriptedTransport t(script);
    HttpClient client(t);
    const ExchangeResult x = run(client, get_order(), r);
    check_failed(x, Code::kCapacityExceeded, true, true);  // refused at the headers, no wait for the body
    CHECK(std::string_view(x.status.message()) == "body too large");
    CHECK_FALSE(t.is_open());
  }
  SUBCASE("bad chunk size") {
    const ScriptedConnection script[] = {
        peer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\nx\r\n0\r\n\r\n")};
    ScriptedTransport t(script);
    HttpClient client(t);
    const ExchangeResult x = run(client, get_order(), r);
    check_failed(x, Code::kParseError, true, true);
    CHECK(x.status.detail() == HPE_INVALID_CHUNK_SIZE);
    CHECK_FALSE(t.is_open());
  }
  SUBCASE("invalid status line") {
    const ScriptedConnection script[] = {peer("HTTP/1.1 OK\r\n\r\n").with_slices(0, 1)};
    ScriptedTransport t(script);
    HttpClient client(t);
    const ExchangeResult x = run(client, get_order(), r);
    check_failed(x, Code::kParseError, true, true);
    CHECK(x.status.detail() == HPE_INVALID_STATUS);
    CHECK_FALSE(t.is_open());
  }
  SUBCASE("header flood") {
    static FixedString<2048> flood;
    flood.clear();
    flood.append("HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 100; ++i) flood.append("X-Flood: 1\r\n");
    flood.append("Content-Length: 0\r\n\r\n");
    const ScriptedConnection script[] = {peer(flood.view())};
    ScriptedTransport t(script);
    HttpClient client(t);
    const ExchangeResult x = run(client, get_order(), r);
    check_failed(x, Code::kCapacityExceeded, true, true);
    CHECK(std::string_view(x.status.message()) == "header flood");
    CHECK_FALSE(t.is_open());
  }
}

TEST_CASE("After a failure the next exchange starts on a fresh connection") {
  const ScriptedConnection script[] = {peer("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\ncut"),
                                       peer(kCreated)};
  ScriptedTransport t(script);
  HttpClient client(t);
  Response r = fresh_response();
  check_failed(run(client, get_order(), r), Code::kConnectionClosed, true, true);
  check_created(run(client, post_order(), r), r);
  CHECK(t.opens == 2);
}

TEST_CASE("A secret request: its body source and the request buffer are wiped once it is on the wire") {
  constexpr std::string_view kSecretBody = R"({"card_number":"4111111111111111"})";
  auto check_wiped = [&](const ExchangeResult& x, std::span<std::uint8_t> source) {
    CHECK(posagent::is_wiped(source));
    const auto* buffer = reinterpret_cast<const std::uint8_t*>(g_request_buffer.data());
    CHECK(posagent::is_wiped({buffer, x.bytes_sent > 0 ? g_sent.size() : 0}));
    CHECK(std::string_view(g_request_buffer.data(), g_request_buffer.size()).find("4111") == std::string_view::npos);
  };
  std::array<std::uint8_t, 64> source{};
  auto fill_source = [&] {
    std::memcpy(source.data(), kSecretBody.data(), kSecretBody.size());
    Request r = post_order();
    r.body = std::span<const std::uint8_t>(source.data(), kSecretBody.size());
    r.secret = true;
    r.secret_source = std::span<std::uint8_t>(source.data(), kSecretBody.size());
    return r;
  };
  Response r = fresh_response();

  SUBCASE("sent and answered: the wire had it, the buffers do not") {
    const ScriptedConnection script[] = {peer(kCreated)};
    ScriptedTransport t(script);
    HttpClient client(t);
    const ExchangeResult x = run(client, fill_source(), r);
    check_created(x, r);
    CHECK(g_sent.view().find(kSecretBody) != std::string_view::npos);
    check_wiped(x, source);
    CHECK(posagent::is_wiped(client.receive_scratch()));  // the answer passed through it
    // A request that is not secret leaves its last slice as it was.
    const ScriptedConnection plain[] = {peer(kCreated)};
    ScriptedTransport t2(plain);
    HttpClient other(t2);
    check_created(run(other, post_order(), r), r);
    CHECK_FALSE(posagent::is_wiped(other.receive_scratch()));
  }
  SUBCASE("the send fails part way: wiped all the same") {
    const ScriptedConnection script[] = {peer(kCreated).accepting(20)};
    ScriptedTransport t(script);
    HttpClient client(t);
    const ExchangeResult x = run(client, fill_source(), r);
    CHECK_FALSE(x.ok());
    check_wiped(x, source);
  }
  SUBCASE("the connection cannot open: nothing sent, wiped") {
    const ScriptedConnection script[] = {peer("").failing_open(Status(Code::kConnectionFailed, "refused"))};
    ScriptedTransport t(script);
    HttpClient client(t);
    const ExchangeResult x = run(client, fill_source(), r);
    CHECK(x.bytes_sent == 0);
    CHECK(posagent::is_wiped(source));
    CHECK(std::string_view(g_request_buffer.data(), g_request_buffer.size()).find("4111") == std::string_view::npos);
  }
}
