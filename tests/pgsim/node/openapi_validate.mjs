// Every response pgsim gives in a scripted session, checked against Cashfree's
// 2025-01-01 OpenAPI spec: body schema and documented headers for that path,
// method and status (lib/openapi.mjs says exactly how, and which two spec
// errata it corrects). The script covers the flows the agent uses and the
// typical errors: 400 validation, 401 wrong secret, 404 unknown order, 409
// duplicate order_id, 422 idempotency mismatch, plus 429/500/502 through
// pgsim's scripted faults. An answer whose status differs from the one the
// step expects is a failure too.
//
// Run: node openapi_validate.mjs /path/to/pgsim   (or PGSIM_BIN=...)
// Prints a table of METHOD path status validated; exits 1 on any mismatch.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { loadSpec } from './lib/openapi.mjs';
import { API_VERSION, CLIENT_ID, CLIENT_SECRET, orderRequest, startPgsim, uniqueId } from './lib/pgsim.mjs';

const oas = loadSpec();
let sim;
const rows = [];
const s = {};

before(async () => { sim = await startPgsim(); });
after(async () => {
  await sim?.stop();
  printTable();
});

// One request, validated. `auth: false` sends no client credentials (the
// customer-side Order Pay call). Returns the response; throws on mismatch.
async function check(step, method, path, { body, headers = {}, auth = true, expect } = {}) {
  const sent = {
    'x-api-version': API_VERSION,
    ...(auth ? { 'x-client-id': CLIENT_ID, 'x-client-secret': CLIENT_SECRET } : {}),
    ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...headers,
  };
  const r = await sim.request(method, `/pg${path}`, { body, headers: sent });
  const { key, errors } = oas.validateResponse({ method, path: `/pg${path}`, ...r, requestHeaders: sent });
  if (expect !== undefined && r.status !== expect) errors.unshift(`expected HTTP ${expect}, got ${r.status}: ${r.text.slice(0, 300)}`);
  rows.push({ step, key, status: r.status, errors });
  if (errors.length) throw new Error(`${key} (${step}) does not match the spec:\n  ${errors.join('\n  ')}`);
  return r;
}

test('self-check: Cashfree\'s own response examples pass this validator', () => {
  // If the rules or errata in lib/openapi.mjs were too strict, the spec's
  // examples of real responses would fail here.
  const deref = (o) => { while (o?.$ref) o = o.$ref.slice(2).split('/').reduce((x, k) => x[k], oas.spec); return o; };
  for (const name of ['OrderEntity', 'PayOrderEntity', 'PaymentEntity', 'RefundEntity', 'SimulationResponse', 'BadRequestError', 'AuthenticationError', 'ApiError404', 'ApiError409', 'IdempotencyError', 'RateLimitError', 'ApiError', 'ApiError502']) {
    const example = deref(oas.spec.components.schemas[name].example);
    if (example === undefined) continue;
    const v = oas.compile({ $ref: `#/components/schemas/${name}` });
    assert.ok(v(example), `${name} example: ${JSON.stringify(v.errors)}`);
  }
});

test('Create Order: 200, idempotent replay, 422, 409, 400, 401', async () => {
  s.orderId = uniqueId('oas');
  s.key = crypto.randomUUID();
  const body = orderRequest(s.orderId, 120.5);
  const first = await check('create order', 'POST', '/orders', { body, headers: { 'x-request-id': uniqueId('req'), 'x-idempotency-key': s.key }, expect: 200 });
  assert.equal(first.headers['x-idempotency-replayed'], 'false');
  s.session = first.json.payment_session_id;

  const replay = await check('same key, same body: replayed', 'POST', '/orders', { body, headers: { 'x-idempotency-key': s.key }, expect: 200 });
  assert.equal(replay.headers['x-idempotency-replayed'], 'true');
  assert.deepEqual(replay.json, first.json);

  await check('same key, other body', 'POST', '/orders', { body: { ...body, order_amount: 121 }, headers: { 'x-idempotency-key': s.key }, expect: 422 });
  await check('duplicate order_id', 'POST', '/orders', { body, expect: 409 });
  await check('customer_phone not 10 digits', 'POST', '/orders', { body: orderRequest(uniqueId('oas'), 10, { customer_details: { customer_id: 'cust_001', customer_phone: '12345' } }), expect: 400 });
  await check('wrong client secret', 'POST', '/orders', { body: orderRequest(uniqueId('oas')), headers: { 'x-client-secret': 'not-the-secret' }, expect: 401 });
});

test('Get Order: 200, 404', async () => {
  await check('get order', 'GET', `/orders/${s.orderId}`, { expect: 200 });
  await check('unknown order', 'GET', `/orders/${uniqueId('nosuch')}`, { expect: 404 });
});

