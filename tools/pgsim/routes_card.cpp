// Card order pay. The card flows (native OTP, 3-D Secure page, tokens) are
// not built yet: until then pgsim answers as an account without cards does.
#include "pay.h"

namespace pgsim {

Reply pay_card(Ctx&, Order&, const json&) {
  throw invalid_request("request_failed", "the selected payment mode is not configured for this account");
}

}  // namespace pgsim
