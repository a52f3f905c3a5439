// The byte stream an HTTP client talks through: a TLS session in production,
// a plain socket or an in-memory pipe in tests. Every call is bounded by an
// absolute deadline on the monotonic clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/base/status.hpp"
#include "hal/clock.hpp"

namespace posagent {

class Transport {
 public:
  // Opens (or reopens) the connection to the peer the transport was set up for.
  virtual Status open(hal::Millis deadline) = 0;
  virtual bool is_open() const = 0;
  // Writes at least one byte of data; returns how many.
  virtual Result<std::size_t> send(std::span<const std::uint8_t> data, hal::Millis deadline) = 0;
  // Reads at least one byte; kConnectionClosed when the peer closed cleanly,
  // kTimeout when the deadline passed.
  virtual Result<std::size_t> recv(std::span<std::uint8_t> buffer, hal::Millis deadline) = 0;
  virtual void close() = 0;

 protected:
  ~Transport() = default;
};

}  // namespace posagent
