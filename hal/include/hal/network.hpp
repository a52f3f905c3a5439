// Network facade: one TCP connection at a time, every call bounded by an
// absolute deadline on the monotonic clock (hal::Clock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/base/status.hpp"
#include "hal/clock.hpp"

namespace posagent::hal {

class Network {
 public:
  // Resolves host and connects. kConnectionFailed or kTimeout on failure.
  virtual Status connect(std::string_view host, std::uint16_t port, Millis deadline) = 0;
  // Sends some of data (at least one byte) before the deadline.
  virtual Result<std::size_t> send(std::span<const std::uint8_t> data, Millis deadline) = 0;
  // Receives at least one byte before the deadline. kConnectionClosed when
  // the peer closed the connection, kTimeout when the deadline passed.
  virtual Result<std::size_t> recv(std::span<std::uint8_t> buffer, Millis deadline) = 0;
  virtual void close() = 0;

 protected:
  ~Network() = default;
};

}  // namespace posagent::hal
