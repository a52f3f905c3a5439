#include "core/agent/sale_runner.hpp"

#include "core/base/money.hpp"
#include "core/base/secure_wipe.hpp"
#include "core/base/timestamp.hpp"
#include "core/card/card_check.hpp"
#include "core/base/uuid.hpp"
#include "core/screens/screens.hpp"

namespace posagent::agent {

namespace {

using engine::EffectKind;
using engine::Outcome;
using engine::RequestKind;

constexpr std::string_view kTag = "sale";

screens::Outcome to_screen(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPaid: return screens::Outcome::kPaid;
    case Outcome::kFailed: return screens::Outcome::kFailed;
    case Outcome::kExpired: return screens::Outcome::kExpired;
    case Outcome::kCancelled: return screens::Outcome::kCancelled;
    case Outcome::kAuthorized: return screens::Outcome::kAuthorized;
    case Outcome::kUnknown:
    case Outcome::kNone: break;
  }
  return screens::Outcome::kUnknown;
}

std::string_view request_name(RequestKind request) {
  switch (request) {
    case RequestKind::kCreateOrder: return "create order";
    case RequestKind::kOrderPay: return "order pay";
    case RequestKind::kGetStatus: return "status";
    case RequestKind::kTerminate: return "terminate";
    case RequestKind::kSubmitOtp: return "submit OTP";
    case RequestKind::kResendOtp: return "resend OTP";
    case RequestKind::kReadCard: return "read card";
    case RequestKind::kNone: break;
  }
  return "none";
}

bool shows_screen_after(const engine::Effects& effects, const engine::Effect* from) {
  for (const engine::Effect* e = from + 1; e != effects.end(); ++e)
    if (e->kind == EffectKind::kShowScreen) return true;
  return false;
}

}  // namespace

SaleRunner::SaleRunner(const RunnerParts& parts, const RunnerSettings& settings, Logger* log,
                       SaleObserver* observer)
    : parts_(parts), settings_(settings), log_(log), observer_(observer), engine_(settings.times) {}

std::uint32_t SaleRunner::random_u32() {
  std::uint8_t bytes[4] = {};
  if (!parts_.entropy.fill(bytes).ok()) return 0;  // jitter only: any value works
  return static_cast<std::uint32_t>(bytes[0]) | static_cast<std::uint32_t>(bytes[1]) << 8 |
         static_cast<std::uint32_t>(bytes[2]) << 16 | static_cast<std::uint32_t>(bytes[3]) << 24;
}

PowerUpReport SaleRunner::power_up() {
  PowerUpReport report;
  engine::PowerUp boot;
  boot.wall_now_s = parts_.clock.unix_seconds();
  boot.seed = random_u32();
  boot.gateway = parts_.gateway.api();
  std::optional<engine::SaleRecord> journaled;
  const Result<std::size_t> read = parts_.storage.read(hal::RecordId::kJournal, journal_bytes_);
  if (read.ok()) {
    Result<engine::SaleRecord> decoded = engine::decode_record({journal_bytes_, *read});
    if (decoded.ok()) {
      journaled = *decoded;
      boot.record = &*journaled;
    } else {
      report.journal = decoded.status();
    }
  } else if (read.status().code() != Code::kNotFound) {
    report.journal = read.status();
  }
  if (!report.journal.ok() && log_ != nullptr) {
    log_->error(kTag, "journal unreadable ({}): no sale can be resumed from it", report.journal.message());
  }
  if (boot.record != nullptr && boot.record->unfinished() && boot.record->gateway != boot.gateway) {
    report.other_gateway = true;
    if (log_ != nullptr) {
      log_->error(kTag, "sale {} of {} paise was made on {}, this terminal now uses {}: kept, not resumed",
                  boot.record->order_id, boot.record->amount_paise, engine::gateway_api_name(boot.record->gateway),
                  engine::gateway_api_name(boot.gateway));
    }
  } else if (boot.record != nullptr && boot.record->unfinished()) {
    report.resumed = true;
    if (log_ != nullptr) {
      log_->info(kTag, "resuming sale {} of {} paise (state {}){}", boot.record->order_id,
                 boot.record->amount_paise, engine::state_name(boot.record->state),
                 boot.record->parked() ? ", parked as UNKNOWN" : "");
    }
  }
  report.outcome = drive(boot);
  return report;
}

