// Log backend: timestamped lines on stderr (or any FILE*).
#pragma once

#include <cstdio>
#include <string_view>

#include "hal/log.hpp"

namespace posagent::hal::sim {

// Writes "HH:MM:SS.mmm LEVEL line\n" (local time; LEVEL is DEBUG, INFO,
// WARN or ERROR, padded to 5 characters) for each line at or above the
// minimum level. Control characters in a line are written as '?', so one
// call is always one output line and a line cannot send escape sequences
// to the terminal. Each line is flushed.
class SimLogSink final : public LogSink {
 public:
  explicit SimLogSink(LogLevel min_level = LogLevel::kInfo, std::FILE* out = stderr)
      : out_(out), min_level_(min_level) {}

  // Lines from posagent::Logger already start with their level; a sink
  // behind one leaves its own LEVEL column out.
  void set_show_level(bool show) { show_level_ = show; }

  void write(LogLevel level, std::string_view line) override;

  void set_min_level(LogLevel level) { min_level_ = level; }
  LogLevel min_level() const { return min_level_; }

 private:
  std::FILE* out_;
  LogLevel min_level_;
  bool show_level_ = true;
};

}  // namespace posagent::hal::sim
