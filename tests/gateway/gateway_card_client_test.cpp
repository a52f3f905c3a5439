// PgClient's card calls over a scripted transport: what goes on the wire,
// what comes back, and the wipe proof: after pay_order_card and
// authenticate_payment return, on success and on every failure path, no
// byte sequence of the card number, CVV, cryptogram or OTP is left in the
// request buffer, the response buffer or the JSON arena, none is in the
// error the caller gets, and a log of the result carries none.
#include <doctest/doctest.h>

#include <cstdint>
#include <span>
#include <string_view>

#include "core/base/fixed_string.hpp"
#include "core/base/log.hpp"
#include "core/card/card_data.hpp"
#include "core/gateway/pg_client.hpp"
#include "core/http/http_client.hpp"
#include "gateway_test_support.hpp"
#include "tests/http/scripted_transport.hpp"
#include "tests/support/fakes.hpp"

using namespace posagent;
using namespace posagent::gateway;
using gateway_test::concat;
using gateway_test::holds;
using gateway_test::http_answer;
using posagent::http::test::g_sent;
using posagent::http::test::peer;
using posagent::http::test::ScriptedConnection;
using posagent::http::test::ScriptedTransport;

namespace {

constexpr hal::Millis kDeadline = 90'000;
constexpr std::string_view kKey = "6f1c2a4e-8b3d-4e5f-9a7b-0c1d2e3f4a5b";
constexpr std::string_view kSession = "session_abc";

// The secrets of these tests: distinctive, so a find means a leak.
constexpr std::string_view kNumber = "4000056655665556";
constexpr std::string_view kNumberMiddle = "056655665";  // never in a masked form
constexpr std::string_view kCvv = "7391";
constexpr std::string_view kCryptogram = "AgAAAAAABk4DWZ4C28yUQAAAAAA=";
constexpr std::string_view kOtp = "482913";

PgBuffers<> g_buffers;
PgBuffers<256, kDefaultResponseBytes, kDefaultArenaBytes> g_small_request;
PgBuffers<kDefaultRequestBytes, 300, kDefaultArenaBytes> g_small_response;  // the body fits, not the answer (320)
PgConfig g_config;
TerminalProvisioning g_terminal;
card::CardData g_card;

struct Rig {
  explicit Rig(std::span<const ScriptedConnection> script, PgBuffersBase& buffers = g_buffers)
      : transport(script), pg(http, entropy, g_config, g_terminal, buffers) {
    json_init();
    g_config = gateway_test::sandbox_config();
    g_terminal = gateway_test::test_terminal();
  }
  ScriptedTransport transport;
  http::HttpClient http{transport};
  test::SeededEntropy entropy;
  PgClient pg;
};

bool sent_contains(std::string_view text) { return g_sent.view().find(text) != std::string_view::npos; }

class RecordingSink final : public hal::LogSink {
 public:
  void write(hal::LogLevel, std::string_view line) override {
    (void)lines.append(line);
    (void)lines.push_back('\n');
  }
  FixedString<8192> lines;
};

// A cashier-side log of a result, as a runner would write it.
void log_error(Logger& log, const GatewayError& e) {
  log.warn("pg", "failed: origin={} status={} code={} type={} message={} field={} screen={}", to_string(e.origin),
           e.http_status, e.code, e.type, e.message, e.field, e.screen_message);
}

// Where a secret could be left: the three buffers, the error, the log.
struct Leak {
  bool request = false, response = false, arena = false, error = false, log = false;
  bool any() const { return request || response || arena || error || log; }
};

Leak find(PgBuffersBase& buffers, const GatewayError& e, const RecordingSink& sink, std::string_view secret) {
  Leak l;
  l.request = holds(std::span<const char>(buffers.request()), secret);
  l.response = holds(std::span<const std::uint8_t>(buffers.response()), secret);
  l.arena = gateway_test::arena_holds(buffers.arena(), secret);
  l.error = e.message.view().find(secret) != std::string_view::npos ||
            e.code.view().find(secret) != std::string_view::npos ||
            e.type.view().find(secret) != std::string_view::npos;
  l.log = sink.lines.view().find(secret) != std::string_view::npos;
  return l;
}

#define CHECK_NO_LEAK(buffers_in, error_in, sink_in, secret_in, what_in)                                     \
  do {                                                                                                        \
    const Leak leak_ = find((buffers_in), (error_in), (sink_in), (secret_in));                                \
    GW_CHECK_CTX(!leak_.any(), gateway_test::ctx(what_in) << " leaks " << gateway_test::ctx(secret_in)                          \
                                         << ": request=" << leak_.request << " response=" << leak_.response    \
                                         << " arena=" << leak_.arena << " error=" << leak_.error               \
                                         << " log=" << leak_.log);                                            \
  } while (0)

// pgsim's answers (verbatim but for the port).
constexpr std::string_view kCardPost =
    R"J({"action":"post","cf_payment_id":"5460729767","channel":"post","data":{"content_type":"application/json",)J"
    R"J("method":"post","payload":null,"redirect_to_bank":"https://localhost:18443/pg/view/3ds/5460729767",)J"
    R"J("url":"https://localhost:18443/pg/orders/pay/authenticate/5460729767"},"payment_amount":499,)J"
    R"J("payment_method":"card"})J";
constexpr std::string_view kOtpSuccess =
    R"J({"action":"SUBMIT_OTP","authenticate_status":"SUCCESS","cf_payment_id":"5460729767","payment_message":"otp verified; the payment is successful"})J";
// A 200 whose JSON is cut (http_answer's four slots are taken in the table).
constexpr std::string_view kUnreadable =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 33\r\n\r\n{\"action\":\"post\",\"cf_payment_id\":";
constexpr std::string_view kOtpFailed =
    R"J({"action":"SUBMIT_OTP","authenticate_status":"FAILED","cf_payment_id":"5460729767","payment_message":"otp is invalid"})J";

}  // namespace

TEST_CASE("Card order pay through the client: session-authenticated, the card on the wire, the answer decoded") {
  gateway_test::key_entered_card(g_card, "4111111111111111", "03", "29", "123");
  const ScriptedConnection script[] = {peer(http_answer(200, "OK", "", kCardPost))};
  Rig rig(script);
  const PgResult<CardPayment> pay = rig.pg.pay_order_card({kSession, CardChannel::kPost, &g_card}, kKey, kDeadline);
  REQUIRE(pay.ok());
  CHECK(pay->action == PayAction::kPost);
  CHECK(pay->cf_payment_id == "5460729767");
  CHECK(pay->url == "https://localhost:18443/pg/orders/pay/authenticate/5460729767");
  CHECK(pay.info().http_status == 200);
  CHECK(sent_contains("POST /pg/orders/sessions HTTP/1.1\r\n"));
  CHECK(sent_contains("x-idempotency-key: 6f1c2a4e-8b3d-4e5f-9a7b-0c1d2e3f4a5b\r\n"));
  CHECK(sent_contains("x-client-device: mobile\r\n"));
  CHECK_FALSE(sent_contains("x-client-secret"));
  CHECK(g_sent.view().ends_with(
      R"({"payment_session_id":"session_abc","payment_method":{"card":{"channel":"post",)"
      R"("card_number":"4111111111111111","card_expiry_mm":"03","card_expiry_yy":"29","card_cvv":"123"}}})"));
  // The caller's card is untouched: wiping it is the caller's job.
  CHECK(g_card.number == "4111111111111111");
  CHECK(g_card.cvv == "123");
}

TEST_CASE("Submit and resend OTP through the client; the payment id filled in when the answer omits it") {
  const ScriptedConnection script[] = {
      peer(http_answer(200, "OK", "", kOtpFailed, 0)).with_then(http_answer(200, "OK", "", kOtpSuccess, 1)),
      peer(http_answer(200, "OK", "", R"({"authenticate_status":"SUCCESS","payment_message":"otp resent"})", 2))};
  Rig rig(script);
  const PgResult<OtpResult> wrong = rig.pg.authenticate_payment("5460729767", OtpAction::kSubmit, "000000", kDeadline);
  REQUIRE(wrong.ok());  // a wrong OTP is an answer, not an error
  CHECK(wrong->authenticate_status == AuthenticateStatus::kFailed);
  CHECK(wrong->payment_message == "otp is invalid");
  CHECK(sent_contains("POST /pg/orders/pay/authenticate/5460729767 HTTP/1.1\r\n"));
  CHECK(g_sent.view().ends_with(R"({"action":"SUBMIT_OTP","otp":"000000"})"));
  CHECK_FALSE(sent_contains("x-idempotency-key"));  // none given: none sent
  CHECK_FALSE(sent_contains("x-client-id"));
  CHECK_FALSE(sent_contains("x-client-device"));

  const PgResult<OtpResult> right =
      rig.pg.authenticate_payment("5460729767", OtpAction::kSubmit, "111000", kDeadline, kKey);
  REQUIRE(right.ok());
  CHECK(right->authenticate_status == AuthenticateStatus::kSuccess);
  CHECK(sent_contains("x-idempotency-key: 6f1c2a4e-8b3d-4e5f-9a7b-0c1d2e3f4a5b\r\n"));

  rig.http.close();
  const PgResult<OtpResult> resent = rig.pg.authenticate_payment("5460729767", OtpAction::kResend, "", kDeadline);
  REQUIRE(resent.ok());
  CHECK(resent->cf_payment_id == "5460729767");
  CHECK(g_sent.view().ends_with(R"({"action":"RESEND_OTP"})"));

  // Refused before sending.
  const int opens = rig.transport.opens;
  CHECK(rig.pg.authenticate_payment("5460729767", OtpAction::kSubmit, "", kDeadline).error().field == "otp");
  CHECK(rig.pg.authenticate_payment("", OtpAction::kResend, "", kDeadline).error().field == "cf_payment_id");
  CHECK(rig.transport.opens == opens);
}

TEST_CASE("Authorize order through the client: capture and void, the PaymentEntity back") {
  constexpr std::string_view kCaptured =
      R"J({"authorization":{"action":"CAPTURE","captured_amount":250.5,"status":"SUCCESS"},"cf_payment_id":"5460729770",)J"
      R"J("is_captured":true,"payment_amount":499,"payment_status":"SUCCESS"})J";
  constexpr std::string_view kVoided =
      R"J({"authorization":{"action":"VOID","captured_amount":0,"status":"SUCCESS"},"cf_payment_id":"5460729770",)J"
      R"J("is_captured":false,"payment_amount":499,"payment_status":"VOID"})J";
  const ScriptedConnection script[] = {peer(http_answer(200, "OK", "Connection: close\r\n", kCaptured, 0)),
                                       peer(http_answer(200, "OK", "", kVoided, 1))};
  Rig rig(script);
  const PgResult<PaymentAttempt> captured =
      rig.pg.authorize_order("PRE-1", AuthorizeAction::kCapture, 25050, kKey, kDeadline);
  REQUIRE(captured.ok());
  CHECK(captured->is_captured == std::optional<bool>(true));
  CHECK(captured->authorization.captured_amount_paise == 25050);
  CHECK(sent_contains("POST /pg/orders/PRE-1/authorization HTTP/1.1\r\n"));
  CHECK(sent_contains("x-client-secret: cfsk_ma_test_SECRET\r\n"));
  CHECK(g_sent.view().ends_with(R"({"action":"CAPTURE","amount":250.50})"));

  const PgResult<PaymentAttempt> voided = rig.pg.authorize_order("PRE-1", AuthorizeAction::kVoid, 0, kKey, kDeadline);
  REQUIRE(voided.ok());
  CHECK(voided->payment_status == PaymentStatus::kVoid);
  CHECK(voided->authorization.action == AuthorizationAction::kVoid);
  CHECK(g_sent.view().ends_with(R"({"action":"VOID"})"));

  CHECK(rig.pg.authorize_order("PRE-1", AuthorizeAction::kCapture, 25050, "", kDeadline).error().field ==
        "x-idempotency-key");
}

TEST_CASE("A refused card, locally or by the gateway: card_reentry and the screen line") {
  SUBCASE("locally: the builder cannot send it, nothing is sent") {
    gateway_test::key_entered_card(g_card, "4111111111111111", "03", "29", "");
    const ScriptedConnection script[] = {peer("")};
    Rig rig(script);
    const PgResult<CardPayment> r = rig.pg.pay_order_card({kSession, CardChannel::kPost, &g_card}, kKey, kDeadline);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().origin == ErrorOrigin::kRequest);
    CHECK(r.error().field == "card_cvv");
    CHECK(r.error().card_reentry);
    CHECK(std::string_view(r.error().screen_message) == "Read card again");
    CHECK(rig.transport.opens == 0);
    // Not a card problem: no re-entry.
    gateway_test::key_entered_card(g_card, "4111111111111111", "03", "29", "123");
    const PgResult<CardPayment> nokey = rig.pg.pay_order_card({kSession, CardChannel::kPost, &g_card}, "", kDeadline);
    CHECK(nokey.error().field == "x-idempotency-key");
    CHECK_FALSE(nokey.error().card_reentry);
  }
  SUBCASE("by the gateway") {
    gateway_test::key_entered_card(g_card, "4111111111111111", "13", "29", "123");
    const ScriptedConnection script[] = {peer(http_answer(
        400, "Bad Request", "",
        R"({"code":"card_expiry_mm_invalid","message":"card_expiry_mm : must be two digits, 01 to 12","type":"invalid_request_error"})"))};
    Rig rig(script);
    const PgResult<CardPayment> r = rig.pg.pay_order_card({kSession, CardChannel::kPost, &g_card}, kKey, kDeadline);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().origin == ErrorOrigin::kGateway);
    CHECK(r.error().retry == RetryDecision::kStop);
    CHECK(r.error().card_reentry);
    CHECK(std::string_view(r.error().screen_message) == "Card expired?");
    CHECK(r.error().message == "card_expiry_mm : must be two digits, 01 to 12");  // nothing quoted: kept
  }
}

