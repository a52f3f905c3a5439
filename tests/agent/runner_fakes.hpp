// HAL and gateway stand-ins for the runner's tests, all on one simulated
// clock: a keypad that lets time pass until a deadline (and presses cancel
// when scripted), storage in memory that can fail, and the engine tests'
// fake gateway behind the SaleGateway interface.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "core/agent/sale_gateway.hpp"
#include "hal/input.hpp"
#include "hal/storage.hpp"
#include "tests/engine/sale_sim.hpp"
#include "tests/support/fakes.hpp"

namespace posagent::agent::test {

using engine::test::FakeGateway;
using engine::test::kWall0;

// Time passes only while the runner waits on the keypad (and, by
// latency_ms, per request).
class ScriptedKeypad final : public hal::Input {
 public:
  explicit ScriptedKeypad(posagent::test::FakeClock& clock) : clock_(clock) {}
  hal::Key wait_key(hal::Millis deadline) override {
    ++waits;
    const hal::Millis now = clock_.monotonic_ms();
    // Typed keys, key_gap_ms apart, while the deadline allows.
    if (!typed.empty() && now + key_gap_ms <= deadline) {
      clock_.advance_ms(key_gap_ms);
      const hal::Key key = typed.front();
      typed.erase(typed.begin());
      return key;
    }
    if (cancel_at_ms >= 0 && static_cast<hal::Millis>(cancel_at_ms) <= deadline) {
      if (static_cast<hal::Millis>(cancel_at_ms) > now) clock_.advance_ms(static_cast<hal::Millis>(cancel_at_ms) - now);
      cancel_at_ms = -1;
      return hal::Key::kCancel;
    }
    if (deadline > now) clock_.advance_ms(deadline - now);
    return hal::Key::kNone;
  }
  // Types text: digits, '\n' Enter, 'c' Clear, 'x' Cancel.
  void type(std::string_view text) {
    for (const char c : text) typed.push_back(static_cast<hal::Key>(c));
  }
  std::int64_t cancel_at_ms = -1;
  int waits = 0;
  std::vector<hal::Key> typed;
  hal::Millis key_gap_ms = 400;

 private:
  posagent::test::FakeClock& clock_;
};

class MemoryStorage final : public hal::Storage {
 public:
  Result<std::size_t> read(hal::RecordId id, std::span<std::uint8_t> buffer) override {
    const auto it = records.find(id);
    if (it == records.end()) return Status(Code::kNotFound, "no record");
    if (it->second.size() > buffer.size()) return Status(Code::kCapacityExceeded, "buffer small");
    std::copy(it->second.begin(), it->second.end(), buffer.begin());
    return it->second.size();
  }
  Status replace(hal::RecordId id, std::span<const std::uint8_t> contents) override {
    ++writes;
    if (fail_writes > 0) {
      --fail_writes;
      return Status(Code::kIoError, "flash busy");
    }
    records[id].assign(contents.begin(), contents.end());
    return Status::Ok();
  }
  Status erase(hal::RecordId id) override {
    records.erase(id);
    return Status::Ok();
  }
  std::map<hal::RecordId, std::vector<std::uint8_t>> records;
  int writes = 0;
  int fail_writes = 0;
};

// The fake gateway of the engine tests, reached through SaleGateway. Each
// request takes latency_ms of simulated time. on_request runs after the
// gateway acted and before the runner hears the answer (a power cut there
// loses the answer, never the gateway's action).
class FakeSaleGateway final : public SaleGateway {
 public:
  explicit FakeSaleGateway(posagent::test::FakeClock& clock) : clock_(clock) {}
  engine::Event send(engine::RequestKind request, const engine::SaleRecord& record,
                     const SaleSecrets& secrets) override {
    clock_.advance_ms(latency_ms);
    // What the runner handed over, for the hygiene checks.
    if (secrets.card != nullptr) cards_sent.push_back(std::string(secrets.card->number.view()));
    if (!secrets.otp.empty()) gw.last_otp = std::string(secrets.otp);
    if (request == engine::RequestKind::kSubmitOtp) otps_sent.push_back(std::string(secrets.otp));
    if (request == engine::RequestKind::kOrderPay && record.is_card() && secrets.card == nullptr) ++card_pays_without_card;
    const std::int64_t now = static_cast<std::int64_t>(clock_.monotonic_ms());
    sent.push_back(request);
    journal_writes_before.push_back(storage != nullptr ? storage->writes : 0);
    engine::Event answer = gw.request(request, record, now);
    if (on_request) on_request(*this);
    return answer;
  }
  engine::GatewayApi api() const override { return api_is; }
  FakeGateway gw;
  hal::Millis latency_ms = 120;
  engine::GatewayApi api_is = engine::GatewayApi::kCashfreePg;
  std::vector<engine::RequestKind> sent;
  std::vector<std::string> cards_sent;  // card numbers handed over with card Order Pays
  std::vector<std::string> otps_sent;
  int card_pays_without_card = 0;
  std::vector<int> journal_writes_before;
  MemoryStorage* storage = nullptr;
  std::function<void(FakeSaleGateway&)> on_request;

 private:
  posagent::test::FakeClock& clock_;
};

}  // namespace posagent::agent::test
