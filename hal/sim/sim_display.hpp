// Display backend: draws the screen as text on a FILE* (a terminal) and, when
// asked, also as numbered PNG files.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "core/base/status.hpp"
#include "hal/display.hpp"
#include "hal/sim/sim_frame_image.hpp"

namespace posagent::hal::sim {

// Each present() writes one frame:
//
//   +--------------------+
//   <the bitmap, if any, as half-block characters>
//   +--------------------+     (only under a bitmap)
//   |Scan to pay         |     the text rows up to the highest one written
//   |Rs 12.50            |
//   +--------------------+
//   |Time left 4:59      |     the status line
//   +--------------------+
//
// The bitmap comes first so that a screen's text sits under its QR code.
// It is drawn as given, nothing added around it: a QR code's bitmap carries
// its own quiet zone (screens::QrCode's does).
//
// Text is shown byte for byte as ASCII; bytes outside printable ASCII appear
// as '?', and a line longer than kLineWidth (a caller bug) is cut to
// kLineWidth with '>' as its last character. Rows >= kMaxRows are ignored.
//
// When the output is a terminal, each frame starts with an ANSI clear-screen
// so the picture stays in place, and the frame trailer (if set) is written
// under it. Otherwise a present() that changed only the status line (the
// time left, once a second) writes just that line, "|Time left 4:58      |",
// so a log of a sale stays readable.
class SimDisplay final : public Display {
 public:
  static constexpr std::uint8_t kMaxRows = 16;

  // How the bitmap's modules map to ink (the terminal's foreground colour).
  enum class QrInk : std::uint8_t {
    // Light modules are '█' blocks, dark modules spaces: a dark-on-light
    // code on the usual light-on-dark terminal. The default.
    kLightModules,
    // Dark modules are blocks: for dark-on-light terminal themes.
    kDarkModules,
  };

  explicit SimDisplay(std::FILE* out = stdout, QrInk ink = QrInk::kLightModules);

  // Called after each frame written to a terminal, with the output: the
  // simulator shows its last log lines there, which the next frame's
  // clear-screen would otherwise wipe.
  void set_frame_trailer(std::function<void(std::FILE*)> trailer) { trailer_ = std::move(trailer); }

  // From now on, every present() also writes the frame as a PNG into
  // directory (which must exist): screen-0001-qr.png, screen-0002-paid.png,
  // numbered from 0001 in present() order. The name ends with a hint: "qr"
  // when the frame has a bitmap, else the first non-empty text row in lower
  // case with other characters as '-' ("Result unknown" → result-unknown),
  // else "blank". The picture's layout is in sim_frame_image.hpp: the bitmap
  // at module_px pixels per module (QR codes exact and scannable), the text
  // in a built-in 5x7 font.
  // kUnavailable when this build has no libpng (hal/sim for aarch64, where
  // the arm64 libpng is not installed); kNotFound when directory is not a
  // directory; kInvalidArgument for module_px outside 1..64.
  Status write_png_frames(std::string_view directory, int module_px = 8);
  // OK, or the first failure to write a PNG since write_png_frames() (present()
  // itself returns nothing).
  Status png_status() const { return png_status_; }
  // The path of the last PNG written; empty before the first.
  const std::string& last_png_path() const { return last_png_path_; }

  void clear() override;
  void text(std::uint8_t row, std::string_view line) override;
  // Copies the image: the Bitmap need not outlive this call.
  void bitmap(const Bitmap& image) override;
  void status(std::string_view line) override;
  void present() override;

 private:
  bool ink(int x, int y) const;  // in module coordinates
  void write_qr();
  void write_png();
  std::string name_hint() const;

  std::FILE* out_;
  QrInk ink_mode_;
  bool clear_screen_;
  std::string rows_[kMaxRows];
  std::uint8_t row_count_ = 0;  // highest row written + 1
  std::string status_;
  bool changed_ = true;  // more than the status line since the last present()
  std::function<void(std::FILE*)> trailer_;
  Frame frame_;  // the bitmap (width, height, modules); rows and status at present()

  std::string png_directory_;  // empty: no PNG frames
  int png_module_px_ = 8;
  unsigned png_count_ = 0;
  Status png_status_;
  std::string last_png_path_;
};

}  // namespace posagent::hal::sim
