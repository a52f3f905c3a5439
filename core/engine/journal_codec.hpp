// The journal record's byte layout (version 2), little-endian, fixed size:
//
//   offset  size  field
//        0     1  version (kJournalVersion)
//        1     1  kind            (RecordKind)
//        2     1  state           (State)
//        3     1  outcome         (Outcome)
//        4     1  end_cause       (EndCause)
//        5     1  flags           (bit 0: cancel_requested, bit 1:
//                                  authorize_only, bit 2: gateway is
//                                  Flowwise; others must be 0)
//        6     1  last_order_status   (OrderStatus)
//        7     1  last_payment_status (PaymentStatus)
//        8     4  sequence
//       12     8  amount_paise
//       20     8  started_at_s
//       28     8  expiry_at_s
//       36     …  strings, each a u16 length then its full capacity, the
//                 unused tail zero: order_id, create_key, pay_key,
//                 terminate_key, cf_order_id, payment_session_id,
//                 cf_payment_id, intent, utr, reason, card_label
//  size-4      4  CRC-32 (IEEE 802.3) of every byte before it
//
// A fixed layout keeps the codec free of parsing decisions: every field is
// at a known offset, and any change of size is a change of version.
// Version 2 added card sales (card_label, authorize_only); a version-1
// record is refused like any other unknown version: no device has one.
// The gateway bit came later within version 2: records written before it
// have it clear, and every one of them was a Cashfree PG sale.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/base/status.hpp"
#include "core/engine/sale_record.hpp"

namespace posagent::engine {

inline constexpr std::uint8_t kJournalVersion = 2;

inline constexpr std::size_t kJournalHeaderSize = 36;
inline constexpr std::size_t kJournalStringsSize =
    (2 + kOrderIdCapacity) + 3 * (2 + kKeyLength) + 2 * (2 + kCfIdCapacity) + (2 + kSessionIdCapacity) +
    (2 + kIntentCapacity) + (2 + kUtrCapacity) + (2 + kReasonCapacity) + (2 + kCardLabelCapacity);
inline constexpr std::size_t kJournalRecordSize = kJournalHeaderSize + kJournalStringsSize + 4;

// Writes exactly kJournalRecordSize bytes; kCapacityExceeded if out is
// smaller, kInvalidArgument if a field holds a value the format cannot carry
// (an enum out of range).
Result<std::size_t> encode_record(const SaleRecord& record, std::span<std::uint8_t> out);

// kParseError for anything but a well-formed version-2 record: wrong size,
// CRC mismatch, other version, enum or flag values out of range, a length
// over its field's capacity, a NUL inside a string, or non-zero padding.
// Whatever decodes encodes back to the same bytes.
Result<SaleRecord> decode_record(std::span<const std::uint8_t> bytes);

// CRC-32/ISO-HDLC (poly 0xEDB88320 reflected, init and final xor 0xFFFFFFFF;
// "123456789" -> 0xCBF43926). Written here because nothing in the tree has
// one: Mbed TLS 2.28 and newlib offer no CRC-32 and zlib is not a dependency.
// Bitwise, no table: 1 KB per journal write is nothing, 1 KB of flash is not.
std::uint32_t crc32(std::span<const std::uint8_t> bytes, std::uint32_t crc = 0);

}  // namespace posagent::engine
