#include "hal/sim/sim_display.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "hal/sim/sim_png.hpp"

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

Status SimDisplay::write_png_frames(std::string_view directory, int module_px) {
  if (!png_available()) return Status(Code::kUnavailable, "no PNG in this build");
  if (module_px < 1 || module_px > 64) return Status(Code::kInvalidArgument, "PNG scale 1..64");
  const std::string path(directory);
  struct stat info {};
  if (path.empty() || stat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return Status(Code::kNotFound, "no PNG directory");
  }
  png_directory_ = path;
  png_module_px_ = module_px;
  png_status_ = Status::Ok();
  return Status::Ok();
}

void SimDisplay::clear() {
  changed_ = true;
  for (auto& row : rows_) row.clear();
  row_count_ = 0;
  status_.clear();
  frame_ = Frame{};
}

void SimDisplay::text(std::uint8_t row, std::string_view line) {
  if (row >= kMaxRows) return;
  changed_ = true;
  rows_[row] = fit_line(line);
  if (row >= row_count_) row_count_ = static_cast<std::uint8_t>(row + 1);
}

void SimDisplay::bitmap(const Bitmap& image) {
  changed_ = true;
  frame_.width = image.width;
  frame_.height = image.height;
  frame_.modules.assign(static_cast<std::size_t>(image.width) * image.height, false);
  for (std::uint16_t y = 0; y < image.height; ++y) {
    for (std::uint16_t x = 0; x < image.width; ++x) {
      frame_.modules[static_cast<std::size_t>(y) * image.width + x] = image.pixel(image.context, x, y);
    }
  }
}

void SimDisplay::status(std::string_view line) { status_ = fit_line(line); }

bool SimDisplay::ink(int x, int y) const {
  // Below the last module row (odd heights): no ink, i.e. terminal background.
  if (x < 0 || y < 0 || x >= frame_.width || y >= frame_.height) return false;
  const bool dark = frame_.modules[static_cast<std::size_t>(y) * frame_.width + x];
  return ink_mode_ == QrInk::kLightModules ? !dark : dark;
}

// Why plain block characters and not ANSI colours or reverse video: a code
// drawn with characters alone looks the same on every terminal, through
// pipes, `tee`, log files and CI output, and needs no escape sequence that a
// terminal may ignore or a stray reset may cancel. Reverse video would not
// help with themes anyway: it swaps the same theme colours the blocks use.
// On the common light-on-dark terminal, ink is light, so the light modules
// (the quiet zone among them) are drawn as ink and the dark modules are left
// as the dark background; QrInk::kDarkModules flips this for light themes.
// Two module rows share one text row: upper half '▀', lower half '▄', both
// '█', neither ' ' (terminal cells are about twice as tall as wide).
void SimDisplay::write_qr() {
  for (int y = 0; y < frame_.height; y += 2) {
    for (int x = 0; x < frame_.width; ++x) {
      const bool upper = ink(x, y);
      const bool lower = ink(x, y + 1);
      std::fputs(upper ? (lower ? "█" : "▀") : (lower ? "▄" : " "), out_);
    }
    std::fputc('\n', out_);
  }
}

std::string SimDisplay::name_hint() const {
  if (frame_.width > 0 && frame_.height > 0) return "qr";
  for (std::uint8_t row = 0; row < row_count_; ++row) {
    std::string hint;
    bool dash = false;
    for (const char c : rows_[row]) {
      const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
      if (!alnum) {
        dash = !hint.empty();
        continue;
      }
      if (dash) hint.push_back('-');
      dash = false;
      hint.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    if (!hint.empty()) return hint;
  }
  return "blank";
}

void SimDisplay::write_png() {
  frame_.rows.clear();
  const std::string blank = fit_line("");
  for (std::uint8_t row = 0; row < row_count_; ++row) frame_.rows.push_back(rows_[row].empty() ? blank : rows_[row]);
  frame_.status = status_;
  char number[16];
  std::snprintf(number, sizeof number, "%04u", ++png_count_);
  last_png_path_ = png_directory_ + "/screen-" + number + "-" + name_hint() + ".png";
  const Status written = sim::write_png(last_png_path_, render_frame(frame_, png_module_px_));
  if (!written.ok() && png_status_.ok()) png_status_ = written;
}

void SimDisplay::present() {
  const bool status_only = !changed_;
  changed_ = false;
  if (status_only && !clear_screen_) {
    write_row(out_, status_.empty() ? fit_line("") : status_);
    std::fflush(out_);
    if (!png_directory_.empty()) write_png();
    return;
  }
  if (clear_screen_) std::fputs("\x1b[H\x1b[2J", out_);  // cursor home, erase screen
  write_border(out_);
  if (!frame_.modules.empty()) {
    write_qr();
    write_border(out_);
  }
  const std::string blank = fit_line("");
  for (std::uint8_t row = 0; row < row_count_; ++row) {
    write_row(out_, rows_[row].empty() ? blank : rows_[row]);
  }
  write_border(out_);
  write_row(out_, status_.empty() ? blank : status_);
  write_border(out_);
  if (clear_screen_ && trailer_) trailer_(out_);
  std::fflush(out_);
  if (!png_directory_.empty()) write_png();
}

}  // namespace posagent::hal::sim
