// A call's arguments checked and made ready for the wasm module (src/web/options.rs reads what
// `prepare` returns): one JavaScript call where reading the options from wasm took dozens of
// crossings, and every call reads its options and resolves its URL. Also the TypeErrors the
// crate and js/attempt.js throw. The rest of the JavaScript the module imports: js/attempt.js
// (an attempt, hooks, waits), js/view.js (the JSON view), js/tabs.js (shareAcrossTabs).
import { redactUrl } from './errors.js';

/**
 * Options only this file uses (the crate never reads them): they go into the call context. Every
 * other option is checked here and handed to src/web/options.rs by its place in SETTINGS; what
 * neither knows goes to fetch.
 */
const CALL = ['fetch', 'beforeRequest', 'afterResponse', 'onDownloadProgress', 'searchParams'];
/** The hooks the crate awaits (src/web/options.rs `hooks`, in this order: bit i of `has` is HOOKS[i]). */
const HOOKS = ['onRetry', 'onError', 'shouldRetry', 'parseError', 'isError', 'beforeRetry', 'beforeError'];
const REQUEST = ['method', 'headers', 'json', 'body', 'idempotencyKey', 'idempotencyHeader'];
/** Marks the TypeError of a hook that threw, so an outer hook does not wrap it again. */
export const HOOK = Symbol.for('steadfetch.hook');

/** The TypeError of an option that is wrong: `{name} must be {what}, got {value}`. */
const invalid = (name, what, value) => typeError(`${name} must be ${what}, got ${describe(value)}`);
const fail = (name, what, value) => {
  throw invalid(name, what, value);
};
/** A number from `min` to `max` (NaN never; Infinity counts as whole); undefined and null: not given. */
const num = (min, max, what, whole) => (v, name) => (v == null ? undefined
  : typeof v === 'number' && v >= min && v <= max && (!whole || !(v % 1)) ? v : fail(name, what, v));
const flag = (v, name) => (typeof v === 'boolean' ? v : fail(name, 'true or false', v));
/** One of `list`, crossing as its index. */
const oneOf = (list) => (v, name, i = list.indexOf(v)) => (i < 0 ? fail(name, list.map((c) => `'${c}'`).join(', ').replace(/, (?!.*, )/, ' or '), v) : i);
/** `false`, `true` or `{ fields }`: crosses as a boolean, its fields after it. */
const onOff = (what) => (v, name) => (typeof v === 'boolean' || (typeof v === 'object' && v !== null) ? !!v : fail(name, what, v));
/** The longest wait a timer takes (src/core/headers.rs MAX_DELAY_MS). */
const MAX_MS = 2 ** 31 - 1;
const MS = num(0, MAX_MS, 'a number of milliseconds ≥ 0');
const TOKENS = num(0, 1e9, 'a number of tokens ≥ 0');
const list = (ok, what, map = (x) => x) => (v, name) => (Array.isArray(v) && v.every(ok) ? v.map(map) : fail(name, what, v));

/**
 * What crosses to the crate, each checked by its rule, by index: src/web/options.rs `Opt` names the
 * same settings in the same order (tests/js/boundary.test.mjs). Nested options cross flat
 * (`backoff.baseMs` as `baseMs`); `bucket` is what gateKey(url) answered.
 */
