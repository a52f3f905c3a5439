#include <doctest/doctest.h>

#include <cJSON.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/money.hpp"
#include "core/json/json_reader.hpp"
#include "json_test_support.hpp"

using posagent::Code;
using posagent::FieldResult;
using posagent::FieldStatus;
using posagent::FixedString;
using posagent::JsonArena;
using posagent::JsonArray;
using posagent::JsonDocument;
using posagent::JsonObject;
using posagent::JsonType;
using posagent::JsonValue;
using posagent::Money;
using posagent::Result;
using json_test::fits_line;
using json_test::unterminated;

namespace {

// Big enough for every body here on 64-bit hosts (64-byte cJSON nodes).
JsonArena<8192> g_arena;
JsonArena<8192> g_second_arena;

// A Cashfree PG "create order" response (API version 2023-08-01), with the
// amount spliced in; whitespace as a server might send it.
constexpr std::string_view kOrderHead = R"({
  "cf_order_id": "2149460581",
  "created_at": "2024-05-10T12:30:05+05:30",
  "customer_details": {"customer_id": "term-42", "customer_name": null,
    "customer_email": "pos@example.com", "customer_phone": "9999999999", "customer_uid": null},
  "entity": "order",
  "order_amount": )";
constexpr std::string_view kOrderTail = R"(,
  "order_currency": "INR",
  "order_expiry_time": "2024-06-09T12:30:05+05:30",
  "order_id": "POS-000123",
  "order_meta": {"return_url": null, "notify_url": "https://example.com/hook", "payment_methods": null},
  "order_note": null,
  "order_splits": [],
  "order_status": "ACTIVE",
  "order_tags": {"terminal_id": "T1001", "shift": "2", "cashier": "Aar\u00f4n \"AK\""},
  "payment_session_id": "session_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ0123456789abcdefghij",
  "terminal": {"terminal_id": "T1001", "terminal_type": "STOREFRONT", "terminal_phone_no": "9999999999", "added_on": 1715324405}
}
)";

// The order response with the given amount text, in a static buffer.
std::string_view order_response(std::string_view amount) {
  static char text[2048];
  const std::size_t length = kOrderHead.size() + amount.size() + kOrderTail.size();
  REQUIRE(length <= sizeof(text));
  std::memcpy(text, kOrderHead.data(), kOrderHead.size());
  std::memcpy(text + kOrderHead.size(), amount.data(), amount.size());
  std::memcpy(text + kOrderHead.size() + amount.size(), kOrderTail.data(), kOrderTail.size());
  return {text, length};
}

JsonDocument parse_ok(std::string_view body) {
  posagent::json_init();
  Result<JsonDocument> doc = JsonDocument::parse(g_arena, unterminated(body));
  if (!doc.ok()) {
    FAIL_CHECK("parse failed: " << doc.status().message() << " at " << doc.status().detail());
  }
  REQUIRE(doc.ok());
  return *doc;
}

JsonObject root_of(std::string_view body) {
  JsonDocument doc = parse_ok(body);
  FieldResult<JsonObject> root = doc.root_object();
  REQUIRE(root.ok());
  return *root;
}

posagent::Status parse_status(std::string_view body) {
  posagent::json_init();
  Result<JsonDocument> doc = JsonDocument::parse(g_arena, unterminated(body));
  CHECK(fits_line(doc.status().message()));
  return doc.status();
}

// A failed read: its code, and that it names the key in one terminal line.
template <typename R>
void check_error(const R& result, Code code, std::string_view key) {
  CHECK_FALSE(result.ok());
  CHECK(posagent::code_name(result.code()) == posagent::code_name(code));
  CHECK(result.key() == key);
  CHECK(fits_line(result.status().message()));
}

Money rupees(std::string_view text) {
  Result<Money> money = Money::parse(text);
  REQUIRE(money.ok());
  return *money;
}

}  // namespace

