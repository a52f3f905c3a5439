#include "core/card/card_data.hpp"

#include "core/base/secure_wipe.hpp"

namespace posagent::card {

void CardData::wipe() {
  // Every field is inline storage of fixed size, so wiping the object wipes
  // them all; the empty strings' lengths are zero afterwards too.
  secure_wipe(static_cast<void*>(this), sizeof(*this));
  kind = CardKind::kKeyEntered;
}

}  // namespace posagent::card
