#include "core/json/json_number.hpp"

#include <cmath>
#include <cstdarg>
#include <limits>

#include "core/json/cjson_stdio.h"

namespace posagent::json_detail {

std::size_t format_int64(std::int64_t value, char* out) {
  // Digits come from the magnitude as unsigned, which holds INT64_MIN's too.
  std::uint64_t magnitude = value < 0 ? 0 - static_cast<std::uint64_t>(value)
                                      : static_cast<std::uint64_t>(value);
  char reversed[kInt64TextLength];
  std::size_t digits = 0;
  do {
    reversed[digits++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  std::size_t length = 0;
  if (value < 0) out[length++] = '-';
  while (digits > 0) out[length++] = reversed[--digits];
  return length;
}

}  // namespace posagent::json_detail

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// 19 digits always fit a uint64 (10^19 < 2^64) and are more than a double's
// 17 significant ones; later digits are dropped (only their place counts).
constexpr int kMaxDigits = 19;
// Explicit exponents stop growing here: far beyond any double, far from
// int64 overflow.
constexpr std::int64_t kExponentCap = 100'000'000;

// 10^(2^i): scaling by one per set bit of the exponent.
constexpr double kPowersOfTen[] = {1e1, 1e2, 1e4, 1e8, 1e16, 1e32, 1e64, 1e128, 1e256};

// mantissa * 10^exponent, for a mantissa of digits digits (at most 19).
double scale(std::uint64_t mantissa, int digits, std::int64_t exponent) {
  if (mantissa == 0) return 0.0;
  // The value is below 10^(digits + exponent) and at least a tenth of it: at
  // 10^309 it is surely beyond a double, under 10^-330 surely below half the
  // smallest subnormal (~4.9e-324). In between |exponent| < 512, which the
  // table covers, and every partial product stays below 10^309.
  if (digits + exponent > 309) return HUGE_VAL;
  if (digits + exponent < -330) return 0.0;
  const bool down = exponent < 0;
  auto bits = static_cast<std::uint32_t>(down ? -exponent : exponent);
  auto value = static_cast<double>(mantissa);
  constexpr double kMax = std::numeric_limits<double>::max();
  for (const double power : kPowersOfTen) {
    if (bits == 0) break;
    if ((bits & 1) != 0) {
      if (down) {
        value /= power;
      } else {
        // An eighth of the product cannot overflow (it is below 1.25e308),
        // and dividing by 8 is exact, so this compares the very product
        // IEEE rounding would give, without ever overflowing.
        const double eighth = value / 8 * power;
        if (eighth > kMax / 8) return HUGE_VAL;
        value = eighth * 8;
      }
    }
    bits >>= 1;
  }
  return value;
}

}  // namespace

extern "C" double posagent_json_strtod(const char* text, char** end) {
  const char* p = text;
  const bool negative = *p == '-';
  if (negative) ++p;

  std::uint64_t mantissa = 0;
  int digits = 0;             // significant digits in mantissa
  std::int64_t exponent = 0;  // the value is mantissa * 10^exponent
  auto take = [&](char c, bool fraction) {
    if (digits < kMaxDigits) {
      if (mantissa == 0 && c == '0') {  // leading zero: only its place counts
        if (fraction) --exponent;
        return;
      }
      mantissa = mantissa * 10 + static_cast<std::uint64_t>(c - '0');
      ++digits;
      if (fraction) --exponent;
    } else if (!fraction) {
      ++exponent;  // a dropped integer digit still shifts the rest
    }
  };

  if (*p == '0') {
    ++p;  // JSON allows no other digit after a leading 0
  } else if (is_digit(*p)) {
    while (is_digit(*p)) take(*p++, false);
  } else {
    if (end != nullptr) *end = const_cast<char*>(text);
    return 0.0;
  }
  if (*p == '.' && is_digit(p[1])) {
    ++p;
    while (is_digit(*p)) take(*p++, true);
  }
  if (*p == 'e' || *p == 'E') {
    const char* q = p + 1;
    const bool exponent_negative = *q == '-';
    if (*q == '+' || *q == '-') ++q;
    if (is_digit(*q)) {  // otherwise "e" is not part of the number
      std::int64_t explicit_exponent = 0;
      for (; is_digit(*q); ++q) {
        if (explicit_exponent < kExponentCap) {
          explicit_exponent = explicit_exponent * 10 + (*q - '0');
        }
      }
      exponent += exponent_negative ? -explicit_exponent : explicit_exponent;
      p = q;
    }
  }
  if (end != nullptr) *end = const_cast<char*>(p);
  const double value = scale(mantissa, digits, exponent);
  return negative ? -value : value;
}

namespace {

// The formatter behind posagent_cjson_sprintf (cjson_stdio.h).
int format_plain(char* out, const char* format, std::va_list args) {
  std::size_t n = 0;
  for (const char* f = format; *f != '\0'; ++f) {
    if (*f != '%') {
      out[n++] = *f;
      continue;
    }
    ++f;
    const bool zero_pad = *f == '0';
    if (zero_pad) ++f;
    std::size_t width = 0;
    while (is_digit(*f)) width = width * 10 + static_cast<std::size_t>(*f++ - '0');
    char reversed[16];
    std::size_t digits = 0;
    bool negative = false;
    if (*f == 'd' || *f == 'i') {
      const int value = va_arg(args, int);
      negative = value < 0;
      unsigned magnitude = negative ? 0u - static_cast<unsigned>(value) : static_cast<unsigned>(value);
      do {
        reversed[digits++] = static_cast<char>('0' + magnitude % 10);
        magnitude /= 10;
      } while (magnitude != 0);
    } else if (*f == 'x') {
      unsigned value = va_arg(args, unsigned);
      do {
        reversed[digits++] = "0123456789abcdef"[value & 0xF];
        value >>= 4;
      } while (value != 0);
    } else {
      return -1;  // floating point (cJSON_Number) and everything else
    }
    const std::size_t length = digits + (negative ? 1 : 0);
    const std::size_t pad = width > length ? width - length : 0;
    if (!zero_pad)
      for (std::size_t i = 0; i < pad; ++i) out[n++] = ' ';
    if (negative) out[n++] = '-';
    if (zero_pad)
      for (std::size_t i = 0; i < pad; ++i) out[n++] = '0';
    while (digits > 0) out[n++] = reversed[--digits];
  }
  out[n] = '\0';
  return static_cast<int>(n);
}

}  // namespace

extern "C" int posagent_cjson_sprintf(char* out, const char* format, ...) {
  std::va_list args;
  va_start(args, format);
  const int written = format_plain(out, format, args);
  va_end(args);
  return written;
}

extern "C" int posagent_cjson_sscanf(const char*, const char*, ...) { return 0; }
