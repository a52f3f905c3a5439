// CardData is wiped to the last byte by wipe() and by its destructor.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <new>
#include <span>

#include "core/base/secure_wipe.hpp"
#include "core/base/status.hpp"
#include "core/card/card_data.hpp"
#include "tests/card/card_test_cards.hpp"

using posagent::is_wiped;
using posagent::card::CardData;

namespace {

void fill_every_field(CardData& card) {
  posagent::card::test::make_token(card);
  (void)card.cvv.assign("1234");
  (void)card.holder_name.assign("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
  (void)card.number.assign("4111111111111111110");
}

std::span<const std::uint8_t> bytes_of(const void* object, std::size_t size) {
  return {static_cast<const std::uint8_t*>(object), size};
}

}  // namespace

TEST_CASE("wipe() zeroes every byte of a CardData") {
  CardData card;
  fill_every_field(card);
  CHECK_FALSE(is_wiped(bytes_of(&card, sizeof card)));
  card.wipe();
  CHECK(is_wiped(bytes_of(&card, sizeof card)));
  CHECK(card.empty());
  CHECK(card.kind == posagent::card::CardKind::kKeyEntered);
  CHECK(card.number.view().empty());
}

TEST_CASE("the destructor of a CardData zeroes every byte it held") {
  alignas(CardData) std::uint8_t storage[sizeof(CardData)];
  std::memset(storage, 0xA5, sizeof storage);
  CardData* card = new (storage) CardData;
  fill_every_field(*card);
  CHECK_FALSE(is_wiped(storage));
  card->~CardData();
  CHECK(is_wiped(storage));
}

TEST_CASE("a cancelled entry has its own status code") {
  CHECK(posagent::code_name(posagent::Code::kCancelled) == "CANCELLED");
  CHECK(posagent::code_name(posagent::Code::kTimeout) == "TIMEOUT");
}
