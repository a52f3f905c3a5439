// posagent_json_strtod (what cJSON calls for strtod), posagent_cjson_sprintf
// and posagent_cjson_sscanf (what it calls for sprintf and sscanf), and
// format_int64.
#include <doctest/doctest.h>

#include <cJSON.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

#include "core/json/cjson_stdio.h"
#include "core/json/json_number.hpp"
#include "json_test_support.hpp"

using posagent::json_detail::format_int64;
using posagent::json_detail::kInt64TextLength;

namespace {

struct Parsed {
  double value;
  std::size_t consumed;
};

Parsed parse(const char* text) {
  char* end = nullptr;
  const double value = posagent_json_strtod(text, &end);
  REQUIRE(end != nullptr);
  return {value, static_cast<std::size_t>(end - text)};
}

// Within a few ulps: correct rounding is not promised.
bool close(double got, double want) {
  return std::fabs(got - want) <= 4 * DBL_EPSILON * std::fabs(want);
}

}  // namespace

TEST_CASE("strtod stops where the JSON number ends, like strtod") {
  struct Case {
    const char* text;
    std::size_t consumed;
  };
  const Case cases[] = {
      {"0", 1},        {"-0", 2},        {"2299.5", 6},     {"2299.5,", 6},   {"1e5x", 3},
      {"1E+5]", 4},    {"1.5e-3}", 6},   {"-12.50 ", 6},    {"7", 1},
      // Where JSON and the C library part: the JSON prefix only, and cJSON
      // then refuses what is left.
      {"01", 1},       {"00", 1},        {"-01", 2},        {"1.", 1},        {"1.e5", 1},
      {"1e", 1},       {"1e+", 1},       {"1E-x", 1},       {"0x10", 1},      {"1e5e5", 3},
      // No number at all: nothing consumed.
      {"", 0},         {"-", 0},         {"--1", 0},        {"+1", 0},        {".5", 0},
      {"-.5", 0},      {" 1", 0},        {"inf", 0},        {"nan", 0},       {"e5", 0},
  };
  for (const Case& c : cases) {
    const Parsed parsed = parse(c.text);
    JSON_CHECK_CTX(parsed.consumed == c.consumed, json_test::ctx(c.text));
    if (c.consumed == 0) JSON_CHECK_CTX(parsed.value == 0.0, json_test::ctx(c.text));
  }
  // A null end pointer is allowed, as for strtod.
  CHECK(posagent_json_strtod("42", nullptr) == 42.0);
}

TEST_CASE("strtod values are close to the decimal") {
  struct Case {
    const char* text;
    double value;
  };
  const Case exact[] = {{"0", 0.0},        {"1", 1.0},          {"2299.5", 2299.5},
                        {"-7", -7.0},      {"0.5", 0.5},        {"1e2", 100.0},
                        {"0.1", 0.1},      {"1.5e-3", 1.5e-3},  {"9007199254740991", 9007199254740991.0},
                        {"1E+5", 1e5},     {"0.001", 0.001}};
  for (const Case& c : exact) {
    JSON_CHECK_CTX(parse(c.text).value == c.value, json_test::ctx(c.text));
  }
  const Case near[] = {{"3.141592653589793", 3.141592653589793},
                       {"6.02214076e23", 6.02214076e23},
                       {"-1.602176634e-19", -1.602176634e-19},
                       {"1.79e308", 1.79e308},
                       {"2.2250738585072014e-308", DBL_MIN},
                       {"123456789012345678901234567890", 1.2345678901234568e29},
                       {"0.000000000000000000000000000001234", 1.234e-30},
                       {"12345.678901234567890123e-10", 1.2345678901234568e-6}};
  for (const Case& c : near) {
    JSON_CHECK_CTX(close(parse(c.text).value, c.value), json_test::ctx(c.text));
  }
  // The smallest subnormal survives; below it is zero.
  CHECK(parse("4.9406564584124654e-324").value > 0.0);
  CHECK(parse("4.9406564584124654e-324").value <= 2 * std::numeric_limits<double>::denorm_min());
  CHECK(parse("1e-330").value == 0.0);
  // -0 keeps its sign, as strtod's does.
  CHECK(std::signbit(parse("-0").value));
  CHECK(std::signbit(parse("-0.0e5").value));
}

