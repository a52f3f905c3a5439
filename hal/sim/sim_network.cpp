#include "hal/sim/sim_network.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>

#include "core/base/fixed_string.hpp"

namespace posagent::hal::sim {
namespace {

// A DNS name is at most 253 characters; numeric IPv6 with a zone fits too.
constexpr std::size_t kMaxHost = 255;

Status closed_status(int error) { return Status(Code::kConnectionClosed, "connection closed", error); }

bool is_reset(int error) { return error == ECONNRESET || error == EPIPE; }

}  // namespace

Status SimNetwork::wait(int fd, short events, Millis deadline) {
  for (;;) {
    const Millis now = clock_.monotonic_ms();
    const Millis left = deadline > now ? deadline - now : 0;
    pollfd pfd{fd, events, 0};
    const int rc = poll(&pfd, 1, left > INT_MAX ? INT_MAX : static_cast<int>(left));
    if (rc > 0) return Status::Ok();  // ready, or POLLERR/POLLHUP: the next call reports it
    if (rc < 0 && errno != EINTR) return Status(Code::kIoError, "poll failed", errno);
    // Timed out or interrupted: done only once the deadline has really passed
    // (poll works in whole milliseconds and may wake a little early).
    if (rc == 0 && clock_.monotonic_ms() >= deadline) return Status(Code::kTimeout, "network timeout");
  }
}

Status SimNetwork::connect_one(const void* address_info, Millis deadline, int* out) {
  const auto* ai = static_cast<const addrinfo*>(address_info);
  const int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
  if (fd < 0) return Status(Code::kConnectionFailed, "socket failed", errno);

  int rc;
  do {
    rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    if (errno != EINPROGRESS) {
      const int error = errno;
      ::close(fd);
      return Status(Code::kConnectionFailed, "connect failed", error);
    }
    const Status ready = wait(fd, POLLOUT, deadline);
    int error = 0;
    socklen_t length = sizeof error;
    if (ready.ok() && getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
    if (!ready.ok() || error != 0) {
      ::close(fd);
      if (!ready.ok()) return ready.code() == Code::kTimeout ? Status(Code::kTimeout, "connect timeout") : ready;
      return Status(Code::kConnectionFailed, "connect failed", error);
    }
  }

  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // latency only: failure is harmless
  *out = fd;
  return Status::Ok();
}

Status SimNetwork::connect(std::string_view host, std::uint16_t port, Millis deadline) {
  close();
  FixedString<kMaxHost> name;
  if (host.empty() || host.find('\0') != std::string_view::npos || !name.assign(host)) {
    return Status(Code::kInvalidArgument, "bad host name");
  }
  char service[8];
  std::snprintf(service, sizeof service, "%u", static_cast<unsigned>(port));

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;  // IPv4 and IPv6
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  // No AI_ADDRCONFIG: it hides 127.0.0.1/::1 on machines with only loopback.
  addrinfo* list = nullptr;
  const int gai = getaddrinfo(name.c_str(), service, &hints, &list);
  if (gai != 0) {
    return Status(Code::kConnectionFailed, "DNS lookup failed", gai == EAI_SYSTEM ? errno : gai);
  }
  if (clock_.monotonic_ms() >= deadline) {
    freeaddrinfo(list);
    return Status(Code::kTimeout, "DNS lookup timeout");
  }

  Status result(Code::kConnectionFailed, "no address");
  for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    result = connect_one(ai, deadline, &fd_);
    // Refused or unreachable: try the next address (e.g. ::1 then 127.0.0.1).
    if (result.ok() || result.code() == Code::kTimeout) break;
  }
  freeaddrinfo(list);
  return result;
}

Result<std::size_t> SimNetwork::send(std::span<const std::uint8_t> data, Millis deadline) {
  if (fd_ < 0) return closed_status(0);
  if (data.empty()) return std::size_t{0};
  for (;;) {
    const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n >= 0) return static_cast<std::size_t>(n);
    const int error = errno;
    if (error == EINTR) continue;
    if (error != EAGAIN && error != EWOULDBLOCK) {
      if (is_reset(error)) return closed_status(error);
      return Status(Code::kIoError, "send failed", error);
    }
    POSAGENT_TRY(wait(fd_, POLLOUT, deadline));
  }
}

Result<std::size_t> SimNetwork::recv(std::span<std::uint8_t> buffer, Millis deadline) {
  if (fd_ < 0) return closed_status(0);
  if (buffer.empty()) return Status(Code::kInvalidArgument, "empty recv buffer");
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n > 0) return static_cast<std::size_t>(n);
    if (n == 0) return closed_status(0);  // orderly shutdown by the peer
    const int error = errno;
    if (error == EINTR) continue;
    if (error != EAGAIN && error != EWOULDBLOCK) {
      if (is_reset(error)) return closed_status(error);
      return Status(Code::kIoError, "recv failed", error);
    }
    POSAGENT_TRY(wait(fd_, POLLIN, deadline));
  }
}

void SimNetwork::close() {
  if (fd_ >= 0) {
    ::close(fd_);  // nothing useful to do on error: the descriptor is gone either way
    fd_ = -1;
  }
}

}  // namespace posagent::hal::sim
