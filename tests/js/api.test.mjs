// Issue 12, "the API that ky, axios and openai-node users expect": the package as users import it,
// in headless Chromium against the mock API. One test per promise, grouped by the gaps 1–5
// (6 is tests/package/*.ts under tsc in consumer.test.mjs, 7 is readme.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

let env;
let page;
before(async () => {
  env = await launch();
  page = await env.page();
  // Any unhandled rejection on the page fails the suite (see `after`).
  await page.evaluate(() => {
    window.unhandled = [];
    window.addEventListener('unhandledrejection', (e) => window.unhandled.push(String(e.reason?.message ?? e.reason)));
  });
});
after(async () => {
  const unhandled = await page.evaluate(() => window.unhandled);
  assert.deepEqual(unhandled, [], 'no unhandled rejections');
  assert.deepEqual(page.consoleErrors.filter((e) => !e.includes('Failed to load resource')), []);
  await env.close();
});

const run = (fn) => page.evaluate(fn);

// ---- Gap 1: changing a request between attempts; async hooks; no unhandled rejections ----

test('gap 1: beforeRequest sets fresh headers per attempt and may redirect an attempt', async () => {
  const r = await run(async () => {
    const seen = [];
    const key = Math.random().toString(36).slice(2);
    const value = await sf.makeRequestWithRetry(`${API}/s/flaky?fail=1&status=503&key=${key}`, {
      backoff: { baseMs: 1 },
      beforeRequest: async ({ url, init, attempt }) => {
        seen.push([attempt, init.method, init.headers instanceof Headers, typeof url]);
        init.headers.set('X-Attempt', String(attempt));
        // The second attempt goes elsewhere: the echo shows what it got.
        if (attempt === 2) return { url: `${API}/s/echo?from=hook`, init: { headers: { 'X-Replaced': 'yes' } } };
      },
    });
    return { seen, url: value.url, replaced: value.headers['x-replaced'], attempt: value.headers['x-attempt'] ?? null };
  });
  assert.deepEqual(r.seen, [[1, 'GET', true, 'string'], [2, 'GET', true, 'string']]);
  assert.equal(r.url, '/s/echo?from=hook');
  assert.equal(r.replaced, 'yes');
  assert.equal(r.attempt, null, 'returned init.headers replace the copy for that attempt');
});

test('gap 1: token refresh: beforeRequest + an async shouldRetry on 401, the retry uses the new token', async () => {
  const r = await run(async () => {
    const key = Math.random().toString(36).slice(2);
    let token = 'expired';
    const value = await sf.makeRequestWithRetry(`${API}/s/protected?key=${key}`, {
      backoff: { baseMs: 1 },
      beforeRequest: ({ init }) => { init.headers.set('Authorization', `Bearer ${token}`); },
      shouldRetry: async (error, attempt) => {
        if (error.status !== 401 || attempt > 1) return undefined;
        token = (await sf.makeRequestWithRetry(`${API}/s/token?key=${key}`)).token;
        return true;
      },
    });
    const stats = await sf.makeRequestWithRetry(`${API}/s/stats?key=${key}`);
    return { value, counts: stats.counts };
  });
  assert.equal(r.value.ok, true);
  assert.match(r.value.token, /^tok_1_/);
  assert.deepEqual(r.counts, { protected: 2, token: 1 });
});

test('gap 1: createClient auth runs before every attempt (a refreshed token is used on the retry)', async () => {
  const r = await run(async () => {
    const key = Math.random().toString(36).slice(2);
    let token = 'expired';
    const calls = [];
    const api = sf.createClient({
      prefixUrl: `${API}/s`, backoff: { baseMs: 1 },
      auth: ({ method, url, attempt }) => {
        calls.push([method, new URL(url).pathname, attempt]);
        return { Authorization: `Bearer ${token}` };
      },
      shouldRetry: async (error) => {
        if (error.status !== 401) return undefined;
        token = (await sf.makeRequestWithRetry(`${API}/s/token?key=${key}`)).token;
        return true;
      },
    });
    return { value: await api.get(`protected?key=${key}`), calls };
  });
  assert.equal(r.value.ok, true);
  assert.deepEqual(r.calls, [['GET', '/s/protected', 1], ['GET', '/s/protected', 2]]);
});

