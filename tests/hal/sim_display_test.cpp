// SimDisplay rendering into a temporary file.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "hal/sim/sim_display.hpp"
#include "hal/sim/sim_frame_image.hpp"

using posagent::hal::Bitmap;
using posagent::hal::sim::SimDisplay;

namespace {

// A bitmap drawn as text: '#' is a dark module.
struct Picture {
  const char* const* rows;
  std::uint16_t width;
  std::uint16_t height;

  static bool pixel(const void* context, std::uint16_t x, std::uint16_t y) {
    return static_cast<const Picture*>(context)->rows[y][x] == '#';
  }
  Bitmap bitmap() const { return Bitmap{this, width, height, &Picture::pixel}; }
};

// Everything written to f so far.
std::string contents(std::FILE* f) {
  std::string out;
  std::rewind(f);
  char buffer[512];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) out.append(buffer, n);
  return out;
}

// Renders with display into a fresh tmpfile and returns the text.
template <typename Draw>
std::string render(SimDisplay::QrInk ink, Draw draw) {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  SimDisplay display(f, ink);
  draw(display);
  display.present();
  std::string text = contents(f);
  std::fclose(f);
  return text;
}

const std::string kBorder = "+--------------------+\n";

// One text row of the QR drawing from a pattern: '#' full block, '^' upper
// half, '_' lower half, ' ' space.
std::string qr_row(std::string_view pattern) {
  std::string out;
  for (char c : pattern) {
    out += c == '#' ? "█" : c == '^' ? "▀" : c == '_' ? "▄" : " ";
  }
  return out + "\n";
}

}  // namespace

TEST_CASE("SimDisplay draws text rows and the status line in a frame") {
  const std::string frame = render(SimDisplay::QrInk::kLightModules, [](SimDisplay& d) {
    d.text(0, "PAY 12.50 EUR");
    d.text(2, "Scan to pay");
    d.status("Waiting 59s");
  });
  CHECK(frame == kBorder +
                     "|PAY 12.50 EUR       |\n"
                     "|                    |\n"
                     "|Scan to pay         |\n" +
                     kBorder +
                     "|Waiting 59s         |\n" +
                     kBorder);
}

TEST_CASE("SimDisplay shows caller bugs without breaking the frame") {
  const std::string frame = render(SimDisplay::QrInk::kLightModules, [](SimDisplay& d) {
    d.text(0, "exactly twenty chars");
    d.text(1, "twenty-one characters");
    d.text(2, "tab\there\x1b[2J");
    d.text(200, "ignored");
    d.status("");
  });
  CHECK(frame == kBorder +
                     "|exactly twenty chars|\n"
                     "|twenty-one characte>|\n"
                     "|tab?here?[2J        |\n" +
                     kBorder +
                     "|                    |\n" +
                     kBorder);
}

TEST_CASE("SimDisplay clear() starts an empty frame") {
  const std::string frame = render(SimDisplay::QrInk::kLightModules, [](SimDisplay& d) {
    static const char* const rows[] = {"#"};
    const Picture picture{rows, 1, 1};
    d.text(3, "old");
    d.status("old status");
    d.bitmap(picture.bitmap());
    d.clear();
    d.text(0, "new");
  });
  CHECK(frame == kBorder + "|new                 |\n" + kBorder + "|                    |\n" + kBorder);
}

TEST_CASE("SimDisplay draws a bitmap as given, as half blocks, above the text") {
  // 5 x 4 modules with a one-module light border of its own: 2 text rows.
  static const char* const rows[] = {
      ".....",
      ".#.#.",
      "..##.",
      ".....",
  };
  Picture picture{rows, 5, 4};

  SUBCASE("light-on-dark terminal: light modules are ink") {
    const std::string frame = render(SimDisplay::QrInk::kLightModules, [&](SimDisplay& d) {
      d.text(0, "Scan to pay");
      d.bitmap(picture.bitmap());
      d.status("59s");
    });
    CHECK(frame == kBorder +
                       qr_row("#^#^#") +  // module rows 0-1: light over light, light over dark
                       qr_row("##__#") +  // rows 2-3: dark over light
                       kBorder + "|Scan to pay         |\n" + kBorder + "|59s                 |\n" + kBorder);
  }
  SUBCASE("dark-on-light terminal: dark modules are ink") {
    const std::string frame =
        render(SimDisplay::QrInk::kDarkModules, [&](SimDisplay& d) { d.bitmap(picture.bitmap()); });
    CHECK(frame == kBorder + qr_row(" _ _ ") + qr_row("  ^^ ") + kBorder + kBorder + "|                    |\n" +
                       kBorder);
  }
  SUBCASE("the image is copied when drawn") {
    const std::string frame = render(SimDisplay::QrInk::kLightModules, [&](SimDisplay& d) {
      d.bitmap(picture.bitmap());
      static const char* const other[] = {"#####", "#####", "#####", "#####"};
      picture.rows = other;  // too late: the display has its copy
    });
    CHECK(frame.find(qr_row("##__#")) != std::string::npos);
  }
}

TEST_CASE("SimDisplay pads an odd module count with terminal background") {
  // 3 x 3 modules: the second text row has only its upper half inside.
  static const char* const rows[] = {"...", ".#.", "..."};
  const Picture picture{rows, 3, 3};
  const std::string frame =
      render(SimDisplay::QrInk::kLightModules, [&](SimDisplay& d) { d.bitmap(picture.bitmap()); });
  CHECK(frame == kBorder + qr_row("#^#") + qr_row("^^^") + kBorder + kBorder + "|                    |\n" + kBorder);
}

