// Capture or void of a pre-authorised card payment (a "hold"), from the
// terminal, journaled so that it survives a power cut and is never done
// twice.
//
//   1. An unfinished capture or void in the record (step kSending) is
//      finished first, under its own key. One sent to another gateway API
//      (the terminal's setting changed) is kept and everything is refused
//      ("Gateway changed") until that API finishes it.
//   2. A finished one for the same order refuses a second capture or void
//      locally: nothing is sent.
//   3. The hold is read: no hold, already captured, already voided, or an
//      amount above the hold is refused with a screen line; nothing is sent.
//   4. A fresh idempotency key is journaled (kSending), then the request
//      goes out. Failures that may be retried (not sent, 5xx, 429, answer
//      lost) are retried under the same key, backing off, until the
//      deadline; the gateway replays the first answer, never acting twice.
//   5. The result is journaled (kDone). With no answer by the deadline the
//      record stays kSending and the result is UNKNOWN: `recover` asks again.
//
// A 409 "already captured" ("already voided") for the same action is read
// back from the gateway: if the hold shows our action done and our key may
// have reached the gateway before (a resumed record, or an answer lost), the
// result is CAPTURED (VOIDED) as the gateway records it; otherwise someone
// else did it and ours is refused. A capture after a void (or a void after a
// capture) is refused with a clear line.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/agent/hold_gateway.hpp"
#include "core/base/log.hpp"
#include "core/base/status.hpp"
#include "core/engine/hold_record.hpp"
#include "hal/clock.hpp"
#include "hal/display.hpp"
#include "hal/entropy.hpp"
#include "hal/input.hpp"
#include "hal/storage.hpp"

namespace posagent::agent {

struct HoldParts {
  hal::Clock& clock;
  hal::Storage& storage;
  hal::Display& display;
  hal::Input& input;  // Cancel stops the retries (an unfinished record is kept)
  hal::Entropy& entropy;
  HoldGateway& gateway;
};

struct HoldSettings {
  // How long one capture or void keeps retrying before it reports UNKNOWN.
  hal::Millis deadline_ms = 90'000;
  // Reads of the hold before sending: a read failure after this many tries
  // refuses the operation (nothing was sent).
  std::uint8_t read_tries = 3;
};

// What the caller asks for. amount_paise: capture only; nullopt captures
// the whole hold.
struct HoldRequest {
  engine::HoldAction action = engine::HoldAction::kCapture;
  std::string_view order_id;
  std::optional<std::int64_t> amount_paise;
};

class HoldRunner {
 public:
  HoldRunner(const HoldParts& parts, const HoldSettings& settings = {}, Logger* log = nullptr)
      : parts_(parts), settings_(settings), log_(log) {}

  // Steps 1-5 above. Returns the record as journaled last (result kCaptured,
  // kVoided, kRefused or kUnknown). A Status only when the journal cannot be
  // read or written (then nothing is sent, or the record on flash is the
  // last word).
  Result<engine::HoldRecord> run(const HoldRequest& request);
  // Finishes an unfinished capture or void; kNotFound when there is none,
  // kUnavailable ("Gateway changed") when it was sent to another API.
  Result<engine::HoldRecord> recover();

  // The journaled record, if any (for `status`-like reports).
  std::optional<engine::HoldRecord> last_record();

 private:
  Result<engine::HoldRecord> refuse(const HoldRequest& request, std::string_view reason, std::string_view code);
  Result<engine::HoldRecord> send_until_done(engine::HoldRecord& record, bool maybe_sent);
  // After 409 for our own action: read the hold and decide.
  void settle_conflict(engine::HoldRecord& record, const engine::RequestFailed& failure, bool maybe_sent);
  std::optional<Hold> read_hold(std::string_view order_id, engine::RequestFailed& failure);
  Status write(engine::HoldRecord& record);
  void show(const engine::HoldRecord& record);
  // Waits ms (Cancel returns false).
  bool wait(std::int64_t ms, hal::Millis deadline);
  void log_other_gateway(const engine::HoldRecord& record);

  HoldParts parts_;
  HoldSettings settings_;
  Logger* log_;
  std::uint8_t bytes_[engine::kHoldRecordSize];
};

}  // namespace posagent::agent
