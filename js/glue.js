import { finishApiError, isApiError, redactUrl } from './errors.js';

// Hand-written helpers the wasm module imports where one JavaScript call replaces dozens of
// wasm↔JS crossings on the hot path (every call reads its options and resolves its URL).

/**
 * Options only this file uses (the crate never reads them): they go into the call context. Every
 * other option is checked here and handed to src/web/options.rs by its place in SETTINGS; what
 * neither knows goes to fetch.
 */
const CALL = ['fetch', 'beforeRequest', 'afterResponse', 'onDownloadProgress', 'searchParams'];
/** The hooks the crate awaits (src/web/options.rs `hooks`, in this order: bit i of `has` is HOOKS[i]). */
const HOOKS = ['onRetry', 'onError', 'shouldRetry', 'parseError', 'isError', 'beforeRetry', 'beforeError'];
const REQUEST = ['method', 'headers', 'json', 'body', 'idempotencyKey', 'idempotencyHeader'];
const HOOK = Symbol.for('steadfetch.hook');

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

const typeName = (v) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

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

/** Error bodies are read up to this many bytes: a 10 MB HTML page is not an error message. */
const ERROR_BODY_CAP = 256 * 1024;

/**
 * One attempt, as one promise for the crate to await: fetch under a fresh AbortController that
 * `ms` (the attempt timeout, or the deadline when `deadline`) and the caller's `signal` cut, then
 * the body as text unless `keepBody` (responseType 'response'). Error bodies (status 400 and up)
 * are read only up to ERROR_BODY_CAP and the rest is cancelled. Resolves to [response, text |
 * undefined], or to a TypeError when a hook (beforeRequest, afterResponse, fetch) failed; rejects
 * with [cut, thrown], cut saying which limit aborted it: 0 none, 1 timeoutMs, 2 deadlineMs, 3 the
 * caller's signal. Its limit and listener are gone when it settles.
 */
