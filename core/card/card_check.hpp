// What the terminal checks on a card before it is sent in an Order Pay, the
// card's network, and the only printable forms of its number.
#pragma once

#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/card/card_data.hpp"

namespace posagent::card {

// Today's month, full year (2026), from the device's wall clock.
struct YearMonth {
  int year;
  int month;  // 1..12
};

enum class CardField {
  kNone,
  kNumber,
  kExpiry,
  kCvv,
  kHolderName,
  kCryptogram,
  kTokenRequestorId,
  kLastFour,
};

// The first field that failed and the line to show for it (a static string
// of at most 20 characters), or kNone and "".
struct CardCheck {
  CardField field = CardField::kNone;
  const char* screen_message = "";
  bool ok() const { return field == CardField::kNone; }
};

// Fields are checked in the order number, expiry, CVV / token fields, name;
// the first failure is returned. A card is valid through the last day of its
// expiry month; the year is always 20YY.
CardCheck check_card(const CardData& card, YearMonth today);

// The Luhn (mod 10) check over a string of digits; false for any non-digit.
bool luhn_valid(std::string_view digits);

enum class CardNetwork { kVisa, kMastercard, kRupay, kAmex, kDiners, kDiscover, kOther };

// By the number's leading digits (BIN). Where ranges overlap the longer
// prefix wins: Discover's 6011 over RuPay's 60. Discover's 65 range is
// RuPay's here (Indian BINs 65xx are RuPay), so Discover is 6011 and 644-649.
// Anything that is not all digits is kOther.
CardNetwork card_network(std::string_view number);

// "VISA", "MASTERCARD", "RUPAY", "AMEX", "DINERS", "DISCOVER", "OTHER".
const char* to_string(CardNetwork network);

// The number with its hidden digits as 'X': at most the first six and the
// last four digits are shown and at least six are always hidden, so shorter
// numbers show fewer leading digits (12 digits: "12XXXXXX9012") and very
// short ones fewer trailing digits. Empty when number is not 1..19 digits.
FixedString<kPanMaxDigits> mask_pan(std::string_view number);

// A label for screens and logs: "VISA XXXX1111". A token shows its card's
// last_four, never the token number's. Digits are left out when there are
// too few to hide six of them ("AMEX"); an unknown network is "CARD".
FixedString<20> card_label(const CardData& card);

// Sets card.expiry_mm / expiry_yy from "MM/YY" or "MMYY" (month 01..12).
// On false the card is unchanged.
bool parse_expiry(std::string_view text, CardData& card);

}  // namespace posagent::card
