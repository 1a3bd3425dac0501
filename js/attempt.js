// One attempt of a call and the waits around it, the JavaScript the wasm module awaits
// (src/web/attempt.rs, src/web/engine.rs): fetch under its time limits, the body read and capped,
// the caller's hooks called and awaited, the waits between attempts.
import { finishApiError, isApiError } from './errors.js';
import { HOOK, describe, hookError, typeError, typeName } from './glue.js';

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
