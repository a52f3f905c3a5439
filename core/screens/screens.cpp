#include "core/screens/screens.hpp"

#include "core/screens/text.hpp"

namespace posagent::screens {
namespace {

constexpr std::uint8_t kWaitingRows = 3;
constexpr std::uint8_t kErrorRows = 3;
constexpr std::string_view kUtrLabel = "UTR ";

Line time_left_line(std::uint32_t seconds_left) {
  Line line("Time left ");
  (void)line.append(format_duration(seconds_left).view());
  return line;
}

Line progress_line(std::uint32_t checks) {
  Line line;
  if (checks == 0) return line;
  (void)line.assign("Check ");
  char digits[10];
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + checks % 10);
    checks /= 10;
  } while (checks > 0);
  while (n > 0) (void)line.push_back(digits[--n]);
  return line;
}

std::string_view outcome_title(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPaid: return "PAID";
    case Outcome::kFailed: return "FAILED";
    case Outcome::kExpired: return "EXPIRED";
    case Outcome::kCancelled: return "CANCELLED";
    case Outcome::kUnknown: return "Result unknown";
    case Outcome::kAuthorized: return "AUTHORISED";
    case Outcome::kCaptured: return "CAPTURED";
    case Outcome::kVoided: return "VOIDED";
  }
  return "Result unknown";
}

// Rows of wrapped text from `first` on.
void draw_wrapped(hal::Display& display, std::uint8_t first, std::string_view text, Line* lines, std::uint8_t rows) {
  const std::size_t used = wrap(text, std::span<Line>(lines, rows));
  for (std::size_t i = 0; i < used; ++i) display.text(static_cast<std::uint8_t>(first + i), lines[i].view());
}

}  // namespace

Status draw(hal::Display& display, const AmountEntry& screen) {
  // Digits are checked and summed before anything is drawn; the sum stops
  // growing past the largest amount, so no digit string can overflow.
  std::int64_t paise = 0;
  for (const char c : screen.digits) {
    if (c < '0' || c > '9') return Status(Code::kInvalidArgument, "amount not digits");
    paise = paise * 10 + (c - '0');
    if (paise > kMaxShownPaise) return Status(Code::kOutOfRange, "amount too large");
  }
  const auto amount = format_amount(paise);
  if (!amount.ok()) return amount.status();
  display.clear();
  display.text(0, "Enter amount");
  display.text(1, amount->view());
  display.status("Enter to continue");
  display.present();
  return Status::Ok();
}

Status draw(hal::Display& display, const Qr& screen, QrCode& code) {
  const auto amount = format_amount(screen.amount_paise);
  if (!amount.ok()) return amount.status();
  // Checked before encoding: a refused screen must leave `code`, which the
  // display may still be showing, as it was.
  POSAGENT_TRY(QrCode::check(screen.intent));
  POSAGENT_TRY(code.encode(screen.intent));
  display.clear();
  display.bitmap(code.bitmap());
  display.text(0, shorten(screen.title).view());
  display.text(1, amount->view());
  const Line payee = shorten(screen.payee);
  if (!payee.empty()) display.text(2, payee.view());
  display.status(time_left_line(screen.seconds_left).view());
  display.present();
  return Status::Ok();
}

void update_time_left(hal::Display& display, std::uint32_t seconds_left) {
  display.status(time_left_line(seconds_left).view());
  display.present();
}

void draw(hal::Display& display, const Waiting& screen) {
  Line lines[kWaitingRows];
  display.clear();
  draw_wrapped(display, 0, screen.text, lines, kWaitingRows);
  display.status(progress_line(screen.checks).view());
  display.present();
}

void update_progress(hal::Display& display, std::uint32_t checks) {
  display.status(progress_line(checks).view());
  display.present();
}

Status draw(hal::Display& display, const Result& screen) {
  const auto amount = format_amount(screen.amount_paise);
  display.clear();
  display.text(0, outcome_title(screen.outcome));
  if (amount.ok()) display.text(1, amount->view());
  if (screen.outcome == Outcome::kUnknown) {
    // The money may have moved: the cashier must not take it again, and the
    // journal record stays until recovery asks the gateway.
    display.text(2, "Record kept");
    display.text(3, "Do not charge again");
    display.status("Run recover");
  } else if (screen.outcome == Outcome::kPaid) {
    const Line utr = shorten(screen.detail, kLineWidth - kUtrLabel.size());
    if (!utr.empty()) {
      Line line(kUtrLabel);
      (void)line.append(utr.view());
      display.text(2, line.view());
    }
    display.status("");
  } else {
    const Line reason = shorten(screen.detail);
    if (!reason.empty()) display.text(2, reason.view());
    display.status("");
  }
  display.present();
  return amount.ok() ? Status::Ok() : amount.status();
}

void draw(hal::Display& display, const OtpEntry& screen) {
  Line otp("OTP ");
  for (std::size_t i = 0; i < screen.digits && otp.size() < kLineWidth; ++i) (void)otp.push_back('*');
  display.clear();
  display.text(0, shorten(screen.prompt).view());
  display.text(1, otp.view());
  display.text(2, "Enter: submit");
  display.text(3, "Empty Enter: resend");
  display.status("");
  display.present();
}

void draw(hal::Display& display, const PresentCard& screen) {
  Line lines[kErrorRows - 1];
  display.clear();
  display.text(0, "Present card again");
  draw_wrapped(display, 1, screen.reason, lines, kErrorRows - 1);
  display.status("");
  display.present();
}

void draw(hal::Display& display, const Error& screen) {
  Line lines[kErrorRows];
  display.clear();
  display.text(0, "Error");
  draw_wrapped(display, 1, screen.text, lines, kErrorRows);
  display.status("");
  display.present();
}

}  // namespace posagent::screens
