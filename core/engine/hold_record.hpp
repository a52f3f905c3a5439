// The capture or void of a pre-authorised card payment (a "hold"), as it is
// journaled: its own storage record (hal::RecordId::kHold), beside the
// sale's, so a capture never overwrites a sale that is still being settled.
//
// The record is written with its idempotency key before the request goes
// out (step kSending) and again with the result (step kDone). After a power
// cut a kSending record is resumed with the same key: the gateway replays
// the first answer, so a capture is never done twice. A kDone record for an
// order refuses a second capture or void of it without asking the gateway.
//
// Byte layout (version 1), little-endian, fixed size:
//   0 version, 1 action, 2 step, 3 result, 4 sends (u8), 5 gateway
//   (GatewayApi; records from before it have 0, Cashfree PG), 6..7 zero,
//   8 sequence (u32), 12 amount_paise, 20 authorized_paise,
//   28 captured_paise, 36 started_at_s (i64 each),
//   44 strings (u16 length, then the full capacity, the tail zero):
//      order_id, key, payment_id, reason, code
//   then the CRC-32 of every byte before it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/base/status.hpp"
#include "core/engine/sale_record.hpp"

namespace posagent::engine {

// Numbers are part of the record format: append only.
enum class HoldAction : std::uint8_t { kNone = 0, kCapture = 1, kVoid = 2 };
inline constexpr std::uint8_t kHoldActionCount = 3;

enum class HoldStep : std::uint8_t {
  kNone = 0,
  kSending = 1,  // the key is durable; the request may be on its way
  kDone = 2,     // the result is known (or the gateway refused)
};
inline constexpr std::uint8_t kHoldStepCount = 3;

enum class HoldResult : std::uint8_t {
  kNone = 0,
  kCaptured = 1,  // captured_paise taken from the customer's hold
  kVoided = 2,    // the hold released
  kRefused = 3,   // nothing done: reason (and code) say why
  kUnknown = 4,   // no answer before the deadline: step stays kSending
};
inline constexpr std::uint8_t kHoldResultCount = 5;

struct HoldRecord {
  HoldAction action = HoldAction::kNone;
  HoldStep step = HoldStep::kNone;
  HoldResult result = HoldResult::kNone;
  std::uint8_t sends = 0;             // requests sent under key (a resumed record has >= 1)
  GatewayApi gateway = GatewayApi::kCashfreePg;  // resumed only through the same API
  std::uint32_t sequence = 0;         // bumped on every write
  std::int64_t amount_paise = 0;      // capture: the amount asked for; void: 0
  std::int64_t authorized_paise = 0;  // the hold's amount, as read before sending
  std::int64_t captured_paise = 0;    // kCaptured
  std::int64_t started_at_s = 0;      // wall clock
  OrderId order_id;
  IdempotencyKey key;
  CfId payment_id;
  Reason reason;
  GatewayCode code;
};

inline constexpr std::uint8_t kHoldRecordVersion = 1;
inline constexpr std::size_t kHoldRecordSize = 44 + (2 + kOrderIdCapacity) + (2 + kKeyLength) +
                                               (2 + kCfIdCapacity) + (2 + kReasonCapacity) +
                                               (2 + kGatewayCodeCapacity) + 4;

// Exactly kHoldRecordSize bytes; kCapacityExceeded if out is smaller,
// kInvalidArgument for an enum out of range.
Result<std::size_t> encode_hold(const HoldRecord& record, std::span<std::uint8_t> out);
// kParseError for anything but a well-formed version-1 record (size, CRC,
// version, enums, padding, string lengths); what decodes re-encodes to the
// same bytes.
Result<HoldRecord> decode_hold(std::span<const std::uint8_t> bytes);

const char* hold_action_name(HoldAction action);  // "capture", "void"
const char* hold_result_name(HoldResult result);  // "CAPTURED", "VOIDED", "REFUSED", "UNKNOWN"

}  // namespace posagent::engine
