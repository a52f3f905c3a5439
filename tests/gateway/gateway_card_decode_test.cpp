// Decoders of card Order Pay, Native OTP and pre-authorised PaymentEntity
// answers: the spec's examples and pgsim's answers (verbatim), and what is
// refused.
#include <doctest/doctest.h>

#include <string_view>

#include "core/gateway/pg_decode.hpp"
#include "core/json/json_arena.hpp"
#include "gateway_test_support.hpp"

using namespace posagent;
using namespace posagent::gateway;
using gateway_test::concat;
using gateway_test::ctx;
using gateway_test::repeat;

namespace {

JsonArena<6144> g_arena;
CardPayment g_card_payment;
PaymentAttempt g_attempt;
PaymentList g_list;

// pgsim, channel post on a card with Native OTP (verbatim).
constexpr std::string_view kPgsimCardPost =
    R"J({"action":"post","cf_payment_id":"5460729767","channel":"post","data":{"content_type":"application/json",)J"
    R"J("method":"post","payload":null,"redirect_to_bank":"https://localhost:18443/pg/view/3ds/5460729767",)J"
    R"J("url":"https://localhost:18443/pg/orders/pay/authenticate/5460729767"},"payment_amount":499,)J"
    R"J("payment_method":"card"})J";
// pgsim, channel post on the card without Native OTP: action link (verbatim).
constexpr std::string_view kPgsimCardNoOtp =
    R"J({"action":"link","cf_payment_id":"5460729768","channel":"post","data":{"content_type":)J"
    R"J("application/x-www-form-urlencoded","method":"post","payload":{"name":"card"},)J"
    R"J("redirect_to_bank":"https://localhost:18443/pg/view/3ds/5460729768",)J"
    R"J("url":"https://localhost:18443/pg/view/3ds/5460729768"},"payment_amount":499,"payment_method":"card"})J";
// The spec's card link example.
constexpr std::string_view kSpecCardLink =
    R"J({"payment_method":"card","channel":"link","action":"link","cf_payment_id":"91235","payment_amount":22.42,)J"
    R"J("data":{"url":"https://sandbox.cashfree.com/pg/view/gateway/FHsuvhayLM5mmhINoqri7ba296e2ebca8b98e6119f6223021a13",)J"
    R"J("payload":{"name":"card"},"content_type":"application/x-www-form-urlencoded","method":"post"}})J";
// The Native OTP sample of Cashfree's docs (2022-09-01 era: a numeric id).
constexpr std::string_view kDocsNativeOtp =
    R"J({"action":"post","cf_payment_id":14909602643,"channel":"post","data":{"url":)J"
    R"J("https://sandbox.cashfree.com/pg/orders/pay/authenticate/14909602643","payload":null,)J"
    R"J("content_type":"application/json","method":"post"},"payment_amount":1.10,"payment_method":"card"})J";

// pgsim's pre-authorised payment before, after a partial capture and after a
// void (verbatim).
constexpr std::string_view kPgsimAuthorised =
    R"J({"auth_id":"A683722","authorization":{"action":null,"action_reference":null,"action_time":null,)J"
    R"J("approve_by":null,"captured_amount":0,"end_time":null,"start_time":null,"status":"PENDING"},)J"
    R"J("bank_reference":"914424192177","cf_payment_id":"5460729770","entity":"payment","error_details":null,)J"
    R"J("international_payment":{"international":false},"is_captured":false,"order_amount":499,)J"
    R"J("order_currency":"INR","order_id":"PRE-1","payment_amount":499,)J"
    R"J("payment_completion_time":"2026-11-23T22:08:15+05:30","payment_currency":"INR",)J"
    R"J("payment_gateway_details":{"gateway_name":"CASHFREE","gateway_order_id":"2720486895",)J"
    R"J("gateway_order_reference_id":null,"gateway_payment_id":"5460729770","gateway_reference_name":null,)J"
    R"J("gateway_settlement":"CASHFREE","gateway_status_code":null},"payment_group":"debit_card",)J"
    R"J("payment_message":"00::Paid (pgsim)","payment_method":{"card":{"card_bank_name":"ICICI Bank",)J"
    R"J("card_country":"IN","card_network":"mastercard","card_network_reference_id":"114760679835739",)J"
    R"J("card_number":"555555xxxxxx4444","card_type":"debit_card","channel":"post","instrument_id":null}},)J"
    R"J("payment_status":"SUCCESS","payment_surcharge":null,"payment_time":"2026-11-23T22:08:14+05:30"})J";
constexpr std::string_view kPgsimCaptured =
    R"J({"auth_id":"A683722","authorization":{"action":"CAPTURE","action_reference":"9148019645541673093293",)J"
    R"J("action_time":"2026-11-23T22:08:16+05:30","approve_by":null,"captured_amount":250.5,"end_time":null,)J"
    R"J("start_time":null,"status":"SUCCESS"},"bank_reference":"914424192177","cf_payment_id":"5460729770",)J"
    R"J("entity":"payment","error_details":null,"international_payment":{"international":false},"is_captured":true,)J"
    R"J("order_amount":499,"order_currency":"INR","order_id":"PRE-1","payment_amount":499,)J"
    R"J("payment_completion_time":"2026-11-23T22:08:15+05:30","payment_currency":"INR",)J"
    R"J("payment_gateway_details":{"gateway_name":"CASHFREE","gateway_order_id":"2720486895",)J"
    R"J("gateway_order_reference_id":null,"gateway_payment_id":"5460729770","gateway_reference_name":null,)J"
    R"J("gateway_settlement":"CASHFREE","gateway_status_code":null},"payment_group":"debit_card",)J"
    R"J("payment_message":"00::Paid (pgsim)","payment_method":{"card":{"card_bank_name":"ICICI Bank",)J"
    R"J("card_country":"IN","card_network":"mastercard","card_network_reference_id":"114760679835739",)J"
    R"J("card_number":"555555xxxxxx4444","card_type":"debit_card","channel":"post","instrument_id":null}},)J"
    R"J("payment_status":"SUCCESS","payment_surcharge":null,"payment_time":"2026-11-23T22:08:14+05:30"})J";
constexpr std::string_view kPgsimVoided =
    R"J({"auth_id":"A921739","authorization":{"action":"VOID","action_reference":"3171642708615909877150",)J"
    R"J("action_time":"2026-11-23T22:08:20+05:30","approve_by":null,"captured_amount":0,"end_time":null,)J"
    R"J("start_time":null,"status":"SUCCESS"},"bank_reference":"980178651015","cf_payment_id":"5460729771",)J"
    R"J("entity":"payment","error_details":null,"international_payment":{"international":false},)J"
    R"J("is_captured":false,"order_amount":499,"order_currency":"INR","order_id":"PRE-2","payment_amount":499,)J"
    R"J("payment_completion_time":"2026-11-23T22:08:19+05:30","payment_currency":"INR",)J"
    R"J("payment_gateway_details":{"gateway_name":"CASHFREE","gateway_order_id":"2720486896",)J"
    R"J("gateway_order_reference_id":null,"gateway_payment_id":"5460729771","gateway_reference_name":null,)J"
    R"J("gateway_settlement":"CASHFREE","gateway_status_code":null},"payment_group":"credit_card",)J"
    R"J("payment_message":"00::Paid (pgsim)","payment_method":{"card":{"card_bank_name":"HDFC Bank",)J"
    R"J("card_country":"IN","card_network":"visa","card_network_reference_id":"836721620283144",)J"
    R"J("card_number":"411111xxxxxx1111","card_type":"credit_card","channel":"post","instrument_id":null}},)J"
    R"J("payment_status":"VOID","payment_surcharge":null,"payment_time":"2026-11-23T22:08:19+05:30"})J";
// The spec's PaymentEntity list example's first entry (its authorization block).
constexpr std::string_view kSpecAuthorised =
    R"J({"cf_payment_id":"12376123","order_id":"order_8123","entity":"payment","payment_currency":"INR",)J"
    R"J("error_details":null,"order_amount":10.01,"order_currency":"INR","is_captured":true,"payment_group":"upi",)J"
    R"J("authorization":{"action":"CAPTURE","status":"PENDING","captured_amount":100,)J"
    R"J("start_time":"2022-02-09T18:04:34+05:30","end_time":"2022-02-19T18:04:34+05:30",)J"
    R"J("approve_by":"2022-02-09T18:04:34+05:30","action_reference":"6595231908096894505959",)J"
    R"J("action_time":"2022-08-03T16:09:51"},"payment_method":{"upi":{"channel":"collect","upi_id":"rohit@xcxcx",)J"
    R"J("upi_payer_ifsc":"AXL1234","upi_payer_account_number":"XXXXXXX6024"}},"payment_amount":10.01,)J"
    R"J("payment_time":"2021-07-23T12:15:06+05:30","payment_completion_time":"2021-07-23T12:18:59+05:30",)J"
    R"J("payment_status":"SUCCESS","payment_message":"Transaction successful","bank_reference":"P78112898712",)J"
    R"J("auth_id":"A898101","international_payment":{"international":false}})J";

}  // namespace