test('Order Pay: UPI link, UPI qrcode, card post, unknown session', async () => {
  const pay = (method) => ({ payment_session_id: s.session, payment_method: method });
  const link = await check('upi link', 'POST', '/orders/sessions', { auth: false, body: pay({ upi: { channel: 'link' } }), expect: 200 });
  s.paymentId = link.json.cf_payment_id;
  await check('upi qrcode', 'POST', '/orders/sessions', { auth: false, body: pay({ upi: { channel: 'qrcode' } }), expect: 200 });
  await check('unknown payment_session_id', 'POST', '/orders/sessions', { auth: false, body: { ...pay({ upi: { channel: 'link' } }), payment_session_id: 'session_nosuch' }, expect: 400 });
  const cardOrder = await check('create order (card)', 'POST', '/orders', { body: orderRequest(uniqueId('oascard'), 75), expect: 200 });
  await check('card post', 'POST', '/orders/sessions', {
    auth: false,
    body: { payment_session_id: cardOrder.json.payment_session_id, payment_method: { card: { channel: 'post', card_number: '4111111111111111', card_expiry_mm: '12', card_expiry_yy: '30', card_cvv: '123' } } },
    expect: 200,
  });
});

test('Simulate: 200, fetch 200, unknown 404', async () => {
  const sim1 = await check('simulate SUCCESS', 'POST', '/simulate', { body: { entity: 'PAYMENTS', entity_id: s.paymentId, entity_simulation: { payment_status: 'SUCCESS' } }, expect: 200 });
  await check('get simulation', 'GET', `/simulate/${sim1.json.simulation_id}`, { expect: 200 });
  await check('unknown simulation', 'GET', '/simulate/sim_nosuch', { expect: 404 });
});

test('Payments: list 200, one 200, unknown 404', async () => {
  const list = await check('payments of order', 'GET', `/orders/${s.orderId}/payments`, { expect: 200 });
  assert.ok(list.json.some((p) => p.cf_payment_id === s.paymentId && p.payment_status === 'SUCCESS'));
  await check('one payment', 'GET', `/orders/${s.orderId}/payments/${s.paymentId}`, { expect: 200 });
  await check('unknown payment', 'GET', `/orders/${s.orderId}/payments/999999999`, { expect: 404 });
});

test('Terminate Order: 200, and 400 for a paid order', async () => {
  const id = uniqueId('oasterm');
  await check('create order (terminate)', 'POST', '/orders', { body: orderRequest(id, 10), expect: 200 });
  await check('terminate', 'PATCH', `/orders/${id}`, { body: { order_status: 'TERMINATED' }, expect: 200 });
  await check('terminate a PAID order', 'PATCH', `/orders/${s.orderId}`, { body: { order_status: 'TERMINATED' }, expect: 400 });
});

test('Refunds: create 200, list 200, get 200, over-refund 400', async () => {
  const refundId = uniqueId('rf', '');
  await check('refund', 'POST', `/orders/${s.orderId}/refunds`, { body: { refund_amount: 20, refund_id: refundId, refund_note: 'openapi test' }, headers: { 'x-idempotency-key': crypto.randomUUID() }, expect: 200 });
  await check('refunds of order', 'GET', `/orders/${s.orderId}/refunds`, { expect: 200 });
  await check('one refund', 'GET', `/orders/${s.orderId}/refunds/${refundId}`, { expect: 200 });
  await check('refund more than paid', 'POST', `/orders/${s.orderId}/refunds`, { body: { refund_amount: 10000, refund_id: uniqueId('rf', '') }, expect: 400 });
});

test('Faults shaped like Cashfree: 429, 502, 500', async () => {
  await sim.admin('POST', '/faults', { method: 'GET', path: `/pg/orders/${s.orderId}`, action: 'rate_limit', retry_s: 7 });
  const limited = await check('rate limited', 'GET', `/orders/${s.orderId}`, { expect: 429 });
  assert.equal(limited.headers['x-ratelimit-retry'], '7');
  await sim.admin('POST', '/faults', { method: 'POST', path: '/pg/orders/sessions', action: 'error', status: 502 });
  await check('bank failure', 'POST', '/orders/sessions', { auth: false, body: { payment_session_id: s.session, payment_method: { upi: { channel: 'link' } } }, expect: 502 });
  await sim.admin('POST', '/faults', { method: 'GET', path: `/pg/orders/${s.orderId}`, action: 'error', status: 500 });
  // With a key: a client retrying after a 500 reads x-idempotency-replayed.
  await check('internal error', 'GET', `/orders/${s.orderId}`, { headers: { 'x-idempotency-key': crypto.randomUUID() }, expect: 500 });
});

function printTable() {
  const head = ['result', 'method', 'spec path', 'status', 'step'];
  const lines = rows.map((r) => {
    const [method, path] = r.key.split(' ');
    return [r.errors.length ? 'FAIL' : 'ok', method, path, String(r.status), r.step];
  });
  const w = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (l) => l.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd();
  const out = [`\nOpenAPI validation against ${oas.specFile}:`, fmt(head), fmt(w.map((n) => '-'.repeat(n))), ...lines.map(fmt)];
  for (const r of rows.filter((x) => x.errors.length)) out.push(`\nFAIL ${r.key} (${r.step}):`, ...r.errors.map((e) => `  ${e}`));
  const failed = rows.filter((r) => r.errors.length).length;
  out.push(`\nopenapi: ${rows.length - failed} passed, ${failed} failed`);
  console.log(out.join('\n'));
}
