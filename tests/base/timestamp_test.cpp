#include <doctest/doctest.h>

#include <cstdint>
#include <string_view>

#include "core/base/timestamp.hpp"
#include "tests/base/labeled.hpp"

using posagent::CivilDate;
using posagent::Code;
using posagent::Timestamp;
using posagent::test::Labeled;

namespace {

// Sentinel for "refused": no accepted timestamp is this far back.
constexpr std::int64_t kRefused = INT64_MIN;

Labeled<std::int64_t> unix_of(std::string_view text) {
  auto parsed = Timestamp::parse(text);
  return {text, parsed.ok() ? parsed->unix_seconds() : kRefused};
}

Labeled<Code> refusal_of(std::string_view text) { return {text, Timestamp::parse(text).status().code()}; }

// parse then format, or "" when refused.
Labeled<std::string_view> reformat(std::string_view text, posagent::FixedString<Timestamp::kMaxTextLength>& out) {
  auto parsed = Timestamp::parse(text);
  out.clear();
  if (parsed.ok()) out = parsed->format();
  return {text, out.view()};
}

}  // namespace

// Expected values come from Python's datetime.fromisoformat(...).timestamp().
TEST_CASE("Timestamp::parse reads Cashfree's ISO-8601 forms") {
  CHECK(unix_of("2021-07-02T10:20:12+05:30") == 1625201412);
  CHECK(unix_of("2021-07-02T10:20:12Z") == 1625221212);
  CHECK(unix_of("2021-07-02T10:20:12+00:00") == 1625221212);
  CHECK(unix_of("2021-07-02T10:20:12-00:00") == 1625221212);
  CHECK(unix_of("2021-07-02T10:20:12.123+05:30") == 1625201412);
  CHECK(unix_of("2021-07-02T10:20:12.9Z") == 1625221212);  // fraction ignored, not rounded
  CHECK(unix_of("2021-07-02T10:20:12.123456789Z") == 1625221212);
  CHECK(unix_of("2023-08-11 18:02:46+05:30") == 1691757166);
  CHECK(unix_of("1970-01-01T00:00:00Z") == 0);
  CHECK(unix_of("1969-12-31T23:59:59Z") == -1);
  CHECK(unix_of("2000-02-29T00:00:00Z") == 951782400);
  CHECK(unix_of("2024-02-29T23:59:59-14:00") == 1709301599);
  CHECK(unix_of("2038-01-19T03:14:08Z") == 2147483648LL);  // past 32-bit time_t
  CHECK(unix_of("2100-03-01T00:00:00+14:00") == 4107492000LL);
  CHECK(unix_of("0001-01-01T00:00:00Z") == -62135596800LL);
  CHECK(unix_of("0000-01-01T00:00:00Z") == -62167219200LL);
  CHECK(unix_of("9999-12-31T23:59:59Z") == 253402300799LL);

  auto parsed = Timestamp::parse("2021-07-02T10:20:12+05:30");
  REQUIRE(parsed.ok());
  CHECK(parsed->offset_minutes() == 330);
  CHECK(Timestamp::parse("2021-07-02T10:20:12-03:45")->offset_minutes() == -225);
  CHECK(Timestamp::parse("2021-07-02T10:20:12Z")->offset_minutes() == 0);
}