test('gap 1: afterResponse may replace the Response; beforeRetry false stops; beforeError picks the error', async () => {
  const r = await run(async () => {
    const key = Math.random().toString(36).slice(2);
    const replaced = await sf.makeRequestWithRetry(`${API}/s/status/503`, {
      afterResponse: async ({ response, attempt }) => (response.status === 503
        ? new Response(JSON.stringify({ cached: true, attempt }), { status: 200, headers: { 'Content-Type': 'application/json' } })
        : undefined),
    });
    const infos = [];
    const retried = [];
    const stopped = await sf.makeRequestWithRetry(`${API}/s/flaky?fail=9&status=503&key=${key}`, {
      backoff: { baseMs: 50, jitter: 'none' },
      beforeRetry: async ({ error, attempt, delayMs }) => { infos.push([error.kind, attempt, delayMs]); return attempt < 2; },
      onRetry: (info) => retried.push(info.attempt),
    }).catch((e) => e);
    const stats = await sf.makeRequestWithRetry(`${API}/s/stats?key=${key}`);
    const seenByOnError = [];
    const custom = await sf.makeRequestWithRetry(`${API}/s/status/404`, {
      beforeError: async (error) => new sf.NotFoundError(`No such ticket (${error.status})`, { status: error.status, cause: error }),
      onError: (error) => seenByOnError.push(error.message),
    }).catch((e) => e);
    const kept = await sf.makeRequestWithRetry(`${API}/s/status/404`, { beforeError: () => undefined }).catch((e) => e.name);
    return {
      replaced, infos, retried, stopped: [stopped.name, stopped.attempts], requests: stats.counts.flaky,
      custom: [custom.name, custom.message, custom.cause?.name, custom.kind], seenByOnError, kept,
    };
  });
  assert.deepEqual(r.replaced, { cached: true, attempt: 1 });
  assert.deepEqual(r.infos, [['unavailable', 1, 50], ['unavailable', 2, 100]]);
  assert.deepEqual(r.retried, [1], 'onRetry runs only for retries beforeRetry let through');
  assert.deepEqual(r.stopped, ['ServiceUnavailableError', 2]);
  assert.equal(r.requests, 2);
  assert.deepEqual(r.custom, ['NotFoundError', 'No such ticket (404)', 'NotFoundError', 'not_found']);
  assert.deepEqual(r.seenByOnError, ['No such ticket (404)'], 'onError sees the error that is thrown');
  assert.equal(r.kept, 'NotFoundError');
});

test('gap 1: shouldRetry: async () => false sends one request', async () => {
  const r = await run(async () => {
    const key = Math.random().toString(36).slice(2);
    const e = await sf.makeRequestWithRetry(`${API}/s/flaky?fail=9&status=503&key=${key}`, {
      backoff: { baseMs: 1 }, shouldRetry: async () => false,
    }).catch((x) => x);
    const stats = await sf.makeRequestWithRetry(`${API}/s/stats?key=${key}`);
    return [e.name, e.attempts, stats.counts.flaky];
  });
  assert.deepEqual(r, ['ServiceUnavailableError', 1, 1]);
});

