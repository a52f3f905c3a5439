// Network backend: one TCP connection over POSIX sockets (IPv4 and IPv6).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "hal/clock.hpp"
#include "hal/network.hpp"

namespace posagent::hal::sim {

// Deadlines are absolute values of clock.monotonic_ms(); pass the SimClock
// the rest of the program uses. The socket is non-blocking and every wait is
// a poll(2) bounded by the deadline. A call first tries its syscall once, so
// data already buffered is returned even if the deadline has just passed.
//
// connect(): getaddrinfo(3) (IPv4 and IPv6, in the resolver's order), then a
// non-blocking connect per address until one succeeds; TCP_NODELAY on the
// result. kConnectionFailed (errno, or the EAI_* code for a failed lookup, as
// detail) or kTimeout. The lookup itself cannot be interrupted: a slow DNS
// server can overrun the deadline, which is then reported as kTimeout.
// Connecting while connected closes the old connection first.
//
// send()/recv(): kConnectionClosed on orderly EOF, ECONNRESET or EPIPE (and
// when not connected), kTimeout when the deadline passes, kIoError otherwise.
// SIGPIPE is never raised (MSG_NOSIGNAL).
class SimNetwork final : public Network {
 public:
  explicit SimNetwork(Clock& clock) : clock_(clock) {}
  ~SimNetwork() { close(); }
  SimNetwork(const SimNetwork&) = delete;
  SimNetwork& operator=(const SimNetwork&) = delete;

  Status connect(std::string_view host, std::uint16_t port, Millis deadline) override;
  // Empty data: returns 0 without touching the socket.
  Result<std::size_t> send(std::span<const std::uint8_t> data, Millis deadline) override;
  // An empty buffer is kInvalidArgument (0 bytes would break "at least one").
  Result<std::size_t> recv(std::span<std::uint8_t> buffer, Millis deadline) override;
  // Idempotent.
  void close() override;

  bool connected() const { return fd_ >= 0; }

 private:
  // Polls fd for events until ready (Ok), the deadline (kTimeout) or a poll
  // error (kIoError).
  Status wait(int fd, short events, Millis deadline);
  // One address of a lookup: a connected socket in *out or a failure.
  Status connect_one(const void* address_info, Millis deadline, int* out);

  Clock& clock_;
  int fd_ = -1;
};

}  // namespace posagent::hal::sim
