// A power cut at every journal write and every network send and receive of
// a paid UPI sale, on the real program: posagent-sim is killed (_exit, via
// POSAGENT_SIM_CUT_AT) at cut point k, then started again with `recover`.
// Checked against pgsim's own records for every k: exactly one order (none
// if the cut came before the first journal write), at most one successful
// payment, and the outcome shown equals pgsim's truth.
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>

#include "tests/e2e/sim_process.hpp"

using namespace e2e;

namespace {

// Each run gets its own order-id prefix through its provisioning file, so
// its orders are told apart in the shared pgsim.
fs::path run_dir(const fs::path& root, long k) {
  const fs::path dir = root / ("cut-" + std::to_string(k));
  fs::create_directories(dir);
  std::ofstream(dir / "terminal.json")
      << R"({"terminal":{"terminal_id":"SIM-0001","terminal_phone_no":"9999999999","terminal_name":"posagent sim"},)"
      << R"("sale":{"order_prefix":"CUT)" << k << R"("}})";
  return dir;
}

std::string prefix(long k) { return "CUT" + std::to_string(k) + "-"; }

long count_points(const Pgsim& gateway, const fs::path& root) {
  SimProcess sim(gateway, run_dir(root, 0), {"sale", "499", "--auto-pay", "0"}, {{"POSAGENT_SIM_CUT_AT", "0"}});
  const SimResult r = sim.finish();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::size_t at = r.err.rfind("cut points: ");
  REQUIRE(at != std::string::npos);
  return std::stol(r.err.substr(at + 12));
}

struct Verdict {
  long k = 0;
  bool cut = false;  // the run died at k (a later k may be past this run's points)
  std::string outcome, detail;
  bool ok = false;
};

Verdict cut_and_recover(const Pgsim& gateway, const fs::path& root, long k) {
  Verdict v;
  v.k = k;
  const fs::path dir = run_dir(root, k);
  SimProcess first(gateway, dir, {"sale", "499", "--auto-pay", "0"}, {{"POSAGENT_SIM_CUT_AT", std::to_string(k)}},
                   "cut");
  const SimResult cut = first.finish();
  v.cut = cut.exit_code == 86;
  SimProcess second(gateway, dir, {"recover", "--auto-pay", "0"}, {}, "recover");
  const SimResult rec = second.finish();
  const json state = gateway.state();
  const std::vector<json> orders = orders_with_prefix(state, prefix(k));
  // The outcome the terminal showed last: recover's, else the uncut run's.
  v.outcome = !rec.outcome.empty() ? rec.outcome : cut.outcome;
  const std::string order_id = !rec.order_id.empty() ? rec.order_id : cut.order_id;
  std::ostringstream why;
  why << "k=" << k << " cut=" << v.cut << " exits " << cut.exit_code << "/" << rec.exit_code << " outcome '"
      << v.outcome << "' orders " << orders.size();
  if (orders.size() > 1) {
    v.detail = why.str() + ": more than one order";
    return v;
  }
  if (orders.empty()) {
    // Only a cut before the first journal write leaves no order; then
    // nothing may be shown as a result either.
    v.ok = v.outcome.empty() && rec.err.find("nothing to recover") != std::string::npos;
    v.detail = why.str() + (v.ok ? "" : ": no order, yet an outcome or a resumed sale");
    return v;
  }
  const json& order = orders[0];
  const std::vector<json> payments = payments_of(state, order.value("order_id", ""));
  const int paid = successes(payments);
  const std::string truth = order.value("status", "");
  why << " order " << order.value("order_id", "") << " " << truth << " successes " << paid;
  if (paid > 1) {
    v.detail = why.str() + ": two successful payments";
    return v;
  }
  if (order_id != order.value("order_id", "")) {
    v.detail = why.str() + ": the outcome is about another order (" + order_id + ")";
    return v;
  }
  if (v.outcome == "PAID") {
    v.ok = truth == "PAID" && paid == 1;
  } else if (v.outcome == "CANCELLED" || v.outcome == "FAILED" || v.outcome == "EXPIRED") {
    v.ok = (truth == "TERMINATED" || truth == "EXPIRED") && paid == 0;
  }
  v.detail = why.str() + (v.ok ? "" : ": the outcome shown is not the gateway's truth");
  return v;
}

}  // namespace

TEST_CASE("a power cut at every journal write and network send/receive of a paid sale, then recover") {
  Pgsim gateway;
  const fs::path root = fresh_dir("power-cut");
  const long points = count_points(gateway, root);
  REQUIRE(points >= 20);

  // Runs are mostly waiting on the network and the poll timer: four at a
  // time fit two cores.
  std::vector<Verdict> verdicts(static_cast<std::size_t>(points));
  std::atomic<long> next{1};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      for (long k = next++; k <= points; k = next++) verdicts[static_cast<std::size_t>(k - 1)] = cut_and_recover(gateway, root, k);
    });
  }
  for (std::thread& t : workers) t.join();

  long cut = 0, paid = 0, no_order = 0;
  for (const Verdict& v : verdicts) {
    INFO(v.detail);
    CHECK(v.ok);
    cut += v.cut ? 1 : 0;
    paid += v.outcome == "PAID" ? 1 : 0;
    no_order += v.outcome.empty() ? 1 : 0;
  }
  MESSAGE("power cuts: " << points << " cut points in a paid sale, " << cut << " runs cut there; after recover "
                         << paid << " PAID, " << no_order << " with no order (cut before the first journal write), "
                         << (points - paid - no_order) << " ended unpaid");
  CHECK(cut >= points * 9 / 10);  // the flows are alike: nearly every point is reached again
}
