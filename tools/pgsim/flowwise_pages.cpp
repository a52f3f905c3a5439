// The customer's side of Flowwise, as small HTML pages like pages.cpp's:
//   /router/view/checkout/{order_hash}  the order's checkout_url: its state,
//                                       its payments, a "Pay with UPI" button
//   /router/view/pay/{payment_id}       a UPI payment, as the customer's UPI
//                                       app: Pay / Decline / Leave
//   /router/view/3ds/{payment_id}       a card's 3-D Secure page: OTP (the
//                                       sandbox's is 111000), Submit / Cancel
// Like the sandbox's simulator pages they need no credentials: the hash or
// payment id in the URL is the capability.
#include "flowwise.h"
#include "ids.h"
#include "page_html.h"

namespace pgsim {
namespace {

std::string row(const std::string& name, const std::string& id, const std::string& html) {
  return "<tr><th>" + name + "</th><td id=" + id + ">" + html + "</td></tr>";
}

Reply message_page(int status, const std::string& title, const std::string& text) {
  return html_reply(status, page(title, "<h1>" + html_escape(title) + "</h1><p id=result>" + html_escape(text) + "</p>"));
}

Reply see_other(const std::string& location) {
  Reply r = html_reply(303, "");
  r.headers.emplace_back("Location", location);
  return r;
}

// The payment named in the URL, if it is of `method`.
FwPayment* payment_of(Ctx& c, const std::string& method) {
  FwPayment* p = c.st.flowwise.find_payment(c.params[0]);
  return p && p->method == method ? p : nullptr;
}

FwOrder* order_by_hash(Ctx& c) {
  auto it = c.st.flowwise.hashes.find(c.params[0]);
  return it == c.st.flowwise.hashes.end() ? nullptr : c.st.flowwise.find_order(it->second);
}

std::string decision_of(const Ctx& c) { return c.req.has_param("decision") ? c.req.get_param_value("decision") : ""; }

Reply checkout_page(Ctx& c) {
  const FwOrder* o = order_by_hash(c);
  if (!o) return message_page(404, "Not found", "No order has this checkout link.");
  std::string pays;
  for (const auto& id : o->payment_ids) {
    const FwPayment* p = c.st.flowwise.find_payment(id);
    if (!p) continue;
    const std::string view = p->method == "card" ? "3ds" : "pay";
    pays += "<a href='/router/view/" + view + "/" + id + "'>" + id + "</a> " + p->method + " " + p->status + "<br>";
  }
  std::string body = "<h1>Pay " + html_escape(c.cfg.payee_name) + "</h1><table>" +
                     row("Order", "order", html_escape(o->order_id)) + row("Amount", "amount", rupees(o->amount_paise)) +
                     row("Status", "status", o->status) + row("Payments", "payments", pays) + "</table>";
  if (o->status == "ACTIVE")
    body += "<form method=post action='/router/view/checkout/" + o->order_hash +
            "'><button>Pay with UPI</button></form>";
  return html_reply(200, page("Checkout", body));
}

// "Pay with UPI": a new intent payment, then its pay page.
Reply checkout_pay(Ctx& c) {
  FwOrder* o = order_by_hash(c);
  if (!o) return message_page(404, "Not found", "No order has this checkout link.");
  if (o->status != "ACTIVE") return see_other("/router/view/checkout/" + o->order_hash);
  try {
    const FwPayment& p = fw_add_payment(c, *o, "upi", json::object(), nullptr);
    return see_other("/router/view/pay/" + p.payment_id);
  } catch (const ApiError& e) {
    return message_page(e.status, "Cannot pay", e.what());
  }
}

Reply upi_page(Ctx& c) {
  const FwPayment* p = payment_of(c, "upi");
  if (!p) return message_page(404, "Not found", "No such UPI payment.");
  const FwOrder& o = *c.st.flowwise.find_order(p->order_id);
  std::string body = "<h1>Pay " + html_escape(c.cfg.payee_name) + "</h1><table>" +
                     row("Payee", "payee", html_escape(c.cfg.payee_name + " (" + c.cfg.payee_vpa + ")")) +
                     row("Amount", "amount", rupees(p->amount_paise)) + row("Order", "order", html_escape(o.order_id)) +
                     row("Payment", "payment", p->payment_id) + row("Status", "status", p->status) + "</table>";
  if (fw_is_open(*p)) {
    body += "<p><a id=intent href='" + html_escape(fw_upi_intent(c.cfg, o, *p)) + "'>Open in a UPI app</a></p>" +
            decision_form("/router/view/pay/" + p->payment_id);
  } else {
    body += "<p id=result>This payment is " + p->status + ".</p>";
  }
  return html_reply(200, page("Pay " + c.cfg.payee_name, body));
}

// Pay -> SUCCESS, Decline -> FAILED, Leave -> USER_DROPPED; a payment no
// longer open is not changed. Back to the page, which shows the outcome.
Reply upi_decide(Ctx& c) {
  FwPayment* p = payment_of(c, "upi");
  if (!p) return message_page(404, "Not found", "No such UPI payment.");
  const std::string d = decision_of(c);
  const std::string status = decision_status(d);
  if (status.empty()) return message_page(400, "Bad request", "Choose Pay, Decline or Leave.");
  c.changed |= fw_settle(c.st.flowwise, *p, status, c.now, "customer's UPI app");
  return see_other("/router/view/pay/" + p->payment_id);
}

Reply three_ds_page(Ctx& c) {
  const FwPayment* p = payment_of(c, "card");
  if (!p) return message_page(404, "Not found", "No such card payment.");
  const json& card = p->method_details;
  std::string body = "<h1>3-D Secure</h1><table>" + row("Merchant", "payee", html_escape(c.cfg.payee_name)) +
                     row("Amount", "amount", rupees(p->amount_paise)) +
                     row("Card", "card", html_escape(card.value("card_network", "") + " " + card.value("card_number", ""))) +
                     row("Status", "status", p->status) + "</table>";
  if (fw_is_open(*p)) {
    body += std::string("<form method=post action='/router/view/3ds/") + p->payment_id + "'>" +
            "<p><label>One-time password <input name=otp inputmode=numeric autocomplete=one-time-code></label></p>"
            "<p>Sandbox OTP: " + html_escape(c.cfg.card_otp) + "</p>"
            "<button name=decision value=submit>Submit</button>"
            "<button name=decision value=cancel>Cancel</button></form>";
  } else {
    body += "<p id=result>This payment is " + p->status + ".</p>";
  }
  return html_reply(200, page("3-D Secure", body));
}

// Submit with the right OTP -> SUCCESS, a wrong one -> FAILED, Cancel ->
// USER_DROPPED. The customer then goes to the payment's return_url, as
// after a bank's ACS page, or back to this page when there is none.
Reply three_ds_submit(Ctx& c) {
  FwPayment* p = payment_of(c, "card");
  if (!p) return message_page(404, "Not found", "No such card payment.");
  const std::string d = decision_of(c);
  if (d != "submit" && d != "cancel") return message_page(400, "Bad request", "Choose Submit or Cancel.");
  const std::string otp = c.req.has_param("otp") ? c.req.get_param_value("otp") : "";
  const std::string status = d == "cancel" ? "USER_DROPPED" : otp == c.cfg.card_otp ? "SUCCESS" : "FAILED";
  c.changed |= fw_settle(c.st.flowwise, *p, status, c.now, "3-D Secure page",
                         status == "FAILED" ? "AUTHENTICATION_FAILED" : "");
  return see_other(p->return_url.is_string() ? p->return_url.get<std::string>() : "/router/view/3ds/" + p->payment_id);
}

}  // namespace

void add_flowwise_page_routes(Routes& r) {
  const std::string id = "([A-Za-z0-9_]+)";
  r.push_back({"GET", std::regex("/router/view/checkout/" + id), Kind::Page, "", 0, checkout_page});
  r.push_back({"POST", std::regex("/router/view/checkout/" + id), Kind::Page, "", 0, checkout_pay});
  r.push_back({"GET", std::regex("/router/view/pay/" + id), Kind::Page, "", 0, upi_page});
  r.push_back({"POST", std::regex("/router/view/pay/" + id), Kind::Page, "", 0, upi_decide});
  r.push_back({"GET", std::regex("/router/view/3ds/" + id), Kind::Page, "", 0, three_ds_page});
  r.push_back({"POST", std::regex("/router/view/3ds/" + id), Kind::Page, "", 0, three_ds_submit});
}

}  // namespace pgsim
