#include "core/base/log.hpp"

namespace posagent {

namespace {

constexpr std::string_view kRedacted = "[redacted]";
constexpr std::string_view kCvvMask = "***";
constexpr std::string_view kMissingArgument = "{?}";
// The PAN lengths of ISO/IEC 7812.
constexpr std::size_t kMinCardDigits = 12;
constexpr std::size_t kMaxCardDigits = 19;
// PCI DSS allows at most the first six and last four digits to be shown, and
// only the last four of a PAN shorter than 13 digits.
constexpr std::size_t kShownLeadingDigits = 6;
constexpr std::size_t kShownTrailingDigits = 4;
constexpr std::size_t kMinDigitsToShowLeading = 13;

// text[begin, end) for bounds the caller has checked. Not substr(): its
// bounds check would pull libstdc++'s exception path into a no-exception core.
constexpr std::string_view slice(std::string_view text, std::size_t begin, std::size_t end) {
  return {text.data() + begin, end - begin};
}

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_card_separator(char c) { return c == ' ' || c == '-'; }
constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
constexpr char to_lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr bool is_key_char(char c) {
  return is_upper(c) || is_lower(c) || is_digit(c) || c == '_' || c == '-' || c == '.';
}
// Where a bare (unquoted) value ends: "otp=1234&x=1", "pin: 1234, ...".
constexpr bool ends_bare_value(char c) {
  switch (c) {
    case ' ': case '\t': case '\r': case '\n': case ',': case ';': case '&': case '|':
    case '"': case '\'': case ')': case ']': case '}': case '<': case '>':
      return true;
    default:
      return false;
  }
}

// Whether the index-th of digit_count card digits may be shown.
constexpr bool shows_card_digit(std::size_t index, std::size_t digit_count) {
  if (index + kShownTrailingDigits >= digit_count) return true;
  return digit_count >= kMinDigitsToShowLeading && index < kShownLeadingDigits;
}

struct DigitRun {
  std::size_t end;     // one past the run's last digit
  std::size_t digits;  // digits in it, separators not counted
};

// The run of digits, single spaces or dashes between them allowed, that
// starts with the digit at text[start].
DigitRun measure_digit_run(std::string_view text, std::size_t start) {
  std::size_t i = start;
  std::size_t digits = 0;
  while (i < text.size()) {
    if (is_digit(text[i])) {
      ++digits;
      ++i;
    } else if (is_card_separator(text[i]) && i + 1 < text.size() && is_digit(text[i + 1])) {
      ++i;  // only ever follows a digit, so separators are single
    } else {
      break;
    }
  }
  return {i, digits};
}

constexpr bool is_card_length(std::size_t digits) { return digits >= kMinCardDigits && digits <= kMaxCardDigits; }

// Masks, in place, the digits of every card-length run in text.
void mask_card_runs_in_place(char* text, std::size_t length) {
  const std::string_view view(text, length);
  std::size_t i = 0;
  while (i < length) {
    if (!is_digit(text[i])) {
      ++i;
      continue;
    }
    const DigitRun run = measure_digit_run(view, i);
    if (is_card_length(run.digits)) {
      std::size_t index = 0;
      for (std::size_t j = i; j < run.end; ++j) {
        if (is_digit(text[j]) && !shows_card_digit(index++, run.digits)) text[j] = '*';
      }
    }
    i = run.end;
  }
}

// The words of a key: "x-client-secret" -> x, client, secret;
// "clientSecret" -> client, Secret; "OTPCode" -> OTP, Code.
template <typename Visit>
void for_each_key_word(std::string_view key, Visit visit) {
  std::size_t start = 0;
  for (std::size_t i = 0; i <= key.size(); ++i) {
    const bool at_end = i == key.size();
    const bool separator = !at_end && (key[i] == '_' || key[i] == '-' || key[i] == '.');
    const bool camel_boundary =
        !at_end && i > start && is_upper(key[i]) &&
        (is_lower(key[i - 1]) || (is_upper(key[i - 1]) && i + 1 < key.size() && is_lower(key[i + 1])));
    if (at_end || separator || camel_boundary) {
      if (i > start) visit(slice(key, start, i));
      start = separator ? i + 1 : i;
    }
  }
}

bool equals_ignoring_case(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != lower_b[i]) return false;
  }
  return true;
}