TEST_CASE("Card order pay, Native OTP (pgsim): post, the authenticate URL and the bank's page") {
  json_init();
  REQUIRE(decode_card_pay_order(g_arena, kPgsimCardPost, g_card_payment).ok());
  const CardPayment& p = g_card_payment;
  CHECK(p.cf_payment_id == "5460729767");
  CHECK(p.action == PayAction::kPost);
  CHECK(p.action_text == "post");
  CHECK(p.channel_text == "post");
  CHECK(p.payment_amount_paise == 49900);
  CHECK(p.url == "https://localhost:18443/pg/orders/pay/authenticate/5460729767");
  CHECK(p.redirect_to_bank == "https://localhost:18443/pg/view/3ds/5460729767");
  CHECK(p.method == "post");
  CHECK(p.content_type == "application/json");
}

TEST_CASE("Card order pay without Native OTP (pgsim): channel post answered with action link") {
  json_init();
  REQUIRE(decode_card_pay_order(g_arena, kPgsimCardNoOtp, g_card_payment).ok());
  const CardPayment& p = g_card_payment;
  CHECK(p.action == PayAction::kLink);
  CHECK(p.channel_text == "post");
  CHECK(p.url == "https://localhost:18443/pg/view/3ds/5460729768");
  CHECK(p.redirect_to_bank == p.url.view());
  CHECK(p.content_type == "application/x-www-form-urlencoded");
}

