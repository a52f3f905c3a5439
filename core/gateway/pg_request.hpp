// Request builders for the PG calls a sale makes (UPI and card): the JSON
// body (printed by JsonWriter into a caller buffer) and the method, target
// and headers, ready for http::HttpClient::exchange. Everything is
// validated before a byte is produced, so a refused request never reaches
// the wire.
//
// Headers, in this order:
//   x-api-version                       every call
//   x-client-id, x-client-secret        merchant calls; NOT Order Pay nor
//                                       Submit/Resend OTP, which are
//                                       authenticated by the session id /
//                                       cf_payment_id (spec: security [])
//   x-request-id                        every call; fresh per call (the
//                                       caller's UUID), for Cashfree support
//   x-idempotency-key                   create order, order pay, terminate,
//                                       authorization: required; Submit/Resend
//                                       OTP: optional (sent when given). The
//                                       caller's key, sent as given; the
//                                       builder never makes one up (the engine
//                                       journals keys and reuses them on retry)
//   Content-Type: application/json      calls with a body
//   x-client-device, x-client-os,       Order Pay only (NPCI); rendering type
//   x-client-rendering-type,            only when the device is "mobile", as
//   x-client-browser                    Cashfree requires it only then
//
// Card data and OTPs: card Order Pay and Submit/Resend OTP requests are
// marked secret, with the body buffer as their secret_source, so
// HttpClient::exchange wipes the body and the serialised request once they
// are on the wire. The builder itself wipes the JSON arena (which held
// copies of the card fields or the OTP) right after printing, and on a
// refused build the body buffer too, on every path.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/status.hpp"
#include "core/base/timestamp.hpp"
#include "core/card/card_data.hpp"
#include "core/gateway/pg_config.hpp"
#include "core/gateway/pg_types.hpp"
#include "core/http/request_writer.hpp"
#include "core/json/json_arena.hpp"
#include "core/json/json_reader.hpp"
#include "core/json/json_writer.hpp"

namespace posagent::gateway {

inline constexpr std::size_t kOrderIdMinLength = 3;
inline constexpr std::size_t kOrderIdMaxLength = 45;
inline constexpr std::size_t kCustomerIdMinLength = 3;
inline constexpr std::size_t kCustomerIdMaxLength = 50;
inline constexpr std::size_t kOrderNoteMinLength = 3;
inline constexpr std::size_t kOrderNoteMaxLength = 200;
// Cashfree allows 10 tags of up to 255 characters; a sale needs a few short
// ones, and this bounds the body.
inline constexpr std::size_t kMaxOrderTags = 4;
inline constexpr std::size_t kOrderTagKeyMaxLength = 32;
inline constexpr std::size_t kOrderTagValueMaxLength = 64;
// The spec gives keys format UUID (36); allow a little more for
// operation-derived keys.
inline constexpr std::size_t kIdempotencyKeyMaxLength = 64;
inline constexpr std::size_t kRequestIdMaxLength = 64;

inline constexpr std::string_view kCurrencyInr = "INR";
inline constexpr std::size_t kCurrencyLength = 3;  // ISO 4217: "INR", "USD"
// OTPs are 4..8 digits; the builder does not check digits (the gateway
// answers a wrong OTP itself), only that it is short, visible ASCII.
inline constexpr std::size_t kOtpMaxLength = 16;

struct OrderTag {
  std::string_view key;    // 1..kOrderTagKeyMaxLength
  std::string_view value;  // 1..kOrderTagValueMaxLength
};

struct CreateOrderRequest {
  std::string_view order_id;          // 3..45 of [A-Za-z0-9_-]
  std::int64_t amount_paise = 0;      // 1.00 .. 10,00,000.00 rupees
  std::string_view customer_id;       // 3..50 of [A-Za-z0-9_-]
  std::string_view customer_phone;    // exactly 10 digits
  std::optional<Timestamp> order_expiry_time;  // written with its offset
  std::string_view order_note;        // empty: omitted; else 3..200
  std::span<const OrderTag> order_tags;  // at most kMaxOrderTags
  std::string_view order_currency = kCurrencyInr;  // 3 upper-case letters
};

struct OrderPayUpiRequest {
  std::string_view payment_session_id;  // 1..kSessionIdCapacity
  UpiChannel channel = UpiChannel::kLink;  // kLink or kQrcode
};

// A card Order Pay. The card is the caller's: the builder reads it, never
// copies it anywhere but the (wiped) arena and body, and never wipes it.
struct OrderPayCardRequest {
  std::string_view payment_session_id;  // 1..kSessionIdCapacity
  CardChannel channel = CardChannel::kPost;
  const card::CardData* card = nullptr;
};

// Per-call header values the builder does not own: both must outlive the
// exchange.
struct CallIds {
  std::string_view request_id;       // x-request-id; required
  std::string_view idempotency_key;  // x-idempotency-key; required where noted
};

inline constexpr std::size_t kMaxPgHeaders = 11;
inline constexpr std::size_t kTargetCapacity = 160;

// A built request. Header values and the body are views: into the config,
// the CallIds and the body buffer the builder printed into. Not copyable,
// since the http::Request it hands out points into it.
class PgRequest {
 public:
  PgRequest() = default;
  PgRequest(const PgRequest&) = delete;
  PgRequest& operator=(const PgRequest&) = delete;

