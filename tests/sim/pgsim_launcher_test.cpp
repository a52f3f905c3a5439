// posagent-sim starts its own pgsim, finds where it listens and its CA, and
// takes it down again; pgsim's state file is kept in the data dir.
#include <doctest/doctest.h>

#include <signal.h>
#include <stdlib.h>

#include <filesystem>

#include "firmware/sim/pgsim_launcher.hpp"

using posagent::sim::PgsimOptions;
using posagent::sim::PgsimProcess;

namespace {

std::string fresh_dir() {
  char tmpl[] = "/tmp/posagent-sim-test-XXXXXX";
  return mkdtemp(tmpl) ? tmpl : "";
}

}  // namespace

TEST_CASE("the launcher starts pgsim on a free port with its CA and state in the data dir") {
  PgsimOptions options;
  options.binary = PGSIM_BIN;
  options.data_dir = fresh_dir();
  options.port = 0;
  PgsimProcess pgsim;
  const auto status = pgsim.start(options, "");
  REQUIRE(status.ok());
  CHECK(pgsim.endpoint().host == "localhost");
  CHECK(pgsim.endpoint().port > 0);
  CHECK(pgsim.endpoint().base_url == "https://localhost:" + std::to_string(pgsim.endpoint().port));
  CHECK(std::filesystem::exists(pgsim.endpoint().ca_path));
  CHECK(std::filesystem::path(pgsim.endpoint().ca_path).parent_path() == options.data_dir);
  pgsim.stop();
  // Stopped pgsim saves its state where a later run will load it.
  CHECK(std::filesystem::exists(std::filesystem::path(options.data_dir) / "pgsim-state.json"));
  pgsim.stop();  // idempotent
}

TEST_CASE("a missing pgsim binary is reported, not crashed on") {
  PgsimOptions options;
  options.binary = "/nonexistent/pgsim";
  options.data_dir = fresh_dir();
  PgsimProcess pgsim;
  const auto status = pgsim.start(options, "");
  CHECK(status.code() == posagent::Code::kNotFound);
}

TEST_CASE("the default binary is found beside posagent-sim's build") {
  unsetenv("POSAGENT_PGSIM");
  CHECK(posagent::sim::default_pgsim_binary("/nonexistent/firmware/sim/posagent-sim") == "pgsim");
  setenv("POSAGENT_PGSIM", "/opt/pgsim", 1);
  CHECK(posagent::sim::default_pgsim_binary("anything") == "/opt/pgsim");
  unsetenv("POSAGENT_PGSIM");
}