TEST_CASE("A Cashfree order response reads field by field") {
  for (std::string_view amount : {std::string_view("22"), std::string_view("2299.5")}) {
    JsonObject order = root_of(order_response(amount));

    FixedString<40> text;
    CHECK(order.get_string("cf_order_id", text.span()).ok());
    CHECK(text == "2149460581");
    CHECK(order.get_string("order_id", text.span()).ok());
    CHECK(text == "POS-000123");
    CHECK(order.get_string("order_currency", text.span()).ok());
    CHECK(text == "INR");
    CHECK(order.get_string("order_status", text.span()).ok());
    CHECK(text == "ACTIVE");
    CHECK(order.get_string("order_expiry_time", text.span()).ok());
    CHECK(text == "2024-06-09T12:30:05+05:30");

    FixedString<80> session;
    CHECK(order.get_string("payment_session_id", session.span()).ok());
    CHECK(session == "session_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ0123456789abcdefghij");

    FieldResult<Money> money = order.get_money("order_amount");
    REQUIRE(money.ok());
    JSON_CHECK_CTX(money->paise() == (amount == "22" ? 2200 : 229950), json_test::ctx(amount));
    JSON_CHECK_CTX(*money == rupees(amount), json_test::ctx(amount));

    FieldResult<JsonObject> customer = order.get_object("customer_details");
    REQUIRE(customer.ok());
    CHECK(customer->get_string("customer_phone", text.span()).ok());
    CHECK(text == "9999999999");
    // customer_name is null: absent for an optional read, an error otherwise.
    text.assign("stale");
    FieldResult<bool> name = customer->get_optional_string("customer_name", text.span());
    REQUIRE(name.ok());
    CHECK_FALSE(*name);
    CHECK(text.empty());
    check_error(customer->get_string("customer_name", text.span()), Code::kNotFound,
                "customer_name");
    FieldResult<bool> email = customer->get_optional_string("customer_email", text.span());
    REQUIRE(email.ok());
    CHECK(*email);
    CHECK(text == "pos@example.com");

    FieldResult<JsonObject> meta = order.get_object("order_meta");
    REQUIRE(meta.ok());
    CHECK(meta->get_string("notify_url", text.span()).ok());
    CHECK(text == "https://example.com/hook");
    FieldResult<std::optional<JsonArray>> methods = meta->get_optional_array("payment_methods");
    REQUIRE(methods.ok());
    CHECK_FALSE(methods->has_value());

    FieldResult<JsonArray> splits = order.get_array("order_splits");
    REQUIRE(splits.ok());
    CHECK(splits->size() == 0);
    CHECK(splits->begin() == splits->end());

    // order_tags is a free-form map: walk it in order.
    FieldResult<JsonObject> tags = order.get_object("order_tags");
    REQUIRE(tags.ok());
    CHECK(tags->size() == 3);
    const char* expected_keys[] = {"terminal_id", "shift", "cashier"};
    const char* expected_values[] = {"T1001", "2", "Aar\xc3\xb4n \"AK\""};
    int i = 0;
    for (JsonValue tag : *tags) {
      REQUIRE(i < 3);
      CHECK(tag.key() == expected_keys[i]);
      CHECK(tag.type() == JsonType::kString);
      CHECK(tag.read_string(text.span()).ok());
      CHECK(text == expected_values[i]);
      ++i;
    }
    CHECK(i == 3);

    FieldResult<JsonObject> terminal = order.get_object("terminal");
    REQUIRE(terminal.ok());
    CHECK(terminal->get_string("terminal_type", text.span()).ok());
    CHECK(text == "STOREFRONT");
    FieldResult<std::int64_t> added = terminal->get_int64("added_on");
    REQUIRE(added.ok());
    CHECK(*added == 1715324405);

    CHECK(order.get_optional_money("order_note").ok());
    CHECK_FALSE(order.get_optional_money("order_note")->has_value());
    CHECK(order.contains("entity"));
    CHECK_FALSE(order.contains("entities"));
  }
}

TEST_CASE("Peak arena use for the order response is sane") {
  const std::string_view body = order_response("2299.5");
  static JsonArena<8192> arena;  // fresh: the peak is per arena
  posagent::json_init();
  REQUIRE(JsonDocument::parse(arena, unterminated(body)).ok());
  const std::size_t peak = arena.peak();
  MESSAGE("order response: " << body.size() << " bytes of JSON, arena peak " << peak
                             << " bytes, cJSON node " << sizeof(cJSON) << " bytes");
  // 31 values, so 31 nodes, plus 30 keys, 18 strings and 2 numbers: their
  // text is over 500 bytes and less than the body. The numbers' text is
  // there twice: cJSON's scratch copy for strtod (its free is a no-op) and
  // the exact text kept for reading. Each of the 54 allocations after the
  // first may add alignment padding.
  const std::size_t nodes = 31 * sizeof(cJSON);
  const std::size_t number_texts = sizeof("2299.5") + sizeof("1715324405");
  CHECK(peak >= nodes + 500 + number_texts);
  CHECK(peak <= nodes + body.size() + number_texts + 54 * alignof(std::max_align_t));
  CHECK(arena.used() == peak);
  // A smaller message later leaves the peak alone.
  REQUIRE(JsonDocument::parse(arena, unterminated("{\"a\":1}")).ok());
  CHECK(arena.used() < peak);
  CHECK(arena.peak() == peak);
}

TEST_CASE("Money reads exactly from numbers and strings") {
  struct Case {
    const char* json;
    std::int64_t paise;
  };
  // 4.35 and 10.15 have no exact double: only reading the text gets them right.
  const Case cases[] = {
      {"22", 2200},          {"2299.5", 229950},   {"2299.50", 229950},    {"10.15", 1015},
      {"1", 100},            {"1.00", 100},        {"1.1", 110},           {"999999.99", 99999999},
      {"1000000", 100000000}, {"1000000.00", 100000000},                   {"4.35", 435},
      {"\"10.15\"", 1015},    {"\"2299.5\"", 229950},
  };
  for (const Case& c : cases) {
    char body[64];
    std::snprintf(body, sizeof(body), "{\"amount\":%s}", c.json);
    JsonObject root = root_of(body);
    FieldResult<Money> money = root.get_money("amount");
    JSON_REQUIRE_CTX(money.ok(), json_test::ctx(c.json));
    JSON_CHECK_CTX(money->paise() == c.paise, json_test::ctx(c.json));
  }
}

