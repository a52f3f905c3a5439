// Cashfree's official Node SDK (cashfree-pg) against pgsim: if pgsim is a
// faithful twin, the SDK drives it exactly as it drives the sandbox, and
// every answer decodes into the SDK's own model types (lib/sdk_types.mjs).
//
// Run: node sdk_conformance.mjs /path/to/pgsim   (or PGSIM_BIN=/path/to/pgsim)
//
// cashfree-pg 5.x is the line pinned to x-api-version 2025-01-01, the version
// of the spec in contracts/ (6.x sends 2026-01-01).
import assert from 'node:assert/strict';
import https from 'node:https';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';

import { CLIENT_ID, CLIENT_SECRET, orderRequest, startPgsim, uniqueId } from './lib/pgsim.mjs';
import { assertSdkType } from './lib/sdk_types.mjs';

const require = createRequire(import.meta.url);
const { Cashfree, CFEnvironment } = require('cashfree-pg');
// The SDK's own axios (cashfree-pg pins its version), so the instance we
// hand the SDK is the very library it would otherwise use itself.
const axios = createRequire(require.resolve('cashfree-pg'))('axios');

// How the SDK is pointed at pgsim, and why this way:
//  - Every SDK method sends `request(this.axios, this.basePath)`; the URL
//    built in for SANDBOX is only the default of basePath. `basePath` is a
//    public field of the Cashfree class (api.d.ts), so setting it to
//    <base>/pg redirects every call, paths unchanged.
//  - The 8th constructor argument is the axios instance to use. Ours has an
//    https.Agent whose `ca` is pgsim's CA: only this client trusts it, TLS is
//    still fully verified (host name included), and nothing process-wide
//    changes (no NODE_TLS_REJECT_UNAUTHORIZED, no NODE_EXTRA_CA_CERTS, which
//    Node reads only at start-up and so would need a child process).
//    `proxy: false` keeps an environment proxy from capturing localhost.
//  - The 7th argument, XEnableErrorAnalytics, is false: otherwise the SDK
//    initialises Sentry and reports errors to Cashfree over the internet.
function sdkClient(baseUrl, ca) {
  const http = ca ? axios.create({ httpsAgent: new https.Agent({ ca }), proxy: false }) : axios.create({ proxy: false });
  const cf = new Cashfree(CFEnvironment.SANDBOX, CLIENT_ID, CLIENT_SECRET, undefined, undefined, undefined, false, http);
  cf.basePath = `${baseUrl}/pg`;
  return cf;
}

// SDK calls throw AxiosError on any non-2xx; say what pgsim answered.
async function call(what, promise) {
  try {
    return await promise;
  } catch (e) {
    if (e.response) throw new Error(`${what}: HTTP ${e.response.status} ${JSON.stringify(e.response.data)}`);
    throw new Error(`${what}: ${e.code || ''} ${e.message}`);
  }
}

let sim;
let cf;
const s = {}; // what one step leaves for the next

before(async () => {
  sim = await startPgsim();
  cf = sdkClient(sim.baseUrl, sim.ca);
});
after(async () => { await sim?.stop(); });

test('TLS is verified: an SDK client that does not trust pgsim\'s CA is refused', async () => {
  const untrusting = sdkClient(sim.baseUrl, null);
  await assert.rejects(untrusting.PGFetchOrder('nobody'), (e) => {
    assert.match(String(e.code), /SELF_SIGNED|UNABLE_TO_VERIFY|CERT/, `expected a certificate error, got ${e.code} ${e.message}`);
    return true;
  });
});

