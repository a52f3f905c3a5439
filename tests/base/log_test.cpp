#include <doctest/doctest.h>

#include <cstdint>
#include <string_view>
#include <type_traits>

#include "core/base/fixed_string.hpp"
#include "core/base/log.hpp"

using posagent::CardNumber;
using posagent::Cvv;
using posagent::FixedString;
using posagent::LogArg;
using posagent::Logger;
using posagent::LogFormat;
using posagent::Secret;
using posagent::hal::LogLevel;

namespace {

// Keeps the last line, with room to notice a line longer than the limit.
class RecordingSink final : public posagent::hal::LogSink {
 public:
  void write(LogLevel level, std::string_view line) override {
    ++lines;
    last_level = level;
    last_line_size = line.size();
    if (!last.assign(line)) last.assign("<line too long for the test sink>");
  }
  int lines = 0;
  LogLevel last_level = LogLevel::kDebug;
  std::size_t last_line_size = 0;
  FixedString<512> last;
};

// Logs at info with tag "t" and returns the line, or "<nothing>".
struct Harness {
  RecordingSink sink;
  Logger log{sink, LogLevel::kDebug};

  template <typename... Args>
  std::string_view info(LogFormat<std::type_identity_t<Args>...> format, const Args&... args) {
    const int before = sink.lines;
    log.info("t", format, args...);
    return sink.lines == before ? std::string_view("<nothing>") : sink.last.view();
  }
};

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

}  // namespace

TEST_CASE("Logger writes LEVEL tag: message with {} replaced in order") {
  RecordingSink sink;
  Logger log(sink, LogLevel::kDebug);
  log.info("tls", "connected to {} in {} ms", "api.cashfree.com", 42);
  CHECK(sink.last.view() == "INFO tls: connected to api.cashfree.com in 42 ms");
  CHECK(sink.last_level == LogLevel::kInfo);
  log.debug("http", "status {}", 200);
  CHECK(sink.last.view() == "DEBUG http: status 200");
  CHECK(sink.last_level == LogLevel::kDebug);
  log.warn("net", "retry {} of {}", 2u, 3u);
  CHECK(sink.last.view() == "WARN net: retry 2 of 3");
  CHECK(sink.last_level == LogLevel::kWarn);
  log.error("app", "no arguments");
  CHECK(sink.last.view() == "ERROR app: no arguments");
  CHECK(sink.last_level == LogLevel::kError);
  log.info("x", "{}{}{}", "a", "b", "c");
  CHECK(sink.last.view() == "INFO x: abc");
  log.info("x", "");
  CHECK(sink.last.view() == "INFO x: ");
  CHECK(sink.lines == 6);
}

TEST_CASE("Logger drops lines below its minimum level") {
  RecordingSink sink;
  Logger log(sink, LogLevel::kWarn);
  CHECK(log.min_level() == LogLevel::kWarn);
  CHECK_FALSE(log.enabled(LogLevel::kDebug));
  CHECK_FALSE(log.enabled(LogLevel::kInfo));
  CHECK(log.enabled(LogLevel::kWarn));
  CHECK(log.enabled(LogLevel::kError));
  log.debug("t", "d");
  log.info("t", "i {}", 1);
  CHECK(sink.lines == 0);
  log.warn("t", "w");
  CHECK(sink.lines == 1);
  log.error("t", "e");
  CHECK(sink.lines == 2);
  log.set_min_level(LogLevel::kDebug);
  log.debug("t", "d");
  CHECK(sink.lines == 3);
  CHECK(sink.last.view() == "DEBUG t: d");
  log.set_min_level(LogLevel::kError);
  log.warn("t", "w");
  log.write(LogLevel::kWarn, "t", "w", {});
  CHECK(sink.lines == 3);
  // The default minimum is info.
  Logger defaulted(sink);
  defaulted.debug("t", "d");
  CHECK(sink.lines == 3);
  defaulted.info("t", "i");
  CHECK(sink.lines == 4);
}

