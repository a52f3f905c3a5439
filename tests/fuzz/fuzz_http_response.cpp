// libFuzzer target: arbitrary bytes as an HTTP response, fed to the parser
// in slices whose sizes the input chooses. Whatever arrives, the parser must
// not crash, and a response it calls complete must fit its buffers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/http/response_parser.hpp"

using namespace posagent;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // The first byte picks the slice size (1..16), so split tokens get covered.
  const std::size_t slice = (data[0] & 0x0F) + 1;
  data += 1;
  size -= 1;

  static std::uint8_t body[256];
  http::HeaderCapture headers[] = {{"content-type", {}, false}, {"x-ratelimit-retry", {}, false}};
  http::Response response(headers, body);
  http::ResponseParser parser;
  if (!parser.begin(response).ok()) std::abort();

  std::size_t at = 0;
  bool failed = false;
  while (at < size && !parser.complete()) {
    const std::size_t n = size - at < slice ? size - at : slice;
    Result<std::size_t> used = parser.feed({data + at, n});
    if (!used.ok()) {
      failed = true;
      break;
    }
    if (*used > n) std::abort();
    at += *used;
    if (*used < n) break;
  }
  if (!failed && !parser.complete()) (void)parser.finish();

  if (response.complete()) {
    if (response.body().size() > sizeof(body)) std::abort();
    if (response.status_code() < 100 || response.status_code() > 999) std::abort();
    for (const http::HeaderCapture& h : headers) {
      if (h.value.size() > http::kHeaderValueCapacity) std::abort();
    }
  }
  return 0;
}
