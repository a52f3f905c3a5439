// Cards the card tests build: valid unless a test breaks one field.
#pragma once

#include <doctest/doctest.h>

#include <string_view>

#include "core/card/card_check.hpp"
#include "core/card/card_data.hpp"

namespace posagent::card::test {

inline constexpr YearMonth kToday{2026, 6};

inline void make_key_entered(CardData& card, std::string_view number = "4111111111111111",
                             std::string_view cvv = "123") {
  card.wipe();
  (void)card.number.assign(number);
  (void)card.expiry_mm.assign("12");
  (void)card.expiry_yy.assign("28");
  (void)card.cvv.assign(cvv);
  (void)card.holder_name.assign("Asha Rao");
}

inline void make_token(CardData& card) {
  card.wipe();
  card.kind = CardKind::kNetworkToken;
  (void)card.number.assign("4895370012003478");  // Luhn-valid token number
  (void)card.expiry_mm.assign("09");
  (void)card.expiry_yy.assign("29");
  (void)card.cryptogram.assign("AgAAAAAABk4DWZ4C28yUQAAAAAA=");
  (void)card.token_requestor_id.assign("40010030273");
  (void)card.last_four.assign("1111");
}

// A check's result with the case that produced it, so a failed CHECK in a
// loop says which input it was (doctest's INFO is not used: see
// tests/base/labeled.hpp).
struct Outcome {
  std::string_view input;
  CardField field;
  std::string_view message;
  friend bool operator==(const Outcome& a, const Outcome& b) {
    return a.field == b.field && a.message == b.message;
  }
};

inline Outcome outcome(std::string_view input, const CardCheck& check) {
  return {input, check.field, check.screen_message};
}
inline Outcome expect(CardField field, std::string_view message) { return {"", field, message}; }

inline const char* field_name(CardField field) {
  switch (field) {
    case CardField::kNone: return "none";
    case CardField::kNumber: return "number";
    case CardField::kExpiry: return "expiry";
    case CardField::kCvv: return "cvv";
    case CardField::kHolderName: return "holder_name";
    case CardField::kCryptogram: return "cryptogram";
    case CardField::kTokenRequestorId: return "token_requestor_id";
    case CardField::kLastFour: return "last_four";
  }
  return "?";
}

}  // namespace posagent::card::test

namespace doctest {

template <>
struct StringMaker<posagent::card::test::Outcome> {
  static String convert(const posagent::card::test::Outcome& o) {
    const auto text = [](std::string_view s) { return String(s.data(), static_cast<String::size_type>(s.size())); };
    String out = text(o.input);
    out += " -> ";
    out += posagent::card::test::field_name(o.field);
    out += " \"";
    out += text(o.message);
    out += "\"";
    return out;
  }
};

}  // namespace doctest
