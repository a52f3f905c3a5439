// The Flowwise Native API client: one method per call, each doing build ->
// one HTTP exchange -> decode, and returning the decoded entity or a
// gateway::GatewayError with its retry decision (fw_error.hpp).
//
//   FlowwiseBuffers<> buffers;                 // static on small targets
//   FlowwiseClient fw(http, clock, entropy, config, buffers);
//   FlowwiseResult<FwOrder> order = fw.create_order(request, key);
//   FlowwiseResult<FwPayment> pay =
//       fw.create_upi_payment({.order_hash = order->order_hash.view()}, pay_key);
//   // show pay->payload as a QR, then poll get_payment / get_payments
//
// As PgClient: never retries by itself, never invents an idempotency key
// (every POST needs the caller's, journaled before the first try), and sends
// a fresh x-request-id per call (a UUID v4 from the entropy source, in
// FlowwiseResult::info()). Each call's deadline is now + the configured
// timeout (read for GETs, write for POSTs).
//
// Cards: create_card_payment sends a secret request. The JSON arena is
// wiped right after the body is printed, and the body's memory and the
// request buffer by HttpClient once the request is on the wire, so after
// the call no card byte is left in the buffers, whatever the outcome. The
// caller still owns the CardData and wipes it (card::CardData::wipe) once
// the call returns. A lost answer is kOutcomeUnknown: read get_payments for
// the order rather than repeating, since a repeat would need the card again
// and the same body for the key to replay.
//
// Memory: nothing is allocated; the caller owns the buffers and the results.
// One call at a time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/card/card_data.hpp"
#include "core/flowwise/fw_buffers.hpp"
#include "core/flowwise/fw_config.hpp"
#include "core/flowwise/fw_decode.hpp"
#include "core/flowwise/fw_error.hpp"
#include "core/flowwise/fw_request.hpp"
#include "core/flowwise/fw_types.hpp"
#include "core/gateway/pg_client.hpp"
#include "core/http/http_client.hpp"
#include "hal/clock.hpp"
#include "hal/entropy.hpp"

namespace posagent::flowwise {

using gateway::GatewayError;
using gateway::PgCallInfo;
using gateway::RetryDecision;

// The decoded entity, or the error; PgResult's shape (PgResult is
// PgClient's to fill).
template <typename T>
class FlowwiseResult {
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
  friend class FlowwiseClient;
  T value_{};
  GatewayError error_{};
  PgCallInfo info_{};
  bool ok_ = false;
};

class FlowwiseClient {
 public:
  static constexpr std::size_t kCapturedHeaders = 4;

  // The config is validated on every call (cheap): a bad one is a kRequest
  // error ("Check settings") and nothing is sent.
  FlowwiseClient(http::HttpClient& http, hal::Clock& clock, hal::Entropy& entropy, const FlowwiseConfig& config,
                 FlowwiseBuffersBase& buffers)
      : http_(http), clock_(clock), entropy_(entropy), config_(config), buffers_(buffers) {}
  FlowwiseClient(const FlowwiseClient&) = delete;
  FlowwiseClient& operator=(const FlowwiseClient&) = delete;

  // POST /orders. The answer must carry an order_hash (kResponse error
  // otherwise): Create Payment cannot be called without it.
  FlowwiseResult<FwOrder> create_order(const FwCreateOrderRequest& order, std::string_view idempotency_key);
  FlowwiseResult<FwOrder> get_order(std::string_view order_id);
  // POST /order/pay/{order_hash}, UPI. An open intent must carry its
  // payload (the upi://pay string), else kResponse error.
  FlowwiseResult<FwPayment> create_upi_payment(const FwUpiPaymentRequest& pay, std::string_view idempotency_key);
  // POST /order/pay/{order_hash}, card; secret (see above). A REDIRECTED
  // payment must carry its redirect_url (the 3-D Secure page), else
  // kResponse error.
  FlowwiseResult<FwPayment> create_card_payment(const FwCardPaymentRequest& pay, const card::CardData& card,
                                                std::string_view idempotency_key);
  // POST /orders/{order_id}/payments/{payment_id}/authorize: CAPTURE (full
  // or partial) or VOID an AUTHORISED payment of a manual-capture order.
  FlowwiseResult<FwPayment> authorize(const FwAuthorizeRequest& request, std::string_view idempotency_key);
  // GET /payments/{payment_id} (redirect_url and payload stay empty: the
  // router's PaymentDetails has neither).
  FlowwiseResult<FwPayment> get_payment(std::string_view payment_id);
  FlowwiseResult<FwPaymentList> get_payments(std::string_view order_id);

 private:
  struct Call {
    FwCall op = FwCall::kGetOrder;
    const FwCreateOrderRequest* order = nullptr;      // kCreateOrder
    const FwUpiPaymentRequest* upi = nullptr;         // kCreatePayment, UPI
    const FwCardPaymentRequest* card_pay = nullptr;   // kCreatePayment, card
    const card::CardData* card = nullptr;             // with card_pay
    const FwAuthorizeRequest* authorize = nullptr;    // kAuthorize
    std::string_view id;                              // order or payment id of a GET
    std::string_view idempotency_key;
  };

  // Builds and exchanges one request. True with a 2xx answer whose body is
  // in answer_body_; false with `error` set.
  bool perform(const Call& call, PgCallInfo& info, GatewayError& error);
  FieldStatus build(const Call& call, const CallIds& ids, FwRequest& request);
  template <typename T>
  static void finish(FlowwiseResult<T>& result, const FieldStatus& decoded);

  http::HttpClient& http_;
  hal::Clock& clock_;
  hal::Entropy& entropy_;
  const FlowwiseConfig& config_;
  FlowwiseBuffersBase& buffers_;
  std::array<http::HeaderCapture, kCapturedHeaders> captures_{};
  std::string_view answer_body_;
};

}  // namespace posagent::flowwise
