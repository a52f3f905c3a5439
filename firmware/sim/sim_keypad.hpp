// The simulator's keypad: the cancel key is Ctrl-C (SIGINT) or, when stdin
// is a terminal, 'x' / Escape (hal::sim::SimInput). When stdin is not a
// terminal (a pipe, /dev/null under a test runner) it is not read at all:
// SimInput reads end of input as cancel, which would cancel every sale.
//
// The first Ctrl-C presses cancel; a second one while the sale is still
// running stops the program at once, like pulling the power (the journal
// keeps the sale for `posagent-sim recover`).
#pragma once

#include <deque>
#include <memory>
#include <string_view>

#include "hal/input.hpp"
#include "hal/sim/sim_input.hpp"

namespace posagent::sim {

class SimKeypad final : public hal::Input {
 public:
  explicit SimKeypad(hal::Clock& clock);
  hal::Key wait_key(hal::Millis deadline) override;
  // Keys as if typed now (digits, '\n' Enter): the --otp option's OTPs.
  void type(std::string_view keys);

 private:
  std::deque<hal::Key> typed_;
  hal::Clock& clock_;
  std::unique_ptr<hal::sim::SimInput> terminal_;  // null when stdin is not a terminal
  bool cancel_sent_ = false;                       // the first Ctrl-C's cancel
};

}  // namespace posagent::sim
