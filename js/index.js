// The package entry. It loads the wasm module lazily on the first call, so users never call an
// init function, and exports the error classes and guards of js/errors.js (pkg/exports.js, written by
// the build): the very module the wasm builds its errors with, so one identity per page.
import { start, step, resetRetryBudget as resetBudget } from '../pkg/steadfetch.js';
import { finishApiError } from '../pkg/errors.js';
import { loadWasm } from './load.js';

export * from '../pkg/exports.js';

let loading = null;
let loaded = false;

/**
 * Loads the wasm module once (see js/load.js): from `input` (URL, Response, bytes or
 * WebAssembly.Module) if given, else as the runtime's entry says. A failed load is retried by the
 * next call; once loaded, later inputs are ignored.
 */
export function ready(input) {
  return (loading ??= loadWasm(input).then(
    (exports) => {
      loaded = true;
      return exports;
    },
    (error) => {
      loading = null;
      throw error;
    },
  ));
}

/**
 * `fetch` for HTTP APIs: resolves with the parsed body, rejects with an `ApiError` subclass.
 * Drop-in for `makeRequestWithRetry(url, options, maxRetries = 3)`.
 */
export function makeRequestWithRetry(url, options, maxRetries) {
  // Once loaded, call straight through: no extra promise hop on the hot path.
  return loaded ? run(url, options, maxRetries) : ready().then(() => run(url, options, maxRetries));
}

/**
 * One call: the module decides everything (src/web/engine.rs); this loop only awaits each promise
 * it asks for (an attempt, a hook, a timer) and hands back what it settled with, until the module
 * returns the value (never a promise) or throws. It rejects with a draft of its error: building
 * the Error here, outside wasm, is cheaper.
 */
async function run(url, options, maxRetries) {
  // An id no running call has (ids are reused): the module keeps its calls in a list by id.
  const id = free.pop() ?? calls++;
  try {
    let next = start(id, url, options, maxRetries);
    while (next instanceof Promise) {
      let ok = true;
      let value;
      try {
        value = await next;
      } catch (e) {
        ok = false;
        value = e;
      }
      next = step(id, ok, value);
    }
    return next;
  } catch (e) {
    throw finishApiError(e);
  } finally {
    free.push(id);
  }
}

const free = [];
let calls = 0;

/** Refills the retry budget of every origin, or of one origin such as 'https://api.example.com'. */
export async function resetRetryBudget(origin) {
  await ready();
  resetBudget(origin);
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head'];
const HOOK = Symbol.for('steadfetch.hook');
let clients = 0;

/**
 * A client with a base URL, credentials and default options:
 * `createClient({ baseUrl, prefixUrl, apiKey, auth: 'bearer' | 'x-api-key' | fn, headers, ...defaults })`.
 * `baseUrl` resolves paths as `new URL(path, baseUrl)`; `prefixUrl` is joined to them as a string.
 * `auth` functions run before every attempt; the client's hooks run before the call's.
 */
export function createClient(config = {}) {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new TypeError('steadfetch: createClient expects an options object like { baseUrl, apiKey }');
  }
  const { baseUrl, prefixUrl, apiKey, auth = 'bearer', headers: baseHeaders, ...defaults } = config;
  for (const [name, value] of [['baseUrl', baseUrl], ['prefixUrl', prefixUrl]]) {
    if (value !== undefined && typeof value !== 'string' && !(value instanceof URL)) {
      throw new TypeError(`steadfetch: ${name} must be a string or URL`);
    }
  }
  // `originGate: 'client'`: a gate scope of this client's own (its waits, slots and circuit are
  // not shared with other clients or plain calls to the same origin).
  if (defaults.originGate === 'client') defaults.originGate = `steadfetch-client-${++clients}`;
  if (auth !== 'bearer' && auth !== 'x-api-key' && typeof auth !== 'function') {
    throw new TypeError("steadfetch: auth must be 'bearer', 'x-api-key' or a function returning headers");
  }
  if (apiKey !== undefined && (typeof apiKey !== 'string' || apiKey === '')) {
    throw new TypeError('steadfetch: apiKey must be a non-empty string');
  }
  for (const name of HOOKS) {
    if (defaults[name] != null && typeof defaults[name] !== 'function') throw new TypeError(`steadfetch: ${name} must be a function`);
  }
  const signer = typeof auth === 'function' ? signWith(auth) : undefined;
  // The header an `apiKey` goes in (unless the call's headers have it), and its value.
  const key = apiKey !== undefined && !signer && (auth === 'bearer' ? ['authorization', `Bearer ${apiKey}`] : [auth, apiKey]);

  async function request(path, options = {}) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('steadfetch: options must be an object');
    }
    const headers = new Headers(baseHeaders ?? {});
    new Headers(options.headers ?? {}).forEach((value, name) => headers.set(name, value));
    if (key && !headers.has(key[0])) headers.set(...key);
    const merged = { ...defaults, ...options, headers };
    if (defaults.backoff || options.backoff) merged.backoff = { ...defaults.backoff, ...options.backoff };
    for (const name of HOOKS) merged[name] = chain(COMPOSE[name], [name === 'beforeRequest' ? signer : null, defaults[name], options[name]]);
    return makeRequestWithRetry(resolvePath(path, prefixUrl, baseUrl), merged);
  }

  const client = { request };
  for (const method of METHODS) {
    client[method] = (path, options = {}) => request(path, { ...options, method: method.toUpperCase() });
  }
  return client;
}

