// The Cashfree PG client a UPI sale uses: one method per call, each doing
// build -> one HTTP exchange -> decode, and returning the decoded entity or
// a GatewayError with its retry decision (pg_error.hpp).
//
//   PgBuffers<> buffers;                       // static on small targets
//   PgClient pg(http, entropy, config, terminal, buffers);
//   PgResult<OrderEntity> order = pg.create_order(request, key, deadline);
//   if (!order.ok()) { switch (order.error().retry) { ... } }
//
// The client never retries by itself and never invents an idempotency key:
// retry policy and keys belong to the engine, which journals them. Each call
// sends a fresh x-request-id (a UUID v4 from the entropy source), returned
// in PgResult::info() for logs and Cashfree support.
//
// Memory: nothing is allocated. The caller owns the buffers (PgBuffers,
// capacities in the type) and the client holds references. One call at a
// time; results own their data, so the buffers are free again after return.
//
// Card data and OTPs: pay_order_card and authenticate_payment leave no copy
// of the card's fields or the OTP in PgBuffers when they return, on every
// path: the builder wipes the arena after printing the body, HttpClient
// wipes the body and the serialised request once they are sent, and the
// client wipes the answer (body and arena) after reading it, since a
// gateway error may quote the value it refused. For the same reason a
// refusal's message is cut before "Value received" and dropped if it still
// holds the card number, CVV, cryptogram or OTP. The client never wipes
// the CardData: the caller owns it (and wipes it once the Order Pay is on
// the wire).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/status.hpp"
#include "core/base/uuid.hpp"
#include "core/gateway/pg_config.hpp"
#include "core/gateway/pg_decode.hpp"
#include "core/gateway/pg_error.hpp"
#include "core/gateway/pg_request.hpp"
#include "core/gateway/pg_types.hpp"
#include "core/http/http_client.hpp"
#include "core/json/json_arena.hpp"
#include "hal/clock.hpp"
#include "hal/entropy.hpp"

namespace posagent::gateway {

// The three buffers of one call, size-erased:
//   request   the serialised HTTP request (headers + body)
//   response  the answer's body; before the exchange it also holds the JSON
//             request body, which write_request copies into `request` before
//             the first answer byte is stored (HttpClient::exchange writes the
//             request before it starts the response), so no third buffer
//   arena     cJSON's memory: building the request body, then parsing the
//             answer (one PaymentEntity at a time for Get Payments)
class PgBuffersBase {
 public:
  PgBuffersBase(const PgBuffersBase&) = delete;
  PgBuffersBase& operator=(const PgBuffersBase&) = delete;

  std::span<char> request() { return request_; }
  std::span<std::uint8_t> response() { return response_; }
  JsonArenaBase& arena() { return arena_; }

 protected:
  PgBuffersBase(std::span<char> request, std::span<std::uint8_t> response, JsonArenaBase& arena)
      : request_(request), response_(response), arena_(arena) {}
  ~PgBuffersBase() = default;