test('gap 1: every hook that throws or rejects is a TypeError naming it, cause kept, nothing unhandled', async () => {
  const r = await run(async () => {
    const flaky = () => `${API}/s/flaky?fail=9&status=503&key=${Math.random()}`;
    const boom = (name, async) => (async ? () => Promise.reject(new Error(`${name} failed`)) : () => { throw new Error(`${name} failed`); });
    const out = {};
    for (const async of [false, true]) {
      const cases = {
        beforeRequest: [flaky(), {}], afterResponse: [flaky(), {}], beforeRetry: [flaky(), {}],
        beforeError: [flaky(), { maxRetries: 0 }], shouldRetry: [flaky(), {}], onRetry: [flaky(), {}],
        onError: [flaky(), { maxRetries: 0 }], onDownloadProgress: [`${API}/s/echo`, {}],
      };
      for (const [name, [url, extra]] of Object.entries(cases)) {
        const e = await sf.makeRequestWithRetry(url, { backoff: { baseMs: 1 }, ...extra, [name]: boom(name, async) }).catch((x) => x);
        out[`${name}${async ? ' (async)' : ''}`] = [e instanceof TypeError, e.message.includes(`the ${name} hook threw (${name} failed)`), e.cause?.message];
      }
    }
    const api = sf.createClient({ prefixUrl: API, auth: async () => { throw new Error('vault locked'); } });
    const e = await api.get('/s/echo').catch((x) => x);
    out.auth = [e instanceof TypeError, e.message.includes('the auth function threw (vault locked)'), e.cause?.message];
    const bad = await sf.makeRequestWithRetry(`${API}/s/echo`, { afterResponse: () => 'nope' }).catch((x) => x.message);
    const badError = await sf.makeRequestWithRetry(`${API}/s/status/404`, { beforeError: () => new Error('plain') }).catch((x) => x.message);
    await new Promise((res) => setTimeout(res, 50));
    return { out, bad, badError, alive: (await sf.makeRequestWithRetry(`${API}/s/echo`)).method, unhandled: window.unhandled.length };
  });
  for (const [name, got] of Object.entries(r.out)) {
    const reason = name === 'auth' ? 'vault locked' : `${name.split(' ')[0]} failed`;
    assert.deepEqual(got, [true, true, reason], name);
  }
  assert.match(r.bad, /the afterResponse hook returned string/);
  assert.match(r.badError, /the beforeError hook returned .*return an ApiError/);
  assert.equal(r.alive, 'GET');
  assert.equal(r.unhandled, 0);
});

test('gap 1: client and call hooks both run, the client\'s first (as ky merges them)', async () => {
  const r = await run(async () => {
    const order = [];
    const hook = (who, name, value) => (arg) => { order.push(`${who}.${name}`); return value?.(arg); };
    const api = sf.createClient({
      prefixUrl: `${API}/s`, backoff: { baseMs: 1 }, maxRetries: 1,
      beforeRequest: hook('client', 'beforeRequest'), afterResponse: hook('client', 'afterResponse'),
      beforeRetry: hook('client', 'beforeRetry'), beforeError: hook('client', 'beforeError', (e) => new sf.ServerError('from client', { cause: e })),
    });
    const e = await api.get(`flaky?fail=9&status=503&key=${Math.random()}`, {
      beforeRequest: hook('call', 'beforeRequest'), afterResponse: hook('call', 'afterResponse'),
      beforeRetry: hook('call', 'beforeRetry'), beforeError: hook('call', 'beforeError', (err) => { order.push(`call saw ${err.message}`); }),
    }).catch((x) => x);
    return { order, message: e.message };
  });
  assert.deepEqual(r.order, [
    'client.beforeRequest', 'call.beforeRequest', 'client.afterResponse', 'call.afterResponse',
    'client.beforeRetry', 'call.beforeRetry',
    'client.beforeRequest', 'call.beforeRequest', 'client.afterResponse', 'call.afterResponse',
    'client.beforeError', 'call.beforeError', 'call saw from client',
  ]);
  assert.equal(r.message, 'from client');
});

// ---- Gap 2: errors carry the response ----