TEST_CASE("Numbers and values that are not money are refused with the key") {
  // Exponents are refused even when the value would be a fine amount (1e3,
  // 0.1e2): Money::parse takes plain decimals only, as the gateway sends.
  const char* not_money[] = {"1.005",  "-5",     "1e400",     "0.5",         "\"abc\"",
                             "10000000.01",      "1000000.01", "0.99",      "-0",
                             "\"1e2\"", "\"-5\"", "\"\"",      "1e3",         "1E3",
                             "0.1e2",  "1e6",    "2299.5e0",  "1.500",       "-0.0",
                             "1e-7",   "1.0e2"};
  for (const char* json : not_money) {
    char body[64];
    std::snprintf(body, sizeof(body), "{\"order_amount\":%s}", json);
    JsonObject root = root_of(body);
    FieldResult<Money> money = root.get_money("order_amount");
    JSON_CHECK_CTX(!(money.ok()), json_test::ctx(json));
    JSON_CHECK_CTX(money.key() == "order_amount", json_test::ctx(json));
    CHECK(fits_line(money.status().message()));
    // Present but bad is an error for the optional read too.
    const bool optional_ok = root.get_optional_money("order_amount").ok();
    JSON_CHECK_CTX(!optional_ok, json_test::ctx(json));
  }
  JsonObject root = root_of(R"({"big":1e400,"low":0.5,"high":10000000.01,"t":true,"n":null,
                               "o":{},"a":[]})");
  check_error(root.get_money("big"), Code::kInvalidArgument, "big");  // an exponent
  check_error(root.get_money("low"), Code::kOutOfRange, "low");
  check_error(root.get_money("high"), Code::kOutOfRange, "high");
  check_error(root.get_money("t"), Code::kInvalidArgument, "t");
  check_error(root.get_money("n"), Code::kNotFound, "n");
  check_error(root.get_money("o"), Code::kInvalidArgument, "o");
  check_error(root.get_money("a"), Code::kInvalidArgument, "a");
  check_error(root.get_money("missing"), Code::kNotFound, "missing");
}

TEST_CASE("Integers: exact, in range, and nothing else") {
  JsonObject root = root_of(R"({"n":42,"neg":-7,"zero":0,"negzero":-0,"one":1.0,"hundred":1e2,
      "half":1.5,"huge":1e20,"inf":1e400,"max":9007199254740991,"min":-9007199254740991,
      "over":9007199254740993,"under":-9007199254740993,"i64":9223372036854775807,
      "past":9223372036854775808,"wide":123456789012345678901234567890,
      "s":"42","b":true,"nul":null})");
  CHECK(*root.get_int64("n") == 42);
  CHECK(*root.get_int64("neg") == -7);
  CHECK(*root.get_int64("zero") == 0);
  CHECK(*root.get_int64("negzero") == 0);
  CHECK(*root.get_int64("max") == 9007199254740991);
  CHECK(*root.get_int64("min") == -9007199254740991);
  // The text decides, not the value: 1.0 and 1e2 are not written as integers.
  check_error(root.get_int64("one"), Code::kInvalidArgument, "one");
  check_error(root.get_int64("hundred"), Code::kInvalidArgument, "hundred");
  check_error(root.get_int64("half"), Code::kInvalidArgument, "half");
  check_error(root.get_int64("huge"), Code::kInvalidArgument, "huge");
  check_error(root.get_int64("inf"), Code::kInvalidArgument, "inf");
  CHECK(std::string_view(root.get_int64("one").status().message()) == "not an integer");
  // 2^53 + 1 has no double of its own; read exactly, it is still refused.
  check_error(root.get_int64("over"), Code::kOutOfRange, "over");
  check_error(root.get_int64("under"), Code::kOutOfRange, "under");
  check_error(root.get_int64("over", 0, std::numeric_limits<std::int64_t>::max()),
              Code::kOutOfRange, "over");
  check_error(root.get_int64("i64"), Code::kOutOfRange, "i64");
  check_error(root.get_int64("past"), Code::kOutOfRange, "past");
  check_error(root.get_int64("wide"), Code::kOutOfRange, "wide");
  CHECK(std::string_view(root.get_int64("wide").status().message()) == "integer out of range");
  check_error(root.get_int64("s"), Code::kInvalidArgument, "s");
  check_error(root.get_int64("b"), Code::kInvalidArgument, "b");
  check_error(root.get_int64("nul"), Code::kNotFound, "nul");
  check_error(root.get_int64("nope"), Code::kNotFound, "nope");

  // Caller ranges.
  CHECK(*root.get_int64("n", 0, 42) == 42);
  check_error(root.get_int64("n", 0, 41), Code::kOutOfRange, "n");
  check_error(root.get_int64("neg", 0, 100), Code::kOutOfRange, "neg");

  FieldResult<std::optional<std::int64_t>> absent = root.get_optional_int64("nope");
  REQUIRE(absent.ok());
  CHECK_FALSE(absent->has_value());
  FieldResult<std::optional<std::int64_t>> present = root.get_optional_int64("n");
  REQUIRE(present.ok());
  CHECK(**present == 42);
  check_error(root.get_optional_int64("half"), Code::kInvalidArgument, "half");
  check_error(root.get_optional_int64("n", 50, 60), Code::kOutOfRange, "n");
}

