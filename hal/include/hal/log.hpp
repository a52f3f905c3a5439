// Log facade: where finished, already-redacted log lines go.
#pragma once

#include <cstdint>
#include <string_view>

namespace posagent::hal {

enum class LogLevel : std::uint8_t { kDebug, kInfo, kWarn, kError };

class LogSink {
 public:
  virtual void write(LogLevel level, std::string_view line) = 0;

 protected:
  ~LogSink() = default;
};

}  // namespace posagent::hal
