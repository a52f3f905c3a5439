// A hal::Display that records what a screen draws: the text rows, the status
// line, the bitmap it was given, and how often each call was made. Lines are
// kept up to 64 characters so that an overlong line shows in a failed CHECK;
// overlong() counts the lines wider than the display.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "hal/display.hpp"

namespace posagent::test {

class RecordingDisplay final : public hal::Display {
 public:
  static constexpr std::uint8_t kRows = 16;

  struct Calls {
    int clear = 0;
    int text = 0;
    int bitmap = 0;
    int status = 0;
    int present = 0;
    int total() const { return clear + text + bitmap + status + present; }
  };

  void clear() override {
    ++calls_.clear;
    for (auto& row : rows_) row.clear();
    status_.clear();
    image_ = hal::Bitmap{nullptr, 0, 0, nullptr};
  }
  void text(std::uint8_t row, std::string_view line) override {
    ++calls_.text;
    note_width(line);
    if (row >= kRows) {
      ++rows_out_of_range_;
      return;
    }
    rows_[row].assign(line.substr(0, 64));
  }
  void bitmap(const hal::Bitmap& image) override {
    ++calls_.bitmap;
    image_ = image;
  }
  void status(std::string_view line) override {
    ++calls_.status;
    note_width(line);
    status_.assign(line.substr(0, 64));
  }
  void present() override { ++calls_.present; }

  const Calls& calls() const { return calls_; }
  // Row text as doctest prints it in a failed comparison.
  doctest::String row(std::uint8_t i) const { return as_string(rows_[i].view()); }
  doctest::String status_line() const { return as_string(status_.view()); }
  // Rows after the last non-empty one are not counted.
  int rows_used() const {
    int used = 0;
    for (int i = 0; i < kRows; ++i) {
      if (!rows_[i].empty()) used = i + 1;
    }
    return used;
  }
  const hal::Bitmap& image() const { return image_; }
  bool dark(std::uint16_t x, std::uint16_t y) const { return image_.pixel(image_.context, x, y); }
  int overlong() const { return overlong_; }
  int rows_out_of_range() const { return rows_out_of_range_; }

 private:
  static doctest::String as_string(std::string_view text) {
    return doctest::String(text.data(), static_cast<doctest::String::size_type>(text.size()));
  }
  void note_width(std::string_view line) {
    if (line.size() > kLineWidth) ++overlong_;
  }

  FixedString<64> rows_[kRows];
  FixedString<64> status_;
  hal::Bitmap image_{nullptr, 0, 0, nullptr};
  Calls calls_;
  int overlong_ = 0;
  int rows_out_of_range_ = 0;
};

}  // namespace posagent::test
