// The Flowwise Native API (/router): what its files share. routes_flowwise.cpp
// has the endpoints and the list of pgsim's choices where the docs are
// silent; flowwise_pay.cpp creates payments (UPI, card); flowwise_lifecycle.cpp
// is the state machine; flowwise_entities.cpp shapes the responses;
// flowwise_pages.cpp is the customer's side (checkout, UPI pay, 3-D Secure).
#pragma once

#include <optional>
#include <string>

#include "api.h"
#include "routes.h"

namespace pgsim {

// --- state machine (flowwise_lifecycle.cpp) ----------------------------------
//
// Payment: INITIATED (UPI intent) | REDIRECTED (card, at 3-D Secure) | PENDING
//          (UPI collect) -> SUCCESS | FAILED | USER_DROPPED
//          A SUCCESS carries capture_status CAPTURED (auto capture) or
//          AUTHORISED (manual capture), and AUTHORISED -> CAPTURED (authorize
//          CAPTURE) | VOIDED (authorize VOID, or left uncaptured for 7 days).
// Order:   ACTIVE -> PAID when a payment succeeds (captured or authorised);
//          ACTIVE -> EXPIRED at order_expiry_time. An attempt still open then
//          may yet succeed and make the order PAID, as on /pg.
// Refund:  PENDING -> SUCCESS | FAILED a short time later on pgsim's clock.

bool fw_is_open(const FwPayment& p);  // INITIATED REDIRECTED PENDING

// Moves an open payment to `status` (PENDING or terminal) at time `at`, and
// its order with it. Returns false, changing nothing, when it is not open.
bool fw_settle(FlowwiseState& fw, FwPayment& p, const std::string& status, int64_t at, const std::string& source,
               const std::string& error_code = "");

// action CAPTURE (amount_paise, at most payment_amount) or VOID on an
// AUTHORISED payment; throws ApiError 400, changing nothing, otherwise.
void fw_authorize(FwPayment& p, const std::string& action, int64_t amount_paise);

// Captured amount less the refunds that did not fail.
int64_t fw_refundable_paise(const FlowwiseState& fw, const FwPayment& p);

// A refund of a captured payment; `note` "FAILED" makes it fail and "PENDING"
// keeps it pending (the sandbox's refund_note trick). The caller validates.
FwRefund& fw_add_refund(FlowwiseState& fw, const FwPayment& p, FwRefund r, int64_t now);

// What time makes happen: attempt and order expiry, test-VPA outcomes,
// refunds settling, authorisations lapsing. Returns whether anything changed.
bool flowwise_tick(FlowwiseState& fw, int64_t now);

// --- payments (flowwise_pay.cpp) -----------------------------------------------

// Validates `details` for `method` (upi or card) and registers a new payment
// on the ACTIVE order `o`. Throws ApiError on the first problem found, a
// method outside the order's payment_methods included.
FwPayment& fw_add_payment(Ctx& c, FwOrder& o, const std::string& method, const json& details,
                          const json& return_base_url);

// upi://pay?pa=&pn=&tr=&am=&cu=INR&mc=&tn= as Flowwise's own UPIUtil builds it.
std::string fw_upi_intent(const Config& cfg, const FwOrder& o, const FwPayment& p);

// --- request fields (routes_flowwise.cpp) ------------------------------------

[[noreturn]] void fw_missing(const std::string& field);                           // 400 <field>_missing
[[noreturn]] void fw_invalid(const std::string& field, const std::string& problem);  // 400 <field>_invalid
// A string field: nothing when absent, null or ""; <field>_invalid when it is
// not a string or its length is outside [min_len, max_len].
std::optional<std::string> fw_string(const json& obj, const char* key, size_t min_len = 1, size_t max_len = 255);
// return_base_url: null when not given, else an http(s) URL.
json fw_return_base_url(const json& obj);

// --- responses (flowwise_entities.cpp) ----------------------------------------

std::string format_utc(int64_t epoch_ms);  // "2024-12-03T14:32:15Z", as Flowwise's samples
std::string fw_page_url(const std::string& base_url, const std::string& page, const std::string& id);

json fw_order_entity(const FwOrder& o, const std::string& base_url);
json fw_create_payment_entity(const Ctx& c, const FwPayment& p, const FwOrder& o);
json fw_payment_details(const FlowwiseState& fw, const FwPayment& p, const FwOrder& o);
json fw_authorize_entity(const FwPayment& p, const FwOrder& o);
json fw_refund_entity(const FwRefund& r);

// --- routes --------------------------------------------------------------------

void add_flowwise_pay_routes(Routes& r);   // flowwise_pay.cpp
void add_flowwise_page_routes(Routes& r);  // flowwise_pages.cpp

}  // namespace pgsim
