#include "core/gateway/pg_decode.hpp"

#include "core/base/base64.hpp"
#include "core/base/money.hpp"
#include "core/base/timestamp.hpp"
#include "core/gateway/decode_fields.hpp"

#include <cstdint>

namespace posagent::gateway {

namespace {

using decode::normalize;
using decode::optional_display_text;
using decode::optional_string;
using decode::parse_error;
using decode::root_object;

FieldStatus required_string(const JsonObject& o, std::string_view key, StringSpan out) {
  return o.get_string(key, out);
}

// Writes a non-negative integer in decimal.
bool append_decimal(StringSpan out, std::int64_t value) {
  char digits[20];
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  if (n > out.remaining()) return false;
  while (n > 0) (void)out.push_back(digits[--n]);
  return true;
}

// cf_* ids: a string, or (older versions) a non-negative integer kept as
// its digits.
FieldStatus read_id(const JsonObject& o, std::string_view key, StringSpan out) {
  const FieldResult<JsonValue> value = o.get(key);
  if (!value.ok()) return value.error();
  if (value->type() == JsonType::kNumber) {
    const FieldResult<std::int64_t> number = value->read_int64(0);
    if (!number.ok()) return number.error();
    out.clear();
    if (!append_decimal(out, *number)) return FieldStatus(Status(Code::kCapacityExceeded, "field too long"), key);
    return FieldStatus();
  }
  POSAGENT_DECODE_TRY(value->read_string(out));
  if (out.size() == 0) return parse_error("field is empty", key);
  return FieldStatus();
}

// An enum's text. Longer than any value we know: kept empty (the caller's
// parse gives kUnknown), not an error.
FieldStatus read_enum_text(const JsonObject& o, std::string_view key, EnumText& out, bool required) {
  return decode::short_text(o, key, out.span(), required);
}

FieldStatus read_amount(const JsonObject& o, std::string_view key, std::int64_t& paise) {
  const FieldResult<Money> money = o.get_money(key);
  if (!money.ok()) return money.error();
  paise = money->paise();
  return FieldStatus();
}

FieldStatus read_optional_amount(const JsonObject& o, std::string_view key, std::int64_t& paise) {
  const FieldResult<std::optional<Money>> money = o.get_optional_money(key);
  if (!money.ok()) return money.error();
  paise = money->has_value() ? (*money)->paise() : 0;
  return FieldStatus();
}

// A short text that only hints how to use an answer (data.method,
// data.content_type): optional, and like an enum's text, left empty rather
// than refused when longer than its room.
FieldStatus read_hint(const JsonObject& o, std::string_view key, StringSpan out) {
  return decode::short_text(o, key, out, false);
}

// authorization.captured_amount: 0 until a capture, which Money (at least
// 1.00) refuses, so an integer 0 is read first. Absent or null: 0.
FieldStatus read_captured_amount(const JsonObject& o, std::int32_t& paise) {
  paise = 0;
  const FieldResult<JsonValue> value = o.get("captured_amount");
  if (!value.ok()) return value.error().code() == Code::kNotFound ? FieldStatus() : value.error();
  if (value->is_null() || value->read_int64(0, 0).ok()) return FieldStatus();
  const FieldResult<Money> money = value->read_money();
  if (!money.ok()) return FieldStatus(money.status(), "captured_amount");
  static_assert(Money::kMaxPaise <= INT32_MAX, "captured paise are kept in an int32");
  paise = static_cast<std::int32_t>(money->paise());
  return FieldStatus();
}

// The `authorization` block of a pre-authorised payment; null or absent:
// not present. Unknown action or status texts are kUnknown.
FieldStatus decode_authorization(const JsonObject& o, PaymentAuthorization& out) {
  out = PaymentAuthorization{};
  const FieldResult<std::optional<JsonObject>> block = o.get_optional_object("authorization");
  if (!block.ok()) return normalize(FieldStatus(block.status(), "authorization"));
  if (!block->has_value()) return FieldStatus();
  const JsonObject& a = **block;
  out.present = true;
  EnumText text;
  // null, absent or "": nothing done yet. A text too long to keep is no
  // value we know.
  const FieldStatus action = optional_string(a, "action", text.span());
  if (action.code() == Code::kCapacityExceeded) {
    out.action = AuthorizationAction::kUnknown;
  } else {
    POSAGENT_DECODE_TRY(action);
    if (!text.empty()) out.action = parse_authorization_action(text.view());
  }
  POSAGENT_DECODE_TRY(read_enum_text(a, "status", text, false));
  out.status = parse_authorization_status(text.view());
  POSAGENT_DECODE_TRY(read_captured_amount(a, out.captured_amount_paise));
  return FieldStatus();
}

FieldStatus decode_attempt(const JsonObject& o, PaymentAttempt& out) {
  POSAGENT_DECODE_TRY(read_id(o, "cf_payment_id", out.cf_payment_id.span()));
  POSAGENT_DECODE_TRY(read_enum_text(o, "payment_status", out.payment_status_text, true));
  out.payment_status = parse_payment_status(out.payment_status_text.view());
  POSAGENT_DECODE_TRY(read_amount(o, "payment_amount", out.payment_amount_paise));
  POSAGENT_DECODE_TRY(optional_string(o, "bank_reference", out.bank_reference.span()));
  POSAGENT_DECODE_TRY(optional_display_text(o, "payment_message", out.payment_message.span()));
  const FieldResult<std::optional<JsonObject>> details = o.get_optional_object("error_details");
  if (!details.ok()) return normalize(details.error());
  if (details->has_value()) {
    const JsonObject& d = **details;
    POSAGENT_DECODE_TRY(optional_string(d, "error_code", out.error_code.span()));
    POSAGENT_DECODE_TRY(optional_display_text(d, "error_description", out.error_description.span()));
  }
  // get() and read_bool(), not get_optional_bool(): the same, and smaller
  // in every image (each attempt of a UPI sale is read through here).
  const FieldResult<JsonValue> captured = o.get("is_captured");
  if (!captured.ok() && captured.error().code() != Code::kNotFound) return normalize(captured.error());
  if (captured.ok() && !captured->is_null()) {
    const FieldResult<bool> flag = captured->read_bool();
    if (!flag.ok()) return normalize(flag.error());
    out.is_captured = *flag;
  }
  POSAGENT_DECODE_TRY(decode_authorization(o, out.authorization));
  return FieldStatus();
}

constexpr std::string_view kPngDataUrlPrefix = "data:image/png;base64,";
constexpr std::uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

}  // namespace

FieldStatus decode_order(JsonArenaBase& arena, std::string_view body, OrderEntity& out) {
  out = OrderEntity{};
  const FieldResult<JsonObject> root = root_object(arena, body);
  if (!root.ok()) return root.error();
  const JsonObject& o = *root;
  POSAGENT_DECODE_TRY(required_string(o, "order_id", out.order_id.span()));
  POSAGENT_DECODE_TRY(read_id(o, "cf_order_id", out.cf_order_id.span()));
  POSAGENT_DECODE_TRY(read_enum_text(o, "order_status", out.order_status_text, true));
  out.order_status = parse_order_status(out.order_status_text.view());
  POSAGENT_DECODE_TRY(optional_string(o, "payment_session_id", out.payment_session_id.span()));
  POSAGENT_DECODE_TRY(read_amount(o, "order_amount", out.order_amount_paise));
  // Cashfree writes "2023-09-09 18:02:46+05:30" or the 'T' form; both parse.
  FixedString<Timestamp::kMaxTextLength + 16> expiry;  // room for fractional seconds
  POSAGENT_DECODE_TRY(optional_string(o, "order_expiry_time", expiry.span()));
  if (!expiry.empty()) {
    const Result<Timestamp> when = Timestamp::parse(expiry.view());
    if (!when.ok()) return parse_error(when.status().message(), "order_expiry_time");
    out.order_expiry_time = *when;
  }
  return FieldStatus();
}

FieldStatus decode_upi_pay_order(JsonArenaBase& arena, std::string_view body, UpiChannel requested,
                                 UpiPayment& out, StringSpan* qr_data_url) {
  out = UpiPayment{};
  if (requested != UpiChannel::kLink && requested != UpiChannel::kQrcode) {
    return FieldStatus(Status(Code::kInvalidArgument, "channel not decoded"), "channel");
  }
  if (requested == UpiChannel::kQrcode && qr_data_url == nullptr) {
    return FieldStatus(Status(Code::kInvalidArgument, "no QR buffer"), "qrcode");
  }
  const FieldResult<JsonObject> root = root_object(arena, body);
  if (!root.ok()) return root.error();
  const JsonObject& o = *root;
  POSAGENT_DECODE_TRY(read_id(o, "cf_payment_id", out.cf_payment_id.span()));
  POSAGENT_DECODE_TRY(read_enum_text(o, "action", out.action_text, true));
  out.action = parse_pay_action(out.action_text.view());
  POSAGENT_DECODE_TRY(read_enum_text(o, "channel", out.channel_text, false));
  out.channel = parse_upi_channel(out.channel_text.view());
  POSAGENT_DECODE_TRY(read_optional_amount(o, "payment_amount", out.payment_amount_paise));

  const FieldResult<JsonObject> data = o.get_object("data");
  if (!data.ok()) return normalize(data.error());
  const FieldResult<JsonObject> payload = data->get_object("payload");
  if (!payload.ok()) return normalize(payload.error());
  if (requested == UpiChannel::kLink) {
    POSAGENT_DECODE_TRY(required_string(*payload, "default", out.intent.span()));
    if (out.intent.empty()) return parse_error("field is empty", "default");
  } else {
    POSAGENT_DECODE_TRY(required_string(*payload, "qrcode", *qr_data_url));
    if (qr_data_url->size() == 0) return parse_error("field is empty", "qrcode");
  }
  return FieldStatus();
}

FieldStatus decode_payments(JsonArenaBase& arena, std::string_view body, PaymentList& out) {
  return decode::decode_each(arena, body, out.attempts, out.count, "too many attempts", decode_attempt);
}

FieldStatus decode_card_pay_order(JsonArenaBase& arena, std::string_view body, CardPayment& out) {
  out = CardPayment{};
  const FieldResult<JsonObject> root = root_object(arena, body);
  if (!root.ok()) return root.error();
  const JsonObject& o = *root;
  POSAGENT_DECODE_TRY(read_id(o, "cf_payment_id", out.cf_payment_id.span()));
  POSAGENT_DECODE_TRY(read_enum_text(o, "action", out.action_text, true));
  out.action = parse_pay_action(out.action_text.view());
  POSAGENT_DECODE_TRY(read_enum_text(o, "channel", out.channel_text, false));
  POSAGENT_DECODE_TRY(read_optional_amount(o, "payment_amount", out.payment_amount_paise));

  const FieldResult<JsonObject> data = o.get_object("data");
  if (!data.ok()) return normalize(data.error());
  POSAGENT_DECODE_TRY(optional_string(*data, "url", out.url.span()));
  POSAGENT_DECODE_TRY(optional_string(*data, "redirect_to_bank", out.redirect_to_bank.span()));
  POSAGENT_DECODE_TRY(read_hint(*data, "method", out.method.span()));
  POSAGENT_DECODE_TRY(read_hint(*data, "content_type", out.content_type.span()));
  // Each of these actions sends the terminal (or the customer) to data.url.
  const bool needs_url =
      out.action == PayAction::kPost || out.action == PayAction::kLink || out.action == PayAction::kForm;
  if (needs_url && out.url.empty()) return parse_error("field missing", "url");
  return FieldStatus();
}

FieldStatus decode_otp_result(JsonArenaBase& arena, std::string_view body, OtpResult& out) {
  out = OtpResult{};
  const FieldResult<JsonObject> root = root_object(arena, body);
  if (!root.ok()) return root.error();
  const JsonObject& o = *root;
  const FieldResult<JsonValue> id = o.get("cf_payment_id");
  if (!id.ok() && id.error().code() != Code::kNotFound) return normalize(id.error());
  if (id.ok() && !id->is_null()) POSAGENT_DECODE_TRY(read_id(o, "cf_payment_id", out.cf_payment_id.span()));
  POSAGENT_DECODE_TRY(read_enum_text(o, "authenticate_status", out.authenticate_status_text, true));
  out.authenticate_status = parse_authenticate_status(out.authenticate_status_text.view());
  POSAGENT_DECODE_TRY(optional_display_text(o, "payment_message", out.payment_message.span()));
  return FieldStatus();
}

FieldStatus decode_payment(JsonArenaBase& arena, std::string_view body, PaymentAttempt& out) {
  out = PaymentAttempt{};
  const FieldResult<JsonObject> root = root_object(arena, body);
  if (!root.ok()) return root.error();
  return decode_attempt(*root, out);
}

Result<std::size_t> decode_qr_png(std::string_view data_url, std::span<std::uint8_t> out) {
  // Not substr(): its bounds check would pull libstdc++'s exception path
  // into firmware.
  if (data_url.size() <= kPngDataUrlPrefix.size() || !data_url.starts_with(kPngDataUrlPrefix)) {
    return Status(Code::kParseError, "not a PNG data URL");
  }
  const std::string_view encoded(data_url.data() + kPngDataUrlPrefix.size(),
                                 data_url.size() - kPngDataUrlPrefix.size());
  const Result<std::size_t> decoded = base64_decode(encoded, out);
  if (!decoded.ok()) {
    if (decoded.status().code() == Code::kCapacityExceeded) return decoded.status();
    return Status(Code::kParseError, "QR base64 invalid");
  }
  if (*decoded < sizeof(kPngSignature)) return Status(Code::kParseError, "QR is not a PNG");
  for (std::size_t i = 0; i < sizeof(kPngSignature); ++i) {
    if (out[i] != kPngSignature[i]) return Status(Code::kParseError, "QR is not a PNG");
  }
  return *decoded;
}

}  // namespace posagent::gateway
