#include "fw_test_support.hpp"

#include <doctest/doctest.h>

#include "core/base/fixed_string.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace fw_test {

using posagent::FixedString;
using posagent::flowwise::FlowwiseConfig;

namespace {
// File-scope arrays (see tests/json/json_test_support.cpp on ASan redzones).
FixedString<4096> g_repeat[4];
FixedString<8192> g_concat[4];
FixedString<8192> g_answer[4];

std::string_view decimal(std::size_t value, char (&digits)[20]) {
  std::size_t n = 0;
  do {
    digits[sizeof(digits) - 1 - n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  return {digits + sizeof(digits) - n, n};
}
}  // namespace

FlowwiseConfig sandbox_config() {
  FlowwiseConfig c;
  (void)c.client_id.assign("FW_TEST_CLIENT_ID");
  (void)c.client_secret.assign("fw_test_SECRET");
  return c;
}

std::string_view repeat(char c, std::size_t n, int slot) {
  FixedString<4096>& out = g_repeat[slot];
  REQUIRE(n <= out.capacity());
  out.clear();
  for (std::size_t i = 0; i < n; ++i) (void)out.push_back(c);
  return out.view();
}

std::string_view concat(std::initializer_list<std::string_view> parts, int slot) {
  FixedString<8192>& out = g_concat[slot];
  out.clear();
  for (std::string_view part : parts) REQUIRE(out.append(part));
  return out.view();
}

std::string_view http_answer(int status, std::string_view reason, std::string_view headers, std::string_view body,
                             int slot) {
  FixedString<8192>& out = g_answer[slot];
  out.clear();
  char digits[20];
  REQUIRE(out.append("HTTP/1.1 "));
  REQUIRE(out.append(decimal(static_cast<std::size_t>(status), digits)));
  REQUIRE(out.push_back(' '));
  REQUIRE(out.append(reason));
  REQUIRE(out.append("\r\nContent-Type: application/json\r\n"));
  REQUIRE(out.append(headers));
  REQUIRE(out.append("Content-Length: "));
  REQUIRE(out.append(decimal(body.size(), digits)));
  REQUIRE(out.append("\r\n\r\n"));
  REQUIRE(out.append(body));
  return out.view();
}

std::span<const std::uint8_t> readable(const void* data, std::size_t size) {
#if defined(__SANITIZE_ADDRESS__)
  ASAN_UNPOISON_MEMORY_REGION(data, size);
#endif
  return {static_cast<const std::uint8_t*>(data), size};
}

}  // namespace fw_test
