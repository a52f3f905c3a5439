// A card reader that is the terminal's keypad and display: the cashier keys
// in the number, expiry and CVV (enter_card).
#pragma once

#include "core/card/keypad_entry.hpp"
#include "hal/card_reader.hpp"

namespace posagent::card {

class KeypadCardReader final : public hal::CardReader {
 public:
  KeypadCardReader(hal::Input& input, hal::Display& display) : input_(input), display_(display) {}

  // kCancelled or kTimeout from the keypad; never kNotFound.
  Status read_card(CardData& out, hal::Millis deadline) override {
    return enter_card(input_, display_, out, deadline);
  }

 private:
  hal::Input& input_;
  hal::Display& display_;
};

}  // namespace posagent::card
