#include "cards.h"

#include "ids.h"
#include "lifecycle.h"
#include "preauth.h"

namespace pgsim {
namespace {

// The sandbox test cards (also in CARDS.md). All are Indian cards (card
// country IN); every one expects the OTP given by --card-otp (111000).
// Numbers not listed here approve too, when their network is accepted.
struct TestCard {
  const char* number;
  const char* type;
  const char* bank_name;
  CardOutcome outcome;
};
constexpr TestCard kTestCards[] = {
    {"4111111111111111", "credit_card", "HDFC Bank", CardOutcome::Approve},  // Cashfree's sandbox test card
    {"5555555555554444", "debit_card", "ICICI Bank", CardOutcome::Approve},
    {"6521500000000006", "debit_card", "State Bank of India", CardOutcome::Approve},  // RuPay
    {"378282246310005", "credit_card", "American Express", CardOutcome::Approve},
    {"4000000000000002", "credit_card", "Axis Bank", CardOutcome::Decline},
    {"4000000000003220", "credit_card", "Kotak Mahindra Bank", CardOutcome::NoNativeOtp},
    {"4000000000000119", "credit_card", "Yes Bank", CardOutcome::BankDown},
};

// Saved cards: the two instrument ids in the 2025-01-01 spec's examples
// (saved_card and PaymentMethodCardInPaymentsEntity), each standing for a
// test card above.
struct SavedInstrument {
  const char* id;
  const char* number;
};
constexpr SavedInstrument kSavedCards[] = {
    {"54deabb4-ba45-4a60-9e6a-9c016fe7ab10", "4111111111111111"},
    {"3fc5814b-e732-4a71-b2ee-94b4f147d9e1", "5555555555554444"},
};

// FAILED with error_details that say who declined and why (settle's
// defaults describe a customer's decline).
void fail(State& st, Payment& p, int64_t now, const std::string& source, const std::string& code,
          const std::string& description, const std::string& reason, const std::string& error_source) {
  if (!settle(st, p, "FAILED", now, source, code)) return;
  p.error_details["error_description"] = description;
  p.error_details["error_reason"] = reason;
  p.error_details["error_source"] = error_source;
}

}  // namespace

bool luhn_valid(const std::string& digits) {
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice && (d *= 2) > 9) d -= 9;
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

std::string card_network(const std::string& pan) {
  const int p2 = std::stoi(pan.substr(0, 2));
  const int p3 = std::stoi(pan.substr(0, 3));
  const int p4 = std::stoi(pan.substr(0, 4));
  if (pan[0] == '4') return "visa";
  if (p2 == 34 || p2 == 37) return "amex";
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return "mastercard";
  if (p4 == 6011 || (p3 >= 644 && p3 <= 649)) return "";  // Discover, before RuPay's 65
  if (p2 == 60 || p2 == 65 || p2 == 81 || p2 == 82 || p3 == 508) return "rupay";
  return "";
}

CardProfile card_profile(const std::string& pan) {
  CardProfile p{card_network(pan), "credit_card", "pgsim Test Bank", CardOutcome::Approve};
  for (const auto& t : kTestCards) {
    if (pan != t.number) continue;
    p.type = t.type;
    p.bank_name = t.bank_name;
    p.outcome = t.outcome;
  }
  return p;
}

std::string mask_pan(const std::string& pan) {
  return pan.substr(0, 6) + std::string(pan.size() - 10, 'x') + pan.substr(pan.size() - 4);
}

std::optional<SavedCard> find_saved_card(const std::string& instrument_id) {
  for (const auto& s : kSavedCards)
    if (instrument_id == s.id) return SavedCard{mask_pan(s.number), card_profile(s.number)};
  return std::nullopt;
}

AuthResult submit_otp(State& st, const Config& cfg, Payment& p, CardSession& s, const std::string& otp, int64_t now,
                      const std::string& source) {
  if (otp == cfg.card_otp) {
    if (s.bank_declines) {
      fail(st, p, now, source, "TRANSACTION_DECLINED", "issuer bank or payment service provider declined the transaction",
           "bank_rejected", "bank");
      return {true, "otp verified; the issuing bank declined the payment"};
    }
    settle(st, p, "SUCCESS", now, source);
    return {true, s.auth_only ? "otp verified; the payment is authorised" : "otp verified; the payment is successful"};
  }
  if (++s.wrong_otps < kMaxWrongOtps) return {false, "otp is invalid"};
  fail(st, p, now, source, "AUTHENTICATION_FAILED", "the customer entered a wrong OTP 3 times",
       "authentication_failed", "customer");
  return {false, "otp is invalid; 3 wrong attempts, the payment has failed"};
}

AuthResult resend_otp(CardSession& s, int64_t now) {
  if (s.resends >= kMaxResends) return {false, "otp can be resent at most 2 times"};
  if (now < s.otp_sent_ms + kResendGapMs) {
    const int64_t wait_s = (s.otp_sent_ms + kResendGapMs - now + 999) / 1000;
    return {false, "otp can be resent 30 seconds after the last one; retry in " + std::to_string(wait_s) + " s"};
  }
  ++s.resends;
  s.otp_sent_ms = now;
  return {true, "otp resent"};
}

void card_authorised(State& st, Payment& p) {
  p.auth_id = "A" + random_digits(6);  // the spec's example: "A898101"
  p.card["card_network_reference_id"] = random_digits(15);
  auto s = st.card_sessions.find(p.cf_payment_id);
  if (s != st.card_sessions.end() && s->second.auth_only) p.authorization = pending_authorization();
}

}  // namespace pgsim