TEST_CASE("strtod saturates on huge exponents and takes any length") {
  CHECK(parse("1e309").value == HUGE_VAL);
  CHECK(parse("1e99999").value == HUGE_VAL);
  CHECK(parse("-1e99999").value == -HUGE_VAL);
  CHECK(parse("1e-99999").value == 0.0);
  CHECK(std::signbit(parse("-1e-99999").value));
  CHECK(parse("0e99999").value == 0.0);
  CHECK(parse("1e308").value < HUGE_VAL);
  CHECK(parse("1.8e308").value == HUGE_VAL);
  CHECK(parse("1.7976931348623159e308").value == HUGE_VAL);  // just past the largest double

  // Exponents with more digits than any integer type holds.
  static char text[1100];
  std::memcpy(text, "1e", 2);
  std::memset(text + 2, '9', 500);
  text[502] = '\0';
  Parsed parsed = parse(text);
  CHECK(parsed.consumed == 502);
  CHECK(parsed.value == HUGE_VAL);
  std::memcpy(text, "1e-", 3);
  std::memset(text + 3, '9', 500);
  text[503] = '\0';
  CHECK(parse(text).value == 0.0);
  std::memcpy(text, "5e", 2);
  std::memset(text + 2, '0', 500);  // 5e000...0 is 5
  text[502] = '\0';
  CHECK(parse(text).value == 5.0);

  // A 400-digit mantissa: 10^399, beyond a double.
  text[0] = '1';
  std::memset(text + 1, '0', 399);
  text[400] = '\0';
  parsed = parse(text);
  CHECK(parsed.consumed == 400);
  CHECK(parsed.value == HUGE_VAL);
  // The same with the point moved far left: 1e-1 * 10^-99... stays close.
  std::memcpy(text, "0.", 2);
  std::memset(text + 2, '0', 300);
  std::memcpy(text + 302, "123456789012345678901234567890e305", 35);
  parsed = parse(text);
  CHECK(parsed.consumed == std::strlen(text));
  CHECK(close(parsed.value, 1.2345678901234568e4));
  // 1000 digits of a fraction after a small integer.
  std::memcpy(text, "2.", 2);
  std::memset(text + 2, '5', 1000);
  text[1002] = '\0';
  parsed = parse(text);
  CHECK(parsed.consumed == 1002);
  CHECK(close(parsed.value, 2.5555555555555555));
}

TEST_CASE("cJSON's numbers go through posagent_json_strtod") {
  // The C library's strtod reads "01" and "1." whole, so cJSON alone takes
  // [01] and [1.]; with the redirect in place they are invalid.
  posagent::json_init();
  for (const char* json : {"[01]", "[1.]", "[-.5]"}) {
    static posagent::JsonArena<512> arena;
    arena.reset();
    arena.bind();
    JSON_CHECK_CTX(cJSON_ParseWithLength(json, std::strlen(json)) == nullptr, json_test::ctx(json));
  }
  static posagent::JsonArena<512> arena;
  arena.reset();
  arena.bind();
  const cJSON* item = cJSON_ParseWithLength("[2299.5]", 8);
  REQUIRE(item != nullptr);
  CHECK(item->child->valuedouble == 2299.5);
}

TEST_CASE("cJSON's sprintf formats escapes and integers, never floating point") {
  char out[32];
  CHECK(posagent_cjson_sprintf(out, "u%04x", 0x1f) == 5);
  CHECK(std::string_view(out) == "u001f");
  CHECK(posagent_cjson_sprintf(out, "u%04x", 0xabcd) == 5);
  CHECK(std::string_view(out) == "uabcd");
  CHECK(posagent_cjson_sprintf(out, "%i.%i.%i", 1, 7, 15) == 6);
  CHECK(std::string_view(out) == "1.7.15");
  CHECK(posagent_cjson_sprintf(out, "[%5d|%05d|%d]", -42, -42, 0) == 15);
  CHECK(std::string_view(out) == "[  -42|-0042|0]");
  CHECK(posagent_cjson_sprintf(out, "null") == 4);
  CHECK(std::string_view(out) == "null");
  CHECK(posagent_cjson_sprintf(out, "%1.15g", 2299.5) == -1);
  CHECK(posagent_cjson_sprintf(out, "%s", "x") == -1);
  CHECK(posagent_cjson_sprintf(out, "50%") == -1);
  double read = 1.0;
  CHECK(posagent_cjson_sscanf("2299.5", "%lg", &read) == 0);
  CHECK(read == 1.0);
  CHECK(std::string_view(cJSON_Version()) == "1.7.15");

  // Through cJSON: a control character is escaped, a number is refused.
  posagent::json_init();
  static posagent::JsonArena<512> arena;
  arena.reset();
  arena.bind();
  cJSON* text = cJSON_CreateString("a\x01" "b");
  REQUIRE(text != nullptr);
  char printed[32];
  REQUIRE(cJSON_PrintPreallocated(text, printed, sizeof printed, false));
  CHECK(std::string_view(printed) == R"("a\u0001b")");
  cJSON* number = cJSON_CreateNumber(2299.5);
  REQUIRE(number != nullptr);
  CHECK(!cJSON_PrintPreallocated(number, printed, sizeof printed, false));
}

TEST_CASE("Integers are formatted exactly") {
  struct Case {
    std::int64_t value;
    const char* text;
  };
  const Case cases[] = {{0, "0"},
                        {7, "7"},
                        {-1, "-1"},
                        {10, "10"},
                        {-10, "-10"},
                        {1715324405, "1715324405"},
                        {std::numeric_limits<std::int64_t>::max(), "9223372036854775807"},
                        {std::numeric_limits<std::int64_t>::min(), "-9223372036854775808"}};
  for (const Case& c : cases) {
    char out[kInt64TextLength + 1];
    std::memset(out, 'z', sizeof(out));
    const std::size_t length = format_int64(c.value, out);
    JSON_CHECK_CTX(std::string_view(out, length) == c.text, json_test::ctx(c.text));
    JSON_CHECK_CTX(out[length] == 'z', json_test::ctx(c.text));  // no NUL, no overrun
  }
}
