// Request builders for the PG calls a UPI sale makes: the JSON body (printed
// by JsonWriter into a caller buffer) and the method, target and headers,
// ready for http::HttpClient::exchange. Everything is validated before a
// byte is produced, so a refused request never reaches the wire.
//
// Headers, in this order:
//   x-api-version                       every call
//   x-client-id, x-client-secret        merchant calls; NOT Order Pay, which
//                                       is authenticated by the session id
//   x-request-id                        every call; fresh per call (the
//                                       caller's UUID), for Cashfree support
//   x-idempotency-key                   create order, order pay, terminate:
//                                       the caller's key, sent as given; the
//                                       builder never makes one up (the engine
//                                       journals keys and reuses them on retry)
//   Content-Type: application/json      calls with a body
//   x-client-device, x-client-os,       Order Pay only (NPCI); rendering type
//   x-client-rendering-type,            only when the device is "mobile", as
//   x-client-browser                    Cashfree requires it only then
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
};

struct OrderPayUpiRequest {
  std::string_view payment_session_id;  // 1..kSessionIdCapacity
  UpiChannel channel = UpiChannel::kLink;  // kLink or kQrcode
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

 private:
  enum class Auth : std::uint8_t { kMerchant, kSession };
  FieldStatus start(http::Method method, std::string_view path_tail, std::string_view order_id,
                    Auth auth, const CallIds& ids, bool needs_key, bool has_body, PgRequest& out);
  FieldStatus print_body(const JsonWriter& writer, PgRequest& out);

  const PgConfig& config_;
  const TerminalProvisioning& terminal_;
  JsonArenaBase& arena_;
  std::span<char> body_buffer_;
};

// Checks shared with the client (and its tests).
bool is_valid_order_id(std::string_view order_id);

}  // namespace posagent::gateway
