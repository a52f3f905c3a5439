#include "firmware/sim/sim_keypad.hpp"

#include <poll.h>
#include <termios.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

namespace posagent::sim {

namespace {

std::atomic<int> g_interrupts{0};
// The terminal's settings before SimInput changed them, for the second
// Ctrl-C's _exit (which runs no destructor). tcsetattr is signal-safe.
bool g_have_terminal = false;
termios g_terminal{};

void on_interrupt(int) {
  if (g_interrupts.fetch_add(1) >= 1) {
    // Second Ctrl-C: stop now, as a power cut would.
    constexpr char kMessage[] = "\nposagent-sim: stopped; run `posagent-sim recover` to finish the sale\n";
    (void)!write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    if (g_have_terminal) tcsetattr(STDIN_FILENO, TCSANOW, &g_terminal);
    _exit(130);
  }
}

// A slice of waiting, so a Ctrl-C is seen within this time.
constexpr hal::Millis kSliceMs = 100;

}  // namespace

SimKeypad::SimKeypad(hal::Clock& clock) : clock_(clock) {
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  if (isatty(STDIN_FILENO) == 1) {
    g_have_terminal = tcgetattr(STDIN_FILENO, &g_terminal) == 0;
    terminal_ = std::make_unique<hal::sim::SimInput>(clock, STDIN_FILENO);
  }
}

hal::Key SimKeypad::wait_key(hal::Millis deadline) {
  for (;;) {
    if (g_interrupts.load() >= 1 && !cancel_sent_) {
      cancel_sent_ = true;
      return hal::Key::kCancel;
    }
    if (!typed_.empty()) {
      const hal::Key key = typed_.front();
      typed_.pop_front();
      return key;
    }
    const hal::Millis now = clock_.monotonic_ms();
    if (now >= deadline) return hal::Key::kNone;
    const hal::Millis until = deadline - now > kSliceMs ? now + kSliceMs : deadline;
    if (terminal_) {
      const hal::Key key = terminal_->wait_key(until);
      if (key != hal::Key::kNone) return key;
    } else {
      (void)poll(nullptr, 0, static_cast<int>(until - now));
    }
  }
}

void SimKeypad::type(std::string_view keys) {
  for (const char c : keys) typed_.push_back(static_cast<hal::Key>(c));
}

}  // namespace posagent::sim