TEST_CASE("SimDisplay frame pictures: the bitmap at module_px per module, the text in the 5x7 font") {
  posagent::hal::sim::Frame frame;
  frame.width = 3;
  frame.height = 2;
  frame.modules = {true, false, true, false, true, true};
  frame.rows = {"Scan to pay", ""};
  frame.status = "Time left 4:59";
  const int px = 8;
  const posagent::hal::sim::GrayImage image = posagent::hal::sim::render_frame(frame, px);
  const posagent::hal::sim::Placement at = posagent::hal::sim::bitmap_placement(frame, px);
  REQUIRE(image.pixels.size() == static_cast<std::size_t>(image.width) * image.height);
  CHECK(image.width == 20 * posagent::hal::sim::kCellWidth + 2 * posagent::hal::sim::kImageMargin);
  CHECK(at.y == posagent::hal::sim::kImageMargin);
  int wrong = 0;
  for (int my = 0; my < frame.height; ++my) {
    for (int mx = 0; mx < frame.width; ++mx) {
      const std::uint8_t want = frame.modules[static_cast<std::size_t>(my * frame.width + mx)] ? 0 : 255;
      for (int y = 0; y < px; ++y) {
        for (int x = 0; x < px; ++x) wrong += image.at(at.x + mx * px + x, at.y + my * px + y) != want ? 1 : 0;
      }
    }
  }
  CHECK(wrong == 0);
  // Everything left of, right of and above the bitmap is white.
  int ink_outside = 0;
  for (int y = 0; y < at.y + frame.height * px; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const bool inside = x >= at.x && x < at.x + frame.width * px && y >= at.y;
      if (!inside && image.at(x, y) != 255) ++ink_outside;
    }
  }
  CHECK(ink_outside == 0);
  // The text is there: ink below the bitmap.
  int ink_below = 0;
  for (int y = at.y + frame.height * px; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) ink_below += image.at(x, y) == 0 ? 1 : 0;
  }
  CHECK(ink_below > 100);
}

#if POSAGENT_SIM_PNG
namespace {

bool is_png(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  unsigned char signature[8] = {};
  const bool read = std::fread(signature, 1, sizeof signature, f) == sizeof signature;
  std::fclose(f);
  static const unsigned char kPng[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  return read && std::memcmp(signature, kPng, sizeof kPng) == 0;
}

}  // namespace

TEST_CASE("SimDisplay writes only the status line when nothing else changed (not a terminal)") {
  std::FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  SimDisplay display(out);
  display.text(0, "Scan to pay");
  display.status("Time left 4:59");
  display.present();
  const long after_frame = std::ftell(out);
  display.status("Time left 4:58");
  display.present();
  display.present();  // nothing changed at all: the status line again
  std::fseek(out, after_frame, SEEK_SET);
  char tail[128] = {};
  const std::size_t n = std::fread(tail, 1, sizeof tail - 1, out);
  CHECK(std::string(tail, n) == "|Time left 4:58      |\n|Time left 4:58      |\n");
  std::fclose(out);
}

TEST_CASE("SimDisplay writes every presented frame as a numbered PNG named by a hint") {
  char dir[] = "/tmp/posagent-sim-display-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  std::FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  SimDisplay display(out);
  CHECK(display.last_png_path().empty());
  REQUIRE(display.write_png_frames(dir).ok());

  static const char* const rows[] = {"#.#", ".#.", "#.#"};
  const Picture picture{rows, 3, 3};
  display.bitmap(picture.bitmap());
  display.text(0, "Scan to pay");
  display.present();
  const std::string first = display.last_png_path();
  CHECK(first == std::string(dir) + "/screen-0001-qr.png");
  display.status("Time left 4:58");
  display.present();
  CHECK(display.last_png_path() == std::string(dir) + "/screen-0002-qr.png");
  display.clear();
  display.text(1, "Result unknown");
  display.present();
  CHECK(display.last_png_path() == std::string(dir) + "/screen-0003-result-unknown.png");
  display.clear();
  display.present();
  CHECK(display.last_png_path() == std::string(dir) + "/screen-0004-blank.png");
  CHECK(display.png_status().ok());
  for (const char* name : {"screen-0001-qr.png", "screen-0002-qr.png", "screen-0003-result-unknown.png",
                           "screen-0004-blank.png"}) {
    const std::string path = std::string(dir) + "/" + name;
    CHECK(is_png(path));
    std::remove(path.c_str());
  }
  rmdir(dir);
  // The directory is gone: the next frame cannot be written, and says so.
  display.present();
  CHECK(display.png_status().code() == posagent::Code::kIoError);
  std::fclose(out);
}

TEST_CASE("SimDisplay refuses a PNG directory that is not one, and silly scales") {
  SimDisplay display(stderr);
  CHECK(display.write_png_frames("/nonexistent/posagent").code() == posagent::Code::kNotFound);
  CHECK(display.write_png_frames("").code() == posagent::Code::kNotFound);
  CHECK(display.write_png_frames("/etc/hostname").code() == posagent::Code::kNotFound);
  CHECK(display.write_png_frames("/tmp", 0).code() == posagent::Code::kInvalidArgument);
  CHECK(display.write_png_frames("/tmp", 65).code() == posagent::Code::kInvalidArgument);
}
#else
TEST_CASE("SimDisplay without libpng reports PNG frames as unavailable") {
  SimDisplay display(stderr);
  CHECK(display.write_png_frames("/tmp").code() == posagent::Code::kUnavailable);
}
#endif