export async function attempt(url, init, keepBody, call, ms, deadline, signal) {
  const controller = new AbortController();
  let cut = 0;
  const onAbort = () => {
    cut = 3;
    controller.abort(signal.reason);
  };
  signal?.addEventListener('abort', onAbort);
  const limit = ms === undefined ? undefined : limitAfter(ms, () => {
    cut = deadline ? 2 : 1;
    controller.abort();
  });
  init.signal = controller.signal;
  try {
    // fetch() is started from a microtask, not from inside wasm: with DevTools attached (as in the
    // benchmark) Chromium records each request's initiator stack, and one full of wasm frames
    // measurably delayed localhost requests (~0.15 ms in bench/bench.mjs).
    await undefined;
    if (call) return await fetchWith(url, init, keepBody, call).catch(hookFailure);
    const response = await fetch(url, init);
    return [response, keepBody && response.status < 400 ? undefined : await bodyText(response)];
  } catch (thrown) {
    throw [cut, thrown];
  } finally {
    if (limits.delete(limit) && limits.size === 0) hold(false);
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * The attempts' time limits: one page-wide timer for the earliest end, not a timer per attempt
 * (setting and clearing one was a tenth of a call's cost). An attempt that settles leaves the
 * set; the timer then finds nothing due and is set again only for attempts still running, so once
 * all have settled it fires once more at most and holds nothing. It keeps a process (Node, Deno,
 * Bun) alive only while an attempt runs, as a timer per attempt did.
 */
const limits = new Set();
let wakeAt = Infinity;
let wakeTimer;

function limitAfter(ms, fire) {
  const limit = { end: performance.now() + ms, fire };
  if (limits.size === 0) hold(true);
  limits.add(limit);
  if (limit.end < wakeAt) wakeAfter(limit.end, ms);
  return limit;
}

function wakeAfter(end, ms) {
  clearTimeout(wakeTimer);
  wakeAt = end;
  wakeTimer = setTimeout(checkLimits, ms);
}

/** Whether the timer keeps the process alive (where timers can say so: Node, Bun, Deno). */
function hold(on) {
  if (typeof wakeTimer === 'object') on ? wakeTimer.ref?.() : wakeTimer.unref?.();
  else if (deno !== undefined && wakeTimer !== undefined) on ? deno.refTimer?.(wakeTimer) : deno.unrefTimer?.(wakeTimer);
}

const deno = globalThis.Deno;

/** Fires the limits that are due (never early: a timer that fires a little early is set again). */
function checkLimits() {
  wakeAt = Infinity;
  const now = performance.now();
  let next = Infinity;
  for (const limit of limits) {
    if (limit.end <= now) {
      limits.delete(limit);
      if (limits.size === 0) hold(false);
      limit.fire();
    } else next = Math.min(next, limit.end);
  }
  if (next < Infinity) wakeAfter(next, Math.max(1, Math.ceil(next - now)));
}

/** The body as text; error bodies that may be large are streamed and cut at ERROR_BODY_CAP. */
function bodyText(response) {
  if (response.status < 400 || !response.body) return response.text();
  // A declared small length reads whole.
  const length = Number(response.headers.get('content-length') ?? Infinity);
  return length <= ERROR_BODY_CAP ? response.text() : readCapped(response.body, ERROR_BODY_CAP);
}

/** A hook threw (or returned what it may not): `attempt` resolves with this TypeError. */
class HookFailure {
  constructor(error) {
    this.error = error;
  }
}

function hookFailure(e) {
  if (e instanceof HookFailure) return e.error;
  throw e;
}

/** The crate's TypeErrors (src/web/js.rs type_error). */
export const typeError = (message) => new TypeError(`steadfetch: ${message}`);

/** A TypeError naming the hook, its error as `cause`. */
function hookError(name, cause) {
  const error = new TypeError(`steadfetch: the ${name} hook threw (${cause?.message ?? cause}); fix the hook, its error is the cause`, { cause });
  error[HOOK] = true;
  return error;
}

/** Calls a hook and awaits it; a throw or rejection becomes a HookFailure. */
async function callHook(name, hook, arg) {
  try {
    return await hook(arg);
  } catch (e) {
    throw new HookFailure(e?.[HOOK] ? e : hookError(name, e));
  }
}

/**
 * The crate's hooks (shouldRetry, beforeRetry, onRetry, isError, parseError): `hooks[name](a, b)`
 * called now and awaited; a throw or rejection rejects with the TypeError naming the hook.
 */
export async function hook(hooks, name, a, b) {
  let result;
  try {
    result = await hooks[name](a, b);
  } catch (e) {
    throw e?.[HOOK] ? e : hookError(name, e);
  }
  return name === 'parseError' ? partial(result) : result;
}

/**
 * What parseError returned, checked for src/web/custom.rs: nothing (undefined or null), or
 * `[kind, code, message, requestId, retryable, retryAfterMs, fieldErrors]`, each undefined when not
 * given and fieldErrors flat (`field, message, code, field, …`). A field of the wrong type throws
 * the TypeError naming the hook and the field.
 */
function partial(given) {
  const wrong = (what) => typeError(`the parseError hook returned ${what}`);
  if (given == null) return undefined;
  if (typeof given !== 'object' || Array.isArray(given)) throw wrong(`${describe(given)}; return an object such as { code, message } or nothing`);
  const check = (key, ok, what) => {
    const value = given[key];
    if (value === undefined || ok(value)) return value;
    throw wrong(`${key}: ${describe(value)}; it must be ${what}`);
  };
  const text = (key) => check(key, (v) => typeof v === 'string' && v.trim() !== '', 'a non-empty string');
  const fields = [];
  const item = (e) => typeof e?.field === 'string' && typeof e.message === 'string' && fields.push(e.field, e.message, typeof e.code === 'string' ? e.code : undefined);
  // The kind's name is checked against the crate's kinds there (ErrorKind::parse).
  const out = [check('kind', (v) => typeof v === 'string', "one of the error kinds such as 'rate_limited'"), text('code'), text('message'), text('requestId'),
    check('retryable', (v) => typeof v === 'boolean', 'true or false'), check('retryAfterMs', (v) => typeof v === 'number' && v >= 0, 'a number of milliseconds ≥ 0')];
  const list = given.fieldErrors;
  if (list !== undefined) {
    const at = Array.isArray(list) ? list.findIndex((e) => !item(e)) : -2;
    if (at !== -1) throw wrong(`fieldErrors: ${describe(at < 0 ? list : list[at])}; it must be an array of { field, message, code? }`);
    out.push(fields);
  }
  return out;
}

function badReturn(name, what) {
  return new HookFailure(new TypeError(`steadfetch: the ${name} hook returned ${what}`));
}

/**
 * The attempt with the call's options: beforeRequest (on a copy of the init: its changes are for
 * this attempt), the custom fetch, afterResponse, onDownloadProgress, and a streamed body governed
 * by the caller's signal and deadline.
 */
async function fetchWith(url, init, keepBody, call) {
  const attempt = ++call.attempt;
  if (call.beforeRequest) {
    const request = { url, init: { ...init, headers: new Headers(init.headers) }, attempt };
    const changed = await callHook('beforeRequest', call.beforeRequest, request);
    if (changed != null && typeof changed !== 'object') throw badReturn('beforeRequest', `${typeName(changed)}; return { url, init }, or nothing`);
    url = changed?.url ?? request.url;
    // The attempt's signal always stays: it carries timeoutMs, deadlineMs and the caller's signal.
    init = { ...request.init, ...changed?.init, signal: init.signal };
  }
  let response = await (call.fetch ?? fetch)(url, init);
  if (typeof response?.status !== 'number') throw badReturn('fetch', `${typeName(response)}; it must resolve to a Response`);
  if (call.afterResponse) {
    const replaced = await callHook('afterResponse', call.afterResponse, { response, attempt });
    if (replaced !== undefined && typeof replaced?.status !== 'number') throw badReturn('afterResponse', `${typeName(replaced)}; return a Response, or nothing`);
    response = replaced ?? response;
  }
  if (response.status >= 400) return [response, await bodyText(response)];
  if (keepBody) return [govern(response, call), undefined];
  return [response, await (call.onDownloadProgress ? readWithProgress(response, call.onDownloadProgress) : response.text())];
}

/**
 * The call's last rejection: the ApiError built from the module's draft, through `beforeError`
 * (which may return the ApiError to throw instead) and then `onError`, which sees the very error
 * that is thrown. A TypeError (bad arguments, a hook that threw) passes untouched. Resolves with
 * what the call rejects with.
 */
export async function finalError(rejection, { beforeError, onError }) {
  let error = finishApiError(rejection);
  if (!isApiError(error)) return error;
  try {
    if (beforeError) {
      const chosen = await callHook('beforeError', beforeError, error);
      if (chosen !== undefined && !isApiError(chosen)) throw badReturn('beforeError', `${typeName(chosen)}; return an ApiError, or nothing`);
      error = chosen ?? error;
    }
    if (onError) await callHook('onError', onError, error);
  } catch (e) {
    return hookFailure(e);
  }
  return error;
}

/** Reads the body as text, reporting `{ loaded, total, percent }` (the last with percent 100). */
async function readWithProgress(response, report) {
  const length = response.headers.get('content-length');
  const total = length === null || !(Number(length) >= 0) ? null : Number(length);
  let loaded = 0;
  const send = (done) => callHook('onDownloadProgress', report, {
    loaded, total: done ? (total ?? loaded) : total,
    percent: done ? 100 : total ? Math.min(100, (100 * loaded) / total) : null,
  });
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    await send(false);
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded += value.byteLength;
      text += decoder.decode(value, { stream: true });
      await send(false);
    }
    await send(true);
  } catch (e) {
    reader?.cancel().catch(() => {});
    throw e;
  }
  return text + decoder.decode();
}

/**
 * The Response with its body under the caller's signal and the call's deadline: aborting cancels
 * the stream and rejects a pending read with the signal's reason (as native fetch does); the
 * deadline rejects it with a TimeoutError DOMException.
 */
function govern(response, { signal, end }) {
  if (!response.body || (signal == null && end === undefined)) return response;
  const reader = response.body.getReader();
  let timer;
  let onAbort;
  const stop = () => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  };
  const body = new ReadableStream({
    start(controller) {
      const cut = (reason) => {
        stop();
        try {
          controller.error(reason);
        } catch {}
        reader.cancel(reason).catch(() => {});
      };
      onAbort = () => cut(signal.reason);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort);
      if (end !== undefined) {
        timer = setTimeout(() => cut(new DOMException('deadlineMs ran out while the body was streaming', 'TimeoutError')), Math.max(0, end - performance.now()));
        timer?.unref?.();
      }
    },
    pull(controller) {
      return reader.read().then(({ done, value }) => {
        try {
          if (done) {
            stop();
            controller.close();
          } else controller.enqueue(value);
        } catch {}
      }, (e) => {
        stop();
        try {
          controller.error(e);
        } catch {}
      });
    },
    cancel(reason) {
      stop();
      return reader.cancel(reason);
    },
  });
  const governed = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  for (const key of ['url', 'redirected', 'type']) Object.defineProperty(governed, key, { value: response[key] });
  return governed;
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

