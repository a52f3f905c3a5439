#include "firmware/sim/sim_customer.hpp"

#include <httplib.h>

#include <chrono>
#include <cstdio>

namespace posagent::sim {

namespace {

const char* decision(CustomerAction action) {
  switch (action) {
    case CustomerAction::kPay: return "pay";
    case CustomerAction::kDecline: return "decline";
    case CustomerAction::kLeave: return "leave";
    case CustomerAction::kNone: break;
  }
  return "";
}

const char* simulated_status(CustomerAction action) {
  switch (action) {
    case CustomerAction::kPay: return "SUCCESS";
    case CustomerAction::kDecline: return "FAILED";
    case CustomerAction::kLeave: return "USER_DROPPED";
    case CustomerAction::kNone: break;
  }
  return "";
}

// pgsim's UPI pay page for a payment.
std::string pay_page(const CustomerGateway& g, const std::string& payment_id) {
  return (g.flowwise ? "/router/view/pay/" : "/pay/") + payment_id;
}

}  // namespace

SimCustomer::SimCustomer(CustomerAction action, std::uint32_t after_s, CustomerGateway gateway)
    : action_(action), after_s_(after_s), gateway_(std::move(gateway)) {}

SimCustomer::~SimCustomer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SimCustomer::on_qr_shown(const engine::SaleRecord& record) {
  const std::string id(record.cf_payment_id.view());
  if (id.empty() || id == announced_) return;
  announced_ = id;
  std::string card_page;
  if (record.is_card()) {
    // The card's 3-D Secure page: the QR opens it on the customer's phone.
    const std::string url(record.intent.view());
    const std::size_t scheme = url.find("://");
    const std::size_t path = scheme == std::string::npos ? std::string::npos : url.find('/', scheme + 3);
    if (path != std::string::npos) card_page = url.substr(path);
    std::fprintf(stderr, "posagent-sim: customer: scan the QR, or verify the card at %s\n", url.c_str());
  } else if (gateway_.pgsim) {
    std::fprintf(stderr, "posagent-sim: customer: scan the QR, or pay at https://%s:%u%s\n",
                 gateway_.host.c_str(), static_cast<unsigned>(gateway_.port), pay_page(gateway_, id).c_str());
  } else {
    std::fprintf(stderr, "posagent-sim: customer: scan the QR, or open %.*s\n",
                 static_cast<int>(record.intent.size()), record.intent.view().data());
  }
  if (action_ == CustomerAction::kNone || thread_.joinable()) return;
  thread_ = std::thread([this, id, card_page] { act(id, card_page); });
}

void SimCustomer::act(std::string cf_payment_id, std::string card_page) {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (wake_.wait_for(lock, std::chrono::seconds(after_s_), [this] { return stopping_; })) return;
  }
  if (!card_page.empty() && action_ == CustomerAction::kLeave) {
    std::fprintf(stderr, "posagent-sim: customer: leaves the 3-D Secure page unfinished\n");
    return;
  }
  if (!gateway_.pgsim && gateway_.flowwise) {
    std::fprintf(stderr, "posagent-sim: customer: Flowwise has no payment simulator; pay from a phone\n");
    return;
  }
  httplib::SSLClient client(gateway_.host, gateway_.port);
  if (!gateway_.ca_file.empty()) client.set_ca_cert_path(gateway_.ca_file.c_str());
  client.enable_server_certificate_verification(true);
  client.set_connection_timeout(10);
  client.set_read_timeout(10);
  const auto post = [&]() -> httplib::Result {
    if (!card_page.empty() && gateway_.pgsim) {
      // pgsim's 3-D Secure page: the right OTP, or Cancel.
      const std::string body = action_ == CustomerAction::kPay ? "decision=submit&otp=" + gateway_.card_otp
                                                               : std::string("decision=cancel");
      return client.Post(card_page.c_str(), body, "application/x-www-form-urlencoded");
    }
    if (gateway_.pgsim) {
      const std::string body = std::string("decision=") + decision(action_);
      return client.Post(pay_page(gateway_, cf_payment_id).c_str(), body, "application/x-www-form-urlencoded");
    }
    const httplib::Headers headers = {{"x-api-version", gateway_.api_version},
                                      {"x-client-id", gateway_.client_id},
                                      {"x-client-secret", gateway_.client_secret}};
    const std::string body = R"({"entity":"PAYMENTS","entity_id":")" + cf_payment_id +
                             R"(","entity_simulation":{"payment_status":")" + simulated_status(action_) + R"("}})";
    return client.Post((gateway_.base_path + "/simulate").c_str(), headers, body, "application/json");
  };
  const httplib::Result result = post();
  if (result) {
    std::fprintf(stderr, "posagent-sim: customer: %s (HTTP %d)\n", decision(action_), result->status);
  } else {
    std::fprintf(stderr, "posagent-sim: customer: could not reach the gateway (%s)\n",
                 httplib::to_string(result.error()).c_str());
  }
}

}  // namespace posagent::sim
