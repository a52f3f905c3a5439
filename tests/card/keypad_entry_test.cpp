// read_digits and enter_card through a scripted keypad; the screen never
// shows a full card number or a CVV.
#include <doctest/doctest.h>

#include <cstdint>
#include <span>
#include <string_view>

#include "core/base/secure_wipe.hpp"
#include "core/card/card_check.hpp"
#include "core/card/keypad_card_reader.hpp"
#include "core/card/keypad_entry.hpp"
#include "tests/base/labeled.hpp"
#include "tests/card/keypad_fakes.hpp"

using namespace posagent::card;
using posagent::Code;
using posagent::FixedString;
using posagent::is_wiped;
using posagent::Status;
using posagent::card::test::HistoryDisplay;
using posagent::card::test::ScriptedKeys;
using posagent::test::Labeled;

namespace {

constexpr posagent::hal::Millis kDeadline = 90'000;

template <std::size_t N>
bool wiped(FixedString<N>& text) {
  return text.empty() && is_wiped({reinterpret_cast<const std::uint8_t*>(text.data()), N + 1});
}

bool wiped(const CardData& card) {
  return is_wiped({reinterpret_cast<const std::uint8_t*>(&card), sizeof card});
}

Labeled<Code> code_of(std::string_view script, Status status) { return {script, status.code()}; }

const DigitPrompt kFourPlain{"Amount", 1, 4, DigitEcho::kPlain};

}  // namespace

TEST_CASE("read_digits: digits append, Clear deletes the last one, Enter accepts") {
  FixedString<8> out;
  ScriptedKeys keys("123c4\n");
  HistoryDisplay display;
  CHECK(read_digits(keys, display, kFourPlain, out.span(), kDeadline).ok());
  CHECK(out.view() == "124");
  CHECK(keys.finished());
  CHECK(display.rows[0] == "Amount");
  CHECK(display.rows[1] == "124");
  CHECK(display.presents == 6);  // once before each key
  CHECK(display.misuse == 0);
  for (const posagent::hal::Millis deadline : keys.deadlines) CHECK(deadline == kDeadline);

  ScriptedKeys clears("cc5c6\n");  // Clear on nothing does nothing
  CHECK(read_digits(clears, display, kFourPlain, out.span(), kDeadline).ok());
  CHECK(out.view() == "6");
  // Unknown keys are ignored.
  ScriptedKeys unknown("7?*8\n");
  CHECK(read_digits(unknown, display, kFourPlain, out.span(), kDeadline).ok());
  CHECK(out.view() == "78");
}

TEST_CASE("read_digits: Enter before min_digits shows a hint and waits; digits past max are ignored") {
  FixedString<8> out;
  const DigitPrompt four{"Expiry MMYY", 4, 4, DigitEcho::kPlain};
  ScriptedKeys keys("\n12\n345\n");
  HistoryDisplay display;
  CHECK(read_digits(keys, display, four, out.span(), kDeadline).ok());
  CHECK(out.view() == "1234");
  CHECK(display.ever_showed("Too few digits"));
  CHECK(display.rows[2].empty());  // the hint goes with the next key

  ScriptedKeys empty_enter("\n");  // then the deadline
  CHECK(code_of("\\n", read_digits(empty_enter, display, kFourPlain, out.span(), kDeadline)) == Code::kTimeout);
}

TEST_CASE("read_digits: Cancel is kCancelled and the deadline kTimeout, and out is wiped") {
  for (const std::string_view script : {"x", "12x", "1234x", "c9x"}) {
    FixedString<8> out("5555");
    ScriptedKeys keys(script);
    HistoryDisplay display;
    const Status status = read_digits(keys, display, kFourPlain, out.span(), kDeadline);
    CHECK(code_of(script, status) == Code::kCancelled);
    CHECK(std::string_view(status.message()) == "Cancelled");
    CHECK(Labeled<bool>{script, wiped(out)} == true);
  }
  for (const std::string_view script : {"", "1", "1234", "12c"}) {
    FixedString<8> out;
    ScriptedKeys keys(script);
    HistoryDisplay display;
    CHECK(code_of(script, read_digits(keys, display, kFourPlain, out.span(), kDeadline)) == Code::kTimeout);
    CHECK(Labeled<bool>{script, wiped(out)} == true);
  }
}

TEST_CASE("read_digits echoes: plain digits, '*' when hidden, a card number's last four only") {
  FixedString<19> out;
  HistoryDisplay display;
  ScriptedKeys cvv("482\n");
  CHECK(read_digits(cvv, display, {"CVV", 3, 3, DigitEcho::kHidden}, out.span(), kDeadline).ok());
  CHECK(out.view() == "482");
  CHECK(display.rows[1] == "***");
  CHECK(display.most_digits_on_a_line() == 0);

  HistoryDisplay number_display;
  ScriptedKeys number("5555555555554444\n");
  CHECK(read_digits(number, number_display, {"Card number", 12, 19, DigitEcho::kCardNumber}, out.span(), kDeadline)
            .ok());
  CHECK(out.view() == "5555555555554444");
  CHECK(number_display.rows[1] == "XXXXXXXXXXXX4444");
  CHECK(number_display.ever_showed("XXXXX5554"));  // while typing: the last four typed so far
  CHECK(number_display.most_digits_on_a_line() == 4);
  CHECK_FALSE(number_display.ever_showed("55555"));

  HistoryDisplay plain_display;
  ScriptedKeys plain("1228\n");
  CHECK(read_digits(plain, plain_display, {"Expiry MMYY", 4, 4, DigitEcho::kPlain}, out.span(), kDeadline).ok());
  CHECK(plain_display.rows[1] == "1228");
}

