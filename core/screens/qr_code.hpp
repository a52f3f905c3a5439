// A QR code made by qrcodegen in fixed buffers, seen as a hal::Bitmap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/base/status.hpp"
#include "hal/display.hpp"

namespace posagent::screens {

// Encoding: ECC level M (15% of the symbol recoverable), raised to Q or H
// when that fits in the same version ("boost"), the smallest version that
// holds the text, qrcodegen's automatic mask, and numeric, alphanumeric or
// byte mode as qrcodegen_encodeText() would choose: the modules equal
// qrcodegen_encodeText(text, ..., qrcodegen_Ecc_MEDIUM, 1, 40, AUTO, true).
//
// Capacity: texts of 1 to kMaxTextBytes bytes. A UPI intent is typically
// 150-250 bytes (version 8-11); 512 bytes allow long payee notes and https
// payment links. At ECC M, 512 bytes of byte-mode data need version 18 (89 x 89
// modules; version 18-M holds 560 bytes, 17-M only 504), so the buffers are
// sized for version 18: 2 x 992 bytes, inside this object. A longer text is
// refused, never truncated: a truncated intent would be a different payment.
class QrCode {
 public:
  static constexpr std::size_t kMaxTextBytes = 512;
  static constexpr int kMaxVersion = 18;
  // Modules per side of the largest code, without the quiet zone.
  static constexpr int kMaxSize = kMaxVersion * 4 + 17;
  // qrcodegen_BUFFER_LEN_FOR_VERSION(kMaxVersion), checked in qr_code.cpp.
  static constexpr std::size_t kBufferBytes = (kMaxSize * kMaxSize + 7) / 8 + 1;
  // Light modules around the code that scanners need (ISO/IEC 18004: 4).
  static constexpr int kQuietZone = 4;

  // Whether encode() takes text: kInvalidArgument for empty text,
  // kCapacityExceeded above kMaxTextBytes. Changes nothing.
  static Status check(std::string_view text);
  // Replaces the code; fails as check() does, and then holds no code.
  Status encode(std::string_view text);

  bool empty() const { return size_ == 0; }
  // Modules per side without the quiet zone (21 to kMaxSize), 0 when empty.
  int size() const { return size_; }
  int version() const { return size_ == 0 ? 0 : (size_ - 17) / 4; }
  // Whether the module at (x, y) of the code proper is dark; false outside.
  bool dark(int x, int y) const;

  // The code with its quiet zone: (size() + 2 * kQuietZone) modules a side,
  // (kQuietZone, kQuietZone) being the code's top-left module. It reads this
  // object's buffer: valid while the object lives and holds the same code.
  // An empty code gives a 0 x 0 bitmap.
  hal::Bitmap bitmap() const;

 private:
  static bool pixel(const void* context, std::uint16_t x, std::uint16_t y);

  std::uint8_t code_[kBufferBytes];
  std::uint8_t temp_[kBufferBytes];  // qrcodegen's work area during encode()
  int size_ = 0;
};

}  // namespace posagent::screens
