#include "core/flowwise/fw_types.hpp"

#include <iterator>

namespace posagent::flowwise {

namespace {

// One table per enum, indexed by its value; kUnknown is last.
constexpr std::string_view kOrderStatusNames[] = {"ACTIVE", "PAID", "EXPIRED", "UNKNOWN"};
constexpr std::string_view kPaymentStatusNames[] = {"INITIATED", "REDIRECTED",   "PENDING",  "SUCCESS", "FAILED",
                                                    "USER_DROPPED", "REVERSED", "INIT_FAILED", "UNKNOWN"};
constexpr std::string_view kCaptureStatusNames[] = {"",          "AUTHORISED",     "CREATED",
                                                    "CAPTURE_REQUESTED", "CAPTURED", "VOID_REQUESTED",
                                                    "VOIDED",    "CAPTURE_FAILED", "VOID_FAILED",
                                                    "UNKNOWN"};
constexpr std::string_view kPaymentMethodNames[] = {"upi", "card", "netbanking", "wallet", "unknown"};

static_assert(std::size(kOrderStatusNames) == static_cast<std::size_t>(FwOrderStatus::kUnknown) + 1);
static_assert(std::size(kPaymentStatusNames) == static_cast<std::size_t>(FwPaymentStatus::kUnknown) + 1);
static_assert(std::size(kCaptureStatusNames) == static_cast<std::size_t>(FwCaptureStatus::kUnknown) + 1);
static_assert(std::size(kPaymentMethodNames) == static_cast<std::size_t>(FwPaymentMethod::kUnknown) + 1);

template <typename E, std::size_t N>
std::string_view name_of(E value, const std::string_view (&names)[N]) {
  const auto index = static_cast<std::size_t>(value);
  return index < N ? names[index] : names[N - 1];
}

// The last entry never matches: a router sending "UNKNOWN" gets kUnknown
// either way.
template <typename E, std::size_t N>
E parse_of(std::string_view text, const std::string_view (&names)[N]) {
  for (std::size_t i = 0; i + 1 < N; ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return static_cast<E>(N - 1);
}

}  // namespace

std::string_view to_string(FwOrderStatus status) { return name_of(status, kOrderStatusNames); }
std::string_view to_string(FwPaymentStatus status) { return name_of(status, kPaymentStatusNames); }
std::string_view to_string(FwCaptureStatus status) { return name_of(status, kCaptureStatusNames); }
std::string_view to_string(FwPaymentMethod method) { return name_of(method, kPaymentMethodNames); }

FwOrderStatus parse_order_status(std::string_view text) { return parse_of<FwOrderStatus>(text, kOrderStatusNames); }
FwPaymentStatus parse_payment_status(std::string_view text) {
  return parse_of<FwPaymentStatus>(text, kPaymentStatusNames);
}
FwCaptureStatus parse_capture_status(std::string_view text) {
  return parse_of<FwCaptureStatus>(text, kCaptureStatusNames);
}
FwPaymentMethod parse_payment_method(std::string_view text) {
  return parse_of<FwPaymentMethod>(text, kPaymentMethodNames);
}

bool is_open(FwPaymentStatus status) {
  return status == FwPaymentStatus::kInitiated || status == FwPaymentStatus::kRedirected ||
         status == FwPaymentStatus::kPending;
}

bool is_final(FwPaymentStatus status) {
  switch (status) {
    case FwPaymentStatus::kSuccess:
    case FwPaymentStatus::kFailed:
    case FwPaymentStatus::kUserDropped:
    case FwPaymentStatus::kReversed:
    case FwPaymentStatus::kInitFailed:
      return true;
    case FwPaymentStatus::kInitiated:
    case FwPaymentStatus::kRedirected:
    case FwPaymentStatus::kPending:
    case FwPaymentStatus::kUnknown:
      return false;
  }
  return false;
}

const FwPaymentDetails* FwPaymentList::success() const {
  for (std::size_t i = 0; i < count && i < payments.size(); ++i) {
    if (payments[i].payment_status == FwPaymentStatus::kSuccess) return &payments[i];
  }
  return nullptr;
}

const FwPaymentDetails* FwPaymentList::find(std::string_view payment_id) const {
  for (std::size_t i = 0; i < count && i < payments.size(); ++i) {
    if (payments[i].payment_id == payment_id) return &payments[i];
  }
  return nullptr;
}

}  // namespace posagent::flowwise
