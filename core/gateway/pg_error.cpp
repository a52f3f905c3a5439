#include "core/gateway/pg_error.hpp"

#include "core/base/secure_wipe.hpp"

namespace posagent::gateway {

namespace {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Copies text cut to out's capacity, at a UTF-8 character boundary so a
// screen or log never gets half a character.
void copy_cut(StringSpan out, std::string_view text) {
  std::size_t n = text.size() < out.capacity() ? text.size() : out.capacity();
  if (n < text.size()) {
    // Step back over continuation bytes (10xxxxxx) to the start of the cut
    // character, which is dropped whole.
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  }
  (void)out.assign(std::string_view(text.data(), n));
}

// A string member of the error body, cut; absent, null, or not a string:
// left empty. Read through a scratch buffer, as the reader refuses (rather
// than cuts) a value longer than its output; wiped after, since Cashfree's
// messages quote the value they refuse ("Value received: ...") and that may
// be card data.
void read_cut(const JsonObject& o, std::string_view key, StringSpan out) {
  FixedString<512> scratch;
  const FieldResult<bool> present = o.get_optional_string(key, scratch.span());
  if (present.ok() && *present) copy_cut(out, scratch.view());
  secure_wipe(scratch.data(), scratch.capacity() + 1);
}

constexpr RetryDecision kStop = RetryDecision::kStop;

// Codes from Cashfree's Order Pay, Submit OTP and Authorize Order error
// tables (docs/cashfree-api.md, §4.4, §6, §7, and the Order Pay page), and
// the ones the client already told apart. Decisions follow the status
// (classify_http's rule; a test checks every row agrees with it). Screen
// lines say what the cashier can do; a code that can only mean our request
// was malformed (a field the client always sends, or EMI, which it never
// asks for) leaves the cashier nothing to do: the generic "Request refused".
constexpr GatewayCodeRow kCodeTable[] = {
    // Settings and order state.
    {"version_missing", 400, kStop, false, "Check settings"},
    {"version_invalid", 400, kStop, false, "Check settings"},
    {"order_inactive", 400, kStop, false, "Order not active"},
    {"orderpay_not_found", 404, kStop, false, "Order not active"},
    {"order_already_exists", 409, kStop, false, "Order already exists"},
    {"order_amount_invalid", 400, kStop, false, "Check amount"},  // above 10,00,000.00
    {"bank_processing_failure", 502, RetryDecision::kRetrySameKey, false, "Bank busy, try again"},
    // The card itself: reading or keying it again may help.
    {"card_number_invalid", 400, kStop, true, "Check card number"},
    {"card_number_missing", 400, kStop, true, "Enter card number"},
    {"card_cvv_invalid", 400, kStop, true, "Check CVV"},
    {"card_cvv_missing", 400, kStop, true, "Enter CVV"},
    // core/card checks the format first, so from the gateway these mostly
    // mean the card is past its date.
    {"card_expiry_mm_invalid", 400, kStop, true, "Card expired?"},
    {"card_expiry_yy_invalid", 400, kStop, true, "Card expired?"},
    {"card_expiry_mm_missing", 400, kStop, true, "Enter expiry date"},
    {"card_expiry_yy_missing", 400, kStop, true, "Enter expiry date"},
    {"card_invalid", 400, kStop, true, "Read card again"},  // no usable card details
    {"card_not_found", 404, kStop, true, "Card not found"},
    // The card or the method cannot be used here: another card or method.
    {"card_unsupported", 400, kStop, false, "Card not supported"},
    {"payment_method_unsupported", 400, kStop, false, "Card not supported"},
    {"card_submission_disabled", 400, kStop, false, "Card entry disabled"},  // no PCI flag
    {"request_failed", 400, kStop, false, "Pay mode not enabled"},         // mode not configured
    // On card Order Pay the documented cause: an Indian card, a non-INR order.
    {"request_invalid", 400, kStop, false, "Card needs INR order"},
    {"card_bank_name_missing", 400, kStop, false, "Request refused"},  // EMI: never sent
    {"card_bank_name_invalid", 400, kStop, false, "Request refused"},
    {"emi_tenure_missing", 400, kStop, false, "Request refused"},
    {"payment_method_invalid", 400, kStop, false, "Request refused"},
    {"payment_method_missing", 400, kStop, false, "Request refused"},
    // Native OTP.
    {"native_otp_session_id_invalid", 400, kStop, false, "OTP session ended"},
    {"cf_payment_id_invalid", 400, kStop, false, "Payment closed"},  // not open, or no Native OTP
    {"cf_payment_id_missing", 400, kStop, false, "Request refused"},
    {"payment_not_found", 404, kStop, false, "Payment not found"},
    // Pre-authorisation (capture / void); action_* also on Submit OTP.
    {"action_missing", 400, kStop, false, "Request refused"},
    {"action_invalid", 400, kStop, false, "Request refused"},
    {"amount_missing", 400, kStop, false, "Request refused"},
    {"amount_invalid", 400, kStop, false, "Check capture amount"},
    {"payment_already_captured", 0, kStop, false, "Already captured"},  // 409 repeat, 400 void after
    {"payment_already_voided", 0, kStop, false, "Already voided"},      // 409 repeat, 400 capture after
    {"authorization_not_found", 404, kStop, false, "No pre-auth found"},
    {"authorization_expired", 400, kStop, false, "Pre-auth expired"},
};

RetryDecision classify_status(int http_status) {
  if (http_status == 429) return RetryDecision::kRetryAfter;
  // 408: the server gave up waiting for the request, so did not act on it.
  if (http_status == 408) return RetryDecision::kRetrySameKey;
  // 5xx (502 bank_processing_failure included): the gateway or the bank
  // failed; the same key makes a repeat safe.
  if (http_status >= 500 && http_status <= 599) return RetryDecision::kRetrySameKey;
  return RetryDecision::kStop;
}

// The line for a status whose code has no row.
const char* screen_for_status(int http_status) {
  switch (http_status) {
    case 400:
      return "Request refused";
    case 401:
    case 403:
      return "Check settings";
    case 404:
      return "Order not found";
    case 408:
      return "Try again";
    case 409:
    case 422:
      return "Request conflict";
    case 429:
      return "Gateway busy";
    default:
      break;
  }
  if (http_status >= 500 && http_status <= 599) return "Try again";
  if (http_status >= 400 && http_status <= 499) return "Request refused";
  return "Gateway error";  // 1xx/3xx: nothing the API documents
}

}  // namespace

std::span<const GatewayCodeRow> gateway_code_table() { return kCodeTable; }

const GatewayCodeRow* find_gateway_code(int http_status, std::string_view code) {
  if (code.empty()) return nullptr;
  const bool client_error = http_status >= 400 && http_status <= 499;
  for (const GatewayCodeRow& row : kCodeTable) {
    if (std::string_view(row.code) != code) continue;
    if (row.http_status == http_status || (row.http_status == 0 && client_error)) return &row;
  }
  return nullptr;
}

std::string_view to_string(RetryDecision decision) {
  switch (decision) {
    case RetryDecision::kRetrySameKey: return "retry_same_key";
    case RetryDecision::kRetryAfter: return "retry_after";
    case RetryDecision::kStop: return "stop";
    case RetryDecision::kOutcomeUnknown: return "outcome_unknown";
  }
  return "?";
}

std::string_view to_string(ErrorOrigin origin) {
  switch (origin) {
    case ErrorOrigin::kGateway: return "gateway";
    case ErrorOrigin::kTransport: return "transport";
    case ErrorOrigin::kRequest: return "request";
    case ErrorOrigin::kResponse: return "response";
  }
  return "?";
}

std::optional<std::uint32_t> parse_retry_seconds(std::string_view header) {
  std::size_t begin = 0;
  std::size_t end = header.size();
  while (begin < end && (header[begin] == ' ' || header[begin] == '\t')) ++begin;
  while (end > begin && (header[end - 1] == ' ' || header[end - 1] == '\t')) --end;
  if (begin == end) return std::nullopt;
  std::uint32_t seconds = 0;
  for (std::size_t i = begin; i < end; ++i) {
    if (!is_digit(header[i])) return std::nullopt;
    seconds = seconds * 10 + static_cast<std::uint32_t>(header[i] - '0');
    if (seconds > 86'400) return std::nullopt;  // also stops any overflow
  }
  return seconds;
}

RetryDecision classify_http(int http_status, std::string_view code) {
  const GatewayCodeRow* row = find_gateway_code(http_status, code);
  return row != nullptr ? row->retry : classify_status(http_status);
}

const char* screen_message_for_http(int http_status, std::string_view code) {
  if (const GatewayCodeRow* row = find_gateway_code(http_status, code)) return row->screen_message;
  return screen_for_status(http_status);
}

GatewayError error_from_response(int http_status, std::string_view body, const ResponseHints& hints,
                                 JsonArenaBase& arena) {
  GatewayError e;
  e.origin = ErrorOrigin::kGateway;
  e.http_status = http_status;
  e.replayed = hints.replayed;
  e.request_sent = true;
  e.response_started = true;

  const Result<JsonDocument> doc = JsonDocument::parse(arena, body);
  if (doc.ok()) {
    const FieldResult<JsonObject> root = doc->root_object();
    if (root.ok()) {
      read_cut(*root, "code", e.code.span());
      read_cut(*root, "type", e.type.span());
      read_cut(*root, "message", e.message.span());
    }
  }

  // classify_http and screen_message_for_http, with one lookup.
  const GatewayCodeRow* row = find_gateway_code(http_status, e.code.view());
  e.retry = row != nullptr ? row->retry : classify_status(http_status);
  e.screen_message = row != nullptr ? row->screen_message : screen_for_status(http_status);
  e.card_reentry = row != nullptr && row->card_reentry;
  e.status = Status(Code::kUnavailable, e.screen_message);
  if (e.retry == RetryDecision::kRetryAfter) {
    std::optional<std::uint32_t> seconds;
    if (hints.ratelimit_retry) seconds = parse_retry_seconds(*hints.ratelimit_retry);
    if (!seconds && hints.retry_after) seconds = parse_retry_seconds(*hints.retry_after);
    e.retry_after_s = seconds ? *seconds : kDefaultRetryAfterSeconds;
    // 0 means "within the limit", which a 429 contradicts: wait a second.
    if (e.retry_after_s == 0) e.retry_after_s = 1;
  }
  return e;
}

GatewayError error_from_exchange(const http::ExchangeResult& result) {
  GatewayError e;
  e.origin = ErrorOrigin::kTransport;
  e.status = result.status;
  e.request_sent = result.request_written;
  e.response_started = result.response_started;
  const Code code = result.status.code();

  if (result.bytes_sent == 0) {
    // The request writer refuses before touching the transport.
    if (code == Code::kInvalidArgument || code == Code::kCapacityExceeded) {
      e.origin = ErrorOrigin::kRequest;
      e.retry = RetryDecision::kStop;
      e.screen_message = "Request invalid";
      return e;
    }
    e.retry = RetryDecision::kRetrySameKey;
    e.screen_message = (code == Code::kTlsError || code == Code::kCertificateInvalid) ? "Secure link failed"
                                                                                       : "Network error";
    return e;
  }
  if (!result.request_written) {
    // Part of the request went out: a server acts only on a complete one
    // (Content-Length), so this is as safe as sending nothing.
    e.retry = RetryDecision::kRetrySameKey;
    e.screen_message = "Network error";
    return e;
  }
  // Sent in full, no complete answer: the gateway may have acted.
  e.retry = RetryDecision::kOutcomeUnknown;
  if (code == Code::kCapacityExceeded) {
    e.screen_message = "Reply too large";
  } else if (code == Code::kParseError || code == Code::kProtocolError) {
    e.screen_message = "Bad gateway reply";
  } else {
    e.screen_message = "No gateway reply";
  }
  return e;
}

GatewayError error_from_request(Status status, std::string_view field) {
  GatewayError e;
  e.origin = ErrorOrigin::kRequest;
  e.retry = RetryDecision::kStop;
  e.status = status;
  if (!field.empty()) (void)e.field.assign(field);  // a key longer than JsonKey is left out
  // Builder statuses are written as screen lines ("Check settings",
  // "amount too small"); anything longer gets the generic one.
  const char* m = status.message();
  std::size_t length = 0;
  while (m != nullptr && m[length] != '\0' && length <= kScreenLineLength) ++length;
  e.screen_message = (m != nullptr && length > 0 && length <= kScreenLineLength) ? m : "Request invalid";
  return e;
}

GatewayError error_from_decode(int http_status, const FieldStatus& status, bool replayed) {
  GatewayError e;
  e.origin = ErrorOrigin::kResponse;
  e.retry = RetryDecision::kOutcomeUnknown;
  e.status = status.status();
  (void)e.field.assign(status.key());
  e.http_status = http_status;
  e.replayed = replayed;
  e.request_sent = true;
  e.response_started = true;
  e.screen_message = status.code() == Code::kCapacityExceeded ? "Reply too large" : "Bad gateway reply";
  return e;
}

}  // namespace posagent::gateway
