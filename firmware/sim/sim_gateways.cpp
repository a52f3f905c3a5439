#include "firmware/sim/sim_gateways.hpp"

#include <cstdio>

#include "core/screens/text.hpp"

namespace posagent::sim {

namespace {

// Each client's buffers, static as on a terminal.
gateway::PgBuffers<> g_pg_buffers;
flowwise::FlowwiseBuffers<> g_fw_buffers;

constexpr hal::Millis kStatusTimeoutMs = 15'000;

// As the screens show amounts: "Rs 499.00", "Rs 1,00,000.00".
std::string rupees(std::int64_t paise) {
  const Result<screens::Line> text = screens::format_amount(paise);
  return text.ok() ? std::string(text->view()) : "Rs ?";
}

// A text as printf's "%.*s" arguments.
int len(std::string_view s) { return static_cast<int>(s.size()); }

int print_error(const std::string& what, const gateway::GatewayError& e) {
  if (e.http_status == 0) {
    std::fprintf(stderr, "posagent-sim: %s: %s (%s)\n", what.c_str(), e.screen_message, e.status.message());
  } else {
    std::fprintf(stderr, "posagent-sim: %s: %s (http %d %.*s: %.*s)\n", what.c_str(), e.screen_message,
                 e.http_status, len(e.code.view()), e.code.view().data(), len(e.message.view()),
                 e.message.view().data());
  }
  return 1;
}

}  // namespace

std::string flowwise_base_url(const gateway::PgConfig& pg) {
  std::string url = "https://" + std::string(pg.host.view());
  if (pg.port != 443) url += ":" + std::to_string(pg.port);
  return url + std::string(pg.base_path.view());
}

SimGateways::SimGateways(const SimSetup& setup, http::HttpClient& http, hal::Clock& clock, hal::Entropy& entropy,
                         Logger* log)
    : api_(setup.api), clock_(clock) {
  if (api_ == GatewayApi::kCashfreePg) {
    pg_.emplace(http, entropy, setup.pg, setup.terminal, g_pg_buffers);
    pg_sale_.emplace(*pg_, clock, setup.order, log);
    pg_cards_.emplace(*pg_, log);
    pg_sale_->accept_cards(*pg_cards_);
    pg_hold_.emplace(*pg_, clock, setup.order.call_timeout_ms, log);
    return;
  }
  // Flowwise sends neither the API version nor the terminal object; the
  // terminal is named in the order's tags (OrderDefaults::terminal_tag).
  (void)fw_config_.base_url.assign(flowwise_base_url(setup.pg));  // too long: "Check settings" on use
  (void)fw_config_.client_id.assign(setup.pg.client_id.view());
  (void)fw_config_.client_secret.assign(setup.pg.client_secret.view());
  fw_.emplace(http, clock, entropy, fw_config_, g_fw_buffers);
  fw_sale_.emplace(*fw_, setup.order, log);
  fw_hold_.emplace(*fw_, log);
}

agent::SaleGateway& SimGateways::sale() {
  if (pg_sale_) return *pg_sale_;
  return *fw_sale_;
}

agent::HoldGateway& SimGateways::hold() {
  if (pg_hold_) return *pg_hold_;
  return *fw_hold_;
}

int SimGateways::print_status(const std::string& order_id) {
  return api_ == GatewayApi::kCashfreePg ? print_pg_status(order_id) : print_flowwise_status(order_id);
}

int SimGateways::print_pg_status(const std::string& order_id) {
  const gateway::PgResult<gateway::OrderEntity> order =
      pg_->get_order(order_id, clock_.monotonic_ms() + kStatusTimeoutMs);
  if (!order.ok()) return print_error(order_id, order.error());
  std::printf("order %.*s: %.*s %s cf_order_id %.*s", len(order->order_id.view()), order->order_id.view().data(),
              len(order->order_status_text.view()), order->order_status_text.view().data(),
              rupees(order->order_amount_paise).c_str(), len(order->cf_order_id.view()),
              order->cf_order_id.view().data());
  if (order->order_expiry_time) std::printf(" expires %s", order->order_expiry_time->format().c_str());
  std::printf("\n");
  const gateway::PgResult<gateway::PaymentList> payments =
      pg_->get_payments(order_id, clock_.monotonic_ms() + kStatusTimeoutMs);
  if (!payments.ok()) return print_error("payments of " + order_id, payments.error());
  if (payments->count == 0) std::printf("no payment attempts\n");
  for (std::size_t i = 0; i < payments->count; ++i) {
    const gateway::PaymentAttempt& a = payments->attempts[i];
    std::printf("payment %.*s: %.*s %s", len(a.cf_payment_id.view()), a.cf_payment_id.view().data(),
                len(a.payment_status_text.view()), a.payment_status_text.view().data(),
                rupees(a.payment_amount_paise).c_str());
    if (!a.bank_reference.empty()) std::printf(" UTR %s", a.bank_reference.c_str());
    if (!a.error_description.empty()) std::printf(" reason: %s", a.error_description.c_str());
    else if (!a.payment_message.empty()) std::printf(" message: %s", a.payment_message.c_str());
    std::printf("\n");
  }
  return 0;
}

int SimGateways::print_flowwise_status(const std::string& order_id) {
  const flowwise::FlowwiseResult<flowwise::FwOrder> order = fw_->get_order(order_id);
  if (!order.ok()) return print_error(order_id, order.error());
  // Not the order_hash: it opens the order's checkout.
  std::printf("order %.*s: %.*s %s", len(order->order_id.view()), order->order_id.view().data(),
              len(order->order_status_text.view()), order->order_status_text.view().data(),
              rupees(order->order_amount_paise).c_str());
  if (order->order_expiry_time) std::printf(" expires %s", order->order_expiry_time->format().c_str());
  std::printf("\n");
  const flowwise::FlowwiseResult<flowwise::FwPaymentList> payments = fw_->get_payments(order_id);
  if (!payments.ok()) return print_error("payments of " + order_id, payments.error());
  if (payments->count == 0) std::printf("no payment attempts\n");
  for (std::size_t i = 0; i < payments->count; ++i) {
    const flowwise::FwPaymentDetails& p = payments->payments[i];
    std::printf("payment %.*s: %.*s %s", len(p.payment_id.view()), p.payment_id.view().data(),
                len(p.payment_status_text.view()), p.payment_status_text.view().data(),
                rupees(p.payment_amount_paise).c_str());
    if (!p.capture_status_text.empty()) {
      std::printf(" capture %.*s", len(p.capture_status_text.view()), p.capture_status_text.view().data());
      if (p.capture_amount_paise > 0) std::printf(" %s", rupees(p.capture_amount_paise).c_str());
    }
    if (!p.utr.empty()) std::printf(" UTR %s", p.utr.c_str());
    if (!p.error_description.empty()) std::printf(" reason: %s", p.error_description.c_str());
    else if (!p.payment_message.empty()) std::printf(" message: %s", p.payment_message.c_str());
    std::printf("\n");
  }
  return 0;
}

}  // namespace posagent::sim