TEST_CASE("Card order pay: the spec's link example and the docs' Native OTP sample") {
  json_init();
  REQUIRE(decode_card_pay_order(g_arena, kSpecCardLink, g_card_payment).ok());
  CHECK(g_card_payment.cf_payment_id == "91235");
  CHECK(g_card_payment.action == PayAction::kLink);
  CHECK(g_card_payment.channel_text == "link");
  CHECK(g_card_payment.payment_amount_paise == 2242);
  CHECK(g_card_payment.url == "https://sandbox.cashfree.com/pg/view/gateway/FHsuvhayLM5mmhINoqri7ba296e2ebca8b98e6119f6223021a13");
  CHECK(g_card_payment.redirect_to_bank.empty());
  CHECK(g_card_payment.method == "post");

  REQUIRE(decode_card_pay_order(g_arena, kDocsNativeOtp, g_card_payment).ok());
  CHECK(g_card_payment.cf_payment_id == "14909602643");  // an integer, kept as its digits
  CHECK(g_card_payment.action == PayAction::kPost);
  CHECK(g_card_payment.payment_amount_paise == 110);
  CHECK(g_card_payment.redirect_to_bank.empty());
}

TEST_CASE("Card order pay: what is required, what is refused, what is only a hint") {
  json_init();
  struct Row {
    const char* what;
    std::string_view body;
    Code code;
    std::string_view key;
  };
  const std::string_view long_url = concat({R"({"action":"link","cf_payment_id":"1","data":{"url":"https://x/)",
                                            repeat('u', kCardUrlCapacity), R"("}})"},
                                           0);
  const std::string_view long_bank = concat({R"({"action":"post","cf_payment_id":"1","data":{"url":"https://x",)",
                                             R"("redirect_to_bank":"https://x/)", repeat('b', kCardUrlCapacity),
                                             R"("}})"},
                                            1);
  const Row rows[] = {
      {"no id", R"({"action":"post","data":{"url":"https://x"}})", Code::kParseError, "cf_payment_id"},
      {"no action", R"({"cf_payment_id":"1","data":{"url":"https://x"}})", Code::kParseError, "action"},
      {"no data", R"({"action":"post","cf_payment_id":"1"})", Code::kParseError, "data"},
      {"data null", R"({"action":"post","cf_payment_id":"1","data":null})", Code::kParseError, "data"},
      {"post without url", R"({"action":"post","cf_payment_id":"1","data":{"url":null}})", Code::kParseError, "url"},
      {"link with an empty url", R"({"action":"link","cf_payment_id":"1","data":{"url":""}})", Code::kParseError,
       "url"},
      {"form without url", R"({"action":"form","cf_payment_id":"1","data":{}})", Code::kParseError, "url"},
      {"url not a string", R"({"action":"link","cf_payment_id":"1","data":{"url":7}})", Code::kParseError, "url"},
      {"bad amount", R"({"action":"link","cf_payment_id":"1","payment_amount":"x","data":{"url":"u"}})",
       Code::kParseError, "payment_amount"},
      {"url too long", long_url, Code::kCapacityExceeded, "url"},
      {"redirect too long", long_bank, Code::kCapacityExceeded, "redirect_to_bank"},
      {"not JSON", R"({"action":)", Code::kParseError, ""},
  };
  for (const Row& row : rows) {
    const FieldStatus s = decode_card_pay_order(g_arena, row.body, g_card_payment);
    GW_CHECK_CTX(s.code() == row.code, row.what);
    GW_CHECK_CTX(s.key() == row.key, row.what);
  }

  // Hints too long to keep are left empty; unknown actions are kUnknown
  // with their text; a custom action needs no url.
  const std::string_view hints = concat({R"({"action":"custom","cf_payment_id":"1","data":{"url":null,"method":")",
                                         repeat('m', 40), R"(","content_type":")", repeat('c', 60), R"("}})"},
                                        2);
  REQUIRE(decode_card_pay_order(g_arena, hints, g_card_payment).ok());
  CHECK(g_card_payment.method.empty());
  CHECK(g_card_payment.content_type.empty());
  CHECK(g_card_payment.action == PayAction::kCustom);
  CHECK(g_card_payment.url.empty());
  REQUIRE(decode_card_pay_order(g_arena, R"({"action":"redirect","cf_payment_id":"1","data":{}})", g_card_payment)
              .ok());
  CHECK(g_card_payment.action == PayAction::kUnknown);
  CHECK(g_card_payment.action_text == "redirect");
  // A url exactly at capacity fits.
  const std::string_view full = concat(
      {R"({"action":"link","cf_payment_id":"1","data":{"url":")", repeat('u', kCardUrlCapacity), R"("}})"}, 3);
  REQUIRE(decode_card_pay_order(g_arena, full, g_card_payment).ok());
  CHECK(g_card_payment.url.size() == kCardUrlCapacity);
}