TEST_CASE("Each number is read from its own text, paired by document order") {
  // 1.5, 1.50 and 1.500 are one double; only their texts tell them apart, so
  // a number paired with the wrong token would read back wrong here. Strings
  // holding digits, digit keys and escaped quotes must not count as numbers.
  JsonObject root = root_of(R"({"a":1.5,"12":[1.50,{"c":1.500,"d":[[2299.5],"12",-3,"\"7\""]},7],
      "e":{"f":{"g":22,"h":[]},"i\"9":10.15},"s":"[1,2]","x":1e2,"z":9007199254740991})");
  CHECK(root.get_money("a")->paise() == 150);
  FieldResult<JsonArray> twelve = root.get_array("12");
  REQUIRE(twelve.ok());
  CHECK(twelve->at(0)->read_money()->paise() == 150);
  FieldResult<JsonObject> inner = twelve->at(1)->read_object();
  REQUIRE(inner.ok());
  FieldResult<Money> three_decimals = inner->get_money("c");
  check_error(three_decimals, Code::kInvalidArgument, "c");
  FieldResult<JsonArray> d = inner->get_array("d");
  REQUIRE(d.ok());
  CHECK(d->at(0)->read_array()->at(0)->read_money()->paise() == 229950);
  CHECK(d->at(1)->read_money()->paise() == 1200);  // a string, read as text
  CHECK(*d->at(2)->read_int64() == -3);
  CHECK(d->at(3)->type() == JsonType::kString);
  CHECK(*twelve->at(2)->read_int64() == 7);
  FieldResult<JsonObject> e = root.get_object("e");
  REQUIRE(e.ok());
  CHECK(*e->get_object("f")->get_int64("g") == 22);
  CHECK(e->get_money("i\"9")->paise() == 1015);
  check_error(root.get_money("x"), Code::kInvalidArgument, "x");
  CHECK(*root.get_int64("z") == 9007199254740991);

  // Many numbers, nested every way, each distinct: every one reads back as
  // itself, whichever order they are read in.
  static char body[2048];
  std::size_t at = 0;
  auto put = [&](const char* text) {
    const std::size_t n = std::strlen(text);
    REQUIRE(at + n <= sizeof(body));
    std::memcpy(body + at, text, n);
    at += n;
  };
  char number[64];
  put("[");
  constexpr int kGroups = 24;
  for (int i = 0; i < kGroups; ++i) {
    if (i > 0) put(",");
    // [i,{"k":"i","v":[i+1000,{"w":-(i+2000)}]},"\"i\"",[[i+3000]]]
    std::snprintf(number, sizeof(number), "[%d,{\"k\":\"%d\",\"v\":[%d,{\"w\":%d}]},", i, i,
                  i + 1000, -(i + 2000));
    put(number);
    std::snprintf(number, sizeof(number), "\"\\\"%d\\\"\",[[%d]]]", i, i + 3000);
    put(number);
  }
  put("]");
  static JsonArena<32768> big;  // 12 values a group
  Result<JsonDocument> doc = JsonDocument::parse(big, unterminated(std::string_view(body, at)));
  REQUIRE(doc.ok());
  FieldResult<JsonArray> groups = doc->root().read_array();
  REQUIRE(groups.ok());
  REQUIRE(groups->size() == kGroups);
  for (int i = kGroups - 1; i >= 0; --i) {  // backwards: reads need no order
    FieldResult<JsonArray> group = groups->at(static_cast<std::size_t>(i))->read_array();
    REQUIRE(group.ok());
    JSON_CHECK_CTX(*group->at(3)->read_array()->at(0)->read_array()->at(0)->read_int64() ==
                       i + 3000, "group " << i);
    FieldResult<JsonObject> object = group->at(1)->read_object();
    REQUIRE(object.ok());
    FieldResult<JsonArray> v = object->get_array("v");
    REQUIRE(v.ok());
    JSON_CHECK_CTX(*v->at(1)->read_object()->get_int64("w") == -(i + 2000), "group " << i);
    JSON_CHECK_CTX(*v->at(0)->read_int64() == i + 1000, "group " << i);
    JSON_CHECK_CTX(*group->at(0)->read_int64() == i, "group " << i);
  }
}

