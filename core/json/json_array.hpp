// The elements of a top-level JSON array as texts, without parsing them, so
// each can be parsed on its own in a small arena (a Get Payments answer is
// bigger than any one payment). Only brackets and strings are tracked; the
// elements are validated by the real parser. Both APIs' decoders use it.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/base/status.hpp"

namespace posagent {

class JsonArrayElements {
 public:
  explicit JsonArrayElements(std::string_view text) : text_(text) {}

  // Reads '['. False when the text does not start (after whitespace) with
  // one, or is "[]" followed by anything.
  bool open();
  bool done() const { return done_; }
  // The next element, or kParseError for a shape no JSON array has (an
  // unterminated array or string, nesting deeper than cJSON's limit, a
  // missing ',' or ']', trailing bytes).
  Result<std::string_view> next();

 private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  bool at_end() const { return pos_ >= text_.size(); }
  void skip_space() {
    while (!at_end() && is_space(text_[pos_])) ++pos_;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  bool done_ = false;
};

}  // namespace posagent
