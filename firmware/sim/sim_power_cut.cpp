#include "firmware/sim/sim_power_cut.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace posagent::sim {

PowerCut::PowerCut() {
  const char* env = std::getenv("POSAGENT_SIM_CUT_AT");
  if (env == nullptr || *env == '\0') return;
  char* end = nullptr;
  const long n = std::strtol(env, &end, 10);
  if (end != nullptr && *end == '\0' && n >= 0) cut_at_ = n;
}

void PowerCut::point(const char* what) {
  if (cut_at_ < 0) return;
  ++count_;
  if (cut_at_ == 0) std::fprintf(stderr, "posagent-sim: cut point %ld: %s\n", count_, what);
  if (count_ != cut_at_) return;
  std::fprintf(stderr, "posagent-sim: power cut at point %ld (%s)\n", count_, what);
  _exit(kPowerCutExit);
}

}  // namespace posagent::sim
