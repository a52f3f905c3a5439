#include "core/base/uuid.hpp"

#include <array>
#include <cstdint>

namespace posagent {

Result<FixedString<kUuidTextLength>> make_uuid_v4(hal::Entropy& entropy) {
  std::array<std::uint8_t, 16> bytes{};
  POSAGENT_TRY(entropy.fill(bytes));
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);  // variant 10xx

  constexpr char kHex[] = "0123456789abcdef";
  char text[kUuidTextLength];
  std::size_t length = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text[length++] = '-';
    text[length++] = kHex[bytes[i] >> 4];
    text[length++] = kHex[bytes[i] & 0x0F];
  }
  return FixedString<kUuidTextLength>(std::string_view(text, length));
}

}  // namespace posagent
