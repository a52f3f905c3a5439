// Text for the terminal's 20-character lines: amounts from integer paise,
// durations, and text from elsewhere (payee names, gateway reasons, error
// messages) cleaned and shortened or wrapped so that no line ever overflows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/money.hpp"
#include "core/base/status.hpp"
#include "hal/display.hpp"

namespace posagent::screens {

inline constexpr std::size_t kLineWidth = hal::Display::kLineWidth;
// One display line; the capacity makes overflow impossible by construction.
using Line = FixedString<kLineWidth>;

// The currency is written "Rs", not with the rupee sign: U+20B9 is three
// bytes of UTF-8, which the ASCII display lines (and the character ROMs of
// many small LCDs) cannot show, and would break the 20-column count.
inline constexpr std::string_view kCurrency = "Rs";

// Screens show amounts from 0.00 (an amount being typed) up to the gateway's
// largest order, 10,00,000.00.
inline constexpr std::int64_t kMaxShownPaise = Money::kMaxPaise;

// "Rs 499.00", "Rs 99,999.99", "Rs 10,00,000.00": rupees with Indian digit
// grouping (lakh, crore: how Indian cashiers read amounts) and exactly two
// decimals; at most 15 characters. kOutOfRange outside [0, kMaxShownPaise].
posagent::Result<Line> format_amount(std::int64_t paise);

// "0:05", "4:59", "1:04:59": minutes and seconds, with hours from one hour
// on; shown as "99:59:59" from there up.
Line format_duration(std::uint32_t seconds);

// One line of text from elsewhere. The text is cleaned first: printable ASCII
// stays; tabs and line breaks become spaces; any other control byte becomes
// '?'; a UTF-8 sequence (a non-ASCII character) becomes one '?'; runs of
// spaces become one, and leading and trailing spaces go. Cleaned text longer
// than `width` (at most kLineWidth) is cut to width - 3 characters, trailing
// spaces dropped, and ends in "...".
Line shorten(std::string_view text, std::size_t width = kLineWidth);

// Text cleaned as by shorten() and wrapped greedily at spaces over at most
// lines.size() lines; a word longer than a line is split. If the text needs
// more lines, the last one is shortened ("..."). Returns the number of lines
// written (0 for empty text).
std::size_t wrap(std::string_view text, std::span<Line> lines);

}  // namespace posagent::screens