test('gap 2: errors carry headers, the Response and the whole parsed body (data)', async () => {
  const r = await run(async () => {
    const body = (o) => encodeURIComponent(JSON.stringify(o));
    const auth = await sf.makeRequestWithRetry(`${API}/s/protected?key=${Math.random()}`).catch((x) => x);
    const bad = await sf.makeRequestWithRetry(`${API}/s/status/400?h-Content-Type=application/json&h-Location=/v1/tickets/7&h-X-Quota-Left=12&body=${body({ foo: 1, message: 'Bad thing', extra: { a: [1, 2] } })}`).catch((x) => x);
    const openai = await sf.makeRequestWithRetry(`${API}/s/status/429?h-Content-Type=application/json&body=${body({ error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } })}`, { maxRetries: 0 }).catch((x) => x);
    const big = await sf.makeRequestWithRetry(`${API}/s/status/422?pad=20000`).catch((x) => x);
    const html = await sf.makeRequestWithRetry(`${API}/s/html502`, { maxRetries: 0 }).catch((x) => x);
    const network = await sf.makeRequestWithRetry('http://127.0.0.1:65535/x', { maxRetries: 0 }).catch((x) => x);
    return {
      auth: [auth.name, auth.headers instanceof Headers, auth.headers.get('www-authenticate'), auth.response instanceof Response, auth.response.status, auth.response.bodyUsed, auth.data],
      bad: [bad.data, bad.details, bad.headers.get('location'), bad.headers.get('x-quota-left')],
      openai: [openai.data.error.type, openai.data.error.param, openai.code],
      big: [big.data.padding.length, big.data.error.code, big.bodyText.length <= 8192],
      html: [typeof html.data, html.data.length > 2000, html.data.startsWith('<!DOCTYPE html>')],
      network: [network.headers, network.response, network.data],
    };
  });
  assert.deepEqual(r.auth, ['AuthenticationError', true, 'Bearer realm="mock", error="invalid_token"', true, 401, true,
    { error: { code: 'invalid_token', message: 'The access token expired or is invalid' } }]);
  assert.deepEqual(r.bad, [{ foo: 1, message: 'Bad thing', extra: { a: [1, 2] } }, null, '/v1/tickets/7', '12']);
  assert.deepEqual(r.openai, ['requests', null, 'rate_limit_exceeded']);
  assert.deepEqual(r.big, [20000, 'status_422', true]);
  assert.deepEqual(r.html, ['string', true, true]);
  assert.deepEqual(r.network, [null, null, null]);
});

test('gap 2: toJSON keeps credentials out: headers redacted, no response or data', async () => {
  const r = await run(async () => {
    const e = await sf.makeRequestWithRetry(`${API}/s/status/403?h-X-Session-Token=SECRET9&h-X-Quota-Left=3`).catch((x) => x);
    const json = e.toJSON();
    return { headers: json.headers, keys: Object.keys(json), text: JSON.stringify(json.headers) + JSON.stringify(e.toJSON().headers), live: e.headers.get('x-session-token') };
  });
  assert.equal(r.headers['x-session-token'], 'REDACTED');
  assert.equal(r.headers['x-quota-left'], '3');
  assert.ok(!r.keys.includes('response') && !r.keys.includes('data'));
  assert.ok(!r.text.includes('SECRET9'));
  assert.equal(r.live, 'SECRET9', 'the live Headers are the response\'s own');
});

test('gap 2 / 6: constructors match the runtime: kind, retryable, cause, response fields', async () => {
  const r = await run(async () => {
    const cause = new Error('root');
    const response = new Response('{"x":1}', { status: 429, headers: { 'Retry-After': '2' } });
    const rate = new sf.RateLimitError('slow', { status: 429, retryAfterMs: 2000, response, data: { x: 1 } }, { cause });
    const viaFields = new sf.TimeoutError('late', { scope: 'attempt', cause });
    const plain = new sf.ApiError('x');
    return {
      rate: [rate.kind, rate.code, rate.retryable, rate.cause === cause, rate.status, rate.retryAfterMs, rate.headers.get('retry-after'), rate.data.x, sf.isRateLimitError(rate), rate.name],
      timeout: [viaFields.kind, viaFields.scope, viaFields.cause === cause, viaFields.retryable],
      others: ['BadRequestError', 'AuthenticationError', 'PaymentRequiredError', 'PermissionDeniedError', 'NotFoundError', 'ConflictError',
        'ValidationError', 'ServerError', 'ServiceUnavailableError', 'RequestTimeoutError', 'NetworkError', 'AbortError', 'ResponseParseError', 'SetupError']
        .map((n) => new sf[n]('m').kind),
      plain: [plain.kind, plain.retryable, 'cause' in plain],
    };
  });
  assert.deepEqual(r.rate, ['rate_limited', 'rate_limited', true, true, 429, 2000, '2', 1, true, 'RateLimitError']);
  assert.deepEqual(r.timeout, ['timeout', 'attempt', true, true]);
  assert.deepEqual(r.others, ['bad_request', 'authentication', 'payment_required', 'permission_denied', 'not_found', 'conflict',
    'validation', 'server', 'unavailable', 'request_timeout', 'network', 'aborted', 'parse', 'setup']);
  assert.deepEqual(r.plain, ['unknown', false, false]);
});

