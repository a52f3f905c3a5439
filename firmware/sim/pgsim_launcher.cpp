#include "firmware/sim/pgsim_launcher.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace posagent::sim {
namespace {

namespace fs = std::filesystem;

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

std::string default_pgsim_binary(const std::string& self_path) {
  if (const char* env = std::getenv("POSAGENT_PGSIM"); env && *env) return env;
  std::error_code ec;
  const fs::path self = fs::canonical(self_path, ec);
  if (ec) return "pgsim";
  return (self.parent_path().parent_path().parent_path() / "tools" / "pgsim" / "pgsim").string();
}

Status PgsimProcess::start(const PgsimOptions& options, const std::string& self_path) {
  stop();
  const std::string binary = options.binary.empty() ? default_pgsim_binary(self_path) : options.binary;
  if (access(binary.c_str(), X_OK) != 0) return Status(Code::kNotFound, "pgsim not built");
  std::error_code ec;
  fs::create_directories(options.data_dir, ec);
  if (ec) return Status(Code::kIoError, "cannot make data dir", ec.value());

  std::vector<std::string> args = {binary, "--port", std::to_string(options.port), "--data-dir", options.data_dir,
                                   "--state", (fs::path(options.data_dir) / "pgsim-state.json").string(), "--quiet"};
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  int out[2];
  if (pipe(out) != 0) return Status(Code::kIoError, "pipe failed", errno);
  pid_ = fork();
  if (pid_ < 0) {
    pid_ = 0;
    return Status(Code::kIoError, "fork failed", errno);
  }
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // the gateway goes when posagent-sim goes
    setpgid(0, 0);  // but not with the cashier's Ctrl-C, which cancels the sale
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  FILE* f = fdopen(out[0], "r");
  char line[1024];
  while (f && fgets(line, sizeof line, f)) {
    std::string s(line);
    if (!s.empty() && s.back() == '\n') s.pop_back();
    if (starts_with(s, "pgsim: listening on ")) endpoint_.base_url = s.substr(20);
    if (starts_with(s, "pgsim: ca ")) {
      endpoint_.ca_path = s.substr(10);
      break;
    }
  }
  if (f) fclose(f);  // pgsim prints nothing more on stdout
  if (endpoint_.base_url.empty() || endpoint_.ca_path.empty()) {
    stop();
    return Status(Code::kUnavailable, "pgsim did not start");
  }
  // The port pgsim took (the asked one, or any free one for port 0).
  endpoint_.port = static_cast<std::uint16_t>(std::atoi(endpoint_.base_url.substr(endpoint_.base_url.rfind(':') + 1).c_str()));
  return Status::Ok();
}

void PgsimProcess::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 40; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = 0;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = 0;
}

}  // namespace posagent::sim