Status SaleRunner::prepare(engine::AmountEntered& sale) {
  sale.wall_now_s = parts_.clock.unix_seconds();
  sale.gateway = parts_.gateway.api();
  if (sale.wall_now_s <= 0) {
    screens::draw(parts_.display, screens::Error{"Clock not set"});
    return Status(Code::kOutOfRange, "Clock not set");
  }
  if (engine_.record().parked()) {
    (void)drive(sale);  // the engine shows why
    return Status(Code::kUnavailable, "Last sale unresolved");
  }

  // The order id: prefix, local time, 4 random hex digits. The 'T' keeps
  // the digits in runs too short for the logger to mask as a card number.
  FixedString<kOrderPrefixCapacity> prefix;
  for (const char c : settings_.order_prefix.view())
    if (engine::is_order_id_char(c)) (void)prefix.push_back(c);
  if (prefix.empty()) (void)prefix.assign("POS");
  const Result<Timestamp> local = Timestamp::from_unix_seconds(sale.wall_now_s, settings_.utc_offset_minutes);
  const std::uint32_t tail = random_u32();
  if (!local.ok()) return local.status();
  const auto text = local->format();  // "2026-11-23T10:15:00+05:30"
  (void)sale.order_id.assign(prefix.view());
  (void)sale.order_id.push_back('-');
  for (std::size_t i = 2; i < 19; ++i) {
    const char c = text.view()[i];
    if (c >= '0' && c <= '9') (void)sale.order_id.push_back(c);
    if (c == 'T') (void)sale.order_id.push_back('T');
  }
  (void)sale.order_id.push_back('-');
  constexpr char kHex[] = "0123456789abcdef";
  for (int shift = 12; shift >= 0; shift -= 4) (void)sale.order_id.push_back(kHex[(tail >> shift) & 0xF]);

  // One key per operation, journaled with the sale before its first use.
  engine::IdempotencyKey* keys[] = {&sale.create_key, &sale.pay_key, &sale.terminate_key};
  for (engine::IdempotencyKey* key : keys) {
    const Result<FixedString<kUuidTextLength>> uuid = make_uuid_v4(parts_.entropy);
    if (!uuid.ok()) {
      screens::draw(parts_.display, screens::Error{"No random source"});
      return Status(Code::kIoError, "No random source");
    }
    (void)key->assign(uuid->view());
  }
  sale.seed = random_u32();
  return Status::Ok();
}

Result<Outcome> SaleRunner::sell(std::int64_t amount_paise) {
  engine::AmountEntered sale;
  sale.amount_paise = amount_paise;
  POSAGENT_TRY(prepare(sale));
  if (log_ != nullptr) log_->info(kTag, "sale {}: {} paise", sale.order_id, amount_paise);
  const Outcome outcome = drive(sale);
  if (outcome == Outcome::kNone) return Status(Code::kInvalidArgument, "Invalid amount");
  return outcome;
}

Result<Outcome> SaleRunner::sell_card(std::int64_t amount_paise, bool authorize_only) {
  engine::AmountEntered sale;
  sale.amount_paise = amount_paise;
  sale.kind = engine::RecordKind::kCardSale;
  sale.authorize_only = authorize_only;
  // The amount is checked before the card is asked for.
  if (!Money::from_paise(amount_paise).ok()) {
    screens::draw(parts_.display, screens::Error{"Invalid amount"});
    return Status(Code::kInvalidArgument, "Invalid amount");
  }
  POSAGENT_TRY(prepare(sale));
  const Status card = read_card();
  if (!card.ok()) {
    wipe_secrets();
    return card;
  }
  (void)sale.card_label.assign(card::card_label(card_).view());
  if (log_ != nullptr) {
    log_->info(kTag, "{} {}: {} paise, {}", authorize_only ? "pre-auth" : "card sale", sale.order_id, amount_paise,
               sale.card_label);
  }
  const Outcome outcome = drive(sale);
  wipe_secrets();  // a card never sent (cancel, refusal) goes too
  if (outcome == Outcome::kNone) return Status(Code::kInvalidArgument, "Invalid amount");
  return outcome;
}

