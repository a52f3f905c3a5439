#include "core/json/json_array.hpp"

#include "core/json/json_reader.hpp"  // kJsonNestingLimit

namespace posagent {

bool JsonArrayElements::open() {
  skip_space();
  if (at_end() || text_[pos_] != '[') return false;
  ++pos_;
  skip_space();
  if (!at_end() && text_[pos_] == ']') {
    ++pos_;
    skip_space();
    done_ = at_end();
    return done_;  // "[] x" is not an array
  }
  return true;
}

Result<std::string_view> JsonArrayElements::next() {
  const std::size_t start = pos_;
  std::size_t depth = 0;
  bool in_string = false;
  for (; !at_end(); ++pos_) {
    const char c = text_[pos_];
    if (in_string) {
      if (c == '\\') {
        ++pos_;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kJsonNestingLimit) return Status(Code::kParseError, "json too deep");
    } else if (c == '}' || c == ']') {
      if (depth == 0) break;
      --depth;
    } else if (c == ',' && depth == 0) {
      break;
    }
  }
  if (at_end() || in_string) return Status(Code::kParseError, "json array cut");
  std::size_t end = pos_;
  while (end > start && is_space(text_[end - 1])) --end;
  const std::string_view element(text_.data() + start, end - start);
  const char delimiter = text_[pos_++];
  skip_space();
  if (delimiter == ']') {
    if (!at_end()) return Status(Code::kParseError, "json trailing bytes");
    done_ = true;
  } else if (delimiter != ',') {
    return Status(Code::kParseError, "json array invalid");  // a '}' closing nothing
  }
  return element;
}

}  // namespace posagent
