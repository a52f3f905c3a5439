// The firmware composition measured by tools/footprint/report.sh: the UPI
// sale as the terminal runs it, with the heap trapped.
//
//   SaleRunner -> PgSaleGateway -> PgClient -> HttpClient -> TlsSession -> Network
//        |                            |
//        +- SaleEngine, journal       +- PgBuffers: the only request, response
//        +- screens, QrCode              and JSON buffers in the image
//
// The MPS2 board has no network: every connect fails, so every create order
// is built in full and then fails before a byte is sent (kConnectionFailed
// -> RetrySameKey), and the engine retries with back-off. Time is real here
// (the semihosting clock follows the host), so the keypad waits out the
// first kWaitsBeforeCancel back-offs (1 s, 2 s) and then presses cancel. No
// order was ever created, so the sale ends CANCELLED (the engine's
// cancel_without_order); UNKNOWN (the deadline) is the other honest end.
// Anything else fails the run, and so does any use of the heap.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <string_view>
#include <utility>

#include "core/agent/pg_sale_gateway.hpp"
#include "core/agent/sale_runner.hpp"
#include "core/base/log.hpp"
#include "core/engine/journal_codec.hpp"
#include "core/gateway/pg_client.hpp"
#include "core/gateway/pg_config.hpp"
#include "core/http/http_client.hpp"
#include "core/json/json_arena.hpp"
#include "core/tls/tls_pool.hpp"
#include "core/tls/tls_session.hpp"
#include "hal/mps2/mps2_hal.hpp"
#include "hal/mps2/semihosting.hpp"
#include "tests/support/test_pki.hpp"  // a CA bundle of realistic size

namespace {

using namespace posagent;
using hal::mps2::semihost_write;

// The board has no network interface: every connection is refused.
class NoNetwork final : public hal::Network {
 public:
  Status connect(std::string_view, std::uint16_t, hal::Millis) override {
    ++connects;
    return Status(Code::kConnectionFailed, "no network");
  }
  Result<std::size_t> send(std::span<const std::uint8_t>, hal::Millis) override {
    return Status(Code::kConnectionClosed, "no network");
  }
  Result<std::size_t> recv(std::span<std::uint8_t>, hal::Millis) override {
    return Status(Code::kConnectionClosed, "no network");
  }
  void close() override {}

  std::uint32_t connects = 0;
};

// The journal in RAM: one record, replaced whole (atomic on a single core
// with no interrupts touching it).
class RamStorage final : public hal::Storage {
 public:
  Result<std::size_t> read(hal::RecordId id, std::span<std::uint8_t> buffer) override {
    if (id != hal::RecordId::kJournal || size_ == 0) return Status(Code::kNotFound, "no record");
    if (buffer.size() < size_) return Status(Code::kCapacityExceeded, "buffer small");
    std::memcpy(buffer.data(), bytes_, size_);
    return size_;
  }
  Status replace(hal::RecordId id, std::span<const std::uint8_t> contents) override {
    if (id != hal::RecordId::kJournal) return Status(Code::kInvalidArgument, "journal only");
    if (contents.empty() || contents.size() > sizeof bytes_) return Status(Code::kCapacityExceeded, "record size");
    std::memcpy(bytes_, contents.data(), contents.size());
    size_ = contents.size();
    ++writes;
    return Status::Ok();
  }
  Status erase(hal::RecordId id) override {
    if (id == hal::RecordId::kJournal) size_ = 0;
    return Status::Ok();
  }

  std::uint32_t writes = 0;

 private:
  std::uint8_t bytes_[engine::kJournalRecordSize];
  std::size_t size_ = 0;
};

// A display that draws nothing and counts what it is asked to draw.
class CountingDisplay final : public hal::Display {
 public:
  void clear() override { ++calls; }
  void text(std::uint8_t, std::string_view) override { ++calls; }
  void bitmap(const hal::Bitmap&) override { ++calls; }
  void status(std::string_view) override { ++calls; }
  void present() override { ++presents; }

  std::uint32_t calls = 0;
  std::uint32_t presents = 0;
};

// The keypad: no key until the deadline (waited out on the clock, which
// moves by itself here), then cancel once the back-off has been waited out
// kWaitsBeforeCancel times.
class CancellingKeypad final : public hal::Input {
 public:
  static constexpr std::uint32_t kWaitsBeforeCancel = 2;

  explicit CancellingKeypad(hal::Clock& clock) : clock_(clock) {}
  hal::Key wait_key(hal::Millis deadline) override {
    if (++waits > kWaitsBeforeCancel) return hal::Key::kCancel;
    while (clock_.monotonic_ms() < deadline) {
    }
    return hal::Key::kNone;
  }

  std::uint32_t waits = 0;

 private:
  hal::Clock& clock_;
};

// The image's objects live until power-off. Those with a destructor
// (TlsSession, PgBuffers' arena) are built in place here, so that no
// destructor is registered to run at exit: a function-local static would
// link newlib's atexit list (~400 bytes of RAM) for nothing.
template <typename T>
class Forever {
 public:
  template <typename... Args>
  explicit Forever(Args&&... args) {
    ::new (static_cast<void*>(storage_)) T(std::forward<Args>(args)...);
  }
  T& get() { return *std::launder(reinterpret_cast<T*>(storage_)); }

