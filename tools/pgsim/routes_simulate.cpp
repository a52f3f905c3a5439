// Sandbox simulation: POST /pg/simulate decides an open payment's outcome,
// GET /pg/simulate/{simulation_id} reads the simulation back.
#include "entities.h"
#include "ids.h"
#include "lifecycle.h"
#include "routes.h"

namespace pgsim {
namespace {

Reply simulate(Ctx& c) {
  const json& b = c.body;
  if (!b.is_object()) throw invalid_request("request_invalid", "the request body must be a JSON object");
  const std::string entity = b.value("entity", "");
  if (entity.empty()) throw invalid_request("entity_missing", "entity : is required");
  if (entity != "PAYMENTS")
    throw invalid_request("entity_invalid", "entity : pgsim simulates PAYMENTS only");
  const json id = b.value("entity_id", json());
  if (!id.is_string() || id.get<std::string>().empty())
    throw invalid_request("entity_id_missing", "entity_id : is required (the cf_payment_id)");
  const json sim = b.value("entity_simulation", json());
  if (!sim.is_object() || !sim.contains("payment_status"))
    throw invalid_request("entity_simulation_missing", "entity_simulation.payment_status : is required");
  const std::string status = sim.value("payment_status", "");
  if (status != "SUCCESS" && status != "FAILED" && status != "PENDING" && status != "USER_DROPPED")
    throw invalid_request("payment_status_invalid",
                          "entity_simulation.payment_status : must be SUCCESS, FAILED, PENDING or USER_DROPPED");
  const std::string error_code = sim.value("payment_error_code", json()).is_string()
                                     ? sim["payment_error_code"].get<std::string>()
                                     : std::string();
  Payment* p = c.st.find_payment(id.get<std::string>());
  if (!p) throw not_found("payment_not_found", "entity_id : no payment '" + id.get<std::string>() + "'");
  if (!is_open(*p))
    throw invalid_request("request_invalid", "entity_id : the payment is already " + p->status);
  settle(c.st, *p, status, c.now, "simulate", error_code);
  Simulation s{"sim_" + random_alnum(31), entity, p->cf_payment_id, status, error_code, c.now};
  c.changed = true;
  auto [it, inserted] = c.st.simulations.emplace(s.simulation_id, std::move(s));
  (void)inserted;
  return json_reply(200, simulation_entity(it->second));
}

Reply get_simulation(Ctx& c) {
  auto it = c.st.simulations.find(c.params[0]);
  if (it == c.st.simulations.end())
    throw not_found("simulation_not_found", "simulation_id : no simulation '" + c.params[0] + "'");
  return json_reply(200, simulation_entity(it->second));
}

}  // namespace

void add_simulate_routes(Routes& r) {
  r.push_back({"POST", std::regex("/pg/simulate"), Kind::PgMerchant, "simulate", 100, simulate});
  r.push_back({"GET", std::regex("/pg/simulate/([A-Za-z0-9_-]+)"), Kind::PgMerchant, "simulate", 100, get_simulation});
}

}  // namespace pgsim
