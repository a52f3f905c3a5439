#include "core/gateway/decode_fields.hpp"

namespace posagent::gateway::decode {

FieldStatus normalize(const FieldStatus& s) {
  switch (s.code()) {
    case Code::kOk:
    case Code::kCapacityExceeded:
    case Code::kInternal:
    case Code::kParseError:
      return s;
    default:
      return FieldStatus(Status(Code::kParseError, s.message()), s.key());
  }
}

FieldStatus parse_error(const char* message, std::string_view key) {
  return FieldStatus(Status(Code::kParseError, message), key);
}

FieldStatus optional_string(const JsonObject& o, std::string_view key, StringSpan out) {
  const FieldResult<bool> present = o.get_optional_string(key, out);
  return present.ok() ? FieldStatus() : present.error();
}

FieldStatus short_text(const JsonObject& o, std::string_view key, StringSpan out, bool required) {
  const FieldStatus s = required ? o.get_string(key, out) : optional_string(o, key, out);
  if (s.code() == Code::kCapacityExceeded) {
    out.clear();
    return FieldStatus();
  }
  return s;
}

FieldStatus optional_display_text(const JsonObject& o, std::string_view key, StringSpan out) {
  out.clear();
  const FieldResult<JsonValue> value = o.get(key);
  if (!value.ok()) return value.error().code() == Code::kNotFound ? FieldStatus() : value.error();
  if (value->is_null()) return FieldStatus();
  const FieldResult<bool> cut = value->read_string_cut(out);
  return cut.ok() ? FieldStatus() : cut.error();
}

FieldResult<JsonObject> root_object(JsonArenaBase& arena, std::string_view body) {
  const Result<JsonDocument> doc = JsonDocument::parse(arena, body);
  if (!doc.ok()) return FieldStatus(doc.status(), "");
  const FieldResult<JsonObject> root = doc->root_object();
  if (!root.ok()) return normalize(root.error());
  return root;
}

}  // namespace posagent::gateway::decode
