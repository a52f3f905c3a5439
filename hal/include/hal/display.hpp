// Display facade: a few text lines, a 1-bit bitmap (a QR code), a status line.
#pragma once

#include <cstdint>
#include <string_view>

namespace posagent::hal {

// A read-only 1-bit image: modules are addressed (x, y) from the top left.
// Backends draw it as given: a QR code's bitmap includes its quiet zone.
struct Bitmap {
  const void* context;
  std::uint16_t width;
  std::uint16_t height;
  bool (*pixel)(const void* context, std::uint16_t x, std::uint16_t y);
};

class Display {
 public:
  static constexpr std::uint8_t kLineWidth = 20;

  virtual void clear() = 0;
  // Row 0 is the top line. Text longer than kLineWidth is the caller's bug.
  virtual void text(std::uint8_t row, std::string_view line) = 0;
  virtual void bitmap(const Bitmap& image) = 0;
  // A status line for progress (time left, each status check).
  virtual void status(std::string_view line) = 0;
  // Makes everything drawn since clear() visible.
  virtual void present() = 0;

 protected:
  ~Display() = default;
};

}  // namespace posagent::hal
