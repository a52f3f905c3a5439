#include "faults.h"

#include <stdexcept>

namespace pgsim {
namespace {

using nlohmann::json;

Fault parse_fault(const json& j) {
  if (!j.is_object()) throw std::invalid_argument("a fault must be an object");
  static const char* kKnown[] = {"method", "path",    "path_prefix", "count", "action", "delay_ms",
                                 "act",    "status",  "code",        "message", "type",  "retry_s", "stall_ms"};
  for (const auto& [k, v] : j.items()) {
    bool known = false;
    for (const char* name : kKnown) known |= k == name;
    if (!known) throw std::invalid_argument("unknown fault field '" + k + "'");
  }
  Fault f;
  f.method = j.value("method", "");
  f.path = j.value("path", "");
  f.path_prefix = j.value("path_prefix", "");
  f.remaining = j.value("count", 1);
  f.action = j.value("action", "");
  f.delay_ms = j.value("delay_ms", 0);
  f.act = j.value("act", false);
  f.status = j.value("status", f.action == "rate_limit" ? 429 : 500);
  f.retry_s = j.value("retry_s", 5);
  f.stall_ms = j.value("stall_ms", 30000);
  if (f.remaining < 1) throw std::invalid_argument("count must be at least 1");
  if (f.delay_ms < 0 || f.delay_ms > 600000) throw std::invalid_argument("delay_ms must be 0..600000");
  if (f.action != "latency" && f.action != "error" && f.action != "rate_limit" && f.action != "drop" &&
      f.action != "truncate" && f.action != "malformed" && f.action != "stall")
    throw std::invalid_argument("action must be latency, error, rate_limit, drop, truncate, malformed or stall");
  if (f.action == "error" && (f.status < 500 || f.status > 599))
    throw std::invalid_argument("an error fault's status must be 5xx");
  if (f.action == "rate_limit" && (f.retry_s < 1 || f.retry_s > 59))
    throw std::invalid_argument("retry_s must be 1..59");
  if (f.action == "stall" && (f.stall_ms < 1 || f.stall_ms > 600000))
    throw std::invalid_argument("stall_ms must be 1..600000");
  if (f.action == "truncate" || f.action == "malformed" || f.action == "stall") f.act = true;
  // Defaults follow the spec's error schemas: 502 is bank_processing_failure.
  const bool bank = f.status == 502;
  f.code = j.value("code", bank ? "bank_processing_failure" : "internal_error");
  f.type = j.value("type", "api_error");
  f.message = j.value("message", bank ? "the bank or partner failed to process the request (pgsim fault)"
                                      : "internal server error (pgsim fault)");
  return f;
}

}  // namespace

bool Fault::matches(const std::string& m, const std::string& p) const {
  if (!method.empty() && method != m) return false;
  if (!path.empty() && path != p) return false;
  if (!path_prefix.empty() && p.rfind(path_prefix, 0) != 0) return false;
  return true;
}

std::string Fault::describe() const {
  std::string d = action;
  if (action == "error") d += " " + std::to_string(status);
  if (act && (action == "error" || action == "rate_limit" || action == "drop")) d += " after acting";
  if (delay_ms) d += " +" + std::to_string(delay_ms) + "ms";
  return d;
}

json Fault::to_json() const {
  json j = {{"action", action}, {"count", remaining}, {"delay_ms", delay_ms}, {"act", act}};
  if (!method.empty()) j["method"] = method;
  if (!path.empty()) j["path"] = path;
  if (!path_prefix.empty()) j["path_prefix"] = path_prefix;
  if (action == "error") j.update({{"status", status}, {"code", code}, {"type", type}, {"message", message}});
  if (action == "rate_limit") j["retry_s"] = retry_s;
  if (action == "stall") j["stall_ms"] = stall_ms;
  return j;
}

void FaultBook::add(const json& body) {
  std::vector<Fault> parsed;
  if (body.is_object() && body.contains("faults")) {
    if (!body["faults"].is_array()) throw std::invalid_argument("faults must be an array");
    for (const auto& f : body["faults"]) parsed.push_back(parse_fault(f));
  } else {
    parsed.push_back(parse_fault(body));
  }
  std::lock_guard lock(mu_);
  faults_.insert(faults_.end(), parsed.begin(), parsed.end());
}

std::optional<Fault> FaultBook::take(const std::string& method, const std::string& path) {
  std::lock_guard lock(mu_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!it->matches(method, path)) continue;
    Fault f = *it;
    if (--it->remaining == 0) faults_.erase(it);
    return f;
  }
  return std::nullopt;
}

json FaultBook::to_json() const {
  std::lock_guard lock(mu_);
  json a = json::array();
  for (const auto& f : faults_) a.push_back(f.to_json());
  return a;
}

void FaultBook::clear() {
  std::lock_guard lock(mu_);
  faults_.clear();
}

}  // namespace pgsim
