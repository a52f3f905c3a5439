#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/money.hpp"
#include "core/json/json_reader.hpp"
#include "core/json/json_writer.hpp"
#include "json_test_support.hpp"

using posagent::Code;
using posagent::FixedString;
using posagent::JsonArena;
using posagent::JsonArenaBase;
using posagent::JsonArrayWriter;
using posagent::JsonDocument;
using posagent::JsonObject;
using posagent::JsonObjectWriter;
using posagent::JsonWriter;
using posagent::Money;
using posagent::Result;
using posagent::Status;
using json_test::fits_line;

namespace {

JsonArena<4096> g_arena;
JsonArena<4096> g_other_arena;
char g_out[1024];

Money rupees(std::string_view text) {
  Result<Money> money = Money::parse(text);
  REQUIRE(money.ok());
  return *money;
}

// A Cashfree "create order" request body.
Status build_order(JsonWriter& writer) {
  JsonObjectWriter root = writer.root();
  POSAGENT_TRY(root.add_string("order_id", "POS-000123"));
  POSAGENT_TRY(root.add_money("order_amount", rupees("2299.5")));
  POSAGENT_TRY(root.add_string("order_currency", "INR"));
  Result<JsonObjectWriter> customer = root.add_object("customer_details");
  POSAGENT_TRY(customer.status());
  POSAGENT_TRY(customer->add_string("customer_id", "term-42"));
  POSAGENT_TRY(customer->add_string("customer_phone", "9999999999"));
  POSAGENT_TRY(customer->add_string("customer_name", "Aar\xc3\xb4n \"AK\""));
  Result<JsonObjectWriter> meta = root.add_object("order_meta");
  POSAGENT_TRY(meta.status());
  POSAGENT_TRY(meta->add_string("notify_url", "https://example.com/hook"));
  POSAGENT_TRY(root.add_string("order_note", "Lane 3\ttill \\2"));
  Result<JsonObjectWriter> tags = root.add_object("order_tags");
  POSAGENT_TRY(tags.status());
  POSAGENT_TRY(tags->add_string("terminal_id", "T1001"));
  POSAGENT_TRY(tags->add_int64("attempt", 2));
  POSAGENT_TRY(tags->add_bool("offline", false));
  POSAGENT_TRY(tags->add_null("shift"));
  return Status::Ok();
}

constexpr std::string_view kOrderBody =
    "{\"order_id\":\"POS-000123\",\"order_amount\":2299.50,\"order_currency\":\"INR\","
    "\"customer_details\":{\"customer_id\":\"term-42\",\"customer_phone\":\"9999999999\","
    "\"customer_name\":\"Aar\xc3\xb4n \\\"AK\\\"\"},"
    "\"order_meta\":{\"notify_url\":\"https://example.com/hook\"},"
    "\"order_note\":\"Lane 3\\ttill \\\\2\","
    "\"order_tags\":{\"terminal_id\":\"T1001\",\"attempt\":2,\"offline\":false,\"shift\":null}}";

}  // namespace

TEST_CASE("A create-order body prints byte for byte") {
  posagent::json_init();
  JsonWriter writer(g_arena);
  REQUIRE(build_order(writer).ok());
  CHECK(writer.status().ok());
  Result<std::size_t> printed = writer.print(std::span<char>(g_out));
  REQUIRE(printed.ok());
  CHECK(*printed == kOrderBody.size());
  CHECK(std::string_view(g_out, *printed) == kOrderBody);
  CHECK(g_out[*printed] == '\0');
  MESSAGE("create-order body: " << kOrderBody.size() << " bytes, arena peak "
                                << g_arena.peak() << " bytes");

  // Into a FixedString as well.
  static FixedString<512> body;
  CHECK(writer.print(body).ok());
  CHECK(body == kOrderBody);
}

TEST_CASE("A printed body parses back to the same values, money exactly") {
  posagent::json_init();
  JsonWriter writer(g_arena);
  REQUIRE(build_order(writer).ok());
  Result<std::size_t> printed = writer.print(std::span<char>(g_out));
  REQUIRE(printed.ok());
  // Parsed in another arena: parsing into g_arena would reset the writer's.
  Result<JsonDocument> doc =
      JsonDocument::parse(g_other_arena, json_test::unterminated({g_out, *printed}));
  REQUIRE(doc.ok());
  posagent::FieldResult<JsonObject> root = doc->root_object();
  REQUIRE(root.ok());
  CHECK(*root->get_money("order_amount") == rupees("2299.50"));
  FixedString<32> text;
  CHECK(root->get_object("customer_details")->get_string("customer_name", text.span()).ok());
  CHECK(text == "Aar\xc3\xb4n \"AK\"");
  CHECK(root->get_string("order_note", text.span()).ok());
  CHECK(text == "Lane 3\ttill \\2");
  CHECK(*root->get_object("order_tags")->get_int64("attempt") == 2);
}

