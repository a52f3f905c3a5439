// Errors as values: every fallible call in core/ returns a Status or a Result<T>.
// A Status carries a machine-readable Code, a short message that fits one
// 20-character terminal line, and an optional numeric detail (an Mbed TLS or
// llhttp error number, an errno) for logs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>

namespace posagent {

enum class Code : std::uint8_t {
  kOk = 0,
  kInvalidArgument,   // the caller's input is wrong; nothing was sent
  kOutOfRange,        // a value is outside what the gateway or format allows
  kCapacityExceeded,  // a fixed buffer is too small; the data was not truncated
  kParseError,        // bytes from a peer do not form a valid message
  kProtocolError,     // a valid message that breaks the protocol's rules
  kTimeout,           // a deadline passed; the outcome of any request is unknown
  kCancelled,         // the cashier or the customer cancelled (a keypad's Cancel)
  kConnectionFailed,  // could not connect (DNS, refused, unreachable)
  kConnectionClosed,  // the peer closed or reset the connection
  kIoError,           // a device or transport error
  kTlsError,          // the TLS handshake or record layer failed
  kCertificateInvalid,// the peer's certificate chain or name did not verify
  kNotFound,
  kUnavailable,       // a facility this device or backend does not support
  kInternal,          // a bug: an invariant did not hold
};

// Short name of a code, for logs and tests.
std::string_view code_name(Code code);

class [[nodiscard]] Status {
 public:
  constexpr Status() = default;
  // short_message must have static storage and fit a 20-character line.
  constexpr Status(Code code, const char* short_message, std::int32_t detail = 0)
      : code_(code), message_(short_message), detail_(detail) {}

  static constexpr Status Ok() { return Status(); }

  constexpr bool ok() const { return code_ == Code::kOk; }
  constexpr Code code() const { return code_; }
  constexpr const char* message() const { return message_; }
  constexpr std::int32_t detail() const { return detail_; }

  // Marks a status as deliberately ignored.
  constexpr void ignore() const {}

 private:
  Code code_ = Code::kOk;
  const char* message_ = "OK";
  std::int32_t detail_ = 0;
};

// Either a value or a non-OK Status. No exceptions, no heap.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(const T& value) : has_value_(true) { new (&value_) T(value); }
  Result(T&& value) : has_value_(true) { new (&value_) T(std::move(value)); }
  Result(Status status) : status_(status), has_value_(false) {
    if (status_.ok()) status_ = Status(Code::kInternal, "OK without value");
  }
  Result(const Result& other) : status_(other.status_), has_value_(other.has_value_) {
    if (has_value_) new (&value_) T(other.value_);
  }
  Result& operator=(const Result& other) {
    if (this != &other) {
      reset();
      status_ = other.status_;
      has_value_ = other.has_value_;
      if (has_value_) new (&value_) T(other.value_);
    }
    return *this;
  }
  ~Result() { reset(); }

  bool ok() const { return has_value_; }
  Status status() const { return has_value_ ? Status::Ok() : status_; }

  // Precondition: ok(). Reading the value of an error is a bug.
  T& value() { return value_; }
  const T& value() const { return value_; }
  T& operator*() { return value_; }
  const T& operator*() const { return value_; }
  T* operator->() { return &value_; }
  const T* operator->() const { return &value_; }

  T value_or(T fallback) const { return has_value_ ? value_ : fallback; }

 private:
  void reset() {
    if (has_value_) value_.~T();
    has_value_ = false;
  }

  union {
    T value_;
  };
  Status status_;
  bool has_value_;
};

}  // namespace posagent

// Returns early from the enclosing function with the status of a failed call.
#define POSAGENT_TRY(expr)                              \
  do {                                                  \
    const ::posagent::Status posagent_try_s_ = (expr);  \
    if (!posagent_try_s_.ok()) return posagent_try_s_;  \
  } while (0)