TEST_CASE("Hostile numbers parse without harm and read exactly or not at all") {
  // 400-digit mantissas: an integer, a tiny fraction and a plain one.
  static char body[1600];
  std::size_t at = 0;
  auto put = [&](std::string_view text) {
    REQUIRE(at + text.size() <= sizeof(body));
    std::memcpy(body + at, text.data(), text.size());
    at += text.size();
  };
  put(R"({"long":)");
  for (int i = 0; i < 400; ++i) put(i == 0 ? "9" : "0");
  put(R"(,"tiny":0.)");
  for (int i = 0; i < 399; ++i) put("0");
  // In range, so newlib's strtod would need Bigints (C heap) for it.
  put(R"(1,"mid":2.)");
  for (int i = 0; i < 400; ++i) put("5");
  put(R"(,"after":7})");
  JsonObject root = root_of(std::string_view(body, at));
  check_error(root.get_int64("long"), Code::kOutOfRange, "long");
  check_error(root.get_money("long"), Code::kOutOfRange, "long");
  CHECK(std::string_view(root.get_money("long").status().message()) == "amount too large");
  check_error(root.get_money("tiny"), Code::kInvalidArgument, "tiny");
  check_error(root.get_int64("tiny"), Code::kInvalidArgument, "tiny");
  check_error(root.get_money("mid"), Code::kInvalidArgument, "mid");
  check_error(root.get_int64("mid"), Code::kInvalidArgument, "mid");
  CHECK(*root.get_int64("after") == 7);

  // Exponents far beyond a double, and -0.
  root = root_of(R"({"big":1e99999,"neg":-1E+99999,"small":1e-99999,
      "endless":1e99999999999999999999999999999999999999,"z":-0,"zf":-0.0,"n":5})");
  for (const char* key : {"big", "neg", "small", "endless"}) {
    check_error(root.get_money(key), Code::kInvalidArgument, key);
    check_error(root.get_int64(key), Code::kInvalidArgument, key);
  }
  CHECK(*root.get_int64("z") == 0);
  check_error(root.get_money("z"), Code::kInvalidArgument, "z");
  check_error(root.get_int64("zf"), Code::kInvalidArgument, "zf");
  CHECK(*root.get_int64("n") == 5);

  // Numbers at the very end of the body (nothing follows in memory).
  CHECK(*parse_ok("7").root().read_int64() == 7);
  CHECK(*parse_ok("-12").root().read_int64() == -12);
  CHECK(parse_ok("2299.5").root().read_money()->paise() == 229950);
  CHECK(parse_ok("10.15 \r\n").root().read_money()->paise() == 1015);
  CHECK(*parse_ok("[1,2,3]").root().read_array()->at(2)->read_int64() == 3);
  CHECK(*parse_ok(R"({"a":{"b":-40}})").root_object()->get_object("a")->get_int64("b") == -40);
  CHECK(parse_status("1e").code() == Code::kParseError);
  CHECK(parse_status("-").code() == Code::kParseError);

  // Strings that look like numbers, and escaped quotes and backslashes just
  // before a number: none of them may shift the pairing.
  root = root_of(R"({"s":"12","t":"-3.5e2","u":"a\"12\"b\\","n":5,"v":"\\\"","m":6,
      "w":"\\","k\"1":2,"x":"\"","y":-8})");
  FixedString<16> text;
  CHECK(root.get_string("u", text.span()).ok());
  CHECK(text == "a\"12\"b\\");
  CHECK(*root.get_int64("n") == 5);
  CHECK(*root.get_int64("m") == 6);
  CHECK(*root.get_int64("k\"1") == 2);
  CHECK(*root.get_int64("y") == -8);
  check_error(root.get_int64("s"), Code::kInvalidArgument, "s");
  CHECK(root.get_money("s")->paise() == 1200);
}

TEST_CASE("Booleans and strings are strict about types") {
  JsonObject root = root_of(R"({"t":true,"f":false,"one":1,"str":"true","nul":null,
      "s":"hello","esc":"a\"b\\c\/d\n\u00e9\ud83d\ude00","num":5,"obj":{"k":"v"}})");
  CHECK(*root.get_bool("t") == true);
  CHECK(*root.get_bool("f") == false);
  check_error(root.get_bool("one"), Code::kInvalidArgument, "one");
  check_error(root.get_bool("str"), Code::kInvalidArgument, "str");
  check_error(root.get_bool("nul"), Code::kNotFound, "nul");
  CHECK(**root.get_optional_bool("f") == false);
  CHECK_FALSE(root.get_optional_bool("nul")->has_value());
  CHECK_FALSE(root.get_optional_bool("none")->has_value());

  FixedString<16> text;
  CHECK(root.get_string("s", text.span()).ok());
  CHECK(text == "hello");
  CHECK(root.get_string("esc", text.span()).ok());
  CHECK(text == "a\"b\\c/d\n\xc3\xa9\xf0\x9f\x98\x80");
  // A failed read leaves the caller's string as it was.
  text.assign("kept");
  check_error(root.get_string("num", text.span()), Code::kInvalidArgument, "num");
  check_error(root.get_string("obj", text.span()), Code::kInvalidArgument, "obj");
  check_error(root.get_string("t", text.span()), Code::kInvalidArgument, "t");
  check_error(root.get_string("missing", text.span()), Code::kNotFound, "missing");
  check_error(root.get_optional_string("num", text.span()), Code::kInvalidArgument, "num");
  CHECK(text == "kept");

  // Exactly fitting, then one short.
  FixedString<5> five;
  CHECK(root.get_string("s", five.span()).ok());
  CHECK(five == "hello");
  FixedString<4> four;
  four.assign("old");
  check_error(root.get_string("s", four.span()), Code::kCapacityExceeded, "s");
  CHECK(four == "old");

  // Missing and mistyped are told apart, and POSAGENT_TRY takes a FieldStatus.
  auto read = [&](std::string_view key) -> posagent::Status {
    POSAGENT_TRY(root.get_string(key, text.span()));
    return posagent::Status::Ok();
  };
  CHECK(read("s").ok());
  CHECK(read("nope").code() == Code::kNotFound);
  CHECK(read("num").code() == Code::kInvalidArgument);
}