// ---- Gap 3: streaming can be cancelled; download progress ----

test('gap 3: responseType response: abort() cancels the stream and rejects the pending read at once', async () => {
  const r = await run(async () => {
    const key = Math.random().toString(36).slice(2);
    const controller = new AbortController();
    const response = await sf.makeRequestWithRetry(`${API}/s/stream?chunks=50&ms=100&key=${key}`, { responseType: 'response', signal: controller.signal });
    const reader = response.body.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const pending = reader.read().then(() => reader.read()).then(() => 'still streaming', (e) => e);
    const aborted = performance.now();
    controller.abort();
    const outcome = await pending;
    const ms = performance.now() - aborted;
    await new Promise((res) => setTimeout(res, 300));
    const stats = await sf.makeRequestWithRetry(`${API}/s/stats?key=${key}`);
    return { first, outcome: outcome.name ?? outcome, ms, cut: stats.counts['stream-cut'] ?? 0, status: response.status, url: response.url.includes('/s/stream') };
  });
  assert.equal(r.first, 'data: {"n":1}\n\n');
  assert.equal(r.outcome, 'AbortError');
  assert.ok(r.ms < 150, `rejected ${r.ms} ms after abort()`);
  assert.equal(r.cut, 1, 'the server saw the stream closed');
  assert.equal(r.status, 200);
  assert.ok(r.url);
});

test('gap 3: deadlineMs keeps governing a streamed body; without signal or deadline it streams to the end', async () => {
  const r = await run(async () => {
    const started = performance.now();
    const response = await sf.makeRequestWithRetry(`${API}/s/stream?chunks=30&ms=100&key=${Math.random()}`, { responseType: 'response', deadlineMs: 600 });
    const reader = response.body.getReader();
    let outcome;
    for (;;) {
      try {
        if ((await reader.read()).done) { outcome = 'finished'; break; }
      } catch (e) {
        outcome = e.name;
        break;
      }
    }
    const ms = performance.now() - started;
    const whole = await sf.makeRequestWithRetry(`${API}/s/stream?chunks=3&ms=10&key=${Math.random()}`, { responseType: 'response' });
    return { outcome, ms, text: await whole.text() };
  });
  assert.equal(r.outcome, 'TimeoutError');
  assert.ok(r.ms >= 550 && r.ms < 1500, `cut after ${r.ms} ms`);
  assert.equal(r.text, 'data: {"n":1}\n\ndata: {"n":2}\n\ndata: {"n":3}\n\n');
});

test('gap 3: onDownloadProgress reports { loaded, total, percent } up to 100', async () => {
  const r = await run(async () => {
    const events = [];
    const value = await sf.makeRequestWithRetry(`${API}/s/big?size=100000`, { onDownloadProgress: async (p) => { events.push(p); } });
    return { events, length: value.data.length };
  });
  assert.equal(r.length, 100000);
  const total = 100011;
  assert.ok(r.events.length >= 3, `${r.events.length} events`);
  assert.deepEqual(r.events[0], { loaded: 0, total, percent: 0 });
  assert.deepEqual(r.events.at(-1), { loaded: total, total, percent: 100 });
  for (let i = 1; i < r.events.length; i++) assert.ok(r.events[i].loaded >= r.events[i - 1].loaded);
});

// ---- Gap 4: a TimeoutError reason is a TimeoutError ----

test('gap 4: AbortSignal.timeout() gives a TimeoutError, scope signal, its reason as cause, not retried', async () => {
  const r = await run(async () => {
    const started = performance.now();
    const e = await sf.makeRequestWithRetry(`${API}/s/slow-headers?ms=3000`, { signal: AbortSignal.timeout(200) }).catch((x) => x);
    const user = new AbortController();
    setTimeout(() => user.abort(), 50);
    const a = await sf.makeRequestWithRetry(`${API}/s/slow-headers?ms=3000`, { signal: user.signal }).catch((x) => x);
    return {
      e: [e.name, e.kind, e.scope, e.cause?.name, e.attempts, e.retryable, sf.isTimeoutError(e)], ms: performance.now() - started,
      a: [a.name, a.kind],
    };
  });
  assert.deepEqual(r.e, ['TimeoutError', 'timeout', 'signal', 'TimeoutError', 1, false, true]);
  assert.ok(r.ms < 1500, `${r.ms} ms`);
  assert.deepEqual(r.a, ['AbortError', 'aborted'], 'a plain abort is still an AbortError');
});

