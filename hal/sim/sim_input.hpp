// Input backend: keypad keys read from a file descriptor (a terminal or pipe).
#pragma once

#include <termios.h>
#include <unistd.h>

#include "hal/input.hpp"

namespace posagent::hal::sim {

// Keys: '0'..'9'; Enter is '\n' or '\r' (a "\r\n" pair is one Enter);
// cancel is 'x', 'X' or Escape; clear is 'c', 'C', Backspace (0x08) or DEL
// (0x7f). Every other byte is ignored. End of input, or a read error, is
// kCancel, every time: a closed input cancels the sale rather than hangs it.
// (An arrow key sends Escape + "[A" and so reads as cancel.)
//
// Deadlines are absolute values of clock.monotonic_ms(). If fd is a terminal,
// it is switched to non-canonical, no-echo mode (keys arrive without Enter;
// Ctrl-C still works) and restored by the destructor. The descriptor is not
// closed.
class SimInput final : public Input {
 public:
  explicit SimInput(Clock& clock, int fd = STDIN_FILENO);
  ~SimInput();
  SimInput(const SimInput&) = delete;
  SimInput& operator=(const SimInput&) = delete;

  Key wait_key(Millis deadline) override;

 private:
  Clock& clock_;
  int fd_;
  bool restore_terminal_ = false;
  bool after_cr_ = false;
  termios saved_{};
};

}  // namespace posagent::hal::sim
