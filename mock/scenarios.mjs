// Failure scenarios under /s/: counted per `key` query parameter so tests never share state.
import { readBody, send } from './http.mjs';

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
  const fallback = { error: { code: `status_${params.code}`, message: `Status ${params.code}` } };
  // `pad=N`: the error body carries N more characters (bodies longer than any URL).
  if (query.has('pad')) fallback.padding = 'y'.repeat(Number(query.get('pad')));
  send(res, Number(params.code), body === null ? fallback : body, headers);
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
  send(res, 200, { method: req.method, url: req.url, headers: req.headers, body });
}

// Server-sent events: `chunks` events `ms` apart; counts streams cut short by the client ('stream-cut').
async function stream({ res, query, state }) {
  const key = query.get('key');
  hit(state, 'stream', key);
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
  let closed = false;
  res.on('close', () => { closed = true; });
  const chunks = Number(query.get('chunks') ?? 10);
  for (let n = 1; n <= chunks && !closed; n++) {
    res.write(`data: {"n":${n}}\n\n`);
    await sleep(Number(query.get('ms') ?? 100));
  }
  if (closed) return hit(state, 'stream-cut', key);
  res.end();
}

// A JSON body of about `size` bytes with Content-Length, written in 16 KiB pieces (download progress).
async function big({ res, query }) {
  const body = JSON.stringify({ data: 'x'.repeat(Number(query.get('size') ?? 100000)) });
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  for (let i = 0; i < body.length && !res.destroyed; i += 16384) {
    res.write(body.slice(i, i + 16384));
    await sleep(5);
  }
  res.end();
}

// Token refresh: /s/token issues a new access token per key (the old one expires at once);
// /s/protected answers 401 + WWW-Authenticate unless it gets the current one.
function token({ res, query, state }) {
  const key = query.get('key') ?? '';
  const n = hit(state, 'token', key);
  state.tokens ??= new Map();
  state.tokens.set(key, `tok_${n}_${key}`);
  send(res, 200, { token: `tok_${n}_${key}`, expiresIn: 3600 });
}

function protectedRoute({ req, res, query, state }) {
  const key = query.get('key') ?? '';
  hit(state, 'protected', key);
  const current = state.tokens?.get(key);
  if (current === undefined || req.headers.authorization !== `Bearer ${current}`) {
    return send(res, 401, { error: { code: 'invalid_token', message: 'The access token expired or is invalid' } },
      { 'WWW-Authenticate': 'Bearer realm="mock", error="invalid_token"' });
  }
  send(res, 200, { ok: true, user: 'ada', token: current });
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
  [/^\/s\/stream$/, stream],
  [/^\/s\/big$/, big],
  [/^\/s\/token$/, token],
  [/^\/s\/protected$/, protectedRoute],
];
