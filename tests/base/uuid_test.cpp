#include <doctest/doctest.h>

#include <cstdint>
#include <span>
#include <string_view>

#include "core/base/uuid.hpp"

using posagent::Code;
using posagent::Status;

namespace {

// Hands out consecutive byte values from `next`, or fails with `failure`.
class CountingEntropy final : public posagent::hal::Entropy {
 public:
  Status fill(std::span<std::uint8_t> out) override {
    ++calls;
    last_request_size = out.size();
    if (!failure.ok()) return failure;
    for (auto& byte : out) byte = next++;
    return Status::Ok();
  }
  std::uint8_t next = 0;
  Status failure = Status::Ok();
  int calls = 0;
  std::size_t last_request_size = 0;
};

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// 8-4-4-4-12 lowercase hex with version 4 and variant 10xx.
bool is_uuid_v4(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? text[i] != '-' : !is_lower_hex(text[i])) return false;
  }
  const char variant = text[19];
  return text[14] == '4' && (variant == '8' || variant == '9' || variant == 'a' || variant == 'b');
}

}  // namespace

TEST_CASE("make_uuid_v4 writes 16 entropy bytes with the version and variant set") {
  CountingEntropy entropy;
  auto uuid = posagent::make_uuid_v4(entropy);
  REQUIRE(uuid.ok());
  CHECK(entropy.calls == 1);
  CHECK(entropy.last_request_size == 16);
  // Bytes 00..0f; byte 6 (0x06) becomes 0x46, byte 8 (0x08) becomes 0x88.
  CHECK(uuid->view() == "00010203-0405-4607-8809-0a0b0c0d0e0f");
  CHECK(is_uuid_v4(uuid->view()));
}

TEST_CASE("make_uuid_v4 overrides whatever the entropy put in the fixed bits") {
  CountingEntropy entropy;
  entropy.next = 0xF0;  // bytes f0..ff: byte 6 is 0xf6, byte 8 is 0xf8
  auto high = posagent::make_uuid_v4(entropy);
  REQUIRE(high.ok());
  CHECK(high->view() == "f0f1f2f3-f4f5-46f7-b8f9-fafbfcfdfeff");
  CHECK(is_uuid_v4(high->view()));
}

TEST_CASE("make_uuid_v4 gives different ids for different entropy") {
  CountingEntropy entropy;
  auto first = posagent::make_uuid_v4(entropy);
  auto second = posagent::make_uuid_v4(entropy);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(first->view() != second->view());
  CHECK(second->view() == "10111213-1415-4617-9819-1a1b1c1d1e1f");
  // Every starting byte exercises every hex digit in every position.
  for (int start = 0; start < 256; ++start) {
    entropy.next = static_cast<std::uint8_t>(start);
    auto uuid = posagent::make_uuid_v4(entropy);
    REQUIRE(uuid.ok());
    CHECK(is_uuid_v4(uuid->view()));
  }
}

TEST_CASE("make_uuid_v4 passes on the entropy failure") {
  CountingEntropy entropy;
  entropy.failure = Status(Code::kIoError, "trng failed", -7);
  auto uuid = posagent::make_uuid_v4(entropy);
  REQUIRE_FALSE(uuid.ok());
  CHECK(uuid.status().code() == Code::kIoError);
  CHECK(std::string_view(uuid.status().message()) == "trng failed");
  CHECK(uuid.status().detail() == -7);

  entropy.failure = Status(Code::kUnavailable, "no entropy");
  CHECK(posagent::make_uuid_v4(entropy).status().code() == Code::kUnavailable);
}

TEST_CASE("the uuid checker used above rejects near misses") {
  // Guards against a test helper that accepts everything.
  CHECK(is_uuid_v4("00010203-0405-4607-8809-0a0b0c0d0e0f"));
  CHECK_FALSE(is_uuid_v4("00010203-0405-3607-8809-0a0b0c0d0e0f"));  // version 3
  CHECK_FALSE(is_uuid_v4("00010203-0405-4607-c809-0a0b0c0d0e0f"));  // variant 110
  CHECK_FALSE(is_uuid_v4("00010203-0405-4607-7809-0a0b0c0d0e0f"));  // variant 0
  CHECK_FALSE(is_uuid_v4("00010203-0405-4607-8809-0A0B0C0D0E0F"));  // uppercase
  CHECK_FALSE(is_uuid_v4("000102030405-4607-8809-0a0b0c0d0e0f-"));
  CHECK_FALSE(is_uuid_v4("00010203-0405-4607-8809-0a0b0c0d0e0"));
}
