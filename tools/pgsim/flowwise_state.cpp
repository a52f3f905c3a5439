#include "flowwise_state.h"

namespace pgsim {

using json = nlohmann::json;

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FwOrder, order_id, order_hash, currency, status, payment_methods,
                                                capture_mode, amount_paise, created_ms, expiry_ms, customer_details,
                                                order_note, order_tags, return_base_url, payment_ids)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FwPayment, payment_id, order_id, method, status, capture_status,
                                                message, processor_ref, auth_id, utr, method_details, return_url,
                                                error_details, amount_paise, capture_paise, created_ms, completed_ms,
                                                attempt_expiry_ms, auto_settle_ms, auto_status,
                                                authorisation_expiry_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FwRefund, refund_id, payment_id, order_id, status, type, message,
                                                reference_id, utr, note, outcome, amount_paise, created_ms, settle_ms,
                                                completed_ms)

namespace {

template <class T>
json values_of(const std::map<std::string, T>& m) {
  json a = json::array();
  for (const auto& [k, v] : m) a.push_back(v);
  return a;
}

}  // namespace

json FlowwiseState::to_json() const {
  return {{"orders", values_of(orders)}, {"payments", values_of(payments)}, {"refunds", values_of(refunds)}};
}

FlowwiseState FlowwiseState::from_json(const json& j) {
  FlowwiseState s;
  for (const auto& x : j.value("orders", json::array())) {
    auto o = x.get<FwOrder>();
    s.hashes[o.order_hash] = o.order_id;
    s.orders[o.order_id] = std::move(o);
  }
  for (const auto& x : j.value("payments", json::array())) {
    auto p = x.get<FwPayment>();
    s.payments[p.payment_id] = std::move(p);
  }
  for (const auto& x : j.value("refunds", json::array())) {
    auto r = x.get<FwRefund>();
    s.refunds[r.refund_id] = std::move(r);
  }
  return s;
}

FwOrder* FlowwiseState::find_order(const std::string& id) {
  auto it = orders.find(id);
  return it == orders.end() ? nullptr : &it->second;
}

FwPayment* FlowwiseState::find_payment(const std::string& id) {
  auto it = payments.find(id);
  return it == payments.end() ? nullptr : &it->second;
}

}  // namespace pgsim
