// Card reader backend: one card set by a test or posagent-sim's command line,
// or read from a file, presented once.
#pragma once

#include <string_view>

#include "core/card/card_data.hpp"
#include "hal/card_reader.hpp"

namespace posagent::hal::sim {

// Holds at most one card. read_card hands it out once (copied field by field,
// then this copy is wiped); after that, or before any card was set, it is
// kNotFound "No card presented". The destructor wipes the held card
// (CardData's own destructor).
//
// The setters refuse only what does not fit a CardData field, an empty
// number or an expiry that is not "MM/YY" or "MMYY": whether the digits make
// a valid card is check_card's to say, so a simulated card can be a bad one.
// A refused setter leaves no card held.
class SimCardReader final : public CardReader {
 public:
  SimCardReader() = default;
  SimCardReader(const SimCardReader&) = delete;
  SimCardReader& operator=(const SimCardReader&) = delete;

  Status set_key_entered(std::string_view number, std::string_view expiry, std::string_view cvv,
                         std::string_view holder_name = {});
  Status set_token(std::string_view number, std::string_view expiry, std::string_view cryptogram,
                   std::string_view token_requestor_id, std::string_view last_four);

  // A file of "key=value" lines: number, expiry, cvv, name, cryptogram,
  // token_requestor_id, last_four. Blank lines and lines starting with '#'
  // are skipped; spaces around keys and values are ignored. With a
  // cryptogram the card is a network token (cvv then refused), without one
  // key-entered (token_requestor_id and last_four then refused). An unknown
  // or repeated key, or a line without '=', is kParseError with the line
  // number as detail. The bytes read are wiped once parsed.
  Status load(const char* path);

  bool has_card() const { return !held_.empty(); }

  Status read_card(card::CardData& out, Millis deadline) override;

 private:
  card::CardData held_;
};

}  // namespace posagent::hal::sim
