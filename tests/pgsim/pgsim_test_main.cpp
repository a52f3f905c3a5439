// doctest's main for pgsim's tests (with exceptions, unlike the core's tests).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <csignal>

int main(int argc, char** argv) {
  // A client writing to a connection pgsim reset must see an error, not die:
  // OpenSSL writes with write(2), which raises SIGPIPE on a reset socket.
  std::signal(SIGPIPE, SIG_IGN);
  doctest::Context context(argc, argv);
  return context.run();
}