Status SaleRunner::read_card() {
  card_.wipe();
  if (parts_.card_reader == nullptr) {
    screens::draw(parts_.display, screens::Error{"No card reader"});
    return Status(Code::kUnavailable, "No card reader");
  }
  screens::draw(parts_.display, screens::Waiting{"Present card", 0});
  const hal::Millis deadline = parts_.clock.monotonic_ms() + settings_.card_read_timeout_ms;
  const Status read = parts_.card_reader->read_card(card_, deadline);
  if (!read.ok()) {
    card_.wipe();
    screens::draw(parts_.display, screens::Error{read.message()});
    if (log_ != nullptr) log_->info(kTag, "no card: {}", read.message());
    return read;
  }
  // Expiry is judged in the terminal's local month.
  const std::int64_t local_s = parts_.clock.unix_seconds() + std::int64_t{settings_.utc_offset_minutes} * 60;
  const CivilDate today = civil_from_days(local_s / 86'400 - (local_s % 86'400 < 0 ? 1 : 0));
  const card::CardCheck check = card::check_card(card_, card::YearMonth{today.year, today.month});
  if (!check.ok()) {
    card_.wipe();
    screens::draw(parts_.display, screens::Error{check.screen_message});
    if (log_ != nullptr) log_->info(kTag, "card refused before sending: {}", check.screen_message);
    return Status(Code::kInvalidArgument, check.screen_message);
  }
  return Status::Ok();
}

engine::Event SaleRunner::read_card_again() {
  engine::Event answer;
  const Status read = read_card();
  if (!read.ok()) {
    (void)answer.emplace<engine::CardAbsent>().reason.assign(read.message());
    return answer;
  }
  const Result<FixedString<kUuidTextLength>> uuid = make_uuid_v4(parts_.entropy);
  if (!uuid.ok()) {
    card_.wipe();
    (void)answer.emplace<engine::CardAbsent>().reason.assign("No random source");
    return answer;
  }
  engine::CardPresented& presented = answer.emplace<engine::CardPresented>();
  (void)presented.pay_key.assign(uuid->view());
  (void)presented.card_label.assign(card::card_label(card_).view());
  return answer;
}

engine::Event SaleRunner::send(RequestKind request) {
  SaleSecrets secrets;
  if (request == RequestKind::kOrderPay && engine_.record().is_card()) secrets.card = &card_;
  if (request == RequestKind::kSubmitOtp) secrets.otp = otp_.view();
  engine::Event answer = parts_.gateway.send(request, engine_.record(), secrets);
  // On the wire (or refused): neither is needed again. A card Order Pay to
  // repeat asks for the card again; a wrong OTP is keyed again.
  if (request == RequestKind::kOrderPay || request == RequestKind::kSubmitOtp) wipe_secrets();
  return answer;
}

void SaleRunner::wipe_otp() {
  secure_wipe(std::span<char>(otp_.data(), otp_.capacity()));
  otp_.clear();
}

void SaleRunner::wipe_secrets() {
  card_.wipe();
  wipe_otp();
}

Result<Outcome> SaleRunner::recover() {
  if (!engine_.record().parked()) return Status(Code::kNotFound, "Nothing to recover");
  engine::RecoverRequested recover;
  recover.wall_now_s = parts_.clock.unix_seconds();
  recover.seed = random_u32();
  recover.gateway = parts_.gateway.api();
  if (engine_.record().gateway != recover.gateway) {
    (void)drive(recover);  // the engine shows why
    return Status(Code::kUnavailable, "Gateway changed");
  }
  return drive(recover);
}

Outcome SaleRunner::drive(const engine::Event& first) {
  // Each sale (new, resumed or recovered) starts with no timers and no checks.
  for (Timer& t : timers_) t = Timer{};
  checks_ = 0;
  std::optional<engine::Event> next = first;
  for (;;) {
    if (!next) {
      next = wait_next();
      if (!next) return Outcome::kNone;  // nothing armed: the engine is idle
    }
    const engine::Effects effects = engine_.handle(now_ms(), *next);
    next.reset();
    if (effects.overflowed() && log_ != nullptr) log_->error(kTag, "engine effects overflowed (a bug)");
    bool journal_ok = true;
    bool finished = false;
    Outcome outcome = Outcome::kNone;
    const RequestKind request = execute(effects, journal_ok, finished, outcome);
    if (request == RequestKind::kReadCard) {
      next = read_card_again();
    } else if (request != RequestKind::kNone) {
      if (journal_ok) {
        next = send(request);
        note_status(*next);
      } else {
        // Not sent: the record holding its key is not durable.
        engine::RequestFailed not_sent;
        not_sent.request = request;
        not_sent.failure = engine::FailureClass::kRetrySameKey;
        (void)not_sent.reason.assign("Storage failed");
        if (log_ != nullptr) log_->error(kTag, "{} not sent: the journal write failed", request_name(request));
        next = not_sent;
      }
    }
    if (finished) return outcome;
  }
}