const SETTINGS = {
  maxRetries: num(0, 100, 'an integer from 0 to 100', true),
  baseMs: MS,
  factor: num(1, 100, 'a number from 1 to 100'),
  maxMs: MS,
  jitter: oneOf(['full', 'equal', 'none']),
  retryOn: list((s) => typeof s === 'number' && s >= 100 && s <= 599 && !(s % 1), 'an array of HTTP statuses (100-599)'),
  retryNetworkErrors: flag,
  retryOnTimeout: flag,
  // false (or Infinity) for none, which crosses as null.
  timeoutMs: (v, name) => (v === false || v === Infinity ? null : num(Number.MIN_VALUE, MAX_MS, 'a positive number of milliseconds (or false for none)')(v, name)),
  deadlineMs: num(Number.MIN_VALUE, MAX_MS, 'a positive number of milliseconds'),
  maxRetryAfterMs: num(0, Number.MAX_VALUE, 'a number of milliseconds ≥ 0'),
  defaultRetryAfterMs: MS,
  responseType: oneOf(['auto', 'json', 'text', 'response']),
  // One string of lowercase names separated by spaces (src/core/headers.rs request_id); a name
  // with a space inside names no header.
  requestIdHeaders: (v, name) => list((h) => typeof h === 'string', 'an array of header names')(v, name)
    .map((h) => h.trim().replace(/[A-Z]+/g, (c) => c.toLowerCase())).filter((h) => !/\s/.test(h)).join(' '),
  retryBudget: onOff('false or { capacity, retryCost, timeoutCost }'),
  capacity: TOKENS,
  retryCost: TOKENS,
  timeoutCost: TOKENS,
  originGate: (v, name) => (typeof v === 'boolean' || (typeof v === 'string' && v !== '') ? v : fail(name, 'true, false or a scope name', v)),
  bucket: 0,
  maxConcurrent: num(1, Infinity, 'an integer ≥ 1 (or Infinity)', true),
  circuitBreaker: onOff('true, false or { failureThreshold, windowMs, cooldownMs }'),
  failureThreshold: num(1, 1e6, 'an integer ≥ 1', true),
  windowMs: MS,
  cooldownMs: MS,
  shareAcrossTabs: flag,
  idempotencyKey: 0,
};
const AT = Object.fromEntries(Object.keys(SETTINGS).map((name, i) => [name, i]));
/** The fields of the options given as objects. */
const FIELDS = { backoff: ['baseMs', 'factor', 'maxMs'], retryBudget: ['capacity', 'retryCost', 'timeoutCost'], circuitBreaker: ['failureThreshold', 'windowMs', 'cooldownMs'] };
/** Settings that are not options of their own: fields of FIELDS' options, and what the crate learns otherwise. */
const INNER = [...Object.values(FIELDS).flat(), 'jitter', 'bucket', 'idempotencyKey'];

/**
 * The caller's arguments checked and made ready for the crate (src/web/options.rs `read`):
 * `[href, origin, init, method, signal, call, hooks, has, index, value, index, value, …]`, with the
 * fresh RequestInit (the caller's object is never mutated), the call context for `attempt` (or
 * undefined), the engine's hooks and a bit per hook given, then each setting given by its index in
 * SETTINGS. Or the TypeError saying what to fix when an argument is wrong.
 */
export function prepare(url, options, maxRetries) {
  try {
    return read(url, options ?? {}, maxRetries);
  } catch (e) {
    if (e instanceof TypeError && e.message.startsWith('steadfetch: ')) return e;
    throw e;
  }
}

