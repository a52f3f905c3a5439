// Payment intents the screen tests encode.
#pragma once

#include <cstddef>
#include <string_view>

namespace posagent::test {

// A UPI intent as the gateway's "order pay" (channel link) returns it.
inline constexpr std::string_view kUpiIntent =
    "upi://pay?pa=posagent.merchant@pgsim&pn=posagent%20merchant&am=499.00&tr=5123456789&tn=Counter%203%20sale&cu=INR";

// A long sandbox https payment link: a session id, order details and a
// percent-encoded return URL (443 bytes).
inline constexpr std::string_view kLongHttpsIntent =
    "https://sandbox.cashfree.com/pg/view/sessions/checkout?payment_session_id="
    "session_PVXbmqCZlqHdvL-FwP1VQa7kyUkaPpgbwx7sHMkR1Tu1VNqK6G7VYyk8E8b5bS3JUmuH0WzqLx2M9n4r1ZKTpa5OQw8y0Ygs0iHXo9fQ1SeEc5q9Br3Xy"
    "payment&order_id=order_posagent_20250101_0001&cf_payment_id=5114910123456&amount=499.00&currency=INR"
    "&terminal_id=TERM-0003&merchant=posagent%20merchant"
    "&return_url=https%3A%2F%2Fposagent.example%2Freturn%3Forder_id%3Dorder_posagent_20250101_0001";

// A UPI intent whose note is padded to exactly `size` bytes, written into
// buffer (which must hold size bytes).
inline std::string_view padded_intent(char* buffer, std::size_t size) {
  constexpr std::string_view head =
      "upi://pay?pa=posagent.merchant@pgsim&pn=posagent%20merchant&am=499.00&tr=5123456789&cu=INR&tn=";
  constexpr std::string_view note = "Counter%203%20sale%20";
  for (std::size_t i = 0; i < size; ++i) {
    buffer[i] = i < head.size() ? head[i] : note[(i - head.size()) % note.size()];
  }
  return {buffer, size};
}

}  // namespace posagent::test
