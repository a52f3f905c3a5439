// SaleGateway on Cashfree PG: each engine request becomes one or two
// PgClient calls, and each result becomes the engine's event.
//
//   create    POST /orders (terminal details, customer, expiry, tags)
//   pay       POST /orders/sessions, UPI channel link (the QR is drawn from
//             the intent); a card sale (PgCardSales, when accepted): card
//             channel post (native OTP), or the 3-D Secure page when the
//             gateway answers action link/form
//   OTP       POST /orders/pay/authenticate/{cf_payment_id} (PgCardSales)
//   status    GET /orders/{id}, then GET /orders/{id}/payments
//   terminate PATCH /orders/{id}
//
// The mapping from a GatewayError to the engine's FailureClass is the
// client's retry decision, with one correction: a 5xx that the gateway
// *replayed* for our idempotency key is its stored first answer, and
// repeating the key would only replay it again, so it is final (kStop).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/agent/sale_gateway.hpp"
#include "core/base/fixed_string.hpp"
#include "core/base/log.hpp"
#include "core/gateway/pg_client.hpp"
#include "hal/clock.hpp"

namespace posagent::agent {

inline constexpr std::size_t kCustomerIdCapacity = 50;
inline constexpr std::size_t kOrderNoteCapacity = 200;
inline constexpr std::size_t kTagCapacity = 64;

// What every order this terminal creates carries besides the amount.
struct OrderDefaults {
  // Cashfree requires a customer on every order; a counter sale has a
  // walk-in customer: the terminal's own id and phone unless configured.
  FixedString<kCustomerIdCapacity> customer_id{"walkin"};
  FixedString<gateway::kPhoneLength> customer_phone;
  FixedString<kOrderNoteCapacity> order_note;  // empty: none
  // order_tags: {"terminal_id": ..., "sale": "upi_qr"}; empty: no tag.
  FixedString<kTagCapacity> terminal_tag;
  // A tag a pre-authorisation order carries, for gateways that flag it per
  // order (pgsim: "pgsim_preauth": "true"); Cashfree's accounts flag it
  // for the whole account, so empty there.
  FixedString<kTagCapacity> preauth_tag_key;
  FixedString<kTagCapacity> preauth_tag_value;
  // order_expiry_time is written in this offset (Cashfree stores IST).
  std::int32_t utc_offset_minutes = 330;
  // One PG call, connection and TLS handshake included.
  hal::Millis call_timeout_ms = 15'000;
};

// The engine's view of a failed call (tested row by row).
engine::RequestFailed to_request_failed(engine::RequestKind request, const gateway::GatewayError& error);
// The engine's view of an order and its attempts. At most
// engine::kMaxAttempts attempts fit: SUCCESS ones first, then PENDING ones,
// then the attempt with our cf_payment_id, then the newest others.
engine::StatusRead to_status_read(const gateway::OrderEntity& order, const gateway::PaymentList& payments,
                                  std::string_view our_cf_payment_id);
engine::OrderStatus to_engine(gateway::OrderStatus status);
engine::PaymentStatus to_engine(gateway::PaymentStatus status);
// A refusal of ours (not the gateway's): kStop with code and reason.
engine::RequestFailed refusal(engine::RequestKind request, std::string_view code, std::string_view reason);
// to_request_failed, with the failure logged (call names the request).
engine::RequestFailed failure_of(Logger* log, engine::RequestKind request, std::string_view call,
                                 const gateway::GatewayError& error, const gateway::PgCallInfo& info);

// Card Order Pay (channel post; the 3-D Secure page when the gateway
// answers action link or form) and Native OTP (SUBMIT_OTP, RESEND_OTP),
// behind an interface of their own: an image that takes UPI only never
// constructs PgCardSales, so its vtable, and with it every card request
// builder and decoder, is not linked (about 7 KB of flash on Cortex-M4).
class CardSaleRequests {
 public:
  virtual engine::Event pay(const engine::SaleRecord& record, const SaleSecrets& secrets, hal::Millis deadline) = 0;
  virtual engine::Event otp(engine::RequestKind request, const engine::SaleRecord& record,
                            const SaleSecrets& secrets, hal::Millis deadline) = 0;

 protected:
  ~CardSaleRequests() = default;
};

class PgCardSales final : public CardSaleRequests {
 public:
  explicit PgCardSales(gateway::PgClient& pg, Logger* log = nullptr) : pg_(pg), log_(log) {}
  engine::Event pay(const engine::SaleRecord& record, const SaleSecrets& secrets, hal::Millis deadline) override;
  engine::Event otp(engine::RequestKind request, const engine::SaleRecord& record, const SaleSecrets& secrets,
                    hal::Millis deadline) override;

 private:
  gateway::PgClient& pg_;
  Logger* log_;
};

class PgSaleGateway final : public SaleGateway {
 public:
  PgSaleGateway(gateway::PgClient& pg, hal::Clock& clock, const OrderDefaults& defaults, Logger* log = nullptr)
      : pg_(pg), clock_(clock), defaults_(defaults), log_(log) {}

  engine::Event send(engine::RequestKind request, const engine::SaleRecord& record,
                     const SaleSecrets& secrets) override;
  engine::GatewayApi api() const override { return engine::GatewayApi::kCashfreePg; }
  // Card sales go to `cards`; without it a card request is refused
  // ("Cards not enabled") and nothing is sent.
  void accept_cards(CardSaleRequests& cards) { cards_ = &cards; }

 private:
  engine::Event create(const engine::SaleRecord& record, hal::Millis deadline);
  engine::Event pay(const engine::SaleRecord& record, hal::Millis deadline);
  engine::Event status(const engine::SaleRecord& record, hal::Millis deadline);
  engine::Event terminate(const engine::SaleRecord& record, hal::Millis deadline);

  gateway::PgClient& pg_;
  hal::Clock& clock_;
  const OrderDefaults& defaults_;
  Logger* log_;
  CardSaleRequests* cards_ = nullptr;
};

}  // namespace posagent::agent
