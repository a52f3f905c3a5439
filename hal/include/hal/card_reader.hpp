// Card reader facade: where a card for one payment comes from (the keypad, a
// contactless kernel's network token, the simulator).
#pragma once

#include "core/base/status.hpp"
#include "core/card/card_data.hpp"
#include "hal/clock.hpp"

namespace posagent::hal {

class CardReader {
 public:
  // Fills out with one card, or returns kCancelled (the cashier or customer
  // cancelled), kTimeout (the deadline passed) or kNotFound (no card was
  // presented); on failure out is empty. The card is the caller's from then
  // on: it checks it (card::check_card) and wipes it as soon as it was sent.
  virtual Status read_card(card::CardData& out, Millis deadline) = 0;

 protected:
  ~CardReader() = default;
};

}  // namespace posagent::hal
