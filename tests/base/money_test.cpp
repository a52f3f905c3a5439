#include <doctest/doctest.h>

#include <cstdint>
#include <string_view>

#include "core/base/money.hpp"
#include "tests/base/labeled.hpp"

using posagent::Code;
using posagent::Money;
using posagent::test::Labeled;

namespace {

// The parsed paise, or -1 (never a valid amount) when parsing failed.
Labeled<std::int64_t> paise_of(std::string_view text) {
  auto parsed = Money::parse(text);
  return {text, parsed.ok() ? parsed->paise() : -1};
}

// The refusal's code, or kOk when the text was accepted.
Labeled<Code> refusal_of(std::string_view text) {
  return {text, Money::parse(text).status().code()};
}

}  // namespace

TEST_CASE("Money::parse reads decimal rupees exactly") {
  CHECK(paise_of("2299.5") == 229950);
  CHECK(paise_of("2299.50") == 229950);
  CHECK(paise_of("10.15") == 1015);
  CHECK(paise_of("22") == 2200);
  CHECK(paise_of("1") == 100);
  CHECK(paise_of("1.0") == 100);
  CHECK(paise_of("1.01") == 101);
  CHECK(paise_of("1.1") == 110);
  CHECK(paise_of("999999.99") == 99999999);
  // Values that binary floating point cannot hold exactly.
  CHECK(paise_of("1.15") == 115);
  CHECK(paise_of("4.35") == 435);
  CHECK(paise_of("1000000") == 100'000'000);
  CHECK(paise_of("1000000.0") == 100'000'000);
  CHECK(paise_of("1000000.00") == 100'000'000);
}

TEST_CASE("Money::parse refuses text that is not a plain decimal") {
  for (std::string_view text :
       {"", "-1", "-1.00", "+1", "+1.00", "NaN", "nan", "Infinity", "-Infinity", "inf", "1e3", "1E3",
        "1.5e1", "1.005", "10.150", ".5", "5.", ".", "01", "00", "00.50", "007", " 1", "1 ", "1 .00",
        "1. 5", "1\t", "\n1", "1,00", "1.0.0", "1..0", "0x10", "1.-5", "1.+5", "\xe0\xa5\xa7"}) {
    CHECK(refusal_of(text) == Code::kInvalidArgument);
  }
  // An embedded NUL is not a terminator: the whole view is checked.
  CHECK(refusal_of(std::string_view("1\0", 2)) == Code::kInvalidArgument);
}

TEST_CASE("Money::parse refuses amounts outside the gateway's bounds") {
  CHECK(refusal_of("0") == Code::kOutOfRange);
  CHECK(refusal_of("0.0") == Code::kOutOfRange);
  CHECK(refusal_of("0.00") == Code::kOutOfRange);
  CHECK(refusal_of("0.99") == Code::kOutOfRange);
  CHECK(refusal_of("0.5") == Code::kOutOfRange);
  CHECK(paise_of("1.00") == Money::kMinPaise);
  CHECK(paise_of("1000000.00") == Money::kMaxPaise);
  CHECK(refusal_of("1000000.01") == Code::kOutOfRange);
  CHECK(refusal_of("1000001") == Code::kOutOfRange);
  CHECK(refusal_of("9999999.99") == Code::kOutOfRange);

  auto small = Money::parse("0.99");
  CHECK(std::string_view(small.status().message()) == "amount too small");
  auto large = Money::parse("1000000.01");
  CHECK(std::string_view(large.status().message()) == "amount too large");
  auto bad = Money::parse("1e3");
  CHECK(std::string_view(bad.status().message()) == "amount invalid");
}

TEST_CASE("Money::parse never overflows on huge digit strings") {
  // INT64_MAX is 9223372036854775807 (19 digits); these would wrap or be UB
  // with naive accumulation, and rupees * 100 overflows from 17 digits on.
  for (std::string_view text :
       {"92233720368547758", "9223372036854775807", "9223372036854775808", "18446744073709551616",
        "99999999999999999999999999999999999999999999999999", "92233720368547758.07",
        "184467440737095516.16", "100000000000000000000000.00"}) {
    CHECK(refusal_of(text) == Code::kOutOfRange);
  }
  // Too large, not wrapped around into "too small".
  CHECK(std::string_view(Money::parse("18446744073709551616").status().message()) == "amount too large");
  CHECK(std::string_view(Money::parse("92233720368547758.07").status().message()) == "amount too large");
  // Syntax errors are reported as such whatever the length.
  CHECK(refusal_of("99999999999999999999999999.999") == Code::kInvalidArgument);
  CHECK(refusal_of("99999999999999999999999999e1") == Code::kInvalidArgument);
}

TEST_CASE("Money::from_paise enforces the same bounds") {
  CHECK(Money::from_paise(Money::kMinPaise).ok());
  CHECK(Money::from_paise(Money::kMaxPaise).ok());
  CHECK(Money::from_paise(Money::kMinPaise - 1).status().code() == Code::kOutOfRange);
  CHECK(Money::from_paise(Money::kMaxPaise + 1).status().code() == Code::kOutOfRange);
  CHECK(Money::from_paise(0).status().code() == Code::kOutOfRange);
  CHECK(Money::from_paise(-100).status().code() == Code::kOutOfRange);
  CHECK(Money::from_paise(INT64_MIN).status().code() == Code::kOutOfRange);
  CHECK(Money::from_paise(INT64_MAX).status().code() == Code::kOutOfRange);
  CHECK(Money::from_paise(229950)->paise() == 229950);
}

TEST_CASE("Money::format writes rupees with exactly two decimals") {
  CHECK(Money::from_paise(229950)->format() == "2299.50");
  CHECK(Money::from_paise(100)->format() == "1.00");
  CHECK(Money::from_paise(101)->format() == "1.01");
  CHECK(Money::from_paise(110)->format() == "1.10");
  CHECK(Money::from_paise(1015)->format() == "10.15");
  CHECK(Money::from_paise(99999999)->format() == "999999.99");
  CHECK(Money::from_paise(Money::kMaxPaise)->format() == "1000000.00");
  CHECK(Money::from_paise(Money::kMaxPaise)->format().size() == Money::kMaxTextLength);
}

TEST_CASE("Money::format and Money::parse round-trip") {
  for (std::int64_t paise : {100LL, 101LL, 109LL, 110LL, 199LL, 1000LL, 12345LL, 99999999LL, 100000000LL}) {
    auto money = Money::from_paise(paise);
    REQUIRE(money.ok());
    CHECK(paise_of(money->format().view()) == paise);
  }
}

TEST_CASE("Money compares by value") {
  auto a = *Money::parse("10.15");
  auto b = *Money::parse("10.2");
  CHECK(a < b);
  CHECK(b > a);
  CHECK(a == *Money::from_paise(1015));
  CHECK(a != b);
}
