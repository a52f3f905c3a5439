#include "core/gateway/pg_request.hpp"

#include "core/base/money.hpp"
#include "core/json/json_writer.hpp"

namespace posagent::gateway {

namespace {

constexpr Status kInvalid(Code::kInvalidArgument, "Request invalid");
constexpr Status kNoKey(Code::kInvalidArgument, "No idempotency key");

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Letters, digits, '_' and '-': what Cashfree accepts in order and customer
// ids, and safe in a path segment without percent-encoding.
bool is_id_text(std::string_view text, std::size_t min_length, std::size_t max_length) {
  if (text.size() < min_length || text.size() > max_length) return false;
  for (char c : text) {
    if (!is_alnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

bool is_phone(std::string_view text) {
  if (text.size() != kPhoneLength) return false;
  for (char c : text) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// Visible ASCII: header values we pass through (the request writer would
// refuse control characters too, but a key with a space is a bug here).
bool is_token_text(std::string_view text, std::size_t max_length) {
  if (text.empty() || text.size() > max_length) return false;
  for (char c : text) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

FieldStatus invalid(std::string_view field) { return FieldStatus(kInvalid, field); }
FieldStatus failed(Status status, std::string_view field) { return FieldStatus(status, field); }

// Converts a writer status into the builder's FieldStatus.
#define PG_TRY_WRITE(expr, field)                                   \
  do {                                                              \
    const ::posagent::Status pg_write_s_ = (expr);                  \
    if (!pg_write_s_.ok()) return failed(pg_write_s_, (field));     \
  } while (0)

// POSAGENT_TRY for FieldStatus: keeps the key.
#define PG_TRY_FIELD(expr)                              \
  do {                                                  \
    const ::posagent::FieldStatus pg_field_s_ = (expr); \
    if (!pg_field_s_.ok()) return pg_field_s_;          \
  } while (0)

}  // namespace

bool is_valid_order_id(std::string_view order_id) {
  return is_id_text(order_id, kOrderIdMinLength, kOrderIdMaxLength);
}

http::Request PgRequest::http_request() const {
  http::Request request;
  request.method = method_;
  request.target = target_.view();
  request.host = host_.view();
  request.headers = headers();
  request.body = body_;
  return request;
}

std::optional<std::string_view> PgRequest::header(std::string_view name) const {
  for (const http::Header& h : headers()) {
    if (http::equals_ignore_case(h.name, name)) return h.value;
  }
  return std::nullopt;
}

FieldStatus PgRequestBuilder::start(http::Method method, std::string_view path_tail, std::string_view order_id,
                                    Auth auth, const CallIds& ids, bool needs_key, bool has_body,
                                    PgRequest& out) {
  PG_TRY_FIELD(FieldStatus(config_.validate(), "config"));
  if (!is_token_text(ids.request_id, kRequestIdMaxLength)) return invalid("x-request-id");
  if (needs_key) {
    if (ids.idempotency_key.empty()) return FieldStatus(kNoKey, "x-idempotency-key");
    if (!is_token_text(ids.idempotency_key, kIdempotencyKeyMaxLength)) return invalid("x-idempotency-key");
  }

  out.method_ = method;
  out.header_count_ = 0;
  out.body_ = {};
  out.target_.clear();
  // base + "/orders" [+ "/" + order_id] + tail; the id was checked to need
  // no percent-encoding.
  bool fits = out.target_.append(config_.base_path.view()) && out.target_.append("/orders");
  if (!order_id.empty()) fits = fits && out.target_.push_back('/') && out.target_.append(order_id);
  fits = fits && out.target_.append(path_tail);
  if (!fits) return failed(Status(Code::kCapacityExceeded, "target too long"), "target");

  out.host_.clear();
  (void)out.host_.append(config_.host.view());  // fits: capacity is the host's + 6
  if (config_.port != 443) {
    char digits[5];
    std::size_t n = 0;
    for (std::uint32_t p = config_.port; p != 0; p /= 10) digits[n++] = static_cast<char>('0' + p % 10);
    (void)out.host_.push_back(':');
    while (n > 0) (void)out.host_.push_back(digits[--n]);
  }

  auto add = [&out](std::string_view name, std::string_view value) {
    out.headers_[out.header_count_++] = http::Header{name, value};
  };
  add("x-api-version", config_.api_version.view());
  if (auth == Auth::kMerchant) {
    add("x-client-id", config_.client_id.view());
    add("x-client-secret", config_.client_secret.view());
  }
  add("x-request-id", ids.request_id);
  if (needs_key) add("x-idempotency-key", ids.idempotency_key);
  if (has_body) add("Content-Type", "application/json");
  if (auth == Auth::kSession) {
    add("x-client-device", config_.client.device.view());
    add("x-client-os", config_.client.os.view());
    // Cashfree asks for the rendering type only from mobile devices.
    if (config_.client.device.view() == "mobile") add("x-client-rendering-type", config_.client.rendering_type.view());
    add("x-client-browser", config_.client.browser.view());
  }
  return FieldStatus();
}

FieldStatus PgRequestBuilder::print_body(const JsonWriter& writer, PgRequest& out) {
  const Result<std::size_t> printed = writer.print(body_buffer_);
  if (!printed.ok()) return failed(printed.status(), "body");
  out.body_ = std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(body_buffer_.data()), *printed);
  return FieldStatus();
}

FieldStatus PgRequestBuilder::create_order(const CreateOrderRequest& order, const CallIds& ids, PgRequest& out) {
  // Input first, so nothing half-built is left behind on a refusal.
  if (!is_valid_order_id(order.order_id)) return invalid("order_id");
  const Result<Money> amount = Money::from_paise(order.amount_paise);
  if (!amount.ok()) return failed(amount.status(), "order_amount");
  if (!is_id_text(order.customer_id, kCustomerIdMinLength, kCustomerIdMaxLength)) return invalid("customer_id");
  if (!is_phone(order.customer_phone)) return invalid("customer_phone");
  if (!order.order_note.empty() &&
      (order.order_note.size() < kOrderNoteMinLength || order.order_note.size() > kOrderNoteMaxLength)) {
    return invalid("order_note");
  }
  if (order.order_tags.size() > kMaxOrderTags) return invalid("order_tags");
  for (const OrderTag& tag : order.order_tags) {
    if (tag.key.empty() || tag.key.size() > kOrderTagKeyMaxLength) return invalid("order_tags");
    if (tag.value.empty() || tag.value.size() > kOrderTagValueMaxLength) return invalid("order_tags");
  }
  PG_TRY_FIELD(FieldStatus(terminal_.validate(), "terminal"));

  PG_TRY_FIELD(start(http::Method::kPost, "", "", Auth::kMerchant, ids, true, true, out));

  JsonWriter writer(arena_);
  JsonObjectWriter root = writer.root();
  PG_TRY_WRITE(root.add_string("order_id", order.order_id), "order_id");
  PG_TRY_WRITE(root.add_money("order_amount", *amount), "order_amount");
  PG_TRY_WRITE(root.add_string("order_currency", kCurrencyInr), "order_currency");
  {
    Result<JsonObjectWriter> customer = root.add_object("customer_details");
    PG_TRY_WRITE(customer.status(), "customer_details");
    PG_TRY_WRITE(customer->add_string("customer_id", order.customer_id), "customer_id");
    PG_TRY_WRITE(customer->add_string("customer_phone", order.customer_phone), "customer_phone");
  }
  if (!terminal_.terminal_type.empty()) {
    Result<JsonObjectWriter> t = root.add_object("terminal");
    PG_TRY_WRITE(t.status(), "terminal");
    PG_TRY_WRITE(t->add_string("terminal_type", terminal_.terminal_type.view()), "terminal_type");
    // Optional members are sent only when set: Cashfree validates lengths
    // of whatever is present, so an empty string would be refused.
    auto optional = [&t](std::string_view key, std::string_view value) -> Status {
      return value.empty() ? Status::Ok() : t->add_string(key, value);
    };
    PG_TRY_WRITE(optional("terminal_id", terminal_.terminal_id.view()), "terminal_id");
    PG_TRY_WRITE(optional("terminal_phone_no", terminal_.terminal_phone_no.view()), "terminal_phone_no");
    // A string in 2023-08-01 and 2025-01-01 (an int64 only from 2026-01-01).
    PG_TRY_WRITE(optional("cf_terminal_id", terminal_.cf_terminal_id.view()), "cf_terminal_id");
    PG_TRY_WRITE(optional("terminal_name", terminal_.terminal_name.view()), "terminal_name");
    PG_TRY_WRITE(optional("terminal_address", terminal_.terminal_address.view()), "terminal_address");
    PG_TRY_WRITE(optional("terminal_note", terminal_.terminal_note.view()), "terminal_note");
  }
  if (order.order_expiry_time) {
    PG_TRY_WRITE(root.add_string("order_expiry_time", order.order_expiry_time->format().view()), "order_expiry_time");
  }
  if (!order.order_note.empty()) PG_TRY_WRITE(root.add_string("order_note", order.order_note), "order_note");
  if (!order.order_tags.empty()) {
    Result<JsonObjectWriter> tags = root.add_object("order_tags");
    PG_TRY_WRITE(tags.status(), "order_tags");
    for (const OrderTag& tag : order.order_tags) PG_TRY_WRITE(tags->add_string(tag.key, tag.value), "order_tags");
  }
  return print_body(writer, out);
}

FieldStatus PgRequestBuilder::order_pay_upi(const OrderPayUpiRequest& pay, const CallIds& ids, PgRequest& out) {
  if (pay.payment_session_id.empty() || pay.payment_session_id.size() > kSessionIdCapacity) {
    return invalid("payment_session_id");
  }
  if (pay.channel != UpiChannel::kLink && pay.channel != UpiChannel::kQrcode) return invalid("channel");

  PG_TRY_FIELD(start(http::Method::kPost, "/sessions", "", Auth::kSession, ids, true, true, out));

  JsonWriter writer(arena_);
  JsonObjectWriter root = writer.root();
  PG_TRY_WRITE(root.add_string("payment_session_id", pay.payment_session_id), "payment_session_id");
  Result<JsonObjectWriter> method = root.add_object("payment_method");
  PG_TRY_WRITE(method.status(), "payment_method");
  Result<JsonObjectWriter> upi = method->add_object("upi");
  PG_TRY_WRITE(upi.status(), "upi");
  PG_TRY_WRITE(upi->add_string("channel", to_string(pay.channel)), "channel");
  return print_body(writer, out);
}

FieldStatus PgRequestBuilder::get_order(std::string_view order_id, const CallIds& ids, PgRequest& out) {
  if (!is_valid_order_id(order_id)) return invalid("order_id");
  return start(http::Method::kGet, "", order_id, Auth::kMerchant, ids, false, false, out);
}

FieldStatus PgRequestBuilder::get_payments(std::string_view order_id, const CallIds& ids, PgRequest& out) {
  if (!is_valid_order_id(order_id)) return invalid("order_id");
  return start(http::Method::kGet, "/payments", order_id, Auth::kMerchant, ids, false, false, out);
}

FieldStatus PgRequestBuilder::terminate_order(std::string_view order_id, const CallIds& ids, PgRequest& out) {
  if (!is_valid_order_id(order_id)) return invalid("order_id");
  PG_TRY_FIELD(start(http::Method::kPatch, "", order_id, Auth::kMerchant, ids, true, true, out));
  JsonWriter writer(arena_);
  PG_TRY_WRITE(writer.root().add_string("order_status", "TERMINATED"), "order_status");
  return print_body(writer, out);
}

}  // namespace posagent::gateway
