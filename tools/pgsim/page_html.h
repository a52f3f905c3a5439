// What pgsim's HTML pages share (pages.cpp, card_pages.cpp).
#pragma once

#include <cstdint>
#include <string>

namespace pgsim {

std::string rupees(int64_t paise);  // "&#8377;499.00"
// A whole HTML document: `title` is escaped, `body` is used as given.
std::string page(const std::string& title, const std::string& body);

}  // namespace pgsim