TEST_CASE("OTP answers: the spec's example and pgsim's, success and failure") {
  json_init();
  OtpResult r;
  REQUIRE(decode_otp_result(
              g_arena,
              R"({"cf_payment_id":"975654863","authenticate_status":"FAILED","action":"SUBMIT_OTP","payment_message":"otp is invalid"})",
              r)
              .ok());
  CHECK(r.cf_payment_id == "975654863");
  CHECK(r.authenticate_status == AuthenticateStatus::kFailed);
  CHECK(r.payment_message == "otp is invalid");

  REQUIRE(decode_otp_result(
              g_arena,
              R"({"action":"SUBMIT_OTP","authenticate_status":"SUCCESS","cf_payment_id":"5460729767","payment_message":"otp verified; the payment is successful"})",
              r)
              .ok());
  CHECK(r.authenticate_status == AuthenticateStatus::kSuccess);
  CHECK(r.authenticate_status_text == "SUCCESS");
  CHECK(r.payment_message == "otp verified; the payment is successful");

  REQUIRE(decode_otp_result(
              g_arena,
              R"({"action":"RESEND_OTP","authenticate_status":"FAILED","cf_payment_id":"5460729767","payment_message":"otp can be resent 30 seconds after the last one; retry in 27 s"})",
              r)
              .ok());
  CHECK(r.authenticate_status == AuthenticateStatus::kFailed);

  // Only the status is required; an unknown one is kept as text.
  REQUIRE(decode_otp_result(g_arena, R"({"authenticate_status":"PENDING"})", r).ok());
  CHECK(r.authenticate_status == AuthenticateStatus::kUnknown);
  CHECK(r.authenticate_status_text == "PENDING");
  CHECK(r.cf_payment_id.empty());
  CHECK(r.payment_message.empty());
  REQUIRE(decode_otp_result(g_arena, R"({"authenticate_status":"SUCCESS","cf_payment_id":null})", r).ok());
  CHECK(r.cf_payment_id.empty());
  CHECK(decode_otp_result(g_arena, R"({"cf_payment_id":"1"})", r).key() == "authenticate_status");
  CHECK(decode_otp_result(g_arena, R"({"authenticate_status":null})", r).code() == Code::kParseError);
  CHECK(decode_otp_result(g_arena, R"({"authenticate_status":"SUCCESS","cf_payment_id":[1]})", r).key() ==
        "cf_payment_id");
  // A long bank message is cut, not refused: it is only shown.
  const std::string_view long_message =
      concat({R"({"authenticate_status":"FAILED","payment_message":")", repeat('m', 300), R"("})"});
  REQUIRE(decode_otp_result(g_arena, long_message, r).ok());
  CHECK(r.payment_message.size() == kPaymentMessageCapacity);
}

