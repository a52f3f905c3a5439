// Card sales through the runner over fakes: the card read and checked
// before anything is sent, native OTP keyed on the keypad, the 3-D Secure
// QR, the card asked for again, and card-data hygiene: the full number, the
// CVV and the OTP never reach the journal, the log or the screen.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "core/agent/sale_runner.hpp"
#include "core/base/log.hpp"
#include "core/engine/journal_codec.hpp"
#include "tests/agent/runner_fakes.hpp"

using namespace posagent;
using namespace posagent::agent;
using namespace posagent::agent::test;
using engine::Outcome;
using engine::RequestKind;
using Flow = engine::test::FakeGateway::CardFlow;

namespace {

constexpr std::string_view kPan = "4111111111111111";
constexpr std::string_view kCvv = "737";
constexpr std::string_view kOtp = "111000";

// Hands out the same card `presentations` times.
class FakeCardReader final : public hal::CardReader {
 public:
  Status read_card(card::CardData& out, hal::Millis) override {
    ++reads;
    if (presentations == 0) return Status(Code::kNotFound, "No card presented");
    --presentations;
    (void)out.number.assign(number);
    (void)out.expiry_mm.assign(expiry_mm);
    (void)out.expiry_yy.assign("30");
    (void)out.cvv.assign(kCvv);
    return Status::Ok();
  }
  int presentations = 1;
  int reads = 0;
  std::string number{kPan};
  std::string expiry_mm = "12";
};

// Everything ever drawn, as one text.
class TranscriptDisplay final : public hal::Display {
 public:
  void clear() override {}
  void text(std::uint8_t, std::string_view line) override { (transcript += line) += '\n'; }
  void bitmap(const hal::Bitmap&) override { ++bitmaps; }
  void status(std::string_view line) override { (transcript += line) += '\n'; }
  void present() override {}
  std::string transcript;
  int bitmaps = 0;
};

class TranscriptSink final : public hal::LogSink {
 public:
  void write(hal::LogLevel, std::string_view line) override { (lines += line) += '\n'; }
  std::string lines;
};

// Types the next OTP (or "" for resend) each time the prompt comes up.
class OtpTyper final : public SaleObserver {
 public:
  explicit OtpTyper(ScriptedKeypad& keypad) : keypad_(keypad) {}
  void on_otp_prompt(std::string_view prompt) override {
    prompts.emplace_back(prompt);
    if (otps.empty()) return;
    keypad_.type(otps.front() + "\n");
    otps.erase(otps.begin());
  }
  std::vector<std::string> otps;
  std::vector<std::string> prompts;

 private:
  ScriptedKeypad& keypad_;
};

struct Terminal {
  posagent::test::FakeClock clock{kWall0};
  ScriptedKeypad keypad{clock};
  MemoryStorage storage;
  TranscriptDisplay display;
  posagent::test::SeededEntropy entropy;
  FakeSaleGateway gateway{clock};
  FakeCardReader reader;
  TranscriptSink sink;
  Logger log{sink, hal::LogLevel::kDebug};
  OtpTyper typer{keypad};
  RunnerSettings settings;
  std::optional<SaleRunner> runner;

  Terminal() {
    gateway.storage = &storage;
    gateway.gw.scan_after_ms = -1;
  }
  SaleRunner& boot() {
    RunnerParts parts{clock, storage, display, keypad, entropy, gateway};
    parts.card_reader = &reader;
    runner.emplace(parts, settings, &log, &typer);
    (void)runner->power_up();
    return *runner;
  }
  std::string journal_bytes() const {
    const auto it = storage.records.find(hal::RecordId::kJournal);
    if (it == storage.records.end()) return {};
    return std::string(it->second.begin(), it->second.end());
  }
  // The card's number and CVV, and the OTP, are nowhere they must not be.
  void check_hygiene() const {
    const std::string journal = journal_bytes();
    CHECK(journal.find(kPan) == std::string::npos);
    CHECK(journal.find(kPan.substr(6)) == std::string::npos);  // not even the middle digits
    CHECK(display.transcript.find(kPan) == std::string::npos);
    CHECK(display.transcript.find(kCvv) == std::string::npos);
    CHECK(display.transcript.find(kOtp) == std::string::npos);
    CHECK(sink.lines.find(kPan) == std::string::npos);
    CHECK(sink.lines.find(kPan.substr(6)) == std::string::npos);
    CHECK(sink.lines.find(kOtp) == std::string::npos);
  }
};

}  // namespace

