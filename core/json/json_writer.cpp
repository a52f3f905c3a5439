#include "core/json/json_writer.hpp"

#include <cJSON.h>

#include <climits>
#include <cstring>

#include "core/json/json_number.hpp"

namespace posagent {

// --- JsonWriter --------------------------------------------------------------

JsonWriter::JsonWriter(JsonArenaBase& arena)
    : arena_(&arena), generation_(0), root_(nullptr) {
  // Without the hooks cJSON would allocate with malloc.
  if (!json_initialized()) {
    status_ = Status(Code::kInternal, "json_init not run");
    return;
  }
  arena.reset();
  generation_ = arena.generation();
  arena.bind();
  root_ = cJSON_CreateObject();
  if (root_ == nullptr) (void)creation_failed();
}

Status JsonWriter::fail(Status status) {
  if (status_.ok()) status_ = status;
  return status_;
}

Status JsonWriter::creation_failed() {
  if (arena_->exhausted()) return fail(Status(Code::kCapacityExceeded, "json arena full"));
  return fail(Status(Code::kInternal, "json create failed"));
}

Status JsonWriter::begin_add() {
  if (!status_.ok()) return status_;
  if (arena_->generation() != generation_) {
    return fail(Status(Code::kInternal, "json doc is stale"));
  }
  // Another arena may have been bound since (a response parsed meanwhile).
  arena_->bind();
  return Status::Ok();
}

Result<const char*> JsonWriter::copy_text(std::string_view text) {
  // cJSON handles C strings: an embedded NUL would silently cut the text.
  if (text.find('\0') != std::string_view::npos) {
    return fail(Status(Code::kInvalidArgument, "json text has NUL"));
  }
  auto* copy = static_cast<char*>(arena_->allocate(text.size() + 1));
  if (copy == nullptr) return fail(Status(Code::kCapacityExceeded, "json arena full"));
  std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  return static_cast<const char*>(copy);
}

Result<std::size_t> JsonWriter::print(std::span<char> out) const {
  if (!out.empty()) out[0] = '\0';
  if (!status_.ok()) return status_;
  if (arena_->generation() != generation_) return Status(Code::kInternal, "json doc is stale");
  // cJSON takes an int length; anything above INT_MAX is more than enough.
  const int length = out.size() > static_cast<std::size_t>(INT_MAX)
                         ? INT_MAX
                         : static_cast<int>(out.size());
  // Preallocated printing never allocates: it fails when out is too small.
  if (out.empty() || !cJSON_PrintPreallocated(root_, out.data(), length, false)) {
    if (!out.empty()) out[0] = '\0';
    return Status(Code::kCapacityExceeded, "json output full");
  }
  return std::strlen(out.data());
}

namespace {

// Raw items carry integers as exact decimal text (see the header for why).
cJSON* create_int64(std::int64_t value) {
  char text[json_detail::kInt64TextLength + 1];
  text[json_detail::format_int64(value, text)] = '\0';
  return cJSON_CreateRaw(text);
}

// Money goes straight from paise to "2299.50": no double on the way.
cJSON* create_money(Money value) { return cJSON_CreateRaw(value.format().c_str()); }

}  // namespace

// --- JsonObjectWriter --------------------------------------------------------

Status JsonObjectWriter::add(std::string_view key, cJSON* item) {
  if (item == nullptr) return writer_->creation_failed();
  for (const cJSON* child = node_->child; child != nullptr; child = child->next) {
    if (child->string != nullptr && std::string_view(child->string) == key) {
      return writer_->fail(Status(Code::kInvalidArgument, "duplicate key"));
    }
  }
  const Result<const char*> copy = writer_->copy_text(key);
  if (!copy.ok()) return copy.status();
  // The "CS" variant takes the key as is: it is already a copy in the arena.
  if (!cJSON_AddItemToObjectCS(node_, *copy, item)) {
    return writer_->fail(Status(Code::kInternal, "json add failed"));
  }
  return Status::Ok();
}

Status JsonObjectWriter::add_string(std::string_view key, std::string_view value) {
  POSAGENT_TRY(writer_->begin_add());
  const Result<const char*> copy = writer_->copy_text(value);
  if (!copy.ok()) return copy.status();
  // A reference item points at our arena copy instead of duplicating it again.
  return add(key, cJSON_CreateStringReference(*copy));
}

Status JsonObjectWriter::add_int64(std::string_view key, std::int64_t value) {
  POSAGENT_TRY(writer_->begin_add());
  return add(key, create_int64(value));
}

Status JsonObjectWriter::add_bool(std::string_view key, bool value) {
  POSAGENT_TRY(writer_->begin_add());
  return add(key, cJSON_CreateBool(value ? 1 : 0));
}

Status JsonObjectWriter::add_null(std::string_view key) {
  POSAGENT_TRY(writer_->begin_add());
  return add(key, cJSON_CreateNull());
}

Status JsonObjectWriter::add_money(std::string_view key, Money value) {
  POSAGENT_TRY(writer_->begin_add());
  return add(key, create_money(value));
}

Result<JsonObjectWriter> JsonObjectWriter::add_object(std::string_view key) {
  POSAGENT_TRY(writer_->begin_add());
  cJSON* item = cJSON_CreateObject();
  POSAGENT_TRY(add(key, item));
  return JsonObjectWriter(writer_, item);
}

Result<JsonArrayWriter> JsonObjectWriter::add_array(std::string_view key) {
  POSAGENT_TRY(writer_->begin_add());
  cJSON* item = cJSON_CreateArray();
  POSAGENT_TRY(add(key, item));
  return JsonArrayWriter(writer_, item);
}

// --- JsonArrayWriter ---------------------------------------------------------

Status JsonArrayWriter::add(cJSON* item) {
  if (item == nullptr) return writer_->creation_failed();
  if (!cJSON_AddItemToArray(node_, item)) {
    return writer_->fail(Status(Code::kInternal, "json add failed"));
  }
  return Status::Ok();
}

Status JsonArrayWriter::add_string(std::string_view value) {
  POSAGENT_TRY(writer_->begin_add());
  const Result<const char*> copy = writer_->copy_text(value);
  if (!copy.ok()) return copy.status();
  return add(cJSON_CreateStringReference(*copy));
}

Status JsonArrayWriter::add_int64(std::int64_t value) {
  POSAGENT_TRY(writer_->begin_add());
  return add(create_int64(value));
}

Status JsonArrayWriter::add_bool(bool value) {
  POSAGENT_TRY(writer_->begin_add());
  return add(cJSON_CreateBool(value ? 1 : 0));
}

Status JsonArrayWriter::add_money(Money value) {
  POSAGENT_TRY(writer_->begin_add());
  return add(create_money(value));
}

Result<JsonObjectWriter> JsonArrayWriter::add_object() {
  POSAGENT_TRY(writer_->begin_add());
  cJSON* item = cJSON_CreateObject();
  POSAGENT_TRY(add(item));
  return JsonObjectWriter(writer_, item);
}

Result<JsonArrayWriter> JsonArrayWriter::add_array() {
  POSAGENT_TRY(writer_->begin_add());
  cJSON* item = cJSON_CreateArray();
  POSAGENT_TRY(add(item));
  return JsonArrayWriter(writer_, item);
}

}  // namespace posagent
