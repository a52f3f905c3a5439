// Parsing a JSON body into a JsonArena and reading it field by field with
// types checked. Every read reports what went wrong and for which key:
//
//   code               message              meaning
//   kNotFound          "field missing"      the key is absent
//   kNotFound          "field is null"      the key holds null
//   kInvalidArgument   "field wrong type"   e.g. a number where a string was due
//   kInvalidArgument   "not an integer"     1.5 or 1e2 where an integer was due
//   kOutOfRange        "integer out of range"
//   kCapacityExceeded  "field too long"     the caller's string is too small
//   kProtocolError     "duplicate key"      the key occurs twice in the object
//   (money text is checked by Money::parse, whose status is passed on)
//
// Numbers are read from their exact text in the body, never from the double
// cJSON also makes: 2299.5 is 229950 paise without floating point, 1.500 is
// refused as money (three decimals) though it equals 1.5 as a double, and
// exponents (1e3) are refused as money and as integers.
//
// Required reads (get_*) fail on absent or null; optional reads
// (get_optional_*) treat absent and null alike as "not there" and fail only
// on a present value of the wrong type or shape.
//
// Views (JsonValue, JsonObject, JsonArray) are small handles into the arena;
// they stay valid until the arena is reset (the next parse or writer on it),
// after which every read on them reports kInternal "json doc is stale".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "core/base/fixed_string.hpp"
#include "core/base/money.hpp"
#include "core/base/status.hpp"
#include "core/json/json_arena.hpp"

struct cJSON;

#ifndef CJSON_NESTING_LIMIT
#error "posagent_json needs CJSON_NESTING_LIMIT from the cjson target"
#endif

namespace posagent {

// Deepest nesting of arrays and objects a body may have (the root counts).
inline constexpr std::size_t kJsonNestingLimit = CJSON_NESTING_LIMIT;
// Integers are read exactly, but peers that keep JSON numbers as doubles
// (JavaScript, and cJSON's own valuedouble) lose track beyond 2^53 - 1, so a
// larger magnitude is refused as out of range rather than trusted.
inline constexpr std::int64_t kJsonMaxExactInteger = (std::int64_t{1} << 53) - 1;

// The failing key as carried in errors, cut to this many characters.
inline constexpr std::size_t kJsonKeyCapacity = 31;
using JsonKey = FixedString<kJsonKeyCapacity>;

// A Status plus the key it is about (empty when OK or not about a key).
// Converts to Status, so POSAGENT_TRY works on it.
class [[nodiscard]] FieldStatus {
 public:
  FieldStatus() = default;
  FieldStatus(Status status, std::string_view key) : status_(status) {
    (void)key_.assign(key.substr(0, kJsonKeyCapacity));
  }

  bool ok() const { return status_.ok(); }
  Code code() const { return status_.code(); }
  const char* message() const { return status_.message(); }
  Status status() const { return status_; }
  std::string_view key() const { return key_.view(); }
  operator Status() const { return status_; }  // NOLINT: deliberate
  void ignore() const {}

 private:
  Status status_;
  JsonKey key_;
};

// A value, or a FieldStatus naming the key that failed.
template <typename T>
class [[nodiscard]] FieldResult {
 public:
  FieldResult(const T& value) : result_(value) {}  // NOLINT: like Result
  FieldResult(T&& value) : result_(std::move(value)) {}  // NOLINT
  FieldResult(const FieldStatus& error) : result_(error.status()) {  // NOLINT
    (void)key_.assign(error.key());
  }

  bool ok() const { return result_.ok(); }
  Status status() const { return result_.status(); }
  Code code() const { return result_.status().code(); }
  std::string_view key() const { return key_.view(); }
  FieldStatus error() const { return FieldStatus(result_.status(), key_.view()); }

  // Precondition: ok().
  T& value() { return *result_; }
  const T& value() const { return *result_; }
  T& operator*() { return *result_; }
  const T& operator*() const { return *result_; }
  T* operator->() { return &*result_; }
  const T* operator->() const { return &*result_; }
  T value_or(T fallback) const { return result_.value_or(std::move(fallback)); }

 private:
  Result<T> result_;
  JsonKey key_;
};

enum class JsonType : std::uint8_t { kNull, kBool, kNumber, kString, kArray, kObject, kOther };

class JsonObject;
class JsonArray;

// One value in a parsed document: an object member (key() is its name), an
// array element (key() is empty, errors name it "[index]") or the root.
class JsonValue {
 public:
  JsonType type() const;  // kOther once the document is stale
  bool is_null() const { return type() == JsonType::kNull; }
  std::string_view key() const;

  // The string into out; on any error out is left as it was.
  FieldStatus read_string(StringSpan out) const;
  // For texts only shown to people (a bank's message): as much of the
  // string as fits out, cut at a UTF-8 character boundary. Returns whether
  // it was cut.
  FieldResult<bool> read_string_cut(StringSpan out) const;
  // An integer number within [min, max] (the default and the outer bound:
  // +-kJsonMaxExactInteger). Its text must be one: 42 and -0 are; 1.0, 1e2
  // and 1.5 are not ("not an integer").
  FieldResult<std::int64_t> read_int64(std::int64_t min = -kJsonMaxExactInteger,
                                       std::int64_t max = kJsonMaxExactInteger) const;
  FieldResult<bool> read_bool() const;
  // A JSON number (2299.5) or a string ("10.15") holding rupees, its text
  // read exactly by Money::parse (so 1e3, -5 and 1.005 are refused).
  FieldResult<Money> read_money() const;
  FieldResult<JsonObject> read_object() const;
  FieldResult<JsonArray> read_array() const;

