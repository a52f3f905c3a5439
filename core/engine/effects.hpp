// What the engine asks its runner to do, in order. The runner executes a
// step's effects first to last and stops at the first journal write that
// fails (a request must never go out unless its record is durable).
//
// Effects refer into the engine (the record, the QR's intent, reasons):
// they are valid until the next call to SaleEngine::handle.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/engine/events.hpp"
#include "core/engine/sale_record.hpp"

namespace posagent::engine {

enum class EffectKind : std::uint8_t {
  kWriteJournal,             // encode *record and replace the journal record
  kSendCreateOrder,          // POST /orders with record's order_id, amount, expiry, create_key
  kSendOrderPay,             // POST /orders/sessions with payment_session_id, pay_key
  kSendGetOrderAndPayments,  // GET /orders/{order_id} and /payments: answer StatusRead
  kSendTerminate,            // PATCH /orders/{order_id} with terminate_key
  kSendSubmitOtp,            // SUBMIT_OTP for cf_payment_id with the OTP the runner holds
  kSendResendOtp,            // RESEND_OTP for cf_payment_id
  kReadCard,                 // read and check the card again: answer CardPresented or CardAbsent
  kShowScreen,
  kClearQr,                  // take the QR off the display now
  kArmTimer,                 // (re)arm timer at monotonic at_ms; replaces an armed one
  kCancelTimer,
  kFinished,                 // the sale reached its outcome (UNKNOWN: parked)
};

enum class ScreenKind : std::uint8_t {
  kAmountEntry,
  kQr,       // text = intent (UPI) or 3-D Secure page (card); amount_paise; seconds_left until expiry
  kWaiting,  // text = what is happening
  kResult,   // outcome; text = UTR (PAID) or reason
  kError,    // text = short message
  kOtpEntry, // text = the prompt ("Enter OTP", "Wrong OTP, 2 left"); digits come from the keypad
  kPresentCard,  // text = why the card is needed again
};

struct Screen {
  ScreenKind kind = ScreenKind::kAmountEntry;
  Outcome outcome = Outcome::kNone;
  std::uint32_t seconds_left = 0;
  std::int64_t amount_paise = 0;
  std::string_view text;
};

struct Effect {
  EffectKind kind = EffectKind::kClearQr;
  TimerId timer = TimerId::kRequest;  // kArmTimer, kCancelTimer
  Outcome outcome = Outcome::kNone;   // kFinished
  std::int64_t at_ms = 0;             // kArmTimer
  // kWriteJournal and the kSend* effects: the engine's record, whose fields
  // the requests are built from.
  const SaleRecord* record = nullptr;
  Screen screen;  // kShowScreen
};

class Effects {
 public:
  // The longest step (finishing: three timers, QR, journal, result,
  // Finished) emits 7; tests assert no step overflows.
  static constexpr std::size_t kCapacity = 8;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Effect& operator[](std::size_t i) const { return items_[i]; }
  const Effect* begin() const { return items_.data(); }
  const Effect* end() const { return items_.data() + size_; }
  std::span<const Effect> view() const { return {items_.data(), size_}; }
  // A bug if ever true: an effect did not fit and was dropped.
  bool overflowed() const { return overflowed_; }

  void push(const Effect& effect) {
    if (size_ == kCapacity) {
      overflowed_ = true;
      return;
    }
    items_[size_++] = effect;
  }

 private:
  std::array<Effect, kCapacity> items_{};
  std::size_t size_ = 0;
  bool overflowed_ = false;
};

std::string_view effect_name(EffectKind kind);
// The request a kSend* or kReadCard effect asks for; kNone for the others.
RequestKind request_of(EffectKind kind);

}  // namespace posagent::engine