TEST_CASE("Pre-authorised payments (pgsim): pending, partly captured, voided") {
  json_init();
  REQUIRE(decode_payment(g_arena, kPgsimAuthorised, g_attempt).ok());
  CHECK(g_attempt.cf_payment_id == "5460729770");
  CHECK(g_attempt.payment_status == PaymentStatus::kSuccess);
  CHECK(g_attempt.is_captured == std::optional<bool>(false));
  CHECK(g_attempt.authorization.present);
  CHECK(g_attempt.authorization.action == AuthorizationAction::kNone);
  CHECK(g_attempt.authorization.status == AuthorizationStatus::kPending);
  CHECK(g_attempt.authorization.captured_amount_paise == 0);
  CHECK(g_attempt.payment_amount_paise == 49900);

  REQUIRE(decode_payment(g_arena, kPgsimCaptured, g_attempt).ok());
  CHECK(g_attempt.is_captured == std::optional<bool>(true));
  CHECK(g_attempt.authorization.action == AuthorizationAction::kCapture);
  CHECK(g_attempt.authorization.status == AuthorizationStatus::kSuccess);
  CHECK(g_attempt.authorization.captured_amount_paise == 25050);

  REQUIRE(decode_payment(g_arena, kPgsimVoided, g_attempt).ok());
  CHECK(g_attempt.payment_status == PaymentStatus::kVoid);
  CHECK(g_attempt.is_captured == std::optional<bool>(false));
  CHECK(g_attempt.authorization.action == AuthorizationAction::kVoid);
  CHECK(g_attempt.authorization.captured_amount_paise == 0);

  // The same blocks inside Get Payments.
  const std::string_view list = concat({"[", kPgsimAuthorised, ",", kPgsimVoided, "]"});
  REQUIRE(decode_payments(g_arena, list, g_list).ok());
  REQUIRE(g_list.count == 2);
  CHECK(g_list.attempts[0].authorization.status == AuthorizationStatus::kPending);
  CHECK(g_list.attempts[1].authorization.action == AuthorizationAction::kVoid);
}

TEST_CASE("Pre-authorisation: the spec's example; UPI payments without the block") {
  json_init();
  REQUIRE(decode_payment(g_arena, kSpecAuthorised, g_attempt).ok());
  CHECK(g_attempt.is_captured == std::optional<bool>(true));
  CHECK(g_attempt.authorization.present);
  CHECK(g_attempt.authorization.action == AuthorizationAction::kCapture);
  CHECK(g_attempt.authorization.status == AuthorizationStatus::kPending);
  CHECK(g_attempt.authorization.captured_amount_paise == 10000);
  CHECK(g_attempt.payment_amount_paise == 1001);

  // The UPI attempts of the older tests: authorization null, is_captured set.
  REQUIRE(decode_payments(g_arena, gateway_test::kPgsimPayments, g_list).ok());
  REQUIRE(g_list.count == 2);
  CHECK_FALSE(g_list.attempts[0].authorization.present);
  CHECK(g_list.attempts[0].is_captured == std::optional<bool>(false));
  CHECK(g_list.attempts[1].is_captured == std::optional<bool>(true));
  // Absent altogether.
  REQUIRE(decode_payment(g_arena, R"({"cf_payment_id":"1","payment_status":"PENDING","payment_amount":1})", g_attempt)
              .ok());
  CHECK_FALSE(g_attempt.is_captured.has_value());
  CHECK_FALSE(g_attempt.authorization.present);
}

