#include "core/agent/hold_runner.hpp"

#include "core/agent/text_cut.hpp"
#include "core/base/uuid.hpp"
#include "core/engine/schedule.hpp"
#include "core/screens/screens.hpp"

namespace posagent::agent {

namespace {

using engine::FailureClass;
using engine::HoldAction;
using engine::HoldRecord;
using engine::HoldResult;
using engine::HoldStep;
using engine::RequestFailed;

constexpr std::string_view kTag = "hold";

constexpr std::string_view kAlreadyCaptured = "payment_already_captured";
constexpr std::string_view kAlreadyVoided = "payment_already_voided";
// A kSending record of another gateway API is in the way.
constexpr std::string_view kGatewayChanged = "Gateway changed";

bool is_capture(const HoldRecord& r) { return r.action == HoldAction::kCapture; }

// The gateway's code for "this action was done already".
std::string_view done_code(HoldAction action) {
  return action == HoldAction::kCapture ? kAlreadyCaptured : kAlreadyVoided;
}

// The line for a hold that was captured (or voided) already, by what was asked.
std::string_view done_line(bool captured, HoldAction asked) {
  if (captured) return asked == HoldAction::kCapture ? "Already captured" : "Captured: cannot void";
  return asked == HoldAction::kVoid ? "Already voided" : "Voided: cannot capture";
}

// A screen line for a refusal the gateway gave for the hold itself.
std::string_view refusal_line(const RequestFailed& f, HoldAction action) {
  const std::string_view code = f.code.view();
  if (code == kAlreadyCaptured) return done_line(true, action);
  if (code == kAlreadyVoided) return done_line(false, action);
  // Cashfree PG's codes, then Flowwise's for the same refusals.
  if (code == "authorization_not_found" || code == "payment_not_authorised") return "Not pre-authorised";
  if (code == "authorization_expired") return "Authorisation expired";
  if (code == "amount_invalid" || code == "capture_amount_invalid") return "Amount above hold";
  return !f.reason.empty() ? f.reason.view() : std::string_view("Refused by gateway");
}

}  // namespace

std::optional<HoldRecord> HoldRunner::last_record() {
  const Result<std::size_t> read = parts_.storage.read(hal::RecordId::kHold, bytes_);
  if (!read.ok()) return std::nullopt;
  const Result<HoldRecord> decoded = engine::decode_hold({bytes_, *read});
  if (!decoded.ok()) return std::nullopt;
  return *decoded;
}

Status HoldRunner::write(HoldRecord& record) {
  ++record.sequence;
  const Result<std::size_t> encoded = engine::encode_hold(record, bytes_);
  if (!encoded.ok()) return encoded.status();
  return parts_.storage.replace(hal::RecordId::kHold, {bytes_, *encoded});
}

void HoldRunner::show(const HoldRecord& r) {
  switch (r.result) {
    case HoldResult::kCaptured:
      (void)screens::draw(parts_.display, screens::Result{screens::Outcome::kCaptured, r.captured_paise, {}});
      break;
    case HoldResult::kVoided:
      (void)screens::draw(parts_.display, screens::Result{screens::Outcome::kVoided, r.authorized_paise, {}});
      break;
    case HoldResult::kUnknown:
      (void)screens::draw(parts_.display,
                          screens::Result{screens::Outcome::kUnknown, is_capture(r) ? r.amount_paise : 0, {}});
      break;
    case HoldResult::kRefused:
    case HoldResult::kNone: screens::draw(parts_.display, screens::Error{r.reason.view()}); break;
  }
  if (log_ != nullptr) {
    log_->info(kTag, "{} of order {}: {} {}", engine::hold_action_name(r.action), r.order_id,
               engine::hold_result_name(r.result), r.reason);
  }
}

bool HoldRunner::wait(std::int64_t ms, hal::Millis deadline) {
  hal::Millis until = parts_.clock.monotonic_ms() + static_cast<hal::Millis>(ms > 0 ? ms : 0);
  if (until > deadline) until = deadline;
  while (parts_.clock.monotonic_ms() < until) {
    if (parts_.input.wait_key(until) == hal::Key::kCancel) return false;
  }
  return true;
}

std::optional<Hold> HoldRunner::read_hold(std::string_view order_id, RequestFailed& failure) {
  for (std::uint8_t tries = 0; tries < settings_.read_tries; ++tries) {
    HoldAnswer answer = parts_.gateway.read_hold(order_id);
    if (const Hold* hold = std::get_if<Hold>(&answer)) return *hold;
    failure = std::get<RequestFailed>(answer);
    if (failure.failure == FailureClass::kStop) return std::nullopt;
    const std::int64_t pause = failure.failure == FailureClass::kRetryAfter
                                   ? static_cast<std::int64_t>(failure.retry_after_s) * 1000
                                   : engine::retry_backoff_ms(tries);
    if (tries + 1 < settings_.read_tries && !wait(pause, parts_.clock.monotonic_ms() + 60'000)) return std::nullopt;
  }
  return std::nullopt;
}

Result<HoldRecord> HoldRunner::refuse(const HoldRequest& request, std::string_view reason, std::string_view code) {
  // Nothing was sent: the record of an earlier operation stays as it was.
  HoldRecord r;
  r.action = request.action;
  r.step = HoldStep::kDone;
  r.result = HoldResult::kRefused;
  (void)r.order_id.assign(request.order_id.substr(0, engine::kOrderIdCapacity));
  assign_cut(r.reason, reason);
  assign_cut(r.code, code);
  show(r);
  return r;
}

Result<HoldRecord> HoldRunner::run(const HoldRequest& request) {
  if (request.action != HoldAction::kCapture && request.action != HoldAction::kVoid)
    return refuse(request, "Capture or void?", "");
  if (request.order_id.empty() || request.order_id.size() > engine::kOrderIdCapacity)
    return refuse(request, "Check order id", "");
  if (request.amount_paise && *request.amount_paise <= 0) return refuse(request, "Amount must be > 0", "");
  if (request.amount_paise && request.action == HoldAction::kVoid) return refuse(request, "Void takes no amount", "");

  // 1. Finish what a power cut interrupted, whichever order it was for.
  std::optional<HoldRecord> last = last_record();
  if (last && last->step == HoldStep::kSending && last->gateway != parts_.gateway.api()) {
    log_other_gateway(*last);
    return refuse(request, kGatewayChanged, "");  // its key means nothing to this API
  }
  if (last && last->step == HoldStep::kSending) {
    if (log_ != nullptr) {
      log_->warn(kTag, "finishing the unfinished {} of order {} first", engine::hold_action_name(last->action),
                 last->order_id);
    }
    const Result<HoldRecord> resumed = send_until_done(*last, true);
    if (!resumed.ok()) return resumed;
    if (resumed->order_id.view() == request.order_id && resumed->action == request.action) return resumed;
    if (resumed->step == HoldStep::kSending) {
      return refuse(request, "Earlier one unclear", "");  // still UNKNOWN: recover it first
    }
    last = *resumed;  // as just journaled
  }

  // 2. Done here before: never again.
  if (last && last->step == HoldStep::kDone && last->order_id.view() == request.order_id) {
    if (last->result == HoldResult::kCaptured)
      return refuse(request, done_line(true, request.action), kAlreadyCaptured);
    if (last->result == HoldResult::kVoided) return refuse(request, done_line(false, request.action), kAlreadyVoided);
  }

  // 3. What the gateway holds.
  screens::draw(parts_.display, screens::Waiting{"Reading order", 0});
  RequestFailed failure;
  const std::optional<Hold> hold = read_hold(request.order_id, failure);
  if (!hold) {
    if (failure.code.view() == "order_not_found") return refuse(request, "Order not found", failure.code.view());
    return refuse(request, failure.failure == FailureClass::kStop ? refusal_line(failure, request.action)
                                                                  : std::string_view("Gateway unreachable"),
                  failure.code.view());
  }
  switch (hold->status) {
    case HoldStatus::kNone: return refuse(request, "Not pre-authorised", "authorization_not_found");
    case HoldStatus::kCaptured: return refuse(request, done_line(true, request.action), kAlreadyCaptured);
    case HoldStatus::kVoided: return refuse(request, done_line(false, request.action), kAlreadyVoided);
    case HoldStatus::kUnknown: return refuse(request, "Hold state unclear", "");
    case HoldStatus::kHeld: break;
  }
  const std::int64_t amount = request.action == HoldAction::kVoid ? 0
                              : request.amount_paise            ? *request.amount_paise
                                                                : hold->authorized_paise;
  if (amount > hold->authorized_paise) return refuse(request, "Amount above hold", "amount_invalid");

  // 4. The key is durable before the request leaves.
  HoldRecord r;
  r.action = request.action;
  r.step = HoldStep::kSending;
  r.amount_paise = amount;
  r.authorized_paise = hold->authorized_paise;
  r.started_at_s = parts_.clock.unix_seconds();
  r.gateway = parts_.gateway.api();
  (void)r.order_id.assign(request.order_id);
  (void)r.payment_id.assign(hold->payment_id.view());
  const Result<FixedString<kUuidTextLength>> uuid = make_uuid_v4(parts_.entropy);
  if (!uuid.ok()) return Status(Code::kIoError, "No random source");
  (void)r.key.assign(uuid->view());
  if (const Status written = write(r); !written.ok()) {
    screens::draw(parts_.display, screens::Error{"Storage failed"});
    return written;  // nothing sent
  }
  return send_until_done(r, false);
}

Result<HoldRecord> HoldRunner::recover() {
  std::optional<HoldRecord> last = last_record();
  if (!last || last->step != HoldStep::kSending) return Status(Code::kNotFound, "nothing to recover");
  if (last->gateway != parts_.gateway.api()) {
    log_other_gateway(*last);
    screens::draw(parts_.display, screens::Error{kGatewayChanged});
    return Status(Code::kUnavailable, "Gateway changed");
  }
  return send_until_done(*last, true);
}

void HoldRunner::log_other_gateway(const HoldRecord& r) {
  if (log_ == nullptr) return;
  log_->error(kTag, "the unfinished {} of order {} was sent to {}, this terminal now uses {}: kept, not resumed",
              engine::hold_action_name(r.action), r.order_id, engine::gateway_api_name(r.gateway),
              engine::gateway_api_name(parts_.gateway.api()));
}

Result<HoldRecord> HoldRunner::send_until_done(HoldRecord& r, bool maybe_sent) {
  const hal::Millis deadline = parts_.clock.monotonic_ms() + settings_.deadline_ms;
  const Hold hold{HoldStatus::kHeld, r.payment_id, r.authorized_paise, 0};
  std::uint8_t failures = 0;
  for (;;) {
    screens::draw(parts_.display, screens::Waiting{is_capture(r) ? "Capturing" : "Voiding", failures});
    if (r.sends < 255) ++r.sends;
    HoldAnswer answer = parts_.gateway.authorize(r.order_id.view(), hold, r.action, r.amount_paise, r.key.view());
    if (const Hold* after = std::get_if<Hold>(&answer)) {
      r.step = HoldStep::kDone;
      if (after->status == HoldStatus::kCaptured && is_capture(r)) {
        r.result = HoldResult::kCaptured;
        r.captured_paise = after->captured_paise;
      } else if (after->status == HoldStatus::kVoided && !is_capture(r)) {
        r.result = HoldResult::kVoided;
      } else {
        // 2xx with a hold that does not show our action: say so, do not guess.
        r.step = HoldStep::kSending;
        r.result = HoldResult::kUnknown;
        assign_cut(r.reason, "Gateway answer unclear");
      }
      break;
    }
    const RequestFailed failure = std::get<RequestFailed>(answer);
    if (failure.failure == FailureClass::kStop) {
      if (failure.code.view() == done_code(r.action)) {
        settle_conflict(r, failure, maybe_sent);
      } else {
        r.step = HoldStep::kDone;
        r.result = HoldResult::kRefused;
        assign_cut(r.reason, refusal_line(failure, r.action));
        assign_cut(r.code, failure.code.view());
      }
      break;
    }
    // The request may have landed unless it certainly did not.
    if (failure.failure != FailureClass::kRetrySameKey) maybe_sent = true;
    if (log_ != nullptr) {
      log_->warn(kTag, "{} of order {} not done yet ({}), retrying under the same key",
                 engine::hold_action_name(r.action), r.order_id, failure.reason);
    }
    const std::int64_t pause = failure.failure == FailureClass::kRetryAfter
                                   ? static_cast<std::int64_t>(failure.retry_after_s) * 1000
                                   : engine::retry_backoff_ms(failures);
    if (failures < 255) ++failures;
    const bool cancelled = !wait(pause, deadline);
    if (cancelled || parts_.clock.monotonic_ms() >= deadline) {
      if (!maybe_sent) {
        // Certainly never acted: nothing to recover.
        r.step = HoldStep::kDone;
        r.result = HoldResult::kRefused;
        assign_cut(r.reason, cancelled ? "Cancelled" : "Gateway unreachable");
      } else {
        r.result = HoldResult::kUnknown;
        assign_cut(r.reason, "No answer: recover");
      }
      break;
    }
  }
  if (const Status written = write(r); !written.ok()) {
    show(r);
    return written;
  }
  show(r);
  return r;
}

void HoldRunner::settle_conflict(HoldRecord& r, const RequestFailed& failure, bool maybe_sent) {
  RequestFailed read_failure;
  const std::optional<Hold> now = read_hold(r.order_id.view(), read_failure);
  const bool ours_done = now && ((is_capture(r) && now->status == HoldStatus::kCaptured) ||
                                 (!is_capture(r) && now->status == HoldStatus::kVoided));
  if (ours_done && maybe_sent) {
    // Our key may have done it before its answer was lost: the gateway's
    // record is the truth, and it was done once.
    r.step = HoldStep::kDone;
    r.result = is_capture(r) ? HoldResult::kCaptured : HoldResult::kVoided;
    r.captured_paise = now->captured_paise;
    assign_cut(r.reason, "Confirmed by gateway");
    return;
  }
  if (!now && maybe_sent) {
    r.result = HoldResult::kUnknown;  // stays kSending: recover reads again
    assign_cut(r.reason, "No answer: recover");
    return;
  }
  r.step = HoldStep::kDone;
  r.result = HoldResult::kRefused;
  assign_cut(r.reason, refusal_line(failure, r.action));
  assign_cut(r.code, failure.code.view());
}

}  // namespace posagent::agent
