#include "core/agent/pg_sale_gateway.hpp"
#include "core/agent/text_cut.hpp"

namespace posagent::agent {

namespace {

using engine::RequestKind;
namespace gw = gateway;

constexpr std::string_view kTag = "pg";

}  // namespace

engine::Event PgCardSales::pay(const engine::SaleRecord& record, const SaleSecrets& secrets,
                                      hal::Millis deadline) {
  if (secrets.card == nullptr || secrets.card->empty()) {
    // The card is gone (it is never journaled): it must be read again.
    engine::RequestFailed f;
    f.request = RequestKind::kOrderPay;
    f.failure = engine::FailureClass::kStop;
    f.card_reentry = true;
    (void)f.reason.assign("Present card again");
    (void)f.code.assign("card_missing");
    return f;
  }
  // Native OTP first; a card without it answers action link (3-D Secure).
  const gw::OrderPayCardRequest request{record.payment_session_id.view(), gw::CardChannel::kPost, secrets.card};
  const gw::PgResult<gw::CardPayment> paid = pg_.pay_order_card(request, record.pay_key.view(), deadline);
  if (!paid.ok()) return failure_of(log_, RequestKind::kOrderPay, "card order pay", paid.error(), paid.info());
  const bool otp = paid->action == gw::PayAction::kPost;
  const std::string_view page = !paid->url.empty() ? paid->url.view() : paid->redirect_to_bank.view();
  if (!otp && (page.empty() || (paid->action != gw::PayAction::kLink && paid->action != gw::PayAction::kForm))) {
    return refusal(RequestKind::kOrderPay, "action_unsupported", "Card step unknown");
  }
  if (log_ != nullptr) {
    log_->info(kTag, "card payment {} started for order {}: {}{}", paid->cf_payment_id, record.order_id,
               otp ? "native OTP" : "3-D Secure page", paid.info().replayed ? " (replayed)" : "");
  }
  engine::Event event;
  engine::PaymentStarted& out = event.emplace<engine::PaymentStarted>();
  (void)out.cf_payment_id.assign(paid->cf_payment_id.view());
  out.needs_otp = otp;
  if (!otp && !out.intent.assign(page)) return refusal(RequestKind::kOrderPay, "url_too_long", "Card page too long");
  return event;
}

engine::Event PgCardSales::otp(RequestKind request, const engine::SaleRecord& record, const SaleSecrets& secrets,
                                 hal::Millis deadline) {
  const bool submit = request == RequestKind::kSubmitOtp;
  const gw::PgResult<gw::OtpResult> answer = pg_.authenticate_payment(
      record.cf_payment_id.view(), submit ? gw::OtpAction::kSubmit : gw::OtpAction::kResend,
      submit ? secrets.otp : std::string_view{}, deadline);
  if (!answer.ok()) return failure_of(log_, request, submit ? "submit OTP" : "resend OTP", answer.error(), answer.info());
  engine::Event event;
  engine::OtpAnswered& out = event.emplace<engine::OtpAnswered>();
  out.request = request;
  out.accepted = answer->authenticate_status == gw::AuthenticateStatus::kSuccess;
  assign_cut(out.message, answer->payment_message.view());
  if (log_ != nullptr) {
    log_->info(kTag, "{} for payment {}: {} {}", submit ? "OTP" : "OTP resend", record.cf_payment_id,
               answer->authenticate_status_text, answer->payment_message);
  }
  return event;
}

}  // namespace posagent::agent