TEST_CASE("Logger formats integers of every width and sign, and bools") {
  Harness h;
  CHECK(h.info("{}", 0) == "INFO t: 0");
  CHECK(h.info("{} {}", std::int8_t{-128}, std::uint8_t{255}) == "INFO t: -128 255");
  CHECK(h.info("{} {}", std::int16_t{-32768}, std::uint16_t{65535}) == "INFO t: -32768 65535");
  CHECK(h.info("{} {}", INT32_MIN, UINT32_MAX) == "INFO t: -2147483648 4294967295");
  CHECK(h.info("{}", std::int64_t{-1}) == "INFO t: -1");
  CHECK(h.info("{}", 1234567890LL) == "INFO t: 1234567890");
  // 20 digits: longer than any card number, printed as is.
  CHECK(h.info("{}", UINT64_MAX) == "INFO t: 18446744073709551615");
  // 19 digits: integers are scanned like text, so these are masked as PANs.
  CHECK(h.info("{}", INT64_MIN) == "INFO t: -922337*********5808");
  CHECK(h.info("{}", INT64_MAX) == "INFO t: 922337*********5807");
  CHECK(h.info("{} {}", true, false) == "INFO t: true false");
}

TEST_CASE("Logger formats text arguments of every kind") {
  Harness h;
  const char* null_text = nullptr;
  char mutable_text[] = "mutable";
  FixedString<16> fixed("fixed");
  CHECK(h.info("[{}]", std::string_view("view")) == "INFO t: [view]");
  CHECK(h.info("[{}]", "literal") == "INFO t: [literal]");
  CHECK(h.info("[{}]", mutable_text) == "INFO t: [mutable]");
  CHECK(h.info("[{}]", fixed) == "INFO t: [fixed]");
  CHECK(h.info("[{}]", null_text) == "INFO t: [(null)]");
  CHECK(h.info("[{}]", "") == "INFO t: []");
  // Only "{}" is a placeholder; other braces are text.
  CHECK(h.info("{ } {x} }{ {}", 1) == "INFO t: { } {x} }{ 1");
  // An argument's own "{}" is not expanded again.
  CHECK(h.info("{} {}", "{}", 2) == "INFO t: {} 2");
}

TEST_CASE("LogArg refuses types it cannot print safely") {
  static_assert(std::is_constructible_v<LogArg, int>);
  static_assert(std::is_constructible_v<LogArg, unsigned long long>);
  static_assert(std::is_constructible_v<LogArg, bool>);
  static_assert(std::is_constructible_v<LogArg, const char*>);
  static_assert(!std::is_constructible_v<LogArg, char>);
  static_assert(!std::is_constructible_v<LogArg, double>);
  static_assert(!std::is_constructible_v<LogArg, float>);
  static_assert(!std::is_constructible_v<LogArg, const int*>);
  static_assert(!std::is_constructible_v<LogArg, const void*>);
  static_assert(posagent::log_detail::count_placeholders("a {} b {}{} {") == 3);
  static_assert(posagent::log_detail::count_placeholders("{{}") == 1);
  static_assert(posagent::log_detail::count_placeholders("") == 0);
  CHECK(LogArg(std::uint8_t{7}).kind() == LogArg::Kind::kUnsigned);
  CHECK(LogArg(std::int8_t{-7}).kind() == LogArg::Kind::kSigned);
  CHECK(LogArg(true).kind() == LogArg::Kind::kBool);
}

TEST_CASE("Secret and Cvv never show their contents") {
  Harness h;
  CHECK(h.info("key {}", Secret{"sk_live_abc"}) == "INFO t: key [redacted]");
  CHECK(h.info("key {}", Secret{""}) == "INFO t: key [redacted]");
  CHECK(h.info("cvv {}", Cvv{"123"}) == "INFO t: cvv ***");
  CHECK(h.info("cvv {}", Cvv{"1234"}) == "INFO t: cvv ***");
  CHECK(h.info("cvv {}", Cvv{""}) == "INFO t: cvv ***");
}

