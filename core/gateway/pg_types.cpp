#include "core/gateway/pg_types.hpp"

#include <iterator>

namespace posagent::gateway {

namespace {

// One table per enum, indexed by the enum's value; kUnknown is last.
constexpr std::string_view kOrderStatusNames[] = {"ACTIVE",     "PAID",
                                                  "EXPIRED",    "TERMINATED",
                                                  "TERMINATION_REQUESTED", "UNKNOWN"};
constexpr std::string_view kPaymentStatusNames[] = {"SUCCESS", "NOT_ATTEMPTED", "FAILED",  "USER_DROPPED",
                                                    "VOID",    "CANCELLED",     "PENDING", "UNKNOWN"};
constexpr std::string_view kUpiChannelNames[] = {"link", "qrcode", "collect", "unknown"};
constexpr std::string_view kPayActionNames[] = {"custom", "link", "form", "post", "collect", "unknown"};
constexpr std::string_view kAuthenticateStatusNames[] = {"SUCCESS", "FAILED", "UNKNOWN"};
// kNone ("none") is JSON null, never text: parse starts after it.
constexpr std::string_view kAuthorizationActionNames[] = {"none", "CAPTURE", "VOID", "UNKNOWN"};
constexpr std::string_view kAuthorizationStatusNames[] = {"PENDING", "SUCCESS", "UNKNOWN"};

static_assert(std::size(kOrderStatusNames) == static_cast<std::size_t>(OrderStatus::kUnknown) + 1);
static_assert(std::size(kPaymentStatusNames) == static_cast<std::size_t>(PaymentStatus::kUnknown) + 1);
static_assert(std::size(kUpiChannelNames) == static_cast<std::size_t>(UpiChannel::kUnknown) + 1);
static_assert(std::size(kPayActionNames) == static_cast<std::size_t>(PayAction::kUnknown) + 1);
static_assert(std::size(kAuthenticateStatusNames) == static_cast<std::size_t>(AuthenticateStatus::kUnknown) + 1);
static_assert(std::size(kAuthorizationActionNames) == static_cast<std::size_t>(AuthorizationAction::kUnknown) + 1);
static_assert(std::size(kAuthorizationStatusNames) == static_cast<std::size_t>(AuthorizationStatus::kUnknown) + 1);

template <typename E, std::size_t N>
std::string_view name_of(E value, const std::string_view (&names)[N]) {
  const auto index = static_cast<std::size_t>(value);
  return index < N ? names[index] : names[N - 1];
}

// The index of text among the first n - 1 names, else n - 1. One loop for
// every enum (not one per instantiation: it is in every image).
std::size_t index_of(std::string_view text, const std::string_view* names, std::size_t n) {
  std::size_t i = 0;
  while (i + 1 < n && names[i] != text) ++i;
  return i;
}

// The last entry is the unknown one and never matches received text: a
// gateway sending "UNKNOWN" gets kUnknown either way.
template <typename E, std::size_t N>
E parse_of(std::string_view text, const std::string_view (&names)[N]) {
  return static_cast<E>(index_of(text, names, N));
}

}  // namespace

std::string_view to_string(OrderStatus status) { return name_of(status, kOrderStatusNames); }
std::string_view to_string(PaymentStatus status) { return name_of(status, kPaymentStatusNames); }
std::string_view to_string(UpiChannel channel) { return name_of(channel, kUpiChannelNames); }
std::string_view to_string(PayAction action) { return name_of(action, kPayActionNames); }

OrderStatus parse_order_status(std::string_view text) { return parse_of<OrderStatus>(text, kOrderStatusNames); }
PaymentStatus parse_payment_status(std::string_view text) {
  return parse_of<PaymentStatus>(text, kPaymentStatusNames);
}
UpiChannel parse_upi_channel(std::string_view text) { return parse_of<UpiChannel>(text, kUpiChannelNames); }
PayAction parse_pay_action(std::string_view text) { return parse_of<PayAction>(text, kPayActionNames); }

std::string_view to_string(CardChannel channel) { return channel == CardChannel::kLink ? "link" : "post"; }
std::string_view to_string(OtpAction action) { return action == OtpAction::kResend ? "RESEND_OTP" : "SUBMIT_OTP"; }
std::string_view to_string(AuthorizeAction action) { return action == AuthorizeAction::kVoid ? "VOID" : "CAPTURE"; }
std::string_view to_string(AuthenticateStatus status) { return name_of(status, kAuthenticateStatusNames); }
std::string_view to_string(AuthorizationAction action) { return name_of(action, kAuthorizationActionNames); }
std::string_view to_string(AuthorizationStatus status) { return name_of(status, kAuthorizationStatusNames); }

AuthenticateStatus parse_authenticate_status(std::string_view text) {
  return parse_of<AuthenticateStatus>(text, kAuthenticateStatusNames);
}
AuthorizationAction parse_authorization_action(std::string_view text) {
  // "none" is not a value the API sends (null is): it must not match kNone.
  if (text == kAuthorizationActionNames[0]) return AuthorizationAction::kUnknown;
  return parse_of<AuthorizationAction>(text, kAuthorizationActionNames);
}
AuthorizationStatus parse_authorization_status(std::string_view text) {
  return parse_of<AuthorizationStatus>(text, kAuthorizationStatusNames);
}

bool is_final(PaymentStatus status) {
  switch (status) {
    case PaymentStatus::kSuccess:
    case PaymentStatus::kFailed:
    case PaymentStatus::kUserDropped:
    case PaymentStatus::kVoid:
    case PaymentStatus::kCancelled:
      return true;
    case PaymentStatus::kNotAttempted:
    case PaymentStatus::kPending:
    case PaymentStatus::kUnknown:
      return false;
  }
  return false;
}

const PaymentAttempt* PaymentList::success() const {
  for (std::size_t i = 0; i < count && i < attempts.size(); ++i) {
    if (attempts[i].payment_status == PaymentStatus::kSuccess) return &attempts[i];
  }
  return nullptr;
}

}  // namespace posagent::gateway
