// check_card field by field, and card_network by BIN.
#include <doctest/doctest.h>

#include <string_view>

#include "core/card/card_check.hpp"
#include "tests/base/labeled.hpp"
#include "tests/card/card_test_cards.hpp"

using namespace posagent::card;
using posagent::card::test::expect;
using posagent::card::test::kToday;
using posagent::card::test::make_key_entered;
using posagent::card::test::make_token;
using posagent::card::test::outcome;

namespace {

const auto kOk = expect(CardField::kNone, "");
const auto kBadNumber = expect(CardField::kNumber, "Check card number");
const auto kBadExpiry = expect(CardField::kExpiry, "Check expiry date");
const auto kExpired = expect(CardField::kExpiry, "Card expired");
const auto kBadCvv = expect(CardField::kCvv, "Check CVV");

// The pgsim test cards.
constexpr std::string_view kVisa = "4111111111111111";
constexpr std::string_view kMastercard = "5555555555554444";
constexpr std::string_view kRupay = "6521500000000006";
constexpr std::string_view kAmex = "378282246310005";
constexpr std::string_view kDiners = "36227206271667";
constexpr std::string_view kDiscover = "6011111111111117";

}  // namespace

TEST_CASE("Luhn accepts the pgsim cards and refuses any one changed digit") {
  for (const std::string_view number : {kVisa, kMastercard, kRupay, kAmex, kDiners, kDiscover}) {
    CHECK(posagent::test::Labeled<bool>{number, luhn_valid(number)} == true);
    char changed[20] = {};
    for (std::size_t i = 0; i < number.size(); ++i) {
      number.copy(changed, number.size());
      changed[i] = static_cast<char>('0' + (changed[i] - '0' + 1) % 10);
      const std::string_view text(changed, number.size());
      CHECK(posagent::test::Labeled<bool>{text, luhn_valid(text)} == false);
    }
  }
  CHECK_FALSE(luhn_valid(""));
  CHECK_FALSE(luhn_valid("4111 1111 1111 1111"));
  CHECK(luhn_valid("0"));
}

TEST_CASE("a valid key-entered card passes, whatever its network") {
  CardData card;
  for (const std::string_view number : {kVisa, kMastercard, kRupay, kDiners, kDiscover}) {
    make_key_entered(card, number, "123");
    CHECK(outcome(number, check_card(card, kToday)) == kOk);
  }
  make_key_entered(card, kAmex, "1234");
  CHECK(check_card(card, kToday).ok());
  card.holder_name.clear();  // optional
  CHECK(check_card(card, kToday).ok());
}

TEST_CASE("the card number: digits only, 12..19 of them, Luhn") {
  CardData card;
  // 12 and 19 digits, both Luhn-valid, pass.
  for (const std::string_view number : {"411111111117", "4111111111111111110"}) {
    make_key_entered(card, number);
    CHECK(outcome(number, check_card(card, kToday)) == kOk);
  }
  for (const std::string_view number : {"", "41111111112", "4111111111111112", "411111111111111a",
                                        "4111-11111111111", " 411111111111111"}) {
    make_key_entered(card, number);
    CHECK(outcome(number, check_card(card, kToday)) == kBadNumber);
  }
  // A token's number is held to the same rules.
  make_token(card);
  (void)card.number.assign("4895370012003479");
  CHECK(outcome("token", check_card(card, kToday)) == kBadNumber);
}

TEST_CASE("the expiry: MM 01..12, YY two digits, else Check expiry date") {
  CardData card;
  const std::string_view bad_months[] = {"", "1", "00", "13", "1a", "99"};
  for (const std::string_view mm : bad_months) {
    make_key_entered(card);
    (void)card.expiry_mm.assign(mm);
    CHECK(outcome(mm, check_card(card, kToday)) == kBadExpiry);
  }
  const std::string_view bad_years[] = {"", "2", "2a", " 8"};
  for (const std::string_view yy : bad_years) {
    make_key_entered(card);
    (void)card.expiry_yy.assign(yy);
    CHECK(outcome(yy, check_card(card, kToday)) == kBadExpiry);
  }
}

