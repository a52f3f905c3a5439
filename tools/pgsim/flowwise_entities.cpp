// The Flowwise response bodies, with the field names of the Flowwise Native
// API docs (cashfree-api.md §14). Absent values are null.
#include <ctime>

#include "flowwise.h"
#include "validate.h"

namespace pgsim {
namespace {

// One merchant, one Flowwise project: the docs return a project_id but say
// nothing of how it is chosen.
constexpr const char* kProjectId = "pgsim_flowwise_project";

json or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json customer_field(const json& customer, const char* key) {
  return customer.is_object() && customer.contains(key) ? customer[key] : json(nullptr);
}

bool is_intent(const FwPayment& p) { return p.method == "upi" && p.method_details.value("channel", "") == "INTENT"; }

// Where the customer completes an open payment: pgsim's 3-D Secure page for
// cards, its UPI pay page for intents (sandbox only: production-like mode
// leaves the customer to their UPI app, as a real intent does).
json redirect_url(const Ctx& c, const FwPayment& p) {
  if (!fw_is_open(p)) return nullptr;
  if (p.method == "card") return fw_page_url(c.base_url, "3ds", p.payment_id);
  if (is_intent(p) && !c.cfg.production_like) return fw_page_url(c.base_url, "pay", p.payment_id);
  return nullptr;
}

json gateway_details(const FwPayment& p) {
  return {{"auth_id", or_null(p.auth_id)}, {"processor_ref", or_null(p.processor_ref)}, {"utr", or_null(p.utr)}};
}

}  // namespace

std::string format_utc(int64_t epoch_ms) {
  const auto t = static_cast<std::time_t>(epoch_ms >= 0 ? epoch_ms / 1000 : (epoch_ms - 999) / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string fw_page_url(const std::string& base_url, const std::string& page, const std::string& id) {
  return base_url + "/router/view/" + page + "/" + id;
}

json fw_order_entity(const FwOrder& o, const std::string& base_url) {
  return {{"order_id", o.order_id},
          {"project_id", kProjectId},
          {"customer_email", customer_field(o.customer_details, "customer_email")},
          {"customer_id", customer_field(o.customer_details, "customer_id")},
          {"order_status", o.status},
          {"order_currency", o.currency},
          {"order_amount", paise_to_json(o.amount_paise)},
          {"payment_methods", o.payment_methods},
          {"order_note", o.order_note},
          {"order_tags", o.order_tags},
          {"checkout_url", fw_page_url(base_url, "checkout", o.order_hash)},
          {"order_hash", o.order_hash},
          {"order_expiry_time", format_utc(o.expiry_ms)},
          {"added_on", format_utc(o.created_ms)}};
}

json fw_create_payment_entity(const Ctx& c, const FwPayment& p, const FwOrder& o) {
  return {{"payment_id", p.payment_id},
          {"order_id", p.order_id},
          {"payment_method", p.method},
          {"payment_amount", paise_to_json(p.amount_paise)},
          {"payment_status", p.status},
          {"capture_status", or_null(p.capture_status)},
          {"capture_amount", paise_to_json(p.capture_paise)},
          {"processor_ref", or_null(p.processor_ref)},
          {"redirect_url", redirect_url(c, p)},
          {"return_url", p.return_url},
          {"payload", is_intent(p) ? json(fw_upi_intent(c.cfg, o, p)) : json(nullptr)},
          {"payment_time", format_utc(p.created_ms)},
          {"order_expiry_time", format_utc(o.expiry_ms)}};
}

namespace {

// The fields PaymentDetails and the Authorize answer share.
json payment_status_fields(const FwPayment& p, const FwOrder& o) {
  return {{"payment_id", p.payment_id},
          {"order_id", p.order_id},
          {"status", p.status},
          {"capture_status", or_null(p.capture_status)},
          {"capture_amount", paise_to_json(p.capture_paise)},
          {"payment_amount", paise_to_json(p.amount_paise)},
          {"payment_currency", o.currency},
          {"payment_method", p.method},
          {"gateway_details", gateway_details(p)}};
}

}  // namespace

json fw_payment_details(const FlowwiseState& fw, const FwPayment& p, const FwOrder& o) {
  json refunds = json::array();
  for (const auto& [id, r] : fw.refunds)
    if (r.payment_id == p.payment_id) refunds.push_back(fw_refund_entity(r));
  json d = payment_status_fields(p, o);
  // pgsim's additions (see routes_flowwise.cpp).
  d["payment_message"] = or_null(p.message);
  d["payment_time"] = format_utc(p.created_ms);
  d["payment_method_details"] = p.method_details;
  d["error_details"] = p.error_details;
  d["refunds"] = std::move(refunds);
  return d;
}

json fw_authorize_entity(const FwPayment& p, const FwOrder& o) {
  json a = payment_status_fields(p, o);
  a["payment_message"] = or_null(p.message);
  a["redirect_url"] = nullptr;  // only a completed payment can be captured or voided
  return a;
}

json fw_refund_entity(const FwRefund& r) {
  return {{"payment_id", r.payment_id},
          {"order_id", r.order_id},
          {"refund_id", r.refund_id},
          {"refund_amount", paise_to_json(r.amount_paise)},
          {"refund_status", r.status},
          {"refund_type", r.type},
          {"refund_note", r.note},
          {"refund_message", or_null(r.message)},
          {"gateway_details", {{"refund_reference_id", or_null(r.reference_id)}, {"refund_utr", or_null(r.utr)}}}};
}

}  // namespace pgsim
