// QrCode against qrcodegen's own encoding, its capacity limits and its bitmap.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/screens/qr_code.hpp"
#include "qrcodegen.h"
#include "tests/screens/intents.hpp"

using posagent::Code;
using posagent::screens::QrCode;

namespace {

// Counts the modules where code differs from qrcodegen_encodeText() over
// the same text (ECC M, any version, automatic mask, boosted ECC); -1 when
// the sizes differ. The quiet zone is counted too: it must be all light.
int differences(const QrCode& code, std::string_view text) {
  static std::uint8_t expected[qrcodegen_BUFFER_LEN_MAX];
  static std::uint8_t temp[qrcodegen_BUFFER_LEN_MAX];
  static char z[QrCode::kMaxTextBytes + 1];
  REQUIRE(text.size() <= QrCode::kMaxTextBytes);
  std::memcpy(z, text.data(), text.size());
  z[text.size()] = '\0';
  REQUIRE(qrcodegen_encodeText(z, temp, expected, qrcodegen_Ecc_MEDIUM, qrcodegen_VERSION_MIN,
                               qrcodegen_VERSION_MAX, qrcodegen_Mask_AUTO, true));
  const int size = qrcodegen_getSize(expected);
  if (code.size() != size) return -1;
  const posagent::hal::Bitmap image = code.bitmap();
  const int q = QrCode::kQuietZone;
  if (image.width != size + 2 * q || image.height != size + 2 * q) return -1;
  int wrong = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const bool want = qrcodegen_getModule(expected, x - q, y - q);  // false outside the code
      const bool got = image.pixel(image.context, static_cast<std::uint16_t>(x), static_cast<std::uint16_t>(y));
      if (want != got) ++wrong;
      if (x >= q && y >= q && x < size + q && y < size + q && code.dark(x - q, y - q) != want) ++wrong;
    }
  }
  return wrong;
}

}  // namespace

TEST_CASE("QrCode draws exactly what qrcodegen encodes") {
  static QrCode code;
  SUBCASE("a UPI intent (byte mode)") {
    REQUIRE(code.encode(posagent::test::kUpiIntent).ok());
    CHECK(code.version() >= 1);
    CHECK(differences(code, posagent::test::kUpiIntent) == 0);
  }
  SUBCASE("digits only (numeric mode)") {
    REQUIRE(code.encode("5123456789012345678901234567890").ok());
    CHECK(differences(code, "5123456789012345678901234567890") == 0);
  }
  SUBCASE("alphanumeric mode") {
    REQUIRE(code.encode("HTTPS://EXAMPLE.COM/PAY/12345 $%*+-./:").ok());
    CHECK(differences(code, "HTTPS://EXAMPLE.COM/PAY/12345 $%*+-./:") == 0);
  }
  SUBCASE("one byte: version 1, 21 modules") {
    REQUIRE(code.encode("a").ok());
    CHECK(code.size() == 21);
    CHECK(code.version() == 1);
    CHECK(code.bitmap().width == 29);
    CHECK(differences(code, "a") == 0);
  }
}

TEST_CASE("QrCode holds 512 bytes and refuses more") {
  static QrCode code;
  char text[QrCode::kMaxTextBytes + 2];
  const std::string_view longest = posagent::test::padded_intent(text, QrCode::kMaxTextBytes);
  REQUIRE(longest.size() == 512);
  SUBCASE("512 bytes fit at version 18 (89 modules)") {
    REQUIRE(code.encode(longest).ok());
    CHECK(code.version() == QrCode::kMaxVersion);
    CHECK(code.size() == 89);
    CHECK(differences(code, longest) == 0);
  }
  SUBCASE("513 bytes are refused, not truncated, and leave no code") {
    REQUIRE(code.encode("a").ok());
    const std::string_view too_long = posagent::test::padded_intent(text, QrCode::kMaxTextBytes + 1);
    REQUIRE(too_long.size() == 513);
    CHECK(code.encode(too_long).code() == Code::kCapacityExceeded);
    CHECK(code.empty());
    CHECK(code.size() == 0);
    CHECK(code.bitmap().width == 0);
    CHECK(code.bitmap().height == 0);
    CHECK_FALSE(code.dark(0, 0));
  }
  SUBCASE("digits beyond 512 are refused too, though numeric mode could hold them") {
    char digits[QrCode::kMaxTextBytes + 1];
    std::memset(digits, '7', sizeof digits);
    CHECK(code.encode(std::string_view(digits, sizeof digits)).code() == Code::kCapacityExceeded);
    CHECK(code.encode(std::string_view(digits, QrCode::kMaxTextBytes)).ok());
  }
}

TEST_CASE("QrCode refuses empty text") {
  static QrCode code;
  CHECK(code.encode("").code() == Code::kInvalidArgument);
  CHECK(code.empty());
}

TEST_CASE("QrCode bytes that are not text (a NUL) are encoded whole, in byte mode") {
  static QrCode code;
  static QrCode without_tail;
  REQUIRE(code.encode(std::string_view("123\0" "456", 7)).ok());
  REQUIRE(without_tail.encode("123").ok());
  int same = 0;
  for (int y = 0; y < code.size(); ++y) {
    for (int x = 0; x < code.size(); ++x) same += code.dark(x, y) == without_tail.dark(x, y) ? 1 : 0;
  }
  CHECK(same < code.size() * code.size());  // not silently cut at the NUL
}
