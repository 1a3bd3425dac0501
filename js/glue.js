// Hand-written helpers the wasm module imports where one JavaScript call replaces dozens of
// wasm↔JS crossings on the hot path (every call reads its options and resolves its URL).

/** Option names steadfetch consumes, in the order the crate reads them (src/web/options.rs). */
const OWN = ['maxRetries', 'backoff', 'retryOn', 'retryNetworkErrors', 'retryOnTimeout', 'timeoutMs',
  'deadlineMs', 'maxRetryAfterMs', 'idempotencyKey', 'idempotencyHeader', 'signal', 'onRetry', 'onError',
  'shouldRetry', 'responseType', 'json', 'requestIdHeaders', 'retryBudget', 'headers', 'method', 'body',
  'defaultRetryAfterMs', 'parseError', 'isError', 'originGate', 'gateKey', 'maxConcurrent', 'circuitBreaker',
  'shareAcrossTabs'];

/**
 * Splits `options` into a fresh fetch RequestInit (every key steadfetch does not consume), the
 * values of steadfetch's own options by index, and a bit set of the own options given (not
 * undefined). The caller's object is never mutated.
 */
export function splitOptions(options) {
  const init = {};
  const own = new Array(OWN.length);
  let given = 0;
  if (options !== null && typeof options === 'object') {
    for (const key of Object.keys(options)) {
      const i = OWN.indexOf(key);
      const value = options[key];
      if (i < 0) init[key] = value;
      else if (value !== undefined) {
        own[i] = value;
        given |= 1 << i;
      }
    }
  }
  return [init, own, given];
}

/**
 * Resolves a string or URL against the page's location like fetch does. Returns [href, origin],
 * or a string naming what is wrong: 'type', 'invalid', 'credentials' or the bad protocol.
 */
export function resolveUrl(input) {
  // A URL from another realm fails instanceof, so accept anything URL-shaped.
  if (typeof input === 'object' && input !== null && typeof input.href === 'string') input = input.href;
  if (typeof input !== 'string') return 'type';
  // Apps call the same endpoints again and again; parsing a URL is a tenth of a call's cost.
  const key = ABSOLUTE.test(input) ? input : `${globalThis.location?.href}\n${input}`;
  let resolved = urlCache.get(key);
  if (resolved === undefined) {
    resolved = parseUrl(input);
    if (urlCache.size >= 256) urlCache.clear();
    urlCache.set(key, resolved);
  }
  return resolved;
}

const ABSOLUTE = /^https?:\/\//i;
const urlCache = new Map();

function parseUrl(input) {
  let url;
  try {
    const base = globalThis.location?.href;
    url = base === undefined ? new URL(input) : new URL(input, base);
  } catch {
    return 'invalid';
  }
  if (url.username !== '' || url.password !== '') return 'credentials';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return url.protocol;
  return [url.href, url.origin];
}

/** Error bodies are read up to this many bytes: a 10 MB HTML page is not an error message. */
const ERROR_BODY_CAP = 256 * 1024;

/**
 * fetch, then the body as text unless `keepBody` (responseType 'response'): one promise for the
 * crate to await instead of two. Resolves to [response, text | undefined]. Error bodies (status
 * 400 and up) are read only up to ERROR_BODY_CAP and the rest is cancelled.
 */
export function fetchText(url, init, keepBody) {
  // fetch() is started from a microtask, not from inside wasm: with DevTools attached (as in the
  // benchmark) Chromium records each request's initiator stack, and one full of wasm frames
  // measurably delayed localhost requests (~0.15 ms in bench/bench.mjs).
  return Promise.resolve().then(() => fetch(url, init)).then((response) => {
    if (keepBody && response.status < 400) return [response, undefined];
    // Stream (and cut) only error bodies that may be large: a declared small length reads whole.
    const length = Number(response.headers.get('content-length') ?? Infinity);
    const capped = response.status >= 400 && response.body && !(length <= ERROR_BODY_CAP);
    const text = capped ? readCapped(response.body, ERROR_BODY_CAP) : response.text();
    return text.then((t) => [response, t]);
  });
}

async function readCapped(body, cap) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    text += decoder.decode(value, { stream: true });
    if (size >= cap) {
      reader.cancel().catch(() => {});
      break;
    }
  }
  return text + decoder.decode();
}

/** What a value from JSON.parse is, in one call: 0 null, 1 boolean, 2 number, 3 string, 4 array, 5 object. */
export function jsonType(value) {
  if (value === null) return 0;
  switch (typeof value) {
    case 'boolean': return 1;
    case 'number': return 2;
    case 'string': return 3;
    case 'object': return Array.isArray(value) ? 4 : 5;
    default: return 0;
  }
}

/** All response headers in one string, `name: value` per line (Headers never holds newlines). */
export function headerLines(headers) {
  let out = '';
  for (const [name, value] of headers) out += `${name}: ${value}\n`;
  return out;
}

/**
 * A parked call (maxConcurrent): resolves 0 when `wake` is called, 1 when the signal aborts, 2 after
 * `ms` (the deadline; none when undefined). The timer and the listener go when it settles.
 */
export function park(signal, ms) {
  let done;
  const promise = new Promise((resolve) => { done = resolve; });
  const timer = ms === undefined ? 0 : setTimeout(done, ms, 2);
  const abort = () => done(1);
  signal?.addEventListener('abort', abort);
  promise.then(() => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  });
  return [promise, () => done(0)];
}

// shareAcrossTabs: gate, breaker and budget updates between same-origin pages and workers. Only
// `[type, key, number, number, number]` crosses (a key is scope + origin + gateKey bucket; the
// numbers are until-times and token counts), never request data, and nothing is stored: a tab that
// closes mid-wait leaves only until-times behind, which expire by themselves. The module takes
// what arrived (tabsTake) when a shared call checks its gate.
let channel = null;
const inbox = [];
const known = new Map();

const remember = (m) => m[0] !== 'b' && known.set((m[0] === 'g' ? 'g' : 'o') + m[1], m);

/** Joins the channel once (where BroadcastChannel exists) and asks the others what they know. */
export function tabsJoin() {
  if (channel !== null || typeof BroadcastChannel !== 'function') return;
  channel = new BroadcastChannel('steadfetch');
  channel.onmessage = ({ data: m }) => {
    if (!Array.isArray(m) || m.length !== 5 || typeof m[0] !== 'string' || typeof m[1] !== 'string'
      || !m.slice(2).every((n) => typeof n === 'number')) return;
    const now = Date.now();
    // A tab that just joined: tell it the gates and open circuits still in force.
    if (m[0] === '?') for (const k of known.values()) (k[0] !== 'c' && k[2] > now) && channel.postMessage(k);
    else {
      remember(m);
      inbox.push(...m);
    }
  };
  channel.postMessage(['?', '', 0, 0, 0]);
}

/** Tells the other tabs: `g` gate (until, status), `o`/`c` breaker opened (until)/closed, `b` budget tokens. */
export function tabsPost(type, key, a, b, c) {
  if (channel === null) return;
  const m = [type, key, a, b, c];
  remember(m);
  channel.postMessage(m);
}

/** What other tabs said since the last call, flat: type, key, a, b, c, type, … */
export function tabsTake() {
  return inbox.splice(0);
}
