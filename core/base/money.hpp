// Money as an integer number of paise (1 rupee = 100 paise). Never floating
// point: amounts are parsed from and formatted to decimal text exactly.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/status.hpp"

namespace posagent {

class Money {
 public:
  // The gateway's order amount bounds: at least 1.00, at most 10,00,000.00.
  static constexpr std::int64_t kMinPaise = 100;
  static constexpr std::int64_t kMaxPaise = 100'000'000;
  // Longest formatted amount: "1000000.00".
  static constexpr std::size_t kMaxTextLength = 10;

  // Parses decimal rupees as the API writes them ("2299.5", "10.15", "22",
  // "1e2" is refused) exactly. Refuses negatives, NaN/Infinity, signs,
  // exponents, more than two decimals, empty text, and amounts outside
  // [kMinPaise, kMaxPaise] (kOutOfRange).
  static Result<Money> parse(std::string_view text);
  // Builds from paise; kOutOfRange outside the gateway's bounds.
  static Result<Money> from_paise(std::int64_t paise);

  std::int64_t paise() const { return paise_; }
  // "2299.50": rupees with exactly two decimals, no grouping.
  FixedString<kMaxTextLength> format() const;

  friend bool operator==(Money a, Money b) { return a.paise_ == b.paise_; }
  friend auto operator<=>(Money a, Money b) { return a.paise_ <=> b.paise_; }

 private:
  explicit constexpr Money(std::int64_t paise) : paise_(paise) {}
  std::int64_t paise_;
};

}  // namespace posagent
