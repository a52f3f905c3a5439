// A keypad that plays a script and a display that keeps every line it was
// ever given, so a test can assert what was never on the screen.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "hal/display.hpp"
#include "hal/input.hpp"

namespace posagent::card::test {

// The script is keypad characters: '0'..'9', '\n' Enter, 'x' Cancel, 'c'
// Clear, anything else an unknown key. After the script the deadline passes.
class ScriptedKeys final : public hal::Input {
 public:
  explicit ScriptedKeys(std::string_view script) : script_(script) {}
  hal::Key wait_key(hal::Millis deadline) override {
    deadlines.push_back(deadline);
    if (next_ == script_.size()) return hal::Key::kNone;
    return static_cast<hal::Key>(script_[next_++]);
  }
  bool finished() const { return next_ == script_.size(); }
  std::vector<hal::Millis> deadlines;

 private:
  std::string_view script_;
  std::size_t next_ = 0;
};

class HistoryDisplay final : public hal::Display {
 public:
  static constexpr std::uint8_t kRows = 4;

  void clear() override {
    for (auto& row : rows) row.clear();
  }
  void text(std::uint8_t row, std::string_view line) override {
    if (line.size() > kLineWidth || row >= kRows) ++misuse;
    if (row < kRows) rows[row] = std::string(line);
    history.emplace_back(line);
  }
  void bitmap(const hal::Bitmap&) override { ++misuse; }
  void status(std::string_view line) override { history.emplace_back(line); }
  void present() override { ++presents; }

  bool ever_showed(std::string_view text) const {
    for (const std::string& line : history) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  }
  // The most digits any one line has shown.
  std::size_t most_digits_on_a_line() const {
    std::size_t most = 0;
    for (const std::string& line : history) {
      std::size_t digits = 0;
      for (const char c : line) digits += c >= '0' && c <= '9';
      if (digits > most) most = digits;
    }
    return most;
  }

  std::string rows[kRows];
  std::vector<std::string> history;
  int presents = 0;
  int misuse = 0;
};

}  // namespace posagent::card::test