// ---- Gap 5: fetch, searchParams, head(), baseUrl vs prefixUrl ----

test('gap 5: a custom fetch is used for every attempt', async () => {
  const r = await run(async () => {
    const calls = [];
    const myFetch = (url, init) => {
      calls.push([String(url), init.method, init.signal instanceof AbortSignal]);
      return fetch(url, { ...init, headers: { ...Object.fromEntries(init.headers), 'x-instrumented': '1' } });
    };
    const value = await sf.makeRequestWithRetry(`${API}/s/echo`, { fetch: myFetch });
    const stub = await sf.makeRequestWithRetry('https://api.example.test/v1/me', { fetch: async () => Response.json({ stubbed: true }) });
    const bad = await sf.makeRequestWithRetry(`${API}/s/echo`, { fetch: 'fetch' }).catch((e) => e.message);
    return { calls, header: value.headers['x-instrumented'], stub, bad };
  });
  assert.deepEqual(r.calls, [[`${env.apiUrl}/s/echo`, 'GET', true]]);
  assert.equal(r.header, '1');
  assert.deepEqual(r.stub, { stubbed: true });
  assert.equal(r.bad, 'steadfetch: fetch must be a function, got string');
});

test('gap 5: searchParams (object, URLSearchParams, string) are merged into the URL', async () => {
  const r = await run(async () => {
    const url = (o) => sf.makeRequestWithRetry(`${API}/s/echo?a=1&b=2`, o).then((v) => v.url);
    const error = await sf.makeRequestWithRetry(`${API}/s/status/404`, { searchParams: { q: 'x' } }).catch((e) => e.url);
    return [
      await url({ searchParams: { b: 3, c: 'x y', skip: undefined } }),
      await url({ searchParams: new URLSearchParams([['t', '1'], ['t', '2']]) }),
      await url({ searchParams: 'page=2' }),
      error,
      await url({ searchParams: 5 }).catch((e) => e.message),
    ];
  });
  assert.deepEqual(r.slice(0, 3), ['/s/echo?a=1&b=3&c=x+y', '/s/echo?a=1&b=2&t=1&t=2', '/s/echo?a=1&b=2&page=2']);
  assert.equal(r[3], `${env.apiUrl}/s/status/404?q=x`, 'the error names the URL sent');
  assert.match(r[4], /searchParams must be an object, a URLSearchParams or a string, got number/);
});

test('gap 5: createClient: head(), baseUrl resolves like new URL(path, baseUrl), prefixUrl joins', async () => {
  const r = await run(async () => {
    const resolving = sf.createClient({ baseUrl: `${API}/s/` });
    const prefixed = sf.createClient({ prefixUrl: `${API}/s` });
    const both = sf.createClient({ baseUrl: API, prefixUrl: '/s/' });
    const path = (p) => p.then((v) => v.url);
    return {
      head: await resolving.head('echo'),
      headResponse: (await resolving.head('echo', { responseType: 'response' })).status,
      relative: await path(resolving.get('echo?x=1')),
      rooted: await resolving.get('/echo').catch((e) => e.status),
      prefixed: await path(prefixed.get('/echo')),
      prefixedNoSlash: await path(prefixed.get('echo')),
      both: await path(both.get('echo')),
      absolute: await path(prefixed.get(`${API}/s/echo?abs=1`)),
    };
  });
  assert.deepEqual(r, {
    head: null, headResponse: 200, relative: '/s/echo?x=1', rooted: 404, prefixed: '/s/echo', prefixedNoSlash: '/s/echo',
    both: '/s/echo', absolute: '/s/echo?abs=1',
  });
});