function read(url, options, maxRetries) {
  let href = resolveUrl(url);
  if (typeof href !== 'string') throw typeError(href[0]);
  if (typeof options !== 'object' || Array.isArray(options)) throw invalid('options', 'an object (a fetch RequestInit plus retry options)', options);
  const keys = Object.keys(options).filter((name) => options[name] !== undefined);
  let call;
  for (const name of keys) if (CALL.includes(name) && options[name] !== null) (call ??= {})[name] = options[name];
  if (call) check(call);
  const out = [href, , {}, 'GET', , , , 0];
  const set = (name, value) => value !== undefined && out.push(AT[name], value);
  const request = {};
  let gateKey;
  for (const name of keys) {
    const value = options[name];
    if (CALL.includes(name) || (value === null && (HOOKS.includes(name) || name === 'gateKey' || name === 'signal'))) continue;
    if (HOOKS.includes(name) || name === 'gateKey') {
      if (typeof value !== 'function') fail(name, 'a function', value);
      if (name === 'gateKey') gateKey = value;
      else {
        (out[6] ??= {})[name] = value;
        out[7] |= 1 << HOOKS.indexOf(name);
      }
    } else if (REQUEST.includes(name)) request[name] = value;
    else if (name === 'signal') out[4] = value instanceof AbortSignal ? value : fail(name, 'an AbortSignal', value);
    else if (name === 'backoff') {
      if (typeof value !== 'object' || value === null) fail(name, 'an object like { baseMs, factor, maxMs, jitter }', value);
      for (const field of FIELDS[name]) set(field, SETTINGS[field](value[field], field));
      set('jitter', SETTINGS.jitter(value.jitter === undefined ? 'full' : value.jitter, 'backoff.jitter'));
    } else if (name in SETTINGS && !INNER.includes(name)) {
      set(name, SETTINGS[name](value, name));
      if (FIELDS[name] && typeof value === 'object') for (const field of FIELDS[name]) set(field, SETTINGS[field](value[field], field));
    } else out[2][name] = value;
  }
  set('maxRetries', SETTINGS.maxRetries(maxRetries, 'maxRetries (third argument)'));
  // A stream body is consumed by the first attempt and cannot be sent again.
  if (withRequest(request, out)) set('maxRetries', 0);
  // A streamed body stays under the caller's signal and deadline after the call resolves.
  if (options.responseType === 'response' && (out[4] || options.deadlineMs != null)) {
    call ??= {};
    call.signal = out[4];
    if (typeof options.deadlineMs === 'number') call.end = performance.now() + options.deadlineMs;
  }
  if (call) {
    href = withSearchParams(href, call);
    call.attempt = 0;
  }
  // An http(s) href without credentials: its origin is all before the path's first '/'.
  const slash = href.indexOf('/', 8);
  out[0] = href;
  out[1] = slash < 0 ? href : href.slice(0, slash);
  out[5] = call;
  // gateKey(url) splits the origin's gate, slots and breaker into buckets: asked only when one is on.
  if (gateKey && (options.originGate !== false || Number.isFinite(options.maxConcurrent) || (options.circuitBreaker ?? false) !== false)) {
    let bucket;
    try {
      bucket = gateKey(href);
    } catch (e) {
      throw hookError('gateKey', e);
    }
    if (typeof bucket === 'string') set('bucket', bucket);
  }
  return out;
}

