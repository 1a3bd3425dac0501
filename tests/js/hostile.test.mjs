// Hostile input, from the server and from the caller: every case ends in a clear TypeError or a
// typed ApiError with a message saying what happened, and the next call still works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

let env;
let page;
before(async () => {
  env = await launch();
  page = await env.page();
});
after(() => env.close());

/** Runs `fn(sf, API, arg)` in the page; returns the error's observable shape, then checks the module still answers. */
async function outcome(fn, arg) {
  // One expression built from the test's own functions, evaluated through the DevTools protocol.
  // The argument goes through Playwright's serializer, which keeps NaN, -0 and undefined.
  await page.evaluate((a) => { window.hostileArg = a; }, arg ?? {});
  return page.evaluate(`(${observe})(${fn}, window.hostileArg)`);
}

async function observe(run, arg) {
    let result;
    const memory = (await sf.ready()).memory;
    const memoryBefore = memory.buffer.byteLength;
    try {
      const value = await run(window.sf, window.API, arg);
      result = { resolved: true, value: typeof value === 'string' ? value.slice(0, 100) : value };
    } catch (e) {
      result = {
        name: e?.name, kind: e?.kind, code: e?.code, message: String(e?.message), status: e?.status,
        attempts: e?.attempts, retryAfterMs: e?.retryAfterMs, bodyTextLength: e?.bodyText?.length ?? null,
        isApiError: sf.isApiError(e), isTypeError: e instanceof TypeError, requestIdLength: e?.requestId?.length ?? null,
      };
    }
    result.memoryGrowth = memory.buffer.byteLength - memoryBefore;
    result.alive = (await sf.makeRequestWithRetry(`${API}/s/flaky?fail=0&key=alive`)).ok === true;
    return result;
}

const fast = { maxRetries: 1, backoff: { baseMs: 5, maxMs: 20 }, timeoutMs: 400, maxRetryAfterMs: 3000 };
const get = () => (sf, API, o) => sf.makeRequestWithRetry(`${API}${o.path}`, o.options);
const server = (path, options = fast) => ({ fn: get(), arg: { path, options } });

const SERVER_CASES = [
  ['chaos ok', server('/h/ok'), { resolved: true }],
  ['chaos 429 seconds', server('/h/429-seconds?variant=1'), { name: 'RateLimitError', attempts: 2 }],
  ['chaos 429 date', server('/h/429-date'), { name: 'RateLimitError', attempts: 2 }],
  ['chaos 429 ms', server('/h/429-ms'), { name: 'RateLimitError', attempts: 2 }],
  ['chaos 429 garbage "soon"', server('/h/429-garbage?variant=0'), { name: 'RateLimitError', attempts: 2, retryAfterMs: null }],
  ['chaos 408', server('/h/408'), { name: 'RequestTimeoutError', attempts: 2 }],
  ['chaos 500', server('/h/500'), { name: 'ServerError', attempts: 2 }],
  ['chaos 502', server('/h/502'), { name: 'ServerError', attempts: 2 }],
  ['chaos 503', server('/h/503'), { name: 'ServiceUnavailableError', attempts: 2 }],
  ['chaos 504', server('/h/504'), { name: 'ServerError', attempts: 2 }],
  ['chaos destroyed before headers', server('/h/destroy-before'), { name: 'NetworkError', attempts: 2 }],
  ['chaos destroyed after headers', server('/h/destroy-after'), { name: 'NetworkError', attempts: 2 }],
  ['chaos truncated body', server('/h/truncated'), { name: 'NetworkError', attempts: 2 }],
  ['chaos body slower than the timeout', server('/h/slow-body'), { name: 'TimeoutError', attempts: 2 }],
  ['chaos malformed JSON on 200', server('/h/malformed-json'), { name: 'ResponseParseError', attempts: 1 }],
  ['chaos JSON labelled text/html', server('/h/wrong-type'), { name: 'ServerError', code: 'mislabelled', message: 'JSON sent as text/html' }],
  ['chaos 10 MB body', server('/h/huge', { ...fast, maxRetries: 0 }), { name: 'ServiceUnavailableError', message: 'Overloaded', maxBodyText: 8192 }],
  ['chaos invalid UTF-8', server('/h/invalid-utf8'), { name: 'BadRequestError', code: 'bad_bytes', messageIncludes: '\ufffd' }],
  ['chaos HTML page', server('/h/html'), { name: 'ServerError', message: '502 Bad Gateway' }],
];

