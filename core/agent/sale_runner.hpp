// The sale runner: carries out the sale engine's effects on the device.
// Journal writes go to hal::Storage, requests to a SaleGateway, screens to
// hal::Display, and timers and the cancel key are served by one wait on
// hal::Input bounded by the earliest timer. It is the only place where the
// engine meets I/O, and it is portable: the simulator and the firmware run
// the same runner with their own HAL.
//
//   SaleRunner runner(parts, settings, &log, &observer);
//   PowerUpReport boot = runner.power_up();    // resumes an unfinished sale
//   Result<engine::Outcome> sale = runner.sell(49'900);
//
// Order of effects. A step's effects are carried out first to last, except
// that its request (the engine sends at most one per step) goes out after
// the rest, so the cashier sees "Creating order" before the terminal waits
// on the network. A request never goes out unless the journal write of its
// step succeeded: when Storage fails, the request is reported to the engine
// as not sent (RequestFailed, retry with the same key) and the engine
// retries, journal write first, after its back-off.
//
// Blocking: a request blocks until its answer or the gateway's call
// timeout; the cancel key is read between requests (the engine handles a
// cancel in any state, so a late one is never lost, only later). Reading a
// card blocks until the card, the reader's cancel, or card_read_timeout_ms.
//
// Cards: sell_card() reads the card and checks it (core/card) before
// anything is sent; a card that fails the checks gets its screen message
// and no request. The card lives in the runner only until the Order Pay
// that carries it returns, and is wiped then (and on every other way out);
// the OTP the cashier keys in is kept only until SUBMIT_OTP returns. While
// the OTP prompt is up the keypad's digits, Clear and Enter go to it (Enter
// with no digits asks for the OTP to be sent again).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/agent/sale_gateway.hpp"
#include "core/card/card_data.hpp"
#include "core/base/fixed_string.hpp"
#include "core/base/log.hpp"
#include "core/base/status.hpp"
#include "core/engine/journal_codec.hpp"
#include "core/engine/sale_engine.hpp"
#include "core/screens/qr_code.hpp"
#include "hal/card_reader.hpp"
#include "hal/clock.hpp"
#include "hal/display.hpp"
#include "hal/entropy.hpp"
#include "hal/input.hpp"
#include "hal/storage.hpp"

namespace posagent::agent {

inline constexpr std::size_t kOrderPrefixCapacity = 16;
inline constexpr std::size_t kPayeeCapacity = 64;

struct RunnerParts {
  hal::Clock& clock;
  hal::Storage& storage;
  hal::Display& display;
  hal::Input& input;  // the cancel key while a sale runs
  hal::Entropy& entropy;
  SaleGateway& gateway;
  hal::CardReader* card_reader = nullptr;  // card sales only
};

struct RunnerSettings {
  // Order ids are "<prefix>-<YYMMDD>T<hhmmss>-<4 hex>": unique per terminal
  // and readable in the merchant's dashboard. Characters outside
  // [A-Za-z0-9_-] are dropped; empty means "POS".
  FixedString<kOrderPrefixCapacity> order_prefix{"POS"};
  FixedString<kPayeeCapacity> payee;  // under the QR; empty: no line
  std::int32_t utc_offset_minutes = 330;  // for the order id's local time
  engine::SaleTimes times;
  hal::Millis card_read_timeout_ms = 60'000;  // for each card read
};

// Told what the cashier and customer see; for the simulator's customer and
// progress output. Every method has a default that does nothing.
class SaleObserver {
 public:
  // The QR is on screen: record holds the order, cf_payment_id and intent.
  virtual void on_qr_shown(const engine::SaleRecord& record) { (void)record; }
  // A status check answered (check counts from 1 per sale).
  virtual void on_status(const engine::StatusRead& read, std::uint32_t check) { (void)read, (void)check; }
  virtual void on_finished(const engine::SaleRecord& record) { (void)record; }
  // The OTP prompt is up (prompt: "Enter OTP", "Wrong OTP, 2 left", ...).
  virtual void on_otp_prompt(std::string_view prompt) { (void)prompt; }

 protected:
  ~SaleObserver() = default;
};

struct PowerUpReport {
  // The journal as read: OK (a record, or none: kNotFound is OK here),
  // kParseError (damaged: nothing could be resumed from it) or the
  // storage's error.
  Status journal;
  bool resumed = false;  // an unfinished sale was driven to an outcome
  engine::Outcome outcome = engine::Outcome::kNone;  // of the resumed sale
  // An unfinished sale made on another gateway API than this runner's (the
  // terminal's setting changed): kept unchanged in the journal, not resumed;
  // no new sale starts until a runner on that API finishes it.
  bool other_gateway = false;
};

class SaleRunner {
 public:
  SaleRunner(const RunnerParts& parts, const RunnerSettings& settings, Logger* log = nullptr,
             SaleObserver* observer = nullptr);
  SaleRunner(const SaleRunner&) = delete;
  SaleRunner& operator=(const SaleRunner&) = delete;

