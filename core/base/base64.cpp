#include "core/base/base64.hpp"

#include <cstdint>

namespace posagent {

namespace {

constexpr Status kOutputTooSmall(Code::kCapacityExceeded, "base64 buffer small");
constexpr Status kBadLength(Code::kInvalidArgument, "base64 length");
constexpr Status kBadCharacter(Code::kInvalidArgument, "base64 character");
constexpr Status kBadPadding(Code::kInvalidArgument, "base64 padding");

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::uint8_t kNotInAlphabet = 0xFF;

// The 6-bit value of an alphabet character, or kNotInAlphabet ('=' included).
constexpr std::uint8_t sextet_of(char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<std::uint8_t>(c - 'A');
  if (c >= 'a' && c <= 'z') return static_cast<std::uint8_t>(c - 'a' + 26);
  if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0' + 52);
  if (c == '+') return 62;
  if (c == '/') return 63;
  return kNotInAlphabet;
}

}  // namespace

Result<std::size_t> base64_encode(std::span<const std::uint8_t> in, std::span<char> out) {
  // A span holds at most PTRDIFF_MAX bytes, so the size cannot overflow.
  if (base64_encoded_size(in.size()) > out.size()) return kOutputTooSmall;
  std::size_t written = 0;
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t group = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
    out[written++] = kAlphabet[(group >> 18) & 0x3F];
    out[written++] = kAlphabet[(group >> 12) & 0x3F];
    out[written++] = kAlphabet[(group >> 6) & 0x3F];
    out[written++] = kAlphabet[group & 0x3F];
  }
  const std::size_t rest = in.size() - i;
  if (rest > 0) {
    const std::uint32_t group = (std::uint32_t{in[i]} << 16) | (rest == 2 ? std::uint32_t{in[i + 1]} << 8 : 0u);
    out[written++] = kAlphabet[(group >> 18) & 0x3F];
    out[written++] = kAlphabet[(group >> 12) & 0x3F];
    out[written++] = rest == 2 ? kAlphabet[(group >> 6) & 0x3F] : '=';
    out[written++] = '=';
  }
  return written;
}

Result<std::size_t> base64_decode(std::string_view text, std::span<std::uint8_t> out) {
  if (text.size() % 4 != 0) return kBadLength;
  std::size_t padding = 0;
  if (!text.empty() && text[text.size() - 1] == '=') padding = (text[text.size() - 2] == '=') ? 2 : 1;
  const std::size_t data_length = text.size() - padding;
  // Validated completely before writing, so a failure leaves out untouched.
  for (std::size_t i = 0; i < data_length; ++i) {
    if (sextet_of(text[i]) == kNotInAlphabet) return text[i] == '=' ? kBadPadding : kBadCharacter;
  }
  if (padding > 0) {
    // The bits below the last character that the padding stands for must be
    // zero: "QQ==" is 'A', "QR==" is refused.
    const std::uint8_t last = sextet_of(text[data_length - 1]);
    const std::uint8_t unused_bits_mask = padding == 2 ? 0x0F : 0x03;
    if ((last & unused_bits_mask) != 0) return kBadPadding;
  }
  const std::size_t decoded_size = text.size() / 4 * 3 - padding;
  if (decoded_size > out.size()) return kOutputTooSmall;

  std::size_t written = 0;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      group = (group << 6) | (c == '=' ? 0u : sextet_of(c));
    }
    const std::uint8_t bytes[3] = {static_cast<std::uint8_t>(group >> 16), static_cast<std::uint8_t>(group >> 8),
                                   static_cast<std::uint8_t>(group)};
    for (std::size_t j = 0; j < 3 && written < decoded_size; ++j) out[written++] = bytes[j];
  }
  return written;
}

}  // namespace posagent