TEST_CASE("Wipe proof: card order pay, key-entered, success and every failure path") {
  struct Row {
    const char* what;
    ScriptedConnection connection;
    PgBuffersBase* buffers;
    bool ok;
    bool sent;  // the whole request reached the peer
  };
  // Cashfree's refusals quote what they refuse.
  const std::string_view echo = http_answer(
      400, "Bad Request", "",
      concat({R"({"code":"card_cvv_invalid","message":"card_cvv is not valid. Value received: )", kCvv,
              R"( for card )", kNumber, R"(","type":"invalid_request_error"})"},
             1),
      1);
  const std::string_view unmarked = http_answer(
      400, "Bad Request", "",
      concat({R"({"code":"card_number_invalid","message":"rejected )", kNumber, R"(","type":"invalid_request_error"})"},
             2),
      2);
  const Row rows[] = {
      {"200 post", peer(http_answer(200, "OK", "", kCardPost, 0)), &g_buffers, true, true},
      {"400 quoting the CVV and number", peer(echo), &g_buffers, false, true},
      {"400 quoting the number unmarked", peer(unmarked), &g_buffers, false, true},
      {"502 bank", peer(http_answer(502, "Bad Gateway", "",
                                    R"({"code":"bank_processing_failure","message":"bank","type":"api_error"})", 3)),
       &g_buffers, false, true},
      {"dropped after sending", peer(""), &g_buffers, false, true},
      {"connection refused", peer("").failing_open(Status(Code::kConnectionFailed, "refused")), &g_buffers, false,
       false},
      {"send failed half way", peer("").accepting(120), &g_buffers, false, false},
      {"request buffer too small", peer(""), &g_small_request, false, false},
      {"answer too large", peer(http_answer(200, "OK", "", kCardPost, 0)), &g_small_response, false, true},
      {"2xx not readable", peer(kUnreadable), &g_buffers, false, true},
  };
  for (const Row& row : rows) {
    gateway_test::key_entered_card(g_card, kNumber, "03", "29", kCvv, "ASHA KUMAR");
    const ScriptedConnection script[] = {row.connection};
    Rig rig(script, *row.buffers);
    const PgResult<CardPayment> r = rig.pg.pay_order_card({kSession, CardChannel::kPost, &g_card}, kKey, kDeadline);
    GW_CHECK_CTX(r.ok() == row.ok, gateway_test::ctx(row.what));
    // The request did carry the card, as far as it got.
    GW_CHECK_CTX(sent_contains(kNumber) == row.sent, gateway_test::ctx(row.what));

    RecordingSink sink;
    Logger log(sink, hal::LogLevel::kDebug);
    if (r.ok()) {
      log.info("pg", "card pay {} action={} url={} bank={}", r->cf_payment_id, r->action_text, r->url,
               r->redirect_to_bank);
    } else {
      log_error(log, r.error());
    }
    GW_CHECK_CTX(!sink.lines.empty(), gateway_test::ctx(row.what));
    CHECK_NO_LEAK(*row.buffers, r.error(), sink, kNumber, row.what);
    CHECK_NO_LEAK(*row.buffers, r.error(), sink, kNumberMiddle, row.what);
    CHECK_NO_LEAK(*row.buffers, r.error(), sink, kCvv, row.what);
    GW_CHECK_CTX(g_card.number == kNumber && g_card.cvv == kCvv, gateway_test::ctx(row.what));  // the caller's to wipe
  }
}

