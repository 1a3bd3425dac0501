// Chaos mode: every request gets one seeded, reproducible fault (or success), and side effects are
// counted per operation so a soak can prove nothing was applied twice or retried unsafely.
//   /chaos/<op>?seed=S        outcome = f(seed, op, attempt number of this op)
//   /h/<outcome>              one outcome on demand (the hostile-input tests)
//   /chaos-stats              violations and counters
import { readBody, send } from './http.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every outcome, with its weight in chaos mode. */
export const OUTCOMES = {
  ok: 40, '429-seconds': 4, '429-date': 3, '429-ms': 4, '429-garbage': 3, 408: 3, 500: 4, 502: 3, 503: 4, 504: 3,
  'destroy-before': 3, 'destroy-after': 3, truncated: 3, 'slow-body': 3, 'malformed-json': 3, 'wrong-type': 3,
  huge: 0.5, 'invalid-utf8': 3, html: 3,
};
const TOTAL = Object.values(OUTCOMES).reduce((a, b) => a + b, 0);

/** FNV-1a over the parts, then a final mix: a stable number in [0, 1). */
function unit(...parts) {
  let h = 0x811c9dc5;
  for (const ch of parts.join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h ^= h >>> 12;
  return (h >>> 0) / 2 ** 32;
}

export function pickOutcome(seed, op, attempt) {
  let x = unit(seed, op, attempt) * TOTAL;
  for (const [name, weight] of Object.entries(OUTCOMES)) {
    if ((x -= weight) < 0) return name;
  }
  return 'ok';
}

const GARBAGE_RETRY_AFTER = ['soon', '-1', '1e309', '9007199254740993', '', '1.5.5'];
const HTML = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';

/** Writes one outcome. Returns whether the request was processed (so side effects count). */
export async function respond(outcome, { req, res }, variant = 0) {
  const err = (status, code, headers = {}) => send(res, status, { error: { code, message: `chaos ${code}` } }, headers);
  switch (outcome) {
    case 'ok': return send(res, 200, { ok: true }), true;
    case '429-seconds': return err(429, 'rate_limited', { 'Retry-After': String(variant % 2) }), false;
    case '429-date': return err(429, 'rate_limited', { 'Retry-After': new Date(Date.now() + 1000).toUTCString() }), false;
    case '429-ms': return err(429, 'rate_limited', { 'retry-after-ms': '30' }), false;
    case '429-garbage': return err(429, 'rate_limited', { 'Retry-After': GARBAGE_RETRY_AFTER[variant % GARBAGE_RETRY_AFTER.length] }), false;
    case '408': return err(408, 'request_timeout'), false;
    case '500': case '502': case '503': case '504': return err(Number(outcome), `status_${outcome}`), true;
    case 'destroy-before': return req.socket.destroy(), false;
    case 'destroy-after':
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '200' });
      res.write('{"ok": true, "pad": "');
      await sleep(5);
      res.destroy();
      return true;
    case 'truncated':
      res.writeHead(503, { 'Content-Type': 'application/json', 'Content-Length': '500' });
      res.write('{"error": {"code": "trunc');
      await sleep(5);
      res.destroy();
      return true;
    case 'slow-body':
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"ok": true, "slow": "');
      await sleep(1500);
      if (!res.destroyed) res.end('x"}');
      return true;
    case 'malformed-json':
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok": tru');
      return true;
    case 'wrong-type': return send(res, 500, '{"error":{"code":"mislabelled","message":"JSON sent as text/html"}}', { 'Content-Type': 'text/html' }), true;
    case 'huge': return send(res, 503, `<html><title>Overloaded</title>${'x'.repeat(10 * 1024 * 1024)}</html>`, { 'Content-Type': 'text/html' }), true;
    case 'invalid-utf8':
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(Buffer.concat([Buffer.from('{"error":{"code":"bad_bytes","message":"caf'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}}')]));
      return false;
    case 'html': return send(res, 502, HTML, { 'Content-Type': 'text/html' }), true;
    // Bodies too big for a query string, for the hostile-input tests.
    case 'deep-arrays': return send(res, 400, `${'['.repeat(10000)}${']'.repeat(10000)}`, { 'Content-Type': 'application/json' }), false;
    case 'deep-objects': return send(res, 400, `${'{"error":'.repeat(10000)}1${'}'.repeat(10000)}`, { 'Content-Type': 'application/json' }), false;
    case 'long-message': return send(res, 400, { message: 'x'.repeat(100000) }), false;
    case 'huge-malformed-json': return send(res, 200, `{"items": ["${'x'.repeat(10 * 1024 * 1024)}`, { 'Content-Type': 'application/json' }), false;
    case 'huge-bad-bytes':
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(Buffer.alloc(10 * 1024 * 1024, 0xff));
      return false;
    default: return send(res, 404, { error: { code: 'no_outcome', message: outcome } }), false;
  }
}

function chaosState(state) {
  state.chaos ??= { ops: new Map(), violations: [], requests: 0 };
  return state.chaos;
}

async function chaos(ctx) {
  const { req, query, params, state } = ctx;
  const cs = chaosState(state);
  cs.requests += 1;
  if (req.method === 'POST') await readBody(req);
  const op = cs.ops.get(params.op) ?? { attempts: 0, keys: new Set(), applied: 0, last: null, method: req.method };
  cs.ops.set(params.op, op);
  op.attempts += 1;
  const key = req.headers['idempotency-key'];
  // A 429, a 408 or a connection closed before any response was not processed, so sending again is
  // safe: steadfetch resends an unkeyed POST after a 429, and Chromium itself transparently resends
  // any request that got a 408 or an immediate close on a reused keep-alive connection.
  if (req.method === 'POST' && key === undefined && op.attempts > 1 && !/^(429|408|destroy-before)/.test(String(op.last))) {
    cs.violations.push(`unkeyed POST ${params.op} retried after ${op.last}`);
  }
  if (key !== undefined) op.keys.add(key);
  const outcome = pickOutcome(query.get('seed') ?? '1', params.op, op.attempts);
  op.last = outcome;
  const processed = await respond(outcome, ctx, op.attempts);
  // With a key, only the first processed attempt has an effect; without one, every processed attempt does.
  if (processed && req.method === 'POST' && (key === undefined || op.applied === 0)) {
    op.applied += 1;
  }
  if (op.keys.size > 1) cs.violations.push(`op ${params.op} sent ${op.keys.size} different idempotency keys`);
  if (op.applied > 1) cs.violations.push(`op ${params.op} applied ${op.applied} times`);
}

function one({ params, ...ctx }) {
  return respond(params.outcome, { ...ctx, params }, Number(ctx.query.get('variant') ?? 0));
}

function stats({ res, state }) {
  const cs = chaosState(state);
  let keyed = 0;
  let applied = 0;
  for (const op of cs.ops.values()) {
    if (op.keys.size) keyed += 1;
    applied += op.applied;
  }
  send(res, 200, { requests: cs.requests, ops: cs.ops.size, keyedOps: keyed, applied, violations: [...new Set(cs.violations)] });
}

export const chaosRoutes = [
  [/^\/chaos\/(?<op>[\w-]+)$/, chaos],
  [/^\/h\/(?<outcome>[\w-]+)$/, one],
  [/^\/chaos-stats$/, stats],
];
