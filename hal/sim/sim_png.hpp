// PNG output for SimDisplay. Compiled with libpng where CMake finds it for
// the target (the host); elsewhere (aarch64 without the arm64 libpng) the
// stub in sim_png_unavailable.cpp reports kUnavailable.
#pragma once

#include <string>

#include "core/base/status.hpp"
#include "hal/sim/sim_frame_image.hpp"

namespace posagent::hal::sim {

bool png_available();
// Writes image as an 8-bit greyscale PNG at path, replacing any file there.
// kIoError when the file cannot be written; kUnavailable without libpng.
Status write_png(const std::string& path, const GrayImage& image);

}  // namespace posagent::hal::sim
