// A Transport that plays a script: each open() starts the next scripted
// connection, whose peer sends the given bytes in slices of the given sizes
// and then closes, stalls until the deadline, or fails. Like a real server on
// a kept-alive connection, it sends `then` only once a second request has
// started. Everything the client sends is recorded.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/status.hpp"
#include "core/http/transport.hpp"

namespace posagent::http::test {

struct ScriptedConnection {
  enum class End : std::uint8_t { kEof, kStall, kError };

  std::string_view incoming;      // what the peer sends
  std::string_view then;          // what it sends after the next request starts
  std::size_t first_slice = 0;    // bytes in the first recv (0: as `slice`)
  std::size_t slice = 0;          // bytes per later recv (0: as many as fit)
  End end = End::kEof;            // what recv does once the bytes are used up
  Status open_status = Status::Ok();
  std::size_t accept_limit = SIZE_MAX;  // request bytes accepted before send fails
  std::size_t send_slice = 0;           // bytes accepted per send (0: all)

  // Builders, so a script reads as one line per connection.
  ScriptedConnection with_then(std::string_view bytes) const { auto c = *this; c.then = bytes; return c; }
  ScriptedConnection with_slices(std::size_t first, std::size_t later) const {
    auto c = *this;
    c.first_slice = first;
    c.slice = later;
    return c;
  }
  ScriptedConnection ending(End e) const { auto c = *this; c.end = e; return c; }
  ScriptedConnection failing_open(Status s) const { auto c = *this; c.open_status = s; return c; }
  ScriptedConnection accepting(std::size_t limit) const { auto c = *this; c.accept_limit = limit; return c; }
  ScriptedConnection send_slices(std::size_t n) const { auto c = *this; c.send_slice = n; return c; }
};

inline ScriptedConnection peer(std::string_view incoming) {
  ScriptedConnection c;
  c.incoming = incoming;
  return c;
}

// The request log is static: large buffers stay off the Cortex-M4 stack.
// One ScriptedTransport at a time.
inline FixedString<4096> g_sent;

class ScriptedTransport final : public Transport {
 public:
  explicit ScriptedTransport(std::span<const ScriptedConnection> script) : script_(script) { g_sent.clear(); }

  Status open(hal::Millis deadline) override {
    note(deadline);
    ++opens;
    if (next_ >= script_.size()) return Status(Code::kConnectionFailed, "no more script");
    conn_ = &script_[next_++];
    received_ = 0;
    recvs_ = 0;
    accepted_ = 0;
    released_ = false;
    if (!conn_->open_status.ok()) return conn_->open_status;
    open_ = true;
    return Status::Ok();
  }

  bool is_open() const override { return open_; }

  Result<std::size_t> send(std::span<const std::uint8_t> data, hal::Millis deadline) override {
    note(deadline);
    if (!open_) return Status(Code::kInternal, "send while closed");
    if (data.empty()) return Status(Code::kInternal, "empty send");
    if (recvs_ > 0) released_ = true;  // a send after reading: the next request
    if (accepted_ >= conn_->accept_limit) return Status(Code::kIoError, "send failed");
    std::size_t n = std::min(data.size(), conn_->accept_limit - accepted_);
    if (conn_->send_slice != 0) n = std::min(n, conn_->send_slice);
    if (!g_sent.append({reinterpret_cast<const char*>(data.data()), n})) {
      return Status(Code::kInternal, "sent log full");
    }
    accepted_ += n;
    return n;
  }

  Result<std::size_t> recv(std::span<std::uint8_t> buffer, hal::Millis deadline) override {
    note(deadline);
    if (!open_) return Status(Code::kInternal, "recv while closed");
    if (buffer.empty()) return Status(Code::kInternal, "empty recv");
    const std::string_view rest = stream().substr(received_);
    if (rest.empty()) {
      switch (conn_->end) {
        case ScriptedConnection::End::kEof: return Status(Code::kConnectionClosed, "peer closed");
        case ScriptedConnection::End::kStall: return Status(Code::kTimeout, "recv timeout");
        case ScriptedConnection::End::kError: return Status(Code::kIoError, "recv failed");
      }
    }
    std::size_t n = (recvs_ == 0 && conn_->first_slice != 0) ? conn_->first_slice : conn_->slice;
    if (n == 0) n = rest.size();
    n = std::min({n, rest.size(), buffer.size()});
    std::memcpy(buffer.data(), rest.data(), n);
    received_ += n;
    ++recvs_;
    return n;
  }

  void close() override {
    if (open_) ++closes;
    open_ = false;
  }

  // Peer bytes not yet read on the current connection.
  std::size_t unread() const { return conn_ == nullptr ? 0 : stream().size() - received_; }

  int opens = 0;
  int closes = 0;
  // Every call must carry the exchange's deadline.
  hal::Millis first_deadline = 0;
  bool deadlines_agree = true;

 private:
  void note(hal::Millis deadline) {
    if (!seen_deadline_) first_deadline = deadline;
    seen_deadline_ = true;
    if (deadline != first_deadline) deadlines_agree = false;
  }

  // The bytes the peer has sent so far, `then` included once released.
  std::string_view stream() const {
    if (!released_ || conn_->then.empty()) return conn_->incoming;
    stream_.clear();
    stream_.append(conn_->incoming);
    stream_.append(conn_->then);
    return stream_.view();
  }

  std::span<const ScriptedConnection> script_;
  mutable FixedString<1024> stream_;
  std::size_t next_ = 0;
  const ScriptedConnection* conn_ = nullptr;
  std::size_t received_ = 0;
  std::size_t recvs_ = 0;
  std::size_t accepted_ = 0;
  bool open_ = false;
  bool released_ = false;
  bool seen_deadline_ = false;
};

}  // namespace posagent::http::test
