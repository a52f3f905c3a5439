#include "hal/sim/sim_frame_image.hpp"

#include <algorithm>

#include "hal/sim/sim_font5x7.hpp"

namespace posagent::hal::sim {
namespace {

constexpr std::uint8_t kInk = 0;
constexpr std::uint8_t kPaper = 255;

int image_width(const Frame& frame, int module_px) {
  return std::max(frame.width * module_px, kLineChars * kCellWidth) + 2 * kImageMargin;
}

void fill(GrayImage& image, int x0, int y0, int w, int h) {
  for (int y = y0; y < y0 + h; ++y) {
    for (int x = x0; x < x0 + w; ++x) image.pixels[static_cast<std::size_t>(y) * image.width + x] = kInk;
  }
}

void draw_line(GrayImage& image, int x0, int y0, const std::string& text) {
  const int chars = std::min(static_cast<int>(text.size()), kLineChars);
  for (int i = 0; i < chars; ++i) {
    for (int row = 0; row < kFontHeight; ++row) {
      for (int column = 0; column < kFontWidth; ++column) {
        if (!font5x7_pixel(text[i], column, row)) continue;
        fill(image, x0 + i * kCellWidth + column * kTextScale, y0 + row * kTextScale, kTextScale, kTextScale);
      }
    }
  }
}

}  // namespace

Placement bitmap_placement(const Frame& frame, int module_px) {
  return {(image_width(frame, module_px) - frame.width * module_px) / 2, kImageMargin};
}

GrayImage render_frame(const Frame& frame, int module_px) {
  GrayImage image;
  image.width = image_width(frame, module_px);
  const int bitmap_height = frame.height > 0 ? frame.height * module_px + kImageGap : 0;
  const int text_rows = static_cast<int>(frame.rows.size());
  image.height = kImageMargin + bitmap_height + text_rows * kRowPitch + kRuleHeight + 8 + kRowPitch + kImageMargin;
  image.pixels.assign(static_cast<std::size_t>(image.width) * image.height, kPaper);

  const Placement at = bitmap_placement(frame, module_px);
  for (int my = 0; my < frame.height; ++my) {
    for (int mx = 0; mx < frame.width; ++mx) {
      if (frame.modules[static_cast<std::size_t>(my) * frame.width + mx]) {
        fill(image, at.x + mx * module_px, at.y + my * module_px, module_px, module_px);
      }
    }
  }

  const int text_x = (image.width - kLineChars * kCellWidth) / 2;
  int y = kImageMargin + bitmap_height;
  for (const std::string& row : frame.rows) {
    draw_line(image, text_x, y, row);
    y += kRowPitch;
  }
  fill(image, text_x, y, kLineChars * kCellWidth, kRuleHeight);
  y += kRuleHeight + 8;
  draw_line(image, text_x, y, frame.status);
  return image;
}

}  // namespace posagent::hal::sim
