// Copies text into a smaller fixed string, cut at a UTF-8 character
// boundary: for reasons and messages shown on a screen or kept in the
// journal, never for ids (an id that does not fit is refused, not cut).
#pragma once

#include <string_view>

#include "core/base/fixed_string.hpp"

namespace posagent::agent {

template <std::size_t N>
void assign_cut(FixedString<N>& out, std::string_view text) {
  if (text.size() > N) {
    std::size_t n = N;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // a continuation byte
    text = text.substr(0, n);
  }
  (void)out.assign(text);
}

}  // namespace posagent::agent
