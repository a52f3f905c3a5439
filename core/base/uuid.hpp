// Random UUIDs (RFC 9562 version 4), e.g. for order ids and idempotency keys.
#pragma once

#include <cstddef>

#include "core/base/fixed_string.hpp"
#include "core/base/status.hpp"
#include "hal/entropy.hpp"

namespace posagent {

// "xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx"
inline constexpr std::size_t kUuidTextLength = 36;

// 122 random bits from entropy, written as lowercase 8-4-4-4-12 hex with the
// version nibble 4 and the variant bits 10 (V is one of 8, 9, a, b). Returns
// the entropy source's own status when it fails.
Result<FixedString<kUuidTextLength>> make_uuid_v4(hal::Entropy& entropy);

}  // namespace posagent
