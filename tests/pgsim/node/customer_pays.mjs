// A customer pays in a real browser: Debian's Chromium, driven headless by
// playwright-core, opens the UPI intent pgsim handed out (in sandbox mode an
// https link to pgsim's own pay page), checks what the customer is shown,
// presses "Pay", and the order turns PAID on the merchant's API.
//
// Run: node customer_pays.mjs /path/to/pgsim   (or PGSIM_BIN=...)
// CHROMIUM overrides the browser (default /usr/bin/chromium).
//
// Trusting pgsim's CA without ignoreHTTPSErrors: headless Chromium takes its
// roots from NSS (~/.pki/nssdb), which needs certutil (libnss3-tools) and a
// private HOME. Lighter, and as strict: --ignore-certificate-errors-spki-list
// accepts a chain only if it contains one of the listed public keys (SHA-256
// of the SubjectPublicKeyInfo, base64). We list the keys of pgsim's CA and of
// the certificates Node's TLS verified *against that CA* for localhost, so the
// browser trusts exactly what a client trusting pgsim's CA would. Chromium
// honours the flag only with a --user-data-dir, which Playwright always
// passes (a fresh temporary profile). A control launch without the flag must
// fail with a certificate error, which proves the check is real.
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import tls from 'node:tls';
import { chromium } from 'playwright-core';

import { orderRequest, sleep, startPgsim, uniqueId } from './lib/pgsim.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PAYEE_NAME = 'Kirana Test Stores';
const PAYEE_VPA = 'kirana.test@pgsim';
const NOTE = 'Two packets of tea';
const AMOUNT = 499.0;

let sim;
let browser;

before(async () => {
  sim = await startPgsim({ args: ['--payee-name', PAYEE_NAME, '--payee-vpa', PAYEE_VPA] });
});
after(async () => {
  await browser?.close();
  await sim?.stop();
});

const spkiHash = (der) => createHash('sha256').update(new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');

// SPKI hashes of pgsim's CA and of the chain it serves, as verified by Node.
async function trustedSpkiHashes() {
  const url = new URL(sim.baseUrl);
  const chain = await new Promise((resolve, reject) => {
    const sock = tls.connect({ host: url.hostname, port: Number(url.port), servername: url.hostname, ca: sim.ca }, () => {
      const certs = [];
      for (let c = sock.getPeerCertificate(true); c?.raw && !certs.some((x) => x.equals(c.raw)); c = c.issuerCertificate) certs.push(c.raw);
      sock.end();
      resolve(certs);
    });
    sock.once('error', reject); // an unverified chain ends here
  });
  return [...new Set([spkiHash(sim.ca), ...chain.map(spkiHash)])];
}

// Chromium still looks up Google's hosts (component updates, sign-in,
// connectivity checks) despite Playwright's --disable-background-networking.
// This machine's network is closed and such traffic is unwanted: every host
// but localhost resolves to "not found" inside Chromium, so no query leaves.
const NO_OUTSIDE_HOSTS = '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost';
const launch = (args = []) => chromium.launch({ executablePath: CHROMIUM, headless: true, args: [NO_OUTSIDE_HOSTS, ...args] });

test('control: without the pin, Chromium refuses pgsim\'s certificate', async () => {
  const b = await launch();
  try {
    const page = await b.newPage();
    await assert.rejects(page.goto(`${sim.baseUrl}/`), /ERR_CERT_AUTHORITY_INVALID|ERR_CERT/);
  } finally {
    await b.close();
  }
});

test('the customer opens the UPI intent, sees payee, amount and note, presses Pay; the order is PAID', async () => {
  const orderId = uniqueId('web');
  const created = await sim.pg('POST', '/orders', { body: orderRequest(orderId, AMOUNT, { order_note: NOTE }) });
  assert.equal(created.status, 200, created.text);
  const pay = await sim.pg('POST', '/orders/sessions', {
    headers: { 'x-client-id': undefined, 'x-client-secret': undefined }, // Order Pay is the customer's call
    body: { payment_session_id: created.json.payment_session_id, payment_method: { upi: { channel: 'link' } } },
  });
  assert.equal(pay.status, 200, pay.text);
  assert.equal(pay.json.action, 'custom');
  const intent = pay.json.data.payload.default;
  const cfPaymentId = pay.json.cf_payment_id;
  assert.ok(intent.startsWith(`${sim.baseUrl}/pay/${cfPaymentId}`), `sandbox intent should be pgsim's pay page: ${intent}`);
  // It carries the UPI intent's own parameters, as Cashfree's sandbox links do.
  const q = new URL(intent).searchParams;
  assert.deepEqual({ pa: q.get('pa'), pn: q.get('pn'), am: q.get('am'), tn: q.get('tn'), cu: q.get('cu') },
    { pa: PAYEE_VPA, pn: PAYEE_NAME, am: '499.00', tn: NOTE, cu: 'INR' });

  browser = await launch([`--ignore-certificate-errors-spki-list=${(await trustedSpkiHashes()).join(',')}`]);
  const page = await browser.newPage();
  try {
    const res = await page.goto(intent);
    assert.equal(res.status(), 200);
    const text = await page.locator('body').innerText();
    assert.ok(text.includes(PAYEE_NAME), `payee name on the page:\n${text}`);
    assert.ok(text.includes(PAYEE_VPA), `payee VPA on the page:\n${text}`);
    assert.match(text, /499\.00/, `amount on the page:\n${text}`);
    assert.ok(text.includes(NOTE), `order note on the page:\n${text}`);

    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.waitForLoadState();

    const deadline = Date.now() + 15000;
    let status;
    while (Date.now() < deadline) {
      const o = await sim.pg('GET', `/orders/${orderId}`);
      status = o.json?.order_status;
      if (status === 'PAID') break;
      await sleep(250);
    }
    assert.equal(status, 'PAID', 'order_status within 15 s of pressing Pay');
    const payments = await sim.pg('GET', `/orders/${orderId}/payments`);
    assert.equal(payments.json.find((p) => p.cf_payment_id === cfPaymentId)?.payment_status, 'SUCCESS');
  } catch (e) {
    const shot = join(mkdtempSync(join(tmpdir(), 'pgsim-web-')), 'page.png');
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    e.message += `\n(screenshot of the page: ${shot})`;
    throw e;
  }
});
