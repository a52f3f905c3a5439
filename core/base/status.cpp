#include "core/base/status.hpp"

namespace posagent {

std::string_view code_name(Code code) {
  switch (code) {
    case Code::kOk: return "OK";
    case Code::kInvalidArgument: return "INVALID_ARGUMENT";
    case Code::kOutOfRange: return "OUT_OF_RANGE";
    case Code::kCapacityExceeded: return "CAPACITY_EXCEEDED";
    case Code::kParseError: return "PARSE_ERROR";
    case Code::kProtocolError: return "PROTOCOL_ERROR";
    case Code::kTimeout: return "TIMEOUT";
    case Code::kCancelled: return "CANCELLED";
    case Code::kConnectionFailed: return "CONNECTION_FAILED";
    case Code::kConnectionClosed: return "CONNECTION_CLOSED";
    case Code::kIoError: return "IO_ERROR";
    case Code::kTlsError: return "TLS_ERROR";
    case Code::kCertificateInvalid: return "CERTIFICATE_INVALID";
    case Code::kNotFound: return "NOT_FOUND";
    case Code::kUnavailable: return "UNAVAILABLE";
    case Code::kInternal: return "INTERNAL";
  }
  return "UNKNOWN";
}

}  // namespace posagent