TEST_CASE("Nested objects and arrays, with element errors named by index") {
  JsonObject root = root_of(R"({"items":[{"sku":"A1","qty":2},{"sku":"B2","qty":"x"},7,null],
      "matrix":[[1,2],[3]],"obj":{"inner":{"deep":"yes"}}})");
  FieldResult<JsonArray> items = root.get_array("items");
  REQUIRE(items.ok());
  CHECK(items->size() == 4);

  FieldResult<JsonValue> first = items->at(0);
  REQUIRE(first.ok());
  FieldResult<JsonObject> item = first->read_object();
  REQUIRE(item.ok());
  FixedString<8> sku;
  CHECK(item->get_string("sku", sku.span()).ok());
  CHECK(sku == "A1");
  CHECK(*item->get_int64("qty") == 2);

  FieldResult<JsonObject> second = items->at(1)->read_object();
  REQUIRE(second.ok());
  check_error(second->get_int64("qty"), Code::kInvalidArgument, "qty");

  check_error(items->at(2)->read_object(), Code::kInvalidArgument, "[2]");
  check_error(items->at(3)->read_string(sku.span()), Code::kNotFound, "[3]");
  check_error(items->at(4), Code::kNotFound, "[4]");
  check_error(items->at(1234567), Code::kNotFound, "[1234567]");
  CHECK(*items->at(2)->read_int64() == 7);

  int count = 0;
  for (JsonValue value : *items) {
    CHECK(value.key().empty());
    ++count;
  }
  CHECK(count == 4);

  FieldResult<JsonArray> matrix = root.get_array("matrix");
  REQUIRE(matrix.ok());
  FieldResult<JsonArray> row = matrix->at(0)->read_array();
  REQUIRE(row.ok());
  CHECK(*row->at(1)->read_int64() == 2);

  FieldResult<JsonObject> inner = root.get_object("obj")->get_object("inner");
  REQUIRE(inner.ok());
  FixedString<4> deep;
  CHECK(inner->get_string("deep", deep.span()).ok());
  CHECK(deep == "yes");

  check_error(root.get_object("items"), Code::kInvalidArgument, "items");
  check_error(root.get_array("obj"), Code::kInvalidArgument, "obj");
  check_error(root.get_object("nothing"), Code::kNotFound, "nothing");
  CHECK_FALSE(root.get_optional_object("nothing")->has_value());
  check_error(root.get_optional_object("items"), Code::kInvalidArgument, "items");

  // A root that is not an object.
  JsonDocument doc = parse_ok("[1,2]");
  check_error(doc.root_object(), Code::kInvalidArgument, "");
  CHECK(doc.root().read_array()->size() == 2);
}

TEST_CASE("Duplicate keys are refused, not resolved") {
  JsonObject root = root_of(R"({"order_amount":1,"order_amount":1000000,"x":1})");
  check_error(root.get_money("order_amount"), Code::kProtocolError, "order_amount");
  check_error(root.get_optional_money("order_amount"), Code::kProtocolError, "order_amount");
  CHECK(*root.get_int64("x") == 1);
}

TEST_CASE("Long keys are cut in error reports") {
  JsonObject root = root_of(R"({"a":1})");
  FieldResult<std::int64_t> r =
      root.get_int64("a_key_that_is_much_longer_than_thirty_one_characters");
  CHECK(r.code() == Code::kNotFound);
  CHECK(r.key() == "a_key_that_is_much_longer_than_");
  CHECK(r.key().size() == posagent::kJsonKeyCapacity);
}

TEST_CASE("Invalid JSON is a parse error") {
  const char* invalid[] = {
      "",         " ",          "{",         "}",          "{\"a\"}",        "{\"a\":}",
      "{\"a\":1,}", "[1,]",      "[1 2]",     "{a:1}",      "{'a':1}",        "nul",
      "tru",      "\"abc",      "\"a\\x\"",  "\"\\ud800\"", "{\"a\":\"\\",    "-",
      "+1",       ".5",         "NaN",       "Infinity",   "{\"a\":-inf}",   "[\"a\"\"b\"]",
      "\"\\u12\"", "{\"a\" 1}",
      // Numbers outside RFC 8259, some of which the C library's strtod takes.
      "01",       "[01]",       "-01",       "00",         "1.",             "[1.]",
      "1.e5",     "-.5",        "[.5]",      "1e",         "1e+",            "[1E-]",
      "--1",      "-",          "[-]",       "[+1]",       "0x10",           "[1-2]",
      "1e5e5",    "1.5.5",      "[- 1]",     "{\"a\":01}",  "[Infinity]",     "[-Infinity]",
  };
  for (const char* body : invalid) {
    posagent::Status status = parse_status(body);
    JSON_CHECK_CTX(status.code() == Code::kParseError, json_test::ctx(body));
  }
}