TEST_CASE("a card is valid through the end of its expiry month") {
  CardData card;
  const auto with_expiry = [&card](std::string_view mm, std::string_view yy, YearMonth today) {
    make_key_entered(card);
    (void)card.expiry_mm.assign(mm);
    (void)card.expiry_yy.assign(yy);
    return outcome(mm, check_card(card, today));
  };
  CHECK(with_expiry("06", "26", {2026, 6}) == kOk);        // this month
  CHECK(with_expiry("05", "26", {2026, 6}) == kExpired);   // last month
  CHECK(with_expiry("06", "25", {2026, 6}) == kExpired);   // a year ago
  CHECK(with_expiry("07", "26", {2026, 6}) == kOk);
  // December to January.
  CHECK(with_expiry("12", "26", {2026, 12}) == kOk);
  CHECK(with_expiry("12", "26", {2027, 1}) == kExpired);
  CHECK(with_expiry("01", "27", {2026, 12}) == kOk);
  CHECK(with_expiry("01", "27", {2027, 1}) == kOk);
  // The year is 20YY: "99" is 2099 (valid), "00" is 2000 (long expired).
  CHECK(with_expiry("12", "99", {2026, 6}) == kOk);
  CHECK(with_expiry("01", "00", {2026, 6}) == kExpired);
  CHECK(with_expiry("12", "99", {2099, 12}) == kOk);
  CHECK(with_expiry("12", "99", {2100, 1}) == kExpired);
}

TEST_CASE("the CVV: 3 digits, 4 on Amex, digits only") {
  CardData card;
  for (const std::string_view cvv : {"", "12", "1234", "12a", "1 3"}) {
    make_key_entered(card, kVisa, cvv);
    CHECK(outcome(cvv, check_card(card, kToday)) == kBadCvv);
  }
  make_key_entered(card, "371449635398431", "1234");  // Amex 37
  CHECK(check_card(card, kToday).ok());
  for (const std::string_view cvv : {"123", "12345", "", "123a"}) {
    make_key_entered(card, kAmex, cvv);
    CHECK(outcome(cvv, check_card(card, kToday)) == kBadCvv);
  }
}

TEST_CASE("a key-entered card carries no token fields") {
  CardData card;
  make_key_entered(card);
  (void)card.cryptogram.assign("AAAA");
  CHECK(outcome("cryptogram", check_card(card, kToday)) == expect(CardField::kCryptogram, "Check cryptogram"));
  make_key_entered(card);
  (void)card.token_requestor_id.assign("40010030273");
  CHECK(outcome("trid", check_card(card, kToday)) == expect(CardField::kTokenRequestorId, "Check requestor id"));
  make_key_entered(card);
  (void)card.last_four.assign("1111");
  CHECK(outcome("last four", check_card(card, kToday)) == expect(CardField::kLastFour, "Check last 4 digits"));
}

TEST_CASE("the holder's name: optional, letters, space and . ' - only") {
  CardData card;
  for (const std::string_view name : {"", "A", "Mary-Jane O'Neil Jr.", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}) {
    make_key_entered(card);
    (void)card.holder_name.assign(name);
    CHECK(outcome(name, check_card(card, kToday)) == kOk);
  }
  for (const std::string_view name : {"R2D2", "Asha_Rao", "Asha\tRao", "Asha, Rao", "Ana\xc3\xa9"}) {
    make_key_entered(card);
    (void)card.holder_name.assign(name);
    CHECK(outcome(name, check_card(card, kToday)) == expect(CardField::kHolderName, "Check holder name"));
  }
}

