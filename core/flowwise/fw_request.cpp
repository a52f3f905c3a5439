#include "core/flowwise/fw_request.hpp"

#include <initializer_list>

#include "core/base/money.hpp"
#include "core/flowwise/fw_request_checks.hpp"

namespace posagent::flowwise {

using detail::invalid;
using detail::is_id_text;
using detail::is_token_text;

namespace detail {

bool is_id_text(std::string_view text, std::size_t min_length, std::size_t max_length) {
  if (text.size() < min_length || text.size() > max_length) return false;
  for (char c : text) {
    if (!is_alnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

bool is_token_text(std::string_view text, std::size_t min_length, std::size_t max_length) {
  if (text.size() < min_length || text.size() > max_length) return false;
  for (char c : text) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

bool is_return_url(std::string_view url) {
  if (!url.starts_with("https://") && !url.starts_with("http://")) return false;
  return is_token_text(url, 1, kReturnUrlMaxLength);
}

}  // namespace detail

namespace {

constexpr Status kNoKey(Code::kInvalidArgument, "No idempotency key");
constexpr std::size_t kIdempotencyKeyMaxLength = gateway::kIdempotencyKeyMaxLength;
constexpr std::size_t kRequestIdMaxLength = gateway::kRequestIdMaxLength;

bool is_phone(std::string_view text) {
  if (text.starts_with("+91")) text.remove_prefix(3);
  return text.size() == 10 && detail::all_digits(text);
}

bool is_email(std::string_view text) {
  if (text.size() < 3 || text.size() > kCustomerEmailMaxLength) return false;
  const std::size_t at = text.find('@');
  return at != std::string_view::npos && at != 0 && at + 1 < text.size() && is_token_text(text, 3, text.size());
}

// The docs' comma list; pgsim refuses any other item, so it is refused here.
bool is_payment_methods(std::string_view list) {
  if (list.empty() || list.size() > 32) return false;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    const std::string_view item(list.data() + start, end - start);
    bool known = false;
    for (std::string_view m : {"cc", "dc", "upi", "nb", "wallet"}) known = known || item == m;
    if (!known) return false;
    start = end + 1;
  }
  return true;
}

// name@handle of letters, digits, '.', '-' and '_', one '@' (pgsim's check).
bool is_vpa(std::string_view text) {
  if (text.size() < 3 || text.size() > kVpaMaxLength) return false;
  const std::size_t at = text.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= text.size()) return false;
  if (text.find('@', at + 1) != std::string_view::npos) return false;
  for (char c : text) {
    if (!detail::is_alnum(c) && c != '.' && c != '-' && c != '_' && c != '@') return false;
  }
  return true;
}

bool has_customer(const FwCustomer& c) {
  return !c.customer_id.empty() || !c.customer_phone.empty() || !c.customer_email.empty() ||
         !c.customer_address.empty();
}

FieldStatus check_customer(const FwCustomer& c) {
  if (!c.customer_id.empty() && !is_id_text(c.customer_id, gateway::kCustomerIdMinLength, gateway::kCustomerIdMaxLength)) {
    return invalid("customer_id");
  }
  if (!c.customer_phone.empty() && !is_phone(c.customer_phone)) return invalid("customer_phone");
  if (!c.customer_email.empty() && !is_email(c.customer_email)) return invalid("customer_email");
  if (c.customer_address.size() > kCustomerAddressMaxLength) return invalid("customer_address");
  return FieldStatus();
}

FieldStatus check_tags(const FwCreateOrderRequest& order) {
  if (order.order_tags.size() > gateway::kMaxOrderTags) return invalid("order_tags");
  for (const OrderTag& tag : order.order_tags) {
    if (tag.key.empty() || tag.key.size() > gateway::kOrderTagKeyMaxLength) return invalid("order_tags");
    if (tag.value.empty() || tag.value.size() > gateway::kOrderTagValueMaxLength) return invalid("order_tags");
    // The builder's own tags: a caller's "capture" would switch capture mode
    // behind manual_capture's back.
    if (tag.key == kCaptureTag || tag.key == kTerminalIdTag) return invalid("order_tags");
  }
  return FieldStatus();
}

}  // namespace

bool is_valid_payment_id(std::string_view payment_id) { return is_id_text(payment_id, 1, kPaymentIdCapacity); }

bool is_valid_order_hash(std::string_view order_hash) {
  if (order_hash.empty() || order_hash.size() > kOrderHashCapacity) return false;
  for (char c : order_hash) {
    if (!detail::is_alnum(c)) return false;
  }
  return true;
}

std::string_view to_string(FwAuthorizeAction action) {
  return action == FwAuthorizeAction::kCapture ? "CAPTURE" : "VOID";
}

http::Request FwRequest::http_request() const {
  http::Request request;
  request.method = method_;
  request.target = target_.view();
  request.host = host_;
  request.headers = headers();
  request.body = body_;
  request.secret = secret_;
  request.secret_source = secret_source_;
  return request;
}

std::optional<std::string_view> FwRequest::header(std::string_view name) const {
  for (const http::Header& h : headers()) {
    if (http::equals_ignore_case(h.name, name)) return h.value;
  }
  return std::nullopt;
}

FieldStatus FwRequestBuilder::start(http::Method method, std::span<const std::string_view> path, const CallIds& ids,
                                    FwRequest& out) {
  FW_TRY_FIELD(FieldStatus(config_.validate(), "config"));
  const Result<BaseUrl> base = parse_base_url(config_.base_url.view());  // validated: cannot fail
  if (!base.ok()) return FieldStatus(base.status(), "config");
  if (!is_token_text(ids.request_id, 1, kRequestIdMaxLength)) return invalid("x-request-id");
  const bool has_body = method == http::Method::kPost;
  if (has_body) {
    if (ids.idempotency_key.empty()) return FieldStatus(kNoKey, "x-idempotency-key");
    if (!is_token_text(ids.idempotency_key, 1, kIdempotencyKeyMaxLength)) return invalid("x-idempotency-key");
  }

  out.method_ = method;
  out.header_count_ = 0;
  out.body_ = {};
  out.secret_ = false;
  out.secret_source_ = {};
  out.target_.clear();
  bool fits = out.target_.append(base->path);
  for (std::string_view piece : path) fits = fits && out.target_.append(piece);
  if (!fits) return FieldStatus(Status(Code::kCapacityExceeded, "target too long"), "target");
  out.host_ = base->authority;

  auto add = [&out](std::string_view name, std::string_view value) {
    out.headers_[out.header_count_++] = http::Header{name, value};
  };
  add("x-client-id", config_.client_id.view());
  add("x-client-secret", config_.client_secret.view());
  add("x-request-id", ids.request_id);
  if (has_body) {
    add("x-idempotency-key", ids.idempotency_key);
    add("Content-Type", "application/json");
  }
  return FieldStatus();
}

FieldStatus FwRequestBuilder::print_body(const JsonWriter& writer, FwRequest& out) {
  const Result<std::size_t> printed = writer.print(body_buffer_);
  if (!printed.ok()) return FieldStatus(printed.status(), "body");
  out.body_ = std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(body_buffer_.data()), *printed);
  return FieldStatus();
}

FieldStatus FwRequestBuilder::create_order(const FwCreateOrderRequest& order, const CallIds& ids, FwRequest& out) {
  // Input first, so nothing half-built is left behind on a refusal.
  if (!gateway::is_valid_order_id(order.order_id)) return invalid("order_id");
  const Result<Money> amount = Money::from_paise(order.amount_paise);
  if (!amount.ok()) return FieldStatus(amount.status(), "order_amount");
  FW_TRY_FIELD(check_customer(order.customer));
  if (!order.terminal_id.empty() && !is_token_text(order.terminal_id, 3, kTerminalIdTagMaxLength)) {
    return invalid("terminal_id");
  }
  if (order.expiry_minutes != 0 &&
      (order.expiry_minutes < kMinExpiryMinutes || order.expiry_minutes > kMaxExpiryMinutes)) {
    return invalid("expiry_time_in_minutes");
  }
  if (!order.payment_methods.empty() && !is_payment_methods(order.payment_methods)) return invalid("payment_methods");
  if (!order.order_note.empty() && (order.order_note.size() < gateway::kOrderNoteMinLength ||
                                    order.order_note.size() > gateway::kOrderNoteMaxLength)) {
    return invalid("order_note");
  }
  FW_TRY_FIELD(check_tags(order));
  if (!order.return_base_url.empty() && !detail::is_return_url(order.return_base_url)) {
    return invalid("return_base_url");
  }

  const std::string_view path[] = {"/orders"};
  FW_TRY_FIELD(start(http::Method::kPost, path, ids, out));

  JsonWriter writer(arena_);
  JsonObjectWriter root = writer.root();
  FW_TRY_WRITE(root.add_string("order_id", order.order_id), "order_id");
  FW_TRY_WRITE(root.add_money("order_amount", *amount), "order_amount");
  FW_TRY_WRITE(root.add_string("order_currency", gateway::kCurrencyInr), "order_currency");
  if (has_customer(order.customer)) {
    Result<JsonObjectWriter> c = root.add_object("customer_details");
    FW_TRY_WRITE(c.status(), "customer_details");
    // Only what is set: the router validates whatever is present.
    auto optional = [&c](std::string_view key, std::string_view value) -> Status {
      return value.empty() ? Status::Ok() : c->add_string(key, value);
    };
    FW_TRY_WRITE(optional("customer_id", order.customer.customer_id), "customer_id");
    FW_TRY_WRITE(optional("customer_phone", order.customer.customer_phone), "customer_phone");
    FW_TRY_WRITE(optional("customer_email", order.customer.customer_email), "customer_email");
    FW_TRY_WRITE(optional("customer_address", order.customer.customer_address), "customer_address");
  }
  if (!order.payment_methods.empty()) {
    FW_TRY_WRITE(root.add_string("payment_methods", order.payment_methods), "payment_methods");
  }
  if (order.expiry_minutes != 0) {
    FW_TRY_WRITE(root.add_int64("expiry_time_in_minutes", order.expiry_minutes), "expiry_time_in_minutes");
  }
  if (!order.order_note.empty()) FW_TRY_WRITE(root.add_string("order_note", order.order_note), "order_note");
  if (!order.order_tags.empty() || !order.terminal_id.empty() || order.manual_capture) {
    Result<JsonObjectWriter> tags = root.add_object("order_tags");
    FW_TRY_WRITE(tags.status(), "order_tags");
    for (const OrderTag& tag : order.order_tags) FW_TRY_WRITE(tags->add_string(tag.key, tag.value), "order_tags");
    if (!order.terminal_id.empty()) FW_TRY_WRITE(tags->add_string(kTerminalIdTag, order.terminal_id), "order_tags");
    if (order.manual_capture) FW_TRY_WRITE(tags->add_string(kCaptureTag, "manual"), "order_tags");
  }
  if (!order.return_base_url.empty()) {
    FW_TRY_WRITE(root.add_string("return_base_url", order.return_base_url), "return_base_url");
  }
  return print_body(writer, out);
}

FieldStatus FwRequestBuilder::get_order(std::string_view order_id, const CallIds& ids, FwRequest& out) {
  if (!gateway::is_valid_order_id(order_id)) return invalid("order_id");
  const std::string_view path[] = {"/orders/", order_id};
  return start(http::Method::kGet, path, ids, out);
}

FieldStatus FwRequestBuilder::upi_payment(const FwUpiPaymentRequest& pay, const CallIds& ids, FwRequest& out) {
  if (!is_valid_order_hash(pay.order_hash)) return invalid("order_hash");
  if (pay.flow == FwUpiFlow::kCollect) {
    if (!is_vpa(pay.upi_id)) return invalid("upi_id");
  } else if (pay.flow == FwUpiFlow::kIntent) {
    // An intent names no VPA: the router would make it a collect.
    if (!pay.upi_id.empty()) return invalid("upi_id");
  } else {
    return invalid("flow");
  }
  if (pay.app_name.size() > kAppNameMaxLength) return invalid("app_name");
  if (!pay.return_base_url.empty() && !detail::is_return_url(pay.return_base_url)) return invalid("return_base_url");

  const std::string_view path[] = {"/order/pay/", pay.order_hash};
  FW_TRY_FIELD(start(http::Method::kPost, path, ids, out));

  JsonWriter writer(arena_);
  JsonObjectWriter root = writer.root();
  FW_TRY_WRITE(root.add_string("payment_method", "upi"), "payment_method");
  Result<JsonObjectWriter> details = root.add_object("payment_method_details");
  FW_TRY_WRITE(details.status(), "payment_method_details");
  if (pay.flow == FwUpiFlow::kCollect) FW_TRY_WRITE(details->add_string("upi_id", pay.upi_id), "upi_id");
  if (!pay.app_name.empty()) FW_TRY_WRITE(details->add_string("app_name", pay.app_name), "app_name");
  if (!pay.return_base_url.empty()) {
    FW_TRY_WRITE(root.add_string("return_base_url", pay.return_base_url), "return_base_url");
  }
  return print_body(writer, out);
}

FieldStatus FwRequestBuilder::authorize(const FwAuthorizeRequest& a, const CallIds& ids, FwRequest& out) {
  if (!gateway::is_valid_order_id(a.order_id)) return invalid("order_id");
  if (!is_valid_payment_id(a.payment_id)) return invalid("payment_id");
  std::optional<Money> amount;
  if (a.action == FwAuthorizeAction::kCapture) {
    const Result<Money> m = Money::from_paise(a.capture_amount_paise);
    if (!m.ok()) return FieldStatus(m.status(), "capture_amount");
    amount = *m;
  } else if (a.action == FwAuthorizeAction::kVoid) {
    if (a.capture_amount_paise != 0) return invalid("capture_amount");
  } else {
    return invalid("action");
  }

  const std::string_view path[] = {"/orders/", a.order_id, "/payments/", a.payment_id, "/authorize"};
  FW_TRY_FIELD(start(http::Method::kPost, path, ids, out));

  JsonWriter writer(arena_);
  JsonObjectWriter root = writer.root();
  FW_TRY_WRITE(root.add_string("action", to_string(a.action)), "action");
  FW_TRY_WRITE(amount ? root.add_money("capture_amount", *amount) : root.add_int64("capture_amount", 0),
               "capture_amount");
  return print_body(writer, out);
}

FieldStatus FwRequestBuilder::get_payment(std::string_view payment_id, const CallIds& ids, FwRequest& out) {
  if (!is_valid_payment_id(payment_id)) return invalid("payment_id");
  const std::string_view path[] = {"/payments/", payment_id};
  return start(http::Method::kGet, path, ids, out);
}

FieldStatus FwRequestBuilder::get_payments(std::string_view order_id, const CallIds& ids, FwRequest& out) {
  if (!gateway::is_valid_order_id(order_id)) return invalid("order_id");
  const std::string_view path[] = {"/orders/", order_id, "/payments"};
  return start(http::Method::kGet, path, ids, out);
}

}  // namespace posagent::flowwise
