// libFuzzer target: arbitrary bytes as a JSON body. Parsing must fail
// cleanly or give a tree whose every value can be read as every type without
// crashing; money read from anything is within the gateway's bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/json/json_arena.hpp"
#include "core/json/json_reader.hpp"

using namespace posagent;

namespace {

void read_everything(const JsonValue& value, int depth) {
  if (depth > 64) std::abort();  // deeper than the nesting limit allows
  FixedString<32> text;
  (void)value.read_string(text.span());
  (void)value.read_int64();
  (void)value.read_bool();
  FieldResult<Money> money = value.read_money();
  if (money.ok() && (money->paise() < Money::kMinPaise || money->paise() > Money::kMaxPaise)) std::abort();
  FieldResult<JsonObject> object = value.read_object();
  if (object.ok()) {
    for (const JsonValue& member : *object) read_everything(member, depth + 1);
  }
  FieldResult<JsonArray> array = value.read_array();
  if (array.ok()) {
    for (const JsonValue& element : *array) read_everything(element, depth + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static JsonArena<16384> arena;
  static bool initialised = false;
  if (!initialised) {
    json_init();
    initialised = true;
  }
  Result<JsonDocument> doc = JsonDocument::parse(arena, reinterpret_cast<const char*>(data), size);
  if (doc.ok()) read_everything(doc->root(), 0);
  if (arena.used() > arena.capacity()) std::abort();
  return 0;
}