  http::Method method() const { return method_; }
  std::string_view target() const { return target_.view(); }
  std::string_view host() const { return host_.view(); }
  std::span<const http::Header> headers() const { return {headers_.data(), header_count_}; }
  std::span<const std::uint8_t> body() const { return body_; }
  // Carries card data or an OTP: exchange() wipes secret_source (the whole
  // body buffer) and the serialised request once they are sent.
  bool secret() const { return secret_; }
  // The view HttpClient::exchange takes.
  http::Request http_request() const;
  // The value of a header this request carries, or nullopt.
  std::optional<std::string_view> header(std::string_view name) const;

 private:
  friend class PgRequestBuilder;
  http::Method method_ = http::Method::kGet;
  FixedString<kTargetCapacity> target_;
  FixedString<kHostCapacity + 6> host_;  // "host" or "host:port"
  std::array<http::Header, kMaxPgHeaders> headers_{};
  std::size_t header_count_ = 0;
  std::span<const std::uint8_t> body_;
  bool secret_ = false;
  std::span<std::uint8_t> secret_source_;
};

// Builds requests from a configuration and a terminal. Bodies are built in
// `arena` (reset by each build) and printed into `body_buffer`; a request's
// body view stays valid until the next build into the same buffer.
//
// Every build returns kInvalidArgument for bad input (FieldStatus names the
// field), kOutOfRange for an amount outside 1.00..10,00,000.00, and
// kCapacityExceeded when the arena or buffer is too small.
class PgRequestBuilder {
 public:
  PgRequestBuilder(const PgConfig& config, const TerminalProvisioning& terminal, JsonArenaBase& arena,
                   std::span<char> body_buffer)
      : config_(config), terminal_(terminal), arena_(arena), body_buffer_(body_buffer) {}

  // POST {base}/orders; key required.
  FieldStatus create_order(const CreateOrderRequest& order, const CallIds& ids, PgRequest& out);
  // POST {base}/orders/sessions; key required; no credentials.
  FieldStatus order_pay_upi(const OrderPayUpiRequest& pay, const CallIds& ids, PgRequest& out);
  // GET {base}/orders/{order_id}; no key (a GET changes nothing).
  FieldStatus get_order(std::string_view order_id, const CallIds& ids, PgRequest& out);
  // GET {base}/orders/{order_id}/payments; no key.
  FieldStatus get_payments(std::string_view order_id, const CallIds& ids, PgRequest& out);
  // PATCH {base}/orders/{order_id} {"order_status":"TERMINATED"}; key required.
  FieldStatus terminate_order(std::string_view order_id, const CallIds& ids, PgRequest& out);

  // POST {base}/orders/sessions with payment_method.card; key required; no
  // credentials; secret. Checks only that the card is there and that each
  // field it sends is non-empty, visible ASCII (JSON-safe): number, expiry
  // month and year, and the CVV (key-entered) or cryptogram, token requestor
  // id and last four (network token). Luhn, expiry and CVV length are
  // core/card's checks, made before the runner calls; the gateway's own
  // answers to a bad card must stay reachable. A refused card is
  // kInvalidArgument "Read card again" naming the field.
  FieldStatus order_pay_card(const OrderPayCardRequest& pay, const CallIds& ids, PgRequest& out);
  // POST {base}/orders/pay/authenticate/{cf_payment_id}; no credentials; key
  // optional (the spec's x-idempotency-key is optional here); secret.
  // {"action":"SUBMIT_OTP","otp":"..."} (otp 1..kOtpMaxLength visible
  // ASCII) or {"action":"RESEND_OTP"} (otp must be empty: the 2025-01-01
  // schema lists otp as required, later SDKs only for SUBMIT_OTP, and a
  // resend has none to send).
  FieldStatus authenticate_payment(std::string_view cf_payment_id, OtpAction action, std::string_view otp,
                                   const CallIds& ids, PgRequest& out);
  // POST {base}/orders/{order_id}/authorization; credentials; key required.
  // {"action":"CAPTURE","amount":499.00} (amount in paise, 1.00 ..
  // 10,00,000.00 rupees, written exactly) or {"action":"VOID"} (amount_paise
  // ignored).
  FieldStatus authorize_order(std::string_view order_id, AuthorizeAction action, std::int64_t amount_paise,
                              const CallIds& ids, PgRequest& out);

 private:
  // kSession: Order Pay (no credentials, the client-environment headers);
  // kPublic: no credentials and no environment headers (authenticate).
  enum class Auth : std::uint8_t { kMerchant, kSession, kPublic };
  enum class Key : std::uint8_t { kNone, kOptional, kRequired };
  // Target: base + "/orders" + middle [+ "/" + id] + tail.
  FieldStatus start(http::Method method, std::string_view middle, std::string_view id, std::string_view tail,
                    Auth auth, const CallIds& ids, Key key, bool has_body, PgRequest& out);
  FieldStatus print_body(const JsonWriter& writer, PgRequest& out);
  // print_body, then marks the request secret over the body buffer.
  FieldStatus print_secret_body(const JsonWriter& writer, PgRequest& out);

  const PgConfig& config_;
  const TerminalProvisioning& terminal_;
  JsonArenaBase& arena_;
  std::span<char> body_buffer_;
};

// Checks shared with the client (and its tests).
bool is_valid_order_id(std::string_view order_id);

}  // namespace posagent::gateway
