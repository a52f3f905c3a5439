// The admin API, for tests and people: read everything pgsim holds, script
// faults, move pgsim's clock. No credentials; never faulted, never logged.
#include "entities.h"
#include "lifecycle.h"
#include "routes.h"
#include "server.h"

namespace pgsim {
namespace {

Reply state(Ctx& c) {
  json j = c.st.to_json();
  j["now_ms"] = c.now;
  j["clock_offset_ms"] = c.app.clock().offset_ms();
  j["faults"] = c.app.faults().to_json();
  return json_reply(200, j);
}

json parse_body(const Ctx& c) {
  json b = json::parse(c.req.body, nullptr, false);
  if (b.is_discarded()) throw invalid_request("request_invalid", "the request body is not valid JSON");
  return b;
}

Reply add_faults(Ctx& c) {
  try {
    c.app.faults().add(parse_body(c));
  } catch (const std::invalid_argument& e) {
    throw invalid_request("fault_invalid", e.what());
  }
  return json_reply(200, {{"faults", c.app.faults().to_json()}});
}

Reply list_faults(Ctx& c) { return json_reply(200, {{"faults", c.app.faults().to_json()}}); }

Reply clear_faults(Ctx& c) {
  c.app.faults().clear();
  return json_reply(200, {{"faults", json::array()}});
}

// {"advance_ms": N}: jumps pgsim's clock forward, then applies what the
// jump makes happen (expiries, settlements).
Reply advance_clock(Ctx& c) {
  const json b = parse_body(c);
  if (!b.is_object() || !b.value("advance_ms", json()).is_number_integer() || b["advance_ms"].get<int64_t>() < 0)
    throw invalid_request("advance_ms_invalid", "advance_ms : a non-negative integer is required");
  c.app.clock().advance_ms(b["advance_ms"].get<int64_t>());
  c.now = c.app.clock().now_ms();
  c.changed |= apply_time(c.st, c.cfg, c.now);
  return json_reply(200, {{"now_ms", c.now}, {"clock_offset_ms", c.app.clock().offset_ms()}});
}

}  // namespace

void add_admin_routes(Routes& r) {
  r.push_back({"GET", std::regex("/admin/state"), Kind::Admin, "", 0, state});
  r.push_back({"POST", std::regex("/admin/faults"), Kind::Admin, "", 0, add_faults});
  r.push_back({"GET", std::regex("/admin/faults"), Kind::Admin, "", 0, list_faults});
  r.push_back({"DELETE", std::regex("/admin/faults"), Kind::Admin, "", 0, clear_faults});
  r.push_back({"POST", std::regex("/admin/clock"), Kind::Admin, "", 0, advance_clock});
}

}  // namespace pgsim
