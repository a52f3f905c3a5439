#include "hal/sim/sim_entropy.hpp"

#include <sys/random.h>

#include <cerrno>

namespace posagent::hal::sim {

Status SimEntropy::fill(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  // Requests above 256 bytes may be cut short by a signal: loop until full.
  while (done < out.size()) {
    const ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status(Code::kIoError, "getrandom failed", errno);
    }
    done += static_cast<std::size_t>(n);
  }
  return Status::Ok();
}

}  // namespace posagent::hal::sim
