// The error classes of steadfetch and their guards: the package root exports every class and
// `is…` guard of this file (scripts/kinds.mjs lists them for js/index.js and declares them in
// js/index.d.ts), and the wasm module builds its errors with apiError below. The build puts
// this file at pkg/errors.js, imported by both, so a page has exactly one identity per class.

const BRAND = Symbol.for('steadfetch.ApiError');
/** The names of credential parameters: api_key, apikey, api-key, key, token, access_token, refresh_token, id_token, auth, password, secret, client_secret, signature, sig. */
const SECRET_PARAM = /^(api[-_]?key|key|((access|refresh|id)_)?token|auth|password|(client_)?secret|sig(nature)?)$/;

/**
 * A URL string without the `user:password@` of its authority and with the values of credential
 * parameters (query or fragment, names compared case-insensitively, `%5F` read as `_`) replaced by
 * `REDACTED`; everything else is kept byte for byte. The one redaction of the package: the wasm
 * module calls it for every error's `url` and hook payload, toJSON again for errors built by hand.
 */
export function redactUrl(url) {
  if (typeof url !== 'string') return url ?? null;
  return url.replace(/^([^:/?#]*:\/\/)[^/?#]*@/, '$1').replace(/([?&#])([^=&#]*)=[^&#]*/g, (pair, mark, name) =>
    SECRET_PARAM.test(name.replace(/%5f/gi, '_').toLowerCase()) ? `${mark}${name}=REDACTED` : pair);
}

/** Response headers that may carry credentials: toJSON shows them as REDACTED. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key)$|token|secret|session|signature|password|credential/i;

/** Headers as a plain object for logs, credentials redacted; null without headers. */
function redactHeaders(headers) {
  if (typeof headers?.forEach !== 'function') return null;
  const out = {};
  headers.forEach((value, name) => {
    out[name] = SECRET_HEADER.test(name) ? 'REDACTED' : value;
  });
  return out;
}

/**
 * The base class of every error steadfetch throws. `new RateLimitError(message, fields?, options?)`
 * builds one as steadfetch would (test doubles): `kind` defaults to the class's, `hint` to the
 * kind's, `retryable` to whether that kind is retried, `cause` comes from `options.cause` or `fields.cause`.
 */
export class ApiError extends Error {
  constructor(message, fields = {}, options = undefined) {
    fields ??= {};
    super(message, options ?? ('cause' in fields ? { cause: fields.cause } : undefined));
    // Named stores, one per field (not a loop over a list of names): an error is built on every
    // failing call, and keyed stores in a loop made it half again as slow.
    const kind = fields.kind ?? Object.keys(CLASS_BY_KIND).find((k) => CLASS_BY_KIND[k] === new.target) ?? 'unknown';
    this.kind = kind;
    this.status = fields.status ?? null;
    this.code = fields.code ?? kind;
    this.details = fields.details ?? null;
    this.fieldErrors = fields.fieldErrors ?? [];
    this.requestId = fields.requestId ?? null;
    this.retryAfterMs = fields.retryAfterMs ?? null;
    this.rateLimit = fields.rateLimit ?? null;
    this.retryable = fields.retryable ?? RETRYABLE_KINDS.includes(kind);
    this.attempts = fields.attempts ?? 0;
    this.history = fields.history ?? [];
    this.method = fields.method ?? null;
    // steadfetch passes URLs already redacted; toJSON redacts again for errors built by hand.
    this.url = fields.url ?? null;
    this.hint = fields.hint ?? HINT_BY_KIND[kind] ?? '';
    this.bodyText = fields.bodyText ?? null;
    // `scope` only when given, `circuitOpen` only on the errors of an open circuit breaker (no
    // request sent).
    if (fields.scope != null) this.scope = fields.scope;
    if (fields.circuitOpen === true) this.circuitOpen = true;
    /** The Response (body already read), its headers, and the whole parsed body (JSON or text). */
    this.response = fields.response ?? null;
    this.headers = fields.headers ?? this.response?.headers ?? null;
    this.data = fields.data ?? null;
  }

  /** Everything for a log line; credentials are never included. */
  toJSON() {
    const json = { name: this.name };
    for (const key of JSON_FIELDS) json[key] = this[key];
    // steadfetch passes URLs already redacted; this redacts again for errors built by hand.
    json.url = redactUrl(this.url);
    if (this.scope !== undefined) json.scope = this.scope;
    if (this.circuitOpen) json.circuitOpen = true;
    json.headers = redactHeaders(this.headers);
    return json;
  }
}

/** toJSON's fields in order, after `name` (`url` is redacted; `scope`, `circuitOpen` and `headers` follow). */
const JSON_FIELDS = 'kind status code message details fieldErrors requestId retryAfterMs rateLimit retryable attempts history method url hint bodyText'.split(' ');

// The kinds: one class per kind of src/core/kind.rs (`as_str`), and 'setup', JavaScript's own (a
// wasm that cannot load never reaches the crate). Adding a kind here is one line, its class and its
// guard: the package exports both and scripts/kinds.mjs declares them in js/index.d.ts (the JSDoc
// is the declaration's; `@property` adds a field, a subclass's kinds join its base's `kind`).
const CLASS_BY_KIND = { __proto__: null, unknown: ApiError };
/** What the user should do, per kind (after the seeds' "Solution" lines): every error's `hint`. */
const HINT_BY_KIND = { __proto__: null, unknown: 'Unexpected response: check status and bodyText.' };

/** Sets the `name` of a class or prototype: minifiers rename classes. */
const named = (target, value) => Object.defineProperty(target, 'name', { value, writable: true, configurable: true });

/**
 * `[Class, guard]`: the subclass of `Base` for `kind`, named `name`, and its `is…` guard. Guards
 * check the brand and the kind's class, so they also work on errors from another realm (an
 * iframe, a worker's copy) where `instanceof` fails; a subclass's kinds pass its base's guard.
 */
function errorClass(name, kind, hint, Base = ApiError) {
  const Class = class extends Base {};
  named(Class, name);
  named(Class.prototype, name);
  CLASS_BY_KIND[kind] = Class;
  HINT_BY_KIND[kind] = hint;
  return [Class, (e) => isApiError(e) && (CLASS_BY_KIND[e.kind] === Class || CLASS_BY_KIND[e.kind]?.prototype instanceof Class)];
}

/** 400. */
export const [BadRequestError, isBadRequestError] = errorClass('BadRequestError', 'bad_request', "Check that the request body and parameters match the API's schema.");
/** 401: the credentials are missing, wrong, expired or revoked. */
export const [AuthenticationError, isAuthenticationError] = errorClass('AuthenticationError', 'authentication', "Verify the API key or token: correct, not expired or revoked, and sent in the header the API expects.");
/** 402: never retried, the billing state must change. */
export const [PaymentRequiredError, isPaymentRequiredError] = errorClass('PaymentRequiredError', 'payment_required', "Retrying will not help: the account's billing state must change (upgrade the plan or update the payment method).");
/** 403. */
export const [PermissionDeniedError, isPermissionDeniedError] = errorClass('PermissionDeniedError', 'permission_denied', "The credentials are valid but lack permission: use a key with the required scope or role, or check IP allowlists.");
/** 404, 410. */
export const [NotFoundError, isNotFoundError] = errorClass('NotFoundError', 'not_found', "Verify the resource ID and the endpoint path; the resource may have been deleted.");
/** 409. */
export const [ConflictError, isConflictError] = errorClass('ConflictError', 'conflict', "The request conflicts with the resource's current state or an earlier idempotency key: fetch the latest state before trying again.");
/** 422, and any error carrying field errors with no better class. */
export const [ValidationError, isValidationError] = errorClass('ValidationError', 'validation', "Fix the fields listed in fieldErrors and send the request again.");
/** 429, and a rate limit answered with another status (GitHub's 403 with remaining 0). */
export const [RateLimitError, isRateLimitError] = errorClass('RateLimitError', 'rate_limited', "Slow down: wait retryAfterMs (or until rateLimit.resetAt) before sending more requests.");
/** 500, 501, 502, 504 and other 5xx; 503 and 529 are its subclass ServiceUnavailableError. */
export const [ServerError, isServerError] = errorClass('ServerError', 'server', "A server-side error: retry after a delay; if it persists, contact support with the requestId.");
/** 503, 529. */
export const [ServiceUnavailableError, isServiceUnavailableError] = errorClass('ServiceUnavailableError', 'unavailable', "The service is temporarily unavailable: retry after a delay.", ServerError);
/** 408 from the server. */
export const [RequestTimeoutError, isRequestTimeoutError] = errorClass('RequestTimeoutError', 'request_timeout', "The server gave up on the request: retry with backoff; if it keeps happening, contact support with the requestId.");
/**
 * The client's own attempt timeout or whole-call deadline, or a caller's `AbortSignal.timeout()`.
 * @property {TimeoutScope} scope What ran out: one attempt's `timeoutMs`, the call's `deadlineMs` or the caller's signal.
 */
export const [TimeoutError, isTimeoutError] = errorClass('TimeoutError', 'timeout', "No response in time: raise timeoutMs or deadlineMs, or check whether the server is overloaded.");
/** No response at all: offline, DNS, CORS, connection reset. */
export const [NetworkError, isNetworkError] = errorClass('NetworkError', 'network', "No response at all: check the connection, the URL, and that the server allows this origin (CORS).");
/** The caller's signal aborted; `cause` is the signal's reason. */
export const [AbortError, isAbortError] = errorClass('AbortError', 'aborted', "The request was cancelled by its AbortSignal; nothing to fix unless that was unexpected.");
/** A 2xx whose body does not match `responseType`. */
export const [ResponseParseError, isResponseParseError] = errorClass('ResponseParseError', 'parse', "The response body did not match responseType: check the Content-Type, or ask for responseType 'text'.");
/**
 * The wasm module could not be loaded (wrong URL, file missing, CSP without 'wasm-unsafe-eval',
 * a runtime that forbids compiling wasm from bytes): thrown by the package entry, never the crate.
 * `code` names the problem, `hint` the fix.
 * @property {'wasm_http_error' | 'wasm_missing' | 'wasm_permission' | 'wasm_blocked_by_csp' | 'wasm_compile_forbidden' | 'wasm_invalid' | 'wasm_mismatch' | 'wasm_unavailable'} code
 */
export const [SetupError, isSetupError] = errorClass('SetupError', 'setup');

const RETRYABLE_KINDS = ['rate_limited', 'server', 'unavailable', 'request_timeout', 'timeout', 'network'];

// The brand lives on the prototype: every instance has it without a per-error defineProperty.
Object.defineProperty(ApiError.prototype, BRAND, { value: true });
named(ApiError.prototype, 'ApiError');

/**
 * The error for one fields object (`message` and the fields of ApiError's constructor): the
 * subclass for `fields.kind`, or with `draft` an ErrorDraft holding the fields. apiError builds
 * the object; src/web/js.rs declares this too, for a caller that has one.
 */
export function createApiError(fields, draft) {
  return draft ? new ErrorDraft(fields) : buildApiError(fields);
}

function buildApiError(fields) {
  return new (CLASS_BY_KIND[fields.kind] ?? ApiError)(fields.message, fields);
}

/**
 * The fields of an error the wasm module rejects with. An Error built while wasm frames are on the
 * stack costs several times more than one built from JavaScript (about a tenth of a failing call
 * in bench/bench.mjs), so the package entry builds it, with finishApiError, as the promise rejects.
 */
class ErrorDraft {
  constructor(fields) {
    this.fields = fields;
  }
}

/** The ApiError for a draft the wasm module rejected with; any other value unchanged. */
export function finishApiError(value) {
  return value instanceof ErrorDraft ? buildApiError(value.fields) : value;
}

/**
 * Called by the wasm module for every error it hands out, hook payloads and final rejections
 * alike, with the fields of ApiError's constructor given positionally (one call, not one per
 * field): the subclass for `kind`, or with `draft` an ErrorDraft holding the fields. Undefined is
 * an absent field, NaN a null number, `scope` 'circuit' is `circuitOpen`.
 */
export function apiError(draft, message, kind, status, code, details, fieldErrors, requestId, retryAfterMs, rateLimit,
  retryable, attempts, history, method, url, bodyText, scope, cause, response, data) {
  const fields = {
    message, kind, status: status === status ? status : null, code, details, fieldErrors, requestId,
    retryAfterMs: retryAfterMs === retryAfterMs ? retryAfterMs : null, rateLimit, retryable, attempts, history, method,
    url: redactUrl(url), bodyText, scope: scope === 'circuit' ? null : scope, circuitOpen: scope === 'circuit',
  };
  if (cause !== undefined) fields.cause = cause;
  if (response !== undefined) {
    fields.response = response;
    fields.data = data;
  }
  return draft ? new ErrorDraft(fields) : buildApiError(fields);
}

/** Called by the wasm module: one attempt of `history`. */
export function historyEntry(attempt, status, kind, code, requestId, durationMs, delayMs, delaySource) {
  return { attempt, status, kind, code, requestId, durationMs, delayMs, delaySource };
}

/** An ApiError of this realm or, by its brand, of another. */
export function isApiError(e) {
  return e instanceof ApiError || (typeof e === 'object' && e !== null && e[BRAND] === true);
}

