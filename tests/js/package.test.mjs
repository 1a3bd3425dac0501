// The built package as users import it, in headless Chromium: class identity, fields, guards,
// toJSON redaction, createClient, and cross-realm guards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

let env;
let page;
before(async () => {
  env = await launch();
  page = await env.page();
});
after(async () => {
  assert.deepEqual(page.consoleErrors.filter((e) => !e.includes('Failed to load resource')), []);
  await env.close();
});

test('a 429 is a RateLimitError, an ApiError and an Error, with real name and stack', async () => {
  const r = await page.evaluate(async () => {
    try {
      await sf.makeRequestWithRetry(`${API}/s/flaky?fail=9&status=429&retryAfter=120&key=cls`);
      return { resolved: true };
    } catch (e) {
      return {
        rate: e instanceof sf.RateLimitError, api: e instanceof sf.ApiError, error: e instanceof Error,
        name: e.name, stack: typeof e.stack === 'string' && e.stack.includes('RateLimitError'),
        guard: sf.isRateLimitError(e), apiGuard: sf.isApiError(e), wrongGuard: sf.isNotFoundError(e),
        retryAfterMs: e.retryAfterMs, kind: e.kind, status: e.status, attempts: e.attempts,
        str: String(e),
      };
    }
  });
  assert.equal(r.resolved, undefined);
  assert.deepEqual(
    { ...r, str: undefined },
    { rate: true, api: true, error: true, name: 'RateLimitError', stack: true, guard: true, apiGuard: true,
      wrongGuard: false, retryAfterMs: 120000, kind: 'rate_limited', status: 429, attempts: 1, str: undefined },
  );
  assert.match(r.str, /^RateLimitError: Planned failure 1 of 9/);
});

test('every class extends ApiError and 503 is also a ServerError', async () => {
  const r = await page.evaluate(async () => {
    const names = ['BadRequestError', 'AuthenticationError', 'PaymentRequiredError', 'PermissionDeniedError',
      'NotFoundError', 'ConflictError', 'ValidationError', 'RateLimitError', 'ServerError',
      'ServiceUnavailableError', 'RequestTimeoutError', 'TimeoutError', 'NetworkError', 'AbortError', 'ResponseParseError'];
    const bad = names.filter((n) => !(sf[n].prototype instanceof sf.ApiError) || sf[n].prototype.name !== n);
    const e = await sf.makeRequestWithRetry(`${API}/jobs/v1/status/503`, { maxRetries: 0 }).catch((x) => x);
    return { bad, server: e instanceof sf.ServerError, unavailable: e instanceof sf.ServiceUnavailableError, guard: sf.isServerError(e) };
  });
  assert.deepEqual(r, { bad: [], server: true, unavailable: true, guard: true });
});

test('toJSON and hook payloads carry no credentials', async () => {
  const r = await page.evaluate(async () => {
    const seen = [];
    const e = await sf.makeRequestWithRetry(
      `${API}/s/flaky?fail=9&status=503&key=redact&api_key=SECRET1&token=SECRET2&access_token=SECRET3&page=2`,
      {
        headers: { Authorization: 'Bearer SECRET4', 'X-Api-Key': 'SECRET5', Cookie: 'sid=SECRET6', 'Proxy-Authorization': 'Basic SECRET7' },
        maxRetries: 1, backoff: { baseMs: 5 },
        onRetry: (info) => seen.push(JSON.stringify(info) + JSON.stringify(info.error) + String(info.error.stack)),
        onError: (err) => seen.push(JSON.stringify(err) + String(err.stack) + err.message),
      },
    ).catch((x) => x);
    const json = e.toJSON();
    return { all: JSON.stringify(json) + JSON.stringify(e) + seen.join('') + e.url + e.stack, url: json.url, keys: Object.keys(json), seen: seen.length };
  });
  assert.equal(r.seen, 2);
  for (let i = 1; i <= 7; i++) assert.ok(!r.all.includes(`SECRET${i}`), `SECRET${i} leaked`);
  assert.match(r.url, /api_key=REDACTED&token=REDACTED&access_token=REDACTED&page=2$/);
  for (const k of ['kind', 'status', 'code', 'message', 'details', 'fieldErrors', 'requestId', 'retryAfterMs',
    'rateLimit', 'retryable', 'attempts', 'history', 'method', 'url', 'hint', 'bodyText']) {
    assert.ok(r.keys.includes(k), `toJSON has ${k}`);
  }
});