TEST_CASE("Card sale, native OTP keyed right: PAID; the card went out once and is nowhere else") {
  Terminal t;
  t.typer.otps = {std::string(kOtp)};
  SaleRunner& runner = t.boot();
  const Result<Outcome> sale = runner.sell_card(229'950);
  REQUIRE(sale.ok());
  CHECK(*sale == Outcome::kPaid);
  CHECK(t.gateway.cards_sent == std::vector<std::string>{std::string(kPan)});
  CHECK(t.gateway.otps_sent == std::vector<std::string>{std::string(kOtp)});
  CHECK(t.typer.prompts == std::vector<std::string>{"Enter OTP"});
  CHECK(runner.record().card_label.view() == "VISA XXXX1111");
  CHECK(t.display.bitmaps == 0);  // no QR for a native OTP payment
  CHECK(t.display.transcript.find("VISA XXXX1111") == std::string::npos);  // the label is for the record
  CHECK(t.sink.lines.find("VISA XXXX1111") != std::string::npos);
  t.check_hygiene();
}

TEST_CASE("Card sale, a wrong OTP then the right one, then a resend: the keypad drives the prompt") {
  Terminal t;
  t.typer.otps = {"123456", "", std::string(kOtp)};
  SaleRunner& runner = t.boot();
  const Result<Outcome> sale = runner.sell_card(10'000);
  REQUIRE(sale.ok());
  CHECK(*sale == Outcome::kPaid);
  CHECK(t.typer.prompts == std::vector<std::string>{"Enter OTP", "Wrong OTP, 2 left", "OTP sent again"});
  CHECK(t.gateway.otps_sent == std::vector<std::string>{"123456", std::string(kOtp)});
  t.check_hygiene();
}

TEST_CASE("A card that fails the checks is refused on screen, and nothing is sent") {
  Terminal t;
  SUBCASE("Luhn") {
    t.reader.number = "4111111111111112";
    SaleRunner& runner = t.boot();
    const Result<Outcome> sale = runner.sell_card(10'000);
    CHECK(sale.status().code() == Code::kInvalidArgument);
    CHECK(std::string_view(sale.status().message()) == "Check card number");
  }
  SUBCASE("expired") {
    t.reader.expiry_mm = "12";
    SaleRunner& runner = t.boot();
    t.clock.set_unix_seconds(1'924'992'000);  // 2031-01-01: the card ran to 12/30
    const Result<Outcome> sale = runner.sell_card(10'000);
    CHECK(sale.status().code() == Code::kInvalidArgument);
    CHECK(std::string_view(sale.status().message()) == "Card expired");
  }
  SUBCASE("no card") {
    t.reader.presentations = 0;
    SaleRunner& runner = t.boot();
    const Result<Outcome> sale = runner.sell_card(10'000);
    CHECK(sale.status().code() == Code::kNotFound);
  }
  SUBCASE("a bad amount is refused before the card is asked for") {
    SaleRunner& runner = t.boot();
    CHECK(runner.sell_card(0).status().code() == Code::kInvalidArgument);
    CHECK(t.reader.reads == 0);
  }
  CHECK(t.gateway.sent.empty());
  CHECK(t.journal_bytes().empty());
  t.check_hygiene();
}

TEST_CASE("A card Order Pay to repeat asks for the card again; it goes out under a new key") {
  Terminal t;
  t.reader.presentations = 2;
  t.typer.otps = {std::string(kOtp)};
  t.gateway.gw.faults.push_back(
      {RequestKind::kOrderPay, 1, engine::FailureClass::kRetrySameKey, false, 0, "", "Bank busy, try again"});
  SaleRunner& runner = t.boot();
  const Result<Outcome> sale = runner.sell_card(10'000);
  REQUIRE(sale.ok());
  CHECK(*sale == Outcome::kPaid);
  CHECK(t.reader.reads == 2);
  CHECK(t.gateway.cards_sent.size() == 2);
  CHECK(t.gateway.card_pays_without_card == 0);
  CHECK(t.display.transcript.find("Present card again") != std::string::npos);
  t.check_hygiene();
}

TEST_CASE("3-D Secure: the page is a QR titled for the card, and the customer completes it") {
  Terminal t;
  t.gateway.gw.card_flow = Flow::kThreeDsPage;
  t.gateway.gw.scan_after_ms = 10'000;
  SaleRunner& runner = t.boot();
  const Result<Outcome> sale = runner.sell_card(10'000);
  REQUIRE(sale.ok());
  CHECK(*sale == Outcome::kPaid);
  CHECK(t.display.bitmaps >= 1);
  CHECK(t.display.transcript.find("Scan to verify card") != std::string::npos);
  CHECK(runner.record().intent.view() == "https://pg.example/pg/view/3ds/5114910603577");
  t.check_hygiene();
}

TEST_CASE("Pre-authorisation through the runner: AUTHORISED") {
  Terminal t;
  t.typer.otps = {std::string(kOtp)};
  t.gateway.gw.preauth = true;
  SaleRunner& runner = t.boot();
  const Result<Outcome> sale = runner.sell_card(10'000, true);
  REQUIRE(sale.ok());
  CHECK(*sale == Outcome::kAuthorized);
  CHECK(runner.record().authorize_only);
  CHECK(t.display.transcript.find("AUTHORISED") != std::string::npos);
}
