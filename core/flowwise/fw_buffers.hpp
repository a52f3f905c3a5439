// The Flowwise client's buffers: core/gateway's PgBuffersBase (request,
// response, JSON arena, with the same sharing: the JSON request body is
// printed into the response buffer), sized for the router's answers.
//
// A card payment's body is built in the arena (cJSON copies every string
// into it), so the arena holds the card number and CVV until the request
// builder wipes it (JsonArenaBase::wipe), right after printing, on every
// path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/gateway/pg_client.hpp"
#include "core/json/json_arena.hpp"

namespace posagent::flowwise {

class FlowwiseBuffersBase : public gateway::PgBuffersBase {
 protected:
  FlowwiseBuffersBase(std::span<char> request, std::span<std::uint8_t> response, JsonArenaBase& arena)
      : PgBuffersBase(request, response, arena) {}
  ~FlowwiseBuffersBase() = default;
};

// Sizes, from pgsim's answers (measured by tests/flowwise):
//   request   2.5 KB: the largest create order (every customer field, tag,
//             note and return URL at its capacity) is 2.0 KB with the
//             sandbox's host, ~2.2 KB with the longest host and key; a card
//             payment ~0.5 KB.
//   response  8 KB: an order ~0.5 KB, a payment 0.5..0.7 KB; Get Payments of
//             kMaxPayments of the largest (card PaymentDetails) is 4.8 KB.
//   arena     4 KB: peaks x86_64 / Cortex-M4 (cJSON nodes are 64 / 40
//             bytes): order 1.8 / 1.3 KB, UPI intent 1.6 / 1.2 KB, card
//             PaymentDetails 2.3 / 1.6 KB (Get Payments is parsed one
//             element at a time). A card request body is built in it too
//             (well under 1 KB).
// RAM: sizeof(FlowwiseBuffers<>) = 14,904 bytes on Cortex-M4 (14,960 on
// x86_64), FlowwiseClient 364 / 472, FlowwiseConfig 392 / 416. Results are
// the caller's: FwOrder 208, FwPayment 1,808, FwPaymentList 6,152 bytes on
// Cortex-M4 (8 x FwPaymentDetails of 768).
inline constexpr std::size_t kDefaultRequestBytes = 2560;
inline constexpr std::size_t kDefaultResponseBytes = 8192;
inline constexpr std::size_t kDefaultArenaBytes = 4096;

template <std::size_t kRequestBytes = kDefaultRequestBytes, std::size_t kResponseBytes = kDefaultResponseBytes,
          std::size_t kArenaBytes = kDefaultArenaBytes>
class FlowwiseBuffers final : public FlowwiseBuffersBase {
 public:
  FlowwiseBuffers() : FlowwiseBuffersBase(request_storage_, response_storage_, arena_storage_) {}

 private:
  char request_storage_[kRequestBytes];
  std::uint8_t response_storage_[kResponseBytes];
  JsonArena<kArenaBytes> arena_storage_;
};

}  // namespace posagent::flowwise
