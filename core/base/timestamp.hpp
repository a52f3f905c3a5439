// A point in time as the gateway writes it: ISO-8601 / RFC 3339 with a UTC
// offset ("2021-07-02T10:20:12+05:30"). Kept as UTC seconds since the Unix
// epoch plus the offset it was written with, so it compares as an instant and
// formats back the way it came.
//
// Calendar arithmetic is our own (days-from-civil, proleptic Gregorian): no
// libc time functions, since timegm/gmtime are OS facilities that bare-metal
// targets do not have, and mktime depends on a local time zone.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/status.hpp"

namespace posagent {

// A date in the proleptic Gregorian calendar.
struct CivilDate {
  std::int32_t year;
  std::uint8_t month;  // 1..12
  std::uint8_t day;    // 1..days_in_month(year, month)
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

bool is_leap_year(std::int32_t year);
// Precondition: month in 1..12.
std::uint8_t days_in_month(std::int32_t year, std::uint8_t month);
// Days since 1970-01-01 (negative before it), for a valid date.
std::int64_t days_from_civil(CivilDate date);
// The inverse of days_from_civil.
CivilDate civil_from_days(std::int64_t days_since_epoch);

class Timestamp {
 public:
  // "2021-07-02T10:20:12+05:30"
  static constexpr std::size_t kMaxTextLength = 25;
  // Real-world offsets span -12:00..+14:00; both directions are allowed to
  // 14:00, as RFC 3339 does not restrict them further.
  static constexpr std::int32_t kMaxOffsetMinutes = 14 * 60;
  // The local (offset-applied) time must fall in years 0000..9999, the range
  // four year digits can write.
  static constexpr std::int32_t kMinYear = 0;
  static constexpr std::int32_t kMaxYear = 9999;

  // Accepts YYYY-MM-DD('T'|' ')HH:MM:SS[.fraction]('Z'|'+HH:MM'|'-HH:MM'):
  //   "2021-07-02T10:20:12+05:30", "2021-07-02T10:20:12Z",
  //   "2021-07-02T10:20:12.123+05:30" (1..9 fraction digits, ignored),
  //   "2023-08-11 18:02:46+05:30" (the space form in Cashfree responses).
  // Refuses (kInvalidArgument) any other shape: a missing offset (the
  // instant would be ambiguous), "+0530", lowercase 't'/'z', whitespace.
  // Refuses (kOutOfRange) fields outside their ranges: month 1..12, day in
  // the month (leap years counted), hour 0..23, minute 0..59, second 0..60,
  // offset within +-14:00 with minutes 0..59.
  // A leap second (":60") is read as ":59" of the same minute: Unix time has
  // no leap seconds, and this keeps the date and minute as written.
  // "-00:00" (RFC 3339's "offset unknown") is read as UTC.
  static Result<Timestamp> parse(std::string_view text);

  // kOutOfRange when the offset exceeds +-14:00 or the local time falls
  // outside years kMinYear..kMaxYear.
  static Result<Timestamp> from_unix_seconds(std::int64_t unix_seconds, std::int32_t offset_minutes = 0);

  std::int64_t unix_seconds() const { return unix_seconds_; }
  std::int32_t offset_minutes() const { return offset_minutes_; }

  // The same instant moved by seconds (negative moves back), keeping the
  // offset. kOutOfRange when the result leaves the representable range.
  Result<Timestamp> plus_seconds(std::int64_t seconds) const;
  // this - earlier, in seconds (never overflows within the supported range).
  std::int64_t seconds_since(Timestamp earlier) const { return unix_seconds_ - earlier.unix_seconds_; }

  // Local time with the original offset, "2021-07-02T10:20:12+05:30". A zero
  // offset is written "Z" (RFC 3339's UTC form), so "+00:00" and "-00:00"
  // come back as "Z". Fractional seconds are not kept.
  FixedString<kMaxTextLength> format() const;

  // Comparisons are of instants (UTC seconds): the offset is ignored, so
  // 10:20:12+05:30 == 04:50:12Z.
  friend bool operator==(Timestamp a, Timestamp b) { return a.unix_seconds_ == b.unix_seconds_; }
  friend std::strong_ordering operator<=>(Timestamp a, Timestamp b) { return a.unix_seconds_ <=> b.unix_seconds_; }

 private:
  constexpr Timestamp(std::int64_t unix_seconds, std::int16_t offset_minutes)
      : unix_seconds_(unix_seconds), offset_minutes_(offset_minutes) {}
  std::int64_t unix_seconds_;
  std::int16_t offset_minutes_;
};

}  // namespace posagent
