// A SimDisplay frame as a picture: what SimDisplay writes as PNG.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace posagent::hal::sim {

// What one present() shows.
struct Frame {
  std::vector<std::string> rows;  // text rows, each printable ASCII
  std::string status;
  int width = 0;                  // bitmap size in modules; 0 when none
  int height = 0;
  std::vector<bool> modules;      // dark modules, row-major
};

// 8-bit grey, row-major; 0 is black, 255 white.
struct GrayImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;
  std::uint8_t at(int x, int y) const { return pixels[static_cast<std::size_t>(y) * width + x]; }
};

// Layout, top to bottom, on white with a kImageMargin border:
//   the bitmap, module_px pixels per module, dark modules black, centred;
//   kImageGap below it, the text rows, then a black rule, then the status
//   line. Text is the built-in 5x7 font at kTextScale: kLineChars cells of
//   6 x 8 font pixels per line, centred. The bitmap is drawn as given: a QR
//   code's quiet zone is part of its bitmap (screens::QrCode adds it).
inline constexpr int kImageMargin = 16;
inline constexpr int kImageGap = 16;
inline constexpr int kTextScale = 2;
inline constexpr int kLineChars = 20;
inline constexpr int kCellWidth = 6 * kTextScale;
inline constexpr int kCellHeight = 8 * kTextScale;
inline constexpr int kRowPitch = kCellHeight + 4;
inline constexpr int kRuleHeight = 2;

// The bitmap's top-left pixel in the image (where module (0, 0) starts).
struct Placement {
  int x = 0;
  int y = 0;
};
Placement bitmap_placement(const Frame& frame, int module_px);

GrayImage render_frame(const Frame& frame, int module_px);

}  // namespace posagent::hal::sim
