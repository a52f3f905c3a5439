// pgsim's 3-D Secure page: where a card payment's data.url (channel link)
// and data.redirect_to_bank (channel post) send the customer. It stands for
// the bank's ACS page: merchant, amount and masked card, an OTP field, and
// Submit / Cancel. Submit with the right OTP settles the payment as the bank
// would (SUCCESS, or FAILED for the decline card); a wrong OTP counts towards
// the same three tries as Native OTP; Cancel is USER_DROPPED. A page nobody
// completes is dropped at the attempt time limit (tick).
//
// GET shows it; a POST without a decision shows it too, since Order Pay's
// data asks the client to post the form {"name":"card"} to it. Like pgsim's
// UPI pay page it needs no credentials: the payment id is the capability.
#include "cards.h"
#include "ids.h"
#include "lifecycle.h"
#include "page_html.h"
#include "routes.h"

namespace pgsim {
namespace {

std::string path_of(const Payment& p) { return "/pg/view/3ds/" + p.cf_payment_id; }

// The card payment and its session, or nothing for any other id.
std::pair<Payment*, CardSession*> card_payment(Ctx& c) {
  Payment* p = c.st.find_payment(c.params[0]);
  auto s = c.st.card_sessions.find(c.params[0]);
  if (!p || s == c.st.card_sessions.end()) return {nullptr, nullptr};
  return {p, &s->second};
}

Reply no_such_payment() { return html_reply(404, page("Not found", "<h1>No such card payment</h1>")); }

std::string otp_form(const Ctx& c, const Payment& p, const CardSession& s) {
  std::string out;
  if (s.wrong_otps > 0)
    out += "<p id=error>The OTP was wrong (" + std::to_string(s.wrong_otps) + " of " +
           std::to_string(kMaxWrongOtps) + " tries used).</p>";
  out += "<form method=post action='" + path_of(p) + "'>"
         "<p><label>OTP sent to your mobile <input name=otp inputmode=numeric autocomplete=one-time-code></label></p>"
         "<button name=decision value=submit>Submit</button>"
         "<button name=decision value=cancel>Cancel</button></form>"
         "<p><small>pgsim sandbox: the OTP is " + html_escape(c.cfg.card_otp) + ".</small></p>";
  return out;
}

Reply show(Ctx& c) {
  auto [p, s] = card_payment(c);
  if (!p) return no_such_payment();
  const std::string masked = p->card.value("card_number", "");
  const std::string network = p->card.value("card_network", "");
  std::string body = "<h1>Verify your card payment</h1><table>"
                     "<tr><th>Merchant</th><td id=merchant>" + html_escape(c.cfg.payee_name) + "</td></tr>"
                     "<tr><th>Amount</th><td id=amount>" + rupees(p->amount_paise) + "</td></tr>"
                     "<tr><th>Card</th><td id=card>" + html_escape(network) + " " + html_escape(masked) + "</td></tr>"
                     "<tr><th>Payment</th><td>" + p->cf_payment_id + "</td></tr>"
                     "<tr><th>Status</th><td id=status>" + p->status + "</td></tr></table>";
  body += is_open(*p) ? otp_form(c, *p, *s) : "<p id=result>This payment is " + p->status + ".</p>";
  return html_reply(200, page("3-D Secure", body));
}

Reply decide(Ctx& c) {
  auto [p, s] = card_payment(c);
  if (!p) return no_such_payment();
  const std::string d = c.req.has_param("decision") ? c.req.get_param_value("decision") : "";
  if (d.empty()) return show(c);  // the form post Order Pay's data describes
  if (d != "submit" && d != "cancel")
    return html_reply(400, page("Bad request", "<h1>Choose Submit or Cancel</h1>"));
  if (is_open(*p)) {
    c.changed = true;
    if (d == "cancel") {
      settle(c.st, *p, "USER_DROPPED", c.now, "customer cancelled on the 3-D Secure page");
    } else {
      submit_otp(c.st, c.cfg, *p, *s, c.req.get_param_value("otp"), c.now, "3-D Secure page");
    }
  }
  Reply r = html_reply(303, "");
  r.headers.emplace_back("Location", path_of(*p));
  return r;
}

}  // namespace

void add_card_page_routes(Routes& r) {
  // Under /pg, so the x-ratelimit-* rules apply: a generous per-minute limit.
  r.push_back({"GET", std::regex("/pg/view/3ds/([0-9]+)"), Kind::Page, "card_page", 600, show});
  r.push_back({"POST", std::regex("/pg/view/3ds/([0-9]+)"), Kind::Page, "card_page", 600, decide});
}

}  // namespace pgsim
