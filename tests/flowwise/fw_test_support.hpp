// Shared by the Flowwise tests: the configuration they use, canned answers
// (pgsim's, verbatim), a few text helpers and the memory scan the wipe
// proofs use. Large buffers are static so the Cortex-M4 build keeps them off
// its stack.
#pragma once

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>
#include <string_view>

#include "core/flowwise/fw_config.hpp"

// Checks that name the loop case on failure (not INFO/CAPTURE: test files
// are built -fno-rtti while the doctest runner has RTTI).
#define FW_CHECK_CTX(cond, context)                  \
  do {                                               \
    if (cond) {                                      \
      CHECK(true);                                   \
    } else {                                         \
      FAIL_CHECK(#cond << "  [" << ::fw_test::ctx(context) << "]");  \
    }                                                \
  } while (0)

namespace fw_test {

inline doctest::String ctx(std::string_view text) {
  return doctest::String(text.data(), static_cast<doctest::String::size_type>(text.size()));
}
inline doctest::String ctx(const char* text) { return ctx(std::string_view(text)); }
inline const doctest::String& ctx(const doctest::String& text) { return text; }

inline bool fits_line(const char* message) { return message != nullptr && std::strlen(message) <= 20; }

// Flowwise's sandbox with test credentials.
posagent::flowwise::FlowwiseConfig sandbox_config();

// "x" * n in a static buffer (slot 0..3).
std::string_view repeat(char c, std::size_t n, int slot = 0);
// Parts joined into a static buffer (slot 0..3).
std::string_view concat(std::initializer_list<std::string_view> parts, int slot = 0);
// An HTTP/1.1 answer with the right Content-Length, in a static buffer
// (slot 0..3). `headers` is zero or more "Name: value\r\n" lines.
std::string_view http_answer(int status, std::string_view reason, std::string_view headers, std::string_view body,
                             int slot = 0);

// Memory a test reads whole: on sanitized builds the JSON arena's free space
// is poisoned, so it is unpoisoned first (a no-op elsewhere).
std::span<const std::uint8_t> readable(const void* data, std::size_t size);
inline bool contains(std::span<const std::uint8_t> bytes, std::string_view needle) {
  const std::string_view hay(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return hay.find(needle) != std::string_view::npos;
}

// --- pgsim's answers, verbatim ------------------------------------------------

inline constexpr std::string_view kOrderHash = "df78683e496ab7298b9605a6b4d6fd5e";

// Create Order (manual capture, terminal tag).
inline constexpr std::string_view kOrder =
    R"J({"added_on":"2026-11-23T16:36:04Z","checkout_url":"https://localhost:18443/router/view/checkout/df78683e496ab7298b9605a6b4d6fd5e",)J"
    R"J("customer_email":null,"customer_id":"walkin-1","order_amount":499,"order_currency":"INR",)J"
    R"J("order_expiry_time":"2026-11-23T18:36:04Z","order_hash":"df78683e496ab7298b9605a6b4d6fd5e","order_id":"POS-1",)J"
    R"J("order_note":"Counter 3 sale","order_status":"ACTIVE","order_tags":{"capture":"manual","terminal_id":"T-0001"},)J"
    R"J("payment_methods":"cc,dc,upi,nb,wallet","project_id":"pgsim_flowwise_project"})J";

// Get Order of a paisa-precise order with nothing optional.
inline constexpr std::string_view kOrderPaid =
    R"J({"added_on":"2026-11-23T16:36:13Z","checkout_url":"https://localhost:18443/router/view/checkout/ed4edab089e68c165c781ec3d2f71b08",)J"
    R"J("customer_email":null,"customer_id":null,"order_amount":12.5,"order_currency":"INR",)J"
    R"J("order_expiry_time":"2026-11-23T18:36:13Z","order_hash":"ed4edab089e68c165c781ec3d2f71b08","order_id":"POS-2",)J"
    R"J("order_note":null,"order_status":"PAID","order_tags":null,"payment_methods":"cc,dc,upi,nb,wallet",)J"
    R"J("project_id":"pgsim_flowwise_project"})J";

// Create Payment, UPI intent.
inline constexpr std::string_view kUpiIntentPayload =
    "upi://pay?pa=posagent.merchant%40pgsim&pn=posagent%20merchant&tr=pay_PtcerOBHLfdJVmj0NASLCXpe&am=499.00"
    "&cu=INR&mc=5732&tn=Counter%203%20sale";
inline constexpr std::string_view kUpiIntent =
    R"J({"capture_amount":0,"capture_status":null,"order_expiry_time":"2026-11-23T18:36:04Z","order_id":"POS-1",)J"
    R"J("payload":"upi://pay?pa=posagent.merchant%40pgsim&pn=posagent%20merchant&tr=pay_PtcerOBHLfdJVmj0NASLCXpe&am=499.00&cu=INR&mc=5732&tn=Counter%203%20sale",)J"
    R"J("payment_amount":499,"payment_id":"pay_PtcerOBHLfdJVmj0NASLCXpe","payment_method":"upi","payment_status":"INITIATED",)J"
    R"J("payment_time":"2026-11-23T16:36:05Z","processor_ref":"UPI627693948241026334",)J"
    R"J("redirect_url":"https://localhost:18443/router/view/pay/pay_PtcerOBHLfdJVmj0NASLCXpe","return_url":null})J";

// Create Payment, UPI collect.
inline constexpr std::string_view kUpiCollect =
    R"J({"capture_amount":0,"capture_status":null,"order_expiry_time":"2026-11-23T18:36:04Z","order_id":"POS-1",)J"
    R"J("payload":null,"payment_amount":499,"payment_id":"pay_6hccMIiCn68eoGe6P8DRAkdE","payment_method":"upi",)J"
    R"J("payment_status":"PENDING","payment_time":"2026-11-23T16:36:05Z","processor_ref":"UPI711776227973037965",)J"
    R"J("redirect_url":null,"return_url":null})J";

// Create Payment, card: at 3-D Secure.
inline constexpr std::string_view kCardRedirectUrl =
    "https://localhost:18443/router/view/3ds/pay_Khsoe0RXHme8Hpy7KyRUZqh7";
inline constexpr std::string_view kCardRedirected =
    R"J({"capture_amount":0,"capture_status":null,"order_expiry_time":"2026-11-23T18:36:04Z","order_id":"POS-1",)J"
    R"J("payload":null,"payment_amount":499,"payment_id":"pay_Khsoe0RXHme8Hpy7KyRUZqh7","payment_method":"card",)J"
    R"J("payment_status":"REDIRECTED","payment_time":"2026-11-23T16:36:05Z","processor_ref":"CC857066463307118418",)J"
    R"J("redirect_url":"https://localhost:18443/router/view/3ds/pay_Khsoe0RXHme8Hpy7KyRUZqh7","return_url":null})J";

// Get Payment: the card after 3-D Secure on a manual-capture order.
inline constexpr std::string_view kCardAuthorised =
    R"J({"capture_amount":0,"capture_status":"AUTHORISED","error_details":null,)J"
    R"J("gateway_details":{"auth_id":"AUTH_1911363290671","processor_ref":"CC857066463307118418","utr":"199446661610"},)J"
    R"J("order_id":"POS-1","payment_amount":499,"payment_currency":"INR","payment_id":"pay_Khsoe0RXHme8Hpy7KyRUZqh7",)J"
    R"J("payment_message":"Payment authorised; capture or void it","payment_method":"card",)J"
    R"J("payment_method_details":{"card_display":null,"card_holder_name":null,"card_network":"VISA","card_number":"411111XXXXXX1111","token_requestor_id":null},)J"
    R"J("payment_time":"2026-11-23T16:36:05Z","refunds":[],"status":"SUCCESS"})J";

// Authorize: a partial capture.
inline constexpr std::string_view kCapturedPartly =
    R"J({"capture_amount":200.5,"capture_status":"CAPTURED",)J"
    R"J("gateway_details":{"auth_id":"AUTH_1911363290671","processor_ref":"CC857066463307118418","utr":"199446661610"},)J"
    R"J("order_id":"POS-1","payment_amount":499,"payment_currency":"INR","payment_id":"pay_Khsoe0RXHme8Hpy7KyRUZqh7",)J"
    R"J("payment_message":"Payment partially captured; the rest is released","payment_method":"card","redirect_url":null,)J"
    R"J("status":"SUCCESS"})J";

// Get Payments: a declined intent, the captured card, an authorised collect.
inline constexpr std::string_view kPayments =
    R"J([{"capture_amount":0,"capture_status":null,"error_details":{"error_code":"TRANSACTION_DECLINED","error_description":"the payment was declined (simulate)"},)J"
    R"J("gateway_details":{"auth_id":null,"processor_ref":"UPI627693948241026334","utr":null},"order_id":"POS-1","payment_amount":499,)J"
    R"J("payment_currency":"INR","payment_id":"pay_PtcerOBHLfdJVmj0NASLCXpe","payment_message":"Payment failed","payment_method":"upi",)J"
    R"J("payment_method_details":{"app_name":null,"channel":"INTENT","upi_id":null},"payment_time":"2026-11-23T16:36:05Z","refunds":[],"status":"FAILED"},)J"
    R"J({"capture_amount":200.5,"capture_status":"CAPTURED","error_details":null,)J"
    R"J("gateway_details":{"auth_id":"AUTH_1911363290671","processor_ref":"CC857066463307118418","utr":"199446661610"},"order_id":"POS-1",)J"
    R"J("payment_amount":499,"payment_currency":"INR","payment_id":"pay_Khsoe0RXHme8Hpy7KyRUZqh7",)J"
    R"J("payment_message":"Payment partially captured; the rest is released","payment_method":"card",)J"
    R"J("payment_method_details":{"card_display":null,"card_holder_name":null,"card_network":"VISA","card_number":"411111XXXXXX1111","token_requestor_id":null},)J"
    R"J("payment_time":"2026-11-23T16:36:05Z","refunds":[],"status":"SUCCESS"},)J"
    R"J({"capture_amount":0,"capture_status":"AUTHORISED","error_details":null,)J"
    R"J("gateway_details":{"auth_id":null,"processor_ref":"UPI711776227973037965","utr":"884480767920"},"order_id":"POS-1",)J"
    R"J("payment_amount":499,"payment_currency":"INR","payment_id":"pay_6hccMIiCn68eoGe6P8DRAkdE",)J"
    R"J("payment_message":"Payment authorised; capture or void it","payment_method":"upi",)J"
    R"J("payment_method_details":{"app_name":null,"channel":"COLLECT","upi_id":"testsuccess@gocash"},)J"
    R"J("payment_time":"2026-11-23T16:36:05Z","refunds":[],"status":"SUCCESS"}])J";

// Error bodies.
inline constexpr std::string_view kAlreadyCaptured =
    R"J({"code":"payment_already_captured","message":"payment_id : a captured payment cannot be voided","type":"invalid_request_error"})J";
inline constexpr std::string_view kOrderNotPayable =
    R"J({"code":"order_not_found","message":"the order is PAID and cannot be paid","type":"invalid_request_error"})J";
inline constexpr std::string_view kCardNumberInvalid =
    R"J({"code":"card_number_invalid","message":"card_number : is not a valid card number","type":"invalid_request_error"})J";

}  // namespace fw_test
