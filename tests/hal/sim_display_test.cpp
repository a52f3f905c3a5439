// SimDisplay rendering into a temporary file.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "hal/sim/sim_display.hpp"

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

TEST_CASE("SimDisplay draws a bitmap as half blocks with a light quiet zone") {
  // 3 x 2 modules; with the 4-module quiet zone 11 x 10, so 5 text rows.
  static const char* const rows[] = {
      "#.#",
      ".##",
  };
  Picture picture{rows, 3, 2};

  SUBCASE("light-on-dark terminal: light modules and the quiet zone are ink") {
    const std::string frame = render(SimDisplay::QrInk::kLightModules, [&](SimDisplay& d) {
      d.text(0, "Scan to pay");
      d.bitmap(picture.bitmap());
      d.status("59s");
    });
    CHECK(frame == kBorder + "|Scan to pay         |\n" + kBorder +
                       qr_row("###########") +  // quiet zone, module rows 0-1
                       qr_row("###########") +  // quiet zone, rows 2-3
                       // Rows 4-5: quiet | top dark/bottom light, top light/bottom
                       // dark, both dark | quiet.
                       qr_row("####_^ ####") +
                       qr_row("###########") +  // rows 6-7
                       qr_row("###########") +  // rows 8-9
                       kBorder + "|59s                 |\n" + kBorder);
  }
  SUBCASE("dark-on-light terminal: dark modules are ink") {
    const std::string frame =
        render(SimDisplay::QrInk::kDarkModules, [&](SimDisplay& d) { d.bitmap(picture.bitmap()); });
    CHECK(frame == kBorder + kBorder + qr_row("           ") + qr_row("           ") + qr_row("    ^_#    ") +
                       qr_row("           ") + qr_row("           ") + kBorder + "|                    |\n" + kBorder);
  }
  SUBCASE("the image is copied when drawn") {
    const std::string frame = render(SimDisplay::QrInk::kLightModules, [&](SimDisplay& d) {
      d.bitmap(picture.bitmap());
      static const char* const other[] = {"...", "..."};
      picture.rows = other;  // too late: the display has its copy
    });
    CHECK(frame.find(qr_row("####_^ ####")) != std::string::npos);
  }
}

TEST_CASE("SimDisplay pads an odd module count with terminal background") {
  // 1 x 1 dark module: 9 x 9 with the quiet zone; the fifth text row has
  // only its upper half inside the code.
  static const char* const rows[] = {"#"};
  const Picture picture{rows, 1, 1};
  const std::string frame =
      render(SimDisplay::QrInk::kLightModules, [&](SimDisplay& d) { d.bitmap(picture.bitmap()); });
  CHECK(frame == kBorder + kBorder + qr_row("#########") + qr_row("#########") + qr_row("####_####") +
                     qr_row("#########") + qr_row("^^^^^^^^^") + kBorder + "|                    |\n" + kBorder);
}