bool is_sensitive_word(std::string_view word) {
  constexpr std::string_view kSensitiveWords[] = {
      "secret", "password", "passwd", "pwd", "passphrase", "passcode", "cvv", "cvv2",
      "cvc",    "cvc2",     "otp",    "pin", "mpin",       "upipin",
  };
  for (std::string_view candidate : kSensitiveWords) {
    if (equals_ignoring_case(word, candidate)) return true;
  }
  return false;
}

// A key is sensitive when it, or one of its words, is a sensitive word. Whole
// words, so "pincode" (a postal code) and "shipping" are not; the whole key
// too, so "PassWord" is despite its camel case.
bool is_sensitive_key(std::string_view key) {
  bool sensitive = is_sensitive_word(key);
  for_each_key_word(key, [&](std::string_view word) { sensitive = sensitive || is_sensitive_word(word); });
  return sensitive;
}

// Writes the message part of a line, redacting as it goes.
class LineWriter {
 public:
  explicit LineWriter(Logger::Line& line) : line_(line) {}

  // Text that is not scanned: the "LEVEL tag: " prefix.
  void plain(std::string_view text) {
    for (char c : text) put(c);
    message_start_ = line_.size();
  }

  // Format text and text arguments: card runs masked, key values redacted.
  // The whole text is measured before anything is written, so a run is
  // masked even when the line is cut in its middle.
  void scanned(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
      if (!is_digit(text[i])) {
        feed(text[i++]);
        continue;
      }
      const DigitRun run = measure_digit_run(text, i);
      const bool mask = is_card_length(run.digits);
      std::size_t index = 0;
      for (; i < run.end; ++i) {
        const char c = text[i];
        const bool hidden = mask && is_digit(c) && !shows_card_digit(index++, run.digits);
        feed(hidden ? '*' : c);
      }
    }
  }

  void argument(const LogArg& arg) {
    if (state_ != State::kText) {
      // The format text started a sensitive value ("otp={}"): the whole
      // argument is that value, whatever it contains.
      if (state_ == State::kAwaitValue) {
        put(kRedacted);
        state_ = State::kBareValue;
      }
      return;
    }
    switch (arg.kind()) {
      case LogArg::Kind::kSigned: {
        const std::int64_t value = arg.as_signed();
        // Negated as unsigned: well defined for INT64_MIN too.
        const std::uint64_t magnitude = value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
        if (value < 0) feed('-');
        write_unsigned(magnitude);
        break;
      }
      case LogArg::Kind::kUnsigned:
        write_unsigned(arg.as_unsigned());
        break;
      case LogArg::Kind::kBool:
        scanned(arg.as_bool() ? "true" : "false");
        break;
      case LogArg::Kind::kText:
        scanned(arg.as_text());
        break;
      case LogArg::Kind::kSecret:
        scanned(kRedacted);
        break;
      case LogArg::Kind::kCvv:
        scanned(kCvvMask);
        break;
      case LogArg::Kind::kCardNumber:
        write_card_number(arg.as_text());
        break;
    }
  }

  // Masks card runs that only formed across pieces ("{}{}"), then marks a cut.
  void finish() {
    mask_card_runs_in_place(line_.data() + message_start_, line_.size() - message_start_);
    if (cut_) {
      line_.span().resize_down(Logger::kLineCapacity - Logger::kCutMarker.size());
      (void)line_.append(Logger::kCutMarker);
    }
  }

 private:
  enum class State : std::uint8_t {
    kText,         // ordinary text
    kAwaitValue,   // after "secret_key=" or "secret_key:", before the value
    kBareValue,    // inside an unquoted value: dropped
    kQuotedValue,  // inside a quoted value: dropped up to the closing quote
    kNestedValue,  // inside a JSON object or array value: dropped to its end
  };

  void write_unsigned(std::uint64_t value) {
    char digits[20];
    std::size_t start = sizeof digits;
    do {
      digits[--start] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0);
    // Scanned like text: a PAN held in an integer is still masked.
    scanned(std::string_view(digits + start, sizeof digits - start));
  }

  // Separators are kept; any other character is hidden like a digit.
  void write_card_number(std::string_view text) {
    std::size_t digit_count = 0;
    for (char c : text) digit_count += is_digit(c) ? 1 : 0;
    std::size_t index = 0;
    for (char c : text) {
      if (is_digit(c)) {
        feed(shows_card_digit(index++, digit_count) ? c : '*');
      } else {
        feed(is_card_separator(c) ? c : '*');
      }
    }
  }

  // The key/value redaction state machine, one character at a time.
  void feed(char c) {
    if (cut_) return;
    switch (state_) {
      case State::kText:
        put(c);
        if (!cut_ && (c == '=' || c == ':') && sensitive_key_before(line_.size() - 1)) state_ = State::kAwaitValue;
        return;
      case State::kAwaitValue:
        if (c == ' ' || c == '\t') {
          put(c);
        } else if (c == '"' || c == '\'') {
          put(c);
          put(kRedacted);
          quote_ = c;
          escaped_ = false;
          state_ = State::kQuotedValue;
        } else if (c == '{' || c == '[') {
          put(kRedacted);
          nesting_depth_ = 1;
          in_nested_string_ = false;
          escaped_ = false;
          state_ = State::kNestedValue;
        } else if (ends_bare_value(c)) {
          state_ = State::kText;  // an empty value: nothing to hide
          feed(c);
        } else {
          put(kRedacted);
          state_ = State::kBareValue;
        }
        return;
      case State::kBareValue:
        if (ends_bare_value(c)) {
          state_ = State::kText;
          feed(c);
        }
        return;
      case State::kQuotedValue:
        if (escaped_) {
          escaped_ = false;
        } else if (c == '\\') {
          escaped_ = true;
        } else if (c == quote_) {
          put(c);
          state_ = State::kText;
        }
        return;
      case State::kNestedValue:
        if (in_nested_string_) {
          if (escaped_) {
            escaped_ = false;
          } else if (c == '\\') {
            escaped_ = true;
          } else if (c == '"') {
            in_nested_string_ = false;
          }
        } else if (c == '"') {
          in_nested_string_ = true;
        } else if (c == '{' || c == '[') {
          ++nesting_depth_;
        } else if ((c == '}' || c == ']') && --nesting_depth_ == 0) {
          state_ = State::kText;
        }
        return;
    }
  }

  // Whether the separator at line position separator_at follows a sensitive
  // key: "pin=", "pin :", "\"pin\":", "'pin':". Only the message is searched.
  bool sensitive_key_before(std::size_t separator_at) const {
    const std::string_view text = line_.view();
    std::size_t end = separator_at;
    while (end > message_start_ && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
    if (end > message_start_ && (text[end - 1] == '"' || text[end - 1] == '\'')) --end;
    std::size_t begin = end;
    while (begin > message_start_ && is_key_char(text[begin - 1])) --begin;
    return begin < end && is_sensitive_key(slice(text, begin, end));
  }

  // Control characters become '?': a line stays one line.
  void put(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) c = '?';
    if (!line_.push_back(c)) cut_ = true;
  }
  void put(std::string_view text) {
    for (char c : text) put(c);
  }

  Logger::Line& line_;
  std::size_t message_start_ = 0;
  bool cut_ = false;
  State state_ = State::kText;
  char quote_ = 0;
  bool escaped_ = false;
  bool in_nested_string_ = false;
  std::size_t nesting_depth_ = 0;
};

}  // namespace

