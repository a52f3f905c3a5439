// Built where libpng is not found for the target: no PNG frames.
#include "hal/sim/sim_png.hpp"

namespace posagent::hal::sim {

bool png_available() { return false; }

Status write_png(const std::string&, const GrayImage&) {
  return Status(Code::kUnavailable, "no PNG in this build");
}

}  // namespace posagent::hal::sim
