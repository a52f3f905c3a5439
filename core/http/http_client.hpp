// An HTTP/1.1 client over one Transport: writes a request, sends it, parses
// the response, and keeps the connection for the next exchange when the
// response allows it. No heap; everything is bounded by one deadline.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/base/status.hpp"
#include "core/http/request_writer.hpp"
#include "core/http/response_parser.hpp"
#include "core/http/transport.hpp"
#include "hal/clock.hpp"

namespace posagent::http {

// How far an exchange got, also when it failed. A payment terminal needs this
// to tell "not sent, safe to retry" from "outcome unknown":
//   bytes_sent == 0                      nothing of the request was sent
//   request_written && !response_started the server may be acting on it
//   response_started                     the server answered, at least in part
struct [[nodiscard]] ExchangeResult {
  Status status;
  std::size_t bytes_sent = 0;     // request bytes the transport accepted
  bool request_written = false;   // all of the request was accepted
  bool response_started = false;  // at least one response byte arrived

  bool ok() const { return status.ok(); }
};

class HttpClient {
 public:
  // Receive slices; llhttp parses in place, so this bounds nothing else.
  static constexpr std::size_t kScratchBytes = 512;

  explicit HttpClient(Transport& transport) : transport_(transport) {}
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Writes `request` into `request_buffer`, opens the transport if it is not
  // open, sends the request, and parses the response into `response`, all
  // before `deadline`. A request refused by write_request() (or a bad wanted
  // header list) fails before anything is sent and leaves the connection as it
  // was. Any later failure closes the connection. After success the
  // connection stays open only when the response allows keep-alive and
  // nothing followed it; otherwise it is closed.
  //
  // A kept-alive connection the server has meanwhile dropped shows up as
  // kConnectionClosed with request_written and !response_started; retrying
  // is the caller's decision (idempotency keys), never this client's.
  ExchangeResult exchange(const Request& request, std::span<char> request_buffer, Response& response,
                          hal::Millis deadline);

  // Drops the connection, e.g. before a long idle period.
  void close() { transport_.close(); }
  // The receive slices, for tests that prove a wipe.
  std::span<const std::uint8_t> receive_scratch() const { return scratch_; }

 private:
  Status send_all(std::span<const std::uint8_t> bytes, hal::Millis deadline, ExchangeResult& result);
  Status receive(hal::Millis deadline, ExchangeResult& result, bool& reusable);

  Transport& transport_;
  ResponseParser parser_;
  std::array<std::uint8_t, kScratchBytes> scratch_{};
};

}  // namespace posagent::http