TEST_CASE("Control characters, NUL and \\u0000 are refused") {
  using namespace std::string_view_literals;
  const std::string_view bad[] = {
      "{\"a\":\"x\ny\"}"sv,      // raw newline inside a string
      "{\"a\":\"x\x01y\"}"sv,    // raw control character inside a string
      "\x01{\"a\":1}"sv,         // cJSON would skip it as whitespace
      "{\"a\":1}\0"sv,           // a NUL after the value
      "{\"a\":\"x\0y\"}"sv,      // a NUL inside a string
      "{\"a\":\"x\\u0000y\"}"sv, // would read back as "x"
      "{\"a\\u0000b\":1}"sv,     // a key cut short the same way
  };
  for (std::string_view body : bad) {
    JSON_CHECK_CTX(parse_status(body).code() == Code::kParseError, json_test::ctx(body));
  }
  CHECK(std::string_view(parse_status("{\"a\":\"\\u0000\"}").message()) == "json has \\u0000");
  // An escaped backslash before "u0000" is just text.
  JsonObject root = root_of(R"({"a":"\\u0000"})");
  FixedString<8> text;
  CHECK(root.get_string("a", text.span()).ok());
  CHECK(text == "\\u0000");
}

TEST_CASE("Every truncation of the order response is a parse error") {
  const std::string_view body = order_response("2299.5");
  // The response ends in "}\n": every shorter prefix is incomplete.
  std::size_t end = body.rfind('}');
  for (std::size_t length = 0; length <= end; ++length) {
    posagent::Status status = parse_status(body.substr(0, length));
    JSON_REQUIRE_CTX(status.code() == Code::kParseError, "prefix of " << length << " bytes");
  }
  CHECK(parse_status(body.substr(0, end + 1)).ok());
}

TEST_CASE("Trailing garbage is refused, trailing whitespace is not") {
  const char* garbage[] = {"{\"a\":1} x", "{\"a\":1}{}", "{\"a\":1},", "[1]]", "1 2", "\"a\"\"b\""};
  for (const char* body : garbage) {
    posagent::Status status = parse_status(body);
    JSON_CHECK_CTX(status.code() == Code::kParseError, json_test::ctx(body));
  }
  posagent::Status status = parse_status("{\"a\":1}  x");
  CHECK(std::string_view(status.message()) == "json trailing data");
  CHECK(status.detail() == 9);
  CHECK(parse_status("{\"a\":1} \r\n\t").ok());
  CHECK(parse_status(" \n{\"a\":1}").ok());
  CHECK(parse_status("123").ok());
  CHECK(parse_status("\"s\"").ok());
  // The error offset points at the problem.
  CHECK(parse_status("[1,2,x]").detail() == 5);
}

namespace {
// n nested arrays around a number: "[[[1]]]".
std::string_view nested(std::size_t n, char open = '[', char close = ']') {
  static char text[8192];
  REQUIRE(n * (open == '{' ? 6 : 2) + 1 <= sizeof(text));
  std::size_t at = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (open == '{') {
      std::memcpy(text + at, "{\"k\":", 5);
      at += 5;
    } else {
      text[at++] = open;
    }
  }
  text[at++] = '1';
  for (std::size_t i = 0; i < n; ++i) text[at++] = close;
  return {text, at};
}
}  // namespace

TEST_CASE("Nesting up to the limit parses, one deeper is refused") {
  CHECK(posagent::kJsonNestingLimit == 24);
  for (char open : {'[', '{'}) {
    const char close = open == '[' ? ']' : '}';
    const std::size_t limit = posagent::kJsonNestingLimit;
    const posagent::Status at_limit = parse_status(nested(limit, open, close));
    JSON_CHECK_CTX(at_limit.ok(), json_test::ctx(open));
    posagent::Status deeper = parse_status(nested(limit + 1, open, close));
    JSON_CHECK_CTX(deeper.code() == Code::kParseError, json_test::ctx(open));
    JSON_CHECK_CTX(std::string_view(deeper.message()) == "json too deep", json_test::ctx(open));
    const posagent::Status far = parse_status(nested(1000, open, close));
    JSON_CHECK_CTX(far.code() == Code::kParseError, json_test::ctx(open));
  }
  // Brackets inside strings are not nesting.
  CHECK(parse_status(R"({"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})").ok());
  // The depth reached through an object is read back.
  JsonDocument doc = parse_ok(nested(posagent::kJsonNestingLimit, '{', '}'));
  FieldResult<JsonObject> object = doc.root_object();
  for (std::size_t i = 1; i < posagent::kJsonNestingLimit; ++i) {
    REQUIRE(object.ok());
    object = object->get_object("k");
  }
  REQUIRE(object.ok());
  CHECK(*object->get_int64("k") == 1);
}