 private:
  friend class JsonObject;
  friend class JsonArray;
  friend class JsonDocument;
  friend class JsonValueIterator;
  JsonValue(const cJSON* node, const JsonArenaBase* arena, std::uint32_t generation,
            std::int32_t index)
      : node_(node), arena_(arena), generation_(generation), index_(index) {}
  FieldStatus fail(Code code, const char* message) const;
  FieldStatus check(int wanted_cjson_type) const;
  bool stale() const;

  const cJSON* node_;
  const JsonArenaBase* arena_;
  std::uint32_t generation_;
  std::int32_t index_;  // position in the parent array, -1 otherwise
};

// Walks the members of an object or the elements of an array, in order.
class JsonValueIterator {
 public:
  JsonValue operator*() const;
  JsonValueIterator& operator++();
  friend bool operator==(const JsonValueIterator& a, const JsonValueIterator& b) {
    return a.node_ == b.node_;
  }

 private:
  friend class JsonObject;
  friend class JsonArray;
  JsonValueIterator(const cJSON* node, const JsonArenaBase* arena, std::uint32_t generation,
                    std::int32_t index)
      : node_(node), arena_(arena), generation_(generation), index_(index) {}
  const cJSON* node_;
  const JsonArenaBase* arena_;
  std::uint32_t generation_;
  std::int32_t index_;  // -1 for object members
};

class JsonObject {
 public:
  std::size_t size() const;
  // The key is there exactly once (holding null counts).
  bool contains(std::string_view key) const { return get(key).ok(); }
  // The member's value, null included. kNotFound when absent,
  // kProtocolError when the key occurs more than once.
  FieldResult<JsonValue> get(std::string_view key) const;

  FieldStatus get_string(std::string_view key, StringSpan out) const;
  FieldResult<std::int64_t> get_int64(std::string_view key,
                                      std::int64_t min = -kJsonMaxExactInteger,
                                      std::int64_t max = kJsonMaxExactInteger) const;
  FieldResult<bool> get_bool(std::string_view key) const;
  FieldResult<Money> get_money(std::string_view key) const;
  FieldResult<JsonObject> get_object(std::string_view key) const;
  FieldResult<JsonArray> get_array(std::string_view key) const;

  // Absent or null: the result is false (or nullopt) and, for strings, out is
  // cleared so it never keeps an older value.
  FieldResult<bool> get_optional_string(std::string_view key, StringSpan out) const;
  FieldResult<std::optional<std::int64_t>> get_optional_int64(
      std::string_view key, std::int64_t min = -kJsonMaxExactInteger,
      std::int64_t max = kJsonMaxExactInteger) const;
  FieldResult<std::optional<bool>> get_optional_bool(std::string_view key) const;
  FieldResult<std::optional<Money>> get_optional_money(std::string_view key) const;
  FieldResult<std::optional<JsonObject>> get_optional_object(std::string_view key) const;
  FieldResult<std::optional<JsonArray>> get_optional_array(std::string_view key) const;

  // Members in document order; each value's key() is its name. Must not
  // outlive the arena's current generation.
  JsonValueIterator begin() const;
  JsonValueIterator end() const;

 private:
  friend class JsonValue;
  explicit JsonObject(JsonValue self) : self_(self) {}
  // get() for the optional readers: nullopt when absent or null.
  FieldResult<std::optional<JsonValue>> find(std::string_view key) const;
  JsonValue self_;
};

class JsonArray {
 public:
  std::size_t size() const;
  // kNotFound past the end.
  FieldResult<JsonValue> at(std::size_t index) const;
  JsonValueIterator begin() const;
  JsonValueIterator end() const;

 private:
  friend class JsonValue;
  explicit JsonArray(JsonValue self) : self_(self) {}
  JsonValue self_;
};

// A parsed body. Parsing resets the arena, so the previous document in the
// same arena becomes stale.
class JsonDocument {
 public:
  // Parses exactly length bytes (no NUL needed). The body may be reused
  // afterwards: all text, numbers' included, is copied into the arena.
  // Refuses, as kParseError: invalid JSON (numbers strictly by RFC 8259, so
  // 01, 1. and -.5 too), trailing bytes other than whitespace, nesting
  // deeper than kJsonNestingLimit ("json too deep"), NUL bytes, raw control
  // characters and "\u0000" escapes (cJSON would accept these last ones and
  // cut strings short at the NUL). kCapacityExceeded ("json arena full") when
  // the arena is too small. A parse error's detail() is the byte offset
  // where it stopped.
  static Result<JsonDocument> parse(JsonArenaBase& arena, const char* data, std::size_t length);
  static Result<JsonDocument> parse(JsonArenaBase& arena, std::string_view body) {
    return parse(arena, body.data(), body.size());
  }
  static Result<JsonDocument> parse(JsonArenaBase& arena, std::span<const std::uint8_t> body) {
    return parse(arena, reinterpret_cast<const char*>(body.data()), body.size());
  }

  JsonValue root() const { return JsonValue(root_, arena_, generation_, -1); }
  // The root as an object (kInvalidArgument "field wrong type" otherwise).
  FieldResult<JsonObject> root_object() const { return root().read_object(); }

 private:
  JsonDocument(const cJSON* root, const JsonArenaBase* arena, std::uint32_t generation)
      : root_(root), arena_(arena), generation_(generation) {}
  const cJSON* root_;
  const JsonArenaBase* arena_;
  std::uint32_t generation_;
};

}  // namespace posagent
