#include "core/screens/qr_code.hpp"

#include <cstring>

#include "qrcodegen.h"

namespace posagent::screens {
namespace {

static_assert(QrCode::kBufferBytes == qrcodegen_BUFFER_LEN_FOR_VERSION(QrCode::kMaxVersion));
// The largest byte-mode segment must fit qrcodegen's segment buffer (temp_).
static_assert(QrCode::kMaxTextBytes <= QrCode::kBufferBytes);

constexpr bool is_numeric(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// QR alphanumeric mode: digits, upper-case letters and " $%*+-./:".
constexpr bool is_alphanumeric(std::string_view text) {
  for (char c : text) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == ' ' || c == '$' || c == '%' ||
                    c == '*' || c == '+' || c == '-' || c == '.' || c == '/' || c == ':';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

// qrcodegen_encodeText() needs a NUL-terminated string and our text is a
// view (e.g. into a response buffer), so its steps are done here with the
// public segment API: the same mode choice, the same encoder call.
Status QrCode::check(std::string_view text) {
  if (text.empty()) return Status(Code::kInvalidArgument, "QR text empty");
  if (text.size() > kMaxTextBytes) return Status(Code::kCapacityExceeded, "QR text too long");
  return Status::Ok();
}

Status QrCode::encode(std::string_view text) {
  size_ = 0;
  POSAGENT_TRY(check(text));

  qrcodegen_Segment segment;
  if (is_numeric(text) || is_alphanumeric(text)) {
    // makeNumeric/makeAlphanumeric read a C string: a copy with its NUL goes
    // into code_, which is free until the encoder writes the code into it.
    std::memcpy(code_, text.data(), text.size());
    code_[text.size()] = 0;
    const char* z = reinterpret_cast<const char*>(code_);
    segment = is_numeric(text) ? qrcodegen_makeNumeric(z, temp_) : qrcodegen_makeAlphanumeric(z, temp_);
  } else {
    segment = qrcodegen_makeBytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), temp_);
  }
  // The segment's data lies in temp_, which qrcodegen allows for its work area.
  if (!qrcodegen_encodeSegmentsAdvanced(&segment, 1, qrcodegen_Ecc_MEDIUM, qrcodegen_VERSION_MIN, kMaxVersion,
                                        qrcodegen_Mask_AUTO, true, temp_, code_)) {
    // Cannot happen within kMaxTextBytes (version 18-M holds 560 bytes).
    return Status(Code::kCapacityExceeded, "QR text too long");
  }
  size_ = qrcodegen_getSize(code_);
  return Status::Ok();
}

bool QrCode::dark(int x, int y) const {
  if (size_ == 0 || x < 0 || y < 0 || x >= size_ || y >= size_) return false;
  return qrcodegen_getModule(code_, x, y);
}

bool QrCode::pixel(const void* context, std::uint16_t x, std::uint16_t y) {
  return static_cast<const QrCode*>(context)->dark(x - kQuietZone, y - kQuietZone);
}

hal::Bitmap QrCode::bitmap() const {
  const auto side = static_cast<std::uint16_t>(size_ == 0 ? 0 : size_ + 2 * kQuietZone);
  return hal::Bitmap{this, side, side, &QrCode::pixel};
}

}  // namespace posagent::screens