test('guards work across realms where instanceof does not', async () => {
  const r = await page.evaluate(async () => {
    const frame = document.createElement('iframe');
    frame.src = '/www/harness.html';
    await new Promise((res) => { frame.onload = res; document.body.append(frame); });
    const other = await frame.contentWindow.sfReady;
    const e = await other.makeRequestWithRetry(`${API}/s/status/404`).catch((x) => x);
    return { instance: e instanceof sf.ApiError, guard: sf.isApiError(e), notFound: sf.isNotFoundError(e), name: e.name };
  });
  assert.deepEqual(r, { instance: false, guard: true, notFound: true, name: 'NotFoundError' });
});

test('createClient: prefixUrl and baseUrl, bearer and x-api-key auth, auth function, defaults', async () => {
  const r = await page.evaluate(async () => {
    const bearer = sf.createClient({ prefixUrl: `${API}/s/`, apiKey: 'k1', headers: { 'X-App': 'demo' }, maxRetries: 0 });
    const a = await bearer.get('/echo');
    const xkey = sf.createClient({ baseUrl: API, apiKey: 'k2', auth: 'x-api-key' });
    const b = await xkey.post('/s/echo', { json: { hi: 1 } });
    const fn = sf.createClient({ baseUrl: API, auth: async ({ method }) => ({ 'X-Signed': `sig-${method}` }) });
    const c = await fn.patch('s/echo', { body: 'x' });
    const d = await fn.delete('/s/echo');
    const e = await fn.put('/s/echo', { body: 'y', headers: { 'X-Extra': '1' } });
    const f = await fn.request('/s/echo', { method: 'OPTIONS' }).catch((x) => x.name);
    const err = await bearer.get('/status/404').catch((x) => x);
    return {
      a: [a.method, a.headers.authorization, a.headers['x-app']],
      b: [b.method, b.headers['x-api-key'], b.headers.authorization ?? null, b.body],
      c: [c.method, c.headers['x-signed']], d: d.method, e: [e.method, e.headers['x-extra']],
      f: typeof f, err: [err.name, err.attempts],
    };
  });
  assert.deepEqual(r, {
    a: ['GET', 'Bearer k1', 'demo'], b: ['POST', 'k2', null, '{"hi":1}'], c: ['PATCH', 'sig-PATCH'],
    d: 'DELETE', e: ['PUT', '1'], f: 'object', err: ['NotFoundError', 1],
  });
});

test('createClient and makeRequestWithRetry reject bad configuration with TypeErrors', async () => {
  const r = await page.evaluate(async () => {
    const out = [];
    for (const cfg of [null, 5, { auth: 'basic' }, { apiKey: '' }, { baseUrl: 7 }]) {
      try { sf.createClient(cfg); out.push('no error'); } catch (e) { out.push(e instanceof TypeError); }
    }
    out.push(await sf.makeRequestWithRetry({}).catch((e) => e instanceof TypeError && e.message));
    out.push(await sf.makeRequestWithRetry(`${API}/s/204`).then((v) => v));
    return out;
  });
  assert.deepEqual(r.slice(0, 5), [true, true, true, true, true]);
  assert.match(r[5], /steadfetch: url must be a string or a URL, got an object/);
  assert.equal(r[6], null, 'the module still answers');
});

test('the shipped JavaScript uses no eval and no new Function (CSP script-src self works)', async () => {
  const { readFileSync, readdirSync } = await import('node:fs');
  const pkg = readdirSync('pkg').filter((f) => f.endsWith('.js')).map((f) => `pkg/${f}`);
  assert.ok(pkg.length >= 4, pkg.join());
  for (const file of ['js/index.js', 'js/load.js', 'js/node.js', 'js/workerd.js', 'dist/steadfetch.js', ...pkg]) {
    const source = readFileSync(file, 'utf8');
    assert.doesNotMatch(source, /\beval\s*\(|new\s+Function\s*\(|\bFunction\s*\(\s*['"`]/, file);
  }
  // And the harness page runs the package under `script-src 'self' 'wasm-unsafe-eval'`.
  const csp = await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
});

test('works in a module worker (no window, no document)', async () => {
  const r = await page.evaluate(async () => {
    const worker = new Worker('/www/harness-worker.js', { type: 'module' });
    const reply = new Promise((resolve) => { worker.onmessage = (e) => resolve(e.data); });
    worker.postMessage(API);
    const data = await reply;
    worker.terminate();
    return data;
  });
  assert.deepEqual(r, { name: 'RateLimitError', guard: true, instance: true, attempts: 2, delays: [20, null] });
});
