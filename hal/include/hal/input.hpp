// Input facade: the keypad (digits, enter, cancel, clear).
#pragma once

#include "hal/clock.hpp"

namespace posagent::hal {

enum class Key : char {
  kNone = 0,  // the deadline passed with no key
  kDigit0 = '0', kDigit1, kDigit2, kDigit3, kDigit4,
  kDigit5, kDigit6, kDigit7, kDigit8, kDigit9,
  kEnter = '\n',
  kCancel = 'x',
  kClear = 'c',
};

class Input {
 public:
  // Waits for one key until the deadline.
  virtual Key wait_key(Millis deadline) = 0;

 protected:
  ~Input() = default;
};

}  // namespace posagent::hal
