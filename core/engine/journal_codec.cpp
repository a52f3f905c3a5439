#include "core/engine/journal_codec.hpp"

#include "core/engine/record_bytes.hpp"

namespace posagent::engine {

namespace {

constexpr std::uint8_t kFlagCancelRequested = 0x01;
constexpr std::uint8_t kFlagAuthorizeOnly = 0x02;
constexpr std::uint8_t kFlagFlowwise = 0x04;  // the sale's gateway API; clear: Cashfree PG
constexpr std::uint8_t kFlagsKnown = kFlagCancelRequested | kFlagAuthorizeOnly | kFlagFlowwise;

using record_bytes::Reader;
using record_bytes::Writer;
using record_bytes::enum_from;

constexpr Status kBad{Code::kParseError, "bad journal record"};

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> bytes, std::uint32_t crc) {
  crc = ~crc;
  for (const std::uint8_t byte : bytes) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

Result<std::size_t> encode_record(const SaleRecord& r, std::span<std::uint8_t> out) {
  if (out.size() < kJournalRecordSize) return Status(Code::kCapacityExceeded, "journal buffer small");
  if (static_cast<std::uint8_t>(r.kind) >= kRecordKindCount || static_cast<std::uint8_t>(r.state) >= kStateCount ||
      static_cast<std::uint8_t>(r.outcome) >= kOutcomeCount ||
      static_cast<std::uint8_t>(r.end_cause) >= kEndCauseCount ||
      static_cast<std::uint8_t>(r.last_order_status) >= kOrderStatusCount ||
      static_cast<std::uint8_t>(r.last_payment_status) >= kPaymentStatusCount ||
      static_cast<std::uint8_t>(r.gateway) >= kGatewayApiCount)
    return Status(Code::kInvalidArgument, "record enum invalid");

  Writer w(out.data());
  w.u8(kJournalVersion);
  w.u8(static_cast<std::uint8_t>(r.kind));
  w.u8(static_cast<std::uint8_t>(r.state));
  w.u8(static_cast<std::uint8_t>(r.outcome));
  w.u8(static_cast<std::uint8_t>(r.end_cause));
  w.u8(static_cast<std::uint8_t>((r.cancel_requested ? kFlagCancelRequested : 0) |
                                 (r.authorize_only ? kFlagAuthorizeOnly : 0) |
                                 (r.gateway == GatewayApi::kFlowwise ? kFlagFlowwise : 0)));
  w.u8(static_cast<std::uint8_t>(r.last_order_status));
  w.u8(static_cast<std::uint8_t>(r.last_payment_status));
  w.u32(r.sequence);
  w.i64(r.amount_paise);
  w.i64(r.started_at_s);
  w.i64(r.expiry_at_s);
  w.text(r.order_id);
  w.text(r.create_key);
  w.text(r.pay_key);
  w.text(r.terminate_key);
  w.text(r.cf_order_id);
  w.text(r.payment_session_id);
  w.text(r.cf_payment_id);
  w.text(r.intent);
  w.text(r.utr);
  w.text(r.reason);
  w.text(r.card_label);
  w.u32(crc32({out.data(), w.pos()}));
  return w.pos();
}

Result<SaleRecord> decode_record(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != kJournalRecordSize) return kBad;
  const std::size_t body = kJournalRecordSize - 4;
  Reader tail(bytes.data() + body);
  if (tail.u32() != crc32(bytes.first(body))) return kBad;

  Reader in(bytes.data());
  SaleRecord r;
  if (in.u8() != kJournalVersion) return kBad;
  if (!enum_from(in.u8(), kRecordKindCount, &r.kind)) return kBad;
  if (!enum_from(in.u8(), kStateCount, &r.state)) return kBad;
  if (!enum_from(in.u8(), kOutcomeCount, &r.outcome)) return kBad;
  if (!enum_from(in.u8(), kEndCauseCount, &r.end_cause)) return kBad;
  const std::uint8_t flags = in.u8();
  if ((flags & ~kFlagsKnown) != 0) return kBad;
  r.cancel_requested = (flags & kFlagCancelRequested) != 0;
  r.authorize_only = (flags & kFlagAuthorizeOnly) != 0;
  r.gateway = (flags & kFlagFlowwise) != 0 ? GatewayApi::kFlowwise : GatewayApi::kCashfreePg;
  if (!enum_from(in.u8(), kOrderStatusCount, &r.last_order_status)) return kBad;
  if (!enum_from(in.u8(), kPaymentStatusCount, &r.last_payment_status)) return kBad;
  r.sequence = in.u32();
  r.amount_paise = in.i64();
  r.started_at_s = in.i64();
  r.expiry_at_s = in.i64();
  if (!in.text(r.order_id) || !in.text(r.create_key) || !in.text(r.pay_key) || !in.text(r.terminate_key) ||
      !in.text(r.cf_order_id) || !in.text(r.payment_session_id) || !in.text(r.cf_payment_id) ||
      !in.text(r.intent) || !in.text(r.utr) || !in.text(r.reason) || !in.text(r.card_label))
    return kBad;
  return r;
}

}  // namespace posagent::engine
