// Create Payment with a card: the one request that carries card data. Kept
// apart so the secret's whole path is in one place:
//   CardData (caller's) -> checks (read in place, never copied to the stack)
//   -> cJSON strings in the arena -> the printed body in the body buffer
//   -> HttpClient's request buffer -> the wire.
// The arena is wiped here on every path; the body buffer here when the
// request is refused, else by HttpClient (the request's secret_source) as
// soon as the request is in the request buffer, which HttpClient wipes once
// it is sent or the send failed.
#include "core/base/secure_wipe.hpp"
#include "core/flowwise/fw_request.hpp"
#include "core/flowwise/fw_request_checks.hpp"

namespace posagent::flowwise {

using detail::all_digits;
using detail::invalid;

namespace {

bool is_month(std::string_view mm) {
  return mm.size() == 2 && all_digits(mm) && ((mm[0] == '0' && mm[1] != '0') || (mm[0] == '1' && mm[1] <= '2'));
}

bool is_year(std::string_view yy) { return yy.size() == 2 && all_digits(yy); }

// What the router would refuse anyway (pgsim: 12..19 digits and Luhn,
// 3 or 4 CVV digits, a month 01..12): refused here without a round trip.
// Whether the card has expired, and the Luhn check, are the router's.
FieldStatus check_card(const card::CardData& card) {
  const std::string_view number = card.number.view();
  if (number.size() < card::kPanMinDigits || number.size() > card::kPanMaxDigits || !all_digits(number)) {
    return invalid("card_number");
  }
  const bool has_expiry = !card.expiry_mm.empty() || !card.expiry_yy.empty();
  if (card.kind == card::CardKind::kKeyEntered || has_expiry) {
    if (!is_month(card.expiry_mm.view())) return invalid("card_expiry_mm");
    if (!is_year(card.expiry_yy.view())) return invalid("card_expiry_yy");
  }
  if (card.kind == card::CardKind::kKeyEntered) {
    if (card.cvv.size() < 3 || !all_digits(card.cvv.view())) return invalid("card_cvv");
    return FieldStatus();
  }
  if (card.kind != card::CardKind::kNetworkToken) return invalid("card");
  if (card.cryptogram.empty()) return invalid("cryptogram");
  if (card.token_requestor_id.empty()) return invalid("token_requestor_id");
  if (card.last_four.size() != card::kLastFourDigits || !all_digits(card.last_four.view())) {
    return invalid("card_display");
  }
  return FieldStatus();
}

}  // namespace

FieldStatus FwRequestBuilder::write_card_body(const FwCardPaymentRequest& pay, const card::CardData& card,
                                              const CallIds& ids, FwRequest& out) {
  if (!is_valid_order_hash(pay.order_hash)) return invalid("order_hash");
  if (!pay.return_base_url.empty() && !detail::is_return_url(pay.return_base_url)) return invalid("return_base_url");
  FW_TRY_FIELD(check_card(card));

  const std::string_view path[] = {"/order/pay/", pay.order_hash};
  FW_TRY_FIELD(start(http::Method::kPost, path, ids, out));

  JsonWriter writer(arena_);
  JsonObjectWriter root = writer.root();
  FW_TRY_WRITE(root.add_string("payment_method", "card"), "payment_method");
  Result<JsonObjectWriter> d = root.add_object("payment_method_details");
  FW_TRY_WRITE(d.status(), "payment_method_details");
  FW_TRY_WRITE(d->add_string("card_number", card.number.view()), "card_number");
  if (!card.expiry_mm.empty()) {
    FW_TRY_WRITE(d->add_string("card_expiry_mm", card.expiry_mm.view()), "card_expiry_mm");
    FW_TRY_WRITE(d->add_string("card_expiry_yy", card.expiry_yy.view()), "card_expiry_yy");
  }
  if (card.kind == card::CardKind::kKeyEntered) {
    FW_TRY_WRITE(d->add_string("card_cvv", card.cvv.view()), "card_cvv");
  } else {
    // A token carries a cryptogram instead of a CVV; a CVV is never sent.
    FW_TRY_WRITE(d->add_string("cryptogram", card.cryptogram.view()), "cryptogram");
    FW_TRY_WRITE(d->add_string("token_requestor_id", card.token_requestor_id.view()), "token_requestor_id");
    FW_TRY_WRITE(d->add_string("card_display", card.last_four.view()), "card_display");
  }
  if (!card.holder_name.empty()) {
    FW_TRY_WRITE(d->add_string("card_holder_name", card.holder_name.view()), "card_holder_name");
  }
  if (!pay.return_base_url.empty()) {
    FW_TRY_WRITE(root.add_string("return_base_url", pay.return_base_url), "return_base_url");
  }
  return print_body(writer, out);
}

FieldStatus FwRequestBuilder::card_payment(const FwCardPaymentRequest& pay, const card::CardData& card,
                                           const CallIds& ids, FwRequest& out) {
  const FieldStatus built = write_card_body(pay, card, ids, out);
  // Every card string cJSON copied is in the arena: gone now, success or not.
  arena_.wipe();
  if (!built.ok()) {
    // A print that failed part way leaves part of the body behind.
    secure_wipe(body_buffer_);
    out.body_ = {};
    out.secret_ = false;
    out.secret_source_ = {};
    return built;
  }
  out.secret_ = true;
  out.secret_source_ = std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(body_buffer_.data()),
                                               body_buffer_.size());
  return built;
}

}  // namespace posagent::flowwise