 private:
  std::span<char> request_;
  std::span<std::uint8_t> response_;
  JsonArenaBase& arena_;
};

// Sizes, from measured answers (pgsim's, the spec's examples) with margin:
//   request   2 KB: the largest create order (every terminal field at its
//             capacity, four tags, a 200-character note) is 1,626 bytes
//             with its headers (a test checks it fits).
//   response  8 KB: an OrderEntity is 0.9..1.2 KB, a UPI link
//             PayOrderEntity ~1.1 KB, one PaymentEntity 0.8..1.2 KB (so Get
//             Payments fits 7..10 attempts), a qrcode PayOrderEntity ~3.7 KB
//             with pgsim's 488x488 PNG.
//   arena     6 KB: peaks measured on Cortex-M4 / x86_64 (cJSON nodes are
//             40 / 64 bytes): OrderEntity 2.3 / 3.3 KB, UPI link 1.8 / 2.2 KB,
//             the largest single PaymentEntity 2.7 / 3.9 KB (Get Payments is
//             parsed one attempt at a time), qrcode answer ~4.1 KB (its data
//             URL is copied into the arena).
// RAM with the defaults: sizeof(PgBuffers<>) = 16,432 bytes on Cortex-M4
// (16,480 on x86_64), plus the PgClient itself (364 / 472 bytes: header
// captures and references), PgConfig (468 / 544) and TerminalProvisioning
// (508 / 560). Results are the caller's: OrderEntity 432, UpiPayment 648,
// CardPayment 1,264, OtpResult 212, PaymentAttempt 464 and PaymentList
// 3,720 bytes on Cortex-M4; PgResult<T> adds a GatewayError (292) and
// PgCallInfo. A device that uses the qrcode channel with larger
// images than pgsim's should raise response and arena to ~12 KB each, e.g.
// PgBuffers<2048, 12288, 12288>; the link channel (the device draws its own
// QR from the intent) never needs that.
inline constexpr std::size_t kDefaultRequestBytes = 2048;
inline constexpr std::size_t kDefaultResponseBytes = 8192;
inline constexpr std::size_t kDefaultArenaBytes = 6144;

template <std::size_t kRequestBytes = kDefaultRequestBytes, std::size_t kResponseBytes = kDefaultResponseBytes,
          std::size_t kArenaBytes = kDefaultArenaBytes>
class PgBuffers final : public PgBuffersBase {
 public:
  PgBuffers() : PgBuffersBase(request_storage_, response_storage_, arena_storage_) {}

 private:
  char request_storage_[kRequestBytes];
  std::uint8_t response_storage_[kResponseBytes];
  JsonArena<kArenaBytes> arena_storage_;
};

// What is known about a call, success or not.
struct PgCallInfo {
  FixedString<kUuidTextLength> request_id;  // the x-request-id sent (empty if none was)
  int http_status = 0;                      // 0: no complete answer
  bool replayed = false;                    // x-idempotency-replayed: true
};

// The decoded entity, or the error. Both live inline (the entity is
// default-constructed on error), so a result is returned without copies of
// a half-built value.
template <typename T>
class PgResult {
 public:
  bool ok() const { return ok_; }
  // Precondition: ok().
  T& value() { return value_; }
  const T& value() const { return value_; }
  T& operator*() { return value_; }
  const T& operator*() const { return value_; }
  T* operator->() { return &value_; }
  const T* operator->() const { return &value_; }
  // Meaningful when !ok().
  const GatewayError& error() const { return error_; }
  const PgCallInfo& info() const { return info_; }

 private:
  friend class PgClient;
  T value_{};
  GatewayError error_{};
  PgCallInfo info_{};
  bool ok_ = false;
};

class PgClient {
 public:
  // Headers read from every answer.
  static constexpr std::size_t kCapturedHeaders = 4;

  // config and terminal are validated on every call (cheap) so a bad
  // configuration is a kRequest error ("Check settings"), never a request.
  PgClient(http::HttpClient& http, hal::Entropy& entropy, const PgConfig& config,
           const TerminalProvisioning& terminal, PgBuffersBase& buffers)
      : http_(http), entropy_(entropy), config_(config), terminal_(terminal), buffers_(buffers) {}
  PgClient(const PgClient&) = delete;
  PgClient& operator=(const PgClient&) = delete;

  // POST /orders with the terminal's details. The answer must carry a
  // payment_session_id (kResponse error otherwise).
  PgResult<OrderEntity> create_order(const CreateOrderRequest& order, std::string_view idempotency_key,
                                     hal::Millis deadline);
  // POST /orders/sessions, UPI link (intent in UpiPayment::intent) or qrcode
  // (the data URL into *qr_data_url, which must then be given; decode_qr_png
  // turns it into PNG bytes when wanted).
  PgResult<UpiPayment> pay_order_upi(const OrderPayUpiRequest& pay, std::string_view idempotency_key,
                                     hal::Millis deadline, StringSpan* qr_data_url = nullptr);
  PgResult<OrderEntity> get_order(std::string_view order_id, hal::Millis deadline);
  PgResult<PaymentList> get_payments(std::string_view order_id, hal::Millis deadline);
  // PATCH /orders/{id}: TERMINATION_REQUESTED or TERMINATED on success;
  // 400 order_inactive when it is PAID or EXPIRED (read the order next).
  PgResult<OrderEntity> terminate_order(std::string_view order_id, std::string_view idempotency_key,
                                        hal::Millis deadline);

