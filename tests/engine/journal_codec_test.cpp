#include <doctest/doctest.h>

#include <array>
#include <cstring>
#include <string>

#include "core/engine/journal_codec.hpp"

using namespace posagent;
using namespace posagent::engine;

namespace {

using Bytes = std::array<std::uint8_t, kJournalRecordSize>;

SaleRecord full_record() {
  SaleRecord r;
  r.kind = RecordKind::kUpiQrSale;
  r.state = State::kAwaitingPayment;
  r.outcome = Outcome::kNone;
  r.end_cause = EndCause::kAttemptFailed;
  r.cancel_requested = true;
  r.last_order_status = OrderStatus::kTerminationRequested;
  r.last_payment_status = PaymentStatus::kPending;
  r.sequence = 0xA1B2C3D4u;
  r.amount_paise = 100'000'000;
  r.started_at_s = 1'790'000'000;
  r.expiry_at_s = 1'790'000'300;
  (void)r.order_id.assign("pos_order_8f14e45f");
  (void)r.create_key.assign("0b7c4a8e-8d1f-4c55-9a0e-1f6f5a9d0c01");
  (void)r.pay_key.assign("0b7c4a8e-8d1f-4c55-9a0e-1f6f5a9d0c02");
  (void)r.terminate_key.assign("0b7c4a8e-8d1f-4c55-9a0e-1f6f5a9d0c03");
  (void)r.cf_order_id.assign("2149460581");
  (void)r.payment_session_id.assign("session_a1VXIPJo8kh7IBigVXX8LgTMupQW_cu25FS8KwLwQLOmiHqbBxq5");
  (void)r.cf_payment_id.assign("5114910603577");
  (void)r.intent.assign("upi://pay?pa=merchant@bank&pn=Shop&am=1000000.00&tr=5114910603577&cu=INR");
  (void)r.utr.assign("412345678901");
  (void)r.reason.assign("issuer declined");
  (void)r.card_label.assign("VISA XXXX1111");
  r.authorize_only = true;
  return r;
}

// Every string at its capacity, every number at an extreme.
SaleRecord max_record() {
  SaleRecord r = full_record();
  r.state = State::kDone;
  r.outcome = Outcome::kUnknown;
  r.end_cause = EndCause::kCreateConflict;
  r.gateway = GatewayApi::kFlowwise;
  r.sequence = 0xFFFFFFFFu;
  r.amount_paise = INT64_MIN;
  r.started_at_s = INT64_MAX;
  r.expiry_at_s = -1;
  (void)r.order_id.assign(std::string(kOrderIdCapacity, 'o'));
  (void)r.cf_order_id.assign(std::string(kCfIdCapacity, '9'));
  (void)r.payment_session_id.assign(std::string(kSessionIdCapacity, 's'));
  (void)r.cf_payment_id.assign(std::string(kCfIdCapacity, '8'));
  (void)r.intent.assign(std::string(kIntentCapacity, 'u'));
  (void)r.utr.assign(std::string(kUtrCapacity, '7'));
  (void)r.reason.assign(std::string(kReasonCapacity, 'r'));
  return r;
}

Bytes encoded(const SaleRecord& r) {
  Bytes b{};
  Result<std::size_t> n = encode_record(r, b);
  REQUIRE(n.ok());
  REQUIRE(*n == kJournalRecordSize);
  return b;
}

void reseal(Bytes& b) {
  const std::uint32_t crc = crc32(std::span<const std::uint8_t>(b.data(), kJournalRecordSize - 4));
  for (int i = 0; i < 4; ++i) b[kJournalRecordSize - 4 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
}

bool rejected(std::span<const std::uint8_t> bytes) {
  Result<SaleRecord> r = decode_record(bytes);
  return !r.ok() && r.status().code() == Code::kParseError;
}

// Offset of the n-th string field (0 = order_id) in the layout.
std::size_t string_offset(int n) {
  const std::size_t caps[] = {kOrderIdCapacity, kKeyLength,       kKeyLength,   kKeyLength,    kCfIdCapacity,
                              kSessionIdCapacity, kCfIdCapacity, kIntentCapacity, kUtrCapacity, kReasonCapacity};
  std::size_t at = kJournalHeaderSize;
  for (int i = 0; i < n; ++i) at += 2 + caps[i];
  return at;
}

}  // namespace

TEST_CASE("CRC-32 is the IEEE 802.3 one") {
  const char* check = "123456789";
  CHECK(crc32(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(check), 9)) == 0xCBF43926u);
  CHECK(crc32({}) == 0u);
}

TEST_CASE("A journal record round-trips through its fixed layout") {
  MESSAGE("journal record: " << kJournalRecordSize << " bytes encoded, sizeof(SaleRecord) " << sizeof(SaleRecord));
  for (const SaleRecord& r : {full_record(), max_record(), SaleRecord{}}) {
    const Bytes b = encoded(r);
    Result<SaleRecord> back = decode_record(b);
    REQUIRE(back.ok());
    CHECK(*back == r);
    CHECK(encoded(*back) == b);
  }
}

