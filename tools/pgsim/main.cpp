// pgsim: a local, stateful twin of the Cashfree PG sandbox over HTTPS.
// Prints its base URL and CA path, serves until SIGINT/SIGTERM, then saves.
#include <csignal>
#include <cstdio>
#include <exception>
#include <thread>

#include "options.h"
#include "pki.h"
#include "server.h"
#include "state.h"

namespace {

pgsim::App* g_app = nullptr;

// Stops the accept loop from a signal-free thread: sigwait, not a handler,
// because httplib::Server::stop is not async-signal-safe.
void wait_for_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  if (g_app) g_app->stop();
}

}  // namespace

int main(int argc, char** argv) {
  const pgsim::Config cfg = pgsim::parse_options(argc, argv);
  // Block the stop signals in every thread; one thread waits for them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill pgsim
  try {
    const pgsim::PkiFiles pki = pgsim::ensure_pki(cfg.data_dir);
    pgsim::StateFile file(cfg.state_file);
    pgsim::State initial = file.load().value_or(pgsim::State::fresh());
    pgsim::App app(cfg, pki, std::move(initial));
    g_app = &app;
    const int port = app.bind();
    (void)port;
    std::printf("pgsim: listening on %s\n", app.base_url().c_str());
    std::printf("pgsim: ca %s\n", std::filesystem::absolute(pki.ca_cert).c_str());
    std::fflush(stdout);
    std::thread signals(wait_for_signal);
    signals.detach();
    app.run();
    app.save_now();
    g_app = nullptr;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pgsim: %s\n", e.what());
    return 1;
  }
  return 0;
}
