// Failure scenarios under /s/: counted per `key` query parameter so tests never share state.
import { readBody, send } from './mock-api.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Counts calls for a scenario key and returns the new count (1 on the first call). */
function hit(state, name, key) {
  const id = `${name}:${key ?? ''}`;
  const n = (state.counters.get(id) ?? 0) + 1;
  state.counters.set(id, n);
  return n;
}

const HTML_502 = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>
${'<p>padding so the page is clearly not a message</p>\n'.repeat(50)}</body></html>`;

// Fails `fail` times with `status` (plus optional Retry-After / retry-after-ms / x-should-retry), then 200.
function flaky({ res, query, state }) {
  const n = hit(state, 'flaky', query.get('key'));
  const fail = Number(query.get('fail') ?? 2);
  if (n > fail) return send(res, 200, { ok: true, attempt: n });
  const headers = {};
  if (query.has('retryAfter')) headers['Retry-After'] = query.get('retryAfter');
  if (query.has('retryAfterMs')) headers['retry-after-ms'] = query.get('retryAfterMs');
  if (query.has('shouldRetry')) headers['x-should-retry'] = query.get('shouldRetry');
  if (query.get('retryAfterDate') !== null) {
    headers['Retry-After'] = new Date(Date.now() + Number(query.get('retryAfterDate'))).toUTCString();
  }
  const status = Number(query.get('status') ?? 503);
  send(res, status, { error: { code: `failure_${status}`, message: `Planned failure ${n} of ${fail}` } }, headers);
}

function status({ res, params, query }) {
  const headers = {};
  for (const [k, v] of query) if (k.startsWith('h-')) headers[k.slice(2)] = v;
  const body = query.get('body');
  send(res, Number(params.code), body === null ? { error: { code: `status_${params.code}`, message: `Status ${params.code}` } } : body, headers);
}

async function slowHeaders({ res, query }) {
  await sleep(Number(query.get('ms') ?? 1000));
  send(res, 200, { ok: true, slow: 'headers' });
}

async function slowBody({ res, query }) {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.write('{"ok": true, "padding": "');
  await sleep(Number(query.get('ms') ?? 1000));
  if (!res.destroyed) res.end('x"}');
}

function destroy({ req, state, query }) {
  hit(state, 'destroy', query.get('key'));
  req.socket.destroy();
}

function html502({ res }) {
  send(res, 502, HTML_502, { 'Content-Type': 'text/html; charset=utf-8' });
}

function noContent({ res }) {
  send(res, 204);
}

function invalidJson({ res }) {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end('{"ok": tru');
}

function text({ res }) {
  send(res, 200, 'plain text body');
}

// A payment-like side effect. With an Idempotency-Key, the first call applies it and the result is
// replayed for the same key; `fail` makes the first N calls answer 503 after applying (a lost reply).
async function charge({ req, res, query, state }) {
  await readBody(req);
  const key = req.headers['idempotency-key'] ?? req.headers[String(query.get('header') ?? '').toLowerCase()];
  const scope = query.get('key') ?? '';
  const n = hit(state, 'charge', scope);
  const record = state.charges.get(scope) ?? { calls: 0, applied: 0, keys: [] };
  state.charges.set(scope, record);
  record.calls += 1;
  if (key !== undefined) record.keys.push(key);
  const alreadyApplied = key !== undefined && record.keys.indexOf(key) < record.keys.length - 1;
  if (!alreadyApplied) record.applied += 1;
  if (n <= Number(query.get('fail') ?? 0)) {
    return send(res, 503, { error: { code: 'unavailable', message: 'Try again' } });
  }
  send(res, 201, { id: `ch_${scope}`, applied: record.applied });
}

function stats({ res, query, state }) {
  const scope = query.get('key') ?? '';
  const charges = state.charges.get(scope) ?? { calls: 0, applied: 0, keys: [] };
  const counts = {};
  for (const [id, n] of state.counters) if (id.endsWith(`:${scope}`)) counts[id.split(':')[0]] = n;
  send(res, 200, { ...charges, uniqueKeys: [...new Set(charges.keys)], counts });
}

async function echo({ req, res }) {
  const body = await readBody(req);
  send(res, 200, { method: req.method, headers: req.headers, body });
}

function graphql({ res }) {
  send(res, 200, { data: null, errors: [{ message: 'You must be logged in', path: ['me'], extensions: { code: 'UNAUTHENTICATED' } }] });
}

export const scenarioRoutes = [
  [/^\/s\/flaky$/, flaky],
  [/^\/s\/status\/(?<code>\d{3})$/, status],
  [/^\/s\/slow-headers$/, slowHeaders],
  [/^\/s\/slow-body$/, slowBody],
  [/^\/s\/destroy$/, destroy],
  [/^\/s\/html502$/, html502],
  [/^\/s\/204$/, noContent],
  [/^\/s\/invalid-json$/, invalidJson],
  [/^\/s\/text$/, text],
  [/^\/s\/charge$/, charge],
  [/^\/s\/stats$/, stats],
  [/^\/s\/echo$/, echo],
  [/^\/s\/graphql$/, graphql],
];
