// A power cut at every point. A path is run once whole to learn its effect
// stream; then, for every prefix of that stream, it is run again with the
// power cut right after the prefix: the runner stops executing effects, so
// only what was journaled survives (the fake gateway keeps whatever requests
// reached it). The engine then powers up with the journal's record and the
// sale is driven to its end against the same gateway.
//
// For every cut: at most one order (exactly one once anything was
// journaled), at most one payment and one success, one key per operation,
// every promise of the runner's checks, and an outcome equal to the
// gateway's truth.
#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "sale_sim.hpp"

using namespace posagent;
using namespace posagent::engine;
using posagent::engine::test::FakeGateway;
using posagent::engine::test::Runner;

namespace {

struct Path {
  const char* name;
  std::function<void(Runner&)> setup;
  Outcome unpaid;  // what a TERMINATED order means on this path
};

// The gateway's truth for the sale. A TERMINATED order means what the path
// ended it for, unless it was ended when its QR's time was up (a cut can
// swallow the cancel, and the sale then runs to its expiry).
Outcome truth(const Runner& r, Outcome unpaid) {
  if (!r.gw.order_exists) return Outcome::kNone;
  switch (r.gw.order_status) {
    case OrderStatus::kPaid: return Outcome::kPaid;
    case OrderStatus::kTerminated:
      return r.gw.termination_requested_ms >= r.gw.order_expiry_ms - 1'000 ? Outcome::kExpired : unpaid;
    case OrderStatus::kExpired: return Outcome::kExpired;
    default: return Outcome::kUnknown;
  }
}

int cut_everywhere(const Path& path) {
  Runner whole;
  path.setup(whole);
  whole.start();
  whole.run();
  REQUIRE(whole.finished);
  REQUIRE(whole.violations.empty());
  const long total = whole.effects_run;

  int covered = 0;
  int lost_before_journal = 0;
  for (long cut = 0; cut <= total; ++cut) {
    Runner r;
    path.setup(r);
    r.cut_at = cut;
    r.start();
    r.run();
    const bool was_cut = r.power_off;
    if (was_cut) {
      r.reboot();
      r.run();
    }
    ++covered;
    const std::string where = std::string(path.name) + ", cut after " + std::to_string(cut) + " effects";
    if (!r.violations.empty()) MESSAGE(where << ": " << r.first_violation());
    CHECK(r.violations.empty());
    CHECK(r.gw.create_keys.size() <= 1);
    CHECK(r.gw.pay_keys.size() <= 1);
    CHECK(r.gw.terminate_keys.size() <= 1);
    CHECK(r.gw.payments_created <= 1);
    CHECK(r.gw.successes <= 1);
    if (!r.has_journal) {
      // Cut before the first journal write: the sale never began, and
      // nothing went to the gateway.
      ++lost_before_journal;
      CHECK(r.gw.orders_created == 0);
      CHECK(r.engine->state() == State::kIdle);
      continue;
    }
    if (r.gw.orders_created != 1 || r.result() != truth(r, path.unpaid))
      MESSAGE(where << ": orders " << r.gw.orders_created << ", outcome " << outcome_name(r.result())
                    << ", gateway truth " << outcome_name(truth(r, path.unpaid)));
    CHECK(r.gw.orders_created == 1);
    CHECK(r.result() == truth(r, path.unpaid));
    CHECK(r.result() != Outcome::kNone);
    if (r.result() == Outcome::kPaid) CHECK(r.engine->record().utr == r.gw.utr);
  }
  MESSAGE(std::string(path.name) << ": " << covered << " cut points (effect stream of " << total << "), "
                    << lost_before_journal << " before the first journal write; uncut outcome "
                    << outcome_name(whole.outcome));
  return covered;
}

}  // namespace

TEST_CASE("A power cut at every point loses nothing and doubles nothing") {
  const Path paths[] = {
      {"happy path",
       [](Runner& r) {
         r.gw.scan_after_ms = 5'000;
         r.gw.settle_after_ms = 3'000;
       },
       Outcome::kCancelled},
      {"cancel path",
       [](Runner& r) {
         r.gw.scan_after_ms = 6'000;  // would pay at 9.1 s unless cancelled
         r.gw.settle_after_ms = 3'000;
         r.at(4'000, CancelPressed{});
       },
       Outcome::kCancelled},
      {"cancel during an unknown create",
       [](Runner& r) {
         r.gw.faults.push_back({RequestKind::kCreateOrder, 1, FailureClass::kOutcomeUnknown, true});
         r.at(500, CancelPressed{});
       },
       Outcome::kCancelled},
      {"failed attempt path",
       [](Runner& r) {
         r.gw.scan_after_ms = 3'000;
         r.gw.settle_after_ms = 2'000;
         r.gw.customer_result = PaymentStatus::kFailed;
       },
       Outcome::kFailed},
      {"expiry path", [](Runner&) {}, Outcome::kExpired},
      // Cards: a cut while the card or the OTP prompt is needed ends the
      // order (FAILED), a cut after the right OTP reached the bank is PAID.
      {"card, native OTP wrong then right",
       [](Runner& r) {
         r.card_sale = true;
         r.otp_inputs = {"000000", "111000"};
       },
       Outcome::kFailed},
      {"card, 3-D Secure page",
       [](Runner& r) {
         r.card_sale = true;
         r.gw.card_flow = FakeGateway::CardFlow::kThreeDsPage;
         r.gw.scan_after_ms = 5'000;
       },
       Outcome::kFailed},
  };
  int total = 0;
  for (const Path& p : paths) total += cut_everywhere(p);
  MESSAGE("power cut at " << total << " points in all");
  CHECK(total > 100);
}
