// SimNetwork against real sockets on the loopback interface.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "hal/sim/sim_clock.hpp"
#include "hal/sim/sim_network.hpp"

using posagent::Code;
using posagent::hal::Millis;
using posagent::hal::sim::SimClock;
using posagent::hal::sim::SimNetwork;

namespace {

// Generous: sanitizers and qemu-user are slow, and CI machines are busy.
constexpr Millis kSlackMs = 3000;

// A socket bound to an ephemeral port on a loopback address; listening
// unless told otherwise. Closed on destruction.
class Peer {
 public:
  explicit Peer(int family = AF_INET, bool listening = true, int backlog = 8) {
    fd_ = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    sockaddr_storage address{};
    socklen_t length = 0;
    if (family == AF_INET) {
      auto* in = reinterpret_cast<sockaddr_in*>(&address);
      in->sin_family = AF_INET;
      in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      length = sizeof *in;
    } else {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(&address);
      in6->sin6_family = AF_INET6;
      in6->sin6_addr = in6addr_loopback;
      length = sizeof *in6;
    }
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        (listening && listen(fd_, backlog) != 0) ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ::close(fd_);
      fd_ = -1;
      return;
    }
    port_ = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in*>(&address)->sin_port
                                    : reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  }
  ~Peer() {
    if (conn_ >= 0) ::close(conn_);
    if (fd_ >= 0) ::close(fd_);
  }
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  bool ok() const { return fd_ >= 0; }
  std::uint16_t port() const { return port_; }

