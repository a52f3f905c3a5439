// Incremental HTTP/1.1 response parsing with llhttp into caller-owned, fixed
// buffers: the status code, the header values the caller asked for, and the
// body. Any limit that is hit is an error; nothing is silently truncated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include <llhttp.h>

#include "core/base/fixed_string.hpp"
#include "core/base/status.hpp"

namespace posagent::http {

inline constexpr std::size_t kHeaderValueCapacity = 64;
// Longest header name the caller may ask for.
inline constexpr std::size_t kMaxWantedNameLength = 48;
// Header flood limits, over all header sections of one exchange (interim 1xx
// responses included); trailers of a chunked body count against them too.
inline constexpr std::size_t kMaxHeaderLines = 64;
inline constexpr std::size_t kMaxHeaderBytes = 8 * 1024;
// Interim responses (100 Continue, 103 Early Hints) are skipped, up to this many.
inline constexpr std::size_t kMaxInterimResponses = 4;

// One header the caller wants: the name to match (case-insensitively) and,
// after parsing, its value with surrounding whitespace removed. Repeated
// header lines are combined with ", " (RFC 9110 section 5.3).
struct HeaderCapture {
  std::string_view name;
  FixedString<kHeaderValueCapacity> value;
  bool present = false;
};

// Where a response goes. The caller owns the header captures and the body
// buffer; the parser fills them. After a failed exchange the fields hold what
// arrived before the failure (useful in logs) and complete() is false.
class Response {
 public:
  Response(std::span<HeaderCapture> headers, std::span<std::uint8_t> body_buffer)
      : headers_(headers), body_buffer_(body_buffer) {}

  bool complete() const { return complete_; }
  int status_code() const { return status_code_; }
  std::span<const std::uint8_t> body() const { return body_buffer_.first(body_size_); }
  std::string_view body_text() const {
    return {reinterpret_cast<const char*>(body_buffer_.data()), body_size_};
  }
  // The value of a wanted header; nullopt when the response did not carry it
  // (or it was not asked for).
  std::optional<std::string_view> header(std::string_view name) const;
  std::span<const HeaderCapture> headers() const { return headers_; }

 private:
  friend class ResponseParser;
  void clear();
  void clear_headers();

  std::span<HeaderCapture> headers_;
  std::span<std::uint8_t> body_buffer_;
  std::size_t body_size_ = 0;
  int status_code_ = 0;
  bool complete_ = false;
};

// Parses one response from consecutive slices of a byte stream. Stops at the
// end of the response: bytes after it are not consumed.
//
// Errors: kCapacityExceeded (body, a wanted value, or a header flood),
// kParseError with the llhttp errno as detail, kProtocolError (101 Switching
// Protocols, too many interim responses), kConnectionClosed (EOF before the
// response was complete). After an error every call returns the same error.
class ResponseParser {
 public:
  ResponseParser() = default;
  // llhttp_t keeps a pointer back to this object.
  ResponseParser(const ResponseParser&) = delete;
  ResponseParser& operator=(const ResponseParser&) = delete;

  // Starts the next response into `response` and clears it. kInvalidArgument when
  // a wanted name is empty or longer than kMaxWantedNameLength.
  Status begin(Response& response);
  // Parses the next bytes; returns how many belong to the response. Fewer
  // than given means the response ended inside them.
  Result<std::size_t> feed(std::span<const std::uint8_t> bytes);
  // The peer closed the stream: completes a body delimited by the close, or
  // fails with kConnectionClosed.
  Status finish();

  bool complete() const { return complete_; }
  // Whether the connection may carry another request; valid once complete().
  bool keep_alive() const { return keep_alive_; }

 private:
  static int on_header_field(llhttp_t* p, const char* at, std::size_t length);
  static int on_header_field_complete(llhttp_t* p);
  static int on_header_value(llhttp_t* p, const char* at, std::size_t length);
  static int on_header_value_complete(llhttp_t* p);
  static int on_headers_complete(llhttp_t* p);
  static int on_body(llhttp_t* p, const char* at, std::size_t length);
  static int on_message_complete(llhttp_t* p);
  static const llhttp_settings_t kSettings;

  bool header_bytes_within_limit(const char* at, std::size_t length);
  int fail_data(Status status);  // for data callbacks
  int fail(Status status);       // for notification callbacks
  Status fail_now(Status status);

  llhttp_t parser_{};
  Response* response_ = nullptr;
  Status failure_;
  // Where the slice being parsed starts, and how many bytes came before it:
  // together they give a callback's position in the stream.
  const char* slice_begin_ = nullptr;
  std::size_t stream_bytes_ = 0;
  std::size_t header_lines_ = 0;
  std::size_t trailer_bytes_ = 0;
  std::size_t interim_responses_ = 0;
  // The header name being read, kept only as long as a wanted name can be.
  FixedString<kMaxWantedNameLength> name_;
  bool name_too_long_ = false;
  HeaderCapture* capture_ = nullptr;  // the wanted header whose value is being read
  std::size_t dropped_spaces_ = 0;    // trailing whitespace that did not fit
  bool separator_pending_ = false;    // a repeated wanted line: ", " before its value
  bool headers_complete_ = false;
  bool complete_ = false;
  bool keep_alive_ = false;
};

}  // namespace posagent::http
