// Shared by the gateway tests: the configuration and terminal they use,
// canned answers (copied from pgsim and from the spec's examples), and
// check macros that name the failing row. Large buffers are static so the
// Cortex-M4 build keeps them off its stack.
#pragma once

#include <doctest/doctest.h>

#include <cstddef>
#include <cstring>
#include <string_view>

#include <cstdint>
#include <span>

#include "core/base/fixed_string.hpp"
#include "core/base/status.hpp"
#include "core/card/card_data.hpp"
#include "core/gateway/pg_config.hpp"
#include "core/gateway/pg_request.hpp"
#include "core/json/json_arena.hpp"

// Checks that name the loop case on failure. Not doctest's INFO or CAPTURE:
// their context scopes are polymorphic, and test files are built -fno-rtti
// while the doctest runner has RTTI (see tests/json/json_test_support.hpp).
#define GW_CHECK_CTX(cond, context)                  \
  do {                                               \
    if (cond) {                                      \
      CHECK(true);                                   \
    } else {                                         \
      FAIL_CHECK(#cond << "  [" << context << "]");  \
    }                                                \
  } while (0)

namespace gateway_test {

inline doctest::String ctx(std::string_view text) {
  return doctest::String(text.data(), static_cast<doctest::String::size_type>(text.size()));
}

// Screen messages must fit one 20-character terminal line.
inline bool fits_line(const char* message) { return message != nullptr && std::strlen(message) <= 20; }

// A configuration for Cashfree's sandbox, and the terminal of the tests.
posagent::gateway::PgConfig sandbox_config();
posagent::gateway::TerminalProvisioning test_terminal();

// "x" * n, in a static buffer (slot 0..3 keep up to four alive at once).
std::string_view repeat(char c, std::size_t n, int slot = 0);

// Text assembled from parts into a static buffer (slot 0..3), for bodies
// with a generated field.
std::string_view concat(std::initializer_list<std::string_view> parts, int slot = 0);

// An HTTP/1.1 answer with the right Content-Length, in a static buffer
// (slot 0..3). `headers` is zero or more "Name: value\r\n" lines.
std::string_view http_answer(int status, std::string_view reason, std::string_view headers, std::string_view body,
                             int slot = 0);

// --- Cards and secrets -------------------------------------------------------

// CardData is neither copyable nor movable: tests fill one in place.
void key_entered_card(posagent::card::CardData& card, std::string_view number, std::string_view mm,
                      std::string_view yy, std::string_view cvv, std::string_view holder = {});
void token_card(posagent::card::CardData& card, std::string_view number, std::string_view mm, std::string_view yy,
                std::string_view cryptogram, std::string_view token_requestor_id, std::string_view last_four);

// Whether `text` occurs anywhere in bytes.
bool holds(std::span<const std::uint8_t> bytes, std::string_view text);
inline bool holds(std::span<const char> chars, std::string_view text) {
  return holds(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(chars.data()), chars.size()),
               text);
}
// Whether `text` occurs anywhere in the arena's memory that any document
// has used (up to its peak; the rest was never written). Resets the arena;
// its peak stays.
bool arena_holds(posagent::JsonArenaBase& arena, std::string_view text);

// --- A built request ---------------------------------------------------------

std::string_view body_of(const posagent::gateway::PgRequest& r);
// The request exactly as write_request puts it on the wire (valid until the
// next call).
std::string_view wire(const posagent::gateway::PgRequest& r);
// The request's headers as "name: value\n" lines, for whole-list checks.
posagent::FixedString<1024> header_lines(const posagent::gateway::PgRequest& r);

// --- Canned answers ---------------------------------------------------------

// pgsim's OrderEntity for a create order with terminal details (verbatim).
inline constexpr std::string_view kPgsimOrder =
    R"J({"cart_details":null,"cf_order_id":"2946750545","created_at":"2026-11-23T17:48:51+05:30",)J"
    R"J("customer_details":{"customer_bank_account_number":null,"customer_bank_code":null,"customer_bank_ifsc":null,)J"
    R"J("customer_email":null,"customer_id":"term-42","customer_name":null,"customer_phone":"9876543210",)J"
    R"J("customer_uid":null},"entity":"order","order_amount":499,"order_currency":"INR",)J"
    R"J("order_expiry_time":"2030-01-01T10:00:00+05:30","order_id":"POS-1","order_meta":{"notify_url":null,)J"
    R"J("payment_methods":null,"return_url":null},"order_note":"Counter 3 sale","order_splits":[],)J"
    R"J("order_status":"ACTIVE","order_tags":{"shift":"morning","terminal":"T-0001"},)J"
    R"J("payment_session_id":"session_wcX9DbtroKfrRVhGMLj8oLzZ2_t4dsdJJvYminni4ptFBhuMiHqfhKYe4wMmZWe7",)J"
    R"J("terminal_data":{"agent_mobile_number":"9123456780","cf_terminal_id":7456780,)J"
    R"J("merchant_terminal_id":"T-0001","terminal_type":"SPOS"}})J";

// The spec's OrderEntity example shape (space-separated times, amount as an
// integer, terminal_data null) with a sandbox-length session id.
inline constexpr std::string_view kSpecSessionId =
    "session_a1VXIPJo8kh7IBigVXX8LgTMupQW_cu25FS8KwLwQLOmiHqbBxq5UhEilrhbDSKKHA6UAuOj9506aaHNlFAHEqYrHSEl9AVtYQN1"
    "4XyjeGBjDnw1e3jkX2zGYQuq9bDYdvCFrL0z6DHpaymentpayment";
inline constexpr std::string_view kSpecOrder =
    R"J({"cf_order_id":"2149460581","created_at":"2023-08-11 18:02:46+05:30","customer_details":{"customer_id":"409128494",)J"
    R"J("customer_name":"Johmn Doe","customer_email":"pmlpayme@ntsas.com","customer_phone":"9876543210",)J"
    R"J("customer_uid":"54deabb4-ba45-4a60-9e6a-9c016fe7ab10"},"entity":"order","order_amount":22,)J"
    R"J("payment_session_id":"session_a1VXIPJo8kh7IBigVXX8LgTMupQW_cu25FS8KwLwQLOmiHqbBxq5UhEilrhbDSKKHA6UAuOj9506aaHNlFAHEqYrHSEl9AVtYQN14XyjeGBjDnw1e3jkX2zGYQuq9bDYdvCFrL0z6DHpaymentpayment",)J"
    R"J("order_currency":"INR","order_expiry_time":"2023-09-09 18:02:46+05:30",)J"
    R"J("order_id":"order_3242Tq4Edj9CC5RDcMeobmJOWOBJij","order_meta":{"return_url":"https://www.cashfree.com/devstudio/thankyou",)J"
    R"J("payment_methods":"cc","notify_url":"https://example.com/cf_notify"},"order_note":"some order note LIST",)J"
    R"J("order_splits":[],"order_status":"ACTIVE","order_tags":{"name":"John","age":"19"},"terminal_data":null,)J"
    R"J("cart_details":{"cart_id":"1"}})J";

// pgsim's UPI link PayOrderEntity (verbatim; port 35461).
inline constexpr std::string_view kPgsimIntent =
    "https://localhost:35461/pay/5992249169?txnId=5992249169&amount=499.00&pa=posagent.merchant%40pgsim"
    "&pn=posagent%20merchant&am=499.00&tr=5992249169&tn=Counter%203%20sale&cu=INR";
inline constexpr std::string_view kPgsimPayLink =
    R"J({"action":"custom","cf_payment_id":"5992249169","channel":"link","data":{"content_type":null,"method":null,)J"
    R"J("payload":{"bhim":"https://localhost:35461/pay/5992249169?txnId=5992249169&amount=499.00&pa=posagent.merchant%40pgsim&pn=posagent%20merchant&am=499.00&tr=5992249169&tn=Counter%203%20sale&cu=INR",)J"
    R"J("default":"https://localhost:35461/pay/5992249169?txnId=5992249169&amount=499.00&pa=posagent.merchant%40pgsim&pn=posagent%20merchant&am=499.00&tr=5992249169&tn=Counter%203%20sale&cu=INR",)J"
    R"J("gpay":"https://localhost:35461/pay/5992249169?txnId=5992249169&amount=499.00&pa=posagent.merchant%40pgsim&pn=posagent%20merchant&am=499.00&tr=5992249169&tn=Counter%203%20sale&cu=INR",)J"
    R"J("paytm":"https://localhost:35461/pay/5992249169?txnId=5992249169&amount=499.00&pa=posagent.merchant%40pgsim&pn=posagent%20merchant&am=499.00&tr=5992249169&tn=Counter%203%20sale&cu=INR",)J"
    R"J("phonepe":"https://localhost:35461/pay/5992249169?txnId=5992249169&amount=499.00&pa=posagent.merchant%40pgsim&pn=posagent%20merchant&am=499.00&tr=5992249169&tn=Counter%203%20sale&cu=INR"},)J"
    R"J("url":null},"payment_amount":499,"payment_method":"upi"})J";

// A 2x2 grey PNG (69 bytes) and its data URL.
inline constexpr unsigned char kTinyPng[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
    0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00, 0x00, 0x00, 0x00, 0x57, 0xdd, 0x52, 0xf8, 0x00, 0x00, 0x00,
    0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0xf8, 0x0f, 0x84, 0x00, 0x06, 0x00, 0x01, 0xff, 0x93,
    0xd1, 0xe4, 0x89, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
inline constexpr std::string_view kTinyPngDataUrl =
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAADElEQVR4nGNg+A+EAAYAAf+T0eSJAAAAAElFTkSuQmCC";
// A qrcode PayOrderEntity around it. Its data URL has a JSON-escaped '/'
// ("\/"), as some encoders write it.
inline constexpr std::string_view kPayQrcode =
    R"J({"action":"custom","cf_payment_id":"5992249170","channel":"qrcode","data":{"content_type":null,"method":null,)J"
    R"J("payload":{"qrcode":"data:image\/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAADElEQVR4nGNg+A+EAAYAAf+T0eSJAAAAAElFTkSuQmCC"},)J"
    R"J("url":null},"payment_amount":499,"payment_method":"upi"})J";

// pgsim's Get Payments after one FAILED and one SUCCESS attempt (verbatim).
inline constexpr std::string_view kPgsimPayments =
    R"J([{"auth_id":null,"authorization":null,"bank_reference":null,"cf_payment_id":"5992249169","entity":"payment",)J"
    R"J("error_details":{"error_code":"TRANSACTION_DECLINED","error_code_raw":null,"error_description":"the payment was declined (simulate)",)J"
    R"J("error_description_raw":null,"error_reason":"auth_declined","error_source":"customer","error_subcode_raw":null},)J"
    R"J("international_payment":{"international":false},"is_captured":false,"order_amount":499,"order_currency":"INR",)J"
    R"J("order_id":"POS-1","payment_amount":499,"payment_completion_time":"2026-11-23T17:56:00+05:30","payment_currency":"INR",)J"
    R"J("payment_gateway_details":{"gateway_name":"CASHFREE","gateway_order_id":"2946750545","gateway_order_reference_id":null,)J"
    R"J("gateway_payment_id":"5992249169","gateway_reference_name":null,"gateway_settlement":"CASHFREE","gateway_status_code":null},)J"
    R"J("payment_group":"upi","payment_message":"01::Declined","payment_method":{"upi":{"channel":"link","upi_id":null}},)J"
    R"J("payment_status":"FAILED","payment_surcharge":null,"payment_time":"2026-11-23T17:48:51+05:30"},)J"
    R"J({"auth_id":null,"authorization":null,"bank_reference":"216392389638","cf_payment_id":"5992249170","entity":"payment",)J"
    R"J("error_details":null,"international_payment":{"international":false},"is_captured":true,"order_amount":499,)J"
    R"J("order_currency":"INR","order_id":"POS-1","payment_amount":499,"payment_completion_time":"2026-11-23T17:56:00+05:30",)J"
    R"J("payment_currency":"INR","payment_gateway_details":{"gateway_name":"CASHFREE","gateway_order_id":"2946750545",)J"
    R"J("gateway_order_reference_id":null,"gateway_payment_id":"5992249170","gateway_reference_name":null,)J"
    R"J("gateway_settlement":"CASHFREE","gateway_status_code":null},"payment_group":"upi","payment_message":"00::Paid (pgsim)",)J"
    R"J("payment_method":{"upi":{"channel":"qrcode","upi_id":"customer@pgsimbank"}},"payment_status":"SUCCESS",)J"
    R"J("payment_surcharge":null,"payment_time":"2026-11-23T17:48:51+05:30"}])J";

// One pgsim NOT_ATTEMPTED attempt (verbatim), to build long lists from.
inline constexpr std::string_view kPgsimAttempt =
    R"J({"auth_id":null,"authorization":null,"bank_reference":null,"cf_payment_id":"5992249169","entity":"payment",)J"
    R"J("error_details":null,"international_payment":{"international":false},"is_captured":false,"order_amount":499,)J"
    R"J("order_currency":"INR","order_id":"POS-1","payment_amount":499,"payment_completion_time":null,"payment_currency":"INR",)J"
    R"J("payment_gateway_details":{"gateway_name":"CASHFREE","gateway_order_id":"2946750545","gateway_order_reference_id":null,)J"
    R"J("gateway_payment_id":"5992249169","gateway_reference_name":null,"gateway_settlement":"CASHFREE","gateway_status_code":null},)J"
    R"J("payment_group":"upi","payment_message":null,"payment_method":{"upi":{"channel":"link","upi_id":null}},)J"
    R"J("payment_status":"NOT_ATTEMPTED","payment_surcharge":null,"payment_time":"2026-11-23T17:48:51+05:30"})J";

// pgsim's error bodies (verbatim).
inline constexpr std::string_view kOrderInactive =
    R"J({"code":"order_inactive","message":"order_status : the order is PAID and cannot be terminated","type":"invalid_request_error"})J";
inline constexpr std::string_view kOrderPayNotFound =
    R"J({"code":"orderpay_not_found","message":"the order is no longer active and cannot be used to initiate a payment (order is PAID)","type":"invalid_request_error"})J";
inline constexpr std::string_view kOrderExists =
    R"J({"code":"order_already_exists","message":"order with same id is already present","type":"invalid_request_error"})J";
inline constexpr std::string_view kRateLimited =
    R"J({"code":"request_failed","message":"Too many requests. Check headers (pgsim fault)","type":"rate_limit_error"})J";

}  // namespace gateway_test
