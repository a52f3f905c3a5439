// libFuzzer target for the journal record decoder (core/engine), the one
// parser of bytes that come back from flash after a power cut.
// Invariants:
// - whatever decodes encodes back to exactly the same bytes;
// - the engine resumes any record that decodes without undefined
//   behaviour (UBSan) and without overflowing its effect list, and its
//   journal writes encode.
// Each input is tried as it is and, when it has the record's size, again
// with its CRC recomputed, so the field checks behind the CRC are reached.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "core/engine/journal_codec.hpp"
#include "core/engine/sale_engine.hpp"

using namespace posagent;
using namespace posagent::engine;

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

void drive(SaleEngine& engine, std::int64_t now, const Event& event) {
  const Effects fx = engine.handle(now, event);
  require(!fx.overflowed());
  std::array<std::uint8_t, kJournalRecordSize> out{};
  for (const Effect& e : fx)
    if (e.kind == EffectKind::kWriteJournal) require(encode_record(*e.record, out).ok());
}

void check(const std::uint8_t* data, std::size_t size, std::uint32_t seed) {
  Result<SaleRecord> record = decode_record({data, size});
  if (!record.ok()) return;

  std::array<std::uint8_t, kJournalRecordSize> again{};
  Result<std::size_t> n = encode_record(*record, again);
  require(n.ok() && *n == size && std::memcmp(again.data(), data, size) == 0);

  // Power up with it at a wall time near the record's, then let every
  // timer fire and the gateway answer the commonest things.
  SaleEngine engine;
  PowerUp up;
  up.record = &*record;
  // Near the record's expiry when that is a plausible time; the harness
  // must not overflow on the extreme values a valid CRC can carry.
  const std::int64_t expiry = record->expiry_at_s;
  const bool plausible = expiry > 1'000'000 && expiry < (std::int64_t{1} << 40);
  up.wall_now_s = plausible ? expiry - static_cast<std::int64_t>(seed % 600) + 300 : 1'790'000'000;
  up.seed = seed;
  drive(engine, 0, up);
  std::int64_t now = 0;
  for (int round = 0; round < 3; ++round) {
    now += 1'000;
    StatusRead paid;
    paid.order_status = OrderStatus::kPaid;
    drive(engine, now, OrderCreated{});
    drive(engine, now, PaymentStarted{});
    drive(engine, now, Terminated{OrderStatus::kTerminated});
    drive(engine, now, TimerFired{TimerId::kRequest});
    drive(engine, now, TimerFired{TimerId::kExpiry});
    drive(engine, now, CancelPressed{});
    drive(engine, now, round == 2 ? paid : StatusRead{});
  }
  drive(engine, now + 3'600'000, TimerFired{TimerId::kDeadline});
  drive(engine, now + 3'600'000, RecoverRequested{});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::uint32_t seed = size > 9 ? static_cast<std::uint32_t>(data[8] | (data[9] << 8)) : 1;
  check(data, size, seed);
  if (size == kJournalRecordSize) {
    static std::array<std::uint8_t, kJournalRecordSize> sealed;
    std::memcpy(sealed.data(), data, size);
    const std::uint32_t crc = crc32({sealed.data(), size - 4});
    for (int i = 0; i < 4; ++i) sealed[size - 4 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
    check(sealed.data(), size, seed);
  }
  return 0;
}
