#include "gateway_test_support.hpp"

#include <doctest/doctest.h>

#include <array>

#include "core/http/request_writer.hpp"

namespace gateway_test {

using posagent::FixedString;
using posagent::gateway::PgConfig;
using posagent::gateway::TerminalProvisioning;

namespace {
// File-scope arrays (see tests/json/json_test_support.cpp on ASan redzones).
FixedString<4096> g_repeat[4];
FixedString<16384> g_concat[4];
FixedString<16384> g_answer[4];
}  // namespace

PgConfig sandbox_config() {
  PgConfig c;
  (void)c.host.assign("sandbox.cashfree.com");
  c.port = 443;
  (void)c.client_id.assign("TEST_CLIENT_ID");
  (void)c.client_secret.assign("cfsk_ma_test_SECRET");
  return c;
}

TerminalProvisioning test_terminal() {
  TerminalProvisioning t;
  (void)t.terminal_id.assign("T-0001");
  (void)t.terminal_phone_no.assign("9123456780");
  (void)t.terminal_name.assign("Counter 3");
  (void)t.terminal_address.assign("12 MG Road, Bengaluru");
  (void)t.terminal_note.assign("front desk");
  return t;
}

std::string_view repeat(char c, std::size_t n, int slot) {
  FixedString<4096>& out = g_repeat[slot];
  REQUIRE(n <= out.capacity());
  out.clear();
  for (std::size_t i = 0; i < n; ++i) (void)out.push_back(c);
  return out.view();
}

std::string_view concat(std::initializer_list<std::string_view> parts, int slot) {
  FixedString<16384>& out = g_concat[slot];
  out.clear();
  for (std::string_view part : parts) REQUIRE(out.append(part));
  return out.view();
}

std::string_view http_answer(int status, std::string_view reason, std::string_view headers, std::string_view body,
                             int slot) {
  FixedString<16384>& out = g_answer[slot];
  out.clear();
  char digits[12];
  auto number = [&digits](std::size_t value) {
    std::size_t n = 0;
    do {
      digits[n++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value > 0);
    for (std::size_t i = 0; i < n / 2; ++i) {
      const char t = digits[i];
      digits[i] = digits[n - 1 - i];
      digits[n - 1 - i] = t;
    }
    return std::string_view(digits, n);
  };
  REQUIRE(out.append("HTTP/1.1 "));
  REQUIRE(out.append(number(static_cast<std::size_t>(status))));
  REQUIRE(out.push_back(' '));
  REQUIRE(out.append(reason));
  REQUIRE(out.append("\r\nContent-Type: application/json\r\n"));
  REQUIRE(out.append(headers));
  REQUIRE(out.append("Content-Length: "));
  REQUIRE(out.append(number(body.size())));
  REQUIRE(out.append("\r\n\r\n"));
  REQUIRE(out.append(body));
  return out.view();
}

void key_entered_card(posagent::card::CardData& card, std::string_view number, std::string_view mm,
                      std::string_view yy, std::string_view cvv, std::string_view holder) {
  card.wipe();
  card.kind = posagent::card::CardKind::kKeyEntered;
  const auto set = [](auto& field, std::string_view text) {
    if (!text.empty()) REQUIRE(field.assign(text));
  };
  set(card.number, number);
  set(card.expiry_mm, mm);
  set(card.expiry_yy, yy);
  set(card.cvv, cvv);
  // Not assign() of a default view: memmove from a null pointer is UB even
  // for zero bytes.
  if (!holder.empty()) REQUIRE(card.holder_name.assign(holder));
}

void token_card(posagent::card::CardData& card, std::string_view number, std::string_view mm, std::string_view yy,
                std::string_view cryptogram, std::string_view token_requestor_id, std::string_view last_four) {
  card.wipe();
  card.kind = posagent::card::CardKind::kNetworkToken;
  const auto set = [](auto& field, std::string_view text) {
    if (!text.empty()) REQUIRE(field.assign(text));
  };
  set(card.number, number);
  set(card.expiry_mm, mm);
  set(card.expiry_yy, yy);
  set(card.cryptogram, cryptogram);
  set(card.token_requestor_id, token_requestor_id);
  set(card.last_four, last_four);
}

bool holds(std::span<const std::uint8_t> bytes, std::string_view text) {
  if (text.empty() || text.size() > bytes.size()) return false;
  for (std::size_t at = 0; at + text.size() <= bytes.size(); ++at) {
    if (std::memcmp(bytes.data() + at, text.data(), text.size()) == 0) return true;
  }
  return false;
}

bool arena_holds(posagent::JsonArenaBase& arena, std::string_view text) {
  // Every byte any document ever used lies below the peak; a reset arena
  // hands them out again from the start, and asking for no more than the
  // peak leaves the peak as it was.
  const std::size_t used = arena.peak();
  arena.reset();
  if (used == 0) return false;
  const void* all = arena.allocate(used);
  REQUIRE(all != nullptr);
  const bool found = holds(std::span<const std::uint8_t>(static_cast<const std::uint8_t*>(all), used), text);
  arena.reset();
  return found;
}

std::string_view body_of(const posagent::gateway::PgRequest& r) {
  return {reinterpret_cast<const char*>(r.body().data()), r.body().size()};
}

std::string_view wire(const posagent::gateway::PgRequest& r) {
  static std::array<char, 4096> buffer;
  const posagent::Result<std::size_t> n = posagent::http::write_request(r.http_request(), buffer);
  REQUIRE(n.ok());
  return {buffer.data(), *n};
}

posagent::FixedString<1024> header_lines(const posagent::gateway::PgRequest& r) {
  posagent::FixedString<1024> out;
  for (const posagent::http::Header& h : r.headers()) {
    REQUIRE(out.append(h.name));
    REQUIRE(out.append(": "));
    REQUIRE(out.append(h.value));
    REQUIRE(out.push_back('\n'));
  }
  return out;
}

}  // namespace gateway_test
