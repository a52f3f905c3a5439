#include "core/gateway/pg_client.hpp"

namespace posagent::gateway {

namespace {

constexpr std::string_view kReplayedHeader = "x-idempotency-replayed";
constexpr std::string_view kRateLimitRetryHeader = "x-ratelimit-retry";
constexpr std::string_view kRetryAfterHeader = "retry-after";
constexpr std::string_view kRequestIdHeader = "x-request-id";

}  // namespace

bool PgClient::perform(const Call& call, hal::Millis deadline, PgCallInfo& info, GatewayError& error) {
  answer_body_ = {};

  // A fresh request id per call, retries included: it names this attempt
  // for Cashfree support, while the idempotency key names the operation.
  const Result<FixedString<kUuidTextLength>> request_id = make_uuid_v4(entropy_);
  if (!request_id.ok()) {
    error = error_from_request(request_id.status(), "x-request-id");
    error.retry = RetryDecision::kRetrySameKey;  // nothing was sent; the source may recover
    error.screen_message = "Try again";
    return false;
  }
  info.request_id = *request_id;

  // The JSON body is printed into the response buffer: exchange() copies it
  // into the request buffer before any answer byte is stored there.
  const std::span<std::uint8_t> response_bytes = buffers_.response();
  const std::span<char> body_buffer(reinterpret_cast<char*>(response_bytes.data()), response_bytes.size());
  PgRequestBuilder builder(config_, terminal_, buffers_.arena(), body_buffer);
  const CallIds ids{info.request_id.view(), call.idempotency_key};
  PgRequest request;
  FieldStatus built;
  switch (call.op) {
    case Op::kCreateOrder: built = builder.create_order(*call.order, ids, request); break;
    case Op::kOrderPayUpi: built = builder.order_pay_upi(*call.pay, ids, request); break;
    case Op::kGetOrder: built = builder.get_order(call.order_id, ids, request); break;
    case Op::kGetPayments: built = builder.get_payments(call.order_id, ids, request); break;
    case Op::kTerminateOrder: built = builder.terminate_order(call.order_id, ids, request); break;
  }
  if (!built.ok()) {
    error = error_from_request(built.status(), built.key());
    return false;
  }

  captures_[0] = http::HeaderCapture{kReplayedHeader, {}, false};
  captures_[1] = http::HeaderCapture{kRateLimitRetryHeader, {}, false};
  captures_[2] = http::HeaderCapture{kRetryAfterHeader, {}, false};
  captures_[3] = http::HeaderCapture{kRequestIdHeader, {}, false};
  http::Response response(captures_, response_bytes);
  const http::ExchangeResult exchanged = http_.exchange(request.http_request(), buffers_.request(), response, deadline);
  if (!exchanged.ok()) {
    error = error_from_exchange(exchanged);
    return false;
  }

  info.http_status = response.status_code();
  const std::optional<std::string_view> replayed = response.header(kReplayedHeader);
  info.replayed = replayed && *replayed == "true";
  if (info.http_status >= 200 && info.http_status <= 299) {
    answer_body_ = response.body_text();
    return true;
  }
  ResponseHints hints;
  hints.ratelimit_retry = response.header(kRateLimitRetryHeader);
  hints.retry_after = response.header(kRetryAfterHeader);
  hints.replayed = info.replayed;
  error = error_from_response(info.http_status, response.body_text(), hints, buffers_.arena());
  return false;
}

template <typename T>
void PgClient::finish(PgResult<T>& result, const FieldStatus& decoded) {
  if (decoded.ok()) {
    result.ok_ = true;
    return;
  }
  result.error_ = error_from_decode(result.info_.http_status, decoded, result.info_.replayed);
}

PgResult<OrderEntity> PgClient::create_order(const CreateOrderRequest& order, std::string_view idempotency_key,
                                             hal::Millis deadline) {
  PgResult<OrderEntity> result;
  Call call;
  call.op = Op::kCreateOrder;
  call.order = &order;
  call.idempotency_key = idempotency_key;
  if (!perform(call, deadline, result.info_, result.error_)) return result;
  FieldStatus decoded = decode_order(buffers_.arena(), answer_body_, result.value_);
  // Order Pay needs the session; an order without one cannot be paid.
  if (decoded.ok() && result.value_.payment_session_id.empty()) {
    decoded = FieldStatus(Status(Code::kParseError, "field missing"), "payment_session_id");
  }
  finish(result, decoded);
  return result;
}

PgResult<UpiPayment> PgClient::pay_order_upi(const OrderPayUpiRequest& pay, std::string_view idempotency_key,
                                             hal::Millis deadline, StringSpan* qr_data_url) {
  PgResult<UpiPayment> result;
  // Refused before sending: a qrcode answer would have nowhere to go.
  if (pay.channel == UpiChannel::kQrcode && qr_data_url == nullptr) {
    result.error_ = error_from_request(Status(Code::kInvalidArgument, "no QR buffer"), "qrcode");
    return result;
  }
  Call call;
  call.op = Op::kOrderPayUpi;
  call.pay = &pay;
  call.idempotency_key = idempotency_key;
  if (!perform(call, deadline, result.info_, result.error_)) return result;
  finish(result, decode_upi_pay_order(buffers_.arena(), answer_body_, pay.channel, result.value_, qr_data_url));
  return result;
}

PgResult<OrderEntity> PgClient::get_order(std::string_view order_id, hal::Millis deadline) {
  PgResult<OrderEntity> result;
  Call call;
  call.op = Op::kGetOrder;
  call.order_id = order_id;
  if (!perform(call, deadline, result.info_, result.error_)) return result;
  finish(result, decode_order(buffers_.arena(), answer_body_, result.value_));
  return result;
}

PgResult<PaymentList> PgClient::get_payments(std::string_view order_id, hal::Millis deadline) {
  PgResult<PaymentList> result;
  Call call;
  call.op = Op::kGetPayments;
  call.order_id = order_id;
  if (!perform(call, deadline, result.info_, result.error_)) return result;
  finish(result, decode_payments(buffers_.arena(), answer_body_, result.value_));
  return result;
}

PgResult<OrderEntity> PgClient::terminate_order(std::string_view order_id, std::string_view idempotency_key,
                                                hal::Millis deadline) {
  PgResult<OrderEntity> result;
  Call call;
  call.op = Op::kTerminateOrder;
  call.order_id = order_id;
  call.idempotency_key = idempotency_key;
  if (!perform(call, deadline, result.info_, result.error_)) return result;
  finish(result, decode_order(buffers_.arena(), answer_body_, result.value_));
  return result;
}

}  // namespace posagent::gateway
