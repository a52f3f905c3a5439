#include "core/engine/hold_record.hpp"

#include "core/engine/journal_codec.hpp"
#include "core/engine/record_bytes.hpp"

namespace posagent::engine {

namespace {

using record_bytes::enum_from;
using record_bytes::Reader;
using record_bytes::Writer;

constexpr Status kBad{Code::kParseError, "bad hold record"};

}  // namespace

Result<std::size_t> encode_hold(const HoldRecord& r, std::span<std::uint8_t> out) {
  if (out.size() < kHoldRecordSize) return Status(Code::kCapacityExceeded, "hold buffer small");
  if (static_cast<std::uint8_t>(r.action) >= kHoldActionCount || static_cast<std::uint8_t>(r.step) >= kHoldStepCount ||
      static_cast<std::uint8_t>(r.result) >= kHoldResultCount ||
      static_cast<std::uint8_t>(r.gateway) >= kGatewayApiCount)
    return Status(Code::kInvalidArgument, "hold enum invalid");
  Writer w(out.data());
  w.u8(kHoldRecordVersion);
  w.u8(static_cast<std::uint8_t>(r.action));
  w.u8(static_cast<std::uint8_t>(r.step));
  w.u8(static_cast<std::uint8_t>(r.result));
  w.u8(r.sends);
  w.u8(static_cast<std::uint8_t>(r.gateway));
  for (int i = 0; i < 2; ++i) w.u8(0);
  w.u32(r.sequence);
  w.i64(r.amount_paise);
  w.i64(r.authorized_paise);
  w.i64(r.captured_paise);
  w.i64(r.started_at_s);
  w.text(r.order_id);
  w.text(r.key);
  w.text(r.payment_id);
  w.text(r.reason);
  w.text(r.code);
  w.u32(crc32({out.data(), w.pos()}));
  return w.pos();
}

Result<HoldRecord> decode_hold(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != kHoldRecordSize) return kBad;
  const std::size_t body = kHoldRecordSize - 4;
  Reader tail(bytes.data() + body);
  if (tail.u32() != crc32(bytes.first(body))) return kBad;

  Reader in(bytes.data());
  HoldRecord r;
  if (in.u8() != kHoldRecordVersion) return kBad;
  if (!enum_from(in.u8(), kHoldActionCount, &r.action)) return kBad;
  if (!enum_from(in.u8(), kHoldStepCount, &r.step)) return kBad;
  if (!enum_from(in.u8(), kHoldResultCount, &r.result)) return kBad;
  r.sends = in.u8();
  if (!enum_from(in.u8(), kGatewayApiCount, &r.gateway)) return kBad;
  for (int i = 0; i < 2; ++i)
    if (in.u8() != 0) return kBad;
  r.sequence = in.u32();
  r.amount_paise = in.i64();
  r.authorized_paise = in.i64();
  r.captured_paise = in.i64();
  r.started_at_s = in.i64();
  if (!in.text(r.order_id) || !in.text(r.key) || !in.text(r.payment_id) || !in.text(r.reason) || !in.text(r.code))
    return kBad;
  return r;
}

const char* hold_action_name(HoldAction action) {
  switch (action) {
    case HoldAction::kCapture: return "capture";
    case HoldAction::kVoid: return "void";
    case HoldAction::kNone: break;
  }
  return "none";
}

const char* hold_result_name(HoldResult result) {
  switch (result) {
    case HoldResult::kCaptured: return "CAPTURED";
    case HoldResult::kVoided: return "VOIDED";
    case HoldResult::kRefused: return "REFUSED";
    case HoldResult::kUnknown: return "UNKNOWN";
    case HoldResult::kNone: break;
  }
  return "NONE";
}

}  // namespace posagent::engine
