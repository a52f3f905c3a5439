// Test helper: a value paired with the input it came from, so a failing CHECK
// inside a loop prints that input. CAPTURE/INFO/CHECK_MESSAGE are not used in
// these tests: doctest's runner (tests/support) is built with RTTI and the
// tests without, and UBSan's vptr check rejects the ContextScope they create.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <string_view>

#include "core/base/status.hpp"

namespace posagent::test {

template <typename T>
struct Labeled {
  std::string_view input;
  T value;
  friend bool operator==(const Labeled& labeled, const T& expected) { return labeled.value == expected; }
};

inline doctest::String describe(Code code) {
  const std::string_view name = code_name(code);
  return doctest::String(name.data(), static_cast<doctest::String::size_type>(name.size()));
}
inline doctest::String describe(std::string_view text) {
  doctest::String quoted("\"");
  quoted += doctest::String(text.data(), static_cast<doctest::String::size_type>(text.size()));
  quoted += "\"";
  return quoted;
}
inline doctest::String describe(std::int64_t number) { return doctest::toString(static_cast<long long>(number)); }
inline doctest::String describe(bool flag) { return doctest::toString(flag); }

}  // namespace posagent::test

namespace doctest {

template <typename T>
struct StringMaker<posagent::test::Labeled<T>> {
  static String convert(const posagent::test::Labeled<T>& labeled) {
    String text = posagent::test::describe(labeled.input);
    text += " -> ";
    text += posagent::test::describe(labeled.value);
    return text;
  }
};

}  // namespace doctest
