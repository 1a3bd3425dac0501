// Hand-written helpers the wasm module imports where one JavaScript call replaces dozens of
// wasm↔JS crossings on the hot path (every call reads its options and resolves its URL).

/** Option names steadfetch consumes, in the order the crate reads them (src/web/options.rs). */
const OWN = ['maxRetries', 'backoff', 'retryOn', 'retryNetworkErrors', 'retryOnTimeout', 'timeoutMs',
  'deadlineMs', 'maxRetryAfterMs', 'idempotencyKey', 'idempotencyHeader', 'signal', 'onRetry', 'onError',
  'shouldRetry', 'responseType', 'json', 'requestIdHeaders', 'retryBudget', 'headers', 'method', 'body',
  'defaultRetryAfterMs'];

/**
 * Splits `options` into a fresh fetch RequestInit (every key steadfetch does not consume) and the
 * values of steadfetch's own options by index. The caller's object is never mutated.
 */
export function splitOptions(options) {
  const init = {};
  const own = new Array(OWN.length);
  if (options !== null && typeof options === 'object') {
    for (const key of Object.keys(options)) {
      const i = OWN.indexOf(key);
      if (i < 0) init[key] = options[key];
      else own[i] = options[key];
    }
  }
  return [init, own];
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

/**
 * fetch, then the body as text unless `keepBody` (responseType 'response'): one promise for the
 * crate to await instead of two. Resolves to [response, text | undefined].
 */
export function fetchText(url, init, keepBody) {
  return fetch(url, init).then((response) => (keepBody ? [response, undefined] : response.text().then((text) => [response, text])));
}

/** All response headers in one string, `name: value` per line (Headers never holds newlines). */
export function headerLines(headers) {
  let out = '';
  for (const [name, value] of headers) out += `${name}: ${value}\n`;
  return out;
}
