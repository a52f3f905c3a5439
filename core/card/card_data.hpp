// A card as the terminal holds it between reading it and sending it in one
// Order Pay: key-entered (number, expiry, CVV, holder) or a network token
// from a contactless reader or a softPOS kernel (token number, its expiry,
// cryptogram, token requestor id and the real card's last four digits).
//
// It is secret. It is never copied (no copy or move), never journaled,
// logged or displayed (mask_pan in card_check.hpp gives the printable form),
// and it is wiped with secure_wipe by wipe() and by its destructor: the
// runner wipes it as soon as the Order Pay that carries it is on the wire.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/base/fixed_string.hpp"

namespace posagent::card {

// ISO/IEC 7812 numbers are 12..19 digits; network tokens the same.
inline constexpr std::size_t kPanMinDigits = 12;
inline constexpr std::size_t kPanMaxDigits = 19;
inline constexpr std::size_t kCvvMaxDigits = 4;  // 3, or 4 on Amex
// ISO 7813 track 1 allows 26 characters for the name.
inline constexpr std::size_t kHolderNameCapacity = 26;
// Network-token cryptograms (TAVV/DSRP) are 28-char base64 or up to 64 hex
// characters; 96 leaves room for kernels that send longer encodings.
inline constexpr std::size_t kCryptogramCapacity = 96;
inline constexpr std::size_t kTokenRequestorIdCapacity = 11;  // EMVCo: 11 digits
inline constexpr std::size_t kLastFourDigits = 4;

enum class CardKind : std::uint8_t {
  kKeyEntered,    // number, expiry, CVV (and optionally the holder's name)
  kNetworkToken,  // token number, its expiry, cryptogram, requestor id, last four
};

struct CardData {
  CardKind kind = CardKind::kKeyEntered;
  FixedString<kPanMaxDigits> number;    // the PAN, or the token's number
  FixedString<2> expiry_mm;             // "01".."12"
  FixedString<2> expiry_yy;             // "28" for 2028
  FixedString<kCvvMaxDigits> cvv;       // key-entered only
  FixedString<kHolderNameCapacity> holder_name;  // optional
  FixedString<kCryptogramCapacity> cryptogram;   // token only
  FixedString<kTokenRequestorIdCapacity> token_requestor_id;  // token only
  FixedString<kLastFourDigits> last_four;  // token only: the real card's (card_label)

  CardData() = default;
  CardData(const CardData&) = delete;
  CardData& operator=(const CardData&) = delete;
  ~CardData() { wipe(); }

  // Zeroes every field (secure_wipe) and leaves an empty key-entered card.
  void wipe();
  bool empty() const { return number.empty(); }
};

}  // namespace posagent::card
