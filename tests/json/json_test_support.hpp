// Helpers shared by the json tests. Buffers are static so the Cortex-M4 build
// keeps them off its stack.
#pragma once

#include <doctest/doctest.h>

#include <cstddef>
#include <cstring>
#include <string_view>

#include "core/json/json_arena.hpp"

// Checks that name the loop case on failure. Not doctest's INFO, CAPTURE or
// *_MESSAGE: their context scopes are polymorphic, and test files are built
// -fno-rtti while the doctest runner (posagent_test_main) has RTTI, which
// UBSan's vptr check rejects unless the build turns it off. These only use
// doctest's plain message builder, so they work either way.
#define JSON_CHECK_CTX(cond, context)                          \
  do {                                                         \
    if (cond) {                                                \
      CHECK(true);                                             \
    } else {                                                   \
      FAIL_CHECK(#cond << "  [" << context << "]");            \
    }                                                          \
  } while (0)
#define JSON_REQUIRE_CTX(cond, context)                        \
  do {                                                         \
    if (!(cond)) FAIL(#cond << "  [" << context << "]");       \
  } while (0)

namespace json_test {

// Copies body to the very end of a static buffer, so nothing (not even a NUL)
// follows it: on the sanitized host build any read past the length is an
// error. Two slots, for tests that keep two bodies alive.
std::string_view unterminated(std::string_view body, int slot = 0);

// Text for the *_CTX macros (doctest prints a char pointer as an address).
inline doctest::String ctx(std::string_view text) {
  return doctest::String(text.data(), static_cast<doctest::String::size_type>(text.size()));
}
inline doctest::String ctx(char c) { return ctx(std::string_view(&c, 1)); }

// Status messages must fit one 20-character terminal line.
inline bool fits_line(const char* message) {
  return message != nullptr && std::strlen(message) <= 20;
}

// An arena whose capacity is chosen at run time, to fail cJSON at every
// allocation in turn. The storage is shared, so one SizedArena at a time.
class SizedArena final : public posagent::JsonArenaBase {
 public:
  static constexpr std::size_t kMaxCapacity = 16384;
  explicit SizedArena(std::size_t capacity);

 private:
  static std::byte* storage(std::size_t capacity);
};

}  // namespace json_test