std::string_view log_level_name(hal::LogLevel level) {
  switch (level) {
    case hal::LogLevel::kDebug: return "DEBUG";
    case hal::LogLevel::kInfo: return "INFO";
    case hal::LogLevel::kWarn: return "WARN";
    case hal::LogLevel::kError: return "ERROR";
  }
  return "LOG";
}

Logger::Line Logger::format_line(hal::LogLevel level, std::string_view tag, std::string_view format,
                                 std::span<const LogArg> args) {
  Line line;
  LineWriter writer(line);
  writer.plain(log_level_name(level));
  writer.plain(" ");
  writer.plain(tag);
  writer.plain(": ");

  std::size_t next_arg = 0;
  std::size_t literal_start = 0;
  std::size_t i = 0;
  while (i < format.size()) {
    if (format[i] == '{' && i + 1 < format.size() && format[i + 1] == '}') {
      writer.scanned(slice(format, literal_start, i));
      writer.argument(next_arg < args.size() ? args[next_arg++] : LogArg(kMissingArgument));
      i += 2;
      literal_start = i;
    } else {
      ++i;
    }
  }
  writer.scanned(slice(format, literal_start, format.size()));
  writer.finish();
  return line;
}

void Logger::write(hal::LogLevel level, std::string_view tag, std::string_view format,
                   std::span<const LogArg> args) {
  if (!enabled(level)) return;
  const Line line = format_line(level, tag, format, args);
  sink_.write(level, line.view());
}

}  // namespace posagent
