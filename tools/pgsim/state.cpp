#include "state.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "ids.h"

namespace pgsim {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Order, order_id, cf_order_id, currency, status, payment_session_id,
                                                api_version, amount_paise, created_ms, expiry_ms,
                                                termination_requested_ms, order_note, customer_details, order_meta,
                                                order_tags, order_splits, cart_details, terminal, products,
                                                payment_ids, events)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Payment, cf_payment_id, order_id, status, method, channel, upi_id,
                                                message, bank_reference, amount_paise, created_ms, completed_ms,
                                                collect_expiry_ms, attempt_expiry_ms, auto_settle_ms, auto_status, error_details,
                                                card, auth_id, authorization)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Simulation, simulation_id, entity, entity_id, payment_status,
                                                payment_error_code, created_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(IdempotencyRecord, key, scope, method, path, body_hash, status, body,
                                                created_ms, replays)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RequestLogEntry, seq, at_ms, method, path, request_id,
                                                idempotency_key, status, replayed, fault)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Terminal, cf_terminal_id, terminal_id, terminal_phone_no,
                                                terminal_name, terminal_email, terminal_type, terminal_status,
                                                terminal_address, terminal_note, terminal_meta, added_ms, updated_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(WebhookAttempt, attempt, at_ms, status, error)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(WebhookEvent, event_id, type, order_id, url, version, body,
                                                created_ms, status, next_attempt_ms, attempts)

namespace {
constexpr int kFormatVersion = 1;

template <class T>
json values_of(const std::map<std::string, T>& m) {
  json a = json::array();
  for (const auto& [k, v] : m) a.push_back(v);
  return a;
}

// Small, so terminal ids look like the spec's examples (1838, 3708); the
// ids entities.cpp derives for unregistered terminals start at 1,000,000.
uint64_t first_cf_terminal_id() { return 100'000 + random_u64() % 800'000; }
}  // namespace

State State::fresh() {
  State s;
  // Random starting points, so ids from two pgsim data sets rarely collide.
  s.next_cf_order_id = 2'000'000'000ULL + random_u64() % 1'000'000'000ULL;
  s.next_cf_payment_id = 5'000'000'000ULL + random_u64() % 1'000'000'000ULL;
  s.next_cf_refund_id = 1'000'000ULL + random_u64() % 9'000'000ULL;
  s.next_cf_terminal_id = first_cf_terminal_id();
  return s;
}

json State::to_json() const {
  json j;
  j["format"] = kFormatVersion;
  j["next_cf_order_id"] = next_cf_order_id;
  j["next_cf_payment_id"] = next_cf_payment_id;
  j["next_request_seq"] = next_request_seq;
  j["orders"] = values_of(orders);
  j["payments"] = values_of(payments);
  j["simulations"] = values_of(simulations);
  j["next_cf_refund_id"] = next_cf_refund_id;
  j["card_sessions"] = values_of(card_sessions);
  j["refunds"] = values_of(refunds);
  json idem = json::array();
  for (const auto& [k, v] : idempotency) idem.push_back(v);
  j["idempotency"] = std::move(idem);
  json log = json::array();
  for (const auto& e : requests) log.push_back(e);
  j["requests"] = std::move(log);
  j["next_cf_terminal_id"] = next_cf_terminal_id;
  j["terminals"] = values_of(terminals);
  j["webhooks"] = webhooks;
  j["flowwise"] = flowwise.to_json();
  return j;
}

State State::from_json(const json& j) {
  if (j.value("format", 0) != kFormatVersion) throw std::runtime_error("state file: unknown format");
  State s;
  s.next_cf_order_id = j.at("next_cf_order_id").get<uint64_t>();
  s.next_cf_payment_id = j.at("next_cf_payment_id").get<uint64_t>();
  s.next_request_seq = j.value("next_request_seq", uint64_t{1});
  for (const auto& o : j.at("orders")) {
    auto order = o.get<Order>();
    s.orders[order.order_id] = std::move(order);
  }
  for (const auto& p : j.at("payments")) {
    auto payment = p.get<Payment>();
    s.payments[payment.cf_payment_id] = std::move(payment);
  }
  for (const auto& x : j.value("simulations", json::array())) {
    auto sim = x.get<Simulation>();
    s.simulations[sim.simulation_id] = std::move(sim);
  }
  s.next_cf_refund_id = j.value("next_cf_refund_id", uint64_t{1'000'000});
  for (const auto& x : j.value("card_sessions", json::array())) {
    auto cs = x.get<CardSession>();
    s.card_sessions[cs.cf_payment_id] = std::move(cs);
  }
  for (const auto& x : j.value("refunds", json::array())) {
    auto r = x.get<Refund>();
    s.refunds[r.cf_refund_id] = std::move(r);
  }
  for (const auto& x : j.value("idempotency", json::array())) {
    auto rec = x.get<IdempotencyRecord>();
    s.idempotency[rec.scope + "\n" + rec.key] = std::move(rec);
  }
  for (const auto& x : j.value("requests", json::array())) s.requests.push_back(x.get<RequestLogEntry>());
  s.next_cf_terminal_id = j.value("next_cf_terminal_id", first_cf_terminal_id());
  for (const auto& x : j.value("terminals", json::array())) {
    auto t = x.get<Terminal>();
    s.terminals[std::to_string(t.cf_terminal_id)] = std::move(t);
  }
  s.webhooks = j.value("webhooks", std::vector<WebhookEvent>());
  s.flowwise = FlowwiseState::from_json(j.value("flowwise", json::object()));
  s.rebuild_index();
  return s;
}

void State::rebuild_index() {
  sessions.clear();
  for (const auto& [id, o] : orders) sessions[o.payment_session_id] = id;
}

Order* State::find_order(const std::string& id) {
  auto it = orders.find(id);
  return it == orders.end() ? nullptr : &it->second;
}

Payment* State::find_payment(const std::string& id) {
  auto it = payments.find(id);
  return it == payments.end() ? nullptr : &it->second;
}

std::optional<State> StateFile::load() const {
  if (!path_ || !std::filesystem::exists(*path_)) return std::nullopt;
  std::ifstream in(*path_, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read state file " + path_->string());
  json j = json::parse(in);  // a corrupt file is an error, never silently dropped
  return State::from_json(j);
}

void StateFile::save(const State& s) const {
  if (!path_) return;
  const std::string text = s.to_json().dump();
  const std::filesystem::path tmp = path_->string() + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot write " + tmp.string());
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0 &&
                  ::fsync(::fileno(f)) == 0;
  std::fclose(f);
  if (!ok) throw std::runtime_error("cannot write " + tmp.string());
  std::filesystem::rename(tmp, *path_);
}

}  // namespace pgsim