TEST_CASE("Timestamp::parse refuses other shapes as invalid") {
  for (std::string_view text : {
           "",
           "2021-07-02",                      // no time
           "2021-07-02T10:20:12",             // no offset: ambiguous instant
           "2021-07-02 10:20:12",
           "2021-07-02T10:20+05:30",          // no seconds
           "2021-07-02T10:20:12+0530",        // offset without colon
           "2021-07-02T10:20:12+05",
           "2021-07-02T10:20:12+5:30",
           "2021-07-02T10:20:12 +05:30",
           "2021-07-02T10:20:12z",
           "2021-07-02t10:20:12Z",
           "2021-07-02_10:20:12Z",
           "2021-07-02T10:20:12.Z",           // empty fraction
           "2021-07-02T10:20:12.1234567890Z", // more than nanoseconds
           "2021-07-02T10:20:12,5Z",
           "2021-7-02T10:20:12Z",
           "21-07-02T10:20:12Z",
           "+2021-07-02T10:20:12Z",
           "-2021-07-02T10:20:12Z",
           "20210702T102012Z",
           " 2021-07-02T10:20:12Z",
           "2021-07-02T10:20:12Z ",
           "2021-07-02T10:20:12Z\n",
           "2021-07-02T10:20:12ZZ",
           "2021-07-02T10:20:12+05:30Z",
           "2021-07-02T10:20:12+05:30:00",
           "2021-07-02T1a:20:12Z",
           "2021-07-02T10:20:12+0a:30",
           "2021-07-02T-1:20:12Z",
           "2021-07-02T10:20:12\xe2\x88\x92" "05:30",  // U+2212 minus sign
       }) {
    CHECK(refusal_of(text) == Code::kInvalidArgument);
  }
  CHECK(refusal_of(std::string_view("2021-07-02T10:20:12Z\0", 21)) == Code::kInvalidArgument);
  CHECK(std::string_view(Timestamp::parse("x").status().message()) == "timestamp invalid");
}

TEST_CASE("Timestamp::parse refuses fields outside their ranges") {
  for (std::string_view text : {
           "2021-00-02T10:20:12Z", "2021-13-02T10:20:12Z", "2021-99-02T10:20:12Z",
           "2021-07-00T10:20:12Z", "2021-07-32T10:20:12Z", "2021-04-31T10:20:12Z",
           "2021-06-31T10:20:12Z", "2021-09-31T10:20:12Z", "2021-11-31T10:20:12Z",
           "2021-02-29T10:20:12Z",  // not a leap year
           "1900-02-29T10:20:12Z",  // divisible by 100, not by 400
           "2100-02-29T10:20:12Z", "2024-02-30T10:20:12Z",
           "2021-07-02T24:00:00Z", "2021-07-02T10:60:12Z", "2021-07-02T10:20:61Z", "2021-07-02T10:20:99Z",
           "2021-07-02T10:20:12+14:01", "2021-07-02T10:20:12-14:01", "2021-07-02T10:20:12+15:00",
           "2021-07-02T10:20:12+05:60", "2021-07-02T10:20:12+99:99",
       }) {
    CHECK(refusal_of(text) == Code::kOutOfRange);
  }
  CHECK(std::string_view(Timestamp::parse("2021-13-02T10:20:12Z").status().message()) == "time out of range");
  CHECK(std::string_view(Timestamp::parse("2021-07-02T10:20:12+15:00").status().message()) == "offset out of range");
}

TEST_CASE("Timestamp::parse accepts the boundaries of each field") {
  CHECK(unix_of("2021-01-31T00:00:00Z") != kRefused);
  CHECK(unix_of("2021-12-31T23:59:59Z") != kRefused);
  CHECK(unix_of("2000-02-29T00:00:00Z") != kRefused);  // divisible by 400
  CHECK(unix_of("2024-02-29T00:00:00Z") != kRefused);
  CHECK(unix_of("2021-02-28T00:00:00Z") != kRefused);
  CHECK(unix_of("2021-04-30T00:00:00Z") != kRefused);
  CHECK(unix_of("2021-07-02T10:20:12+14:00") != kRefused);
  CHECK(unix_of("2021-07-02T10:20:12-14:00") != kRefused);
  CHECK(unix_of("2021-07-02T10:20:12+05:59") != kRefused);
  // A leap second reads as :59 of the same minute.
  CHECK(unix_of("2016-12-31T23:59:60Z") == unix_of("2016-12-31T23:59:59Z").value);
}

