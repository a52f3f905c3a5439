#include "core/base/timestamp.hpp"

namespace posagent {

namespace {

constexpr Status kTimestampInvalid(Code::kInvalidArgument, "timestamp invalid");
constexpr Status kTimeOutOfRange(Code::kOutOfRange, "time out of range");
constexpr Status kOffsetOutOfRange(Code::kOutOfRange, "offset out of range");

constexpr std::int64_t kSecondsPerDay = 86'400;

// Howard Hinnant's days_from_civil / civil_from_days: exact integer
// arithmetic over 400-year eras, valid for negative years and days too.
// (http://howardhinnant.github.io/date_algorithms.html)
constexpr std::int64_t days_from_civil_impl(std::int64_t year, std::uint32_t month, std::uint32_t day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<std::uint32_t>(year - era * 400);                  // [0, 399]
  const std::uint32_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;  // [0, 365]
  const std::uint32_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // [0, 146096]
  return era * 146'097 + static_cast<std::int64_t>(day_of_era) - 719'468;
}

constexpr std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  const std::int64_t quotient = value / divisor;
  return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient;
}

// The local (offset-applied) seconds that years kMinYear..kMaxYear cover.
constexpr std::int64_t kMinLocalSeconds = days_from_civil_impl(Timestamp::kMinYear, 1, 1) * kSecondsPerDay;
constexpr std::int64_t kMaxLocalSeconds =
    days_from_civil_impl(Timestamp::kMaxYear, 12, 31) * kSecondsPerDay + kSecondsPerDay - 1;
static_assert(kMinLocalSeconds == -62'167'219'200);
static_assert(kMaxLocalSeconds == 253'402'300'799);
static_assert(days_from_civil_impl(1970, 1, 1) == 0);

// The UTC seconds that some valid offset can bring into the local range.
constexpr std::int64_t kMinUnixSeconds = kMinLocalSeconds - Timestamp::kMaxOffsetMinutes * 60;
constexpr std::int64_t kMaxUnixSeconds = kMaxLocalSeconds + Timestamp::kMaxOffsetMinutes * 60;

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads text as a fixed-width field: cursor moves only on success.
class FieldReader {
 public:
  explicit FieldReader(std::string_view text) : text_(text) {}

  bool digits(std::size_t count, std::int32_t& value) {
    if (text_.size() - position_ < count) return false;
    std::int32_t result = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const char c = text_[position_ + i];
      if (!is_digit(c)) return false;
      result = result * 10 + (c - '0');
    }
    position_ += count;
    value = result;
    return true;
  }
  bool literal(char expected) {
    if (position_ >= text_.size() || text_[position_] != expected) return false;
    ++position_;
    return true;
  }
  bool peek(char& c) const {
    if (position_ >= text_.size()) return false;
    c = text_[position_];
    return true;
  }
  // Consumes a run of digits; returns how many.
  std::size_t digit_run() {
    std::size_t count = 0;
    while (position_ < text_.size() && is_digit(text_[position_])) {
      ++position_;
      ++count;
    }
    return count;
  }
  bool at_end() const { return position_ == text_.size(); }

 private:
  std::string_view text_;
  std::size_t position_ = 0;
};

void write_digits(StringSpan out, std::int64_t value, std::size_t width) {
  char digits[4] = {'0', '0', '0', '0'};
  for (std::size_t i = width; i > 0; --i) {
    digits[i - 1] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  (void)out.append(std::string_view(digits, width));
}

}  // namespace

bool is_leap_year(std::int32_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

std::uint8_t days_in_month(std::int32_t year, std::uint8_t month) {
  constexpr std::uint8_t kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[month - 1];
}

std::int64_t days_from_civil(CivilDate date) {
  return days_from_civil_impl(date.year, date.month, date.day);
}

CivilDate civil_from_days(std::int64_t days_since_epoch) {
  const std::int64_t days = days_since_epoch + 719'468;
  const std::int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
  const auto day_of_era = static_cast<std::uint32_t>(days - era * 146'097);                              // [0, 146096]
  const std::uint32_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;             // [0, 399]
  const std::uint32_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);  // [0, 365]
  const std::uint32_t shifted_month = (5 * day_of_year + 2) / 153;                                     // [0, 11], March = 0
  const std::uint32_t day = day_of_year - (153 * shifted_month + 2) / 5 + 1;                           // [1, 31]
  const std::uint32_t month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;             // [1, 12]
  const std::int64_t year = static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0);
  return CivilDate{static_cast<std::int32_t>(year), static_cast<std::uint8_t>(month), static_cast<std::uint8_t>(day)};
}

Result<Timestamp> Timestamp::parse(std::string_view text) {
  FieldReader reader(text);
  std::int32_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!reader.digits(4, year) || !reader.literal('-') || !reader.digits(2, month) || !reader.literal('-') ||
      !reader.digits(2, day)) {
    return kTimestampInvalid;
  }
  if (!reader.literal('T') && !reader.literal(' ')) return kTimestampInvalid;
  if (!reader.digits(2, hour) || !reader.literal(':') || !reader.digits(2, minute) || !reader.literal(':') ||
      !reader.digits(2, second)) {
    return kTimestampInvalid;
  }
  if (reader.literal('.')) {
    // Up to nanoseconds; more digits than that is not a timestamp we expect.
    const std::size_t fraction_digits = reader.digit_run();
    if (fraction_digits == 0 || fraction_digits > 9) return kTimestampInvalid;
  }

  std::int32_t offset_minutes = 0;
  bool offset_in_range = true;
  if (!reader.literal('Z')) {
    char sign = 0;
    if (!reader.peek(sign) || (sign != '+' && sign != '-')) return kTimestampInvalid;
    (void)reader.literal(sign);
    std::int32_t offset_hours = 0, offset_minute_part = 0;
    if (!reader.digits(2, offset_hours) || !reader.literal(':') || !reader.digits(2, offset_minute_part)) {
      return kTimestampInvalid;
    }
    offset_minutes = offset_hours * 60 + offset_minute_part;
    offset_in_range = offset_minute_part <= 59 && offset_minutes <= kMaxOffsetMinutes;
    if (sign == '-') offset_minutes = -offset_minutes;
  }
  if (!reader.at_end()) return kTimestampInvalid;

  // Shape first, then ranges: "2021-13-01T..." is well formed but impossible.
  if (!offset_in_range) return kOffsetOutOfRange;
  if (month < 1 || month > 12) return kTimeOutOfRange;
  if (day < 1 || day > days_in_month(year, static_cast<std::uint8_t>(month))) return kTimeOutOfRange;
  if (hour > 23 || minute > 59 || second > 60) return kTimeOutOfRange;
  if (second == 60) second = 59;  // a leap second; see the header

  const std::int64_t local_seconds =
      days_from_civil_impl(year, static_cast<std::uint32_t>(month), static_cast<std::uint32_t>(day)) * kSecondsPerDay +
      hour * 3600 + minute * 60 + second;
  // Four-digit years keep local_seconds within the local range by construction.
  return Timestamp(local_seconds - offset_minutes * 60, static_cast<std::int16_t>(offset_minutes));
}

Result<Timestamp> Timestamp::from_unix_seconds(std::int64_t unix_seconds, std::int32_t offset_minutes) {
  if (offset_minutes < -kMaxOffsetMinutes || offset_minutes > kMaxOffsetMinutes) return kOffsetOutOfRange;
  // Checked before adding the offset, so the sum below cannot overflow.
  if (unix_seconds < kMinUnixSeconds || unix_seconds > kMaxUnixSeconds) return kTimeOutOfRange;
  const std::int64_t local_seconds = unix_seconds + offset_minutes * 60;
  if (local_seconds < kMinLocalSeconds || local_seconds > kMaxLocalSeconds) return kTimeOutOfRange;
  return Timestamp(unix_seconds, static_cast<std::int16_t>(offset_minutes));
}

Result<Timestamp> Timestamp::plus_seconds(std::int64_t seconds) const {
  // unix_seconds_ is within +-2^39, so refusing |seconds| beyond the whole
  // representable span keeps the sum from overflowing.
  constexpr std::int64_t kSpan = kMaxUnixSeconds - kMinUnixSeconds;
  if (seconds > kSpan || seconds < -kSpan) return kTimeOutOfRange;
  return from_unix_seconds(unix_seconds_ + seconds, offset_minutes_);
}

FixedString<Timestamp::kMaxTextLength> Timestamp::format() const {
  const std::int64_t local_seconds = unix_seconds_ + offset_minutes_ * 60;
  const std::int64_t days = floor_div(local_seconds, kSecondsPerDay);
  const std::int64_t second_of_day = local_seconds - days * kSecondsPerDay;
  const CivilDate date = civil_from_days(days);

  FixedString<kMaxTextLength> text;
  StringSpan out = text.span();
  // Every piece has a fixed width and the total is kMaxTextLength at most,
  // so no append below can fail.
  write_digits(out, date.year, 4);
  (void)out.push_back('-');
  write_digits(out, date.month, 2);
  (void)out.push_back('-');
  write_digits(out, date.day, 2);
  (void)out.push_back('T');
  write_digits(out, second_of_day / 3600, 2);
  (void)out.push_back(':');
  write_digits(out, second_of_day / 60 % 60, 2);
  (void)out.push_back(':');
  write_digits(out, second_of_day % 60, 2);
  if (offset_minutes_ == 0) {
    (void)out.push_back('Z');
  } else {
    const std::int32_t magnitude = offset_minutes_ < 0 ? -offset_minutes_ : offset_minutes_;
    (void)out.push_back(offset_minutes_ < 0 ? '-' : '+');
    write_digits(out, magnitude / 60, 2);
    (void)out.push_back(':');
    write_digits(out, magnitude % 60, 2);
  }
  return text;
}

}  // namespace posagent
