#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/base/base64.hpp"
#include "core/base/fixed_string.hpp"
#include "tests/base/labeled.hpp"

using posagent::Code;
using posagent::test::Labeled;

namespace {

// Encodes text into a 64-character buffer; "" plus the failure code otherwise.
struct Encoded {
  std::array<char, 64> buffer{};
  std::size_t length = 0;
  Code code = Code::kOk;
  std::string_view view() const { return {buffer.data(), length}; }
};

Encoded encode(std::string_view text, std::size_t capacity = 64) {
  Encoded result;
  auto written = posagent::base64_encode(posagent::as_bytes(text), std::span<char>(result.buffer.data(), capacity));
  if (written.ok()) {
    result.length = *written;
  } else {
    result.code = written.status().code();
  }
  return result;
}

// Decodes into a 64-byte buffer and returns the bytes as text, or "" on failure.
struct Decoded {
  std::array<std::uint8_t, 64> buffer{};
  std::size_t length = 0;
  Code code = Code::kOk;
  std::string_view view() const { return {reinterpret_cast<const char*>(buffer.data()), length}; }
};

Decoded decode(std::string_view text, std::size_t capacity = 64) {
  Decoded result;
  auto written = posagent::base64_decode(text, std::span<std::uint8_t>(result.buffer.data(), capacity));
  if (written.ok()) {
    result.length = *written;
  } else {
    result.code = written.status().code();
  }
  return result;
}

Labeled<Code> decode_refusal(std::string_view text) { return {text, decode(text).code}; }

}  // namespace

TEST_CASE("base64 encodes the RFC 4648 test vectors") {
  CHECK(encode("").view() == "");
  CHECK(encode("f").view() == "Zg==");
  CHECK(encode("fo").view() == "Zm8=");
  CHECK(encode("foo").view() == "Zm9v");
  CHECK(encode("foob").view() == "Zm9vYg==");
  CHECK(encode("fooba").view() == "Zm9vYmE=");
  CHECK(encode("foobar").view() == "Zm9vYmFy");
  // The last two alphabet characters, and a NUL byte.
  CHECK(encode("\xfb\xff").view() == "+/8=");
  CHECK(encode(std::string_view("\0\0\0", 3)).view() == "AAAA");
  CHECK(encode("\xff\xff\xff").view() == "////");
  // Cashfree client credentials in an Authorization header.
  CHECK(encode("client:secret").view() == "Y2xpZW50OnNlY3JldA==");
}

TEST_CASE("base64 decodes the RFC 4648 test vectors") {
  CHECK(decode("").view() == "");
  CHECK(decode("").code == Code::kOk);
  CHECK(decode("Zg==").view() == "f");
  CHECK(decode("Zm8=").view() == "fo");
  CHECK(decode("Zm9v").view() == "foo");
  CHECK(decode("Zm9vYg==").view() == "foob");
  CHECK(decode("Zm9vYmE=").view() == "fooba");
  CHECK(decode("Zm9vYmFy").view() == "foobar");
  CHECK(decode("+/8=").view() == "\xfb\xff");
  CHECK(decode("AAAA").view() == std::string_view("\0\0\0", 3));
}

