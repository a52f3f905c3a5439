// SimClock, SimEntropy, SimInput and SimLogSink.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

#include "hal/sim/sim_clock.hpp"
#include "hal/sim/sim_entropy.hpp"
#include "hal/sim/sim_input.hpp"
#include "hal/sim/sim_log.hpp"

using posagent::hal::Key;
using posagent::hal::LogLevel;
using posagent::hal::Millis;
using posagent::hal::sim::SimClock;
using posagent::hal::sim::SimEntropy;
using posagent::hal::sim::SimInput;
using posagent::hal::sim::SimLogSink;

namespace {

constexpr Millis kSlackMs = 3000;

// A pipe whose ends close on destruction.
struct Pipe {
  Pipe() {
    if (pipe(fds) != 0) fds[0] = fds[1] = -1;
  }
  ~Pipe() {
    close_write();
    if (fds[0] >= 0) ::close(fds[0]);
  }
  bool write(std::string_view bytes) const {
    return ::write(fds[1], bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  }
  void close_write() {
    if (fds[1] >= 0) ::close(fds[1]);
    fds[1] = -1;
  }
  int fds[2];
};

std::string contents(std::FILE* f) {
  std::string out;
  std::rewind(f);
  int c;
  while ((c = std::fgetc(f)) != EOF) out += static_cast<char>(c);
  return out;
}

}  // namespace

TEST_CASE("SimClock: monotonic milliseconds advance, wall time is now") {
  SimClock clock;
  const Millis a = clock.monotonic_ms();
  usleep(20'000);
  const Millis b = clock.monotonic_ms();
  CHECK(b >= a + 20);
  CHECK(b < a + kSlackMs);

  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  const std::int64_t unix = clock.unix_seconds();
  CHECK(unix >= SimClock::kEarliestTrustedUnix);
  CHECK(unix >= now - 2);
  CHECK(unix <= now + 2);
}

TEST_CASE("SimEntropy fills buffers with fresh bytes") {
  SimEntropy entropy;
  std::uint8_t a[32] = {};
  std::uint8_t b[32] = {};
  REQUIRE(entropy.fill(a).ok());
  REQUIRE(entropy.fill(b).ok());
  CHECK(std::memcmp(a, b, sizeof a) != 0);

  // Larger than one getrandom(2) guarantee (256 bytes): every part is filled.
  static std::uint8_t big[4096];
  REQUIRE(entropy.fill(big).ok());
  int zero_runs = 0;  // 64-byte blocks that stayed all zero
  for (std::size_t block = 0; block < sizeof big; block += 64) {
    bool all_zero = true;
    for (std::size_t i = block; i < block + 64; ++i) all_zero = all_zero && big[i] == 0;
    zero_runs += all_zero ? 1 : 0;
  }
  CHECK(zero_runs == 0);
  CHECK(entropy.fill(std::span<std::uint8_t>()).ok());
}

TEST_CASE("SimInput maps keys from a pipe") {
  SimClock clock;
  Pipe p;
  REQUIRE(p.fds[0] >= 0);
  SimInput input(clock, p.fds[0]);
  const auto key = [&] { return input.wait_key(clock.monotonic_ms() + kSlackMs); };

  // Other bytes (letters, spaces, '[') are skipped; "\r\n" is one Enter.
  REQUIRE(p.write("1a9 \n0\r\nx?X\x1b" "c\x7f\bC5\r"));
  CHECK(key() == Key::kDigit1);
  CHECK(key() == Key::kDigit9);
  CHECK(key() == Key::kEnter);
  CHECK(key() == Key::kDigit0);
  CHECK(key() == Key::kEnter);
  CHECK(key() == Key::kCancel);
  CHECK(key() == Key::kCancel);
  CHECK(key() == Key::kCancel);
  CHECK(key() == Key::kClear);
  CHECK(key() == Key::kClear);
  CHECK(key() == Key::kClear);
  CHECK(key() == Key::kClear);
  CHECK(key() == Key::kDigit5);
  CHECK(key() == Key::kEnter);

  SUBCASE("no key before the deadline: kNone, at the deadline") {
    const Millis deadline = clock.monotonic_ms() + 200;
    CHECK(input.wait_key(deadline) == Key::kNone);
    const Millis end = clock.monotonic_ms();
    CHECK(end >= deadline);
    CHECK(end < deadline + kSlackMs);
    // Only ignored bytes also time out.
    REQUIRE(p.write("abz"));
    CHECK(input.wait_key(clock.monotonic_ms() + 100) == Key::kNone);
    // A key typed later is still delivered.
    REQUIRE(p.write("7"));
    CHECK(key() == Key::kDigit7);
  }
  SUBCASE("a CR at the very end followed later by LF is one Enter") {
    REQUIRE(p.write("\n4"));
    CHECK(key() == Key::kDigit4);
  }
  SUBCASE("end of input cancels, every time, without waiting") {
    REQUIRE(p.write("8"));
    p.close_write();
    CHECK(key() == Key::kDigit8);
    const Millis start = clock.monotonic_ms();
    CHECK(key() == Key::kCancel);
    CHECK(key() == Key::kCancel);
    CHECK(clock.monotonic_ms() < start + kSlackMs);
  }
}

TEST_CASE("SimLogSink writes timestamped lines at or above its level") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  SimLogSink sink(LogLevel::kWarn, f);
  sink.write(LogLevel::kDebug, "debug line");
  sink.write(LogLevel::kInfo, "info line");
  sink.write(LogLevel::kWarn, "warn line");
  sink.write(LogLevel::kError, "two\nlines\x1b[31m");
  sink.set_min_level(LogLevel::kDebug);
  sink.write(LogLevel::kDebug, "now shown");
  const std::string out = contents(f);
  std::fclose(f);

  // "HH:MM:SS.mmm " is 13 characters.
  std::string lines[4];
  int count = 0;
  std::size_t start = 0;
  for (std::size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1) {
    if (count < 4) lines[count] = out.substr(start, nl - start);
    ++count;
  }
  REQUIRE(count == 3);
  CHECK(start == out.size());  // ends with a newline
  for (int i = 0; i < count; ++i) {
    const std::string& line = lines[i];
    REQUIRE(line.size() > 13);
    for (int d : {0, 1, 3, 4, 6, 7, 9, 10, 11}) CHECK(std::isdigit(static_cast<unsigned char>(line[d])));
    CHECK(line[2] == ':');
    CHECK(line[5] == ':');
    CHECK(line[8] == '.');
    CHECK(line[12] == ' ');
    CHECK(std::stoi(line.substr(0, 2)) < 24);
    CHECK(std::stoi(line.substr(3, 2)) < 60);
    CHECK(std::stoi(line.substr(6, 2)) < 61);
  }
  CHECK(lines[0].substr(13) == "WARN  warn line");
  CHECK(lines[1].substr(13) == "ERROR two?lines?[31m");
  CHECK(lines[2].substr(13) == "DEBUG now shown");
}
