// Display backend: draws the screen as text on a FILE* (a terminal).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "hal/display.hpp"

namespace posagent::hal::sim {

// Each present() writes one frame:
//
//   +--------------------+
//   |PAY 12.50 EUR       |     the text rows up to the highest one written
//   +--------------------+
//   <the bitmap, if any, as half-block characters>
//   +--------------------+
//   |Waiting 59s         |     the status line
//   +--------------------+
//
// Text is shown byte for byte as ASCII; bytes outside printable ASCII appear
// as '?', and a line longer than kLineWidth (a caller bug) is cut to
// kLineWidth with '>' as its last character. Rows >= kMaxRows are ignored.
//
// When the output is a terminal, each frame starts with an ANSI clear-screen
// so the picture stays in place.
class SimDisplay final : public Display {
 public:
  static constexpr std::uint8_t kMaxRows = 16;
  static constexpr int kQuietZone = 4;  // light modules around a QR code

  // How the bitmap's modules map to ink (the terminal's foreground colour).
  enum class QrInk : std::uint8_t {
    // Light modules and the quiet zone are '█' blocks, dark modules spaces:
    // a dark-on-light code on the usual light-on-dark terminal. The default.
    kLightModules,
    // Dark modules are blocks: for dark-on-light terminal themes.
    kDarkModules,
  };

  explicit SimDisplay(std::FILE* out = stdout, QrInk ink = QrInk::kLightModules);

  void clear() override;
  void text(std::uint8_t row, std::string_view line) override;
  // Copies the image: the Bitmap need not outlive this call.
  void bitmap(const Bitmap& image) override;
  void status(std::string_view line) override;
  void present() override;

 private:
  bool ink(int x, int y) const;  // in quiet-zone-padded module coordinates
  void write_qr();

  std::FILE* out_;
  QrInk ink_mode_;
  bool clear_screen_;
  std::string rows_[kMaxRows];
  std::uint8_t row_count_ = 0;  // highest row written + 1
  std::string status_;
  int width_ = 0;
  int height_ = 0;
  std::vector<bool> modules_;  // dark modules, row-major
};

}  // namespace posagent::hal::sim