 private:
  alignas(T) std::byte storage_[sizeof(T)];
};

int fail(const char* step, Status s) { return hal::mps2::semihost_report_failure("footprint image", step, s); }

// PgBuffers for this Cortex-M4 composition: 12 KB instead of the defaults'
// 16 KB, so that the image stays inside 64 KB of static RAM. Against the
// sizes measured in core/gateway/pg_client.hpp (above kDefaultRequestBytes):
//   request   2 KB (default): the largest create order is 1,626 bytes.
//   response  6 KB: OrderEntity, UPI link PayOrderEntity and one
//             PaymentEntity 0.8..1.2 KB, so Get Payments still holds 5..7
//             attempts (the engine keeps kMaxAttempts = 4 of them). This
//             terminal uses the link channel and draws its own QR, so the
//             ~3.7 KB qrcode answer never comes.
//   arena     4 KB: peaks on Cortex-M4 are 2.3 KB (order), 1.8 KB (UPI
//             link), 2.7 KB (the largest single PaymentEntity; payments
//             are parsed one at a time): 1.3 KB of margin over the largest.
using TerminalPgBuffers = gateway::PgBuffers<2048, 6144, 4096>;

}  // namespace

int main() {
  static hal::mps2::Mps2Clock clock;
  static hal::mps2::Mps2TestEntropy entropy;
  static hal::mps2::Mps2LogSink log_sink;
  static Logger log(log_sink);
  static NoNetwork network;
  static RamStorage storage;
  static CountingDisplay display;
  static CancellingKeypad keypad(clock);

  json_init();
  Status s = tls::pool_init(clock);
  if (!s.ok()) return fail("pool", s);

  // Configuration a device loads from its provisioning record.
  static gateway::PgConfig pg_config;
  (void)pg_config.host.assign("sandbox.cashfree.com");
  (void)pg_config.client_id.assign("FOOTPRINT_CLIENT_ID");
  (void)pg_config.client_secret.assign("footprint-client-secret");
  static gateway::TerminalProvisioning terminal;
  (void)terminal.terminal_id.assign("T-0001");
  (void)terminal.terminal_phone_no.assign("9123456780");
  (void)terminal.terminal_name.assign("Counter 1");
  if (!(s = pg_config.validate()).ok()) return fail("pg config", s);
  if (!(s = terminal.validate()).ok()) return fail("terminal", s);
  static agent::OrderDefaults defaults;
  (void)defaults.customer_phone.assign(terminal.terminal_phone_no.view());
  (void)defaults.terminal_tag.assign(terminal.terminal_id.view());
  agent::RunnerSettings settings;
  (void)settings.payee.assign("Footprint Store");

  // The stack, bottom to top.
  static Forever<tls::TlsSession> tls_session(network, clock, entropy);
  tls::TlsSession& session = tls_session.get();
  if (!(s = session.init({pg_config.host.view(), pg_config.port, test_pki::trusted_ca()})).ok()) {
    return fail("tls init", s);
  }
  static http::HttpClient http(session);
  static Forever<TerminalPgBuffers> pg_buffers;
  TerminalPgBuffers& buffers = pg_buffers.get();
  static gateway::PgClient pg(http, entropy, pg_config, terminal, buffers);
  static agent::PgSaleGateway gateway(pg, clock, defaults, &log);
  static agent::SaleRunner runner(agent::RunnerParts{clock, storage, display, keypad, entropy, gateway}, settings,
                                  &log);

  const agent::PowerUpReport boot = runner.power_up();
  if (!boot.journal.ok()) return fail("power up", boot.journal);
  if (boot.resumed) return fail("power up", Status(Code::kInternal, "resumed from an empty journal"));

  const Result<engine::Outcome> sale = runner.sell(49'900);
  if (!sale.ok()) return fail("sell", sale.status());
  if (*sale != engine::Outcome::kCancelled && *sale != engine::Outcome::kUnknown) {
    log.error("footprint", "sale ended {}", engine::outcome_name(*sale));
    return fail("outcome", Status(Code::kInternal, "not CANCELLED or UNKNOWN"));
  }
  if (storage.writes == 0) return fail("journal", Status(Code::kInternal, "no journal write"));
  if (!runner.journal_status().ok()) return fail("journal", runner.journal_status());
  // A create order was built in full (JSON body, headers) and got as far
  // as connecting.
  if (network.connects == 0) return fail("network", Status(Code::kInternal, "no request reached the network"));
  if (display.presents == 0) return fail("display", Status(Code::kInternal, "nothing shown"));

  // The answer side, which no network means the sale never reached: an
  // order answer decoded in the same arena, with the heap still trapped.
  constexpr std::string_view kOrderAnswer =
      R"({"cf_order_id":"2149460581","order_id":"POS-261123101500-8972","entity":"order",)"
      R"("order_currency":"INR","order_amount":499.00,"order_status":"ACTIVE",)"
      R"("payment_session_id":"session_4uT3kQ","order_expiry_time":"2026-11-23T10:20:00+05:30"})";
  gateway::OrderEntity order;
  const FieldStatus decoded = gateway::decode_order(buffers.arena(), kOrderAnswer, order);
  if (!decoded.ok()) return fail("decode order", decoded.status());
  if (order.order_amount_paise != 49'900 || order.order_status != gateway::OrderStatus::kActive ||
      !order.order_expiry_time.has_value()) {
    return fail("decode order", Status(Code::kInternal, "fields"));
  }

  log.info("footprint", "sale {}: {} after {} connects, {} journal writes, {} screens; arena peak {} of {}",
           runner.record().order_id, engine::outcome_name(*sale), network.connects, storage.writes,
           display.presents, buffers.arena().peak(), buffers.arena().capacity());
  semihost_write("footprint image: stack peak ");
  hal::mps2::semihost_write_number(posagent_stack_peak_bytes());
  semihost_write(" bytes\nfootprint image: ran\n");
  return 0;
}