  // Accepts the connection the client made (the kernel already completed
  // the handshake, so this does not block for long).
  bool accept_one() {
    pollfd pfd{fd_, POLLIN, 0};
    if (poll(&pfd, 1, 5000) != 1) return false;
    conn_ = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    return conn_ >= 0;
  }
  int conn() const { return conn_; }
  void close_conn() {
    ::close(conn_);
    conn_ = -1;
  }
  // Closes with an RST instead of a FIN.
  void reset_conn() {
    linger hard{1, 0};
    setsockopt(conn_, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    close_conn();
  }

 private:
  int fd_ = -1;
  int conn_ = -1;
  std::uint16_t port_ = 0;
};

std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace

TEST_CASE("SimNetwork connects, sends and receives over IPv4") {
  SimClock clock;
  Peer peer;
  REQUIRE(peer.ok());
  SimNetwork net(clock);

  REQUIRE(net.connect("127.0.0.1", peer.port(), clock.monotonic_ms() + kSlackMs).ok());
  CHECK(net.connected());
  REQUIRE(peer.accept_one());

  const auto sent = net.send(posagent::as_bytes("ping"), clock.monotonic_ms() + kSlackMs);
  REQUIRE(sent.ok());
  CHECK(*sent == 4);

  // Echo whatever arrived back to the client.
  char buffer[16];
  const ssize_t got = ::recv(peer.conn(), buffer, sizeof buffer, 0);
  REQUIRE(got == 4);
  REQUIRE(::send(peer.conn(), buffer, 4, 0) == 4);

  std::uint8_t in[16];
  const auto received = net.recv(in, clock.monotonic_ms() + kSlackMs);
  REQUIRE(received.ok());
  CHECK(text_of(in, *received) == "ping");

  net.close();
  CHECK_FALSE(net.connected());
  net.close();  // idempotent
  CHECK(net.send(posagent::as_bytes("x"), clock.monotonic_ms() + 10).status().code() == Code::kConnectionClosed);
  CHECK(net.recv(in, clock.monotonic_ms() + 10).status().code() == Code::kConnectionClosed);
}

TEST_CASE("SimNetwork resolves localhost and reaches IPv6 loopback") {
  SimClock clock;
  SimNetwork net(clock);

  SUBCASE("localhost by name") {
    Peer peer(AF_INET);
    REQUIRE(peer.ok());
    REQUIRE(net.connect("localhost", peer.port(), clock.monotonic_ms() + kSlackMs).ok());
    CHECK(peer.accept_one());
  }
  SUBCASE("::1") {
    Peer peer(AF_INET6);
    if (!peer.ok()) {
      MESSAGE("no IPv6 loopback here; skipped");
      return;
    }
    REQUIRE(net.connect("::1", peer.port(), clock.monotonic_ms() + kSlackMs).ok());
    REQUIRE(peer.accept_one());
    REQUIRE(::send(peer.conn(), "v6", 2, 0) == 2);
    std::uint8_t in[8];
    const auto received = net.recv(in, clock.monotonic_ms() + kSlackMs);
    REQUIRE(received.ok());
    CHECK(text_of(in, *received) == "v6");
  }
}

TEST_CASE("SimNetwork reports a refused connection as kConnectionFailed") {
  SimClock clock;
  // Bound but not listening: the port is ours and any SYN to it is refused.
  Peer peer(AF_INET, /*listening=*/false);
  REQUIRE(peer.ok());
  SimNetwork net(clock);
  const posagent::Status s = net.connect("127.0.0.1", peer.port(), clock.monotonic_ms() + kSlackMs);
  CHECK(s.code() == Code::kConnectionFailed);
  CHECK(s.detail() == ECONNREFUSED);
  CHECK_FALSE(net.connected());
}

TEST_CASE("SimNetwork reports an unresolvable host as kConnectionFailed") {
  SimClock clock;
  SimNetwork net(clock);
  // .invalid never resolves (RFC 2606).
  const posagent::Status s = net.connect("no-such-host.invalid", 443, clock.monotonic_ms() + kSlackMs);
  CHECK(s.code() == Code::kConnectionFailed);
  CHECK(std::string_view(s.message()) == "DNS lookup failed");
  CHECK_FALSE(net.connected());

  CHECK(net.connect("", 443, clock.monotonic_ms() + kSlackMs).code() == Code::kInvalidArgument);
  CHECK(net.connect(std::string_view("a\0b", 3), 443, clock.monotonic_ms() + kSlackMs).code() ==
        Code::kInvalidArgument);
}

TEST_CASE("SimNetwork recv times out at its deadline when the peer stays silent") {
  SimClock clock;
  Peer peer;
  REQUIRE(peer.ok());
  SimNetwork net(clock);
  REQUIRE(net.connect("127.0.0.1", peer.port(), clock.monotonic_ms() + kSlackMs).ok());
  REQUIRE(peer.accept_one());

  std::uint8_t in[8];
  const Millis start = clock.monotonic_ms();
  const Millis deadline = start + 300;
  const auto received = net.recv(in, deadline);
  const Millis end = clock.monotonic_ms();
  CHECK(received.status().code() == Code::kTimeout);
  CHECK(end >= deadline);
  CHECK(end < deadline + kSlackMs);

  // A deadline already in the past times out at once.
  const Millis before = clock.monotonic_ms();
  CHECK(net.recv(in, before - 1).status().code() == Code::kTimeout);
  CHECK(clock.monotonic_ms() < before + kSlackMs);
  // The connection is still usable afterwards.
  REQUIRE(::send(peer.conn(), "late", 4, 0) == 4);
  const auto late = net.recv(in, clock.monotonic_ms() + kSlackMs);
  REQUIRE(late.ok());
  CHECK(text_of(in, *late) == "late");
}

TEST_CASE("SimNetwork send times out when the peer stops reading") {
  SimClock clock;
  Peer peer;
  REQUIRE(peer.ok());
  SimNetwork net(clock);
  REQUIRE(net.connect("127.0.0.1", peer.port(), clock.monotonic_ms() + kSlackMs).ok());
  REQUIRE(peer.accept_one());

  static std::uint8_t chunk[64 * 1024];
  posagent::Status last;
  std::size_t total = 0;
  // The socket buffers on both sides fill up; then send must time out.
  for (int i = 0; i < 4096 && last.ok(); ++i) {
    const auto sent = net.send(chunk, clock.monotonic_ms() + 100);
    if (sent.ok()) total += *sent;
    last = sent.status();
  }
  CHECK(last.code() == Code::kTimeout);
  CHECK(total > 0);
}

TEST_CASE("SimNetwork reports the peer closing as kConnectionClosed") {
  SimClock clock;
  Peer peer;
  REQUIRE(peer.ok());
  SimNetwork net(clock);
  REQUIRE(net.connect("127.0.0.1", peer.port(), clock.monotonic_ms() + kSlackMs).ok());
  REQUIRE(peer.accept_one());
  std::uint8_t in[16];

  SUBCASE("orderly close after data: the data first, then kConnectionClosed") {
    REQUIRE(::send(peer.conn(), "bye", 3, 0) == 3);
    peer.close_conn();
    const auto first = net.recv(in, clock.monotonic_ms() + kSlackMs);
    REQUIRE(first.ok());
    CHECK(text_of(in, *first) == "bye");
    const auto second = net.recv(in, clock.monotonic_ms() + kSlackMs);
    CHECK(second.status().code() == Code::kConnectionClosed);
    CHECK(second.status().detail() == 0);

    // Writing into the closed connection fails without SIGPIPE killing us.
    posagent::Status s;
    for (int i = 0; i < 50 && s.ok(); ++i) {
      s = net.send(posagent::as_bytes("more"), clock.monotonic_ms() + kSlackMs).status();
      if (s.ok()) usleep(10'000);  // the first write only provokes the RST
    }
    CHECK(s.code() == Code::kConnectionClosed);
  }
  SUBCASE("reset") {
    peer.reset_conn();
    const auto r = net.recv(in, clock.monotonic_ms() + kSlackMs);
    CHECK(r.status().code() == Code::kConnectionClosed);
    CHECK(r.status().detail() == ECONNRESET);
  }
  SUBCASE("an empty buffer is the caller's error") {
    CHECK(net.recv(std::span<std::uint8_t>(), clock.monotonic_ms() + kSlackMs).status().code() ==
          Code::kInvalidArgument);
    const auto none = net.send(std::span<const std::uint8_t>(), clock.monotonic_ms() + kSlackMs);
    REQUIRE(none.ok());
    CHECK(*none == 0);
  }
}

TEST_CASE("SimNetwork connect times out when the handshake never completes") {
  SimClock clock;
  // A listener whose accept queue is full drops further SYNs (Linux, gVisor),
  // so the next handshake hangs. Fill it with raw connects until one hangs.
  Peer peer(AF_INET, true, /*backlog=*/0);
  REQUIRE(peer.ok());
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  to.sin_port = htons(peer.port());
  int fillers[8];
  int count = 0;
  bool queue_full = false;
  while (count < 8 && !queue_full) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    fillers[count++] = fd;
    (void)::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to);
    pollfd pfd{fd, POLLOUT, 0};
    queue_full = poll(&pfd, 1, 200) == 0;
  }
  if (queue_full) {
    SimNetwork net(clock);
    const Millis deadline = clock.monotonic_ms() + 300;
    const posagent::Status s = net.connect("127.0.0.1", peer.port(), deadline);
    const Millis end = clock.monotonic_ms();
    CHECK(s.code() == Code::kTimeout);
    CHECK(end >= deadline);
    CHECK(end < deadline + kSlackMs);
    CHECK_FALSE(net.connected());
  } else {
    MESSAGE("this kernel completes handshakes beyond the backlog; skipped");
  }
  for (int i = 0; i < count; ++i) ::close(fillers[i]);
}