RequestKind SaleRunner::execute(const engine::Effects& effects, bool& journal_ok, bool& finished,
                                Outcome& outcome) {
  RequestKind request = RequestKind::kNone;
  for (const engine::Effect& e : effects) {
    switch (e.kind) {
      case EffectKind::kWriteJournal:
        if (!write_journal(*e.record)) journal_ok = false;
        break;
      case EffectKind::kSendCreateOrder:
      case EffectKind::kSendOrderPay:
      case EffectKind::kSendGetOrderAndPayments:
      case EffectKind::kSendTerminate:
      case EffectKind::kSendSubmitOtp:
      case EffectKind::kSendResendOtp:
      case EffectKind::kReadCard: request = engine::request_of(e.kind); break;
      case EffectKind::kShowScreen: show(e.screen); break;
      case EffectKind::kClearQr:
        // A screen later in this step replaces the QR anyway; clearing
        // first would only flash an empty frame.
        if (!shows_screen_after(effects, &e)) {
          parts_.display.clear();
          parts_.display.present();
        }
        qr_visible_ = false;
        break;
      case EffectKind::kArmTimer:
        timers_[static_cast<std::size_t>(e.timer)] = Timer{true, e.at_ms};
        break;
      case EffectKind::kCancelTimer: timers_[static_cast<std::size_t>(e.timer)].armed = false; break;
      case EffectKind::kFinished:
        finished = true;
        outcome = e.outcome;
        if (log_ != nullptr) {
          const engine::SaleRecord& r = engine_.record();
          log_->info(kTag, "sale {}: {} {}", r.order_id, engine::outcome_name(e.outcome),
                     e.outcome == Outcome::kPaid ? r.utr.view() : r.reason.view());
        }
        wipe_secrets();
        if (observer_ != nullptr) observer_->on_finished(engine_.record());
        break;
    }
  }
  return request;
}

bool SaleRunner::write_journal(const engine::SaleRecord& record) {
  const Result<std::size_t> encoded = engine::encode_record(record, journal_bytes_);
  Status written = encoded.status();
  if (encoded.ok()) written = parts_.storage.replace(hal::RecordId::kJournal, {journal_bytes_, *encoded});
  journal_status_ = written;
  if (!written.ok() && log_ != nullptr) {
    log_->error(kTag, "journal write {} failed: {}", record.sequence, written.message());
  }
  return written.ok();
}

void SaleRunner::show(const engine::Screen& screen) {
  qr_visible_ = false;
  waiting_visible_ = false;
  otp_prompt_visible_ = false;
  switch (screen.kind) {
    case engine::ScreenKind::kAmountEntry: (void)screens::draw(parts_.display, screens::AmountEntry{""}); break;
    case engine::ScreenKind::kQr: {
      // A card's QR opens its 3-D Secure page on the customer's phone.
      const screens::Qr qr{screen.text, screen.amount_paise, settings_.payee.view(), screen.seconds_left,
                           engine_.record().is_card() ? "Scan to verify card" : "Scan to pay"};
      const Status drawn = screens::draw(parts_.display, qr, qr_);
      if (!drawn.ok()) {
        // The customer cannot pay this one; cancel (or expiry) ends it.
        if (log_ != nullptr) log_->error(kTag, "QR not drawn: {}", drawn.message());
        screens::draw(parts_.display, screens::Error{"Cannot show QR"});
        break;
      }
      qr_visible_ = true;
      shown_seconds_ = screen.seconds_left;
      qr_expiry_ms_ = now_ms() + std::int64_t{screen.seconds_left} * 1000;
      if (observer_ != nullptr) observer_->on_qr_shown(engine_.record());
      break;
    }
    case engine::ScreenKind::kWaiting:
      screens::draw(parts_.display, screens::Waiting{screen.text, 0});
      waiting_visible_ = true;
      break;
    case engine::ScreenKind::kResult: {
      const Status drawn =
          screens::draw(parts_.display, screens::Result{to_screen(screen.outcome), screen.amount_paise, screen.text});
      if (!drawn.ok() && log_ != nullptr) log_->warn(kTag, "result screen: {}", drawn.message());
      break;
    }
    case engine::ScreenKind::kError: screens::draw(parts_.display, screens::Error{screen.text}); break;
    case engine::ScreenKind::kOtpEntry:
      wipe_otp();
      (void)otp_prompt_.assign(screen.text.substr(0, otp_prompt_.capacity()));
      screens::draw(parts_.display, screens::OtpEntry{otp_prompt_.view(), 0});
      otp_prompt_visible_ = true;
      if (observer_ != nullptr) observer_->on_otp_prompt(otp_prompt_.view());
      break;
    case engine::ScreenKind::kPresentCard: screens::draw(parts_.display, screens::PresentCard{screen.text}); break;
  }
}

