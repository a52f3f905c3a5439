#include "json_test_support.hpp"

#include <doctest/doctest.h>

namespace json_test {
namespace {
// File-scope arrays, not statics of an inline function: GCC's ASan gives
// redzones only to globals outside COMDAT groups, and the redzone right after
// each array is what catches a read past a body.
char g_first[8192];
char g_second[8192];
alignas(alignof(std::max_align_t)) std::byte g_arena_bytes[SizedArena::kMaxCapacity];
}  // namespace

std::string_view unterminated(std::string_view body, int slot) {
  char* buffer = slot == 0 ? g_first : g_second;
  REQUIRE(body.size() <= sizeof(g_first));
  char* start = buffer + sizeof(g_first) - body.size();
  std::memcpy(start, body.data(), body.size());
  return {start, body.size()};
}

SizedArena::SizedArena(std::size_t capacity) : JsonArenaBase(storage(capacity), capacity) {}

std::byte* SizedArena::storage(std::size_t capacity) {
  REQUIRE(capacity <= kMaxCapacity);
  return g_arena_bytes;
}

}  // namespace json_test
