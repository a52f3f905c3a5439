// The customer's phone, simulated: when the QR appears, posagent-sim prints
// where a person can pay (pgsim's pay page, or the intent itself), and with
// --auto-pay / --auto-decline / --auto-leave a thread acts as the customer
// after the given delay. It is another device, so it has its own HTTPS
// stack (cpp-httplib over OpenSSL), not the terminal's.
//
// On pgsim (local, or a --gateway-url on localhost) the customer uses the
// pay page's form (POST /pay/{cf_payment_id}, or /router/view/pay/{id} on
// Flowwise; decision pay|decline|leave); on the Cashfree sandbox, the
// sandbox's payment simulator (POST /pg/simulate, SUCCESS / FAILED /
// USER_DROPPED). Flowwise's own sandbox documents no simulator: there the
// customer pays on their phone. A card's 3-D Secure page is the QR's
// address, on either API.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "core/agent/sale_runner.hpp"
#include "firmware/sim/sim_setup.hpp"

namespace posagent::sim {

struct CustomerGateway {
  bool pgsim = true;     // pay page (pgsim) or simulate API (sandbox)
  std::string host;
  std::uint16_t port = 443;
  std::string base_path; // "/pg"
  std::string ca_file;   // empty: the system's
  std::string client_id, client_secret, api_version;
  bool flowwise = false;  // Flowwise (/router): its pay pages, no simulate API
  std::string card_otp = "111000";  // pgsim's test cards' OTP (tools/pgsim/CARDS.md)
};

class SimCustomer final : public agent::SaleObserver {
 public:
  SimCustomer(CustomerAction action, std::uint32_t after_s, CustomerGateway gateway);
  ~SimCustomer();  // wakes and joins the customer thread
  SimCustomer(const SimCustomer&) = delete;
  SimCustomer& operator=(const SimCustomer&) = delete;

  void on_qr_shown(const engine::SaleRecord& record) override;

 private:
  void act(std::string cf_payment_id, std::string card_page);

  CustomerAction action_;
  std::uint32_t after_s_;
  CustomerGateway gateway_;
  std::string announced_;  // the payment last announced (a power-up redraws the QR)
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace posagent::sim
