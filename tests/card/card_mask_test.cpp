// The printable forms of a card (mask_pan, card_label) and parse_expiry.
#include <doctest/doctest.h>

#include <cstddef>
#include <string_view>

#include "core/card/card_check.hpp"
#include "tests/base/labeled.hpp"
#include "tests/card/card_test_cards.hpp"

using namespace posagent::card;
using posagent::test::Labeled;

namespace {

constexpr std::string_view kDigits = "1234567890123456789";

// How many leading and trailing characters of masked equal number's, and how
// many are 'X'; anything else in masked counts as a leak.
struct Shown {
  std::size_t leading = 0;
  std::size_t trailing = 0;
  std::size_t hidden = 0;
  std::size_t other = 0;
};

Shown shown(std::string_view number, std::string_view masked) {
  Shown s;
  while (s.leading < masked.size() && masked[s.leading] == number[s.leading]) ++s.leading;
  while (s.trailing < masked.size() - s.leading &&
         masked[masked.size() - 1 - s.trailing] == number[number.size() - 1 - s.trailing]) {
    ++s.trailing;
  }
  for (std::size_t i = s.leading; i < masked.size() - s.trailing; ++i) {
    if (masked[i] == 'X') {
      ++s.hidden;
    } else {
      ++s.other;
    }
  }
  return s;
}

}  // namespace

TEST_CASE("mask_pan shows at most six leading and four trailing digits and hides at least six") {
  // 12 digits: 2 + 6 hidden + 4; 16 and up: 6 + hidden + 4.
  const std::size_t expected_leading[] = {2, 3, 4, 5, 6, 6, 6, 6};
  for (std::size_t n = 12; n <= 19; ++n) {
    const std::string_view number = kDigits.substr(0, n);
    const auto masked = mask_pan(number);
    const Shown s = shown(number, masked.view());
    CHECK(Labeled<std::int64_t>{number, static_cast<std::int64_t>(masked.size())} == static_cast<std::int64_t>(n));
    CHECK(Labeled<std::int64_t>{number, static_cast<std::int64_t>(s.leading)} ==
          static_cast<std::int64_t>(expected_leading[n - 12]));
    CHECK(Labeled<std::int64_t>{number, static_cast<std::int64_t>(s.trailing)} == std::int64_t{4});
    CHECK(Labeled<bool>{number, s.hidden >= 6} == true);
    CHECK(s.other == 0);
  }
  CHECK(mask_pan("411111111117").view() == "41XXXXXX1117");
  CHECK(mask_pan("4111111111111111").view() == "411111XXXXXX1111");
  CHECK(mask_pan("378282246310005").view() == "37828XXXXXX0005");
  CHECK(mask_pan(kDigits).view() == "123456XXXXXXXXX6789");
}

TEST_CASE("mask_pan on short or malformed input still hides six digits or returns nothing") {
  CHECK(mask_pan("1234567890").view() == "XXXXXX7890");
  CHECK(mask_pan("12345678").view() == "XXXXXX78");
  CHECK(mask_pan("123456").view() == "XXXXXX");
  CHECK(mask_pan("1").view() == "X");
  CHECK(mask_pan("").empty());
  CHECK(mask_pan("41111111111111111111").empty());  // 20 digits
  CHECK(mask_pan("4111 1111 1111 1111").empty());
}

TEST_CASE("card_label: network and last four, a token's last_four, never more") {
  CardData card;
  test::make_key_entered(card, "4111111111111111");
  CHECK(card_label(card).view() == "VISA XXXX1111");
  test::make_key_entered(card, "5555555555554444");
  CHECK(card_label(card).view() == "MASTERCARD XXXX4444");
  test::make_key_entered(card, "378282246310005", "1234");
  CHECK(card_label(card).view() == "AMEX XXXX0005");
  test::make_key_entered(card, "6521500000000006");
  CHECK(card_label(card).view() == "RUPAY XXXX0006");
  test::make_key_entered(card, "36227206271667");
  CHECK(card_label(card).view() == "DINERS XXXX1667");
  test::make_key_entered(card, "6011111111111117");
  CHECK(card_label(card).view() == "DISCOVER XXXX1117");
  test::make_key_entered(card, "9111111111111111");
  CHECK(card_label(card).view() == "CARD XXXX1111");
  // Too few digits to show four and hide six: no digits at all.
  test::make_key_entered(card, "411111111");
  CHECK(card_label(card).view() == "VISA");
  test::make_key_entered(card, "4111x11111111111");
  CHECK(card_label(card).view() == "CARD");

  // A token: its number's network, the real card's last four.
  test::make_token(card);
  CHECK(card_label(card).view() == "VISA XXXX1111");
  CHECK(card_label(card).view().find("3478") == std::string_view::npos);
  card.last_four.clear();
  CHECK(card_label(card).view() == "VISA");
  (void)card.last_four.assign("11a1");
  CHECK(card_label(card).view() == "VISA");
}

TEST_CASE("parse_expiry reads MM/YY and MMYY and refuses anything else") {
  CardData card;
  CHECK(parse_expiry("12/28", card));
  CHECK(card.expiry_mm.view() == "12");
  CHECK(card.expiry_yy.view() == "28");
  CHECK(parse_expiry("0130", card));
  CHECK(card.expiry_mm.view() == "01");
  CHECK(card.expiry_yy.view() == "30");
  for (const std::string_view bad : {"", "13/28", "00/28", "1/28", "12-28", "12/2", "12/283", "ab/cd", "12/2x",
                                     "1328", "123", "12345", " 12/28"}) {
    CHECK(Labeled<bool>{bad, parse_expiry(bad, card)} == false);
  }
  CHECK(card.expiry_mm.view() == "01");  // unchanged by the refusals
  CHECK(card.expiry_yy.view() == "30");
}