TEST_CASE("Money is written with exactly two decimals, integers exactly") {
  posagent::json_init();
  struct Case {
    const char* rupees;
    const char* json;
  };
  const Case cases[] = {{"22", "22.00"},     {"2299.5", "2299.50"},       {"1.05", "1.05"},
                        {"10.15", "10.15"},  {"1", "1.00"},               {"1000000", "1000000.00"},
                        {"999999.99", "999999.99"}};
  for (const Case& c : cases) {
    JsonWriter writer(g_arena);
    CHECK(writer.root().add_money("a", rupees(c.rupees)).ok());
    Result<std::size_t> printed = writer.print(std::span<char>(g_out));
    REQUIRE(printed.ok());
    char expected[64] = "{\"a\":";
    std::strcat(expected, c.json);
    std::strcat(expected, "}");
    JSON_CHECK_CTX(std::string_view(g_out, *printed) == expected, json_test::ctx(c.rupees));
  }

  JsonWriter writer(g_arena);
  JsonObjectWriter root = writer.root();
  CHECK(root.add_int64("min", std::numeric_limits<std::int64_t>::min()).ok());
  CHECK(root.add_int64("max", std::numeric_limits<std::int64_t>::max()).ok());
  CHECK(root.add_int64("zero", 0).ok());
  CHECK(root.add_bool("yes", true).ok());
  Result<std::size_t> printed = writer.print(std::span<char>(g_out));
  REQUIRE(printed.ok());
  CHECK(std::string_view(g_out, *printed) ==
        "{\"min\":-9223372036854775808,\"max\":9223372036854775807,\"zero\":0,\"yes\":true}");
}

TEST_CASE("Arrays and nested containers") {
  posagent::json_init();
  JsonWriter writer(g_arena);
  JsonObjectWriter root = writer.root();
  Result<JsonArrayWriter> list = root.add_array("list");
  REQUIRE(list.ok());
  CHECK(list->add_string("a\x01").ok());
  CHECK(list->add_int64(-1).ok());
  CHECK(list->add_bool(false).ok());
  CHECK(list->add_money(rupees("22")).ok());
  Result<JsonObjectWriter> item = list->add_object();
  REQUIRE(item.ok());
  CHECK(item->add_string("k", "").ok());
  Result<JsonArrayWriter> inner = list->add_array();
  REQUIRE(inner.ok());
  Result<JsonArrayWriter> empty = root.add_array("empty");
  REQUIRE(empty.ok());
  CHECK(root.add_string("", "empty key").ok());
  Result<std::size_t> printed = writer.print(std::span<char>(g_out));
  REQUIRE(printed.ok());
  CHECK(std::string_view(g_out, *printed) ==
        R"({"list":["a\u0001",-1,false,22.00,{"k":""},[]],"empty":[],"":"empty key"})");
}

TEST_CASE("Print buffer overflow is kCapacityExceeded, never a truncated body") {
  posagent::json_init();
  JsonWriter writer(g_arena);
  REQUIRE(build_order(writer).ok());
  const std::size_t length = kOrderBody.size();

  // Find the smallest buffer cJSON accepts; everything smaller must fail.
  std::size_t smallest = 0;
  for (std::size_t size = 0; size <= length + 8; ++size) {
    std::memset(g_out, 'z', sizeof(g_out));
    Result<std::size_t> printed = writer.print(std::span<char>(g_out, size));
    if (printed.ok()) {
      smallest = size;
      CHECK(std::string_view(g_out, *printed) == kOrderBody);
      break;
    }
    JSON_CHECK_CTX(printed.status().code() == Code::kCapacityExceeded, "size " << size);
    CHECK(std::string_view(printed.status().message()) == "json output full");
    if (size > 0) JSON_CHECK_CTX(g_out[0] == '\0', "size " << size);
    JSON_CHECK_CTX(g_out[size] == 'z', "size " << size);  // nothing written past the size
  }
  MESSAGE("body of " << length << " bytes needs a buffer of " << smallest);
  // The text and its NUL at least; cJSON's README promises within 5 more.
  CHECK(smallest >= length + 1);
  CHECK(smallest <= length + 1 + 5);

  FixedString<32> small;
  small.assign("old");
  CHECK(writer.print(small).code() == Code::kCapacityExceeded);
  CHECK(small.empty());
}