const status = (code, headers = {}, body = null, options = fast) => {
  const q = new URLSearchParams(Object.entries(headers).map(([k, v]) => [`h-${k}`, v]));
  if (body !== null) q.set('body', body);
  return server(`/s/status/${code}?${q}`, options);
};
const json = { 'Content-Type': 'application/json' };

const HEADER_CASES = [
  ['Retry-After: -1', status(429, { 'Retry-After': '-1' }), { name: 'RateLimitError', attempts: 2, retryAfterMs: null }],
  ['Retry-After: 1e309', status(429, { 'Retry-After': '1e309' }), { name: 'RateLimitError', attempts: 2, retryAfterMs: null }],
  ['Retry-After: soon', status(429, { 'Retry-After': 'soon' }), { name: 'RateLimitError', attempts: 2, retryAfterMs: null }],
  ['Retry-After: 9007199254740993', status(429, { 'Retry-After': '9007199254740993' }), { name: 'RateLimitError', attempts: 1, retryAfterMs: 2147483647 }],
  ['Retry-After in the past', status(503, { 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' }), { name: 'ServiceUnavailableError', attempts: 2, retryAfterMs: 0 }],
  ['Retry-After in the year 9999', status(429, { 'Retry-After': 'Fri, 31 Dec 9999 23:59:59 GMT' }), { name: 'RateLimitError', attempts: 1, retryAfterMs: 2147483647 }],
  ['Retry-After duplicated', { fn: (sf, API) => sf.makeRequestWithRetry(`${API}/s/status/429?h-Retry-After=0&h-Retry-After=0`, { maxRetries: 1 }), arg: {} }, { name: 'RateLimitError', attempts: 2, retryAfterMs: 0 }],
  ['oversized Retry-After', status(429, { 'Retry-After': '9'.repeat(6000) }), { name: 'RateLimitError', attempts: 1, retryAfterMs: 2147483647 }],
  ['oversized request id', status(500, { 'X-Request-Id': 'r'.repeat(6000) }, null, { maxRetries: 0 }), { name: 'ServerError', maxRequestId: 201 }],
  ['garbage rate-limit headers', status(429, { 'X-RateLimit-Remaining': '-5', 'X-RateLimit-Reset': 'never' }), { name: 'RateLimitError', attempts: 2 }],
  ['x-should-retry garbage', status(503, { 'x-should-retry': 'maybe' }), { name: 'ServiceUnavailableError', attempts: 2 }],
];

const body = (code, text) => status(code, json, text, { maxRetries: 0 });

const BODY_CASES = [
  ['JSON nested 10,000 deep (arrays)', server('/h/deep-arrays', { maxRetries: 0 }), { name: 'BadRequestError', message: 'HTTP 400 Bad Request' }],
  ['JSON nested 10,000 deep (objects)', server('/h/deep-objects', { maxRetries: 0 }), { name: 'BadRequestError', message: 'HTTP 400 Bad Request' }],
  ...[['number', '12345'], ['true', 'true'], ['null', 'null'], ['empty list', '[]'], ['empty object', '{}'], ['list of numbers', '[1,2]'], ['empty string', '""'], ['nested list', '[[["x"]]]']]
    .map(([what, v]) => [`detail is ${what}`, body(422, `{"detail": ${v}}`), { name: 'ValidationError', nonEmptyMessage: true }]),
  ...[['number', '5'], ['false', 'false'], ['null', 'null'], ['list', '[1]'], ['blank string', '" "'], ['empty object', '{}'], ['object of wrong types', '{"code": [], "message": {"a": 1}}'], ['code only', '{"code": 7}']]
    .map(([what, v]) => [`error is ${what}`, body(500, `{"error": ${v}}`), { name: 'ServerError', nonEmptyMessage: true }]),
  // Wasm memory never shrinks, so a big body copied into it would keep the module that big.
  ['10 MB malformed JSON on 200', server('/h/huge-malformed-json', { maxRetries: 0 }), { name: 'ResponseParseError', maxBodyText: 8192, maxMemoryGrowth: 512 * 1024 }],
  ['10 MB of invalid UTF-8', server('/h/huge-bad-bytes', { maxRetries: 0 }), { name: 'BadRequestError', maxBodyText: 8192, maxMemoryGrowth: 512 * 1024 }],
  ['message of 100,000 characters', server('/h/long-message', { maxRetries: 0 }), { name: 'BadRequestError', maxMessage: 301, maxBodyText: 8192 }],
  ['markup in the message', body(400, '{"error":{"code":"x","message":"<img src=x onerror=alert(1)>"}}'), { name: 'BadRequestError', message: '<img src=x onerror=alert(1)>' }],
  ['__proto__ in the body', body(400, '{"__proto__":{"polluted":true},"error":{"code":"p","message":"proto","details":{"__proto__":{"x":1}}}}'), { name: 'BadRequestError', message: 'proto', notPolluted: true }],
  ['JSON content type, HTML body', body(502, '<html><title>Gateway</title></html>'), { name: 'ServerError', message: 'Gateway' }],
  ['NUL bytes and controls', body(400, '{"message":"a\\u0000b\\u0007c\\u001bd"}'), { name: 'BadRequestError', message: 'a b c d' }],
];

const call = (url, options, third) => ({ fn: (sf, API, a) => sf.makeRequestWithRetry(a.url === '@api' ? `${API}/s/204` : a.url, a.options, a.third), arg: { url, options, third } });
const typeError = (includes) => ({ name: 'TypeError', isTypeError: true, messageIncludes: includes });

const CALLER_CASES = [
  ['invalid URL', call('http://[::1', {}), typeError('is not a valid URL')],
  ['URL with a password', call('http://user:secret@127.0.0.1/', {}), { ...typeError('credentials'), notIncludes: 'secret' }],
  ['invalid URL with a password', call('http://user:secret@[bad', {}), { ...typeError('not a valid URL'), notIncludes: 'secret' }],
  ['ftp URL', call('ftp://example.com/', {}), typeError('http: or https:')],
  ['javascript: URL', call('javascript:alert(1)', {}), typeError('http: or https:')],
  ['relative URL resolves against the page, as fetch does', { fn: (sf, API) => sf.makeRequestWithRetry('/api/s/204'), arg: {} }, { resolved: true }],
  ['URL is a number', call(42, {}), typeError('url must be a string or a URL, got 42')],
  ['URL is null', call(null, {}), typeError('url must be a string or a URL')],
  ['URL is undefined', call(undefined, {}), typeError('url must be a string or a URL')],
  ['URL is a plain object', call({ toString: 'x' }, {}), typeError('got an object')],
  ['options is a string', call('@api', 'GET'), typeError('options must be an object')],
  ['options is a number', call('@api', 5), typeError('options must be an object')],
  ['options is an array', call('@api', []), typeError('options must be an object')],
  ['maxRetries -1', call('@api', { maxRetries: -1 }), typeError('maxRetries must be an integer from 0 to 100, got -1')],
  ['maxRetries NaN', call('@api', { maxRetries: NaN }), typeError('got NaN')],
  ['maxRetries 1e9', call('@api', { maxRetries: 1e9 }), typeError('got 1000000000')],
  ['maxRetries "3"', call('@api', { maxRetries: '3' }), typeError('got "3" (a string)')],
  ['maxRetries 2.5', call('@api', { maxRetries: 2.5 }), typeError('got 2.5')],
  ['third argument NaN', call('@api', {}, NaN), typeError('maxRetries (third argument)')],
  ['timeoutMs 0', call('@api', { timeoutMs: 0 }), typeError('timeoutMs must be a positive number')],
  ['timeoutMs negative', call('@api', { timeoutMs: -5 }), typeError('got -5')],
  ['timeoutMs "100"', call('@api', { timeoutMs: '100' }), typeError('timeoutMs')],
  ['deadlineMs 0', call('@api', { deadlineMs: 0 }), typeError('deadlineMs')],
  ['backoff is a number', call('@api', { backoff: 5 }), typeError('backoff must be an object')],
  ['jitter unknown', call('@api', { backoff: { jitter: 'lots' } }), typeError("'full', 'equal' or 'none'")],
  ['retryOn has a string', call('@api', { retryOn: [503, 'x'] }), typeError('retryOn')],
  ['responseType unknown', call('@api', { responseType: 'xml' }), typeError('responseType')],
  ['signal is not an AbortSignal', call('@api', { signal: {} }), typeError('signal must be an AbortSignal')],
  ['idempotencyKey is a number', call('@api', { idempotencyKey: 5, method: 'POST' }), typeError('idempotencyKey')],
  ['header name with a space', call('@api', { headers: { 'bad name': 'x' } }), typeError('headers are invalid')],
  ['GET with json', call('@api', { json: {} }), typeError('cannot have a body')],
  ['json and body', call('@api', { json: {}, body: 'x', method: 'POST' }), typeError('either json or body')],
  ['cyclic json', { fn: (sf, API) => { const a = {}; a.a = a; return sf.makeRequestWithRetry(`${API}/s/echo`, { method: 'POST', json: a }); }, arg: {} }, typeError('json could not be serialized')],
  ['BigInt in json', { fn: (sf, API) => sf.makeRequestWithRetry(`${API}/s/echo`, { method: 'POST', json: { n: 1n } }), arg: {} }, typeError('json could not be serialized')],
  ['already-aborted signal', { fn: (sf, API) => sf.makeRequestWithRetry(`${API}/s/204`, { signal: AbortSignal.abort('gone') }), arg: {} }, { name: 'AbortError', kind: 'aborted' }],
  ['onRetry throws', { fn: (sf, API) => sf.makeRequestWithRetry(`${API}/s/status/503`, { backoff: { baseMs: 1 }, onRetry() { throw new Error('bug'); } }), arg: {} }, typeError('onRetry hook threw (bug)')],
  ['onError throws', { fn: (sf, API) => sf.makeRequestWithRetry(`${API}/s/status/404`, { onError() { throw new Error('bug'); } }), arg: {} }, typeError('onError hook threw (bug)')],
  ['shouldRetry throws', { fn: (sf, API) => sf.makeRequestWithRetry(`${API}/s/status/503`, { shouldRetry() { throw 'plain'; } }), arg: {} }, typeError('shouldRetry hook threw (plain)')],
  ['onRetry is a string', call('@api', { onRetry: 'log' }), typeError('onRetry must be a function')],
];

const ALL = [...SERVER_CASES, ...HEADER_CASES, ...BODY_CASES, ...CALLER_CASES];

test(`${ALL.length} hostile inputs give clear errors and leave the module working`, async () => {
  assert.ok(ALL.length >= 60);
  const failures = [];
  for (const [name, { fn, arg }, want] of ALL) {
    const got = await outcome(fn, arg);
    const problems = [];
    if (!got.alive) problems.push('module stopped answering');
    if (want.resolved) {
      if (!got.resolved) problems.push(`expected success, got ${got.name}: ${got.message}`);
    } else {
      if (got.resolved) problems.push('resolved instead of failing');
      if (want.name && got.name !== want.name) problems.push(`name ${got.name} (${got.message})`);
      if (!got.isTypeError && !got.isApiError) problems.push('neither TypeError nor ApiError');
      if (!got.message || got.message === 'undefined' || got.message.includes('[object Object]')) problems.push(`message ${got.message}`);
      for (const k of ['kind', 'code', 'message', 'attempts', 'retryAfterMs']) {
        if (k in want && got[k] !== want[k]) problems.push(`${k} ${JSON.stringify(got[k])} ≠ ${JSON.stringify(want[k])}`);
      }
      if (want.messageIncludes && !String(got.message).includes(want.messageIncludes)) problems.push(`message "${got.message}" lacks "${want.messageIncludes}"`);
      if (want.notIncludes && String(got.message).includes(want.notIncludes)) problems.push(`message leaks "${want.notIncludes}"`);
      if (want.maxMessage && got.message.length > want.maxMessage) problems.push(`message ${got.message.length} chars`);
      if (want.maxBodyText && got.bodyTextLength > want.maxBodyText) problems.push(`bodyText ${got.bodyTextLength}`);
      if (want.maxRequestId && got.requestIdLength > want.maxRequestId) problems.push(`requestId ${got.requestIdLength}`);
      if (want.maxMemoryGrowth !== undefined && got.memoryGrowth > want.maxMemoryGrowth) problems.push(`wasm memory grew ${got.memoryGrowth} B`);
      if (want.nonEmptyMessage && got.message.trim() === '') problems.push('empty message');
    }
    if (want.notPolluted && (await page.evaluate(() => ({}).polluted !== undefined || Object.prototype.x !== undefined))) problems.push('prototype polluted');
    if (problems.length) failures.push(`${name}: ${problems.join('; ')}`);
  }
  assert.deepEqual(failures, []);
  console.log(`hostile cases: ${ALL.length}`);
});
