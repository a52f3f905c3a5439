// Starts a private pgsim for one test file and talks to it.
//
// pgsim is spawned with --port 0 (the kernel picks a free port, so tests can
// run in parallel) and a fresh --data-dir (its own CA, nothing shared between
// runs). It announces itself on stdout with two lines, which we wait for:
//   pgsim: listening on https://localhost:PORT
//   pgsim: ca /abs/path/ca.pem
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const CLIENT_ID = 'pgsim_test_client_id';
export const CLIENT_SECRET = 'pgsim_test_client_secret';
export const API_VERSION = '2025-01-01'; // the spec in contracts/, and cashfree-pg 5.x

// The pgsim binary: PGSIM_BIN, else the first command-line argument.
export function pgsimBinary() {
  const bin = process.env.PGSIM_BIN || process.argv[2];
  if (!bin) throw new Error('give the pgsim binary as PGSIM_BIN=/path/to/pgsim or as the first argument');
  return resolve(bin);
}

export async function startPgsim({ bin = pgsimBinary(), args = [], startTimeoutMs = 10000 } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'pgsim-node-'));
  const child = spawn(bin, ['--port', '0', '--data-dir', dataDir, '--quiet', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });

  const ready = new Promise((resolveReady, reject) => {
    let baseUrl;
    let caPath;
    const timer = setTimeout(() => reject(new Error(`pgsim did not announce itself within ${startTimeoutMs} ms\n${stderr}`)), startTimeoutMs);
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`pgsim exited (${code ?? sig}) before it was ready\n${stderr}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      let m;
      if ((m = /^pgsim: listening on (https:\/\/\S+)$/.exec(line))) baseUrl = m[1];
      else if ((m = /^pgsim: ca (\/.+)$/.exec(line))) caPath = m[1];
      if (baseUrl && caPath) { clearTimeout(timer); resolveReady({ baseUrl, caPath }); }
    });
  });

  let info;
  try {
    info = await ready;
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const { baseUrl, caPath } = info;
  const ca = readFileSync(caPath);
  // One keep-alive agent trusting only pgsim's CA: no process-wide TLS switch.
  const agent = new https.Agent({ ca, keepAlive: true });
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));

  return {
    baseUrl,
    caPath,
    ca,
    agent,
    stderr: () => stderr,
    // Raw HTTPS call; never throws on an HTTP status. body: object (sent as
    // JSON) or string (sent as is). Returns {status, headers, text, json}.
    request: (method, path, opts = {}) => httpsRequest(baseUrl, agent, method, path, opts),
    // /pg call with the conventional headers; opts.headers override them
    // (a header set to undefined is left out).
    pg: (method, path, opts = {}) =>
      httpsRequest(baseUrl, agent, method, `/pg${path}`, {
        ...opts,
        headers: {
          'x-api-version': API_VERSION,
          'x-client-id': CLIENT_ID,
          'x-client-secret': CLIENT_SECRET,
          ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...opts.headers,
        },
      }),
    admin: async (method, path, body) => {
      const r = await httpsRequest(baseUrl, agent, method, `/admin${path}`, { body });
      if (r.status !== 200) throw new Error(`admin ${method} ${path} -> ${r.status}: ${r.text}`);
      return r.json;
    },
    async stop() {
      agent.destroy();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM'); // pgsim saves and exits on SIGTERM
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function httpsRequest(baseUrl, agent, method, path, { body, headers = {}, timeoutMs = 10000 } = {}) {
  const url = new URL(path, baseUrl);
  const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const h = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined));
  if (data !== undefined) h['content-length'] = Buffer.byteLength(data);
  return new Promise((resolveReq, reject) => {
    const req = https.request(url, { method, agent, headers: h, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
        resolveReq({ status: res.statusCode, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

// Unique ids per run, within Cashfree's limits (order_id: 3-45 chars of
// [A-Za-z0-9_-]; refund_id: 3-40 alphanumeric, so uniqueId('rf', '')).
let seq = 0;
export function uniqueId(prefix, sep = '_') {
  return `${prefix}${sep}${Date.now().toString(36)}${(seq++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

// The create-order body every test uses: a softPOS order with terminal details.
export function orderRequest(orderId, amount = 499.0, extra = {}) {
  return {
    order_id: orderId,
    order_amount: amount,
    order_currency: 'INR',
    order_note: 'pgsim node test',
    customer_details: { customer_id: 'cust_001', customer_phone: '9999999999' },
    terminal: { terminal_type: 'SPOS', terminal_id: 'T-1', terminal_phone_no: '9876543210' },
    ...extra,
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
