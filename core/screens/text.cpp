#include "core/screens/text.hpp"

#include <algorithm>

namespace posagent::screens {
namespace {

constexpr std::string_view kEllipsis = "...";
// wrap() fills at most this many lines: more than any screen has.
constexpr std::size_t kMaxWrapLines = 8;
// Cleaned text kept for shortening and wrapping. A wrapped line consumes at
// most kLineWidth + 1 characters (the line and one space), so while fewer
// than kMaxWrapLines lines are done the kept text still holds more than a
// line: the decision "fits or shorten" never depends on text cut off here.
constexpr std::size_t kCleanCapacity = kMaxWrapLines * (kLineWidth + 1) + 1;

struct Cleaned {
  FixedString<kCleanCapacity> text;
  bool more = false;  // the input went on beyond what text holds
};

constexpr bool is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

Cleaned clean(std::string_view in) {
  Cleaned out;
  bool pending_space = false;  // spaces are written only before a next character
  for (const char byte : in) {
    const auto c = static_cast<unsigned char>(byte);
    char shown;
    if (c >= 0xC0) {
      shown = '?';  // a UTF-8 lead byte: one '?' per character
    } else if (c >= 0x80) {
      continue;  // UTF-8 continuation byte
    } else if (is_space(c)) {
      pending_space = !out.text.empty();
      continue;
    } else if (c < 0x20 || c == 0x7f) {
      shown = '?';
    } else {
      shown = static_cast<char>(c);
    }
    const std::size_t need = pending_space ? 2 : 1;
    if (out.text.size() + need > out.text.capacity()) {
      out.more = true;
      break;
    }
    if (pending_space) (void)out.text.push_back(' ');
    (void)out.text.push_back(shown);
    pending_space = false;
  }
  return out;
}

std::string_view head(std::string_view text, std::size_t n) { return {text.data(), std::min(n, text.size())}; }

std::string_view tail(std::string_view text, std::size_t from) {
  return from >= text.size() ? std::string_view() : std::string_view(text.data() + from, text.size() - from);
}

// text as one line of at most width characters (width <= kLineWidth).
Line fit(std::string_view text, bool more, std::size_t width) {
  Line line;
  if (!more && text.size() <= width) {
    (void)line.assign(text);
    return line;
  }
  if (width <= kEllipsis.size()) {
    (void)line.assign(head(text, width));  // no room for "...": cut
    return line;
  }
  std::string_view kept = head(text, width - kEllipsis.size());
  while (!kept.empty() && kept.back() == ' ') kept.remove_suffix(1);
  (void)line.assign(kept);
  (void)line.append(kEllipsis);
  return line;
}

// Appends value's decimal digits.
void append_number(Line& line, std::uint32_t value, std::size_t min_digits) {
  char digits[10];
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  while (n < min_digits) digits[n++] = '0';
  while (n > 0) (void)line.push_back(digits[--n]);
}

}  // namespace

posagent::Result<Line> format_amount(std::int64_t paise) {
  if (paise < 0 || paise > kMaxShownPaise) return Status(Code::kOutOfRange, "amount not shown");
  // Right to left: two decimals, the point, then rupee digits with a comma
  // after the first three and after every two from there (12,34,567.89).
  char text[kLineWidth];
  std::size_t start = sizeof text;
  std::int64_t rest = paise;
  text[--start] = static_cast<char>('0' + rest % 10);
  rest /= 10;
  text[--start] = static_cast<char>('0' + rest % 10);
  rest /= 10;
  text[--start] = '.';
  int digits = 0;
  do {
    if (digits == 3 || (digits > 3 && digits % 2 == 1)) text[--start] = ',';
    text[--start] = static_cast<char>('0' + rest % 10);
    rest /= 10;
    ++digits;
  } while (rest > 0);
  Line line;
  (void)line.assign(kCurrency);
  (void)line.push_back(' ');
  (void)line.append(std::string_view(text + start, sizeof text - start));
  return line;
}

Line format_duration(std::uint32_t seconds) {
  constexpr std::uint32_t kMaxShown = 99 * 3600 + 59 * 60 + 59;
  seconds = std::min(seconds, kMaxShown);
  const std::uint32_t hours = seconds / 3600;
  const std::uint32_t minutes = seconds / 60 % 60;
  Line line;
  if (hours > 0) {
    append_number(line, hours, 1);
    (void)line.push_back(':');
    append_number(line, minutes, 2);
  } else {
    append_number(line, minutes, 1);
  }
  (void)line.push_back(':');
  append_number(line, seconds % 60, 2);
  return line;
}

Line shorten(std::string_view text, std::size_t width) {
  const Cleaned cleaned = clean(text);
  return fit(cleaned.text.view(), cleaned.more, std::min(width, kLineWidth));
}

std::size_t wrap(std::string_view text, std::span<Line> lines) {
  const std::size_t count = std::min(lines.size(), kMaxWrapLines);
  const Cleaned cleaned = clean(text);
  std::string_view rest = cleaned.text.view();
  std::size_t row = 0;
  for (; row < count && !rest.empty(); ++row) {
    if (rest.size() <= kLineWidth || row + 1 == count) {
      // The end of the text, or the last line: whatever is left, shortened.
      lines[row] = fit(rest, cleaned.more, kLineWidth);
      return row + 1;
    }
    // rest is longer than a line here. Break at the last space that keeps
    // the line within kLineWidth; a word longer than a line is split.
    std::size_t cut = kLineWidth;
    std::size_t skip = 0;
    if (rest[kLineWidth] == ' ') {
      skip = 1;
    } else {
      const std::size_t space = head(rest, kLineWidth).rfind(' ');
      if (space != std::string_view::npos && space > 0) {
        cut = space;
        skip = 1;
      }
    }
    (void)lines[row].assign(head(rest, cut));
    rest = tail(rest, cut + skip);
  }
  return row;
}

}  // namespace posagent::screens