TEST_CASE("a network token: no CVV, a cryptogram, an 11-digit requestor id, the last four") {
  CardData card;
  make_token(card);
  CHECK(check_card(card, kToday).ok());
  (void)card.holder_name.assign("Asha Rao");
  CHECK(check_card(card, kToday).ok());

  make_token(card);
  (void)card.cvv.assign("123");
  CHECK(outcome("cvv", check_card(card, kToday)) == expect(CardField::kCvv, "No CVV for a token"));

  const auto kBadCryptogram = expect(CardField::kCryptogram, "Check cryptogram");
  for (const std::string_view cryptogram : {"", "AgAA*AAABk4D", "AgAA=AAA", "AgAAAAAA===", "==", "AgAA AAAA"}) {
    make_token(card);
    (void)card.cryptogram.assign(cryptogram);
    CHECK(outcome(cryptogram, check_card(card, kToday)) == kBadCryptogram);
  }
  for (const std::string_view cryptogram : {"0123456789abcdefABCDEF0123456789", "AgAAAAAABk4DWZ4C28yUQAAAAA==",
                                            "a+b/"}) {
    make_token(card);
    (void)card.cryptogram.assign(cryptogram);
    CHECK(outcome(cryptogram, check_card(card, kToday)) == kOk);
  }

  const auto kBadRequestor = expect(CardField::kTokenRequestorId, "Check requestor id");
  for (const std::string_view id : {"", "4001003027", "4001003027a", "4001003027 "}) {
    make_token(card);
    (void)card.token_requestor_id.assign(id);
    CHECK(outcome(id, check_card(card, kToday)) == kBadRequestor);
  }

  const auto kBadLastFour = expect(CardField::kLastFour, "Check last 4 digits");
  for (const std::string_view last : {"", "111", "11a1"}) {
    make_token(card);
    (void)card.last_four.assign(last);
    CHECK(outcome(last, check_card(card, kToday)) == kBadLastFour);
  }

  make_token(card);
  (void)card.expiry_yy.assign("25");
  CHECK(outcome("expired token", check_card(card, kToday)) == kExpired);
}

TEST_CASE("the first failing field wins: number, expiry, CVV or token fields, name") {
  CardData card;
  make_key_entered(card, "4111111111111112", "1");
  (void)card.expiry_mm.assign("13");
  (void)card.holder_name.assign("R2");
  CHECK(outcome("all bad", check_card(card, kToday)) == kBadNumber);
  (void)card.number.assign(kVisa);
  CHECK(outcome("expiry, cvv, name bad", check_card(card, kToday)) == kBadExpiry);
  (void)card.expiry_mm.assign("12");
  CHECK(outcome("cvv, name bad", check_card(card, kToday)) == kBadCvv);
  (void)card.cvv.assign("123");
  CHECK(outcome("name bad", check_card(card, kToday)) == expect(CardField::kHolderName, "Check holder name"));

  make_token(card);
  card.cryptogram.clear();
  card.token_requestor_id.clear();
  card.last_four.clear();
  CHECK(outcome("token fields", check_card(card, kToday)) == expect(CardField::kCryptogram, "Check cryptogram"));
  (void)card.cryptogram.assign("AAAA");
  CHECK(outcome("trid, last four", check_card(card, kToday)) ==
        expect(CardField::kTokenRequestorId, "Check requestor id"));
}

TEST_CASE("every refusal has a message that fits a 20-character line") {
  CardData card;
  int refusals = 0;
  const auto note = [&refusals](const CardCheck& check) {
    const std::string_view message(check.screen_message);
    CHECK(posagent::test::Labeled<bool>{message, !check.ok() && !message.empty() && message.size() <= 20} == true);
    ++refusals;
  };
  make_key_entered(card, "1");
  note(check_card(card, kToday));
  make_key_entered(card);
  (void)card.expiry_mm.assign("13");
  note(check_card(card, kToday));
  make_key_entered(card);
  note(check_card(card, {2030, 1}));
  make_key_entered(card, kVisa, "1");
  note(check_card(card, kToday));
  make_key_entered(card);
  (void)card.holder_name.assign("1");
  note(check_card(card, kToday));
  make_token(card);
  (void)card.cvv.assign("123");
  note(check_card(card, kToday));
  make_token(card);
  card.cryptogram.clear();
  note(check_card(card, kToday));
  make_token(card);
  card.token_requestor_id.clear();
  note(check_card(card, kToday));
  make_token(card);
  card.last_four.clear();
  note(check_card(card, kToday));
  CHECK(refusals == 9);
}