TEST_CASE("CardNumber shows at most the first six and the last four digits") {
  Harness h;
  CHECK(h.info("{}", CardNumber{"4111111111111111"}) == "INFO t: 411111******1111");
  CHECK(h.info("{}", CardNumber{"4000123456789010"}) == "INFO t: 400012******9010");
  CHECK(h.info("{}", CardNumber{"4000 1234 5678 9010"}) == "INFO t: 4000 12** **** 9010");
  CHECK(h.info("{}", CardNumber{"4000-1234-5678-9010"}) == "INFO t: 4000-12**-****-9010");
  CHECK(h.info("{}", CardNumber{"4000123456789010123"}) == "INFO t: 400012*********0123");  // 19
  CHECK(h.info("{}", CardNumber{"4000123456789"}) == "INFO t: 400012***6789");              // 13
  // Fewer than 13 digits: only the last four.
  CHECK(h.info("{}", CardNumber{"400012345678"}) == "INFO t: ********5678");  // 12
  CHECK(h.info("{}", CardNumber{"12345"}) == "INFO t: *2345");
  CHECK(h.info("{}", CardNumber{""}) == "INFO t: ");
  // Anything that is not a digit or a separator is hidden too; the 15 digits
  // left follow the usual rule.
  CHECK(h.info("{}", CardNumber{"4000x23456789010"}) == "INFO t: 4000*23*****9010");
  CHECK(h.info("{}", CardNumber{"4000123456789010\n"}) == "INFO t: 400012******9010*");
}

TEST_CASE("Digit runs of 12 to 19 in plain text are masked as card numbers") {
  Harness h;
  CHECK(h.info("pan {} ok", "4000123456789010") == "INFO t: pan 400012******9010 ok");
  CHECK(h.info("{}", "4000 1234 5678 9010") == "INFO t: 4000 12** **** 9010");
  CHECK(h.info("{}", "4000-1234-5678-9010") == "INFO t: 4000-12**-****-9010");
  CHECK(h.info("{}", "card:4000123456789010;") == "INFO t: card:400012******9010;");
  CHECK(h.info("{}", "x4000123456789010y") == "INFO t: x400012******9010y");
  CHECK(h.info("{}", "400012345678") == "INFO t: ********5678");                 // 12: last four only
  CHECK(h.info("{}", "4000123456789") == "INFO t: 400012***6789");               // 13
  CHECK(h.info("{}", "4000123456789010123") == "INFO t: 400012*********0123");   // 19
  // Outside 12..19 digits: not a card number.
  CHECK(h.info("{}", "40001234567") == "INFO t: 40001234567");                    // 11
  CHECK(h.info("{}", "40001234567890101234") == "INFO t: 40001234567890101234");  // 20
  // Only single separators join groups.
  CHECK(h.info("{}", "4000  1234 5678 9010") == "INFO t: 4000  **** **** 9010");
  CHECK(h.info("{}", "4000--1234-5678-9010") == "INFO t: 4000--****-****-9010");
  CHECK(h.info("{}", "4000.1234.5678.9010") == "INFO t: 4000.1234.5678.9010");
  // Two card numbers in one argument.
  CHECK(h.info("{}", "4000123456789010,5500005555555559") == "INFO t: 400012******9010,550000******5559");
  // Dates and amounts stay readable.
  CHECK(h.info("{}", "2023-08-11 18:02:46 amount 2299.50") == "INFO t: 2023-08-11 18:02:46 amount 2299.50");
}

TEST_CASE("Card numbers are masked in the format text, integers, and across arguments") {
  Harness h;
  CHECK(h.info("pan 4000123456789010") == "INFO t: pan 400012******9010");
  CHECK(h.info("{}", 4000123456789010ULL) == "INFO t: 400012******9010");
  CHECK(h.info("{}", -4000123456789010LL) == "INFO t: -400012******9010");
  CHECK(h.info("{}{}", "40001234", "56789010") == "INFO t: 400012******9010");
  CHECK(h.info("{} {} {} {}", 4000, 1234, 5678, 9010) == "INFO t: 4000 12** **** 9010");
  CHECK(h.info("4000{}9010", 12345678) == "INFO t: 400012******9010");
}

