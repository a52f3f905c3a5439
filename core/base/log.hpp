// Structured, redacting log lines into a hal::LogSink, without heap,
// iostreams or printf:
//
//   Logger log(sink, hal::LogLevel::kInfo);
//   log.info("tls", "connected to {} in {} ms", host, 42);
//   -> "INFO tls: connected to api.cashfree.com in 42 ms"
//
// Placeholders are "{}" only; their count is checked against the arguments
// at compile time, so the format is a string literal (write() takes any
// text). Arguments: integers, bool, text (std::string_view,
// const char*, FixedString<N>), and the wrappers below for sensitive values.
//
// Redaction is by construction, so a careless call cannot leak:
//  - Secret{...} prints "[redacted]", Cvv{...} prints "***", CardNumber{...}
//    prints at most the first six and last four digits.
//  - Everything else (format text, text and integer arguments) is scanned:
//    a run of 12..19 digits, optionally separated by single spaces or
//    dashes, is masked like a CardNumber; the value after a key named like a
//    secret (secret, password, cvv, otp, pin, ...) in "key=value",
//    "key: value" or JSON "key":"value" form becomes "[redacted]". A value
//    started in the format text ("otp={}") redacts the whole argument.
//  - Control characters print as '?', so a peer's text cannot forge lines.
//
// A line is at most kLineCapacity characters; a longer one is cut and ends
// with kCutMarker.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

#include "core/base/fixed_string.hpp"
#include "hal/log.hpp"

namespace posagent {

// Sensitive values, printed as "[redacted]", masked digits, and "***".
struct Secret {
  std::string_view text;
};
struct CardNumber {
  std::string_view digits;  // may contain spaces or dashes between groups
};
struct Cvv {
  std::string_view text;
};

// One formatting argument; refers to (does not copy) the caller's text, so it
// lives only for the duration of the logging call.
class LogArg {
 public:
  enum class Kind : std::uint8_t { kSigned, kUnsigned, kBool, kText, kSecret, kCardNumber, kCvv };

  template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char> && !std::same_as<T, wchar_t> &&
             !std::same_as<T, char8_t> && !std::same_as<T, char16_t> && !std::same_as<T, char32_t>)
  constexpr LogArg(T value) {  // NOLINT: implicit by design, like std::format arguments
    if constexpr (std::is_signed_v<T>) {
      kind_ = Kind::kSigned;
      signed_ = value;
    } else {
      kind_ = Kind::kUnsigned;
      unsigned_ = value;
    }
  }
  // A template so that pointers and other types do not convert to bool.
  template <std::same_as<bool> T>
  constexpr LogArg(T value) : kind_(Kind::kBool), flag_(value) {}
  constexpr LogArg(std::string_view text) : kind_(Kind::kText), text_(text) {}
  // A null pointer prints "(null)".
  constexpr LogArg(const char* text) : kind_(Kind::kText), text_(text != nullptr ? text : "(null)") {}
  template <std::size_t N>
  LogArg(const FixedString<N>& text) : kind_(Kind::kText), text_(text.view()) {}
  constexpr LogArg(Secret secret) : kind_(Kind::kSecret), text_(secret.text) {}
  constexpr LogArg(CardNumber card) : kind_(Kind::kCardNumber), text_(card.digits) {}
  constexpr LogArg(Cvv cvv) : kind_(Kind::kCvv), text_(cvv.text) {}
  // A char is ambiguous (a letter or a small number?): cast it.
  LogArg(char) = delete;

  Kind kind() const { return kind_; }
  std::int64_t as_signed() const { return signed_; }
  std::uint64_t as_unsigned() const { return unsigned_; }
  bool as_bool() const { return flag_; }
  std::string_view as_text() const { return text_; }

 private:
  Kind kind_;
  std::int64_t signed_ = 0;
  std::uint64_t unsigned_ = 0;
  bool flag_ = false;
  std::string_view text_;
};

namespace log_detail {
constexpr std::size_t count_placeholders(std::string_view format) {
  std::size_t count = 0;
  for (std::size_t i = 0; i + 1 < format.size(); ++i) {
    if (format[i] == '{' && format[i + 1] == '}') {
      ++count;
      ++i;
    }
  }
  return count;
}
// Not constexpr: reaching it during constant evaluation is the compile error.
inline void format_placeholder_count_differs_from_argument_count() {}
}  // namespace log_detail

// A format string whose "{}" count matches Args, checked at compile time.
template <typename... Args>
class LogFormat {
 public:
  template <std::size_t N>
  consteval LogFormat(const char (&text)[N]) : text_(text, N - 1) {  // NOLINT: implicit by design
    if (log_detail::count_placeholders(text_) != sizeof...(Args)) {
      log_detail::format_placeholder_count_differs_from_argument_count();
    }
  }
  constexpr std::string_view view() const { return text_; }

 private:
  std::string_view text_;
};

class Logger {
 public:
  static constexpr std::size_t kLineCapacity = 192;
  static constexpr std::string_view kCutMarker = "[...]";
  using Line = FixedString<kLineCapacity>;

  explicit Logger(hal::LogSink& sink, hal::LogLevel min_level = hal::LogLevel::kInfo)
      : sink_(sink), min_level_(min_level) {}

  void set_min_level(hal::LogLevel level) { min_level_ = level; }
  hal::LogLevel min_level() const { return min_level_; }
  bool enabled(hal::LogLevel level) const { return level >= min_level_; }

  template <typename... Args>
  void debug(std::string_view tag, LogFormat<std::type_identity_t<Args>...> format, const Args&... args) {
    log(hal::LogLevel::kDebug, tag, format.view(), args...);
  }
  template <typename... Args>
  void info(std::string_view tag, LogFormat<std::type_identity_t<Args>...> format, const Args&... args) {
    log(hal::LogLevel::kInfo, tag, format.view(), args...);
  }
  template <typename... Args>
  void warn(std::string_view tag, LogFormat<std::type_identity_t<Args>...> format, const Args&... args) {
    log(hal::LogLevel::kWarn, tag, format.view(), args...);
  }
  template <typename... Args>
  void error(std::string_view tag, LogFormat<std::type_identity_t<Args>...> format, const Args&... args) {
    log(hal::LogLevel::kError, tag, format.view(), args...);
  }

  // The unchecked entry point: a "{}" without an argument prints "{?}", and
  // arguments without a "{}" are not printed.
  void write(hal::LogLevel level, std::string_view tag, std::string_view format, std::span<const LogArg> args);

  // Builds the line write() would send: "LEVEL tag: message", redacted.
  static Line format_line(hal::LogLevel level, std::string_view tag, std::string_view format,
                          std::span<const LogArg> args);

 private:
  template <typename... Args>
  void log(hal::LogLevel level, std::string_view tag, std::string_view format, const Args&... args) {
    if (!enabled(level)) return;  // before any formatting work
    if constexpr (sizeof...(Args) == 0) {
      write(level, tag, format, {});
    } else {
      const LogArg packed[] = {LogArg(args)...};
      write(level, tag, format, packed);
    }
  }

  hal::LogSink& sink_;
  hal::LogLevel min_level_;
};

// "DEBUG", "INFO", "WARN", "ERROR".
std::string_view log_level_name(hal::LogLevel level);

}  // namespace posagent
