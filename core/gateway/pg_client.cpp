#include "core/gateway/pg_client.hpp"

#include "core/base/secure_wipe.hpp"

namespace posagent::gateway {

namespace {

constexpr std::string_view kReplayedHeader = "x-idempotency-replayed";
constexpr std::string_view kRateLimitRetryHeader = "x-ratelimit-retry";
constexpr std::string_view kRetryAfterHeader = "retry-after";
constexpr std::string_view kRequestIdHeader = "x-request-id";
// Cashfree's refusals quote the value refused after this.
constexpr std::string_view kValueReceived = "value received";

constexpr char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Where `needle` (lower case) starts in text, ignoring ASCII case; npos if
// nowhere.
std::size_t find_ignore_case(std::string_view text, std::string_view needle) {
  if (needle.empty() || needle.size() > text.size()) return std::string_view::npos;
  for (std::size_t at = 0; at + needle.size() <= text.size(); ++at) {
    std::size_t i = 0;
    while (i < needle.size() && lower(text[at + i]) == needle[i]) ++i;
    if (i == needle.size()) return at;
  }
  return std::string_view::npos;
}

bool contains(std::string_view text, std::string_view secret) {
  return !secret.empty() && text.find(secret) != std::string_view::npos;
}

// Drops a gateway text (wiping it) that quotes any of the secrets.
template <std::size_t N>
void scrub(FixedString<N>& text, std::span<const std::string_view> secrets) {
  for (std::string_view secret : secrets) {
    if (contains(text.view(), secret)) {
      secure_wipe(text.data(), N);
      text.clear();
      return;
    }
  }
}

bool is_card_field(std::string_view field) {
  return field == "card" || field == "card_number" || field == "card_expiry_mm" || field == "card_expiry_yy" ||
         field == "card_cvv" || field == "card_holder_name" || field == "cryptogram" ||
         field == "token_requestor_id" || field == "card_display";
}

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
  const FieldStatus built = call.build(builder, call, ids, request);
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

void PgClient::forget_secrets(const Call& call, GatewayError& error) {
  secure_wipe(buffers_.response());
  buffers_.arena().wipe();
  answer_body_ = {};

  // The refusal's texts are the gateway's: keep what comes before a quoted
  // value, and nothing that still holds one of the secrets.
  const std::size_t quoted = find_ignore_case(error.message.view(), kValueReceived);
  if (quoted != std::string_view::npos) {
    const std::size_t length = error.message.size();
    secure_wipe(error.message.data() + quoted, length - quoted);
    std::size_t keep = quoted;
    while (keep > 0 && error.message.view()[keep - 1] == ' ') --keep;
    error.message.span().resize_down(keep);
  }
  std::string_view secrets[3] = {};
  std::size_t n = 0;
  if (call.op == Op::kAuthenticate) {
    secrets[n++] = call.otp;
  } else if (call.pay_card != nullptr && call.pay_card->card != nullptr) {
    const card::CardData& card = *call.pay_card->card;
    secrets[n++] = card.number.view();
    secrets[n++] = card.cvv.view();
    secrets[n++] = card.cryptogram.view();
  }
  const std::span<const std::string_view> list(secrets, n);
  scrub(error.message, list);
  scrub(error.code, list);
  scrub(error.type, list);
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
  call.build = [](PgRequestBuilder& b, const Call& c, const CallIds& ids, PgRequest& out) {
    return b.create_order(*c.order, ids, out);
  };
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
  call.build = [](PgRequestBuilder& b, const Call& c, const CallIds& ids, PgRequest& out) {
    return b.order_pay_upi(*c.pay, ids, out);
  };
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
  call.build = [](PgRequestBuilder& b, const Call& c, const CallIds& ids, PgRequest& out) {
    return b.get_order(c.order_id, ids, out);
  };
  call.order_id = order_id;
  if (!perform(call, deadline, result.info_, result.error_)) return result;
  finish(result, decode_order(buffers_.arena(), answer_body_, result.value_));
  return result;
}

PgResult<PaymentList> PgClient::get_payments(std::string_view order_id, hal::Millis deadline) {
  PgResult<PaymentList> result;
  Call call;
  call.op = Op::kGetPayments;
  call.build = [](PgRequestBuilder& b, const Call& c, const CallIds& ids, PgRequest& out) {
    return b.get_payments(c.order_id, ids, out);
  };
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
  call.build = [](PgRequestBuilder& b, const Call& c, const CallIds& ids, PgRequest& out) {
    return b.terminate_order(c.order_id, ids, out);
  };
  call.order_id = order_id;
  call.idempotency_key = idempotency_key;
  if (!perform(call, deadline, result.info_, result.error_)) return result;
  finish(result, decode_order(buffers_.arena(), answer_body_, result.value_));
  return result;
}

PgResult<CardPayment> PgClient::pay_order_card(const OrderPayCardRequest& pay, std::string_view idempotency_key,
                                               hal::Millis deadline) {
  PgResult<CardPayment> result;
  Call call;
  call.op = Op::kOrderPayCard;
  call.build = [](PgRequestBuilder& b, const Call& c, const CallIds& ids, PgRequest& out) {
    return b.order_pay_card(*c.pay_card, ids, out);
  };
  call.pay_card = &pay;
  call.idempotency_key = idempotency_key;
  if (perform(call, deadline, result.info_, result.error_)) {
    finish(result, decode_card_pay_order(buffers_.arena(), answer_body_, result.value_));
  } else if (result.error_.origin == ErrorOrigin::kRequest) {
    // A card the builder could not send: read or key it again.
    result.error_.card_reentry =
        result.error_.status.code() == Code::kInvalidArgument && is_card_field(result.error_.field.view());
  }
  forget_secrets(call, result.error_);
  return result;
}

PgResult<OtpResult> PgClient::authenticate_payment(std::string_view cf_payment_id, OtpAction action,
                                                   std::string_view otp, hal::Millis deadline,
                                                   std::string_view idempotency_key) {
  PgResult<OtpResult> result;
  Call call;
  call.op = Op::kAuthenticate;
  call.build = [](PgRequestBuilder& b, const Call& c, const CallIds& ids, PgRequest& out) {
    return b.authenticate_payment(c.cf_payment_id, c.otp_action, c.otp, ids, out);
  };
  call.cf_payment_id = cf_payment_id;
  call.otp_action = action;
  call.otp = otp;
  call.idempotency_key = idempotency_key;
  if (perform(call, deadline, result.info_, result.error_)) {
    finish(result, decode_otp_result(buffers_.arena(), answer_body_, result.value_));
    // The gateway may leave it out; it is the payment we asked about.
    if (result.ok_ && result.value_.cf_payment_id.empty()) (void)result.value_.cf_payment_id.assign(cf_payment_id);
  }
  forget_secrets(call, result.error_);
  return result;
}

PgResult<PaymentAttempt> PgClient::authorize_order(std::string_view order_id, AuthorizeAction action,
                                                   std::int64_t amount_paise, std::string_view idempotency_key,
                                                   hal::Millis deadline) {
  PgResult<PaymentAttempt> result;
  Call call;
  call.op = Op::kAuthorize;
  call.build = [](PgRequestBuilder& b, const Call& c, const CallIds& ids, PgRequest& out) {
    return b.authorize_order(c.order_id, c.authorize_action, c.amount_paise, ids, out);
  };
  call.order_id = order_id;
  call.authorize_action = action;
  call.amount_paise = amount_paise;
  call.idempotency_key = idempotency_key;
  if (!perform(call, deadline, result.info_, result.error_)) return result;
  finish(result, decode_payment(buffers_.arena(), answer_body_, result.value_));
  return result;
}

}  // namespace posagent::gateway
