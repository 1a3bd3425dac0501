import { finishApiError, isApiError, redactUrl } from './errors.js';

// Hand-written helpers the wasm module imports where one JavaScript call replaces dozens of
// wasm↔JS crossings on the hot path (every call reads its options and resolves its URL).

/**
 * Options only this file uses (the crate never reads them): they go into the call context. Every
 * other option is read by name by src/web/options.rs, and what it does not know goes to fetch.
 */
const CALL = ['fetch', 'beforeRequest', 'afterResponse', 'onDownloadProgress', 'searchParams'];
const HOOK = Symbol.for('steadfetch.hook');

/**
 * The caller's options for the crate, flat: `[call, key, value, key, value, …]` with every option
 * given (not undefined) except those of CALL, which go into the call context for `attempt`
 * (undefined when not needed, or a string saying which option is wrong). The caller's object is
 * never mutated.
 */
export function optionEntries(options) {
  const out = [undefined];
  let call;
  for (const key of Object.keys(options)) {
    const value = options[key];
    if (value === undefined) continue;
    if (!CALL.includes(key)) out.push(key, value);
    else if (value !== null) (call ??= {})[key] = value;
  }
  // A streamed body stays under the caller's signal and deadline after the call resolves.
  const { signal, deadlineMs } = options;
  if (options.responseType === 'response' && (signal != null || deadlineMs != null)) {
    call ??= {};
    call.signal = signal;
    if (typeof deadlineMs === 'number') call.end = performance.now() + deadlineMs;
  }
  out[0] = call && checkCall(call);
  return out;
}

/** The call context with `attempt` counting fetches, or what is wrong with one of its options. */
function checkCall(call) {
  for (const key of CALL.slice(0, 4)) {
    if (call[key] !== undefined && typeof call[key] !== 'function') return `${key} must be a function, got ${typeName(call[key])}`;
  }
  if (call.searchParams !== undefined) {
    const given = call.searchParams;
    if (!['string', 'object'].includes(typeof given)) return `searchParams must be an object, a URLSearchParams or a string, got ${typeName(given)}`;
    try {
      call.searchParams = new URLSearchParams(typeof given === 'string' || given instanceof URLSearchParams || Array.isArray(given)
        ? given : Object.entries(given).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    } catch (e) {
      return `searchParams are invalid: ${e?.message ?? e}`;
    }
  }
  call.attempt = 0;
  return call;
}

const typeName = (v) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/** A version-4 UUID for a generated idempotency key; from Math.random where insecure contexts lack crypto.randomUUID. */
export function uuid() {
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
export function withSearchParams(href, call) {
  const params = call.searchParams;
  if (params === undefined) return href;
  const url = new URL(href);
  for (const name of params.keys()) url.searchParams.delete(name);
  for (const [name, value] of params) url.searchParams.append(name, value);
  return url.href;
}

/**
 * Resolves a string or URL against the page's location like fetch does. Returns the href (the
 * crate takes the origin from it), or `[message]` of the TypeError.
 */
export function resolveUrl(input) {
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

/** The RequestInit of a GET with no headers, body or idempotency key given: one call, not four. */
export function getInit(init = {}) {
  init.method = 'GET';
  init.headers = new Headers();
  return init;
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
 * The crate's hooks (shouldRetry, beforeRetry, onRetry, isError, parseError): `fn(a, b)` called
 * now and awaited; a throw or rejection rejects with the TypeError naming the hook.
 */
export async function hook(name, fn, a, b) {
  try {
    return await fn(a, b);
  } catch (e) {
    throw e?.[HOOK] ? e : hookError(name, e);
  }
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
export async function finalError(rejection, beforeError, onError) {
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
