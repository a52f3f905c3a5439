// Cards in pgsim's sandbox: the test cards and what each does, how a card
// number becomes the masked card a PaymentEntity shows, and the OTP rules
// that Native OTP (POST /orders/pay/authenticate) and pgsim's 3-D Secure page
// share. The test cards are listed in cards.cpp and in CARDS.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "routes.h"

namespace pgsim {

// What the card's bank does with a payment.
enum class CardOutcome {
  Approve,      // succeeds once the right OTP is entered
  Decline,      // the bank declines after the right OTP: FAILED
  NoNativeOtp,  // the bank has no Native OTP: channel post falls back to the 3-D Secure page
  BankDown,     // Order Pay answers 502 bank_processing_failure; no payment is created
};

struct CardProfile {
  std::string network;  // visa mastercard rupay amex
  std::string type;     // credit_card debit_card (also the PaymentEntity's payment_group)
  std::string bank_name;
  CardOutcome outcome = CardOutcome::Approve;
};

// The Native OTP rules. Cashfree's own documents do not state them; these
// are from Cashfree's agent-skills notes (see docs/cashfree-api.md §6).
constexpr int64_t kOtpSessionMs = 5LL * 60 * 1000;  // then the payment is USER_DROPPED
constexpr int64_t kResendGapMs = 30LL * 1000;       // between two sends
constexpr int kMaxResends = 2;
constexpr int kMaxWrongOtps = 3;  // the third wrong OTP fails the payment

bool luhn_valid(const std::string& digits);
// The network by BIN: visa, mastercard, rupay, amex; empty for networks pgsim's
// sandbox account does not accept (Diners, Discover, JCB, unknown).
std::string card_network(const std::string& pan);
// A test card's profile; any other number the network accepts approves.
CardProfile card_profile(const std::string& pan);
// First 6 and last 4 digits, the rest 'x' ("411111xxxxxx1111").
std::string mask_pan(const std::string& pan);

// A saved card (Token Vault instrument) looked up by instrument_id or
// card_alias: the masked number and profile, never the full number.
struct SavedCard {
  std::string masked;
  CardProfile profile;
};
std::optional<SavedCard> find_saved_card(const std::string& instrument_id);

// The outcome of SUBMIT_OTP / RESEND_OTP: authenticate_status and payment_message.
struct AuthResult {
  bool ok;
  std::string message;
};
// Checks the OTP against --card-otp. Right: the bank's outcome (SUCCESS, or
// FAILED for the decline card). Wrong: counted; the third fails the payment.
AuthResult submit_otp(State& st, const Config& cfg, Payment& p, CardSession& s, const std::string& otp, int64_t now,
                      const std::string& source);
// At most kMaxResends, each kResendGapMs after the previous send.
AuthResult resend_otp(CardSession& s, int64_t now);

// Called by settle() when a card payment succeeds, whoever decided it (OTP,
// 3-D Secure page, /pg/simulate): the auth_id and network reference, and for
// pre-authorisation the PENDING authorization block (is_captured false).
void card_authorised(State& st, Payment& p);

// The 3-D Secure page (card_pages.cpp), registered by add_card_routes.
void add_card_page_routes(Routes& r);

}  // namespace pgsim
