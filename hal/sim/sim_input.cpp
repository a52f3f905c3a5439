#include "hal/sim/sim_input.hpp"

#include <poll.h>

#include <cerrno>
#include <climits>

namespace posagent::hal::sim {
namespace {

Key key_of(unsigned char c) {
  if (c >= '0' && c <= '9') return static_cast<Key>(c);
  switch (c) {
    case '\n':
    case '\r': return Key::kEnter;
    case 'x':
    case 'X':
    case 0x1b: return Key::kCancel;
    case 'c':
    case 'C':
    case 0x08:
    case 0x7f: return Key::kClear;
    default: return Key::kNone;
  }
}

}  // namespace

SimInput::SimInput(Clock& clock, int fd) : clock_(clock), fd_(fd) {
  if (isatty(fd_) == 1 && tcgetattr(fd_, &saved_) == 0) {
    termios raw = saved_;
    raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    restore_terminal_ = tcsetattr(fd_, TCSANOW, &raw) == 0;
  }
}

SimInput::~SimInput() {
  if (restore_terminal_) tcsetattr(fd_, TCSANOW, &saved_);
}

Key SimInput::wait_key(Millis deadline) {
  for (;;) {
    const Millis now = clock_.monotonic_ms();
    const Millis left = deadline > now ? deadline - now : 0;
    pollfd pfd{fd_, POLLIN, 0};
    const int rc = poll(&pfd, 1, left > INT_MAX ? INT_MAX : static_cast<int>(left));
    if (rc < 0) {
      if (errno == EINTR) continue;
      return Key::kCancel;
    }
    if (rc == 0) {
      if (clock_.monotonic_ms() >= deadline) return Key::kNone;
      continue;  // poll woke a little early
    }
    if (pfd.revents & POLLNVAL) return Key::kCancel;

    // One byte at a time: nothing is read ahead, so nothing is lost when the
    // caller stops asking. poll said readable, so this does not block.
    unsigned char c = 0;
    const ssize_t n = ::read(fd_, &c, 1);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (n <= 0) return Key::kCancel;  // end of input or a broken descriptor

    const bool lf_after_cr = after_cr_ && c == '\n';
    after_cr_ = c == '\r';
    if (lf_after_cr) continue;
    const Key key = key_of(c);
    if (key != Key::kNone) return key;
  }
}

}  // namespace posagent::hal::sim