TEST_CASE("Timestamp::format writes the time as it was given") {
  posagent::FixedString<Timestamp::kMaxTextLength> out;
  CHECK(reformat("2021-07-02T10:20:12+05:30", out) == "2021-07-02T10:20:12+05:30");
  CHECK(reformat("2023-08-11 18:02:46+05:30", out) == "2023-08-11T18:02:46+05:30");
  CHECK(reformat("2021-07-02T10:20:12.123+05:30", out) == "2021-07-02T10:20:12+05:30");
  CHECK(reformat("2021-07-02T10:20:12Z", out) == "2021-07-02T10:20:12Z");
  CHECK(reformat("2021-07-02T10:20:12+00:00", out) == "2021-07-02T10:20:12Z");
  CHECK(reformat("2021-07-02T10:20:12-00:00", out) == "2021-07-02T10:20:12Z");
  CHECK(reformat("2021-07-02T01:02:03-03:45", out) == "2021-07-02T01:02:03-03:45");
  // The local date differs from the UTC date on both sides.
  CHECK(reformat("2021-01-01T00:00:00+14:00", out) == "2021-01-01T00:00:00+14:00");
  CHECK(reformat("2020-12-31T23:59:59-14:00", out) == "2020-12-31T23:59:59-14:00");
  CHECK(reformat("1969-12-31T23:59:59Z", out) == "1969-12-31T23:59:59Z");
  CHECK(reformat("0000-01-01T00:00:00Z", out) == "0000-01-01T00:00:00Z");
  CHECK(reformat("9999-12-31T23:59:59+14:00", out) == "9999-12-31T23:59:59+14:00");
  CHECK(reformat("0000-01-01T00:00:00-14:00", out) == "0000-01-01T00:00:00-14:00");
  CHECK(reformat("2024-02-29T12:00:00+05:30", out) == "2024-02-29T12:00:00+05:30");
  CHECK(Timestamp::from_unix_seconds(0)->format() == "1970-01-01T00:00:00Z");
  CHECK(Timestamp::from_unix_seconds(0, 330)->format() == "1970-01-01T05:30:00+05:30");
  CHECK(Timestamp::from_unix_seconds(-1, -60)->format() == "1969-12-31T22:59:59-01:00");
  CHECK(Timestamp::from_unix_seconds(1625201412, 330)->format().size() == Timestamp::kMaxTextLength);
}

TEST_CASE("Timestamp compares instants, not offsets") {
  auto india = *Timestamp::parse("2021-07-02T10:20:12+05:30");
  auto utc = *Timestamp::parse("2021-07-02T04:50:12Z");
  auto later = *Timestamp::parse("2021-07-02T04:50:13Z");
  CHECK(india == utc);
  CHECK_FALSE(india != utc);
  CHECK(india < later);
  CHECK(later > india);
  CHECK(india <= utc);
  CHECK(india >= utc);
  CHECK_FALSE(later < india);
  CHECK(later.seconds_since(india) == 1);
  CHECK(india.seconds_since(later) == -1);
  // Same local wall-clock text, different instants.
  CHECK(*Timestamp::parse("2021-07-02T10:20:12+05:30") < *Timestamp::parse("2021-07-02T10:20:12Z"));
}

TEST_CASE("Timestamp::from_unix_seconds checks the offset and the range") {
  auto made = Timestamp::from_unix_seconds(1625201412, 330);
  REQUIRE(made.ok());
  CHECK(made->unix_seconds() == 1625201412);
  CHECK(made->offset_minutes() == 330);
  CHECK(Timestamp::from_unix_seconds(0, 841).status().code() == Code::kOutOfRange);
  CHECK(Timestamp::from_unix_seconds(0, -841).status().code() == Code::kOutOfRange);
  CHECK(Timestamp::from_unix_seconds(0, 840).ok());
  CHECK(Timestamp::from_unix_seconds(0, -840).ok());
  CHECK(Timestamp::from_unix_seconds(INT64_MAX).status().code() == Code::kOutOfRange);
  CHECK(Timestamp::from_unix_seconds(INT64_MIN).status().code() == Code::kOutOfRange);
  CHECK(Timestamp::from_unix_seconds(INT64_MAX, 840).status().code() == Code::kOutOfRange);
  CHECK(Timestamp::from_unix_seconds(INT64_MIN, -840).status().code() == Code::kOutOfRange);
  // The last second of 9999 and the first of 0000, local time.
  CHECK(Timestamp::from_unix_seconds(253402300799LL).ok());
  CHECK(Timestamp::from_unix_seconds(253402300800LL).status().code() == Code::kOutOfRange);
  CHECK(Timestamp::from_unix_seconds(253402300799LL, 1).status().code() == Code::kOutOfRange);
  CHECK(Timestamp::from_unix_seconds(253402300799LL - 60, 1).ok());
  CHECK(Timestamp::from_unix_seconds(-62167219200LL).ok());
  CHECK(Timestamp::from_unix_seconds(-62167219201LL).status().code() == Code::kOutOfRange);
  CHECK(Timestamp::from_unix_seconds(-62167219200LL, -1).status().code() == Code::kOutOfRange);
}