TEST_CASE("The layout puts the version first and the CRC last") {
  const Bytes b = encoded(full_record());
  CHECK(b[0] == kJournalVersion);
  CHECK(b[1] == static_cast<std::uint8_t>(RecordKind::kUpiQrSale));
  CHECK(b[2] == static_cast<std::uint8_t>(State::kAwaitingPayment));
  CHECK(b[5] == 0x03);  // cancel_requested, authorize_only
  CHECK(b[8] == 0xD4);  // sequence, little-endian
  CHECK(b[11] == 0xA1);
  CHECK(b[string_offset(0)] == 18);  // "pos_order_8f14e45f"
  CHECK(std::memcmp(&b[string_offset(0) + 2], "pos_order_8f14e45f", 18) == 0);
}

TEST_CASE("The gateway API is flag bit 2; a record without it is a Cashfree PG sale") {
  SaleRecord flowwise = full_record();
  flowwise.gateway = GatewayApi::kFlowwise;
  const Bytes fw = encoded(flowwise);
  CHECK(fw[5] == 0x07);
  Result<SaleRecord> back = decode_record(fw);
  REQUIRE(back.ok());
  CHECK(back->gateway == GatewayApi::kFlowwise);
  CHECK(!(*back == full_record()));  // the API is part of the record's identity

  // Records written before the bit existed (this layout, bit 2 clear).
  const Bytes pg = encoded(full_record());
  CHECK(pg[5] == 0x03);
  back = decode_record(pg);
  REQUIRE(back.ok());
  CHECK(back->gateway == GatewayApi::kCashfreePg);

  SaleRecord bad = full_record();
  bad.gateway = static_cast<GatewayApi>(kGatewayApiCount);
  Bytes b{};
  CHECK(encode_record(bad, b).status().code() == Code::kInvalidArgument);
}

TEST_CASE("Encoding needs the whole size and valid enums") {
  std::array<std::uint8_t, kJournalRecordSize - 1> small{};
  CHECK(encode_record(full_record(), small).status().code() == Code::kCapacityExceeded);
  SaleRecord bad = full_record();
  bad.state = static_cast<State>(kStateCount);
  Bytes b{};
  CHECK(encode_record(bad, b).status().code() == Code::kInvalidArgument);
}

TEST_CASE("Every single-bit flip is caught") {
  const Bytes good = encoded(full_record());
  int caught = 0;
  for (std::size_t byte = 0; byte < good.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes b = good;
      b[byte] = static_cast<std::uint8_t>(b[byte] ^ (1u << bit));
      caught += rejected(b);
    }
  }
  CHECK(caught == static_cast<int>(good.size() * 8));
}

TEST_CASE("Wrong sizes are refused") {
  const Bytes good = encoded(full_record());
  CHECK(rejected({}));
  CHECK(rejected(std::span<const std::uint8_t>(good.data(), good.size() - 1)));
  std::array<std::uint8_t, kJournalRecordSize + 1> longer{};
  std::memcpy(longer.data(), good.data(), good.size());
  CHECK(rejected(longer));
}

TEST_CASE("A valid CRC does not make bad fields acceptable") {
  const Bytes good = encoded(full_record());
  struct Case {
    const char* what;
    std::size_t offset;
    std::uint8_t value;
  };
  const Case cases[] = {
      {"version 0", 0, 0},
      {"version 1", 0, 1},
      {"version 3", 0, 3},
      {"kind", 1, kRecordKindCount},
      {"state", 2, kStateCount},
      {"outcome", 3, kOutcomeCount},
      {"end cause", 4, kEndCauseCount},
      {"unknown flag", 5, 0x08},
      {"high flag", 5, 0x83},
      {"order status", 6, kOrderStatusCount},
      {"payment status", 7, kPaymentStatusCount},
      {"order_id longer than its field", string_offset(0), kOrderIdCapacity + 1},
      {"key longer than its field", string_offset(1), kKeyLength + 1},
      {"padding not zero", string_offset(0) + 2 + 30, 'x'},
      {"NUL inside a string", string_offset(0) + 2 + 3, 0},
      {"reason length over", string_offset(9), kReasonCapacity + 1},
      {"card label length over", string_offset(10), kCardLabelCapacity + 1},
  };
  for (const Case& c : cases) {
    Bytes b = good;
    b[c.offset] = c.value;
    reseal(b);
    if (!rejected(b)) MESSAGE("accepted: " << c.what);
    CHECK(rejected(b));
  }
  // The high byte of a length.
  Bytes b = good;
  b[string_offset(7) + 1] = 0x01;  // intent length 256 + n: fits 512, but the padding then is not zero
  reseal(b);
  CHECK(rejected(b));
}
