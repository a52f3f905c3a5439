#include "hal/sim/sim_display.hpp"

#include <unistd.h>

namespace posagent::hal::sim {
namespace {

// A line as the display shows it: exactly kLineWidth printable ASCII chars.
std::string fit_line(std::string_view line) {
  std::string shown(Display::kLineWidth, ' ');
  for (std::size_t i = 0; i < line.size() && i < shown.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    shown[i] = (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  }
  if (line.size() > shown.size()) shown.back() = '>';
  return shown;
}

void write_border(std::FILE* out) {
  std::fputc('+', out);
  for (int i = 0; i < Display::kLineWidth; ++i) std::fputc('-', out);
  std::fputs("+\n", out);
}

void write_row(std::FILE* out, const std::string& shown) { std::fprintf(out, "|%s|\n", shown.c_str()); }

}  // namespace

SimDisplay::SimDisplay(std::FILE* out, QrInk ink)
    : out_(out), ink_mode_(ink), clear_screen_(isatty(fileno(out)) == 1) {
  clear();
}

void SimDisplay::clear() {
  for (auto& row : rows_) row.clear();
  row_count_ = 0;
  status_.clear();
  width_ = height_ = 0;
  modules_.clear();
}

void SimDisplay::text(std::uint8_t row, std::string_view line) {
  if (row >= kMaxRows) return;
  rows_[row] = fit_line(line);
  if (row >= row_count_) row_count_ = static_cast<std::uint8_t>(row + 1);
}

void SimDisplay::bitmap(const Bitmap& image) {
  width_ = image.width;
  height_ = image.height;
  modules_.assign(static_cast<std::size_t>(width_) * height_, false);
  for (std::uint16_t y = 0; y < image.height; ++y) {
    for (std::uint16_t x = 0; x < image.width; ++x) {
      modules_[static_cast<std::size_t>(y) * width_ + x] = image.pixel(image.context, x, y);
    }
  }
}

void SimDisplay::status(std::string_view line) { status_ = fit_line(line); }

bool SimDisplay::ink(int x, int y) const {
  const int size_x = width_ + 2 * kQuietZone;
  const int size_y = height_ + 2 * kQuietZone;
  // Below the last module row (odd heights): no ink, i.e. terminal background.
  if (x < 0 || y < 0 || x >= size_x || y >= size_y) return false;
  const int mx = x - kQuietZone;
  const int my = y - kQuietZone;
  const bool dark = mx >= 0 && my >= 0 && mx < width_ && my < height_ &&
                    modules_[static_cast<std::size_t>(my) * width_ + mx];
  return ink_mode_ == QrInk::kLightModules ? !dark : dark;
}

// Why plain block characters and not ANSI colours or reverse video: a code
// drawn with characters alone looks the same on every terminal, through
// pipes, `tee`, log files and CI output, and needs no escape sequence that a
// terminal may ignore or a stray reset may cancel. Reverse video would not
// help with themes anyway: it swaps the same theme colours the blocks use.
// On the common light-on-dark terminal, ink is light, so the light modules
// and the quiet zone are drawn as ink and the dark modules are left as the
// dark background; QrInk::kDarkModules flips this for light themes.
// Two module rows share one text row: upper half '▀', lower half '▄', both
// '█', neither ' ' (terminal cells are about twice as tall as wide).
void SimDisplay::write_qr() {
  const int size_x = width_ + 2 * kQuietZone;
  const int size_y = height_ + 2 * kQuietZone;
  for (int y = 0; y < size_y; y += 2) {
    for (int x = 0; x < size_x; ++x) {
      const bool upper = ink(x, y);
      const bool lower = ink(x, y + 1);
      std::fputs(upper ? (lower ? "█" : "▀") : (lower ? "▄" : " "), out_);
    }
    std::fputc('\n', out_);
  }
}

void SimDisplay::present() {
  if (clear_screen_) std::fputs("\x1b[H\x1b[2J", out_);  // cursor home, erase screen
  write_border(out_);
  const std::string blank = fit_line("");
  for (std::uint8_t row = 0; row < row_count_; ++row) {
    write_row(out_, rows_[row].empty() ? blank : rows_[row]);
  }
  write_border(out_);
  if (!modules_.empty()) {
    write_qr();
    write_border(out_);
  }
  write_row(out_, status_.empty() ? blank : status_);
  write_border(out_);
  std::fflush(out_);
}

}  // namespace posagent::hal::sim
