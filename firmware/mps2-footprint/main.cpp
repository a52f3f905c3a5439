// The firmware composition measured by tools/footprint/report.sh: every
// component the terminal carries (core base, JSON, HTTP, the client-only TLS
// stack, QR drawing) linked and exercised the way the agent will, with the
// heap trapped. The MPS2 board has no network, so the HTTPS call must end in
// a clean "connection failed"; everything else must succeed.
#include <string_view>

#include "core/base/log.hpp"
#include "core/base/money.hpp"
#include "core/base/timestamp.hpp"
#include "core/base/uuid.hpp"
#include "core/http/http_client.hpp"
#include "core/json/json_reader.hpp"
#include "core/json/json_writer.hpp"
#include "core/tls/tls_pool.hpp"
#include "core/tls/tls_session.hpp"
#include "hal/mps2/mps2_hal.hpp"
#include "hal/mps2/semihosting.hpp"
#include "qrcodegen.h"
#include "tests/support/test_pki.hpp"  // a CA bundle of realistic size

namespace {

using namespace posagent;
using hal::mps2::semihost_write;

// The board has no network interface: every connection is refused.
class NoNetwork final : public hal::Network {
 public:
  Status connect(std::string_view, std::uint16_t, hal::Millis) override {
    return Status(Code::kConnectionFailed, "no network");
  }
  Result<std::size_t> send(std::span<const std::uint8_t>, hal::Millis) override {
    return Status(Code::kConnectionClosed, "no network");
  }
  Result<std::size_t> recv(std::span<std::uint8_t>, hal::Millis) override {
    return Status(Code::kConnectionClosed, "no network");
  }
  void close() override {}
};


int fail(const char* step, Status s) { return hal::mps2::semihost_report_failure("footprint image", step, s); }

hal::mps2::Mps2Clock g_clock;
hal::mps2::Mps2TestEntropy g_entropy;
hal::mps2::Mps2LogSink g_log_sink;
NoNetwork g_network;
JsonArena<4096> g_json_arena;
char g_request[1024];
std::uint8_t g_body[4096];
std::uint8_t g_qr[qrcodegen_BUFFER_LEN_FOR_VERSION(11)];
std::uint8_t g_qr_temp[qrcodegen_BUFFER_LEN_FOR_VERSION(11)];

}  // namespace

int main() {
  Logger log(g_log_sink);
  json_init();
  Status s = tls::pool_init(g_clock);
  if (!s.ok()) return fail("pool", s);

  // An order body, as the gateway client will build it.
  Result<Money> amount = Money::parse("2299.50");
  Result<FixedString<36>> order_id = make_uuid_v4(g_entropy);
  Result<Timestamp> expiry = Timestamp::parse("2026-11-23T12:00:00+05:30");
  if (!amount.ok() || !order_id.ok() || !expiry.ok()) return fail("base", Status(Code::kInternal, "base"));
  JsonWriter writer(g_json_arena);
  JsonObjectWriter root = writer.root();
  if (!(s = root.add_string("order_id", order_id->view())).ok()) return fail("json", s);
  if (!(s = root.add_money("order_amount", *amount)).ok()) return fail("json", s);
  if (!(s = root.add_string("order_expiry_time", expiry->format().view())).ok()) return fail("json", s);
  Result<std::size_t> printed = writer.print(g_request);
  if (!printed.ok()) return fail("json print", printed.status());

  // A response read back, field by field.
  constexpr std::string_view kResponse =
      R"({"order_id":"o1","order_amount":2299.5,"order_status":"ACTIVE","payment_session_id":"s"})";
  Result<JsonDocument> doc = JsonDocument::parse(g_json_arena, kResponse);
  if (!doc.ok()) return fail("json parse", doc.status());
  FieldResult<JsonObject> object = doc->root_object();
  if (!object.ok()) return fail("json root", object.status());
  FieldResult<Money> read_amount = object->get_money("order_amount");
  if (!read_amount.ok() || !(*read_amount == *amount)) return fail("json money", read_amount.status());

  // A UPI intent drawn as a QR code.
  if (!qrcodegen_encodeText("upi://pay?pa=merchant@bank&pn=Shop&am=2299.50&tr=o1&cu=INR", g_qr_temp, g_qr,
                            qrcodegen_Ecc_MEDIUM, 1, 11, qrcodegen_Mask_AUTO, false)) {
    return fail("qr", Status(Code::kCapacityExceeded, "qr too long"));
  }

  // HTTPS through the whole stack; the board has no network.
  static tls::TlsSession session(g_network, g_clock, g_entropy);
  if (!(s = session.init({"sandbox.cashfree.com", 443, test_pki::trusted_ca()})).ok()) return fail("tls init", s);
  static http::HttpClient client(session);
  static constexpr http::Header kHeaders[] = {{"x-api-version", "2025-01-01"}};
  static http::HeaderCapture captures[] = {{"x-request-id", {}, false}};
  http::Response response(captures, g_body);
  const http::Request request{http::Method::kPost, "/pg/orders", "sandbox.cashfree.com", kHeaders,
                              std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(g_request), *printed)};
  http::ExchangeResult r = client.exchange(request, std::span<char>(reinterpret_cast<char*>(g_body), 1024), response,
                                           g_clock.monotonic_ms() + 1000);
  if (r.status.code() != Code::kConnectionFailed || r.bytes_sent != 0) return fail("https", r.status);

  log.info("footprint", "order {} amount {} qr {} modules", order_id->view(), amount->format().view(),
           qrcodegen_getSize(g_qr));
  semihost_write("footprint image: ran\n");
  return 0;
}
