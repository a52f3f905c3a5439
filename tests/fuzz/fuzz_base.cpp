// libFuzzer target for core/base's text parsers, with round-trip properties:
// whatever Money, Timestamp and base64 accept, they format back to text that
// parses to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "core/base/base64.hpp"
#include "core/base/money.hpp"
#include "core/base/timestamp.hpp"

using namespace posagent;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  Result<Money> money = Money::parse(text);
  if (money.ok()) {
    Result<Money> again = Money::parse(money->format().view());
    if (!again.ok() || !(*again == *money)) std::abort();
  }

  Result<Timestamp> time = Timestamp::parse(text);
  if (time.ok()) {
    Result<Timestamp> again = Timestamp::parse(time->format().view());
    if (!again.ok() || again->unix_seconds() != time->unix_seconds()) std::abort();
  }

  // Decoding is strict (canonical padding), so encoding what it accepted
  // must give back exactly the input.
  static std::uint8_t decoded[1024];
  static char encoded[2048];
  if (size <= 1024) {
    Result<std::size_t> n = base64_decode(text, decoded);
    if (n.ok()) {
      Result<std::size_t> m = base64_encode({decoded, *n}, encoded);
      if (!m.ok() || std::string_view(encoded, *m) != text) std::abort();
    }
  }
  return 0;
}
