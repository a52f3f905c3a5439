// The journal records' byte primitives: little-endian integers and
// fixed-capacity strings (a u16 length, then the full capacity, the unused
// tail zero), written and read at a running offset. Internal to core/engine's
// codecs (the sale journal and the capture/void record); bounds are the
// callers', who size their buffers from the layout first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/base/fixed_string.hpp"

namespace posagent::engine::record_bytes {


class Writer {
 public:
  explicit Writer(std::uint8_t* out) : out_(out) {}
  void u8(std::uint8_t v) { out_[pos_++] = v; }
  void u16(std::uint16_t v) {
    u8(static_cast<std::uint8_t>(v));
    u8(static_cast<std::uint8_t>(v >> 8));
  }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) u8(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void i64(std::int64_t v) {
    const auto u = static_cast<std::uint64_t>(v);
    for (int i = 0; i < 8; ++i) u8(static_cast<std::uint8_t>(u >> (8 * i)));
  }
  template <std::size_t N>
  void text(const FixedString<N>& s) {
    u16(static_cast<std::uint16_t>(s.size()));
    std::memcpy(out_ + pos_, s.view().data(), s.size());
    std::memset(out_ + pos_ + s.size(), 0, N - s.size());
    pos_ += N;
  }
  std::size_t pos() const { return pos_; }

 private:
  std::uint8_t* out_;
  std::size_t pos_ = 0;
};

class Reader {
 public:
  explicit Reader(const std::uint8_t* in) : in_(in) {}
  std::uint8_t u8() { return in_[pos_++]; }
  std::uint16_t u16() {
    const std::uint16_t lo = u8();
    return static_cast<std::uint16_t>(lo | (u8() << 8));
  }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(u8()) << (8 * i);
    return v;
  }
  std::int64_t i64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(u8()) << (8 * i);
    return static_cast<std::int64_t>(v);
  }
  // False for a length over N, a NUL inside the text, or non-zero padding:
  // each would make two byte strings decode to the same record.
  template <std::size_t N>
  bool text(FixedString<N>& s) {
    const std::size_t length = u16();
    if (length > N) return false;
    const char* start = reinterpret_cast<const char*>(in_ + pos_);
    if (std::memchr(start, '\0', length) != nullptr) return false;
    for (std::size_t i = length; i < N; ++i)
      if (in_[pos_ + i] != 0) return false;
    (void)s.assign(std::string_view(start, length));
    pos_ += N;
    return true;
  }

 private:
  const std::uint8_t* in_;
  std::size_t pos_ = 0;
};

template <typename E>
bool enum_from(std::uint8_t raw, std::uint8_t count, E* out) {
  if (raw >= count) return false;
  *out = static_cast<E>(raw);
  return true;
}

}  // namespace posagent::engine::record_bytes
