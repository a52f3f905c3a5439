// Amount and duration formatting, shortening and wrapping of display text.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string_view>

#include "core/screens/text.hpp"

using posagent::Code;
using posagent::screens::format_amount;
using posagent::screens::format_duration;
using posagent::screens::Line;
using posagent::screens::shorten;
using posagent::screens::wrap;

namespace {

doctest::String str(std::string_view text) {
  return doctest::String(text.data(), static_cast<doctest::String::size_type>(text.size()));
}

// The formatted amount, or the refusal's code name.
doctest::String amount(std::int64_t paise) {
  const auto line = format_amount(paise);
  if (!line.ok()) return str(posagent::code_name(line.status().code()));
  return str(line->view());
}

doctest::String shortened(std::string_view text, std::size_t width = 20) { return str(shorten(text, width).view()); }

// The wrapped lines joined with '|'.
doctest::String wrapped(std::string_view text, std::size_t rows) {
  Line lines[8];
  const std::size_t used = wrap(text, std::span<Line>(lines, rows));
  doctest::String out;
  for (std::size_t i = 0; i < used; ++i) {
    if (i > 0) out += "|";
    out += str(lines[i].view());
    CHECK(lines[i].size() <= 20);
  }
  return out;
}

}  // namespace

TEST_CASE("amounts: rupees from integer paise, two decimals, Indian grouping") {
  CHECK(amount(0) == "Rs 0.00");
  CHECK(amount(1) == "Rs 0.01");
  CHECK(amount(10) == "Rs 0.10");
  CHECK(amount(100) == "Rs 1.00");
  CHECK(amount(49900) == "Rs 499.00");
  CHECK(amount(99999) == "Rs 999.99");
  CHECK(amount(100000) == "Rs 1,000.00");
  CHECK(amount(9999999) == "Rs 99,999.99");
  CHECK(amount(10000000) == "Rs 1,00,000.00");
  CHECK(amount(99999999) == "Rs 9,99,999.99");
  CHECK(amount(100000000) == "Rs 10,00,000.00");  // the gateway's largest order: 15 chars
  CHECK(amount(100000001) == "OUT_OF_RANGE");
  CHECK(amount(-1) == "OUT_OF_RANGE");
  CHECK(amount(std::numeric_limits<std::int64_t>::max()) == "OUT_OF_RANGE");
  CHECK(amount(std::numeric_limits<std::int64_t>::min()) == "OUT_OF_RANGE");
}

TEST_CASE("durations: m:ss, then h:mm:ss, capped") {
  CHECK(str(format_duration(0).view()) == "0:00");
  CHECK(str(format_duration(5).view()) == "0:05");
  CHECK(str(format_duration(60).view()) == "1:00");
  CHECK(str(format_duration(299).view()) == "4:59");
  CHECK(str(format_duration(3599).view()) == "59:59");
  CHECK(str(format_duration(3600).view()) == "1:00:00");
  CHECK(str(format_duration(3899).view()) == "1:04:59");
  CHECK(str(format_duration(359999).view()) == "99:59:59");
  CHECK(str(format_duration(360000).view()) == "99:59:59");
  CHECK(str(format_duration(std::numeric_limits<std::uint32_t>::max()).view()) == "99:59:59");
}

TEST_CASE("shorten keeps a line that fits and ends a longer one in ...") {
  CHECK(shortened("") == "");
  CHECK(shortened("posagent merchant") == "posagent merchant");
  CHECK(shortened("exactly twenty chars") == "exactly twenty chars");
  CHECK(shortened("twenty-one characters") == "twenty-one charac...");
  CHECK(shortened("posagent merchant services private limited") == "posagent merchant...");
  // Spaces before the cut are dropped, not left before "...".
  CHECK(shortened("abcdefghijklmnop     qrstuvwxyz") == "abcdefghijklmnop...");
  CHECK(shortened("abcdefghijklmnop qrstuvwxyz") == "abcdefghijklmnop...");
  CHECK(shortened("512345678901234567890", 16) == "5123456789012...");
  CHECK(shortened("512345678901", 16) == "512345678901");
  CHECK(shortened("abcdef", 3) == "abc");
  CHECK(shortened("a very long text that keeps going", 40) == "a very long text...");  // width <= 20
}

TEST_CASE("shorten cleans text: ASCII only, one ? per non-ASCII character, spaces collapsed") {
  CHECK(shortened("Caf\xc3\xa9 Coffee") == "Caf? Coffee");
  CHECK(shortened("\xe2\x82\xb9 499") == "? 499");                      // the rupee sign
  CHECK(shortened("\xf0\x9f\x98\x80 ok") == "? ok");                    // a four-byte character
  CHECK(shortened("tab\there\nnext\r\nline") == "tab here next line");
  CHECK(shortened("  lead and trail  ") == "lead and trail");
  CHECK(shortened("bell\x07 esc\x1b[2J del\x7f") == "bell? esc?[2J del?");
  CHECK(shortened("stray \x80\xbf continuation") == "stray continuation");
  CHECK(shortened(std::string_view("nul\0byte", 8)) == "nul?byte");
}

TEST_CASE("wrap breaks at spaces, splits long words, shortens the last line") {
  CHECK(wrapped("", 3) == "");
  CHECK(wrapped("   ", 3) == "");
  CHECK(wrapped("Checking payment", 3) == "Checking payment");
  CHECK(wrapped("Network down, the payment may still complete", 3) ==
        "Network down, the|payment may still|complete");
  // A space right after 20 characters: the line takes all 20.
  CHECK(wrapped("exactly twenty chars and more", 3) == "exactly twenty chars|and more");
  CHECK(wrapped("averyveryverylongwordthatcannotfit here", 3) == "averyveryverylongwor|dthatcannotfit here");
  CHECK(wrapped("one two three four five six seven eight nine ten eleven twelve thirteen", 2) ==
        "one two three four|five six seven ei...");
  CHECK(wrapped("one two three four five six seven eight nine ten eleven twelve thirteen", 1) ==
        "one two three fou...");
  CHECK(wrapped("short", 0) == "");
  // Text far beyond what is kept still ends in "..." on the last line.
  char flood[600];
  for (std::size_t i = 0; i < sizeof flood; ++i) flood[i] = (i % 7 == 6) ? ' ' : 'x';
  CHECK(wrapped(std::string_view(flood, sizeof flood), 8) ==
        "xxxxxx xxxxxx xxxxxx|xxxxxx xxxxxx xxxxxx|xxxxxx xxxxxx xxxxxx|xxxxxx xxxxxx xxxxxx|"
        "xxxxxx xxxxxx xxxxxx|xxxxxx xxxxxx xxxxxx|xxxxxx xxxxxx xxxxxx|xxxxxx xxxxxx xxx...");
}
