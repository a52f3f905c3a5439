// Every way a PG call can fail, as one value: what the gateway said (HTTP
// status, its `code`, `type` and `message`), or how far the exchange got
// when the network failed, and what to do next.
//
// The retry decision is the point. A payment terminal must tell "nothing
// happened, try again" from "something may have happened": a create order or
// order pay whose answer was lost may have created an order or a payment,
// and only the same idempotency key (journaled by the engine before the
// first try) makes a repeat return that first result instead of a second
// one. So:
//
//   kRetrySameKey   safe to repeat with the same key: nothing reached the
//                   gateway, or it answered 408/5xx (502 bank_processing_failure
//                   included).
//   kRetryAfter     429: wait retry_after_s (x-ratelimit-retry), then repeat
//                   with the same key.
//   kStop           the gateway refused the request as it is (4xx: validation,
//                   authentication, conflict, inactive order); repeating it
//                   will not help. The screen message says what to do.
//   kOutcomeUnknown the request was sent but no complete, readable answer came
//                   back: the gateway may have acted. Repeat with the same key
//                   (or read the order first); never conclude failure.
//
// Idempotency nuances the engine must know (Cashfree stores the first answer
// to a key, errors and 5xx included, and replays it):
//   - A 5xx with `replayed` set is a stored answer: repeating the same key
//     replays it again. Read the order (GET, our order id) to learn whether
//     it exists before creating it under a new key.
//   - 409 order_already_exists: the order id is taken. Under the same key
//     this cannot be our own earlier create (that would be replayed as its
//     200); under a NEW key it may be, e.g. after a lost journal write, so
//     read the order and compare amount and terminal before treating it as a
//     real conflict.
//   - 422 idempotency_error: the key was used with a different body; a bug
//     in whoever journaled the key. Stop.
//   - 404 orderpay_not_found / 400 order_inactive: the order is no longer
//     ACTIVE (paid, expired or terminated). Stop and read its status next:
//     a terminate that fails this way may mean the customer has just paid.
//
// Cards: a refused card (number, expiry or CVV invalid or missing,
// card_invalid, card_not_found) is kStop with card_reentry set: reading or
// keying the card again, then a new Order Pay under a NEW key (the old key
// replays the refusal), may succeed. 409 payment_already_captured /
// payment_already_voided answer a repeated capture or void: it was done,
// possibly by our own earlier call whose answer was lost; read the payment.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/status.hpp"
#include "core/http/http_client.hpp"
#include "core/json/json_arena.hpp"
#include "core/json/json_reader.hpp"