TEST_CASE("Values of sensitive keys are redacted in key=value, key: value and JSON forms") {
  Harness h;
  CHECK(h.info("{}", "user=ravi password=hunter2 next") == "INFO t: user=ravi password=[redacted] next");
  CHECK(h.info("{}", "otp=123456&order=42") == "INFO t: otp=[redacted]&order=42");
  CHECK(h.info("{}", "pin: 1234, ok") == "INFO t: pin: [redacted], ok");
  CHECK(h.info("{}", "pin = 1234") == "INFO t: pin = [redacted]");
  CHECK(h.info("{}", "x-client-secret: abc123") == "INFO t: x-client-secret: [redacted]");
  CHECK(h.info("{}", "client_secret=abc;x=1") == "INFO t: client_secret=[redacted];x=1");
  CHECK(h.info("{}", "clientSecret=abc") == "INFO t: clientSecret=[redacted]");
  CHECK(h.info("{}", "OTP=1 PIN=2 Cvv=3 PassWord=4") ==
        "INFO t: OTP=[redacted] PIN=[redacted] Cvv=[redacted] PassWord=[redacted]");
  CHECK(h.info("{}", "OTPCode=1 upiPin=2 card.cvv2=3") ==
        "INFO t: OTPCode=[redacted] upiPin=[redacted] card.cvv2=[redacted]");
  CHECK(h.info("{}", "password='two words' x=1") == "INFO t: password='[redacted]' x=1");
  CHECK(h.info("{}", "password=") == "INFO t: password=");
  CHECK(h.info("{}", "pin=&x=1") == "INFO t: pin=&x=1");
}

