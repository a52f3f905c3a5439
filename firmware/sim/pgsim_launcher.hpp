// Starts the local gateway (tools/pgsim) for posagent-sim when no Cashfree
// credentials are configured, and stops it again. Host-side program code:
// POSIX processes and pipes, not part of the portable core.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/status.hpp"

namespace posagent::sim {

struct PgsimOptions {
  std::string binary;    // empty: POSAGENT_PGSIM, else next to posagent-sim's build
  std::string data_dir;  // pgsim's CA, server certificate and state file live here
  // Fixed by default, so intents issued before a restart still resolve;
  // 0 takes any free port (tests).
  std::uint16_t port = 18443;
  std::vector<std::string> extra_args;
};

// Where a started pgsim listens. Dial `host` (a name: Mbed TLS 2.28 does
// not match IP-address SANs) and trust `ca_path`.
struct PgsimEndpoint {
  std::string host = "localhost";
  std::uint16_t port = 0;
  std::string base_url;
  std::string ca_path;
};

class PgsimProcess {
 public:
  PgsimProcess() = default;
  ~PgsimProcess() { stop(); }
  PgsimProcess(const PgsimProcess&) = delete;
  PgsimProcess& operator=(const PgsimProcess&) = delete;

  // Starts pgsim with its state kept in data_dir (so a later `recover` finds
  // every order again) and waits for its "listening" and "ca" lines.
  Status start(const PgsimOptions& options, const std::string& self_path);
  // SIGTERM, then SIGKILL after two seconds. Idempotent.
  void stop();
  const PgsimEndpoint& endpoint() const { return endpoint_; }

 private:
  pid_t pid_ = 0;
  PgsimEndpoint endpoint_;
};

// The pgsim binary next to this build's posagent-sim
// (build/<preset>/firmware/sim/posagent-sim -> build/<preset>/tools/pgsim/pgsim).
std::string default_pgsim_binary(const std::string& self_path);

}  // namespace posagent::sim