TEST_CASE("Writer errors are reported and sticky") {
  posagent::json_init();
  {
    JsonWriter writer(g_arena);
    JsonObjectWriter root = writer.root();
    CHECK(root.add_string("a", "1").ok());
    Status duplicate = root.add_int64("a", 2);
    CHECK(duplicate.code() == Code::kInvalidArgument);
    CHECK(std::string_view(duplicate.message()) == "duplicate key");
    // Later adds and print report the first error.
    CHECK(root.add_string("b", "2").code() == Code::kInvalidArgument);
    CHECK(writer.status().code() == Code::kInvalidArgument);
    CHECK(writer.print(std::span<char>(g_out)).status().code() == Code::kInvalidArgument);
  }
  {
    using namespace std::string_view_literals;
    JsonWriter writer(g_arena);
    Status nul = writer.root().add_string("a", "x\0y"sv);
    CHECK(nul.code() == Code::kInvalidArgument);
    CHECK(std::string_view(nul.message()) == "json text has NUL");
    CHECK(fits_line(nul.message()));
  }
  {
    using namespace std::string_view_literals;
    JsonWriter writer(g_arena);
    CHECK(writer.root().add_bool("k\0"sv, true).code() == Code::kInvalidArgument);
  }
  {
    // The arena reset under a writer (by a parse into it) is detected.
    JsonWriter writer(g_arena);
    CHECK(writer.root().add_string("a", "1").ok());
    REQUIRE(JsonDocument::parse(g_arena, std::string_view("{}")).ok());
    Status stale = writer.root().add_string("b", "2");
    CHECK(stale.code() == Code::kInternal);
    CHECK(writer.print(std::span<char>(g_out)).status().code() == Code::kInternal);
  }
}

TEST_CASE("A writer and a parsed response live side by side in two arenas") {
  posagent::json_init();
  JsonWriter writer(g_arena);
  JsonObjectWriter root = writer.root();
  CHECK(root.add_string("first", "1").ok());
  Result<JsonDocument> doc =
      JsonDocument::parse(g_other_arena, json_test::unterminated(R"({"x":"y"})"));
  REQUIRE(doc.ok());
  const std::size_t other_used = g_other_arena.used();
  const std::size_t used = g_arena.used();
  // The parse bound the other arena; the writer takes its own back.
  CHECK(root.add_string("second", "2").ok());
  CHECK(g_other_arena.used() == other_used);
  CHECK(g_arena.used() > used);
  FixedString<4> text;
  CHECK(doc->root_object()->get_string("x", text.span()).ok());
  CHECK(text == "y");
  Result<std::size_t> printed = writer.print(std::span<char>(g_out));
  REQUIRE(printed.ok());
  CHECK(std::string_view(g_out, *printed) == R"({"first":"1","second":"2"})");
}

TEST_CASE("A full arena fails the writer at every allocation, never crashes") {
  posagent::json_init();
  static JsonArena<4096> sizing;
  {
    JsonWriter writer(sizing);
    REQUIRE(build_order(writer).ok());
  }
  const std::size_t needed = sizing.peak();
  for (std::size_t capacity = 0; capacity < needed; ++capacity) {
    json_test::SizedArena arena(capacity);
    JsonWriter writer(arena);
    Status built = build_order(writer);
    JSON_REQUIRE_CTX(built.code() == Code::kCapacityExceeded, "capacity " << capacity);
    CHECK(std::string_view(built.message()) == "json arena full");
    CHECK(writer.status().code() == Code::kCapacityExceeded);
    CHECK(writer.print(std::span<char>(g_out)).status().code() == Code::kCapacityExceeded);
    CHECK(g_out[0] == '\0');
  }
  json_test::SizedArena exact(needed);
  JsonWriter writer(exact);
  REQUIRE(build_order(writer).ok());
  Result<std::size_t> printed = writer.print(std::span<char>(g_out));
  REQUIRE(printed.ok());
  CHECK(std::string_view(g_out, *printed) == kOrderBody);
}
