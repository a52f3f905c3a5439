#include <doctest/doctest.h>

#include <cJSON.h>

#include <cstdint>

#include "core/json/json_arena.hpp"
#include "json_test_support.hpp"

using posagent::JsonArena;
using posagent::JsonArenaBase;

namespace {
JsonArena<1024> g_arena;
}  // namespace

TEST_CASE("The arena hands out aligned memory until it is full") {
  g_arena.reset();
  CHECK(g_arena.capacity() == 1024);
  CHECK(g_arena.used() == 0);
  CHECK_FALSE(g_arena.exhausted());

  void* a = g_arena.allocate(3);
  void* b = g_arena.allocate(5);
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  const auto align = alignof(std::max_align_t);
  CHECK(reinterpret_cast<std::uintptr_t>(a) % align == 0);
  CHECK(reinterpret_cast<std::uintptr_t>(b) % align == 0);
  CHECK(static_cast<char*>(b) - static_cast<char*>(a) == static_cast<std::ptrdiff_t>(align));
  CHECK(g_arena.used() == align + 5);

  // Exactly the rest fits; one byte more does not, and nothing changes.
  const std::size_t start = 2 * align;
  CHECK(g_arena.allocate(1024 - start + 1) == nullptr);
  CHECK(g_arena.exhausted());
  CHECK(g_arena.used() == align + 5);
  CHECK(g_arena.allocate(1024 - start) != nullptr);
  CHECK(g_arena.used() == 1024);
  CHECK(g_arena.allocate(0) != nullptr);  // malloc(0) may return a pointer
  CHECK(g_arena.allocate(1) == nullptr);
}

TEST_CASE("Reset frees everything but keeps the peak and moves the generation") {
  g_arena.reset();
  const std::uint32_t generation = g_arena.generation();
  REQUIRE(g_arena.allocate(700) != nullptr);
  CHECK(g_arena.allocate(700) == nullptr);
  CHECK(g_arena.exhausted());
  const std::size_t peak = g_arena.peak();
  CHECK(peak >= 700);

  g_arena.reset();
  CHECK(g_arena.generation() == generation + 1);
  CHECK(g_arena.used() == 0);
  CHECK_FALSE(g_arena.exhausted());
  CHECK(g_arena.peak() == peak);  // the largest message so far, not the last
  REQUIRE(g_arena.allocate(100) != nullptr);
  CHECK(g_arena.peak() == peak);
}

TEST_CASE("cJSON allocates from the bound arena once the hooks are installed") {
  posagent::json_init();
  posagent::json_init();  // idempotent
  CHECK(posagent::json_initialized());

  static JsonArena<512> other;
  g_arena.reset();
  other.reset();
  g_arena.bind();
  cJSON* object = cJSON_CreateObject();
  REQUIRE(object != nullptr);
  CHECK(g_arena.used() >= sizeof(cJSON));
  CHECK(other.used() == 0);
  // Deleting is harmless: free is a no-op, reset reclaims.
  const std::size_t used = g_arena.used();
  cJSON_Delete(object);
  CHECK(g_arena.used() == used);

  other.bind();
  CHECK(cJSON_CreateString("abc") != nullptr);
  CHECK(other.used() >= sizeof(cJSON) + 4);
  CHECK(g_arena.used() == used);

  // Exhaustion reaches cJSON as a failed allocation, not a crash.
  while (cJSON_CreateNull() != nullptr) {
  }
  CHECK(other.exhausted());
  CHECK(cJSON_CreateObject() == nullptr);
}

TEST_CASE("Wipe zeroes every byte, the ones since a reset too, then resets and keeps the peak") {
  g_arena.reset();
  char* first = static_cast<char*>(g_arena.allocate(16));
  REQUIRE(first != nullptr);
  for (int i = 0; i < 16; ++i) first[i] = 'A';  // an earlier document, already reset
  g_arena.reset();
  char* secret = static_cast<char*>(g_arena.allocate(600));
  REQUIRE(secret != nullptr);
  for (int i = 0; i < 600; ++i) secret[i] = static_cast<char>('0' + i % 10);  // "4111 1111 ..."
  const std::size_t peak = g_arena.peak();
  const std::uint32_t generation = g_arena.generation();

  g_arena.wipe();
  CHECK(g_arena.used() == 0);
  CHECK(g_arena.peak() == peak);
  CHECK(g_arena.generation() == generation + 1);
  // The whole storage, taken back through allocate() (which also lifts the
  // sanitizer's poison from the free space).
  CHECK(g_arena.bytes().size() == 1024);
  const auto* all = static_cast<const unsigned char*>(g_arena.allocate(1024));
  REQUIRE(all != nullptr);
  CHECK(static_cast<const void*>(all) == static_cast<const void*>(g_arena.bytes().data()));
  int nonzero = 0;
  for (int i = 0; i < 1024; ++i) nonzero += all[i] != 0;
  CHECK(nonzero == 0);
  g_arena.reset();
}
