// Request builders for the Flowwise Native API calls a sale makes: the JSON
// body (JsonWriter, printed into a caller buffer) and the method, target and
// headers, ready for http::HttpClient::exchange. Everything is validated
// before a byte is produced, so a refused request never reaches the wire.
//
// Paths are relative to the configured base URL (".../router"):
//   POST {base}/orders                                     create order
//   GET  {base}/orders/{order_id}                          get order
//   POST {base}/order/pay/{order_hash}                     create payment
//   POST {base}/orders/{order_id}/payments/{payment_id}/authorize
//   GET  {base}/payments/{payment_id}                      get payment
//   GET  {base}/orders/{order_id}/payments                 get payments
//
// Headers, in this order:
//   x-client-id, x-client-secret    every call (Create Payment included)
//   x-request-id                    every call; the caller's fresh UUID
//   x-idempotency-key               every POST: the caller's key, as given.
//                                   The Flowwise docs do not mention one;
//                                   pgsim honours it as /pg does, and the
//                                   retry decisions (GatewayError) are only
//                                   safe with it, so a POST without one is
//                                   refused rather than sent.
//   Content-Type: application/json  calls with a body
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/status.hpp"
#include "core/card/card_data.hpp"
#include "core/flowwise/fw_buffers.hpp"
#include "core/flowwise/fw_config.hpp"
#include "core/flowwise/fw_types.hpp"
#include "core/gateway/pg_request.hpp"
#include "core/http/request_writer.hpp"
#include "core/json/json_reader.hpp"
#include "core/json/json_writer.hpp"

namespace posagent::flowwise {

using gateway::CallIds;
using gateway::OrderTag;

inline constexpr std::size_t kCustomerEmailMaxLength = 100;
inline constexpr std::size_t kCustomerAddressMaxLength = 250;
inline constexpr std::size_t kReturnUrlMaxLength = 250;
inline constexpr std::size_t kVpaMaxLength = 100;
inline constexpr std::size_t kAppNameMaxLength = 50;
inline constexpr std::size_t kTerminalIdTagMaxLength = 64;
inline constexpr std::uint32_t kMinExpiryMinutes = 5;
inline constexpr std::uint32_t kMaxExpiryMinutes = 43'200;  // 30 days

// The order tags the builder writes itself; a caller's tag may not use them.
inline constexpr std::string_view kCaptureTag = "capture";
inline constexpr std::string_view kTerminalIdTag = "terminal_id";

// customer_details; every member optional, and the object is left out when
// all are empty.
struct FwCustomer {
  std::string_view customer_id;       // 3..50 of [A-Za-z0-9_-]
  std::string_view customer_phone;    // 10 digits, or "+91" and 10 digits
  std::string_view customer_email;    // 3..100, an '@' with text either side
  std::string_view customer_address;  // 1..250
};

struct FwCreateOrderRequest {
  std::string_view order_id;       // 3..45 of [A-Za-z0-9_-]
  std::int64_t amount_paise = 0;   // 1.00 .. 10,00,000.00 rupees
  FwCustomer customer;
  // Flowwise has no terminal object: the terminal is named in an order tag
  // ("terminal_id") so the order can be traced to the device. Empty: none.
  std::string_view terminal_id;    // 3..64 visible ASCII
  std::uint32_t expiry_minutes = 0;  // 0: the router's default; else 5..43200
  std::string_view payment_methods;  // empty: all; else a comma list of cc, dc, upi, nb, wallet
  std::string_view order_note;     // empty or 3..200
  std::span<const OrderTag> order_tags;  // at most gateway::kMaxOrderTags
  // Payments succeed AUTHORISED and wait for authorize (CAPTURE or VOID).
  // pgsim's switch is the order tag capture: "manual".
  bool manual_capture = false;
  std::string_view return_base_url;  // empty or an http(s) URL of at most 250
};

enum class FwUpiFlow : std::uint8_t {
  kIntent,   // the customer's app opens the upi://pay payload (or its QR)
  kCollect,  // a request to the customer's VPA
};

struct FwUpiPaymentRequest {
  std::string_view order_hash;  // from the order: 1..64 of [A-Za-z0-9]
  FwUpiFlow flow = FwUpiFlow::kIntent;
  std::string_view upi_id;      // kCollect only, required: "name@bank"
  std::string_view app_name;    // optional ("PhonePe")
  std::string_view return_base_url;
};

// The card itself is a separate, const CardData& argument.
struct FwCardPaymentRequest {
  std::string_view order_hash;
  // Where the 3-D Secure page sends the customer afterwards. Empty: the
  // order's (or none).
  std::string_view return_base_url;
};

enum class FwAuthorizeAction : std::uint8_t { kCapture, kVoid };

std::string_view to_string(FwAuthorizeAction action);  // "CAPTURE", "VOID"

struct FwAuthorizeRequest {
  std::string_view order_id;
  std::string_view payment_id;
  FwAuthorizeAction action = FwAuthorizeAction::kCapture;
  // CAPTURE: 1.00 .. the payment's amount (the router refuses more); less
  // is a partial capture and releases the rest. VOID: must be 0, sent as 0
  // (the field is required, the router ignores it).
  std::int64_t capture_amount_paise = 0;
};

inline constexpr std::size_t kMaxFwHeaders = 5;
// base path (kBasePathMaxLength) + "/orders/" + 45 + "/payments/" + 64 +
// "/authorize".
inline constexpr std::size_t kFwTargetCapacity = 192;

// A built request. Header values and the body are views: into the config,
// the CallIds and the body buffer. Not copyable: the http::Request it hands
// out points into it.
class FwRequest {
 public:
  FwRequest() = default;
  FwRequest(const FwRequest&) = delete;
  FwRequest& operator=(const FwRequest&) = delete;