TEST_CASE("card_network classifies the pgsim cards") {
  CHECK(card_network(kVisa) == CardNetwork::kVisa);
  CHECK(card_network(kMastercard) == CardNetwork::kMastercard);
  CHECK(card_network(kRupay) == CardNetwork::kRupay);
  CHECK(card_network(kAmex) == CardNetwork::kAmex);
  CHECK(card_network(kDiners) == CardNetwork::kDiners);
  CHECK(card_network(kDiscover) == CardNetwork::kDiscover);
}

TEST_CASE("card_network: every BIN range at its edges, and the overlaps") {
  struct Case {
    std::string_view prefix;
    CardNetwork network;
  };
  const Case cases[] = {
      {"4000", CardNetwork::kVisa},
      {"5100", CardNetwork::kMastercard}, {"5599", CardNetwork::kMastercard},
      {"5000", CardNetwork::kOther},      {"5600", CardNetwork::kOther},
      {"2221", CardNetwork::kMastercard}, {"2720", CardNetwork::kMastercard},
      {"2220", CardNetwork::kOther},      {"2721", CardNetwork::kOther},
      {"3400", CardNetwork::kAmex},       {"3700", CardNetwork::kAmex},
      {"3500", CardNetwork::kOther},
      {"3600", CardNetwork::kDiners},     {"3800", CardNetwork::kDiners},
      {"3000", CardNetwork::kDiners},     {"3050", CardNetwork::kDiners},
      {"3060", CardNetwork::kOther},      {"3900", CardNetwork::kOther},
      // Discover's 6011 lies inside RuPay's 60 and wins (longer prefix).
      {"6011", CardNetwork::kDiscover},   {"6010", CardNetwork::kRupay},
      {"6012", CardNetwork::kRupay},      {"6000", CardNetwork::kRupay},
      {"6440", CardNetwork::kDiscover},   {"6490", CardNetwork::kDiscover},
      {"6430", CardNetwork::kOther},
      // 65 is RuPay's (Discover's 65 range is not used here).
      {"6500", CardNetwork::kRupay},      {"6599", CardNetwork::kRupay},
      {"5080", CardNetwork::kRupay},      {"5090", CardNetwork::kOther},
      {"8100", CardNetwork::kRupay},      {"8200", CardNetwork::kRupay},
      {"8000", CardNetwork::kOther},      {"8300", CardNetwork::kOther},
      {"3530", CardNetwork::kRupay},      {"3560", CardNetwork::kRupay},
      {"3540", CardNetwork::kOther},
      {"1000", CardNetwork::kOther},      {"9000", CardNetwork::kOther},
  };
  for (const Case& c : cases) {
    char number[16];
    c.prefix.copy(number, c.prefix.size());
    for (std::size_t i = c.prefix.size(); i < sizeof number; ++i) number[i] = '0';
    const std::string_view text(number, sizeof number);
    CHECK(posagent::test::Labeled<std::string_view>{text, to_string(card_network(text))} ==
          std::string_view(to_string(c.network)));
  }
  // Too short for a longer prefix: "601" is RuPay's 60, not Discover.
  CHECK(card_network("601") == CardNetwork::kRupay);
  CHECK(card_network("") == CardNetwork::kOther);
  CHECK(card_network("4111-1111") == CardNetwork::kOther);
}

TEST_CASE("to_string names every network") {
  CHECK(std::string_view(to_string(CardNetwork::kVisa)) == "VISA");
  CHECK(std::string_view(to_string(CardNetwork::kMastercard)) == "MASTERCARD");
  CHECK(std::string_view(to_string(CardNetwork::kRupay)) == "RUPAY");
  CHECK(std::string_view(to_string(CardNetwork::kAmex)) == "AMEX");
  CHECK(std::string_view(to_string(CardNetwork::kDiners)) == "DINERS");
  CHECK(std::string_view(to_string(CardNetwork::kDiscover)) == "DISCOVER");
  CHECK(std::string_view(to_string(CardNetwork::kOther)) == "OTHER");
}
