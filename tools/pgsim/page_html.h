// What pgsim's HTML pages share (pages.cpp, card_pages.cpp, flowwise_pages.cpp).
#pragma once

#include <cstdint>
#include <string>

namespace pgsim {

std::string rupees(int64_t paise);  // "&#8377;499.00"
// A whole HTML document: `title` is escaped, `body` is used as given.
std::string page(const std::string& title, const std::string& body);
// The customer's three choices on a pending payment, posted to `action`
// as decision=pay|decline|leave.
std::string decision_form(const std::string& action);
// pay -> SUCCESS, decline -> FAILED, leave -> USER_DROPPED; "" otherwise.
std::string decision_status(const std::string& decision);

}  // namespace pgsim
