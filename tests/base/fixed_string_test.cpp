#include <doctest/doctest.h>

#include "core/base/fixed_string.hpp"

using posagent::ByteBuffer;
using posagent::FixedString;

TEST_CASE("FixedString refuses what does not fit and keeps its contents") {
  FixedString<8> s;
  CHECK(s.empty());
  CHECK(s.assign("order_1"));
  CHECK(s.view() == "order_1");
  CHECK_FALSE(s.append("23"));  // 9 > 8: refused, unchanged
  CHECK(s.view() == "order_1");
  CHECK(s.append("2"));
  CHECK(s.view() == "order_12");
  CHECK(s.c_str()[8] == '\0');
  CHECK_FALSE(s.push_back('x'));
  CHECK_FALSE(s.assign("123456789"));
  CHECK(s.view() == "order_12");
}

TEST_CASE("StringSpan erases the capacity but keeps the limit") {
  FixedString<4> s;
  posagent::StringSpan span = s.span();
  CHECK(span.capacity() == 4);
  CHECK(span.append("ab"));
  CHECK(span.remaining() == 2);
  CHECK_FALSE(span.append("cde"));
  CHECK(s.view() == "ab");
  span.resize_down(1);
  CHECK(s.view() == "a");
}

TEST_CASE("ByteBuffer copies bytes up to its capacity") {
  ByteBuffer<4> b;
  const std::uint8_t four[] = {1, 2, 3, 4};
  const std::uint8_t five[] = {1, 2, 3, 4, 5};
  CHECK(b.assign(four));
  CHECK(b.size() == 4);
  CHECK_FALSE(b.assign(five));
  CHECK(b.size() == 4);
  CHECK(b.bytes()[3] == 4);
}
