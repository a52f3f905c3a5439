// Runs posagent-sim as a separate process against a pgsim the test started
// (--gateway-url / --ca, pgsim's test credentials in the environment), with
// its stdout and stderr in files the test can watch while it runs.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/pgsim/pgsim_harness.hpp"

namespace e2e {

namespace fs = std::filesystem;
using pgsim_test::json;
using pgsim_test::Pgsim;

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream all;
  all << in.rdbuf();
  return all.str();
}

struct SimResult {
  int exit_code = -1;  // -1: killed by a signal or timed out
  std::string out, err;
  // From the last "posagent-sim: OUTCOME order ID ..." line.
  std::string outcome, order_id, utr;
};

class SimProcess {
 public:
  // args: the command and its options; --data-dir, --gateway-url and --ca
  // are added (the URL unless args give one: pgsim's /router when args pick
  // "--gateway flowwise", else /pg). extra_env: NAME=VALUE pairs.
  SimProcess(const Pgsim& gateway, const fs::path& data_dir, std::vector<std::string> args,
             std::map<std::string, std::string> extra_env = {}, const std::string& name = "run") {
    out_ = data_dir / (name + ".out");
    err_ = data_dir / (name + ".err");
    fs::create_directories(data_dir);
    bool flowwise = false, has_url = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
      flowwise |= args[i] == "--gateway" && i + 1 < args.size() && args[i + 1] == "flowwise";
      has_url |= args[i] == "--gateway-url";
    }
    args.insert(args.begin(), POSAGENT_SIM_BIN);
    for (const std::string& a : {std::string("--data-dir"), data_dir.string(), std::string("--ca"), gateway.ca_path()})
      args.push_back(a);
    if (!has_url) {
      args.push_back("--gateway-url");
      args.push_back(gateway.base_url() + (flowwise ? "/router" : "/pg"));
    }
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      setenv("CASHFREE_CLIENT_ID", pgsim_test::kClientId, 1);
      setenv("CASHFREE_CLIENT_SECRET", pgsim_test::kClientSecret, 1);
      unsetenv("POSAGENT_SIM_CUT_AT");
      for (const auto& [k, v] : extra_env) setenv(k.c_str(), v.c_str(), 1);
      const int in = open("/dev/null", O_RDONLY);
      dup2(in, 0);
      const int out = open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int err = open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(out, 1);
      dup2(err, 2);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~SimProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  // Waits until stderr contains text (true) or ms pass or the process ends.
  bool wait_for(const std::string& text, int ms = 20'000) {
    for (int waited = 0; waited <= ms; waited += 50) {
      if (read_text(err_).find(text) != std::string::npos) return true;
      if (pid_ <= 0 || exited()) return read_text(err_).find(text) != std::string::npos;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  // The cancel key, as Ctrl-C presses it.
  void interrupt() { kill(pid_, SIGINT); }
  // The power goes: no handler runs, the journal is what was written.
  void power_cut() { kill(pid_, SIGKILL); }

  SimResult finish(int timeout_ms = 60'000) {
    SimResult r;
    int status = 0;
    bool done = false;
    for (int waited = 0; waited <= timeout_ms && !done; waited += 50) {
      if (status_) {
        status = *status_;
        done = true;
        break;
      }
      const pid_t w = waitpid(pid_, &status, WNOHANG);
      if (w == pid_) {
        done = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!done) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    pid_ = 0;
    if (done && WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    r.out = read_text(out_);
    r.err = read_text(err_);
    // A card sale's line has the card's label ("VISA XXXX1111") before the UTR.
    static const std::regex kOutcome(R"(posagent-sim: ([A-Z]+) order (\S+) Rs \S+(?: [A-Z]+ X+[0-9]{4})?(?: UTR (\S+))?)");
    for (std::sregex_iterator it(r.out.begin(), r.out.end(), kOutcome), end; it != end; ++it) {
      r.outcome = (*it)[1];
      r.order_id = (*it)[2];
      r.utr = (*it)[3];
    }
    return r;
  }

 private:
  bool exited() {
    if (status_) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      status_ = status;
      return true;
    }
    return false;
  }

  pid_t pid_ = 0;
  std::optional<int> status_;
  fs::path out_, err_;
};

// pgsim's record of an order (null if it has none), and of its payments.
inline json order_in(const json& state, const std::string& order_id) {
  for (const json& o : state["orders"])
    if (o.value("order_id", "") == order_id) return o;
  return nullptr;
}
inline std::vector<json> payments_of(const json& state, const std::string& order_id) {
  std::vector<json> out;
  for (const json& p : state["payments"])
    if (p.value("order_id", "") == order_id) out.push_back(p);
  return out;
}
inline int successes(const std::vector<json>& payments) {
  int n = 0;
  for (const json& p : payments) n += p.value("status", "") == "SUCCESS" ? 1 : 0;
  return n;
}
inline std::vector<json> orders_with_prefix(const json& state, const std::string& prefix) {
  std::vector<json> out;
  for (const json& o : state["orders"])
    if (o.value("order_id", "").rfind(prefix, 0) == 0) out.push_back(o);
  return out;
}

inline fs::path fresh_dir(const std::string& name) {
  char tmpl[] = "/tmp/posagent-e2e-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp");
  return fs::path(tmpl) / name;
}

}  // namespace e2e
