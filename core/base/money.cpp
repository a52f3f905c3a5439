#include "core/base/money.hpp"

namespace posagent {

namespace {

constexpr Status kAmountInvalid(Code::kInvalidArgument, "amount invalid");
constexpr Status kAmountTooSmall(Code::kOutOfRange, "amount too small");
constexpr Status kAmountTooLarge(Code::kOutOfRange, "amount too large");

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr std::int64_t digit_value(char c) { return static_cast<std::int64_t>(c - '0'); }

}  // namespace

// Syntax is checked completely before any arithmetic, so a malformed string is
// always kInvalidArgument whatever its length. The value is then accumulated
// with an early stop above kMaxPaise: a digit string of any length can never
// overflow int64.
Result<Money> Money::parse(std::string_view text) {
  // JSON number syntax without sign, exponent or more than two decimals:
  //   int  = "0" | [1-9][0-9]*
  //   frac = "." [0-9]{1,2}
  std::size_t integer_end = 0;
  while (integer_end < text.size() && is_digit(text[integer_end])) ++integer_end;
  if (integer_end == 0) return kAmountInvalid;                          // "", ".5", "+1", "-1", "NaN"
  if (text[0] == '0' && integer_end > 1) return kAmountInvalid;         // "01": JSON forbids it
  std::size_t fraction_digits = 0;
  if (integer_end < text.size()) {
    if (text[integer_end] != '.') return kAmountInvalid;                // "1e3", "1 ", "1,5"
    // Not substr(): its bounds check would pull in libstdc++'s exception path.
    const std::string_view fraction(text.data() + integer_end + 1, text.size() - integer_end - 1);
    if (fraction.empty() || fraction.size() > 2) return kAmountInvalid; // "5.", "1.005"
    for (char c : fraction) {
      if (!is_digit(c)) return kAmountInvalid;
    }
    fraction_digits = fraction.size();
  }

  constexpr std::int64_t kMaxRupees = kMaxPaise / 100;
  std::int64_t rupees = 0;
  for (std::size_t i = 0; i < integer_end; ++i) {
    rupees = rupees * 10 + digit_value(text[i]);
    // rupees <= kMaxRupees * 10 + 9 here, far from int64's limit.
    if (rupees > kMaxRupees) return kAmountTooLarge;
  }
  std::int64_t paise = rupees * 100;
  if (fraction_digits >= 1) paise += digit_value(text[integer_end + 1]) * 10;
  if (fraction_digits == 2) paise += digit_value(text[integer_end + 2]);
  return from_paise(paise);
}

Result<Money> Money::from_paise(std::int64_t paise) {
  if (paise < kMinPaise) return kAmountTooSmall;
  if (paise > kMaxPaise) return kAmountTooLarge;
  return Money(paise);
}

FixedString<Money::kMaxTextLength> Money::format() const {
  // Written right to left into a local buffer: paise_ is within bounds (a
  // Money cannot be built otherwise), so at most 7 rupee digits + ".00".
  char digits[kMaxTextLength];
  std::size_t start = kMaxTextLength;
  std::int64_t rest = paise_;
  digits[--start] = static_cast<char>('0' + rest % 10);
  rest /= 10;
  digits[--start] = static_cast<char>('0' + rest % 10);
  rest /= 10;
  digits[--start] = '.';
  do {
    digits[--start] = static_cast<char>('0' + rest % 10);
    rest /= 10;
  } while (rest > 0 && start > 0);
  return FixedString<kMaxTextLength>(std::string_view(digits + start, kMaxTextLength - start));
}

}  // namespace posagent
