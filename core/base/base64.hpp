// Base64 (RFC 4648 section 4: standard alphabet, '=' padding) into caller
// buffers.
// Not Mbed TLS's base64: core/base must not link Mbed TLS, which is built in
// two configurations (product client / test peer) whose struct layouts differ.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/base/status.hpp"

namespace posagent {

// Characters needed to encode size bytes (padding included).
constexpr std::size_t base64_encoded_size(std::size_t size) { return size / 3 * 4 + (size % 3 != 0 ? 4 : 0); }
// Bytes an encoded text of this length can hold at most.
constexpr std::size_t base64_decoded_max_size(std::size_t length) { return length / 4 * 3; }

// Writes the encoding of in at the start of out and returns its length
// (base64_encoded_size(in.size())). kCapacityExceeded, with nothing written,
// when out is too small.
Result<std::size_t> base64_encode(std::span<const std::uint8_t> in, std::span<char> out);

// Writes the bytes text encodes at the start of out and returns how many.
// Strict: kInvalidArgument for a length that is not a multiple of 4, any
// character outside the alphabet (whitespace, '-', '_' included), '=' other
// than one or two at the very end, and non-zero bits under the padding (so
// every byte string has exactly one accepted encoding). kCapacityExceeded when
// out is too small. Nothing is written on any failure.
Result<std::size_t> base64_decode(std::string_view text, std::span<std::uint8_t> out);

}  // namespace posagent