TEST_CASE("Wipe proof: what is kept of a refusal that quoted the card") {
  gateway_test::key_entered_card(g_card, kNumber, "03", "29", kCvv);
  const std::string_view echo = http_answer(
      400, "Bad Request", "",
      concat({R"({"code":"card_cvv_invalid","message":"card_cvv is not valid. Value received: )", kCvv,
              R"(","type":"invalid_request_error"})"}));
  const ScriptedConnection script[] = {peer(echo)};
  Rig rig(script);
  const PgResult<CardPayment> r = rig.pg.pay_order_card({kSession, CardChannel::kPost, &g_card}, kKey, kDeadline);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "card_cvv_invalid");
  CHECK(r.error().type == "invalid_request_error");
  CHECK(r.error().message == "card_cvv is not valid.");  // cut before the quoted value
  CHECK(r.error().card_reentry);
  CHECK(std::string_view(r.error().screen_message) == "Check CVV");

  // Control: the same answer to a UPI call (not secret) stays in the
  // response buffer, so the checks above can see a leak when there is one.
  const ScriptedConnection upi_script[] = {peer(echo)};
  Rig upi(upi_script);
  const PgResult<UpiPayment> u = upi.pg.pay_order_upi({kSession, UpiChannel::kLink}, kKey, kDeadline);
  REQUIRE_FALSE(u.ok());
  CHECK(holds(std::span<const std::uint8_t>(g_buffers.response()), kCvv));
  CHECK(u.error().message.view().find(kCvv) != std::string_view::npos);
}

