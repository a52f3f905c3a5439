#include "core/flowwise/fw_client.hpp"

#include "core/base/uuid.hpp"

namespace posagent::flowwise {

namespace {

constexpr std::string_view kReplayedHeader = "x-idempotency-replayed";
constexpr std::string_view kRateLimitRetryHeader = "x-ratelimit-retry";
constexpr std::string_view kRetryAfterHeader = "retry-after";
constexpr std::string_view kRequestIdHeader = "x-request-id";

FieldStatus missing(std::string_view field) { return FieldStatus(Status(Code::kParseError, "field missing"), field); }

}  // namespace

FieldStatus FlowwiseClient::build(const Call& call, const CallIds& ids, FwRequest& request) {
  // The JSON body is printed into the response buffer: exchange() copies it
  // into the request buffer before any answer byte is stored there.
  const std::span<std::uint8_t> response_bytes = buffers_.response();
  const std::span<char> body_buffer(reinterpret_cast<char*>(response_bytes.data()), response_bytes.size());
  FwRequestBuilder builder(config_, buffers_.arena(), body_buffer);
  switch (call.op) {
    case FwCall::kCreateOrder: return builder.create_order(*call.order, ids, request);
    case FwCall::kGetOrder: return builder.get_order(call.id, ids, request);
    case FwCall::kCreatePayment:
      if (call.card != nullptr) return builder.card_payment(*call.card_pay, *call.card, ids, request);
      return builder.upi_payment(*call.upi, ids, request);
    case FwCall::kAuthorize: return builder.authorize(*call.authorize, ids, request);
    case FwCall::kGetPayment: return builder.get_payment(call.id, ids, request);
    case FwCall::kGetPayments: return builder.get_payments(call.id, ids, request);
  }
  return FieldStatus(Status(Code::kInternal, "unknown call"), "");
}

bool FlowwiseClient::perform(const Call& call, PgCallInfo& info, GatewayError& error) {
  answer_body_ = {};

  // A fresh request id per call, retries included: it names this attempt,
  // while the idempotency key names the operation.
  const Result<FixedString<kUuidTextLength>> request_id = make_uuid_v4(entropy_);
  if (!request_id.ok()) {
    error = gateway::error_from_request(request_id.status(), "x-request-id");
    error.retry = RetryDecision::kRetrySameKey;  // nothing was sent; the source may recover
    error.screen_message = "Try again";
    return false;
  }
  info.request_id = *request_id;

  FwRequest request;
  const FieldStatus built = build(call, CallIds{info.request_id.view(), call.idempotency_key}, request);
  if (!built.ok()) {
    error = gateway::error_from_request(built.status(), built.key());
    return false;
  }

  const bool is_read = request.method() == http::Method::kGet;
  const hal::Millis deadline = clock_.monotonic_ms() + (is_read ? config_.read_timeout_ms : config_.write_timeout_ms);
  captures_[0] = http::HeaderCapture{kReplayedHeader, {}, false};
  captures_[1] = http::HeaderCapture{kRateLimitRetryHeader, {}, false};
  captures_[2] = http::HeaderCapture{kRetryAfterHeader, {}, false};
  captures_[3] = http::HeaderCapture{kRequestIdHeader, {}, false};
  http::Response response(captures_, buffers_.response());
  const http::ExchangeResult exchanged =
      http_.exchange(request.http_request(), buffers_.request(), response, deadline);
  if (!exchanged.ok()) {
    error = gateway::error_from_exchange(exchanged);
    return false;
  }

  info.http_status = response.status_code();
  const std::optional<std::string_view> replayed = response.header(kReplayedHeader);
  info.replayed = replayed && *replayed == "true";
  if (info.http_status >= 200 && info.http_status <= 299) {
    answer_body_ = response.body_text();
    return true;
  }
  gateway::ResponseHints hints;
  hints.ratelimit_retry = response.header(kRateLimitRetryHeader);
  hints.retry_after = response.header(kRetryAfterHeader);
  hints.replayed = info.replayed;
  error = flowwise_error_from_response(info.http_status, response.body_text(), hints, buffers_.arena(), call.op);
  return false;
}

template <typename T>
void FlowwiseClient::finish(FlowwiseResult<T>& result, const FieldStatus& decoded) {
  if (decoded.ok()) {
    result.ok_ = true;
    return;
  }
  result.error_ = gateway::error_from_decode(result.info_.http_status, decoded, result.info_.replayed);
}

FlowwiseResult<FwOrder> FlowwiseClient::create_order(const FwCreateOrderRequest& order,
                                                     std::string_view idempotency_key) {
  FlowwiseResult<FwOrder> result;
  Call call;
  call.op = FwCall::kCreateOrder;
  call.order = &order;
  call.idempotency_key = idempotency_key;
  if (!perform(call, result.info_, result.error_)) return result;
  FieldStatus decoded = decode_order(buffers_.arena(), answer_body_, result.value_);
  if (decoded.ok() && result.value_.order_hash.empty()) decoded = missing("order_hash");
  finish(result, decoded);
  return result;
}

FlowwiseResult<FwOrder> FlowwiseClient::get_order(std::string_view order_id) {
  FlowwiseResult<FwOrder> result;
  Call call;
  call.op = FwCall::kGetOrder;
  call.id = order_id;
  if (!perform(call, result.info_, result.error_)) return result;
  finish(result, decode_order(buffers_.arena(), answer_body_, result.value_));
  return result;
}

FlowwiseResult<FwPayment> FlowwiseClient::create_upi_payment(const FwUpiPaymentRequest& pay,
                                                             std::string_view idempotency_key) {
  FlowwiseResult<FwPayment> result;
  Call call;
  call.op = FwCall::kCreatePayment;
  call.upi = &pay;
  call.idempotency_key = idempotency_key;
  if (!perform(call, result.info_, result.error_)) return result;
  FieldStatus decoded = decode_payment(buffers_.arena(), answer_body_, result.value_);
  // An open intent without its payload cannot be shown to the customer.
  if (decoded.ok() && pay.flow == FwUpiFlow::kIntent && is_open(result.value_.payment_status) &&
      result.value_.payload.empty()) {
    decoded = missing("payload");
  }
  finish(result, decoded);
  return result;
}

FlowwiseResult<FwPayment> FlowwiseClient::create_card_payment(const FwCardPaymentRequest& pay,
                                                              const card::CardData& card,
                                                              std::string_view idempotency_key) {
  FlowwiseResult<FwPayment> result;
  Call call;
  call.op = FwCall::kCreatePayment;
  call.card_pay = &pay;
  call.card = &card;
  call.idempotency_key = idempotency_key;
  if (!perform(call, result.info_, result.error_)) return result;
  FieldStatus decoded = decode_payment(buffers_.arena(), answer_body_, result.value_);
  // At 3-D Secure without the page's address the customer cannot go on.
  if (decoded.ok() && result.value_.payment_status == FwPaymentStatus::kRedirected &&
      result.value_.redirect_url.empty()) {
    decoded = missing("redirect_url");
  }
  finish(result, decoded);
  return result;
}

FlowwiseResult<FwPayment> FlowwiseClient::authorize(const FwAuthorizeRequest& request,
                                                    std::string_view idempotency_key) {
  FlowwiseResult<FwPayment> result;
  Call call;
  call.op = FwCall::kAuthorize;
  call.authorize = &request;
  call.idempotency_key = idempotency_key;
  if (!perform(call, result.info_, result.error_)) return result;
  finish(result, decode_payment(buffers_.arena(), answer_body_, result.value_));
  return result;
}

FlowwiseResult<FwPayment> FlowwiseClient::get_payment(std::string_view payment_id) {
  FlowwiseResult<FwPayment> result;
  Call call;
  call.op = FwCall::kGetPayment;
  call.id = payment_id;
  if (!perform(call, result.info_, result.error_)) return result;
  finish(result, decode_payment(buffers_.arena(), answer_body_, result.value_));
  return result;
}

FlowwiseResult<FwPaymentList> FlowwiseClient::get_payments(std::string_view order_id) {
  FlowwiseResult<FwPaymentList> result;
  Call call;
  call.op = FwCall::kGetPayments;
  call.id = order_id;
  if (!perform(call, result.info_, result.error_)) return result;
  finish(result, decode_payments(buffers_.arena(), answer_body_, result.value_));
  return result;
}

}  // namespace posagent::flowwise
