// What route handlers share: the error type that becomes a Cashfree error
// body, the reply type, and the per-request context.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "options.h"
#include "state.h"

namespace pgsim {

class App;

// Thrown by handlers; becomes {"message","code","type"} with `status`.
struct ApiError : std::runtime_error {
  ApiError(int s, std::string c, std::string t, const std::string& msg)
      : std::runtime_error(msg), status(s), code(std::move(c)), type(std::move(t)) {}
  int status;
  std::string code;
  std::string type;
};

inline ApiError invalid_request(std::string code, const std::string& msg) {
  return ApiError(400, std::move(code), "invalid_request_error", msg);
}
inline ApiError not_found(std::string code, const std::string& msg) {
  return ApiError(404, std::move(code), "invalid_request_error", msg);
}

json error_body(int status, const std::string& code, const std::string& type, const std::string& message);

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

Reply json_reply(int status, const json& body);
Reply html_reply(int status, std::string html);
Reply error_reply(const ApiError& e);

struct Ctx {
  const httplib::Request& req;
  App& app;
  const Config& cfg;
  State& st;
  int64_t now;
  std::vector<std::string> params;  // the route pattern's captures
  json body;                        // the parsed JSON body of a /pg POST or PATCH
  std::string api_version;          // validated x-api-version (/pg only)
  std::string base_url;             // where pgsim's own pages are served
  bool changed = false;             // set by handlers that modify State
};

}  // namespace pgsim
