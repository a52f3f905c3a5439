// Every screen's lines, exactly, through a recording display.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

#include "core/screens/screens.hpp"
#include "qrcodegen.h"
#include "tests/screens/intents.hpp"
#include "tests/screens/recording_display.hpp"

using posagent::Code;
using posagent::screens::AmountEntry;
using posagent::screens::Error;
using posagent::screens::Outcome;
using posagent::screens::Qr;
using posagent::screens::QrCode;
using posagent::screens::Waiting;
using posagent::test::RecordingDisplay;
namespace screens = posagent::screens;

namespace {

constexpr const char* kLongPayee = "posagent merchant services private limited";

// One finished frame: cleared once, presented once, nothing overlong.
void check_one_frame(const RecordingDisplay& d) {
  CHECK(d.calls().clear == 1);
  CHECK(d.calls().present == 1);
  CHECK(d.overlong() == 0);
  CHECK(d.rows_out_of_range() == 0);
  CHECK(d.rows_used() <= screens::kMaxRows);
}

// The amount-entry rows for the typed digits.
struct Typed {
  doctest::String amount;
  Code code;
};
Typed type_digits(std::string_view digits) {
  RecordingDisplay d;
  const posagent::Status s = screens::draw(d, AmountEntry{digits});
  if (s.ok()) {
    check_one_frame(d);
    CHECK(d.row(0) == "Enter amount");
    CHECK(d.status_line() == "Enter to continue");
    CHECK(d.rows_used() == 2);
  } else {
    CHECK(d.calls().total() == 0);  // a refused screen draws nothing
  }
  return {d.row(1), s.code()};
}

}  // namespace

TEST_CASE("AmountEntry shows the typed digits as paise") {
  CHECK(type_digits("").amount == "Rs 0.00");
  CHECK(type_digits("0").amount == "Rs 0.00");
  CHECK(type_digits("1").amount == "Rs 0.01");
  CHECK(type_digits("100").amount == "Rs 1.00");
  CHECK(type_digits("49900").amount == "Rs 499.00");
  CHECK(type_digits("9999999").amount == "Rs 99,999.99");
  CHECK(type_digits("100000000").amount == "Rs 10,00,000.00");
  CHECK(type_digits("000000000000000000000000049900").amount == "Rs 499.00");
  CHECK(type_digits("100000001").code == Code::kOutOfRange);
  CHECK(type_digits("99999999999999999999999999999999").code == Code::kOutOfRange);
  CHECK(type_digits("12a").code == Code::kInvalidArgument);
  CHECK(type_digits("-1").code == Code::kInvalidArgument);
  CHECK(type_digits("4.99").code == Code::kInvalidArgument);
}

TEST_CASE("Qr shows the code with the amount, payee and time left under it") {
  static QrCode code;
  RecordingDisplay d;
  REQUIRE(screens::draw(d, Qr{posagent::test::kUpiIntent, 49900, "posagent merchant", 299}, code).ok());
  check_one_frame(d);
  CHECK(d.calls().bitmap == 1);
  CHECK(d.row(0) == "Scan to pay");
  CHECK(d.row(1) == "Rs 499.00");
  CHECK(d.row(2) == "posagent merchant");
  CHECK(d.rows_used() == 3);
  CHECK(d.status_line() == "Time left 4:59");

  SUBCASE("the bitmap is the intent's QR code, module for module, with a light quiet zone") {
    static std::uint8_t expected[qrcodegen_BUFFER_LEN_MAX];
    static std::uint8_t temp[qrcodegen_BUFFER_LEN_MAX];
    static char z[256];
    std::memcpy(z, posagent::test::kUpiIntent.data(), posagent::test::kUpiIntent.size());
    z[posagent::test::kUpiIntent.size()] = '\0';
    REQUIRE(qrcodegen_encodeText(z, temp, expected, qrcodegen_Ecc_MEDIUM, 1, 40, qrcodegen_Mask_AUTO, true));
    const int size = qrcodegen_getSize(expected);
    const int q = QrCode::kQuietZone;
    REQUIRE(d.image().width == size + 2 * q);
    REQUIRE(d.image().height == size + 2 * q);
    int wrong = 0;
    for (int y = 0; y < size + 2 * q; ++y) {
      for (int x = 0; x < size + 2 * q; ++x) {
        if (d.dark(static_cast<std::uint16_t>(x), static_cast<std::uint16_t>(y)) !=
            qrcodegen_getModule(expected, x - q, y - q)) {
          ++wrong;
        }
      }
    }
    CHECK(wrong == 0);
  }
  SUBCASE("time-left updates touch only the status line") {
    const RecordingDisplay::Calls before = d.calls();
    screens::update_time_left(d, 298);
    CHECK(d.calls().status == before.status + 1);
    CHECK(d.calls().present == before.present + 1);
    CHECK(d.calls().clear == before.clear);
    CHECK(d.calls().text == before.text);
    CHECK(d.calls().bitmap == before.bitmap);
    CHECK(d.status_line() == "Time left 4:58");
    CHECK(d.row(0) == "Scan to pay");
    CHECK(d.row(1) == "Rs 499.00");
    CHECK(d.image().width == code.bitmap().width);
    screens::update_time_left(d, 0);
    CHECK(d.status_line() == "Time left 0:00");
    screens::update_time_left(d, 3725);
    CHECK(d.status_line() == "Time left 1:02:05");
    CHECK(d.calls().clear == 1);
    CHECK(d.calls().bitmap == 1);
  }
}