TEST_CASE("Timestamp::plus_seconds moves the instant and keeps the offset") {
  auto start = *Timestamp::parse("2024-02-28T23:59:30+05:30");
  auto moved = start.plus_seconds(30 + 86400);
  REQUIRE(moved.ok());
  CHECK(moved->format() == "2024-03-01T00:00:00+05:30");
  CHECK(moved->seconds_since(start) == 86430);
  auto back = start.plus_seconds(-59 * 86400);
  REQUIRE(back.ok());
  CHECK(back->format() == "2023-12-31T23:59:30+05:30");
  CHECK(start.plus_seconds(0)->format() == "2024-02-28T23:59:30+05:30");
  CHECK(start.plus_seconds(INT64_MAX).status().code() == Code::kOutOfRange);
  CHECK(start.plus_seconds(INT64_MIN).status().code() == Code::kOutOfRange);
  auto last = *Timestamp::parse("9999-12-31T23:59:59Z");
  CHECK(last.plus_seconds(1).status().code() == Code::kOutOfRange);
  CHECK(last.plus_seconds(-1).ok());
  auto first = *Timestamp::parse("0000-01-01T00:00:00Z");
  CHECK(first.plus_seconds(-1).status().code() == Code::kOutOfRange);
  CHECK(first.seconds_since(last) == -62167219200LL - 253402300799LL);
}

TEST_CASE("days_from_civil matches a day-by-day count from 1900 to 2100") {
  // An independent oracle: walk the calendar one day at a time.
  std::int64_t expected = posagent::days_from_civil(CivilDate{1900, 1, 1});
  CHECK(expected == -25567);  // Python: (date(1900,1,1) - date(1970,1,1)).days
  int mismatches = 0;
  for (std::int32_t year = 1900; year <= 2100; ++year) {
    for (std::uint8_t month = 1; month <= 12; ++month) {
      const std::uint8_t days = posagent::days_in_month(year, month);
      for (std::uint8_t day = 1; day <= days; ++day) {
        const CivilDate date{year, month, day};
        if (posagent::days_from_civil(date) != expected) ++mismatches;
        if (!(posagent::civil_from_days(expected) == date)) ++mismatches;
        ++expected;
      }
    }
  }
  CHECK(mismatches == 0);
  CHECK(expected == posagent::days_from_civil(CivilDate{2101, 1, 1}));
}

TEST_CASE("civil_from_days inverts days_from_civil at the calendar's edges") {
  for (CivilDate date : {CivilDate{0, 1, 1}, CivilDate{0, 2, 29}, CivilDate{0, 12, 31}, CivilDate{1, 1, 1},
                         CivilDate{1600, 2, 29}, CivilDate{1969, 12, 31}, CivilDate{1970, 1, 1},
                         CivilDate{2000, 2, 29}, CivilDate{2000, 3, 1}, CivilDate{9999, 12, 31}, CivilDate{-1, 12, 31}}) {
    CHECK(posagent::civil_from_days(posagent::days_from_civil(date)) == date);
  }
  CHECK(posagent::days_from_civil(CivilDate{1970, 1, 1}) == 0);
  CHECK(posagent::days_from_civil(CivilDate{2000, 3, 1}) == 11017);
  CHECK(posagent::days_from_civil(CivilDate{1969, 12, 31}) == -1);
  CHECK(posagent::is_leap_year(2000));
  CHECK(posagent::is_leap_year(2024));
  CHECK_FALSE(posagent::is_leap_year(1900));
  CHECK_FALSE(posagent::is_leap_year(2023));
  CHECK(posagent::days_in_month(2023, 2) == 28);
  CHECK(posagent::days_in_month(2024, 2) == 29);
  CHECK(posagent::days_in_month(2024, 4) == 30);
  CHECK(posagent::days_in_month(2024, 12) == 31);
}