TEST_CASE("Values of sensitive keys are redacted in JSON") {
  Harness h;
  CHECK(h.info("{}", R"({"otp":"123456","amount":"10.00"})") == R"(INFO t: {"otp":"[redacted]","amount":"10.00"})");
  CHECK(h.info("{}", R"({"cvv" : "123", "x": 1})") == R"(INFO t: {"cvv" : "[redacted]", "x": 1})");
  CHECK(h.info("{}", R"({"pin":1234,"x":2})") == R"(INFO t: {"pin":[redacted],"x":2})");
  CHECK(h.info("{}", R"({"secret":"a\"b,c","x":1})") == R"(INFO t: {"secret":"[redacted]","x":1})");
  CHECK(h.info("{}", R"({"secret":{"a":"}","b":[1,{"c":2}]},"x":1})") == R"(INFO t: {"secret":[redacted],"x":1})");
  CHECK(h.info("{}", R"({"otp":["1","2"],"x":1})") == R"(INFO t: {"otp":[redacted],"x":1})");
  CHECK(h.info("{}", R"({"password":null})") == R"(INFO t: {"password":[redacted]})");
  // An unterminated value hides everything after it.
  CHECK(h.info("{}", R"({"otp":"123456)") == R"(INFO t: {"otp":"[redacted])");
}

TEST_CASE("Keys that merely contain a sensitive word are left alone") {
  Harness h;
  CHECK(h.info("{}", "pincode=560001 shipping=fast spin=3") == "INFO t: pincode=560001 shipping=fast spin=3");
  CHECK(h.info("{}", "enter pin now; otp sent") == "INFO t: enter pin now; otp sent");
  CHECK(h.info("{}", "https://api.cashfree.com/pg/orders") == "INFO t: https://api.cashfree.com/pg/orders");
  CHECK(h.info("{}", "time 10:20:12") == "INFO t: time 10:20:12");
  CHECK(h.info("{}", R"({"order_id":"o1","order_amount":10.5})") == R"(INFO t: {"order_id":"o1","order_amount":10.5})");
}

TEST_CASE("A sensitive key in the format text redacts the whole argument") {
  Harness h;
  CHECK(h.info("otp={} sent to {}", "123456", "ravi") == "INFO t: otp=[redacted] sent to ravi");
  CHECK(h.info("pin: {}", 1234) == "INFO t: pin: [redacted]");
  CHECK(h.info("cvv={}", Cvv{"123"}) == "INFO t: cvv=[redacted]");
  CHECK(h.info("pin={}", CardNumber{"4000123456789010"}) == "INFO t: pin=[redacted]");
  CHECK(h.info("secret={}", true) == "INFO t: secret=[redacted]");
  // The argument cannot end the value early with delimiters or quotes.
  CHECK(h.info("password={} user={}", "a b&c=d", "ravi") == "INFO t: password=[redacted] user=ravi");
  CHECK(h.info(R"({"otp":"{}","x":{}})", R"(12"34)", 5) == R"(INFO t: {"otp":"[redacted]","x":5})");
  // Key and value split over two arguments.
  CHECK(h.info("{}{}", "pin=", "1234") == "INFO t: pin=[redacted]");
  CHECK(h.info("{}={}", "pin", "1234") == "INFO t: pin=[redacted]");
  // A value begun in an argument continues into the next piece of format text.
  CHECK(h.info("{}56 done", "otp=1234") == "INFO t: otp=[redacted] done");
}

TEST_CASE("The tag and level are not mistaken for keys") {
  RecordingSink sink;
  Logger log(sink, LogLevel::kDebug);
  log.info("pin", "hello {}", "world");
  CHECK(sink.last.view() == "INFO pin: hello world");
}

TEST_CASE("Control characters cannot forge a new log line") {
  Harness h;
  CHECK(h.info("{}", "a\nERROR fake: line\r\x1b[31m\x7f") == "INFO t: a?ERROR fake: line??[31m?");
  CHECK(h.info("{}", std::string_view("nul\0byte", 8)) == "INFO t: nul?byte");
  // Bytes above 0x7F (UTF-8) pass through.
  CHECK(h.info("{}", "\xe2\x82\xb9 99") == "INFO t: \xe2\x82\xb9 99");
  RecordingSink sink;
  Logger log(sink, LogLevel::kDebug);
  log.info("t\n", "x");
  CHECK(sink.last.view() == "INFO t?: x");
}

TEST_CASE("A line longer than the limit is cut and marked") {
  static_assert(Logger::kLineCapacity == 192);
  Harness h;
  // "INFO t: " is 8 characters: 184 more fill the line exactly.
  FixedString<300> text;
  for (int i = 0; i < 184; ++i) (void)text.push_back('a');
  std::string_view line = h.info("{}", text);
  CHECK(line.size() == 192);
  CHECK(line.substr(line.size() - 3) == "aaa");

  (void)text.push_back('b');
  line = h.info("{}", text);
  CHECK(h.sink.last_line_size == 192);
  CHECK(line.substr(line.size() - 6) == "a[...]");

  for (int i = 0; i < 100; ++i) (void)text.push_back('c');
  line = h.info("{} and more {}", text, 42);
  CHECK(line.size() == 192);
  CHECK(line.substr(0, 10) == "INFO t: aa");
  CHECK(line.substr(line.size() - 5) == Logger::kCutMarker);
}

TEST_CASE("A card number cut by the line limit is still masked") {
  Harness h;
  // The card starts at column 178: columns 178..186 precede the marker.
  FixedString<300> text;
  for (int i = 0; i < 170; ++i) (void)text.push_back('a');
  (void)text.append("4000123456789010 tail");
  std::string_view line = h.info("{}", text);
  CHECK(line.size() == 192);
  CHECK(line.substr(line.size() - 14) == "400012***[...]");
  CHECK_FALSE(contains(line, "4000123"));

  // Grouped digits: only "4000 1234 567" fits before the limit, which alone
  // is too short to look like a card, so the whole argument must be measured.
  FixedString<300> grouped;
  for (int i = 0; i < 171; ++i) (void)grouped.push_back('a');
  (void)grouped.append("4000 1234 5678 9010");
  line = h.info("{}", grouped);
  CHECK(line.size() == 192);
  CHECK(line.substr(line.size() - 13) == "4000 12*[...]");

  // A sensitive value cut by the limit stays hidden too.
  FixedString<300> keyed;
  for (int i = 0; i < 165; ++i) (void)keyed.push_back('a');
  (void)keyed.append(" password=hunter2hunter2hunter2");
  line = h.info("{}", keyed);
  CHECK(line.size() == 192);
  CHECK_FALSE(contains(line, "hunt"));
}

TEST_CASE("write() tolerates a format that does not match its arguments") {
  RecordingSink sink;
  Logger log(sink, LogLevel::kDebug);
  const LogArg one[] = {LogArg(1)};
  log.write(LogLevel::kInfo, "t", "{} {} {}", one);
  CHECK(sink.last.view() == "INFO t: 1 {?} {?}");
  const LogArg three[] = {LogArg(1), LogArg("two"), LogArg(Secret{"s"})};
  log.write(LogLevel::kInfo, "t", "only {}", three);
  CHECK(sink.last.view() == "INFO t: only 1");
  log.write(LogLevel::kInfo, "t", "otp={}", {});
  CHECK(sink.last.view() == "INFO t: otp=[redacted]");
  // format_line builds the same line without a sink.
  CHECK(Logger::format_line(LogLevel::kError, "t", "{}", one) == "ERROR t: 1");
  CHECK(posagent::log_level_name(LogLevel::kWarn) == "WARN");
}