test('PGCreateOrder with terminal details -> OrderEntity ACTIVE', async () => {
  s.orderId = uniqueId('sdk');
  const r = await call('PGCreateOrder', cf.PGCreateOrder(orderRequest(s.orderId, 499.0), uniqueId('req')));
  assert.equal(r.status, 200);
  const o = assertSdkType(r.data, 'OrderEntity');
  assert.equal(o.order_id, s.orderId);
  assert.equal(o.order_status, 'ACTIVE');
  assert.equal(o.order_amount, 499);
  assert.equal(o.order_currency, 'INR');
  assert.equal(o.entity, 'order');
  assert.ok(o.cf_order_id && typeof o.cf_order_id === 'string');
  assert.ok(o.payment_session_id, 'payment_session_id');
  assert.ok(o.terminal_data, 'terminal_data for an order created with a terminal');
  assert.equal(o.terminal_data.terminal_type, 'SPOS');
  assert.equal(o.terminal_data.merchant_terminal_id, 'T-1');
  assert.equal(o.terminal_data.agent_mobile_number, '9876543210');
  s.session = o.payment_session_id;
});

test('PGPayOrder UPI link -> action custom, intents in data.payload', async () => {
  const r = await call('PGPayOrder upi link', cf.PGPayOrder({ payment_session_id: s.session, payment_method: { upi: { channel: 'link' } } }));
  const p = assertSdkType(r.data, 'PayOrderEntity');
  assert.equal(p.payment_method, 'upi');
  assert.equal(p.channel, 'link');
  assert.equal(p.action, 'custom');
  assert.equal(p.payment_amount, 499);
  assert.match(p.cf_payment_id, /^\d+$/);
  for (const app of ['default', 'gpay', 'phonepe', 'paytm', 'bhim']) assert.equal(typeof p.data.payload[app], 'string', `data.payload.${app}`);
  // Sandbox mode: the intents are https links to pgsim's own pay page.
  assert.ok(p.data.payload.default.startsWith(`${sim.baseUrl}/pay/${p.cf_payment_id}`), p.data.payload.default);
  s.linkPaymentId = p.cf_payment_id;
});