  // The first call after boot: reads the journal and tells the engine. An
  // unfinished sale in it (a power cut, or one parked as UNKNOWN) is resumed
  // with its journaled keys and driven to its outcome before this returns.
  PowerUpReport power_up();

  // One sale of amount_paise, from the order to its outcome. Refused
  // (nothing sent, the reason on screen) with kInvalidArgument for an
  // amount outside 1.00..10,00,000.00, kUnavailable while the last sale is
  // parked as UNKNOWN (recover it first), kOutOfRange when the wall clock
  // is not set (an order needs its expiry time), kIoError when no key
  // could be made.
  Result<engine::Outcome> sell(std::int64_t amount_paise);

  // A card sale of amount_paise: reads the card from the card reader and
  // checks it first. Refused as sell() is, and also with kInvalidArgument
  // (the card failed a check: its message is on screen), kCancelled,
  // kTimeout or kNotFound from the reader, and kUnavailable with no reader.
  // authorize_only: a pre-authorisation (outcome AUTHORISED when it holds).
  Result<engine::Outcome> sell_card(std::int64_t amount_paise, bool authorize_only = false);

  // Resumes a sale parked as UNKNOWN; kNotFound when there is none,
  // kUnavailable ("Gateway changed") when it was made on another gateway API.
  Result<engine::Outcome> recover();

  const engine::SaleRecord& record() const { return engine_.record(); }
  engine::State state() const { return engine_.state(); }
  // OK, or the last journal write's failure.
  Status journal_status() const { return journal_status_; }

 private:
  struct Timer {
    bool armed = false;
    std::int64_t at_ms = 0;
  };

  // Checks, order id and keys of a new sale; kOk to go on.
  Status prepare(engine::AmountEntered& sale);
  // Feeds events to the engine until the sale finishes (its outcome), or
  // the engine is left with nothing to wait for (kNone: a refusal).
  engine::Outcome drive(const engine::Event& first);
  // Sends one request with its secrets, then wipes them.
  engine::Event send(engine::RequestKind request);
  // Reads and checks a card into card_; the screen says why when not OK.
  Status read_card();
  // The engine's kReadCard: CardPresented with a fresh key, or CardAbsent.
  engine::Event read_card_again();
  // A key of the OTP prompt; an event when it completes one.
  std::optional<engine::Event> otp_key(hal::Key key);
  void wipe_otp();
  void wipe_secrets();  // the card and the OTP
  // Carries out one step's effects; returns the request to send, if any.
  engine::RequestKind execute(const engine::Effects& effects, bool& journal_ok, bool& finished,
                              engine::Outcome& outcome);
  void show(const engine::Screen& screen);
  bool write_journal(const engine::SaleRecord& record);
  // Waits for the earliest timer or the cancel key; nullopt if no timer is armed.
  std::optional<engine::Event> wait_next();
  void note_status(const engine::Event& answer);
  std::int64_t now_ms() { return static_cast<std::int64_t>(parts_.clock.monotonic_ms()); }
  std::uint32_t random_u32();

  RunnerParts parts_;
  RunnerSettings settings_;
  Logger* log_;
  SaleObserver* observer_;
  engine::SaleEngine engine_;
  Timer timers_[engine::kTimerCount];
  screens::QrCode qr_;
  bool qr_visible_ = false;
  std::int64_t qr_expiry_ms_ = 0;   // for the time left on the QR screen
  std::uint32_t shown_seconds_ = 0; // last time left drawn
  bool waiting_visible_ = false;
  std::uint32_t checks_ = 0;        // status checks of the current sale
  // Secrets: the card between its read and its Order Pay, the OTP between
  // its keys and SUBMIT_OTP. Wiped at once after either.
  card::CardData card_;
  static constexpr std::size_t kOtpMaxDigits = 8;
  static constexpr std::size_t kOtpMinDigits = 4;
  FixedString<kOtpMaxDigits> otp_;
  bool otp_prompt_visible_ = false;
  FixedString<hal::Display::kLineWidth> otp_prompt_;
  Status journal_status_;
  std::uint8_t journal_bytes_[engine::kJournalRecordSize];
};

}  // namespace posagent::agent
