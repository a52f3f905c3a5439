#include "core/http/response_parser.hpp"

#include <cstring>

#include "core/http/request_writer.hpp"

namespace posagent::http {
namespace {

ResponseParser* self(llhttp_t* p) { return static_cast<ResponseParser*>(p->data); }

bool is_space(char c) { return c == ' ' || c == '\t'; }

void trim_trailing_spaces(FixedString<kHeaderValueCapacity>& value) {
  std::size_t n = value.size();
  while (n > 0 && is_space(value.view()[n - 1])) --n;
  value.span().resize_down(n);
}

// Responses that never have a body, whatever their headers say.
bool bodiless(int status) { return status / 100 == 1 || status == 204 || status == 304; }

constexpr Status kFlood(Code::kCapacityExceeded, "header flood");

}  // namespace

// --- Response --------------------------------------------------------------

std::optional<std::string_view> Response::header(std::string_view name) const {
  for (const HeaderCapture& h : headers_) {
    if (h.present && equals_ignore_case(h.name, name)) return h.value.view();
  }
  return std::nullopt;
}

void Response::clear_headers() {
  for (HeaderCapture& h : headers_) {
    h.value.clear();
    h.present = false;
  }
}

void Response::clear() {
  clear_headers();
  body_size_ = 0;
  status_code_ = 0;
  complete_ = false;
}

// --- ResponseParser --------------------------------------------------------

// Constant-initialised, so it sits in flash on the MCU; llhttp only reads it.
const llhttp_settings_t ResponseParser::kSettings = {
    .on_message_begin = nullptr,
    .on_url = nullptr,
    .on_status = nullptr,
    .on_method = nullptr,
    .on_version = nullptr,
    .on_header_field = &ResponseParser::on_header_field,
    .on_header_value = &ResponseParser::on_header_value,
    .on_chunk_extension_name = nullptr,
    .on_chunk_extension_value = nullptr,
    .on_headers_complete = &ResponseParser::on_headers_complete,
    .on_body = &ResponseParser::on_body,
    .on_message_complete = &ResponseParser::on_message_complete,
    .on_url_complete = nullptr,
    .on_status_complete = nullptr,
    .on_method_complete = nullptr,
    .on_version_complete = nullptr,
    .on_header_field_complete = &ResponseParser::on_header_field_complete,
    .on_header_value_complete = &ResponseParser::on_header_value_complete,
    .on_chunk_extension_name_complete = nullptr,
    .on_chunk_extension_value_complete = nullptr,
    .on_chunk_header = nullptr,
    .on_chunk_complete = nullptr,
    .on_reset = nullptr,
};

Status ResponseParser::begin(Response& response) {
  for (const HeaderCapture& h : response.headers_) {
    if (h.name.empty() || h.name.size() > kMaxWantedNameLength) {
      return Status(Code::kInvalidArgument, "bad wanted header");
    }
  }
  llhttp_init(&parser_, HTTP_RESPONSE, &kSettings);
  parser_.data = this;
  response.clear();
  response_ = &response;
  failure_ = Status::Ok();
  slice_begin_ = nullptr;
  stream_bytes_ = 0;
  header_lines_ = 0;
  trailer_bytes_ = 0;
  interim_responses_ = 0;
  name_.clear();
  name_too_long_ = false;
  capture_ = nullptr;
  dropped_spaces_ = 0;
  separator_pending_ = false;
  headers_complete_ = false;
  complete_ = false;
  keep_alive_ = false;
  return Status::Ok();
}

Result<std::size_t> ResponseParser::feed(std::span<const std::uint8_t> bytes) {
  if (response_ == nullptr) return Status(Code::kInternal, "parser not begun");
  if (!failure_.ok()) return failure_;
  if (complete_) return std::size_t{0};

  const char* data = reinterpret_cast<const char*>(bytes.data());
  slice_begin_ = data;
  const llhttp_errno_t err = llhttp_execute(&parser_, data, bytes.size());
  slice_begin_ = nullptr;

  std::size_t consumed = bytes.size();
  if (err == HPE_PAUSED && complete_) {
    // on_message_complete paused the parser right after the response.
    consumed = static_cast<std::size_t>(llhttp_get_error_pos(&parser_) - data);
  } else if (err != HPE_OK) {
    if (!failure_.ok()) return failure_;  // a callback refused
    if (err == HPE_PAUSED_UPGRADE) return fail_now(Status(Code::kProtocolError, "HTTP upgrade refused"));
    return fail_now(Status(Code::kParseError, "bad HTTP response", err));
  }
  stream_bytes_ += consumed;
  // Callbacks check their own positions; this catches bytes that raise none
  // (a long status line, runs of whitespace).
  if (!headers_complete_ && stream_bytes_ > kMaxHeaderBytes) return fail_now(kFlood);
  return consumed;
}

Status ResponseParser::finish() {
  if (response_ == nullptr) return Status(Code::kInternal, "parser not begun");
  if (!failure_.ok()) return failure_;
  if (complete_) return Status::Ok();
  // Completes a body delimited by the close (on_message_complete then pauses,
  // so HPE_PAUSED is success here); fails inside any other message.
  const llhttp_errno_t err = llhttp_finish(&parser_);
  if (complete_) return Status::Ok();
  if (!failure_.ok()) return failure_;
  if (stream_bytes_ == 0) return fail_now(Status(Code::kConnectionClosed, "closed, no response"));
  return fail_now(Status(Code::kConnectionClosed, "closed mid-response", err));
}

Status ResponseParser::fail_now(Status status) {
  failure_ = status;
  return status;
}

int ResponseParser::fail_data(Status status) {
  failure_ = status;
  return HPE_USER;  // data callbacks report errors as an llhttp errno
}

int ResponseParser::fail(Status status) {
  failure_ = status;
  return -1;
}

bool ResponseParser::header_bytes_within_limit(const char* at, std::size_t length) {
  if (headers_complete_) {  // a trailer after a chunked body
    trailer_bytes_ += length;
    return trailer_bytes_ <= kMaxHeaderBytes;
  }
  const auto end = stream_bytes_ + static_cast<std::size_t>(at + length - slice_begin_);
  return end <= kMaxHeaderBytes;
}

int ResponseParser::on_header_field(llhttp_t* p, const char* at, std::size_t length) {
  ResponseParser& s = *self(p);
  if (!s.header_bytes_within_limit(at, length)) return s.fail_data(kFlood);
  // A name longer than any wanted name cannot match; no need to keep it.
  if (!s.name_too_long_ && !s.name_.append({at, length})) s.name_too_long_ = true;
  return 0;
}

int ResponseParser::on_header_field_complete(llhttp_t* p) {
  ResponseParser& s = *self(p);
  if (++s.header_lines_ > kMaxHeaderLines) return s.fail(kFlood);
  s.capture_ = nullptr;
  // Trailers are not captured: they must not override the real headers.
  if (!s.name_too_long_ && !s.headers_complete_) {
    for (HeaderCapture& h : s.response_->headers_) {
      if (equals_ignore_case(h.name, s.name_.view())) {
        s.capture_ = &h;
        break;
      }
    }
  }
  s.name_.clear();
  s.name_too_long_ = false;
  s.dropped_spaces_ = 0;
  if (s.capture_ != nullptr) {
    // A repeated line joins the list; empty values add no empty element.
    s.separator_pending_ = s.capture_->present && !s.capture_->value.empty();
    s.capture_->present = true;
  }
  return 0;
}

int ResponseParser::on_header_value(llhttp_t* p, const char* at, std::size_t length) {
  ResponseParser& s = *self(p);
  if (!s.header_bytes_within_limit(at, length)) return s.fail_data(kFlood);
  if (s.capture_ == nullptr || length == 0) return 0;
  if (s.separator_pending_) {
    if (!s.capture_->value.append(", ")) return s.fail_data(Status(Code::kCapacityExceeded, "header too long"));
    s.separator_pending_ = false;
  }
  // llhttp strips leading whitespace but passes trailing whitespace, maybe in
  // a later slice; whitespace that does not fit is fine if nothing follows it.
  for (std::size_t i = 0; i < length; ++i) {
    if (s.dropped_spaces_ == 0 && s.capture_->value.push_back(at[i])) continue;
    if (is_space(at[i])) {
      ++s.dropped_spaces_;
      continue;
    }
    return s.fail_data(Status(Code::kCapacityExceeded, "header too long"));
  }
  return 0;
}

int ResponseParser::on_header_value_complete(llhttp_t* p) {
  ResponseParser& s = *self(p);
  if (s.capture_ != nullptr) trim_trailing_spaces(s.capture_->value);
  s.capture_ = nullptr;
  return 0;
}

int ResponseParser::on_headers_complete(llhttp_t* p) {
  ResponseParser& s = *self(p);
  const int status = llhttp_get_status_code(p);
  // RFC 9110: three digits. llhttp 8.1.0 accepts any number of them (8.1.1
  // tightened it); a fuzzer found "HTTP/1.1 2 0" taken as status 2.
  if (status < 100 || status > 999) return s.fail(Status(Code::kParseError, "bad status code"));
  // We never ask to switch protocols; the bytes after this are not HTTP.
  if (status == 101) return s.fail(Status(Code::kProtocolError, "HTTP upgrade refused"));
  s.headers_complete_ = true;
  s.response_->status_code_ = status;
  if (bodiless(status)) return 1;  // llhttp: no body, whatever the headers say
  // Refuse an announced body that cannot fit before reading any of it.
  if ((p->flags & F_CONTENT_LENGTH) != 0 && (p->flags & F_CHUNKED) == 0 &&
      p->content_length > s.response_->body_buffer_.size()) {
    return s.fail(Status(Code::kCapacityExceeded, "body too large"));
  }
  return 0;
}

int ResponseParser::on_body(llhttp_t* p, const char* at, std::size_t length) {
  ResponseParser& s = *self(p);
  Response& r = *s.response_;
  if (length > r.body_buffer_.size() - r.body_size_) {
    return s.fail_data(Status(Code::kCapacityExceeded, "body too large"));
  }
  std::memcpy(r.body_buffer_.data() + r.body_size_, at, length);
  r.body_size_ += length;
  return 0;
}

int ResponseParser::on_message_complete(llhttp_t* p) {
  ResponseParser& s = *self(p);
  if (s.response_->status_code_ / 100 == 1) {
    // An interim response: forget it and parse the final one that follows.
    if (++s.interim_responses_ > kMaxInterimResponses) {
      return s.fail(Status(Code::kProtocolError, "too many 1xx"));
    }
    s.response_->clear_headers();
    s.response_->status_code_ = 0;
    s.headers_complete_ = false;
    return 0;
  }
  s.complete_ = true;
  s.response_->complete_ = true;
  // Read here: llhttp resets the flags this depends on after the callback.
  s.keep_alive_ = llhttp_should_keep_alive(p) != 0;
  // Stop at the end of the response so the caller sees any extra bytes.
  return HPE_PAUSED;
}

}  // namespace posagent::http
