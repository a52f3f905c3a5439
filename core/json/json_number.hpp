// JSON number text without the C library's strtod or any floating-point
// formatting: the two are what would pull the C heap (newlib's strtod makes
// Bigints with _calloc_r) and ~120 KB of Ryu tables into firmware. Internal
// to the module; not part of its API.
#pragma once

#include <cstddef>
#include <cstdint>

namespace posagent::json_detail {

// "-9223372036854775808" is the longest.
inline constexpr std::size_t kInt64TextLength = 20;

// Writes value in decimal to out (room for kInt64TextLength characters, no
// NUL added) and returns the length.
std::size_t format_int64(std::int64_t value, char* out);

}  // namespace posagent::json_detail

// cJSON.c is compiled with strtod defined to this (the cjson target in
// cmake/deps.cmake), so cJSON's only number conversion lands here.
//
// Reads the longest JSON number (RFC 8259: -?(0|[1-9][0-9]*)(.[0-9]+)?
// ([eE][+-]?[0-9]+)?) at text, which must be NUL-terminated, and sets *end
// after it, as strtod does for such text; no number there: 0 and *end =
// text. Stricter than strtod on purpose: no leading whitespace, "+", hex,
// "inf" or "nan", and "01" or "1." stop after the "0" or "1", which cJSON
// then refuses as invalid JSON. No heap, no locale, no errno.
//
// The result is close (within a few ulps; so a number within a few ulps of
// the largest double may come out infinite) but not always correctly rounded:
// posagent never takes a value that matters from cJSON's valuedouble, since
// money and integers are read exactly from the number's text (json_reader).
// Magnitudes beyond a double saturate to +-HUGE_VAL, tiny ones to +-0;
// mantissas and exponents of any length are fine.
extern "C" double posagent_json_strtod(const char* text, char** end);
