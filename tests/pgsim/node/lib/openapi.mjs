// Validates pgsim's responses against Cashfree's OpenAPI spec, offline.
//
// The spec (contracts/cashfree-pg-openapi-2025-01-01.yaml, OpenAPI
// 3.0.0) is read with `yaml`; its schemas go to Ajv (JSON Schema draft-07,
// which OpenAPI 3.0 schemas are a near subset of) as one document, so every
// $ref inside it resolves where the spec says. For one response we look up
// path + method + status in the spec (the /pg prefix is the server URL's),
// validate the JSON body against that response's schema, and validate the
// headers that response declares.
//
// Two rules and two errata make the spec usable as an oracle. Each is the
// smallest change that lets Cashfree's *own* documented responses pass; none
// of them accepts anything else. Nothing else is relaxed: unknown formats
// are refused at compile time, every enum, type, length and required list is
// enforced as written.
//
// Rule N (null = absent). Cashfree sends null for absent optional fields, and
//   the spec's own examples do too (OrderEntity's example has
//   "terminal_data": null; PaymentEntity's has "error_details": null), yet no schema
//   is nullable. A client must therefore treat null like absence anyway. So a
//   property that is NOT in its object's `required` list may be null. A
//   required property, an array item, a map value or a whole body may not.
// Rule H (headers). Response headers are declared but not marked required.
//   Cashfree sends its rate-limit, version and request-id headers on every
//   response, so we require every declared header, except that
//   x-idempotency-key / x-idempotency-replayed are required exactly when the
//   request carried x-idempotency-key ("in conjunction with" it, says the
//   spec). Echoed headers must echo what the request sent, and
//   x-ratelimit-type must be "ip" exactly for the operations without
//   credentials (security: []), as its description says.
// Erratum E1 (x-api-version header). components/headers/x-api-version has
//   enum ["2022-09-01"] and says "the current version is 2022-09-01": stale
//   text from 2022 in a 2025-01-01 spec whose request parameter defaults to
//   2025-01-01. Replaced by a stricter check: the header must equal the
//   x-api-version the request sent.
// Erratum E2 (PaymentEntity.payment_method). A oneOf of eight objects
//   ({card:{…}}, {upi:{…}}, …) with no required keys, so any value matches
//   several branches and oneOf ("exactly one") fails for every real payment;
//   and the UPI and netbanking branches list `required` fields (channel, …)
//   beside their one key instead of inside it (the UPI branch's own example
//   shows the flattened object). We make each branch require its one key and
//   move the misplaced `required` lists inside (upi.channel is required).
//   Now exactly one branch matches a well-formed value, and it is validated.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_SPEC = resolve(here, '../../../../contracts/cashfree-pg-openapi-2025-01-01.yaml');
const DOC_ID = 'https://pgsim.invalid/cashfree-pg-2025-01-01.json';