void SaleRunner::note_status(const engine::Event& answer) {
  const engine::StatusRead* read = std::get_if<engine::StatusRead>(&answer);
  if (read == nullptr) return;
  ++checks_;
  if (waiting_visible_) screens::update_progress(parts_.display, checks_);
  if (log_ != nullptr) {
    std::string_view payment = "none";
    for (std::size_t i = 0; i < read->attempt_count; ++i) {
      const engine::PaymentAttempt& a = read->attempts[i];
      if (a.cf_payment_id.empty() || a.cf_payment_id.view() == engine_.record().cf_payment_id.view()) {
        payment = engine::payment_status_name(a.status);
        break;
      }
    }
    const std::int64_t left_ms = qr_expiry_ms_ - now_ms();
    if (qr_visible_ && left_ms > 0) {
      log_->info(kTag, "check {}: order {}, payment {}, {} s left", checks_,
                 engine::order_status_name(read->order_status), payment, left_ms / 1000);
    } else {
      log_->info(kTag, "check {}: order {}, payment {}", checks_, engine::order_status_name(read->order_status),
                 payment);
    }
  }
  if (observer_ != nullptr) observer_->on_status(*read, checks_);
}

std::optional<engine::Event> SaleRunner::wait_next() {
  for (;;) {
    const std::int64_t now = now_ms();
    int due = -1;
    for (int i = 0; i < engine::kTimerCount; ++i) {
      if (timers_[i].armed && (due < 0 || timers_[i].at_ms < timers_[due].at_ms)) due = i;
    }
    if (due < 0) return std::nullopt;
    if (timers_[due].at_ms <= now) {
      timers_[due].armed = false;
      return engine::Event(engine::TimerFired{static_cast<engine::TimerId>(due)});
    }
    std::int64_t until = timers_[due].at_ms;
    if (qr_visible_) {
      // Wake on each whole second left, to redraw the time left.
      const std::int64_t left = qr_expiry_ms_ - now;
      const std::int64_t next_tick = now + (left > 0 ? (left % 1000 == 0 ? 1000 : left % 1000) : 1000);
      if (next_tick < until) until = next_tick;
    }
    const hal::Key key = parts_.input.wait_key(static_cast<hal::Millis>(until));
    if (key == hal::Key::kCancel) {
      if (log_ != nullptr) log_->info(kTag, "cancel pressed");
      return engine::Event(engine::CancelPressed{});
    }
    if (otp_prompt_visible_ && key != hal::Key::kNone) {
      if (std::optional<engine::Event> otp = otp_key(key)) return otp;
    }
    if (qr_visible_) {
      const std::int64_t left = qr_expiry_ms_ - now_ms();
      const std::uint32_t seconds = left > 0 ? static_cast<std::uint32_t>((left + 999) / 1000) : 0;
      if (seconds != shown_seconds_) {
        shown_seconds_ = seconds;
        screens::update_time_left(parts_.display, seconds);
      }
    }
  }
}

std::optional<engine::Event> SaleRunner::otp_key(hal::Key key) {
  const char c = static_cast<char>(key);
  if (c >= '0' && c <= '9') {
    (void)otp_.push_back(c);  // a digit past the longest OTP is dropped
  } else if (key == hal::Key::kClear) {
    if (!otp_.empty()) otp_.span().resize_down(otp_.size() - 1);
  } else if (key == hal::Key::kEnter) {
    if (otp_.empty()) {
      if (log_ != nullptr) log_->info(kTag, "OTP resend asked");
      return engine::Event(engine::OtpResendPressed{});
    }
    if (otp_.size() >= kOtpMinDigits) {
      if (log_ != nullptr) log_->info(kTag, "OTP entered ({} digits)", otp_.size());
      return engine::Event(engine::OtpEntered{});
    }
  }
  screens::draw(parts_.display, screens::OtpEntry{otp_prompt_.view(), otp_.size()});
  return std::nullopt;
}

}  // namespace posagent::agent
