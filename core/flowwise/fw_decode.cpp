#include "core/flowwise/fw_decode.hpp"

#include "core/base/money.hpp"
#include "core/base/timestamp.hpp"

namespace posagent::flowwise {

namespace {

// The reader's "field missing", "field wrong type", "duplicate key" and
// Money's statuses all mean one thing to a caller: this answer is not the
// entity the API promised. Capacity (ours) and internal errors keep their
// code.
FieldStatus normalize(const FieldStatus& s) {
  switch (s.code()) {
    case Code::kOk:
    case Code::kCapacityExceeded:
    case Code::kInternal:
    case Code::kParseError:
      return s;
    default:
      return FieldStatus(Status(Code::kParseError, s.message()), s.key());
  }
}

FieldStatus parse_error(const char* message, std::string_view key) {
  return FieldStatus(Status(Code::kParseError, message), key);
}

#define FW_DECODE_TRY(expr)                                       \
  do {                                                            \
    const ::posagent::FieldStatus fw_decode_s_ = normalize(expr); \
    if (!fw_decode_s_.ok()) return fw_decode_s_;                  \
  } while (0)

FieldStatus required_id(const JsonObject& o, std::string_view key, StringSpan out) {
  FW_DECODE_TRY(o.get_string(key, out));
  if (out.size() == 0) return parse_error("field is empty", key);
  return FieldStatus();
}

FieldStatus optional_string(const JsonObject& o, std::string_view key, StringSpan out) {
  const FieldResult<bool> present = o.get_optional_string(key, out);
  return present.ok() ? FieldStatus() : present.error();
}

// An enum's text; longer than any value we know is kept empty (kUnknown),
// not an error.
FieldStatus optional_enum_text(const JsonObject& o, std::string_view key, EnumText& out) {
  const FieldStatus s = optional_string(o, key, out.span());
  if (s.code() == Code::kCapacityExceeded) {
    out.clear();
    return FieldStatus();
  }
  return s;
}

FieldStatus required_enum_text(const JsonObject& o, std::string_view key, EnumText& out) {
  const FieldStatus s = o.get_string(key, out.span());
  if (s.code() == Code::kCapacityExceeded) {
    out.clear();
    return FieldStatus();
  }
  return s;
}

// Shown to people only: absent or null is empty, too long is cut, so a
// processor's long message never makes a payment unreadable.
FieldStatus optional_display_text(const JsonObject& o, std::string_view key, StringSpan out) {
  out.clear();
  const FieldResult<JsonValue> value = o.get(key);
  if (!value.ok()) return value.error().code() == Code::kNotFound ? FieldStatus() : value.error();
  if (value->is_null()) return FieldStatus();
  const FieldResult<bool> cut = value->read_string_cut(out);
  return cut.ok() ? FieldStatus() : cut.error();
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
  FW_DECODE_TRY(optional_string(o, key, out));
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

FieldResult<JsonObject> root_object(JsonArenaBase& arena, std::string_view body) {
  const Result<JsonDocument> doc = JsonDocument::parse(arena, body);
  if (!doc.ok()) return FieldStatus(doc.status(), "");
  const FieldResult<JsonObject> root = doc->root_object();
  if (!root.ok()) return normalize(root.error());
  return root;
}

FieldStatus decode_details(const JsonObject& o, FwPaymentDetails& out) {
  FW_DECODE_TRY(required_id(o, "payment_id", out.payment_id.span()));
  FW_DECODE_TRY(required_id(o, "order_id", out.order_id.span()));
  // Create Payment names it payment_status; PaymentDetails and Authorize
  // name it status.
  const FieldResult<JsonValue> named = o.get("payment_status");
  if (!named.ok() && named.code() != Code::kNotFound) return normalize(named.error());  // a duplicate key
  const std::string_view status_key = named.ok() && !named->is_null() ? "payment_status" : "status";
  FW_DECODE_TRY(required_enum_text(o, status_key, out.payment_status_text));
  out.payment_status = parse_payment_status(out.payment_status_text.view());
  FW_DECODE_TRY(optional_enum_text(o, "payment_method", out.payment_method_text));
  out.payment_method = parse_payment_method(out.payment_method_text.view());
  FW_DECODE_TRY(optional_enum_text(o, "capture_status", out.capture_status_text));
  out.capture_status = parse_capture_status(out.capture_status_text.view());
  FW_DECODE_TRY(required_amount(o, "payment_amount", out.payment_amount_paise));
  FW_DECODE_TRY(optional_amount(o, "capture_amount", out.capture_amount_paise));

  const FieldResult<std::optional<JsonObject>> gateway = o.get_optional_object("gateway_details");
  if (!gateway.ok()) return normalize(gateway.error());
  FW_DECODE_TRY(read_gateway_field(o, *gateway, "processor_ref", out.processor_ref.span()));
  FW_DECODE_TRY(read_gateway_field(o, *gateway, "utr", out.utr.span()));
  FW_DECODE_TRY(read_gateway_field(o, *gateway, "auth_id", out.auth_id.span()));

  FW_DECODE_TRY(optional_display_text(o, "payment_message", out.payment_message.span()));
  const FieldResult<std::optional<JsonObject>> error = o.get_optional_object("error_details");
  if (!error.ok()) return normalize(error.error());
  if (error->has_value()) {
    FW_DECODE_TRY(optional_string(**error, "error_code", out.error_code.span()));
    FW_DECODE_TRY(optional_display_text(**error, "error_description", out.error_description.span()));
  }
  return FieldStatus();
}

// Splits a top-level JSON array into its elements' texts without parsing
// them, so each is parsed alone in a small arena. Only brackets and strings
// are tracked; the real parser validates each element. (pg_decode.cpp has
// the same walk for /pg's Get Payments, private to that file; a shared one
// in core/json could serve both.)
class ArraySplitter {
 public:
  explicit ArraySplitter(std::string_view text) : text_(text) {}

  bool open() {
    skip_space();
    if (at_end() || text_[pos_] != '[') return false;
    ++pos_;
    skip_space();
    if (!at_end() && text_[pos_] == ']') {
      ++pos_;
      skip_space();
      done_ = at_end();
      return done_;  // "[] x" is not an array
    }
    return true;
  }

  bool done() const { return done_; }

  Result<std::string_view> next() {
    const std::size_t start = pos_;
    std::size_t depth = 0;
    bool in_string = false;
    for (; !at_end(); ++pos_) {
      const char c = text_[pos_];
      if (in_string) {
        if (c == '\\') {
          ++pos_;
        } else if (c == '"') {
          in_string = false;
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        if (++depth > kJsonNestingLimit) return Status(Code::kParseError, "json too deep");
      } else if (c == '}' || c == ']') {
        if (depth == 0) break;
        --depth;
      } else if (c == ',' && depth == 0) {
        break;
      }
    }
    if (at_end() || in_string) return Status(Code::kParseError, "json array cut");
    std::size_t end = pos_;
    while (end > start && is_space(text_[end - 1])) --end;
    const std::string_view element(text_.data() + start, end - start);
    const char delimiter = text_[pos_++];
    skip_space();
    if (delimiter == ']') {
      if (!at_end()) return Status(Code::kParseError, "json trailing bytes");
      done_ = true;
    } else if (delimiter != ',') {
      return Status(Code::kParseError, "json array invalid");  // a '}' closing nothing
    }
    return element;
  }

 private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  bool at_end() const { return pos_ >= text_.size(); }
  void skip_space() {
    while (!at_end() && is_space(text_[pos_])) ++pos_;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  bool done_ = false;
};

}  // namespace

FieldStatus decode_order(JsonArenaBase& arena, std::string_view body, FwOrder& out) {
  out = FwOrder{};
  const FieldResult<JsonObject> root = root_object(arena, body);
  if (!root.ok()) return root.error();
  const JsonObject& o = *root;
  FW_DECODE_TRY(required_id(o, "order_id", out.order_id.span()));
  FW_DECODE_TRY(optional_string(o, "order_hash", out.order_hash.span()));
  FW_DECODE_TRY(required_enum_text(o, "order_status", out.order_status_text));
  out.order_status = parse_order_status(out.order_status_text.view());
  FW_DECODE_TRY(required_amount(o, "order_amount", out.order_amount_paise));
  FixedString<Timestamp::kMaxTextLength + 16> expiry;  // room for fractional seconds
  FW_DECODE_TRY(optional_string(o, "order_expiry_time", expiry.span()));
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
  FW_DECODE_TRY(decode_details(o, out));
  FW_DECODE_TRY(optional_string(o, "redirect_url", out.redirect_url.span()));
  FW_DECODE_TRY(optional_string(o, "payload", out.payload.span()));
  return FieldStatus();
}

FieldStatus decode_payments(JsonArenaBase& arena, std::string_view body, FwPaymentList& out) {
  out.count = 0;
  ArraySplitter elements(body);
  if (!elements.open()) return parse_error("not a json array", "");
  while (!elements.done()) {
    const Result<std::string_view> element = elements.next();
    if (!element.ok()) return FieldStatus(element.status(), "");
    if (out.count == kMaxPayments) return FieldStatus(Status(Code::kCapacityExceeded, "too many payments"), "");
    FwPaymentDetails& payment = out.payments[out.count];
    payment = FwPaymentDetails{};
    const FieldResult<JsonObject> object = root_object(arena, *element);
    if (!object.ok()) return object.error();
    const FieldStatus decoded = decode_details(*object, payment);
    if (!decoded.ok()) return decoded;
    ++out.count;
  }
  return FieldStatus();
}

}  // namespace posagent::flowwise
