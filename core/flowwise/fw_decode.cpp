#include "core/flowwise/fw_decode.hpp"

#include "core/base/money.hpp"
#include "core/base/timestamp.hpp"
#include "core/gateway/decode_fields.hpp"

namespace posagent::flowwise {

namespace {

using gateway::decode::normalize;
using gateway::decode::optional_display_text;
using gateway::decode::optional_string;
using gateway::decode::parse_error;
using gateway::decode::root_object;

FieldStatus required_id(const JsonObject& o, std::string_view key, StringSpan out) {
  POSAGENT_DECODE_TRY(o.get_string(key, out));
  if (out.size() == 0) return parse_error("field is empty", key);
  return FieldStatus();
}

// An enum's text; longer than any value we know is kept empty (kUnknown),
// not an error.
FieldStatus optional_enum_text(const JsonObject& o, std::string_view key, EnumText& out) {
  return gateway::decode::short_text(o, key, out.span(), false);
}
FieldStatus required_enum_text(const JsonObject& o, std::string_view key, EnumText& out) {
  return gateway::decode::short_text(o, key, out.span(), true);
}

// Rupees into paise; 0 too where it means "none yet" (see the header).
FieldStatus read_paise(const JsonValue& value, bool zero_ok, std::int64_t& paise) {
  const FieldResult<Money> money = value.read_money();
  if (money.ok()) {
    paise = money->paise();
    return FieldStatus();
  }
  if (zero_ok && value.type() == JsonType::kNumber && value.read_int64(0, 0).ok()) {
    paise = 0;
    return FieldStatus();
  }
  return money.error();
}

FieldStatus required_amount(const JsonObject& o, std::string_view key, std::int64_t& paise) {
  const FieldResult<JsonValue> value = o.get(key);
  if (!value.ok()) return value.error();
  return read_paise(*value, false, paise);
}

// Absent, null or 0: 0.
FieldStatus optional_amount(const JsonObject& o, std::string_view key, std::int64_t& paise) {
  paise = 0;
  const FieldResult<JsonValue> value = o.get(key);
  if (!value.ok()) return value.error().code() == Code::kNotFound ? FieldStatus() : value.error();
  if (value->is_null()) return FieldStatus();
  return read_paise(*value, true, paise);
}

// A string that may sit at the top or in gateway_details: the nested one
// wins when it is there, as it is the processor's own.
FieldStatus read_gateway_field(const JsonObject& o, const std::optional<JsonObject>& gateway, std::string_view key,
                               StringSpan out) {
  POSAGENT_DECODE_TRY(optional_string(o, key, out));
  if (!gateway) return FieldStatus();
  FixedString<kProcessorRefCapacity> nested;  // the largest of the three
  if (out.capacity() > nested.capacity()) return FieldStatus(Status(Code::kInternal, "field capacity"), key);
  const FieldResult<bool> present = gateway->get_optional_string(key, nested.span());
  if (!present.ok()) return normalize(present.error());
  if (*present) {
    if (!out.assign(nested.view())) return FieldStatus(Status(Code::kCapacityExceeded, "field too long"), key);
  }
  return FieldStatus();
}

FieldStatus decode_details(const JsonObject& o, FwPaymentDetails& out) {
  POSAGENT_DECODE_TRY(required_id(o, "payment_id", out.payment_id.span()));
  POSAGENT_DECODE_TRY(required_id(o, "order_id", out.order_id.span()));
  // Create Payment names it payment_status; PaymentDetails and Authorize
  // name it status.
  const FieldResult<JsonValue> named = o.get("payment_status");
  if (!named.ok() && named.code() != Code::kNotFound) return normalize(named.error());  // a duplicate key
  const std::string_view status_key = named.ok() && !named->is_null() ? "payment_status" : "status";
  POSAGENT_DECODE_TRY(required_enum_text(o, status_key, out.payment_status_text));
  out.payment_status = parse_payment_status(out.payment_status_text.view());
  POSAGENT_DECODE_TRY(optional_enum_text(o, "payment_method", out.payment_method_text));
  out.payment_method = parse_payment_method(out.payment_method_text.view());
  POSAGENT_DECODE_TRY(optional_enum_text(o, "capture_status", out.capture_status_text));
  out.capture_status = parse_capture_status(out.capture_status_text.view());
  POSAGENT_DECODE_TRY(required_amount(o, "payment_amount", out.payment_amount_paise));
  POSAGENT_DECODE_TRY(optional_amount(o, "capture_amount", out.capture_amount_paise));

  const FieldResult<std::optional<JsonObject>> gateway = o.get_optional_object("gateway_details");
  if (!gateway.ok()) return normalize(gateway.error());
  POSAGENT_DECODE_TRY(read_gateway_field(o, *gateway, "processor_ref", out.processor_ref.span()));
  POSAGENT_DECODE_TRY(read_gateway_field(o, *gateway, "utr", out.utr.span()));
  POSAGENT_DECODE_TRY(read_gateway_field(o, *gateway, "auth_id", out.auth_id.span()));

  POSAGENT_DECODE_TRY(optional_display_text(o, "payment_message", out.payment_message.span()));
  const FieldResult<std::optional<JsonObject>> error = o.get_optional_object("error_details");
  if (!error.ok()) return normalize(error.error());
  if (error->has_value()) {
    POSAGENT_DECODE_TRY(optional_string(**error, "error_code", out.error_code.span()));
    POSAGENT_DECODE_TRY(optional_display_text(**error, "error_description", out.error_description.span()));
  }
  return FieldStatus();
}

}  // namespace

FieldStatus decode_order(JsonArenaBase& arena, std::string_view body, FwOrder& out) {
  out = FwOrder{};
  const FieldResult<JsonObject> root = root_object(arena, body);
  if (!root.ok()) return root.error();
  const JsonObject& o = *root;
  POSAGENT_DECODE_TRY(required_id(o, "order_id", out.order_id.span()));
  POSAGENT_DECODE_TRY(optional_string(o, "order_hash", out.order_hash.span()));
  POSAGENT_DECODE_TRY(required_enum_text(o, "order_status", out.order_status_text));
  out.order_status = parse_order_status(out.order_status_text.view());
  POSAGENT_DECODE_TRY(required_amount(o, "order_amount", out.order_amount_paise));
  FixedString<Timestamp::kMaxTextLength + 16> expiry;  // room for fractional seconds
  POSAGENT_DECODE_TRY(optional_string(o, "order_expiry_time", expiry.span()));
  if (!expiry.empty()) {
    const Result<Timestamp> when = Timestamp::parse(expiry.view());
    if (!when.ok()) return parse_error(when.status().message(), "order_expiry_time");
    out.order_expiry_time = *when;
  }
  return FieldStatus();
}

FieldStatus decode_payment(JsonArenaBase& arena, std::string_view body, FwPayment& out) {
  out = FwPayment{};
  const FieldResult<JsonObject> root = root_object(arena, body);
  if (!root.ok()) return root.error();
  const JsonObject& o = *root;
  POSAGENT_DECODE_TRY(decode_details(o, out));
  POSAGENT_DECODE_TRY(optional_string(o, "redirect_url", out.redirect_url.span()));
  POSAGENT_DECODE_TRY(optional_string(o, "payload", out.payload.span()));
  return FieldStatus();
}

FieldStatus decode_payments(JsonArenaBase& arena, std::string_view body, FwPaymentList& out) {
  return gateway::decode::decode_each(arena, body, out.payments, out.count, "too many payments", decode_details);
}

}  // namespace posagent::flowwise