/** All response headers in one string, `name: value` per line (Headers never holds newlines). */
export function headerLines(headers) {
  let out = '';
  for (const [name, value] of headers) out += `${name}: ${value}\n`;
  return out;
}

/**
 * A wait: resolves 0 when `wake` is called (a parked maxConcurrent call), 1 when the signal aborts
 * (at once if it already has), 2 once `ms` have passed (never early: a timer that fires a little
 * early is set again; no timer when undefined). The timer and the listener go when it settles.
 */
export function park(signal, ms) {
  let done;
  let timer;
  const promise = new Promise((resolve) => { done = resolve; });
  if (ms !== undefined) {
    const end = performance.now() + ms;
    const arm = (left) => {
      timer = setTimeout(() => {
        const rest = end - performance.now();
        if (rest > 0) arm(Math.max(1, Math.ceil(rest)));
        else done(2);
      }, left);
    };
    arm(ms);
  }
  const abort = () => done(1);
  if (signal?.aborted) done(1);
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

// JSON view (src/web/response.rs JsDoc): the normalizer reads a JSON.parse value in place. An
// array or object crosses as one string the first time a rule looks into it: per entry the key
// (`length:key`), the value's type code and a string value (`length:text`, capped first); nested
// values and numbers cross only when read. Caps: src/core/view.rs MAX_ENTRIES, and 16 Ki units.
const VIEW_ENTRIES = 256;
const VIEW_STRING = 16384;
const viewKeys = (v) => Object.keys(v).slice(0, VIEW_ENTRIES);
const viewEntry = (v) => (v === null ? 'n' : v === true ? 't' : v === false ? 'f' : typeof v === 'number' ? 'd'
  : typeof v === 'string' ? `s${Math.min(v.length, VIEW_STRING)}:${v.slice(0, VIEW_STRING)}`
    : Array.isArray(v) ? 'a' : typeof v === 'object' ? 'o' : 'n');

/** An array's or object's first entries as one string (see above). */
export function viewList(v) {
  let out = '';
  if (Array.isArray(v)) for (let i = 0; i < v.length && i < VIEW_ENTRIES; i++) out += viewEntry(v[i]);
  else for (const k of viewKeys(v)) out += `${k.length}:${k}${viewEntry(v[k])}`;
  return out;
}

/** The listing of `[v]` (the root's entry), without building the array. */
export const viewRoot = viewEntry;

/** The values `viewList` listed, by index. */
export const viewValues = (v) => (Array.isArray(v) ? v : viewKeys(v).map((k) => v[k]));

/** A number value. */
export const viewNumber = (values, i) => values[i];