export function loadSpec(specFile = process.env.CASHFREE_SPEC || DEFAULT_SPEC) {
  // YAML 1.2 core schema: `2025-01-01` stays a string, as in JSON.
  let text;
  try {
    text = readFileSync(specFile, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the Cashfree OpenAPI spec at ${specFile} (${e.code}); set CASHFREE_SPEC to its path`);
  }
  const spec = YAML.parse(text, { maxAliasCount: -1 });
  applyErratumE2(spec.components.schemas);
  const schemas = {};
  for (const [name, s] of Object.entries(spec.components.schemas)) schemas[name] = nullMeansAbsent(s);

  const ajv = new Ajv({
    allErrors: true,
    strict: true, // all strict checks: unknown keywords or formats are errors, never ignored
    validateFormats: true,
  });
  addFormats(ajv);
  // Keywords with no validation meaning: our wrapper and OpenAPI examples.
  ajv.addVocabulary(['components', 'example']);
  // Formats the spec uses beyond JSON Schema's. The ones that occur only in
  // request schemas (never applied here) accept anything; the response ones
  // are checked. `format` constrains only values of the type it is written for.
  ajv.addFormat('YYYY-MM-DD', /^\d{4}-\d{2}-\d{2}$/); // x-api-version header
  ajv.addFormat('boolean', /^(true|false)$/); // x-idempotency-replayed header
  ajv.addFormat('float64', { type: 'number', validate: Number.isFinite }); // payment_surcharge
  ajv.addFormat('UUID', true); // request header x-idempotency-key
  ajv.addFormat('ISO8601', true); // CreateOrderRequest.order_expiry_time
  ajv.addFormat('BANKR', true); // Netbanking (request) bank name
  ajv.addFormat('string', true); // *Queries.order_id (request)
  ajv.addSchema({ $id: DOC_ID, components: { schemas } });

  const compiled = new Map();
  const compile = (schema) => {
    const key = JSON.stringify(schema);
    if (!compiled.has(key)) compiled.set(key, ajv.compile(rewriteRefs(nullMeansAbsent(schema))));
    return compiled.get(key);
  };

  const templates = Object.keys(spec.paths).map((t) => ({
    template: t,
    re: new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
    params: (t.match(/\{/g) || []).length,
  }));

  // The spec path for an actual /pg path: literal segments win over
  // parameters (/orders/sessions before /orders/{order_id}).
  function specPath(method, path) {
    const p = path.replace(/^\/pg(?=\/)/, '').split('?')[0];
    const hits = templates.filter((t) => t.re.test(p) && spec.paths[t.template][method.toLowerCase()]);
    hits.sort((a, b) => a.params - b.params);
    return hits[0]?.template;
  }

  const deref = (obj) => {
    while (obj && obj.$ref) obj = obj.$ref.slice(2).split('/').reduce((o, k) => o[k], spec);
    return obj;
  };

  // Returns {key, errors[]}: key is "METHOD /spec/path STATUS".
  function validateResponse({ method, path, status, headers, text, json, requestHeaders = {} }) {
    const errors = [];
    const template = specPath(method, path);
    if (!template) return { key: `${method} ${path} ${status}`, errors: [`${method} ${path} is not in the spec`] };
    const key = `${method} ${template} ${status}`;
    const op = spec.paths[template][method.toLowerCase()];
    const response = deref(op.responses[String(status)]);
    if (!response) {
      errors.push(`status ${status} is not documented for ${method} ${template} (documented: ${Object.keys(op.responses).join(', ')})`);
      return { key, errors };
    }
    // Body.
    const media = response.content?.['application/json'];
    if (media) {
      const ct = headers['content-type'] || '';
      if (!/^application\/json\b/.test(ct)) errors.push(`content-type is "${ct}", the spec documents application/json`);
      if (json === undefined) errors.push(`body is not JSON: ${JSON.stringify(text.slice(0, 200))}`);
      else {
        const v = compile(media.schema);
        if (!v(json)) errors.push(...formatAjvErrors(v.errors, json));
      }
    }
    // Headers (rule H, erratum E1).
    const sentKey = requestHeaders['x-idempotency-key'];
    for (const [name, h0] of Object.entries(response.headers || {})) {
      const h = deref(h0);
      const value = headers[name];
      const conditional = name === 'x-idempotency-key' || name === 'x-idempotency-replayed';
      if (value === undefined) {
        if (!conditional || sentKey) errors.push(`header ${name}: missing`);
        continue;
      }
      if (conditional && !sentKey) { errors.push(`header ${name}: present although the request sent no x-idempotency-key`); continue; }
      if (name === 'x-api-version') { // E1
        if (value !== requestHeaders['x-api-version']) errors.push(`header x-api-version: "${value}", the request sent "${requestHeaders['x-api-version']}"`);
        continue;
      }
      if (name === 'x-request-id' && value !== (requestHeaders['x-request-id'] ?? '')) errors.push(`header x-request-id: "${value}" does not echo "${requestHeaders['x-request-id'] ?? ''}"`);
      if (name === 'x-idempotency-key' && value !== sentKey) errors.push(`header x-idempotency-key: "${value}" does not echo "${sentKey}"`);
      if (name === 'x-ratelimit-type') { // "ip" for the operations without credentials (security: [])
        const expected = Array.isArray(op.security) && op.security.length === 0 ? 'ip' : 'app_id';
        if (value !== expected) errors.push(`header x-ratelimit-type: "${value}", the spec says "${expected}" for this operation`);
      }
      // Header values are text; integer and number schemas apply to the number written.
      let data = value;
      if (['integer', 'number'].includes(h.schema?.type)) {
        data = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
      }
      const v = compile(h.schema);
      if (!v(data)) errors.push(...formatAjvErrors(v.errors, data).map((e) => `header ${name}: ${e} (value "${value}")`));
    }
    return { key, errors };
  }

  return { spec, specFile, specPath, validateResponse, compile };
}

function rewriteRefs(s) {
  if (Array.isArray(s)) return s.map(rewriteRefs);
  if (!s || typeof s !== 'object') return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? DOC_ID + v : k === 'example' ? v : rewriteRefs(v);
  }
  return out;
}

// Rule N: every optional property may also be null. Walks subschemas, not
// examples.
function nullMeansAbsent(s) {
  if (Array.isArray(s)) return s.map(nullMeansAbsent);
  if (!s || typeof s !== 'object') return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'example' || k === 'enum' || k === 'required') out[k] = v;
    else if (k === 'properties') {
      const req = new Set(s.required || []);
      out.properties = {};
      for (const [p, ps] of Object.entries(v)) {
        const sub = nullMeansAbsent(ps);
        out.properties[p] = req.has(p) ? sub : { anyOf: [{ type: 'null' }, sub] };
      }
    } else out[k] = nullMeansAbsent(v);
  }
  return out;
}

// Erratum E2 (see the header comment).
function applyErratumE2(schemas) {
  const union = schemas.PaymentEntity_payment_method;
  if (!union?.oneOf) throw new Error('spec changed: PaymentEntity_payment_method.oneOf not found; revisit erratum E2');
  for (const { $ref } of union.oneOf) {
    const branch = schemas[$ref.split('/').pop()];
    const keys = Object.keys(branch.properties || {});
    if (keys.length !== 1) throw new Error(`spec changed: ${$ref} has ${keys.length} properties; revisit erratum E2`);
    const inner = branch.properties[keys[0]];
    const misplaced = (branch.required || []).filter((r) => r !== keys[0]);
    if (misplaced.length) {
      const target = inner.$ref ? schemas[inner.$ref.split('/').pop()] : inner;
      target.required = [...new Set([...(target.required || []), ...misplaced])];
    }
    branch.required = [keys[0]];
  }
}

function formatAjvErrors(errors, data) {
  // Rule N wraps optional properties in anyOf[null, schema]; its "must be
  // null" half is noise when the value is not null, so we drop it and the
  // bare "must match a schema in anyOf" line that follows.
  // At a oneOf (E2's payment_method), "must have required property 'card'"
  // and the like only say "this is not that branch": keep the errors inside
  // the branch that applies, or the oneOf error itself if there are none.
  const oneOfAt = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const deeper = (p) => errors.some((e) => e.instancePath.startsWith(`${p}/`) && !(e.keyword === 'type' && e.params.type === 'null'));
  const out = [];
  for (const e of errors) {
    if (e.keyword === 'anyOf') continue;
    if (e.keyword === 'type' && e.params.type === 'null') continue;
    if (oneOfAt.has(e.instancePath) && (e.keyword === 'required' || (e.keyword === 'oneOf' && deeper(e.instancePath)))) continue;
    const at = e.instancePath || '(body)';
    const detail = e.keyword === 'enum' ? ` [${e.params.allowedValues.join(', ')}]` : e.keyword === 'additionalProperties' ? ` (${e.params.additionalProperty})` : '';
    let value;
    try { value = e.instancePath.split('/').slice(1).reduce((o, k) => o[decodeURIComponent(k.replace(/~1/g, '/').replace(/~0/g, '~'))], data); } catch { value = undefined; }
    out.push(`${at} ${e.message}${detail}; got ${JSON.stringify(value)?.slice(0, 120)}`);
  }
  return out.length ? out : errors.map((e) => `${e.instancePath || '(body)'} ${e.message}`);
}
