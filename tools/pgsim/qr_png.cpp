#include "qr_png.h"

#include <png.h>
#include <qrcodegen.h>

#include <csetjmp>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "ids.h"

namespace pgsim {
namespace {

constexpr int kScale = 8;
constexpr int kBorder = 4;

void append_to_string(png_structp png, png_bytep data, png_size_t len) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), len);
}

void no_flush(png_structp) {}

// libpng reports errors by longjmp to the point set below; this function keeps
// only trivially destructible locals so the jump skips no destructor.
bool encode_png(const uint8_t* pixels, int width, std::string* out) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, info ? &info : nullptr);
    return false;
  }
  png_set_write_fn(png, out, append_to_string, no_flush);
  const auto w = static_cast<png_uint_32>(width);
  png_set_IHDR(png, info, w, w, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < width; ++y)
    png_write_row(png, const_cast<png_bytep>(pixels + static_cast<size_t>(y) * static_cast<size_t>(width)));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

std::string qr_png(std::string_view text) {
  const std::string z(text);  // qrcodegen wants a NUL-terminated string
  std::vector<uint8_t> qr(qrcodegen_BUFFER_LEN_MAX), tmp(qrcodegen_BUFFER_LEN_MAX);
  if (!qrcodegen_encodeText(z.c_str(), tmp.data(), qr.data(), qrcodegen_Ecc_MEDIUM, qrcodegen_VERSION_MIN,
                            qrcodegen_VERSION_MAX, qrcodegen_Mask_AUTO, true))
    throw std::runtime_error("text too long for a QR code");
  const int size = qrcodegen_getSize(qr.data());
  const int width = (size + 2 * kBorder) * kScale;
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * static_cast<size_t>(width), 0xff);
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      if (!qrcodegen_getModule(qr.data(), x, y)) continue;
      for (int dy = 0; dy < kScale; ++dy) {
        const size_t row = static_cast<size_t>((y + kBorder) * kScale + dy) * static_cast<size_t>(width);
        for (int dx = 0; dx < kScale; ++dx) pixels[row + static_cast<size_t>((x + kBorder) * kScale + dx)] = 0;
      }
    }
  }
  std::string png;
  if (!encode_png(pixels.data(), width, &png)) throw std::runtime_error("PNG encoding failed");
  return png;
}

std::string qr_png_data_url(std::string_view text) { return "data:image/png;base64," + base64(qr_png(text)); }

}  // namespace pgsim