TEST_CASE("Qr shortens a long payee, omits an empty one, shows the amount edges") {
  static QrCode code;
  {
    RecordingDisplay d;
    REQUIRE(screens::draw(d, Qr{posagent::test::kUpiIntent, 100000000, kLongPayee, 0}, code).ok());
    check_one_frame(d);
    CHECK(d.row(1) == "Rs 10,00,000.00");
    CHECK(d.row(2) == "posagent merchant...");
    CHECK(d.status_line() == "Time left 0:00");
  }
  {
    RecordingDisplay d;
    REQUIRE(screens::draw(d, Qr{posagent::test::kUpiIntent, 1, "", 600}, code).ok());
    check_one_frame(d);
    CHECK(d.row(1) == "Rs 0.01");
    CHECK(d.rows_used() == 2);
    CHECK(d.status_line() == "Time left 10:00");
  }
}

TEST_CASE("Qr takes a 512-byte intent and refuses a longer one without drawing") {
  static QrCode code;
  static char text[QrCode::kMaxTextBytes + 8];
  {
    RecordingDisplay d;
    const std::string_view longest = posagent::test::padded_intent(text, 512);
    REQUIRE(screens::draw(d, Qr{longest, 49900, "posagent merchant", 300}, code).ok());
    check_one_frame(d);
    CHECK(d.image().width == 89 + 2 * QrCode::kQuietZone);
  }
  for (std::size_t size : {513u, 514u, 520u}) {
    RecordingDisplay d;
    const posagent::Status s =
        screens::draw(d, Qr{posagent::test::padded_intent(text, size), 49900, "posagent merchant", 300}, code);
    CHECK(s.code() == Code::kCapacityExceeded);
    CHECK(d.calls().total() == 0);
    CHECK(code.size() == 89);  // the code on show is left alone
  }
  {
    RecordingDisplay d;
    CHECK(screens::draw(d, Qr{"", 49900, "posagent merchant", 300}, code).code() == Code::kInvalidArgument);
    CHECK(screens::draw(d, Qr{posagent::test::kUpiIntent, 100000001, "x", 300}, code).code() == Code::kOutOfRange);
    CHECK(screens::draw(d, Qr{posagent::test::kUpiIntent, -100, "x", 300}, code).code() == Code::kOutOfRange);
    CHECK(d.calls().total() == 0);
  }
}

TEST_CASE("Waiting wraps its text and counts checks in the status line") {
  RecordingDisplay d;
  screens::draw(d, Waiting{"Checking payment", 0});
  check_one_frame(d);
  CHECK(d.row(0) == "Checking payment");
  CHECK(d.rows_used() == 1);
  CHECK(d.status_line() == "");

  const RecordingDisplay::Calls before = d.calls();
  screens::update_progress(d, 3);
  CHECK(d.status_line() == "Check 3");
  CHECK(d.calls().text == before.text);
  CHECK(d.calls().clear == before.clear);
  CHECK(d.calls().present == before.present + 1);
  screens::update_progress(d, 4294967295u);
  CHECK(d.status_line() == "Check 4294967295");
  CHECK(d.overlong() == 0);

  RecordingDisplay wrapped;
  screens::draw(wrapped, Waiting{"Cancelling the order and confirming its final state with the gateway", 12});
  check_one_frame(wrapped);
  CHECK(wrapped.row(0) == "Cancelling the order");
  CHECK(wrapped.row(1) == "and confirming its");
  CHECK(wrapped.row(2) == "final state with...");
  CHECK(wrapped.rows_used() == 3);
  CHECK(wrapped.status_line() == "Check 12");
}

