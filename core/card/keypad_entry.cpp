#include "core/card/keypad_entry.hpp"

#include <cstring>
#include <string_view>

#include "core/base/secure_wipe.hpp"
#include "core/card/card_check.hpp"

namespace posagent::card {

namespace {

constexpr std::size_t kShownCardDigits = 4;
constexpr const char* kTooFewDigits = "Too few digits";

using Line = FixedString<hal::Display::kLineWidth>;

// StringSpan has no wipe of its own; its storage is the writable buffer of a
// FixedString (capacity + 1 bytes, the last for the terminator), so casting
// the view's constness away is sound. Every byte, not only the current
// length, may have held a digit.
void wipe(StringSpan text) {
  secure_wipe(const_cast<char*>(text.view().data()), text.capacity() + 1);
  text.clear();
}

void echo(const DigitPrompt& prompt, std::string_view digits, Line& line) {
  const std::size_t shown_from = digits.size() > kShownCardDigits ? digits.size() - kShownCardDigits : 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    char c = digits[i];
    if (prompt.echo == DigitEcho::kHidden) c = '*';
    if (prompt.echo == DigitEcho::kCardNumber && i < shown_from) c = 'X';
    (void)line.push_back(c);
  }
}

void draw(hal::Display& display, const DigitPrompt& prompt, std::string_view digits, const char* hint) {
  Line line;
  echo(prompt, digits, line);
  display.clear();
  display.text(0, prompt.title);
  display.text(1, line.view());
  if (hint != nullptr && *hint != '\0') display.text(2, hint);
  display.present();
  secure_wipe(line.data(), Line::capacity());
}

bool is_digit_key(hal::Key key) { return key >= hal::Key::kDigit0 && key <= hal::Key::kDigit9; }

}  // namespace

Status read_digits(hal::Input& input, hal::Display& display, const DigitPrompt& prompt, StringSpan out,
                   hal::Millis deadline) {
  if (prompt.title == nullptr || std::strlen(prompt.title) > hal::Display::kLineWidth ||
      prompt.max_digits == 0 || prompt.min_digits > prompt.max_digits || prompt.max_digits > out.capacity() ||
      prompt.max_digits > hal::Display::kLineWidth) {
    return Status(Code::kInvalidArgument, "Bad digit prompt");
  }
  wipe(out);
  const char* hint = prompt.hint;
  for (;;) {
    draw(display, prompt, out.view(), hint);
    const hal::Key key = input.wait_key(deadline);
    hint = "";
    if (is_digit_key(key)) {
      if (out.size() < prompt.max_digits) (void)out.push_back(static_cast<char>(key));
    } else if (key == hal::Key::kClear) {
      // resize_down writes the terminator over the deleted digit.
      if (out.size() > 0) out.resize_down(out.size() - 1);
    } else if (key == hal::Key::kEnter) {
      if (out.size() >= prompt.min_digits) return Status::Ok();
      hint = kTooFewDigits;
    } else if (key == hal::Key::kCancel) {
      wipe(out);
      return Status(Code::kCancelled, "Cancelled");
    } else if (key == hal::Key::kNone) {
      wipe(out);
      return Status(Code::kTimeout, "Entry timed out");
    }
  }
}

Status enter_card(hal::Input& input, hal::Display& display, CardData& out, hal::Millis deadline) {
  out.wipe();
  const auto fail = [&out](Status status) {
    out.wipe();
    return status;
  };

  const char* hint = "";
  for (;;) {
    const DigitPrompt number{"Card number", kPanMinDigits, kPanMaxDigits, DigitEcho::kCardNumber, hint};
    const Status status = read_digits(input, display, number, out.number.span(), deadline);
    if (!status.ok()) return fail(status);
    if (luhn_valid(out.number.view())) break;
    hint = "Check card number";
  }

  hint = "";
  FixedString<4> mmyy;
  for (;;) {
    const DigitPrompt expiry{"Expiry MMYY", 4, 4, DigitEcho::kPlain, hint};
    const Status status = read_digits(input, display, expiry, mmyy.span(), deadline);
    if (!status.ok()) return fail(status);
    if (parse_expiry(mmyy.view(), out)) break;
    hint = "Check expiry date";
  }
  wipe(mmyy.span());

  const bool amex = card_network(out.number.view()) == CardNetwork::kAmex;
  const std::uint8_t cvv_digits = amex ? 4 : 3;
  const DigitPrompt cvv{amex ? "CVV (4 digits)" : "CVV", cvv_digits, cvv_digits, DigitEcho::kHidden};
  const Status status = read_digits(input, display, cvv, out.cvv.span(), deadline);
  if (!status.ok()) return fail(status);
  return Status::Ok();
}

}  // namespace posagent::card