TEST_CASE("Pre-authorisation block: amounts read exactly, odd values handled, wrong types refused") {
  json_init();
  struct Row {
    std::string_view block;
    bool ok;
    AuthorizationAction action;
    AuthorizationStatus status;
    std::int32_t captured;
  };
  const Row rows[] = {
      {R"({"action":"CAPTURE","status":"SUCCESS","captured_amount":499})", true, AuthorizationAction::kCapture,
       AuthorizationStatus::kSuccess, 49900},
      {R"({"action":"CAPTURE","status":"SUCCESS","captured_amount":"1.5"})", true, AuthorizationAction::kCapture,
       AuthorizationStatus::kSuccess, 150},
      {R"({"action":"CAPTURE","status":"SUCCESS","captured_amount":1000000})", true, AuthorizationAction::kCapture,
       AuthorizationStatus::kSuccess, 100'000'000},
      {R"({"action":null,"status":"PENDING","captured_amount":null})", true, AuthorizationAction::kNone,
       AuthorizationStatus::kPending, 0},
      {R"({"status":"PENDING"})", true, AuthorizationAction::kNone, AuthorizationStatus::kPending, 0},
      {R"({})", true, AuthorizationAction::kNone, AuthorizationStatus::kUnknown, 0},
      {R"({"action":"REFUND","status":"FAILED","captured_amount":0})", true, AuthorizationAction::kUnknown,
       AuthorizationStatus::kUnknown, 0},
      {R"({"action":"none","status":"PENDING"})", true, AuthorizationAction::kUnknown, AuthorizationStatus::kPending,
       0},
      // Not amounts: refused, never guessed.
      {R"({"action":"CAPTURE","captured_amount":1.005})", false, {}, {}, 0},
      {R"({"action":"CAPTURE","captured_amount":-1})", false, {}, {}, 0},
      {R"({"action":"CAPTURE","captured_amount":0.5})", false, {}, {}, 0},
      {R"({"action":"CAPTURE","captured_amount":true})", false, {}, {}, 0},
      {R"({"action":7})", false, {}, {}, 0},
      {R"("CAPTURE")", false, {}, {}, 0},
  };
  for (const Row& row : rows) {
    const std::string_view body = concat(
        {R"({"cf_payment_id":"1","payment_status":"SUCCESS","payment_amount":499,"authorization":)", row.block, "}"});
    const FieldStatus s = decode_payment(g_arena, body, g_attempt);
    GW_CHECK_CTX(s.ok() == row.ok, ctx(row.block));
    if (!row.ok) {
      GW_CHECK_CTX(s.code() == Code::kParseError, ctx(row.block));
      continue;
    }
    GW_CHECK_CTX(g_attempt.authorization.present, ctx(row.block));
    GW_CHECK_CTX(g_attempt.authorization.action == row.action, ctx(row.block));
    GW_CHECK_CTX(g_attempt.authorization.status == row.status, ctx(row.block));
    GW_CHECK_CTX(g_attempt.authorization.captured_amount_paise == row.captured, ctx(row.block));
  }
  CHECK(decode_payment(g_arena, R"({"cf_payment_id":"1","payment_status":"SUCCESS","payment_amount":499,"is_captured":"yes"})",
                       g_attempt)
            .code() == Code::kParseError);
  REQUIRE(decode_payment(g_arena, R"({"cf_payment_id":"1","payment_status":"SUCCESS","payment_amount":499,"is_captured":null,"authorization":null})",
                         g_attempt)
              .ok());
  CHECK_FALSE(g_attempt.is_captured.has_value());
  CHECK_FALSE(g_attempt.authorization.present);
}