test('PGPayOrder UPI qrcode -> action custom, data.payload.qrcode is a PNG data URI', async () => {
  const r = await call('PGPayOrder upi qrcode', cf.PGPayOrder({ payment_session_id: s.session, payment_method: { upi: { channel: 'qrcode' } } }));
  const p = assertSdkType(r.data, 'PayOrderEntity');
  assert.equal(p.channel, 'qrcode');
  assert.equal(p.action, 'custom');
  const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(p.data.payload.qrcode);
  assert.ok(m, `qrcode is not a PNG data URI: ${String(p.data.payload.qrcode).slice(0, 60)}`);
  assert.deepEqual([...Buffer.from(m[1], 'base64').subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});

test('PGSimulatePayment SUCCESS on the UPI link payment -> SimulationResponse', async () => {
  const r = await call('PGSimulatePayment', cf.PGSimulatePayment({
    entity: 'PAYMENTS', entity_id: s.linkPaymentId, entity_simulation: { payment_status: 'SUCCESS' },
  }));
  const sr = assertSdkType(r.data, 'SimulationResponse');
  assert.equal(sr.entity_id, s.linkPaymentId);
  assert.equal(sr.entity_simulation.payment_status, 'SUCCESS');
  assert.ok(sr.simulation_id);
  const again = await call('PGFetchSimulation', cf.PGFetchSimulation(sr.simulation_id));
  assert.deepEqual(assertSdkType(again.data, 'SimulationResponse'), sr);
});

test('PGFetchOrder -> PAID', async () => {
  const r = await call('PGFetchOrder', cf.PGFetchOrder(s.orderId));
  const o = assertSdkType(r.data, 'OrderEntity');
  assert.equal(o.order_status, 'PAID');
});

test('PGOrderFetchPayments / PGOrderFetchPayment -> PaymentEntity[] with the SUCCESS attempt', async () => {
  const r = await call('PGOrderFetchPayments', cf.PGOrderFetchPayments(s.orderId));
  const list = assertSdkType(r.data, 'Array<PaymentEntity>', 'GET /orders/{id}/payments');
  assert.equal(list.length, 2, 'one attempt per order pay call (link, qrcode)');
  const paid = list.find((p) => p.cf_payment_id === s.linkPaymentId);
  assert.ok(paid, `payment ${s.linkPaymentId} listed`);
  assert.equal(paid.payment_status, 'SUCCESS');
  assert.equal(paid.order_id, s.orderId);
  assert.equal(paid.payment_amount, 499);
  assert.equal(paid.payment_group, 'upi');
  assert.equal(paid.payment_method.upi.channel, 'link');
  const other = list.find((p) => p.cf_payment_id !== s.linkPaymentId);
  assert.notEqual(other.payment_status, 'SUCCESS', 'only one attempt can succeed');

  const one = await call('PGOrderFetchPayment', cf.PGOrderFetchPayment(s.orderId, s.linkPaymentId));
  assert.deepEqual(assertSdkType(one.data, 'PaymentEntity'), paid);
});

test('PGPayOrder card (channel post, 4111111111111111 12/30) -> action post', async () => {
  const orderId = uniqueId('sdkcard');
  const o = (await call('PGCreateOrder (card)', cf.PGCreateOrder(orderRequest(orderId, 250.5)))).data;
  const r = await call('PGPayOrder card post', cf.PGPayOrder({
    payment_session_id: o.payment_session_id,
    payment_method: { card: { channel: 'post', card_number: '4111111111111111', card_holder_name: 'Test Customer', card_expiry_mm: '12', card_expiry_yy: '30', card_cvv: '123' } },
  }));
  const p = assertSdkType(r.data, 'PayOrderEntity');
  assert.equal(p.payment_method, 'card');
  assert.equal(p.channel, 'post');
  assert.equal(p.action, 'post');
  assert.equal(p.payment_amount, 250.5);
  assert.match(p.cf_payment_id, /^\d+$/);
  // Native OTP: the OTP goes to the authenticate API of this payment.
  assert.ok(p.data.url.endsWith(`/pg/orders/pay/authenticate/${p.cf_payment_id}`), `data.url ${p.data.url}`);
});

test('PGTerminateOrder on another order -> TERMINATION_REQUESTED, then TERMINATED', async () => {
  const orderId = uniqueId('sdkterm');
  await call('PGCreateOrder (terminate)', cf.PGCreateOrder(orderRequest(orderId, 10)));
  const r = await call('PGTerminateOrder', cf.PGTerminateOrder(orderId, { order_status: 'TERMINATED' }));
  const o = assertSdkType(r.data, 'OrderEntity');
  assert.ok(['TERMINATION_REQUESTED', 'TERMINATED'].includes(o.order_status), o.order_status);
  // pgsim completes a termination after --termination-delay-ms (1 s by
  // default); move its clock rather than wait.
  await sim.admin('POST', '/clock', { advance_ms: 5000 });
  const later = assertSdkType((await call('PGFetchOrder (terminated)', cf.PGFetchOrder(orderId))).data, 'OrderEntity');
  assert.equal(later.order_status, 'TERMINATED');
});

test('PGOrderCreateRefund on the paid order -> RefundEntity', async () => {
  const refundId = uniqueId('rf', '');
  const r = await call('PGOrderCreateRefund', cf.PGOrderCreateRefund(s.orderId, { refund_amount: 100, refund_id: refundId, refund_note: 'pgsim refund test' }));
  const f = assertSdkType(r.data, 'RefundEntity');
  assert.equal(f.entity, 'refund');
  assert.equal(f.refund_id, refundId);
  assert.equal(f.order_id, s.orderId);
  assert.equal(f.refund_amount, 100);
  assert.equal(f.cf_payment_id, s.linkPaymentId, 'the refund is against the successful payment');
  assert.ok(f.cf_refund_id);
  assert.ok(['SUCCESS', 'PENDING'].includes(f.refund_status), f.refund_status);
});
