// Field readers shared by the decoders of both APIs (pg_decode,
// flowwise/fw_decode): how an answer that is not the entity the API promised
// is reported, and the few ways a field may be read.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/json/json_array.hpp"
#include "core/json/json_reader.hpp"

namespace posagent::gateway::decode {

// The reader's "field missing", "field is null", "field wrong type", "not
// an integer", "duplicate key" and Money's "amount invalid" / "amount too
// small" all mean one thing to a caller: this answer is not the entity the
// API promised (kParseError). Capacity (ours) and internal errors keep
// their code.
FieldStatus normalize(const FieldStatus& s);
FieldStatus parse_error(const char* message, std::string_view key);

// Absent or null: OK and empty.
FieldStatus optional_string(const JsonObject& o, std::string_view key, StringSpan out);
// A text that only tells how to read an answer (an enum's value, a hint):
// longer than its room is kept empty rather than refused, so an unknown
// value reads as unknown. required: absent is an error.
FieldStatus short_text(const JsonObject& o, std::string_view key, StringSpan out, bool required);
// A text only shown to people (a bank's message): absent or null is empty,
// too long is cut, so a long message never makes an answer unreadable.
FieldStatus optional_display_text(const JsonObject& o, std::string_view key, StringSpan out);
// Parses body (into arena) and returns its root object.
FieldResult<JsonObject> root_object(JsonArenaBase& arena, std::string_view body);

// A top-level array of objects (Get Payments), one element parsed at a time
// so the arena holds only one: each element reset to T{} and decoded into
// items[count] by decode_one(object, item). kCapacityExceeded (too_many)
// past N elements.
template <typename T, std::size_t N, typename DecodeOne>
FieldStatus decode_each(JsonArenaBase& arena, std::string_view body, std::array<T, N>& items, std::size_t& count,
                        const char* too_many, DecodeOne decode_one) {
  count = 0;
  JsonArrayElements elements(body);
  if (!elements.open()) return parse_error("not a json array", "");
  while (!elements.done()) {
    const Result<std::string_view> element = elements.next();
    if (!element.ok()) return FieldStatus(element.status(), "");
    if (count == N) return FieldStatus(Status(Code::kCapacityExceeded, too_many), "");
    T& item = items[count];
    item = T{};
    const FieldResult<JsonObject> object = root_object(arena, *element);
    if (!object.ok()) return object.error();
    const FieldStatus decoded = decode_one(*object, item);
    if (!decoded.ok()) return decoded;
    ++count;
  }
  return FieldStatus();
}

}  // namespace posagent::gateway::decode

// Returns from the enclosing function with the normalized status unless OK.
#define POSAGENT_DECODE_TRY(expr)                                                      \
  do {                                                                                 \
    const ::posagent::FieldStatus decode_try_s_ = ::posagent::gateway::decode::normalize(expr); \
    if (!decode_try_s_.ok()) return decode_try_s_;                                     \
  } while (0)