TEST_CASE("read_digits refuses a prompt that does not fit out or the screen") {
  FixedString<3> small;
  ScriptedKeys keys("1234\n");
  HistoryDisplay display;
  CHECK(read_digits(keys, display, kFourPlain, small.span(), kDeadline).code() == Code::kInvalidArgument);
  FixedString<8> out;
  CHECK(read_digits(keys, display, {"Amount", 5, 4, DigitEcho::kPlain}, out.span(), kDeadline).code() ==
        Code::kInvalidArgument);
  CHECK(read_digits(keys, display, {"A title of 21 letters", 1, 4, DigitEcho::kPlain}, out.span(), kDeadline)
            .code() == Code::kInvalidArgument);
  CHECK(keys.deadlines.empty());  // no key was read
}

TEST_CASE("enter_card: number, expiry, CVV; the screen never shows the number or the CVV") {
  CardData card;
  ScriptedKeys keys("4111111111111111\n1228\n937\n");
  HistoryDisplay display;
  CHECK(enter_card(keys, display, card, kDeadline).ok());
  CHECK(keys.finished());
  CHECK(card.kind == CardKind::kKeyEntered);
  CHECK(card.number.view() == "4111111111111111");
  CHECK(card.expiry_mm.view() == "12");
  CHECK(card.expiry_yy.view() == "28");
  CHECK(card.cvv.view() == "937");
  CHECK(card.holder_name.empty());
  CHECK(check_card(card, {2026, 6}).ok());

  CHECK(display.ever_showed("Card number"));
  CHECK(display.ever_showed("Expiry MMYY"));
  CHECK(display.ever_showed("CVV"));
  CHECK_FALSE(display.ever_showed("4111111111111111"));
  CHECK_FALSE(display.ever_showed("41111"));
  CHECK_FALSE(display.ever_showed("937"));
  CHECK(display.most_digits_on_a_line() <= 4);
  CHECK(display.misuse == 0);
}

TEST_CASE("enter_card asks again for a number that fails Luhn and for a month that is not 01..12") {
  CardData card;
  ScriptedKeys keys("4111111111111112\n4111111111111111\n1328\n1228\n123\n");
  HistoryDisplay display;
  CHECK(enter_card(keys, display, card, kDeadline).ok());
  CHECK(card.number.view() == "4111111111111111");
  CHECK(card.expiry_mm.view() == "12");
  CHECK(display.ever_showed("Check card number"));
  CHECK(display.ever_showed("Check expiry date"));
  CHECK_FALSE(display.ever_showed("4111111111111112"));
}

TEST_CASE("enter_card: an Amex takes a 4-digit CVV and refuses 3") {
  CardData card;
  ScriptedKeys keys("378282246310005\n0130\n123\n4\n");
  HistoryDisplay display;
  CHECK(enter_card(keys, display, card, kDeadline).ok());
  CHECK(card.cvv.view() == "1234");
  CHECK(display.ever_showed("CVV (4 digits)"));
  CHECK(display.ever_showed("Too few digits"));
  CHECK(display.rows[1] == "****");
  CHECK_FALSE(display.ever_showed("1234"));
  CHECK(check_card(card, {2026, 6}).ok());
}

TEST_CASE("enter_card wipes the card when cancelled or timed out at any step") {
  const std::string_view scripts[] = {
      "x", "4111x", "4111111111111111\nx", "4111111111111111\n12x", "4111111111111111\n1228\n93x",
      "", "4111", "4111111111111111\n12", "4111111111111111\n1228\n93",
  };
  for (std::size_t i = 0; i < std::size(scripts); ++i) {
    CardData card;
    (void)card.holder_name.assign("Left Over");  // from before: wiped too
    ScriptedKeys keys(scripts[i]);
    HistoryDisplay display;
    const Code expected = i < 5 ? Code::kCancelled : Code::kTimeout;
    CHECK(code_of(scripts[i], enter_card(keys, display, card, kDeadline)) == expected);
    CHECK(Labeled<bool>{scripts[i], wiped(card)} == true);
  }
}

TEST_CASE("KeypadCardReader reads a card through the CardReader facade") {
  ScriptedKeys keys("6521500000000006\n0931\n555\n");
  HistoryDisplay display;
  KeypadCardReader keypad(keys, display);
  posagent::hal::CardReader& reader = keypad;
  CardData card;
  CHECK(reader.read_card(card, kDeadline).ok());
  CHECK(card.number.view() == "6521500000000006");
  CHECK(card.cvv.view() == "555");
  CHECK_FALSE(display.ever_showed("6521500000000006"));

  ScriptedKeys cancel("x");
  KeypadCardReader cancelled(cancel, display);
  CHECK(cancelled.read_card(card, kDeadline).code() == Code::kCancelled);
  CHECK(wiped(card));
}
