// Fixed-capacity text and byte buffers: the capacity is part of the type, the
// storage is inline, and nothing is ever silently truncated: an operation that
// does not fit fails and leaves the contents as they were.
//
// StringSpan / ByteSpan are the size-erased views that APIs take, so code is
// shared across capacities (the Pigweed/ETL pattern).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace posagent {

// A writable, size-erased view of a FixedString: pointer, capacity, length.
class StringSpan {
 public:
  StringSpan(char* data, std::size_t capacity, std::size_t* length)
      : data_(data), capacity_(capacity), length_(length) {}

  std::size_t size() const { return *length_; }
  std::size_t capacity() const { return capacity_; }
  std::size_t remaining() const { return capacity_ - *length_; }
  std::string_view view() const { return {data_, *length_}; }

  void clear() { set_length(0); }
  // Each returns false (and changes nothing) when the result would not fit.
  bool assign(std::string_view text) {
    if (text.size() > capacity_) return false;
    if (!text.empty()) std::memmove(data_, text.data(), text.size());  // an empty view's data may be null
    set_length(text.size());
    return true;
  }
  bool append(std::string_view text) {
    if (text.size() > remaining()) return false;
    if (!text.empty()) std::memcpy(data_ + *length_, text.data(), text.size());
    set_length(*length_ + text.size());
    return true;
  }
  bool push_back(char c) { return append(std::string_view(&c, 1)); }
  // Shortens to n characters (n <= size()).
  void resize_down(std::size_t n) {
    if (n < *length_) set_length(n);
  }

 private:
  void set_length(std::size_t n) {
    *length_ = n;
    data_[n] = '\0';
  }
  char* data_;
  std::size_t capacity_;
  std::size_t* length_;
};

template <std::size_t N>
class FixedString {
 public:
  static constexpr std::size_t kCapacity = N;

  constexpr FixedString() { data_[0] = '\0'; }
  // Builds from text known to fit at compile time or call sites that check
  // with assign(); text that does not fit leaves the string empty.
  explicit FixedString(std::string_view text) {
    data_[0] = '\0';
    (void)assign(text);
  }

  std::size_t size() const { return length_; }
  bool empty() const { return length_ == 0; }
  static constexpr std::size_t capacity() { return N; }
  std::string_view view() const { return {data_, length_}; }
  const char* c_str() const { return data_; }
  char* data() { return data_; }

  StringSpan span() { return StringSpan(data_, N, &length_); }
  bool assign(std::string_view text) { return span().assign(text); }
  bool append(std::string_view text) { return span().append(text); }
  bool push_back(char c) { return span().push_back(c); }
  void clear() { span().clear(); }

  friend bool operator==(const FixedString& a, std::string_view b) { return a.view() == b; }

 private:
  char data_[N + 1];
  std::size_t length_ = 0;
};

// Bytes with a fixed capacity and a current length.
template <std::size_t N>
class ByteBuffer {
 public:
  static constexpr std::size_t kCapacity = N;

  std::size_t size() const { return length_; }
  static constexpr std::size_t capacity() { return N; }
  std::span<const std::uint8_t> bytes() const { return {data_.data(), length_}; }
  std::span<std::uint8_t> storage() { return {data_.data(), N}; }
  std::uint8_t* data() { return data_.data(); }
  const std::uint8_t* data() const { return data_.data(); }

  bool assign(std::span<const std::uint8_t> bytes) {
    if (bytes.size() > N) return false;
    std::memcpy(data_.data(), bytes.data(), bytes.size());
    length_ = bytes.size();
    return true;
  }
  // Precondition: n <= N (after writing into storage()).
  void set_size(std::size_t n) { length_ = n <= N ? n : N; }
  void clear() { length_ = 0; }

 private:
  std::array<std::uint8_t, N> data_{};
  std::size_t length_ = 0;
};

inline std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace posagent