TEST_CASE("base64 round-trips every byte value and every length") {
  std::array<std::uint8_t, 256> all{};
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i * 7 + 3);
  std::array<char, posagent::base64_encoded_size(256)> text{};
  std::array<std::uint8_t, 256> back{};
  int mismatches = 0;
  for (std::size_t length = 0; length <= all.size(); ++length) {
    const auto in = std::span<const std::uint8_t>(all.data(), length);
    auto encoded = posagent::base64_encode(in, text);
    REQUIRE(encoded.ok());
    if (*encoded != posagent::base64_encoded_size(length)) ++mismatches;
    auto decoded = posagent::base64_decode(std::string_view(text.data(), *encoded), back);
    REQUIRE(decoded.ok());
    if (*decoded != length) ++mismatches;
    for (std::size_t i = 0; i < length; ++i) {
      if (back[i] != all[i]) ++mismatches;
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("base64 sizes") {
  CHECK(posagent::base64_encoded_size(0) == 0);
  CHECK(posagent::base64_encoded_size(1) == 4);
  CHECK(posagent::base64_encoded_size(3) == 4);
  CHECK(posagent::base64_encoded_size(4) == 8);
  CHECK(posagent::base64_decoded_max_size(8) == 6);
  CHECK(posagent::base64_decoded_max_size(0) == 0);
}

TEST_CASE("base64_encode refuses an output buffer that is too small and writes nothing") {
  CHECK(encode("foobar", 8).view() == "Zm9vYmFy");
  CHECK(encode("foobar", 7).code == Code::kCapacityExceeded);
  CHECK(encode("foob", 8).view() == "Zm9vYg==");
  CHECK(encode("foob", 7).code == Code::kCapacityExceeded);
  CHECK(encode("f", 3).code == Code::kCapacityExceeded);
  CHECK(encode("f", 0).code == Code::kCapacityExceeded);
  CHECK(encode("", 0).code == Code::kOk);

  std::array<char, 6> small;
  small.fill('#');
  auto refused = posagent::base64_encode(posagent::as_bytes("foobar"), small);
  CHECK(refused.status().code() == Code::kCapacityExceeded);
  CHECK(std::string_view(small.data(), small.size()) == "######");
}

TEST_CASE("base64_decode refuses lengths that are not a multiple of 4") {
  for (std::string_view text : {"Z", "Zg", "Zg=", "Zm9", "Zm9vY", "Zm9vYg=", "Zm9vYmFy="}) {
    CHECK(decode_refusal(text) == Code::kInvalidArgument);
  }
  CHECK(std::string_view(posagent::base64_decode("Zg=", {}).status().message()) == "base64 length");
}

TEST_CASE("base64_decode refuses characters outside the standard alphabet") {
  for (std::string_view text : {"Zm9v\nYmFy", "Zm 9", "Zm9 ", " Zm9", "Zm-v", "Zm_v", "Zm9.", "Zm9\x80",
                                "Zm9\xff", "Zm9*", "Zm9v\r\n==", "Zg\t="}) {
    CHECK(decode_refusal(text) == Code::kInvalidArgument);
  }
  CHECK(decode_refusal(std::string_view("Zm9\0", 4)) == Code::kInvalidArgument);
  CHECK(std::string_view(posagent::base64_decode("Zm-v", {}).status().message()) == "base64 character");
}

TEST_CASE("base64_decode refuses padding anywhere but one or two characters at the end") {
  for (std::string_view text : {"====", "Z===", "=Zm9", "Z=m9", "Zm=9", "Zg=v", "Z=g=", "Zm9v====", "Zg==Zm9v",
                                "Zm9v=Zm9", "Zm8=Zm8="}) {
    CHECK(decode_refusal(text) == Code::kInvalidArgument);
  }
  CHECK(std::string_view(posagent::base64_decode("Z===", {}).status().message()) == "base64 padding");
}

TEST_CASE("base64_decode refuses non-zero bits under the padding") {
  CHECK(decode("QQ==").view() == "A");
  CHECK(decode_refusal("QR==") == Code::kInvalidArgument);
  CHECK(decode_refusal("QZ==") == Code::kInvalidArgument);
  CHECK(decode_refusal("Zh==") == Code::kInvalidArgument);
  CHECK(decode("Zm8=").view() == "fo");
  CHECK(decode_refusal("Zm9=") == Code::kInvalidArgument);
  CHECK(decode_refusal("Zm/=") == Code::kInvalidArgument);
}

TEST_CASE("base64_decode refuses an output buffer that is too small and writes nothing") {
  CHECK(decode("Zm9vYmFy", 6).view() == "foobar");
  CHECK(decode("Zm9vYmFy", 5).code == Code::kCapacityExceeded);
  CHECK(decode("Zm9vYg==", 4).view() == "foob");  // padding lowers what is needed
  CHECK(decode("Zm9vYg==", 3).code == Code::kCapacityExceeded);
  CHECK(decode("Zg==", 1).view() == "f");
  CHECK(decode("Zg==", 0).code == Code::kCapacityExceeded);

  std::array<std::uint8_t, 5> small;
  small.fill(0xEE);
  CHECK(posagent::base64_decode("Zm9vYmFy", small).status().code() == Code::kCapacityExceeded);
  // An invalid character late in the text: validated before anything is written.
  CHECK(posagent::base64_decode("Zm9v!A==", small).status().code() == Code::kInvalidArgument);
  int touched = 0;
  for (std::uint8_t byte : small) {
    if (byte != 0xEE) ++touched;
  }
  CHECK(touched == 0);
}