  http::Method method() const { return method_; }
  std::string_view target() const { return target_.view(); }
  std::string_view host() const { return host_; }
  std::span<const http::Header> headers() const { return {headers_.data(), header_count_}; }
  std::span<const std::uint8_t> body() const { return body_; }
  // A card payment: HttpClient wipes the body's memory and the request
  // buffer once it is on the wire.
  bool secret() const { return secret_; }
  // The view HttpClient::exchange takes (secret and secret_source set for
  // a secret request).
  http::Request http_request() const;
  std::optional<std::string_view> header(std::string_view name) const;

 private:
  friend class FwRequestBuilder;
  http::Method method_ = http::Method::kGet;
  FixedString<kFwTargetCapacity> target_;
  std::string_view host_;
  std::array<http::Header, kMaxFwHeaders> headers_{};
  std::size_t header_count_ = 0;
  std::span<const std::uint8_t> body_;
  bool secret_ = false;
  std::span<std::uint8_t> secret_source_;
};

// Builds requests from a configuration. Bodies are built in `arena` (reset
// by each build) and printed into `body_buffer`; a body view stays valid
// until the next build into the same buffer.
//
// Every build returns kInvalidArgument for bad input (FieldStatus names the
// field), kOutOfRange for an amount outside its bounds, and
// kCapacityExceeded when the arena or buffer is too small; a bad
// configuration is "Check settings" on field "config".
class FwRequestBuilder {
 public:
  FwRequestBuilder(const FlowwiseConfig& config, JsonArenaBase& arena, std::span<char> body_buffer)
      : config_(config), arena_(arena), body_buffer_(body_buffer) {}

  FieldStatus create_order(const FwCreateOrderRequest& order, const CallIds& ids, FwRequest& out);
  FieldStatus get_order(std::string_view order_id, const CallIds& ids, FwRequest& out);
  FieldStatus upi_payment(const FwUpiPaymentRequest& pay, const CallIds& ids, FwRequest& out);
  // payment_method card: a plain card {card_number, card_expiry_mm,
  // card_expiry_yy, card_cvv[, card_holder_name]} or a network token
  // {card_number (the token), card_expiry_mm/yy, cryptogram,
  // token_requestor_id, card_display (the real card's last four)}; pgsim's
  // accepted shapes. The request is secret. The arena is wiped before this
  // returns, whatever it returns, and so is the whole body buffer when the
  // request is refused (a failed print may leave part of a body behind).
  // Refusals name the field, never its value.
  FieldStatus card_payment(const FwCardPaymentRequest& pay, const card::CardData& card, const CallIds& ids,
                           FwRequest& out);
  FieldStatus authorize(const FwAuthorizeRequest& authorize, const CallIds& ids, FwRequest& out);
  FieldStatus get_payment(std::string_view payment_id, const CallIds& ids, FwRequest& out);
  FieldStatus get_payments(std::string_view order_id, const CallIds& ids, FwRequest& out);

 private:
  // Checks the config and ids, sets the target (base path + the pieces,
  // already checked to need no percent-encoding) and the headers. POSTs
  // need an idempotency key and carry a body.
  FieldStatus start(http::Method method, std::span<const std::string_view> path, const CallIds& ids,
                    FwRequest& out);
  FieldStatus print_body(const JsonWriter& writer, FwRequest& out);
  FieldStatus write_card_body(const FwCardPaymentRequest& pay, const card::CardData& card, const CallIds& ids,
                              FwRequest& out);

  const FlowwiseConfig& config_;
  JsonArenaBase& arena_;
  std::span<char> body_buffer_;
};

// Checks shared with the client and its tests.
bool is_valid_payment_id(std::string_view payment_id);  // 1..64 of [A-Za-z0-9_-]
bool is_valid_order_hash(std::string_view order_hash);  // 1..64 of [A-Za-z0-9]

}  // namespace posagent::flowwise