/** What is wrong with one of the call context's options, thrown; its searchParams made a URLSearchParams. */
function check(call) {
  for (const key of CALL.slice(0, 4)) {
    if (call[key] !== undefined && typeof call[key] !== 'function') throw typeError(`${key} must be a function, got ${typeName(call[key])}`);
  }
  const given = call.searchParams;
  if (given !== undefined) {
    if (!['string', 'object'].includes(typeof given)) throw typeError(`searchParams must be an object, a URLSearchParams or a string, got ${typeName(given)}`);
    try {
      call.searchParams = new URLSearchParams(typeof given === 'string' || given instanceof URLSearchParams || Array.isArray(given)
        ? given : Object.entries(given).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    } catch (e) {
      throw typeError(`searchParams are invalid: ${errorText(e)}`);
    }
  }
}

/**
 * The request's method, headers, body (or json) and idempotency key on the RequestInit `out[2]`,
 * the method in `out[3]`, and the idempotencyKey setting when a key is sent. Whether the body is a
 * one-shot stream.
 */
function withRequest({ method, headers, json, body, idempotencyKey: key, idempotencyHeader: header = 'Idempotency-Key' }, out) {
  const init = out[2];
  if (method === undefined && headers === undefined && json === undefined && body === undefined && key === undefined && header === 'Idempotency-Key') {
    // A plain GET, as most calls are.
    init.method = 'GET';
    init.headers = new Headers();
    return false;
  }
  if (typeof (method ??= 'GET') !== 'string' || !/^[a-z-]+$/i.test(method)) fail('method', "an HTTP method name such as 'GET' or 'POST'", method);
  init.method = out[3] = method = method.toUpperCase();
  if (typeof (headers ??= {}) !== 'object') fail('headers', 'an object, an array of pairs or a Headers', headers);
  try {
    init.headers = headers = new Headers(headers);
  } catch (e) {
    throw typeError(`headers are invalid: ${errorText(e)}`);
  }
  body ??= undefined;
  if (json !== undefined && body !== undefined) throw typeError('pass either json or body, not both');
  if ((json !== undefined || body !== undefined) && (method === 'GET' || method === 'HEAD')) {
    throw typeError(`a ${method} request cannot have a body; set method to 'POST', 'PUT' or 'PATCH'`);
  }
  if (json !== undefined) {
    try {
      init.body = JSON.stringify(json);
    } catch (e) {
      throw typeError(`json could not be serialized (${errorText(e)}); pass plain data without cycles or BigInt`);
    }
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  } else if (body !== undefined) init.body = body;
  if (typeof header !== 'string' || !header.trim()) fail('idempotencyHeader', 'a header name', header);
  key ??= false;
  if (key !== false && key !== true && (typeof key !== 'string' || !key.trim())) fail('idempotencyKey', 'a non-empty string or true', key);
  try {
    if (key !== false) headers.set(header, key === true ? uuid() : key);
    if (headers.has(header)) out.push(AT.idempotencyKey, true);
  } catch (e) {
    if (key !== false) throw typeError(`idempotency key is not a valid header value: ${errorText(e)}`);
  }
  return typeof body?.getReader === 'function';
}

/** The `message` of a thrown value, or its string form. */
const errorText = (e) => (typeof e?.message === 'string' ? e.message : typeof e === 'string' ? e : 'unknown error');

export const typeName = (v) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/** A version-4 UUID for a generated idempotency key; from Math.random where insecure contexts lack crypto.randomUUID. */
function uuid() {
  return globalThis.crypto?.randomUUID?.() ?? 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === 'x' ? r : (r & 3) | 8).toString(16);
  });
}

/** A value as error messages show it: `"3" (a string)` (40 characters at most), `-1`, `NaN`, `an object`. */
export function describe(v) {
  switch (typeof v) {
    case 'string': return `"${[...v].slice(0, 40).join('')}" (a string)`;
    case 'number': return String(v);
    case 'function': return 'a function';
    case 'object': return v === null ? 'null' : Array.isArray(v) ? 'an array' : 'an object';
    default: return typeof v;
  }
}

/** The resolved URL with the call's `searchParams` merged in (a name given replaces the URL's). */
function withSearchParams(href, call) {
  const params = call.searchParams;
  if (params === undefined) return href;
  const url = new URL(href);
  for (const name of params.keys()) url.searchParams.delete(name);
  for (const [name, value] of params) url.searchParams.append(name, value);
  return url.href;
}

/**
 * Resolves a string or URL against the page's location like fetch does. Returns the href, or
 * `[message]` of the TypeError.
 */
function resolveUrl(input) {
  // A URL from another realm fails instanceof, so accept anything URL-shaped.
  if (typeof input === 'object' && input !== null && typeof input.href === 'string') input = input.href;
  if (typeof input !== 'string') return [`url must be a string or a URL, got ${describe(input)}`];
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
    return [`url "${redactUrl([...input].slice(0, 200).join(''))}" is not a valid URL`];
  }
  if (url.username !== '' || url.password !== '') return ['url must not contain credentials (user:password@); send them in a header'];
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return [`url must be http: or https:, got ${url.protocol}`];
  return url.href;
}

/** The crate's TypeErrors (src/web/js.rs type_error). */
export const typeError = (message) => new TypeError(`steadfetch: ${message}`);

/** A TypeError naming the hook, its error as `cause`. */
export function hookError(name, cause) {
  const error = new TypeError(`steadfetch: the ${name} hook threw (${cause?.message ?? cause}); fix the hook, its error is the cause`, { cause });
  error[HOOK] = true;
  return error;
}
