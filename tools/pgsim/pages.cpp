// The customer's side, as small HTML pages: the pending UPI payment an
// intent points at (Pay / Decline / Leave), and an index of recent orders.
// Like the real sandbox's simulator pages they need no credentials: the
// payment id in the URL is the capability.
#include <algorithm>
#include <vector>

#include "clock.h"
#include "ids.h"
#include "lifecycle.h"
#include "page_html.h"
#include "routes.h"
#include "validate.h"

namespace pgsim {

std::string rupees(int64_t paise) {
  std::string frac = std::to_string(paise % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return "&#8377;" + std::to_string(paise / 100) + "." + frac;
}

std::string page(const std::string& title, const std::string& body) {
  return "<!doctype html><html lang=en><head><meta charset=utf-8>"
         "<meta name=viewport content='width=device-width,initial-scale=1'><title>" +
         html_escape(title) +
         "</title><style>body{font-family:sans-serif;max-width:28em;margin:2em auto;padding:0 1em}"
         "button{font-size:1.2em;padding:.5em 1.5em;margin:.3em}input{font-size:1.2em;width:8em}"
         "table{border-collapse:collapse}"
         "td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}</style></head><body>" +
         body + "</body></html>";
}

std::string decision_form(const std::string& action) {
  return "<form method=post action='" + html_escape(action) + "'>"
         "<button name=decision value=pay>Pay</button>"
         "<button name=decision value=decline>Decline</button>"
         "<button name=decision value=leave>Leave without paying</button></form>";
}

std::string decision_status(const std::string& d) {
  return d == "pay" ? "SUCCESS" : d == "decline" ? "FAILED" : d == "leave" ? "USER_DROPPED" : "";
}

namespace {

std::string note_of(const Order& o) {
  return o.order_note.is_string() ? o.order_note.get<std::string>() : "Order " + o.order_id;
}

Reply pay_page(Ctx& c) {
  const Payment* p = c.st.find_payment(c.params[0]);
  if (!p) return html_reply(404, page("Not found", "<h1>No such payment</h1>"));
  const Order& o = *c.st.find_order(p->order_id);
  std::string body = "<h1>Pay " + html_escape(c.cfg.payee_name) + "</h1><table>" +
                     "<tr><th>Payee</th><td id=payee>" + html_escape(c.cfg.payee_name) + " (" +
                     html_escape(c.cfg.payee_vpa) + ")</td></tr>" + "<tr><th>Amount</th><td id=amount>" +
                     rupees(p->amount_paise) + "</td></tr>" + "<tr><th>Note</th><td id=note>" +
                     html_escape(note_of(o)) + "</td></tr>" + "<tr><th>Payment</th><td>" + p->cf_payment_id +
                     "</td></tr><tr><th>Status</th><td id=status>" + p->status + "</td></tr></table>";
  if (is_open(*p)) {
    body += decision_form("/pay/" + p->cf_payment_id);
  } else {
    body += "<p id=result>This payment is " + p->status + ".</p>";
  }
  return html_reply(200, page("Pay " + c.cfg.payee_name, body));
}

// The customer's decision: Pay -> SUCCESS, Decline -> FAILED, Leave ->
// USER_DROPPED. A payment that is no longer open is not changed.
Reply decide(Ctx& c) {
  Payment* p = c.st.find_payment(c.params[0]);
  if (!p) return html_reply(404, page("Not found", "<h1>No such payment</h1>"));
  const std::string d = c.req.has_param("decision") ? c.req.get_param_value("decision") : "";
  const std::string status = decision_status(d);
  if (status.empty()) return html_reply(400, page("Bad request", "<h1>Choose Pay, Decline or Leave</h1>"));
  c.changed |= settle(c.st, *p, status, c.now, "customer's pay page");
  Reply r = html_reply(303, "");
  r.headers.emplace_back("Location", "/pay/" + p->cf_payment_id);
  return r;
}

Reply index(Ctx& c) {
  std::vector<const Order*> recent;
  for (const auto& [id, o] : c.st.orders) recent.push_back(&o);
  std::sort(recent.begin(), recent.end(), [](const Order* a, const Order* b) { return a->created_ms > b->created_ms; });
  if (recent.size() > 50) recent.resize(50);
  std::string rows;
  for (const Order* o : recent) {
    std::string pays;
    for (const auto& pid : o->payment_ids) {
      const Payment* p = c.st.find_payment(pid);
      if (!p) continue;
      const std::string href = (p->method == "card" ? "/pg/view/3ds/" : "/pay/") + pid;  // the customer's page
      pays += "<a href='" + href + "'>" + pid + "</a> " + p->method + "/" + p->channel + " " + p->status + "<br>";
    }
    rows += "<tr><td>" + html_escape(o->order_id) + "</td><td>" + rupees(o->amount_paise) + "</td><td>" + o->status +
            "</td><td>" + format_ist(o->created_ms) + "</td><td>" + pays + "</td></tr>";
  }
  return html_reply(200, page("pgsim", "<h1>pgsim: recent orders</h1><table><tr><th>Order</th><th>Amount</th>"
                                       "<th>Status</th><th>Created</th><th>Payments</th></tr>" +
                                           rows + "</table>"));
}

}  // namespace

void add_page_routes(Routes& r) {
  r.push_back({"GET", std::regex("/"), Kind::Page, "", 0, index});
  r.push_back({"GET", std::regex("/pay/([0-9]+)"), Kind::Page, "", 0, pay_page});
  r.push_back({"POST", std::regex("/pay/([0-9]+)"), Kind::Page, "", 0, decide});
}

}  // namespace pgsim