  // POST /orders/sessions with the card. CardPayment::action says what
  // next: kPost (Native OTP: authenticate_payment), kLink (the customer
  // completes 3-D Secure at url). A refused card has card_reentry set
  // (locally: "Read card again"; from the gateway: its code's line).
  PgResult<CardPayment> pay_order_card(const OrderPayCardRequest& pay, std::string_view idempotency_key,
                                       hal::Millis deadline);
  // POST /orders/pay/authenticate/{cf_payment_id}: SUBMIT_OTP with the OTP,
  // or RESEND_OTP (otp empty). authenticate_status FAILED is an answer (a
  // wrong OTP, a resend too soon), not an error; SUCCESS is the OTP's, read
  // the payment for the outcome. The key is optional here (the spec's
  // x-idempotency-key is); without one, a lost answer is read from the
  // payment rather than by repeating the OTP.
  PgResult<OtpResult> authenticate_payment(std::string_view cf_payment_id, OtpAction action, std::string_view otp,
                                           hal::Millis deadline, std::string_view idempotency_key = {});
  // POST /orders/{order_id}/authorization: CAPTURE amount_paise (the full
  // authorised amount or less) or VOID (amount_paise ignored). Answers the
  // PaymentEntity: is_captured and authorization say what was done.
  PgResult<PaymentAttempt> authorize_order(std::string_view order_id, AuthorizeAction action,
                                           std::int64_t amount_paise, std::string_view idempotency_key,
                                           hal::Millis deadline);

 private:
  enum class Op : std::uint8_t {
    kCreateOrder,
    kOrderPayUpi,
    kGetOrder,
    kGetPayments,
    kTerminateOrder,
    kOrderPayCard,
    kAuthenticate,
    kAuthorize,
  };
  struct Call;
  // Builds a call's request. A function pointer set by each public method,
  // not a switch in perform(): an image that never pays by card links none
  // of the card builders (-ffunction-sections, --gc-sections).
  using Build = FieldStatus (*)(PgRequestBuilder& builder, const Call& call, const CallIds& ids, PgRequest& out);
  struct Call {
    Op op = Op::kGetOrder;
    Build build = nullptr;
    const CreateOrderRequest* order = nullptr;        // kCreateOrder
    const OrderPayUpiRequest* pay = nullptr;          // kOrderPayUpi
    const OrderPayCardRequest* pay_card = nullptr;    // kOrderPayCard
    std::string_view order_id;                        // get / payments / terminate / authorize
    std::string_view cf_payment_id;                   // kAuthenticate
    std::string_view otp;                             // kAuthenticate
    OtpAction otp_action = OtpAction::kSubmit;        // kAuthenticate
    AuthorizeAction authorize_action = AuthorizeAction::kCapture;  // kAuthorize
    std::int64_t amount_paise = 0;                    // kAuthorize
    std::string_view idempotency_key;
  };

  // Builds and exchanges one request. True with a 2xx answer whose body is
  // in answer_body_; false with `error` set.
  bool perform(const Call& call, hal::Millis deadline, PgCallInfo& info, GatewayError& error);
  // After a call that carried card data or an OTP: wipes the answer (the
  // response buffer and the arena) and scrubs the error's texts.
  void forget_secrets(const Call& call, GatewayError& error);
  // Decode failures of a 2xx answer, and the result's success.
  template <typename T>
  static void finish(PgResult<T>& result, const FieldStatus& decoded);

  http::HttpClient& http_;
  hal::Entropy& entropy_;
  const PgConfig& config_;
  const TerminalProvisioning& terminal_;
  PgBuffersBase& buffers_;
  std::array<http::HeaderCapture, kCapturedHeaders> captures_{};
  std::string_view answer_body_;
};

}  // namespace posagent::gateway
