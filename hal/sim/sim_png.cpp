#include "hal/sim/sim_png.hpp"

#include <png.h>

#include <csetjmp>
#include <cstdio>

namespace posagent::hal::sim {
namespace {

// libpng reports errors by longjmp to the setjmp below, so this function
// keeps only trivially destructible locals: the jump skips no destructor.
bool encode(std::FILE* file, const GrayImage& image) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (png == nullptr) return false;
  png_infop info = png_create_info_struct(png);
  if (info == nullptr || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, info != nullptr ? &info : nullptr);
    return false;
  }
  png_init_io(png, file);
  png_set_IHDR(png, info, static_cast<png_uint_32>(image.width), static_cast<png_uint_32>(image.height), 8,
               PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < image.height; ++y) {
    png_write_row(png, image.pixels.data() + static_cast<std::size_t>(y) * image.width);
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

bool png_available() { return true; }

Status write_png(const std::string& path, const GrayImage& image) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return Status(Code::kIoError, "PNG not written");
  const bool encoded = encode(file, image);
  const bool closed = std::fclose(file) == 0;
  if (!encoded || !closed) {
    std::remove(path.c_str());  // no half-written frame left behind
    return Status(Code::kIoError, "PNG not written");
  }
  return Status::Ok();
}

}  // namespace posagent::hal::sim
