#include "core/gateway/pg_request.hpp"

#include "core/base/money.hpp"
#include "core/base/secure_wipe.hpp"
#include "core/json/json_writer.hpp"

namespace posagent::gateway {

namespace {

constexpr Status kInvalid(Code::kInvalidArgument, "Request invalid");
constexpr Status kNoKey(Code::kInvalidArgument, "No idempotency key");
// A card the builder cannot send: absent, or a field empty or not text.
constexpr Status kCardRefused(Code::kInvalidArgument, "Read card again");

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

// Printable ASCII, nothing that needs escaping beyond JSON's own: what a
// card field (digits, a name from track 1, base64 or hex cryptograms) and an
// OTP are. Refuses control characters and non-ASCII bytes.
bool is_json_safe(std::string_view text, std::size_t max_length) {
  if (text.empty() || text.size() > max_length) return false;
  for (char c : text) {
    if (c < ' ' || c > '~') return false;
  }
  return true;
}

bool is_currency(std::string_view text) {
  if (text.size() != kCurrencyLength) return false;
  for (char c : text) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

FieldStatus invalid(std::string_view field) { return FieldStatus(kInvalid, field); }
FieldStatus card_refused(std::string_view field) { return FieldStatus(kCardRefused, field); }

// The card fields a request sends, each checked for presence and JSON
// safety only (see order_pay_card).
FieldStatus check_card(const card::CardData* card) {
  if (card == nullptr) return card_refused("card");
  const auto check = [](const auto& value, std::string_view field) {
    return is_json_safe(value.view(), value.capacity()) ? FieldStatus() : card_refused(field);
  };
  FieldStatus s = check(card->number, "card_number");
  if (s.ok()) s = check(card->expiry_mm, "card_expiry_mm");
  if (s.ok()) s = check(card->expiry_yy, "card_expiry_yy");
  if (!s.ok()) return s;
  switch (card->kind) {
    case card::CardKind::kKeyEntered:
      s = check(card->cvv, "card_cvv");
      break;
    case card::CardKind::kNetworkToken:
      s = check(card->cryptogram, "cryptogram");
      if (s.ok()) s = check(card->token_requestor_id, "token_requestor_id");
      if (s.ok()) s = check(card->last_four, "card_display");
      break;
    default:
      return card_refused("card");
  }
  if (s.ok() && !card->holder_name.empty()) s = check(card->holder_name, "card_holder_name");
  return s;
}

// For a build that copies card data or an OTP into the arena: wipes the
// arena on every return, and the body buffer too unless the build succeeded
// (a failed print can leave part of the body in it). A successful body is
// wiped by HttpClient::exchange once sent (PgRequest::secret).
class SecretBuild {
 public:
  SecretBuild(JsonArenaBase& arena, std::span<char> body) : arena_(arena), body_(body) {}
  SecretBuild(const SecretBuild&) = delete;
  SecretBuild& operator=(const SecretBuild&) = delete;
  ~SecretBuild() {
    arena_.wipe();
    if (!built_) secure_wipe(body_);
  }
  FieldStatus finish(const FieldStatus& printed) {
    built_ = printed.ok();
    return printed;
  }

 private:
  JsonArenaBase& arena_;
  std::span<char> body_;
  bool built_ = false;
};
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
  request.secret = secret_;
  request.secret_source = secret_source_;
  return request;
}

std::optional<std::string_view> PgRequest::header(std::string_view name) const {
  for (const http::Header& h : headers()) {
    if (http::equals_ignore_case(h.name, name)) return h.value;
  }
  return std::nullopt;
}

FieldStatus PgRequestBuilder::start(http::Method method, std::string_view middle, std::string_view id,
                                    std::string_view tail, Auth auth, const CallIds& ids, Key key, bool has_body,
                                    PgRequest& out) {
  PG_TRY_FIELD(FieldStatus(config_.validate(), "config"));
  if (!is_token_text(ids.request_id, kRequestIdMaxLength)) return invalid("x-request-id");
  const bool send_key = key == Key::kRequired || (key == Key::kOptional && !ids.idempotency_key.empty());
  if (key == Key::kRequired && ids.idempotency_key.empty()) return FieldStatus(kNoKey, "x-idempotency-key");
  if (send_key && !is_token_text(ids.idempotency_key, kIdempotencyKeyMaxLength)) return invalid("x-idempotency-key");

  out.method_ = method;
  out.header_count_ = 0;
  out.body_ = {};
  out.secret_ = false;
  out.secret_source_ = {};
  out.target_.clear();
  // The id was checked to need no percent-encoding.
  bool fits = out.target_.append(config_.base_path.view()) && out.target_.append("/orders") &&
              out.target_.append(middle);
  if (!id.empty()) fits = fits && out.target_.push_back('/') && out.target_.append(id);
  fits = fits && out.target_.append(tail);
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
  if (send_key) add("x-idempotency-key", ids.idempotency_key);
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

FieldStatus PgRequestBuilder::print_secret_body(const JsonWriter& writer, PgRequest& out) {
  PG_TRY_FIELD(print_body(writer, out));
  out.secret_ = true;
  // The whole buffer, not just the body: cheap, and it needs no reasoning
  // about what a printer may have written past the text.
  out.secret_source_ = std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(body_buffer_.data()),
                                               body_buffer_.size());
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
  if (!is_currency(order.order_currency)) return invalid("order_currency");
  if (order.order_tags.size() > kMaxOrderTags) return invalid("order_tags");
  for (const OrderTag& tag : order.order_tags) {
    if (tag.key.empty() || tag.key.size() > kOrderTagKeyMaxLength) return invalid("order_tags");
    if (tag.value.empty() || tag.value.size() > kOrderTagValueMaxLength) return invalid("order_tags");
  }
  PG_TRY_FIELD(FieldStatus(terminal_.validate(), "terminal"));

  PG_TRY_FIELD(start(http::Method::kPost, "", "", "", Auth::kMerchant, ids, Key::kRequired, true, out));

  JsonWriter writer(arena_);
  JsonObjectWriter root = writer.root();
  PG_TRY_WRITE(root.add_string("order_id", order.order_id), "order_id");
  PG_TRY_WRITE(root.add_money("order_amount", *amount), "order_amount");
  PG_TRY_WRITE(root.add_string("order_currency", order.order_currency), "order_currency");
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

  PG_TRY_FIELD(start(http::Method::kPost, "/sessions", "", "", Auth::kSession, ids, Key::kRequired, true, out));

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
  return start(http::Method::kGet, "", order_id, "", Auth::kMerchant, ids, Key::kNone, false, out);
}

FieldStatus PgRequestBuilder::get_payments(std::string_view order_id, const CallIds& ids, PgRequest& out) {
  if (!is_valid_order_id(order_id)) return invalid("order_id");
  return start(http::Method::kGet, "", order_id, "/payments", Auth::kMerchant, ids, Key::kNone, false, out);
}

FieldStatus PgRequestBuilder::terminate_order(std::string_view order_id, const CallIds& ids, PgRequest& out) {
  if (!is_valid_order_id(order_id)) return invalid("order_id");
  PG_TRY_FIELD(start(http::Method::kPatch, "", order_id, "", Auth::kMerchant, ids, Key::kRequired, true, out));
  JsonWriter writer(arena_);
  PG_TRY_WRITE(writer.root().add_string("order_status", "TERMINATED"), "order_status");
  return print_body(writer, out);
}

FieldStatus PgRequestBuilder::order_pay_card(const OrderPayCardRequest& pay, const CallIds& ids, PgRequest& out) {
  if (pay.payment_session_id.empty() || pay.payment_session_id.size() > kSessionIdCapacity) {
    return invalid("payment_session_id");
  }
  if (pay.channel != CardChannel::kPost && pay.channel != CardChannel::kLink) return invalid("channel");
  PG_TRY_FIELD(check_card(pay.card));
  const card::CardData& card = *pay.card;

  // From here on every return wipes the arena (and a refused body).
  SecretBuild secret(arena_, body_buffer_);
  PG_TRY_FIELD(start(http::Method::kPost, "/sessions", "", "", Auth::kSession, ids, Key::kRequired, true, out));

  JsonWriter writer(arena_);
  JsonObjectWriter root = writer.root();
  PG_TRY_WRITE(root.add_string("payment_session_id", pay.payment_session_id), "payment_session_id");
  Result<JsonObjectWriter> method = root.add_object("payment_method");
  PG_TRY_WRITE(method.status(), "payment_method");
  Result<JsonObjectWriter> c = method->add_object("card");
  PG_TRY_WRITE(c.status(), "card");
  PG_TRY_WRITE(c->add_string("channel", to_string(pay.channel)), "channel");
  PG_TRY_WRITE(c->add_string("card_number", card.number.view()), "card_number");
  PG_TRY_WRITE(c->add_string("card_expiry_mm", card.expiry_mm.view()), "card_expiry_mm");
  PG_TRY_WRITE(c->add_string("card_expiry_yy", card.expiry_yy.view()), "card_expiry_yy");
  if (card.kind == card::CardKind::kKeyEntered) {
    PG_TRY_WRITE(c->add_string("card_cvv", card.cvv.view()), "card_cvv");
  }
  if (!card.holder_name.empty()) {
    PG_TRY_WRITE(c->add_string("card_holder_name", card.holder_name.view()), "card_holder_name");
  }
  if (card.kind == card::CardKind::kNetworkToken) {
    PG_TRY_WRITE(c->add_string("cryptogram", card.cryptogram.view()), "cryptogram");
    PG_TRY_WRITE(c->add_string("token_requestor_id", card.token_requestor_id.view()), "token_requestor_id");
    PG_TRY_WRITE(c->add_string("card_display", card.last_four.view()), "card_display");
  }
  return secret.finish(print_secret_body(writer, out));
}

FieldStatus PgRequestBuilder::authenticate_payment(std::string_view cf_payment_id, OtpAction action,
                                                   std::string_view otp, const CallIds& ids, PgRequest& out) {
  if (!is_id_text(cf_payment_id, 1, kCfIdCapacity)) return invalid("cf_payment_id");
  if (action != OtpAction::kSubmit && action != OtpAction::kResend) return invalid("action");
  if (action == OtpAction::kSubmit ? !is_json_safe(otp, kOtpMaxLength) : !otp.empty()) return invalid("otp");

  SecretBuild secret(arena_, body_buffer_);
  PG_TRY_FIELD(start(http::Method::kPost, "/pay/authenticate", cf_payment_id, "", Auth::kPublic, ids, Key::kOptional,
                     true, out));
  JsonWriter writer(arena_);
  JsonObjectWriter root = writer.root();
  PG_TRY_WRITE(root.add_string("action", to_string(action)), "action");
  if (action == OtpAction::kSubmit) PG_TRY_WRITE(root.add_string("otp", otp), "otp");
  return secret.finish(print_secret_body(writer, out));
}

FieldStatus PgRequestBuilder::authorize_order(std::string_view order_id, AuthorizeAction action,
                                              std::int64_t amount_paise, const CallIds& ids, PgRequest& out) {
  if (!is_valid_order_id(order_id)) return invalid("order_id");
  if (action != AuthorizeAction::kCapture && action != AuthorizeAction::kVoid) return invalid("action");
  std::optional<Money> amount;  // CAPTURE only
  if (action == AuthorizeAction::kCapture) {
    const Result<Money> capture = Money::from_paise(amount_paise);
    if (!capture.ok()) return failed(capture.status(), "amount");
    amount = *capture;
  }
  PG_TRY_FIELD(
      start(http::Method::kPost, "", order_id, "/authorization", Auth::kMerchant, ids, Key::kRequired, true, out));
  JsonWriter writer(arena_);
  JsonObjectWriter root = writer.root();
  PG_TRY_WRITE(root.add_string("action", to_string(action)), "action");
  if (action == AuthorizeAction::kCapture) PG_TRY_WRITE(root.add_money("amount", *amount), "amount");
  return print_body(writer, out);
}

}  // namespace posagent::gateway