namespace posagent::gateway {

enum class RetryDecision : std::uint8_t { kRetrySameKey, kRetryAfter, kStop, kOutcomeUnknown };

enum class ErrorOrigin : std::uint8_t {
  kGateway,    // the gateway answered with a non-2xx status
  kTransport,  // the network or TLS failed, or the answer was cut or malformed
  kRequest,    // refused locally before anything was sent (bad input or config)
  kResponse,   // a 2xx answer whose body could not be read into the entity
};

std::string_view to_string(RetryDecision decision);
std::string_view to_string(ErrorOrigin origin);

// The gateway's texts are copied cut to these capacities (at a UTF-8
// character boundary): they are for logs and support, never compared whole.
inline constexpr std::size_t kGatewayCodeCapacity = 48;
inline constexpr std::size_t kGatewayTypeCapacity = 32;
inline constexpr std::size_t kGatewayMessageCapacity = 120;
// A screen line.
inline constexpr std::size_t kScreenLineLength = 20;
// When a 429 carries no usable x-ratelimit-retry (nor Retry-After).
inline constexpr std::uint32_t kDefaultRetryAfterSeconds = 5;

struct GatewayError {
  ErrorOrigin origin = ErrorOrigin::kGateway;
  RetryDecision retry = RetryDecision::kStop;
  // What failed locally: the transport's status (kTimeout, kConnectionClosed,
  // kTlsError, ...), the builder's (kInvalidArgument, kCapacityExceeded) or
  // the decoder's (kParseError, kCapacityExceeded). For kGateway errors a
  // kUnavailable "gateway refused" status, for uniform logging.
  Status status;
  // The field a kResponse (or kRequest) error is about, if any.
  JsonKey field;
  int http_status = 0;  // 0: no (complete) HTTP answer
  FixedString<kGatewayCodeCapacity> code;       // "order_already_exists"
  FixedString<kGatewayTypeCapacity> type;       // "invalid_request_error"
  FixedString<kGatewayMessageCapacity> message; // the gateway's words, cut
  std::uint32_t retry_after_s = 0;              // kRetryAfter only
  bool replayed = false;  // x-idempotency-replayed: true
  // How far the exchange got (kTransport).
  bool request_sent = false;      // every request byte was sent
  bool response_started = false;  // some answer bytes arrived
  // Reading or keying the card again may succeed (the gateway refused the
  // card's number, expiry or CVV, or could not use the card at all). Here,
  // beside the other flags, it takes no room of its own.
  bool card_reentry = false;
  // At most kScreenLineLength characters, static storage: "Gateway busy",
  // "Check settings", "Network error", "Try again", ...
  const char* screen_message = "Try again";
};

// One gateway error code the client knows: the status Cashfree sends it
// with (0: any 4xx, for codes sent with more than one), the decision, the
// cashier's line and whether the card may be read again.
// 12 bytes on Cortex-M4: the table is in every image, UPI-only ones too.
struct GatewayCodeRow {
  const char* code;
  std::int16_t http_status;
  RetryDecision retry;
  bool card_reentry;
  const char* screen_message;  // <= kScreenLineLength
};

// Every known code, in one table (unit tests walk it row by row). Codes not
// in it are decided by their status alone.
std::span<const GatewayCodeRow> gateway_code_table();
// The row for this status and code, or nullptr.
const GatewayCodeRow* find_gateway_code(int http_status, std::string_view code);

// What the answer's headers add to an error.
struct ResponseHints {
  std::optional<std::string_view> ratelimit_retry;  // x-ratelimit-retry
  std::optional<std::string_view> retry_after;      // Retry-After (delta seconds)
  bool replayed = false;                            // x-idempotency-replayed: true
};

// Seconds from a rate-limit header: decimal digits only, optional
// surrounding whitespace, at most 86400. nullopt for anything else (an
// HTTP date in Retry-After included).
std::optional<std::uint32_t> parse_retry_seconds(std::string_view header);

// The decision and screen line for a non-2xx status and the gateway's code:
// the code's row when there is one, else the status's. Pure.
RetryDecision classify_http(int http_status, std::string_view code);
const char* screen_message_for_http(int http_status, std::string_view code);

// A non-2xx answer. The body is parsed (in arena, which is reset) for
// code/type/message when it is a Cashfree error object; any other body (an
// HTML page from a proxy) leaves them empty and the status decides.
GatewayError error_from_response(int http_status, std::string_view body, const ResponseHints& hints,
                                 JsonArenaBase& arena);

// A failed exchange: nothing or part of the request sent (safe to retry),
// or sent without a complete answer (outcome unknown). A request that
// write_request refused before sending (kInvalidArgument /
// kCapacityExceeded with nothing sent) is a kRequest error.
GatewayError error_from_exchange(const http::ExchangeResult& result);

// A request refused before sending (validation, buffer too small).
GatewayError error_from_request(Status status, std::string_view field = {});

// A 2xx answer whose body did not decode. The gateway acted on the request
// but we cannot read what it did: kOutcomeUnknown (read the state again;
// repeating the same key would replay the same unreadable body).
GatewayError error_from_decode(int http_status, const FieldStatus& status, bool replayed);

}  // namespace posagent::gateway
