#include "core/json/json_reader.hpp"

#include <cJSON.h>

#include <cstring>

#include "core/json/json_number.hpp"

namespace posagent {
namespace {

constexpr const char* kStale = "json doc is stale";

// cJSON is lenient where a hostile body could hurt: it takes raw control
// characters inside strings, treats every byte below 0x20 as whitespace, and
// decodes "\u0000" into a NUL that would silently cut a string short when
// read back as a C string. One linear pass refuses those before cJSON runs,
// and measures nesting so "too deep" gets its own message (cJSON's own
// CJSON_NESTING_LIMIT check stays as the backstop).
Status prescan(const char* data, std::size_t length) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < length; ++i) {
    const auto c = static_cast<unsigned char>(data[i]);
    const auto at = static_cast<std::int32_t>(i);
    if (in_string) {
      if (c == '"') {
        in_string = false;
      } else if (c == '\\') {
        if (length - i >= 6 && std::memcmp(data + i + 1, "u0000", 5) == 0) {
          return Status(Code::kParseError, "json has \\u0000", at);
        }
        ++i;  // the escaped character cannot end the string; cJSON checks the rest
      } else if (c < 0x20) {
        return Status(Code::kParseError, "json invalid", at);
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '{':
      case '[':
        if (++depth > kJsonNestingLimit) return Status(Code::kParseError, "json too deep", at);
        break;
      case '}':
      case ']':
        if (depth > 0) --depth;
        break;
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        break;
      default:
        if (c < 0x20) return Status(Code::kParseError, "json invalid", at);
        break;
    }
  }
  return Status::Ok();
}

bool is_json_whitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_number_char(char c) {
  return is_digit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// The next number token at or after pos, outside strings; empty when none is
// left. The body has parsed, so its strings are well formed. A token starts
// at '-' or a digit (true, false and null hold neither) and runs over every
// character a JSON number may hold: cJSON took exactly one JSON number there,
// and in a valid body a delimiter follows it, so token and number agree.
std::string_view next_number(std::string_view body, std::size_t& pos) {
  bool in_string = false;
  for (; pos < body.size(); ++pos) {
    const char c = body[pos];
    if (in_string) {
      if (c == '\\') {
        ++pos;  // an escaped quote does not end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '-' || is_digit(c)) {
      const std::size_t start = pos;
      while (pos < body.size() && is_number_char(body[pos])) ++pos;
      return std::string_view(body.data() + start, pos - start);
    }
  }
  return {};
}

// cJSON keeps a number only as the double strtod made of it, which cannot
// tell 1.5 from 1.500 nor hold every 17-digit integer. So each number item
// gets its exact text, copied into the arena, as its valuestring (which
// cJSON leaves NULL for numbers and never reads for them); money and
// integers are read from that text, never from valuedouble.
//
// Items and tokens are paired by document order: cJSON appends each child as
// it reads it, so a pre-order walk from the root meets the number items in
// the order their tokens appear in the body, and the n-th item met is the
// n-th number token outside strings. A count mismatch is kInternal.
Status attach_number_texts(cJSON* root, std::string_view body, JsonArenaBase& arena) {
  // Siblings still to visit, one per open container at most: the parse
  // refused bodies nested deeper than kJsonNestingLimit.
  cJSON* pending[kJsonNestingLimit];
  std::size_t depth = 0;
  std::size_t pos = 0;
  for (cJSON* node = root; node != nullptr;) {
    if ((node->type & 0xFF) == cJSON_Number) {
      const std::string_view token = next_number(body, pos);
      if (token.empty()) return Status(Code::kInternal, "json number mismatch");
      auto* text = static_cast<char*>(arena.allocate(token.size() + 1));
      if (text == nullptr) {
        return Status(Code::kCapacityExceeded, "json arena full",
                      static_cast<std::int32_t>(token.data() - body.data()));
      }
      std::memcpy(text, token.data(), token.size());
      text[token.size()] = '\0';
      node->valuestring = text;
    }
    if (node->child != nullptr) {
      if (node->next != nullptr) {
        if (depth == kJsonNestingLimit) return Status(Code::kInternal, "json walk too deep");
        pending[depth++] = node->next;
      }
      node = node->child;
    } else if (node->next != nullptr) {
      node = node->next;
    } else {
      node = depth > 0 ? pending[--depth] : nullptr;
    }
  }
  if (!next_number(body, pos).empty()) return Status(Code::kInternal, "json number mismatch");
  return Status::Ok();
}

// A key for error reports: the member name, or "[index]" for array elements.
JsonKey describe(const cJSON* node, std::int32_t index) {
  JsonKey key;
  if (node != nullptr && node->string != nullptr) {
    (void)key.assign(std::string_view(node->string).substr(0, kJsonKeyCapacity));
  } else if (index >= 0) {
    char text[json_detail::kInt64TextLength + 2] = "[";
    std::size_t length = 1 + json_detail::format_int64(index, text + 1);
    text[length++] = ']';
    (void)key.assign(std::string_view(text, length));
  }
  return key;
}

// An integer from a number's exact text: "-"? digits and nothing else. The
// text is a valid JSON number, so any other character means a fraction or
// an exponent. The syntax is checked before any arithmetic, and digits are
// accumulated with an early stop, so no length can overflow.
Result<std::int64_t> integer_from_text(std::string_view text) {
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty()) return Status(Code::kInvalidArgument, "not an integer");
  for (const char c : text) {
    if (!is_digit(c)) return Status(Code::kInvalidArgument, "not an integer");
  }
  std::int64_t magnitude = 0;
  for (const char c : text) {
    magnitude = magnitude * 10 + (c - '0');
    if (magnitude > kJsonMaxExactInteger) return Status(Code::kOutOfRange, "integer out of range");
  }
  return negative ? -magnitude : magnitude;
}

}  // namespace

// --- JsonValue ---------------------------------------------------------------

bool JsonValue::stale() const { return arena_->generation() != generation_; }

FieldStatus JsonValue::fail(Code code, const char* message) const {
  const JsonKey key = describe(stale() ? nullptr : node_, index_);
  return FieldStatus(Status(code, message), key.view());
}

JsonType JsonValue::type() const {
  if (stale()) return JsonType::kOther;
  switch (node_->type & 0xFF) {
    case cJSON_NULL: return JsonType::kNull;
    case cJSON_False:
    case cJSON_True: return JsonType::kBool;
    case cJSON_Number: return JsonType::kNumber;
    case cJSON_String: return JsonType::kString;
    case cJSON_Array: return JsonType::kArray;
    case cJSON_Object: return JsonType::kObject;
    default: return JsonType::kOther;
  }
}

std::string_view JsonValue::key() const {
  if (stale() || node_->string == nullptr) return {};
  return node_->string;
}

// OK when the node has one of the wanted cJSON type bits.
FieldStatus JsonValue::check(int wanted_cjson_type) const {
  if (stale()) return fail(Code::kInternal, kStale);
  const int type = node_->type & 0xFF;
  if ((type & wanted_cjson_type) != 0) return FieldStatus();
  if (type == cJSON_NULL) return fail(Code::kNotFound, "field is null");
  return fail(Code::kInvalidArgument, "field wrong type");
}

FieldStatus JsonValue::read_string(StringSpan out) const {
  FieldStatus status = check(cJSON_String);
  if (!status.ok()) return status;
  // The prescan refused "\u0000", so strlen is the string's true length.
  if (!out.assign(node_->valuestring)) return fail(Code::kCapacityExceeded, "field too long");
  return FieldStatus();
}

FieldResult<bool> JsonValue::read_string_cut(StringSpan out) const {
  FieldStatus status = check(cJSON_String);
  if (!status.ok()) return status;
  const std::string_view text(node_->valuestring);
  std::size_t n = text.size() < out.capacity() ? text.size() : out.capacity();
  // Step back over continuation bytes (10xxxxxx): the cut character goes whole.
  if (n < text.size())
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  (void)out.assign(text.substr(0, n));
  return n < text.size();
}

FieldResult<std::int64_t> JsonValue::read_int64(std::int64_t min, std::int64_t max) const {
  FieldStatus status = check(cJSON_Number);
  if (!status.ok()) return status;
  // The exact text parse() attached; valuedouble is never trusted.
  const Result<std::int64_t> integer = integer_from_text(node_->valuestring);
  if (!integer.ok()) return fail(integer.status().code(), integer.status().message());
  if (*integer < min || *integer > max) return fail(Code::kOutOfRange, "integer out of range");
  return *integer;
}

FieldResult<bool> JsonValue::read_bool() const {
  FieldStatus status = check(cJSON_True | cJSON_False);
  if (!status.ok()) return status;
  return (node_->type & 0xFF) == cJSON_True;
}

FieldResult<Money> JsonValue::read_money() const {
  FieldStatus status = check(cJSON_Number | cJSON_String);
  if (!status.ok()) return status;
  // A string's text, or the exact text parse() attached to a number.
  const Result<Money> money = Money::parse(node_->valuestring);
  if (!money.ok()) return fail(money.status().code(), money.status().message());
  return *money;
}

FieldResult<JsonObject> JsonValue::read_object() const {
  FieldStatus status = check(cJSON_Object);
  if (!status.ok()) return status;
  return JsonObject(*this);
}

FieldResult<JsonArray> JsonValue::read_array() const {
  FieldStatus status = check(cJSON_Array);
  if (!status.ok()) return status;
  return JsonArray(*this);
}

// --- iteration ---------------------------------------------------------------

JsonValue JsonValueIterator::operator*() const {
  return JsonValue(node_, arena_, generation_, index_);
}

JsonValueIterator& JsonValueIterator::operator++() {
  // A stale arena no longer holds the list: end the walk instead of reading it.
  node_ = arena_->generation() == generation_ ? node_->next : nullptr;
  if (index_ >= 0) ++index_;
  return *this;
}

namespace {
std::size_t count_children(const cJSON* node) {
  std::size_t n = 0;
  for (const cJSON* child = node->child; child != nullptr; child = child->next) ++n;
  return n;
}
}  // namespace

// --- JsonObject --------------------------------------------------------------

std::size_t JsonObject::size() const { return self_.stale() ? 0 : count_children(self_.node_); }

JsonValueIterator JsonObject::begin() const {
  const cJSON* first = self_.stale() ? nullptr : self_.node_->child;
  return JsonValueIterator(first, self_.arena_, self_.generation_, -1);
}

JsonValueIterator JsonObject::end() const {
  return JsonValueIterator(nullptr, self_.arena_, self_.generation_, -1);
}

FieldResult<JsonValue> JsonObject::get(std::string_view key) const {
  if (self_.stale()) return FieldStatus(Status(Code::kInternal, kStale), key);
  // The whole object is scanned, not just up to the first match: a body that
  // says "order_amount" twice is ambiguous, and which one a reader would pick
  // must not decide what is charged.
  const cJSON* found = nullptr;
  for (const cJSON* child = self_.node_->child; child != nullptr; child = child->next) {
    if (child->string == nullptr || std::string_view(child->string) != key) continue;
    if (found != nullptr) return FieldStatus(Status(Code::kProtocolError, "duplicate key"), key);
    found = child;
  }
  if (found == nullptr) return FieldStatus(Status(Code::kNotFound, "field missing"), key);
  return JsonValue(found, self_.arena_, self_.generation_, -1);
}

FieldResult<std::optional<JsonValue>> JsonObject::find(std::string_view key) const {
  FieldResult<JsonValue> value = get(key);
  if (!value.ok()) {
    if (value.code() == Code::kNotFound) return std::optional<JsonValue>();
    return value.error();
  }
  if (value->is_null()) return std::optional<JsonValue>();
  return std::optional<JsonValue>(*value);
}

FieldStatus JsonObject::get_string(std::string_view key, StringSpan out) const {
  FieldResult<JsonValue> value = get(key);
  if (!value.ok()) return value.error();
  return value->read_string(out);
}

FieldResult<std::int64_t> JsonObject::get_int64(std::string_view key, std::int64_t min,
                                                std::int64_t max) const {
  FieldResult<JsonValue> value = get(key);
  if (!value.ok()) return value.error();
  return value->read_int64(min, max);
}

FieldResult<bool> JsonObject::get_bool(std::string_view key) const {
  FieldResult<JsonValue> value = get(key);
  if (!value.ok()) return value.error();
  return value->read_bool();
}

FieldResult<Money> JsonObject::get_money(std::string_view key) const {
  FieldResult<JsonValue> value = get(key);
  if (!value.ok()) return value.error();
  return value->read_money();
}

FieldResult<JsonObject> JsonObject::get_object(std::string_view key) const {
  FieldResult<JsonValue> value = get(key);
  if (!value.ok()) return value.error();
  return value->read_object();
}

FieldResult<JsonArray> JsonObject::get_array(std::string_view key) const {
  FieldResult<JsonValue> value = get(key);
  if (!value.ok()) return value.error();
  return value->read_array();
}

FieldResult<bool> JsonObject::get_optional_string(std::string_view key, StringSpan out) const {
  FieldResult<std::optional<JsonValue>> value = find(key);
  if (!value.ok()) return value.error();
  if (!value->has_value()) {
    out.clear();
    return false;
  }
  FieldStatus status = (*value)->read_string(out);
  if (!status.ok()) return status;
  return true;
}

namespace {
// The optional readers share one shape: absent or null is nullopt, anything
// else must read as T.
template <typename T, typename Read>
FieldResult<std::optional<T>> read_optional(FieldResult<std::optional<JsonValue>> value,
                                            Read read) {
  if (!value.ok()) return value.error();
  if (!value->has_value()) return std::optional<T>();
  FieldResult<T> result = read(**value);
  if (!result.ok()) return result.error();
  return std::optional<T>(*result);
}
}  // namespace

FieldResult<std::optional<std::int64_t>> JsonObject::get_optional_int64(std::string_view key,
                                                                        std::int64_t min,
                                                                        std::int64_t max) const {
  return read_optional<std::int64_t>(find(key),
                                     [=](const JsonValue& v) { return v.read_int64(min, max); });
}

FieldResult<std::optional<bool>> JsonObject::get_optional_bool(std::string_view key) const {
  return read_optional<bool>(find(key), [](const JsonValue& v) { return v.read_bool(); });
}

FieldResult<std::optional<Money>> JsonObject::get_optional_money(std::string_view key) const {
  return read_optional<Money>(find(key), [](const JsonValue& v) { return v.read_money(); });
}

FieldResult<std::optional<JsonObject>> JsonObject::get_optional_object(
    std::string_view key) const {
  return read_optional<JsonObject>(find(key),
                                   [](const JsonValue& v) { return v.read_object(); });
}

FieldResult<std::optional<JsonArray>> JsonObject::get_optional_array(std::string_view key) const {
  return read_optional<JsonArray>(find(key), [](const JsonValue& v) { return v.read_array(); });
}

// --- JsonArray ---------------------------------------------------------------

std::size_t JsonArray::size() const { return self_.stale() ? 0 : count_children(self_.node_); }

JsonValueIterator JsonArray::begin() const {
  const cJSON* first = self_.stale() ? nullptr : self_.node_->child;
  return JsonValueIterator(first, self_.arena_, self_.generation_, 0);
}

JsonValueIterator JsonArray::end() const {
  return JsonValueIterator(nullptr, self_.arena_, self_.generation_, 0);
}

FieldResult<JsonValue> JsonArray::at(std::size_t index) const {
  if (self_.stale()) return self_.fail(Code::kInternal, kStale);
  std::size_t i = 0;
  for (const cJSON* child = self_.node_->child; child != nullptr; child = child->next, ++i) {
    if (i == index) {
      return JsonValue(child, self_.arena_, self_.generation_, static_cast<std::int32_t>(i));
    }
  }
  const JsonKey key = describe(nullptr, static_cast<std::int32_t>(index));
  return FieldStatus(Status(Code::kNotFound, "no such element"), key.view());
}

// --- JsonDocument ------------------------------------------------------------

Result<JsonDocument> JsonDocument::parse(JsonArenaBase& arena, const char* data,
                                         std::size_t length) {
  // Without the hooks cJSON would allocate with malloc.
  if (!json_initialized()) return Status(Code::kInternal, "json_init not run");
  arena.reset();
  if (data == nullptr || length == 0) return Status(Code::kParseError, "json invalid");
  POSAGENT_TRY(prescan(data, length));

  arena.bind();
  // Not require_null_terminated: with it, cJSON wants the terminating NUL
  // inside length, which a body straight from the socket does not have.
  // Instead the parse stops after the value and the rest is checked here.
  const char* end = nullptr;
  cJSON* root = cJSON_ParseWithLengthOpts(data, length, &end, false);
  const auto offset = static_cast<std::int32_t>(end != nullptr ? end - data : 0);
  if (root == nullptr) {
    if (arena.exhausted()) return Status(Code::kCapacityExceeded, "json arena full", offset);
    return Status(Code::kParseError, "json invalid", offset);
  }
  for (const char* p = end; p < data + length; ++p) {
    if (!is_json_whitespace(*p)) {
      return Status(Code::kParseError, "json trailing data", static_cast<std::int32_t>(p - data));
    }
  }
  POSAGENT_TRY(attach_number_texts(root, std::string_view(data, length), arena));
  return JsonDocument(root, &arena, arena.generation());
}

}  // namespace posagent
