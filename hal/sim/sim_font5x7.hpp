// A tiny 5x7 bitmap font for printable ASCII, for the PNG frames of
// SimDisplay. Built in so the simulator needs no font files.
#pragma once

#include <cstdint>

namespace posagent::hal::sim {

inline constexpr int kFontWidth = 5;
inline constexpr int kFontHeight = 7;

// Whether the pixel at (column, row) of c's glyph is ink. Characters outside
// printable ASCII are drawn as '?'; coordinates outside the glyph are blank.
bool font5x7_pixel(char c, int column, int row);

}  // namespace posagent::hal::sim
