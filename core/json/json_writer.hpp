// Building a request body with cJSON in a JsonArena and printing it, compact,
// into a caller's buffer.
//
//   JsonWriter writer(arena);                 // resets the arena
//   JsonObjectWriter root = writer.root();
//   POSAGENT_TRY(root.add_string("order_id", id));
//   POSAGENT_TRY(root.add_money("order_amount", amount));   // 2299.50
//   POSAGENT_TRY(writer.print(body).status());
//
// Errors are sticky: once an add fails, every later add and print() report
// the same status, so a body missing a field can never be printed. Failures:
// kCapacityExceeded "json arena full" (the arena is too small),
// kInvalidArgument "json text has NUL" / "duplicate key" (the caller's input),
// kInternal "json doc is stale" (the arena was reset under the writer).
//
// Numbers are written as cJSON raw text made here (never cJSON's own double
// printing, which needs float printf that newlib-nano leaves out): integers
// exactly, money as Money::format() ("2299.50").
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/money.hpp"
#include "core/base/status.hpp"
#include "core/json/json_arena.hpp"

struct cJSON;

namespace posagent {

class JsonWriter;
class JsonArrayWriter;

// A handle to an object being built; copies refer to the same object.
class JsonObjectWriter {
 public:
  // Keys and strings may hold any bytes but NUL; they are copied into the
  // arena and escaped on printing. A key may occur once per object.
  Status add_string(std::string_view key, std::string_view value);
  Status add_int64(std::string_view key, std::int64_t value);
  Status add_bool(std::string_view key, bool value);
  Status add_null(std::string_view key);
  Status add_money(std::string_view key, Money value);
  Result<JsonObjectWriter> add_object(std::string_view key);
  Result<JsonArrayWriter> add_array(std::string_view key);

 private:
  friend class JsonWriter;
  friend class JsonArrayWriter;
  JsonObjectWriter(JsonWriter* writer, cJSON* node) : writer_(writer), node_(node) {}
  Status add(std::string_view key, cJSON* item);
  JsonWriter* writer_;
  cJSON* node_;
};

// A handle to an array being built; copies refer to the same array.
class JsonArrayWriter {
 public:
  Status add_string(std::string_view value);
  Status add_int64(std::int64_t value);
  Status add_bool(bool value);
  Status add_money(Money value);
  Result<JsonObjectWriter> add_object();
  Result<JsonArrayWriter> add_array();

 private:
  friend class JsonWriter;
  friend class JsonObjectWriter;
  JsonArrayWriter(JsonWriter* writer, cJSON* node) : writer_(writer), node_(node) {}
  Status add(cJSON* item);
  JsonWriter* writer_;
  cJSON* node_;
};

// One body, built then printed. Starting a writer resets its arena: a
// document parsed in the same arena becomes stale. Handles must not outlive
// the writer.
class JsonWriter {
 public:
  explicit JsonWriter(JsonArenaBase& arena);
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  JsonObjectWriter root() { return JsonObjectWriter(this, root_); }
  // OK, or the first error of any add.
  Status status() const { return status_; }

  // Prints compact JSON and a NUL into out; returns the length without the
  // NUL. kCapacityExceeded "json output full" when it does not fit. cJSON
  // checks space conservatively: out needs the text, its NUL and up to 5
  // bytes of slack (cJSON's README), so size buffers with that margin.
  // On failure out holds an empty string, never a truncated body.
  Result<std::size_t> print(std::span<char> out) const;
  template <std::size_t N>
  Status print(FixedString<N>& out) const {
    const Result<std::size_t> printed = print(std::span<char>(out.data(), N + 1));
    if (!printed.ok()) {
      out.clear();
      return printed.status();
    }
    // Sets the length to what cJSON wrote in place (the text moves onto itself).
    (void)out.assign(std::string_view(out.data(), *printed));
    return Status::Ok();
  }

 private:
  friend class JsonObjectWriter;
  friend class JsonArrayWriter;
  // Checks the writer can still add: no earlier error, arena not reset, and
  // binds the arena for cJSON's hooks.
  Status begin_add();
  // Records and returns the error of a failed add.
  Status fail(Status status);
  // nullptr from a cJSON create call: the arena ran out (or a bug).
  Status creation_failed();
  // A NUL-terminated copy in the arena (cJSON wants C strings).
  Result<const char*> copy_text(std::string_view text);

  JsonArenaBase* arena_;
  std::uint32_t generation_;
  cJSON* root_;
  Status status_;
};

}  // namespace posagent
