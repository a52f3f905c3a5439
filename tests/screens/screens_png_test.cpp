// Host only: a Qr screen drawn through SimDisplay with PNG frames, and the
// PNG decoded by zbarimg (Debian zbar-tools) back to the exact intent.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/screens/screens.hpp"
#include "hal/sim/sim_display.hpp"
#include "tests/screens/intents.hpp"

namespace screens = posagent::screens;
using posagent::hal::sim::SimDisplay;

namespace {

// zbarimg --raw -q: the decoded text of each symbol found, one per line.
std::string zbar_decode(const std::string& png) {
  const std::string command = std::string(POSAGENT_ZBARIMG) + " --raw -q '" + png + "'";
  std::FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[1024];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  const int status = pclose(pipe);
  CHECK(status == 0);  // 4 would mean "no symbol found"
  return out;
}

// Draws the Qr screen for intent into a fresh folder of PNG frames, counts
// down one second, and returns the two frames' paths.
struct Frames {
  std::string first;
  std::string second;
};
Frames draw_frames(const std::string& name, std::string_view intent) {
  const std::filesystem::path dir = std::filesystem::path(POSAGENT_PNG_DIR) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  static screens::QrCode code;
  std::FILE* terminal = std::tmpfile();  // the text frames are not what is tested here
  REQUIRE(terminal != nullptr);
  SimDisplay display(terminal);
  REQUIRE(display.write_png_frames(dir.string()).ok());
  REQUIRE(screens::draw(display, screens::Qr{intent, 49900, "posagent merchant", 300}, code).ok());
  Frames frames{display.last_png_path(), ""};
  screens::update_time_left(display, 299);
  frames.second = display.last_png_path();
  CHECK(display.png_status().ok());
  CHECK(frames.first == (dir / "screen-0001-qr.png").string());
  CHECK(frames.second == (dir / "screen-0002-qr.png").string());
  std::fclose(terminal);
  return frames;
}

void check_round_trip(const std::string& name, std::string_view intent) {
  REQUIRE(access(POSAGENT_ZBARIMG, X_OK) == 0);  // else: run tools/setup.sh (zbar-tools)
  const Frames frames = draw_frames(name, intent);
  const std::string expected = std::string(intent) + "\n";
  CHECK(zbar_decode(frames.first) == expected);
  CHECK(zbar_decode(frames.second) == expected);  // the time-left update kept the code
}

}  // namespace

TEST_CASE("a UPI intent's QR screen decodes to the exact intent") {
  check_round_trip("upi", posagent::test::kUpiIntent);
}

TEST_CASE("a long sandbox https intent's QR screen decodes to the exact intent") {
  check_round_trip("https", posagent::test::kLongHttpsIntent);
}

TEST_CASE("the longest intent (512 bytes, version 18) decodes to the exact intent") {
  static char text[512];
  check_round_trip("longest", posagent::test::padded_intent(text, sizeof text));
}