namespace {

struct Shown {
  doctest::String rows[screens::kMaxRows];
  doctest::String status;
  int used;
  Code code;
};

Shown show(Outcome outcome, std::int64_t paise, std::string_view detail) {
  RecordingDisplay d;
  const posagent::Status s = screens::draw(d, screens::Result{outcome, paise, detail});
  check_one_frame(d);
  Shown shown{{d.row(0), d.row(1), d.row(2), d.row(3)}, d.status_line(), d.rows_used(), s.code()};
  return shown;
}

}  // namespace

TEST_CASE("Result: PAID with the amount and the UTR") {
  for (const auto& [paise, text] : {std::pair<std::int64_t, const char*>{1, "Rs 0.01"},
                                    {100, "Rs 1.00"},
                                    {49900, "Rs 499.00"},
                                    {9999999, "Rs 99,999.99"},
                                    {100000000, "Rs 10,00,000.00"}}) {
    const Shown s = show(Outcome::kPaid, paise, "512345678901");
    CHECK(s.rows[0] == "PAID");
    CHECK(s.rows[1] == text);
    CHECK(s.rows[2] == "UTR 512345678901");
    CHECK(s.used == 3);
    CHECK(s.status == "");
    CHECK(s.code == Code::kOk);
  }
  const Shown long_utr = show(Outcome::kPaid, 49900, "UTR-ABCDEFGHIJKLMNOPQRSTUVWXYZ");
  CHECK(long_utr.rows[2] == "UTR UTR-ABCDEFGHI...");
  const Shown no_utr = show(Outcome::kPaid, 49900, "");
  CHECK(no_utr.used == 2);
}

TEST_CASE("Result: FAILED, EXPIRED and CANCELLED with a short reason") {
  const Shown failed = show(Outcome::kFailed, 49900, "Insufficient funds");
  CHECK(failed.rows[0] == "FAILED");
  CHECK(failed.rows[1] == "Rs 499.00");
  CHECK(failed.rows[2] == "Insufficient funds");
  CHECK(failed.used == 3);
  CHECK(failed.status == "");

  const Shown long_reason = show(Outcome::kFailed, 49900, "The payer's bank declined the transaction (U30)");
  CHECK(long_reason.rows[2] == "The payer's bank...");
  CHECK(long_reason.used == 3);

  const Shown expired = show(Outcome::kExpired, 100000000, "QR not paid in time");
  CHECK(expired.rows[0] == "EXPIRED");
  CHECK(expired.rows[1] == "Rs 10,00,000.00");
  CHECK(expired.rows[2] == "QR not paid in time");

  const Shown cancelled = show(Outcome::kCancelled, 1, "");
  CHECK(cancelled.rows[0] == "CANCELLED");
  CHECK(cancelled.rows[1] == "Rs 0.01");
  CHECK(cancelled.used == 2);
}

TEST_CASE("Result: UNKNOWN says the result is not known and the record is kept") {
  const Shown unknown = show(Outcome::kUnknown, 49900, "ignored: the rows are fixed");
  CHECK(unknown.rows[0] == "Result unknown");
  CHECK(unknown.rows[1] == "Rs 499.00");
  CHECK(unknown.rows[2] == "Record kept");
  CHECK(unknown.rows[3] == "Do not charge again");
  CHECK(unknown.status == "Run recover");
  CHECK(unknown.used == 4);
}

TEST_CASE("Result: an amount that cannot be shown still shows the outcome") {
  const Shown s = show(Outcome::kPaid, 100000001, "512345678901");
  CHECK(s.code == Code::kOutOfRange);
  CHECK(s.rows[0] == "PAID");
  CHECK(s.rows[1] == "");
  CHECK(s.rows[2] == "UTR 512345678901");
}

TEST_CASE("Error wraps its text under the title") {
  RecordingDisplay d;
  screens::draw(d, Error{"Network down"});
  check_one_frame(d);
  CHECK(d.row(0) == "Error");
  CHECK(d.row(1) == "Network down");
  CHECK(d.rows_used() == 2);
  CHECK(d.status_line() == "");

  RecordingDisplay long_text;
  screens::draw(long_text,
                Error{"TLS handshake failed: the gateway's certificate is not valid yet; check the device clock "
                      "and try again"});
  check_one_frame(long_text);
  CHECK(long_text.row(0) == "Error");
  CHECK(long_text.row(1) == "TLS handshake");
  CHECK(long_text.row(2) == "failed: the");
  CHECK(long_text.row(3) == "gateway's certifi...");
  CHECK(long_text.rows_used() == 4);
}