TEST_CASE("Wipe proof: a network token's cryptogram") {
  const ScriptedConnection script[] = {peer(http_answer(200, "OK", "", kCardPost))};
  gateway_test::token_card(g_card, kNumber, "12", "31", kCryptogram, "40010030273", "1111");
  Rig rig(script);
  const PgResult<CardPayment> r = rig.pg.pay_order_card({kSession, CardChannel::kPost, &g_card}, kKey, kDeadline);
  REQUIRE(r.ok());
  CHECK(sent_contains(kCryptogram));
  RecordingSink sink;
  CHECK_NO_LEAK(g_buffers, r.error(), sink, kCryptogram, "token");
  CHECK_NO_LEAK(g_buffers, r.error(), sink, kNumber, "token");
}

TEST_CASE("Wipe proof: submit OTP, success and failure paths") {
  struct Row {
    const char* what;
    ScriptedConnection connection;
    bool ok;
    bool sent;
  };
  const std::string_view echo = http_answer(
      400, "Bad Request", "",
      concat({R"({"code":"otp_invalid","message":"otp )", kOtp, R"( is not valid","type":"invalid_request_error"})"}, 1),
      1);
  const Row rows[] = {
      {"200 SUCCESS", peer(http_answer(200, "OK", "", kOtpSuccess, 0)), true, true},
      {"200 FAILED", peer(http_answer(200, "OK", "", kOtpFailed, 2)), true, true},
      {"400 quoting the OTP", peer(echo), false, true},
      {"404", peer(http_answer(404, "Not Found", "",
                               R"({"code":"payment_not_found","message":"no payment","type":"invalid_request_error"})",
                               3)),
       false, true},
      {"dropped after sending", peer(""), false, true},
      {"connection refused", peer("").failing_open(Status(Code::kConnectionFailed, "refused")), false, false},
  };
  for (const Row& row : rows) {
    const ScriptedConnection script[] = {row.connection};
    Rig rig(script);
    const PgResult<OtpResult> r = rig.pg.authenticate_payment("5460729767", OtpAction::kSubmit, kOtp, kDeadline);
    GW_CHECK_CTX(r.ok() == row.ok, gateway_test::ctx(row.what));
    GW_CHECK_CTX(sent_contains(kOtp) == row.sent, gateway_test::ctx(row.what));
    RecordingSink sink;
    Logger log(sink, hal::LogLevel::kDebug);
    if (r.ok()) {
      log.info("pg", "otp {} status={} message={}", r->cf_payment_id, r->authenticate_status_text, r->payment_message);
    } else {
      log_error(log, r.error());
    }
    CHECK_NO_LEAK(g_buffers, r.error(), sink, kOtp, row.what);
  }
}
