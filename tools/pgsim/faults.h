// Scripted faults for the next N matching requests, set through the admin API.
//
// POST /admin/faults with one fault object, or {"faults": [fault, ...]}:
//   {
//     "method": "POST",            optional; any method when absent
//     "path": "/pg/orders",        optional exact path, or
//     "path_prefix": "/pg/orders/" optional prefix; neither = every path
//     "count": 1,                  how many matching requests it applies to (default 1)
//     "action": "latency"          only the delay below, then normal handling
//             | "error"            a 5xx with a Cashfree-shaped body
//             | "rate_limit"       429 rate_limit_error, x-ratelimit-remaining 0,
//                                  x-ratelimit-retry = retry_s
//             | "drop"             reset the connection (TCP RST) without any response
//             | "truncate"         the real response, its body cut in half
//                                  (Content-Length still announces the whole body)
//             | "malformed"        the real status, the body cut into invalid JSON
//             | "stall",           the real status and headers and half the body,
//                                  then nothing for stall_ms, then the connection closes
//     "delay_ms": 0,               added before handling, for any action
//     "act": false,                error / rate_limit / drop: first handle the
//                                  request for real (state changes, idempotency
//                                  record stored), then fail. truncate and
//                                  malformed and stall always act.
//     "status": 500,               error: the HTTP status (500-599)
//     "code": "internal_error",    error: body fields; defaults by status
//     "message": "...",            (502: bank_processing_failure, api_error)
//     "type": "api_error",
//     "retry_s": 5,                rate_limit: seconds (1-59)
//     "stall_ms": 30000            stall: how long the response hangs (1-600000)
//   }
// Faults apply in the order added; a request consumes at most one (the first
// that matches). /admin/* is never faulted. GET /admin/faults lists the
// pending ones, DELETE /admin/faults clears them. Faults are not persisted.
// A fault's response is never stored as an idempotency record: a request it
// short-circuits did not reach pgsim's API.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pgsim {

struct Fault {
  std::string method;
  std::string path;
  std::string path_prefix;
  int remaining = 1;
  std::string action;
  int delay_ms = 0;
  bool act = false;
  int status = 500;
  std::string code;
  std::string message;
  std::string type;
  int retry_s = 5;
  int stall_ms = 30000;

  bool matches(const std::string& m, const std::string& p) const;
  std::string describe() const;
  nlohmann::json to_json() const;
};

class FaultBook {
 public:
  // Parses and appends; throws std::invalid_argument with a reason.
  void add(const nlohmann::json& body);
  // Consumes one use of the first matching fault.
  std::optional<Fault> take(const std::string& method, const std::string& path);
  nlohmann::json to_json() const;
  void clear();

 private:
  mutable std::mutex mu_;
  std::vector<Fault> faults_;
};

}  // namespace pgsim
