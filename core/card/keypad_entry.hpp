// Reading digits, and a whole key-entered card, from the terminal's keypad.
// The screen never shows a full card number or a CVV.
#pragma once

#include <cstdint>

#include "core/base/fixed_string.hpp"
#include "core/base/status.hpp"
#include "core/card/card_data.hpp"
#include "hal/display.hpp"
#include "hal/input.hpp"

namespace posagent::card {

enum class DigitEcho : std::uint8_t {
  kPlain,       // the digits as typed (an expiry date)
  kHidden,      // one '*' per digit (a CVV)
  kCardNumber,  // 'X' per digit, only the last four typed shown
};

struct DigitPrompt {
  const char* title;  // row 0, at most 20 characters
  std::uint8_t min_digits;
  std::uint8_t max_digits;  // at most out's capacity, at most 20
  DigitEcho echo;
  const char* hint = "";  // row 2 until the first key: why we ask again
};

// Digits append (beyond max_digits they are ignored), Clear deletes the last
// one, Enter accepts when min_digits..max_digits were typed (else it shows a
// hint and waits on). Cancel is kCancelled, the deadline passing (Key::kNone)
// is kTimeout, and then out is wiped. kInvalidArgument when the prompt does
// not fit out or the screen.
Status read_digits(hal::Input& input, hal::Display& display, const DigitPrompt& prompt, StringSpan out,
                   hal::Millis deadline);

// A key-entered card: number (asked again until it passes Luhn), expiry MMYY
// (asked again until the month is 01..12), then the CVV (4 digits on Amex,
// else 3). Whether the card has expired is check_card's job. On any failure
// out is wiped.
Status enter_card(hal::Input& input, hal::Display& display, CardData& out, hal::Millis deadline);

}  // namespace posagent::card