TEST_CASE("A full arena is kCapacityExceeded at every allocation, then works again") {
  posagent::json_init();
  const std::string_view body = order_response("2299.5");
  static JsonArena<8192> sizing;
  REQUIRE(JsonDocument::parse(sizing, unterminated(body)).ok());
  const std::size_t needed = sizing.peak();
  REQUIRE(needed <= json_test::SizedArena::kMaxCapacity);

  // Every capacity short of what the body needs fails cleanly, whichever
  // cJSON allocation (node, string, number text) hits the end.
  for (std::size_t capacity = 0; capacity < needed; ++capacity) {
    json_test::SizedArena arena(capacity);
    Result<JsonDocument> doc = JsonDocument::parse(arena, unterminated(body));
    JSON_REQUIRE_CTX(!(doc.ok()), "capacity " << capacity);
    JSON_REQUIRE_CTX(doc.status().code() == Code::kCapacityExceeded,
                     "capacity " << capacity);
    CHECK(std::string_view(doc.status().message()) == "json arena full");
    CHECK(arena.exhausted());
  }
  json_test::SizedArena exact(needed);
  Result<JsonDocument> doc = JsonDocument::parse(exact, unterminated(body));
  REQUIRE(doc.ok());
  CHECK(exact.used() == needed);

  // A fixed small arena: too small for the order, fine for the next message.
  static JsonArena<256> small;
  CHECK(JsonDocument::parse(small, unterminated(body)).status().code() ==
        Code::kCapacityExceeded);
  CHECK(small.exhausted());
  Result<JsonDocument> next = JsonDocument::parse(small, unterminated(R"({"ok":true})"));
  REQUIRE(next.ok());
  CHECK_FALSE(small.exhausted());
  CHECK(*next->root_object()->get_bool("ok"));
}

TEST_CASE("Huge strings: refused by a small arena or a small caller buffer") {
  static char body[6000];
  std::memcpy(body, "{\"s\":\"", 6);
  std::memset(body + 6, 'x', 5000);
  std::memcpy(body + 5006, "\"}", 2);
  const std::string_view text(body, 5008);

  static JsonArena<4096> small;
  posagent::json_init();
  CHECK(JsonDocument::parse(small, unterminated(text)).status().code() ==
        Code::kCapacityExceeded);

  JsonObject root = root_of(text);
  static FixedString<4999> almost;
  check_error(root.get_string("s", almost.span()), Code::kCapacityExceeded, "s");
  static FixedString<5000> exact;
  CHECK(root.get_string("s", exact.span()).ok());
  CHECK(exact.size() == 5000);
}

TEST_CASE("Views into a reset arena report a stale document") {
  JsonObject first = root_of(R"({"a":1,"m":{"k":"v"}})");
  FieldResult<JsonObject> m = first.get_object("m");
  REQUIRE(m.ok());
  // A second document in another arena leaves the first one alone.
  Result<JsonDocument> other =
      JsonDocument::parse(g_second_arena, unterminated(R"({"b":2})", 1));
  REQUIRE(other.ok());
  CHECK(*first.get_int64("a") == 1);
  CHECK(*other->root_object()->get_int64("b") == 2);

  // Parsing again into the same arena invalidates the first document.
  JsonObject second = root_of(R"({"a":2})");
  check_error(first.get_int64("a"), Code::kInternal, "a");
  check_error(m->get_string("k", FixedString<4>().span()), Code::kInternal, "k");
  CHECK(first.size() == 0);
  CHECK(first.begin() == first.end());
  CHECK(*second.get_int64("a") == 2);
}

TEST_CASE("A display text is cut to fit, at a UTF-8 character boundary") {
  // "Bank says: " then a 3-byte character (the rupee sign) that straddles
  // the cut: it goes whole rather than in part.
  const auto doc = JsonDocument::parse(g_arena, R"({"m":"Bank says: \u20b9 1 declined","n":7})");
  REQUIRE(doc.ok());
  const auto root = doc->root_object();
  REQUIRE(root.ok());
  const auto m = root->get("m");
  REQUIRE(m.ok());
  FixedString<12> shortened;
  const FieldResult<bool> cut = m->read_string_cut(shortened.span());
  REQUIRE(cut.ok());
  CHECK(*cut);
  CHECK(shortened.view() == "Bank says: ");
  FixedString<64> whole;
  const FieldResult<bool> not_cut = m->read_string_cut(whole.span());
  REQUIRE(not_cut.ok());
  CHECK(!*not_cut);
  CHECK(whole.view() == "Bank says: \xe2\x82\xb9 1 declined");
  // Only strings: a number is the same type error read_string gives.
  const auto n = root->get("n");
  REQUIRE(n.ok());
  CHECK(!n->read_string_cut(whole.span()).ok());
}
