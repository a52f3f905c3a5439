#include "core/card/card_check.hpp"

#include <cstddef>

namespace posagent::card {

namespace {

constexpr CardCheck kBadNumber{CardField::kNumber, "Check card number"};
constexpr CardCheck kBadExpiry{CardField::kExpiry, "Check expiry date"};
constexpr CardCheck kExpired{CardField::kExpiry, "Card expired"};
constexpr CardCheck kBadCvv{CardField::kCvv, "Check CVV"};
constexpr CardCheck kCvvOnToken{CardField::kCvv, "No CVV for a token"};
constexpr CardCheck kBadCryptogram{CardField::kCryptogram, "Check cryptogram"};
constexpr CardCheck kBadRequestorId{CardField::kTokenRequestorId, "Check requestor id"};
constexpr CardCheck kBadLastFour{CardField::kLastFour, "Check last 4 digits"};
constexpr CardCheck kBadHolderName{CardField::kHolderName, "Check holder name"};

// PCI DSS: at most the first six and last four digits may be shown; we also
// always hide at least six, so short numbers give up leading digits first.
constexpr std::size_t kMaxLeadingShown = 6;
constexpr std::size_t kMaxTrailingShown = 4;
constexpr std::size_t kMinHidden = 6;
constexpr std::size_t kTokenRequestorIdDigits = 11;

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

bool all_digits(std::string_view text) {
  for (const char c : text) {
    if (!is_digit(c)) return false;
  }
  return !text.empty();
}

std::size_t trailing_shown(std::size_t digits) {
  if (digits <= kMinHidden) return 0;
  const std::size_t spare = digits - kMinHidden;
  return spare < kMaxTrailingShown ? spare : kMaxTrailingShown;
}

std::size_t leading_shown(std::size_t digits) {
  const std::size_t trailing = trailing_shown(digits);
  if (digits <= kMinHidden + trailing) return 0;
  const std::size_t spare = digits - kMinHidden - trailing;
  return spare < kMaxLeadingShown ? spare : kMaxLeadingShown;
}

int two_digits(std::string_view text) { return (text[0] - '0') * 10 + (text[1] - '0'); }

bool valid_month(std::string_view mm) {
  if (mm.size() != 2 || !all_digits(mm)) return false;
  const int month = two_digits(mm);
  return month >= 1 && month <= 12;
}

// Base64 (with up to two '=' of padding at the end) or hex, which is a subset.
bool valid_cryptogram(std::string_view text) {
  if (text.empty()) return false;
  std::size_t padding = 0;
  for (const char c : text) {
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return false;  // padding only at the end
    if (!is_letter(c) && !is_digit(c) && c != '+' && c != '/') return false;
  }
  return padding <= 2 && padding < text.size();
}

// Optional; the capacity already bounds it to 26 characters.
bool valid_holder_name(std::string_view name) {
  for (const char c : name) {
    if (!is_letter(c) && c != ' ' && c != '.' && c != '\'' && c != '-') return false;
  }
  return true;
}

bool has_prefix_in(std::string_view number, std::size_t length, int low, int high) {
  if (number.size() < length) return false;
  int value = 0;
  for (std::size_t i = 0; i < length; ++i) value = value * 10 + (number[i] - '0');
  return value >= low && value <= high;
}

CardCheck check_expiry(const CardData& card, YearMonth today) {
  if (!valid_month(card.expiry_mm.view())) return kBadExpiry;
  if (card.expiry_yy.size() != 2 || !all_digits(card.expiry_yy.view())) return kBadExpiry;
  const int expiry_months = (2000 + two_digits(card.expiry_yy.view())) * 12 + two_digits(card.expiry_mm.view());
  const int today_months = today.year * 12 + today.month;
  if (expiry_months < today_months) return kExpired;
  return {};
}

CardCheck check_key_entered_fields(const CardData& card) {
  const std::size_t cvv_digits = card_network(card.number.view()) == CardNetwork::kAmex ? 4 : 3;
  if (card.cvv.size() != cvv_digits || !all_digits(card.cvv.view())) return kBadCvv;
  // Token fields on a key-entered card would be sent with it: refuse them.
  if (!card.cryptogram.empty()) return kBadCryptogram;
  if (!card.token_requestor_id.empty()) return kBadRequestorId;
  if (!card.last_four.empty()) return kBadLastFour;
  return {};
}

CardCheck check_token_fields(const CardData& card) {
  // The cryptogram authenticates a token; a CVV has no place in its request.
  if (!card.cvv.empty()) return kCvvOnToken;
  if (!valid_cryptogram(card.cryptogram.view())) return kBadCryptogram;
  if (card.token_requestor_id.size() != kTokenRequestorIdDigits || !all_digits(card.token_requestor_id.view())) {
    return kBadRequestorId;
  }
  if (card.last_four.size() != kLastFourDigits || !all_digits(card.last_four.view())) return kBadLastFour;
  return {};
}

}  // namespace

bool luhn_valid(std::string_view digits) {
  if (!all_digits(digits)) return false;
  int sum = 0;
  bool doubled = false;
  for (std::size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (doubled) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    doubled = !doubled;
  }
  return sum % 10 == 0;
}

CardCheck check_card(const CardData& card, YearMonth today) {
  const std::string_view number = card.number.view();
  if (number.size() < kPanMinDigits || number.size() > kPanMaxDigits || !luhn_valid(number)) return kBadNumber;
  const CardCheck expiry = check_expiry(card, today);
  if (!expiry.ok()) return expiry;
  const CardCheck fields =
      card.kind == CardKind::kNetworkToken ? check_token_fields(card) : check_key_entered_fields(card);
  if (!fields.ok()) return fields;
  if (!valid_holder_name(card.holder_name.view())) return kBadHolderName;
  return {};
}

CardNetwork card_network(std::string_view number) {
  if (!all_digits(number)) return CardNetwork::kOther;
  const auto prefix = [number](std::size_t length, int low, int high) {
    return has_prefix_in(number, length, low, high);
  };
  if (prefix(1, 4, 4)) return CardNetwork::kVisa;
  if (prefix(2, 34, 34) || prefix(2, 37, 37)) return CardNetwork::kAmex;
  if (prefix(2, 36, 36) || prefix(2, 38, 38) || prefix(3, 300, 305)) return CardNetwork::kDiners;
  // Before RuPay: 6011 lies inside RuPay's 60.
  if (prefix(4, 6011, 6011) || prefix(3, 644, 649)) return CardNetwork::kDiscover;
  if (prefix(2, 60, 60) || prefix(2, 65, 65) || prefix(3, 508, 508) || prefix(2, 81, 82) ||
      prefix(3, 353, 353) || prefix(3, 356, 356)) {
    return CardNetwork::kRupay;
  }
  if (prefix(2, 51, 55) || prefix(4, 2221, 2720)) return CardNetwork::kMastercard;
  return CardNetwork::kOther;
}

const char* to_string(CardNetwork network) {
  switch (network) {
    case CardNetwork::kVisa: return "VISA";
    case CardNetwork::kMastercard: return "MASTERCARD";
    case CardNetwork::kRupay: return "RUPAY";
    case CardNetwork::kAmex: return "AMEX";
    case CardNetwork::kDiners: return "DINERS";
    case CardNetwork::kDiscover: return "DISCOVER";
    case CardNetwork::kOther: return "OTHER";
  }
  return "OTHER";
}

FixedString<kPanMaxDigits> mask_pan(std::string_view number) {
  FixedString<kPanMaxDigits> masked;
  if (number.size() > kPanMaxDigits || !all_digits(number)) return masked;
  const std::size_t leading = leading_shown(number.size());
  const std::size_t trailing_from = number.size() - trailing_shown(number.size());
  for (std::size_t i = 0; i < number.size(); ++i) {
    (void)masked.push_back(i < leading || i >= trailing_from ? number[i] : 'X');
  }
  return masked;
}

FixedString<20> card_label(const CardData& card) {
  const CardNetwork network = card_network(card.number.view());
  FixedString<20> label(network == CardNetwork::kOther ? "CARD" : to_string(network));
  std::string_view last_four;
  if (card.kind == CardKind::kNetworkToken) {
    if (card.last_four.size() == kLastFourDigits && all_digits(card.last_four.view())) last_four = card.last_four.view();
  } else {
    const std::string_view number = card.number.view();
    if (all_digits(number) && number.size() <= kPanMaxDigits && trailing_shown(number.size()) == kLastFourDigits) {
      last_four = number.substr(number.size() - kLastFourDigits);
    }
  }
  if (!last_four.empty()) {
    (void)label.append(" XXXX");
    (void)label.append(last_four);
  }
  return label;
}

bool parse_expiry(std::string_view text, CardData& card) {
  std::string_view mm;
  std::string_view yy;
  if (text.size() == 5 && text[2] == '/') {
    mm = text.substr(0, 2);
    yy = text.substr(3, 2);
  } else if (text.size() == 4) {
    mm = text.substr(0, 2);
    yy = text.substr(2, 2);
  } else {
    return false;
  }
  if (!valid_month(mm) || !all_digits(yy)) return false;
  (void)card.expiry_mm.assign(mm);
  (void)card.expiry_yy.assign(yy);
  return true;
}

}  // namespace posagent::card
