// The terminal's screens, drawn through hal::Display.
//
// Each screen is a plain value; draw() clears the display, writes every line
// and presents. Lines never exceed hal::Display::kLineWidth: amounts are at
// most 15 characters, text from elsewhere is cleaned and shortened ("...") or
// wrapped (see text.hpp). Screens use at most kMaxRows text rows plus the
// status line, so a 128 x 64 graphic LCD (8 rows of 8 px) shows them whole.
// A draw() that fails draws nothing: the previous screen stays.
//
// Layouts (rows from the top; "status" is the display's status line):
//
//   AmountEntry   0 "Enter amount"   1 "Rs 499.00"        status "Enter to continue"
//   Qr            the QR code, then 0 "Scan to pay"  1 "Rs 499.00"  2 payee
//                 status "Time left 4:59"
//   Waiting       0-2 the text, wrapped                  status "Check 3"
//   Result        0 "PAID" | "FAILED" | "EXPIRED" | "CANCELLED"
//                 1 "Rs 499.00"   2 "UTR 512345678901" (PAID) or the reason
//   Result        0 "Result unknown"  1 "Rs 499.00"  2 "Record kept"
//     (UNKNOWN)   3 "Do not charge again"                status "Run recover"
//   Error         0 "Error"   1-3 the text, wrapped
//   OtpEntry      0 the prompt ("Enter OTP")  1 "OTP ******"  2 "Enter: submit"
//                 3 "Empty Enter: resend"
//   PresentCard   0 "Present card again"  1-2 why, wrapped
//   Qr (card)     as Qr, row 0 "Scan to verify card": the 3-D Secure page
#pragma once

#include <cstdint>
#include <string_view>

#include "core/base/status.hpp"
#include "core/screens/qr_code.hpp"
#include "hal/display.hpp"

namespace posagent::screens {

inline constexpr std::uint8_t kMaxRows = 4;

// The amount as the cashier types it, cash-register style: the digits are
// paise, so "49900" reads "Rs 499.00" and "" or "0" reads "Rs 0.00".
struct AmountEntry {
  std::string_view digits;
};
// kInvalidArgument for anything but digits; kOutOfRange above 10,00,000.00.
Status draw(hal::Display& display, const AmountEntry& screen);

// The payment QR code with the amount and payee under it, and the time left
// in the status line.
struct Qr {
  std::string_view intent;  // e.g. "upi://pay?pa=...", 1 to 512 bytes
  std::int64_t amount_paise;
  std::string_view payee;   // shortened to one line; may be empty
  std::uint32_t seconds_left;
  std::string_view title = "Scan to pay";  // one line
};
// Encodes the intent into `code` and draws it. `code` is the caller's (it
// holds the QR buffers) and must stay alive and unchanged while the display
// shows the screen: a display backend may read the bitmap when it presents.
// kInvalidArgument (empty intent), kCapacityExceeded (intent over 512
// bytes), kOutOfRange (amount); on failure neither the display nor `code`
// is touched, so a screen already showing `code` stays intact.
Status draw(hal::Display& display, const Qr& screen, QrCode& code);
// Rewrites only the status line of the Qr screen and presents: the QR code
// is not encoded or drawn again.
void update_time_left(hal::Display& display, std::uint32_t seconds_left);

// Waiting for the gateway; the status line counts the status checks.
struct Waiting {
  std::string_view text;  // e.g. "Checking payment"
  std::uint32_t checks;   // 0: no check yet, the status line stays empty
};
void draw(hal::Display& display, const Waiting& screen);
// Rewrites only the status line of the Waiting screen and presents.
void update_progress(hal::Display& display, std::uint32_t checks);

enum class Outcome : std::uint8_t { kPaid, kFailed, kExpired, kCancelled, kUnknown, kAuthorized, kCaptured, kVoided };

// The final outcome of a payment.
struct Result {
  Outcome outcome;
  std::int64_t amount_paise;
  // kPaid: the UTR (bank reference); other final outcomes: a short reason.
  // Either is shortened to one line and may be empty (no row). Not shown
  // for kUnknown, whose rows are fixed.
  std::string_view detail;
};
// Always draws the outcome. An amount outside [0, 10,00,000.00] leaves its
// row empty and returns kOutOfRange (a caller bug to log, not to hide the
// outcome for).
Status draw(hal::Display& display, const Result& screen);

struct Error {
  std::string_view text;  // wrapped over up to three rows
};
void draw(hal::Display& display, const Error& screen);

// The customer's OTP as the cashier keys it: only its length is shown.
struct OtpEntry {
  std::string_view prompt;  // "Enter OTP", "Wrong OTP, 2 left"
  std::size_t digits;       // typed so far
};
void draw(hal::Display& display, const OtpEntry& screen);

// The card is needed again (its data is wiped after every Order Pay).
struct PresentCard {
  std::string_view reason;  // "Check card number", "Bank busy, try again"
};
void draw(hal::Display& display, const PresentCard& screen);

}  // namespace posagent::screens
