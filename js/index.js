// The package entry. It loads the wasm module lazily on the first call, so users never call an
// init function, and re-exports the error classes from the generated glue (one identity per page).
import { makeRequestWithRetry as runInWasm, resetRetryBudget as resetBudget, finishApiError } from '../pkg/steadfetch.js';
import { loadWasm } from './load.js';

export {
  ApiError, BadRequestError, AuthenticationError, PaymentRequiredError, PermissionDeniedError,
  NotFoundError, ConflictError, ValidationError, RateLimitError, ServerError, ServiceUnavailableError,
  RequestTimeoutError, TimeoutError, NetworkError, AbortError, ResponseParseError, SetupError,
  isApiError, isBadRequestError, isAuthenticationError, isPaymentRequiredError, isPermissionDeniedError,
  isNotFoundError, isConflictError, isValidationError, isRateLimitError, isServerError,
  isServiceUnavailableError, isRequestTimeoutError, isTimeoutError, isNetworkError, isAbortError,
  isResponseParseError, isSetupError,
} from '../pkg/steadfetch.js';

let loading = null;
let loaded = false;

/**
 * Loads the wasm module once (see js/load.js): from `input` (URL, Response, bytes or
 * WebAssembly.Module) if given, else as the runtime's entry says. A failed load is retried by the
 * next call; once loaded, later inputs are ignored.
 */
export function ready(input) {
  loading ??= loadWasm(input).then(
    (exports) => {
      loaded = true;
      return exports;
    },
    (error) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

/**
 * `fetch` for HTTP APIs: resolves with the parsed body, rejects with an `ApiError` subclass.
 * Drop-in for `makeRequestWithRetry(url, options, maxRetries = 3)`.
 */
export function makeRequestWithRetry(url, options, maxRetries) {
  // Once loaded, call straight through: no extra promise hop on the hot path.
  return loaded ? run(url, options, maxRetries) : ready().then(() => run(url, options, maxRetries));
}

/** The module rejects with a draft of its error; building the Error here, outside wasm, is cheaper. */
function run(url, options, maxRetries) {
  return runInWasm(url, options, maxRetries).catch(throwFinished);
}

function throwFinished(value) {
  throw finishApiError(value);
}

/** Refills the retry budget of every origin, or of one origin such as 'https://api.example.com'. */
export async function resetRetryBudget(origin) {
  await ready();
  resetBudget(origin);
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
let clients = 0;

/**
 * A client with a base URL, credentials and default options:
 * `createClient({ baseUrl, apiKey, auth: 'bearer' | 'x-api-key' | fn, headers, ...defaults })`.
 */
export function createClient(config = {}) {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new TypeError('steadfetch: createClient expects an options object like { baseUrl, apiKey }');
  }
  const { baseUrl, apiKey, auth = 'bearer', headers: baseHeaders, ...defaults } = config;
  // `originGate: 'client'`: a gate scope of this client's own (its waits, slots and circuit are
  // not shared with other clients or plain calls to the same origin).
  if (defaults.originGate === 'client') defaults.originGate = `steadfetch-client-${++clients}`;
  if (baseUrl !== undefined && typeof baseUrl !== 'string' && !(baseUrl instanceof URL)) {
    throw new TypeError('steadfetch: baseUrl must be a string or URL');
  }
  if (auth !== 'bearer' && auth !== 'x-api-key' && typeof auth !== 'function') {
    throw new TypeError("steadfetch: auth must be 'bearer', 'x-api-key' or a function returning headers");
  }
  if (apiKey !== undefined && (typeof apiKey !== 'string' || apiKey === '')) {
    throw new TypeError('steadfetch: apiKey must be a non-empty string');
  }

  async function request(path, options = {}) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('steadfetch: options must be an object');
    }
    const url = joinUrl(baseUrl, path);
    const headers = new Headers(baseHeaders ?? {});
    new Headers(options.headers ?? {}).forEach((value, name) => headers.set(name, value));
    if (apiKey !== undefined && auth === 'bearer' && !headers.has('authorization')) {
      headers.set('authorization', `Bearer ${apiKey}`);
    }
    if (apiKey !== undefined && auth === 'x-api-key' && !headers.has('x-api-key')) {
      headers.set('x-api-key', apiKey);
    }
    if (typeof auth === 'function') {
      const extra = await auth({ method: (options.method ?? defaults.method ?? 'GET').toUpperCase(), url: String(url) });
      new Headers(extra ?? {}).forEach((value, name) => headers.set(name, value));
    }
    const merged = { ...defaults, ...options, headers };
    if (defaults.backoff || options.backoff) merged.backoff = { ...defaults.backoff, ...options.backoff };
    return makeRequestWithRetry(url, merged);
  }

  const client = { request };
  for (const method of METHODS) {
    client[method] = (path, options = {}) => request(path, { ...options, method: method.toUpperCase() });
  }
  return client;
}

/** `https://api.example.com/v1` + `/tickets` → `https://api.example.com/v1/tickets`. */
function joinUrl(baseUrl, path) {
  if (path instanceof URL || baseUrl === undefined) return path;
  if (typeof path !== 'string') return path; // the engine reports the type error
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return path;
  return `${String(baseUrl).replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
