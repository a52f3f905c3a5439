#include "core/http/http_client.hpp"

#include "core/base/fixed_string.hpp"
#include "core/base/secure_wipe.hpp"

namespace posagent::http {

ExchangeResult HttpClient::exchange(const Request& request, std::span<char> request_buffer,
                                    Response& response, hal::Millis deadline) {
  ExchangeResult result;

  // Everything that can be refused is refused before the transport is touched.
  const Result<std::size_t> written = write_request(request, request_buffer);
  if (request.secret) secure_wipe(request.secret_source);
  if (!written.ok()) {
    result.status = written.status();
    return result;
  }
  const auto wipe_request = [&] {
    if (request.secret) secure_wipe(std::span<char>(request_buffer.data(), *written));
  };
  result.status = parser_.begin(response);
  if (!result.ok()) {
    wipe_request();
    return result;
  }
  if (!transport_.is_open()) result.status = transport_.open(deadline);
  if (result.ok()) {
    result.status = send_all(as_bytes({request_buffer.data(), *written}), deadline, result);
  }
  wipe_request();
  bool reusable = false;
  if (result.ok()) result.status = receive(deadline, result, reusable);
  // The answer to a secret request (an OTP's, a card payment's) passed
  // through the receive slices; the caller wipes where it was parsed to.
  if (request.secret) secure_wipe(std::span<std::uint8_t>(scratch_));
  // After a failure the stream's state is unknown; after a response that
  // ends the connection it is useless.
  if (!result.ok() || !reusable) transport_.close();
  return result;
}

Status HttpClient::send_all(std::span<const std::uint8_t> bytes, hal::Millis deadline,
                            ExchangeResult& result) {
  while (result.bytes_sent < bytes.size()) {
    const std::span<const std::uint8_t> rest = bytes.subspan(result.bytes_sent);
    const Result<std::size_t> sent = transport_.send(rest, deadline);
    if (!sent.ok()) return sent.status();
    // A transport that reports no progress would spin until the deadline.
    if (*sent == 0 || *sent > rest.size()) return Status(Code::kInternal, "bad transport send");
    result.bytes_sent += *sent;
  }
  result.request_written = true;
  return Status::Ok();
}

Status HttpClient::receive(hal::Millis deadline, ExchangeResult& result, bool& reusable) {
  while (!parser_.complete()) {
    const Result<std::size_t> got = transport_.recv(scratch_, deadline);
    if (!got.ok()) {
      if (got.status().code() != Code::kConnectionClosed) return got.status();
      // EOF: completes a body delimited by the close, or the response is cut.
      POSAGENT_TRY(parser_.finish());
      return Status::Ok();  // the peer closed: not reusable
    }
    if (*got == 0 || *got > scratch_.size()) return Status(Code::kInternal, "bad transport recv");
    result.response_started = true;
    const Result<std::size_t> used = parser_.feed(std::span<const std::uint8_t>(scratch_.data(), *got));
    if (!used.ok()) return used.status();
    // Bytes after the response were never asked for: the stream can no
    // longer be trusted to line up with the next request.
    if (*used < *got) return Status::Ok();
  }
  reusable = parser_.keep_alive();
  return Status::Ok();
}

}  // namespace posagent::http