/** `auth` as a beforeRequest hook: its headers are set on every attempt. */
function signWith(auth) {
  return async ({ url, init, attempt }) => {
    try {
      const extra = await auth({ method: init.method, url: String(url), attempt });
      new Headers(extra ?? {}).forEach((value, name) => init.headers.set(name, value));
    } catch (cause) {
      const error = new TypeError(`steadfetch: the auth function threw (${cause?.message ?? cause}); fix it, its error is the cause`, { cause });
      error[HOOK] = true;
      throw error;
    }
  };
}

/** One hook from the client's and the call's (client's first), or the only one given. */
function chain(compose, hooks) {
  const given = hooks.filter((hook) => hook != null);
  return given.length > 1 ? compose(given) : given[0];
}

// The hooks a client composes (its own first, then the call's), and how: beforeRequest's changes
// add up, afterResponse's Response replaces the one the next sees, beforeRetry's false stops,
// beforeError's ApiError replaces the error.
const COMPOSE = {
  beforeRequest: (hooks) => async (request) => {
    let changed;
    for (const hook of hooks) {
      const result = await hook(request);
      if (result !== null && typeof result === 'object') {
        request = { ...request, ...result };
        changed = { url: request.url, init: request.init };
      }
    }
    return changed;
  },
  afterResponse: (hooks) => async ({ response, attempt }) => {
    let replaced;
    for (const hook of hooks) replaced = (await hook({ response: replaced ?? response, attempt })) ?? replaced;
    return replaced;
  },
  beforeRetry: (hooks) => async (info) => {
    for (const hook of hooks) if ((await hook(info)) === false) return false;
  },
  beforeError: (hooks) => async (error) => {
    for (const hook of hooks) error = (await hook(error)) ?? error;
    return error;
  },
};
const HOOKS = Object.keys(COMPOSE);

/**
 * A client's path as a URL: `prefixUrl` joined as a string (`https://api.example.com/v1` + `/tickets`
 * → `…/v1/tickets`), then resolved against `baseUrl` like `new URL(path, baseUrl)`. Absolute URLs
 * are left alone by both.
 */
function resolvePath(path, prefixUrl, baseUrl) {
  if (typeof path !== 'string') return path; // a URL as is; the engine reports other types
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(path);
  let url = path;
  if (prefixUrl !== undefined && !absolute) url = `${String(prefixUrl).replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  if (baseUrl === undefined || absolute) return url;
  try {
    return new URL(url, new URL(baseUrl, globalThis.location?.href)).href;
  } catch {
    return url; // the engine says what is wrong with it
  }
}
