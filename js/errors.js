// The error classes of steadfetch and their guards: the package root exports every class and
// `is…` guard of this file (scripts/kinds.mjs lists them for js/index.js and declares them in
// js/index.d.ts), and the wasm module builds its errors with createApiError below. The build puts
// this file at pkg/errors.js, imported by both, so a page has exactly one identity per class.

const BRAND = Symbol.for('steadfetch.ApiError');
const SECRET_PARAMS = ['api_key', 'apikey', 'api-key', 'key', 'token', 'access_token', 'refresh_token',
  'id_token', 'auth', 'password', 'secret', 'client_secret', 'signature', 'sig'];

/**
 * A URL string without the `user:password@` of its authority and with the values of credential
 * parameters (query or fragment, names compared case-insensitively, `%5F` read as `_`) replaced by
 * `REDACTED`; everything else is kept byte for byte. The one redaction of the package: the wasm
 * module calls it for every error's `url` and hook payload, toJSON again for errors built by hand.
 */
export function redactUrl(url) {
  if (typeof url !== 'string' || url === '') return url ?? null;
  return url.replace(/^([^:/?#]*:\/\/)[^/?#]*@/, '$1').replace(/([?&#])([^=&#]*)=[^&#]*/g, (pair, mark, name) =>
    SECRET_PARAMS.includes(name.replace(/%5f/gi, '_').toLowerCase()) ? `${mark}${name}=REDACTED` : pair);
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
 * builds one as steadfetch would (test doubles): `kind` defaults to the class's, `retryable` to
 * whether that kind is retried, `cause` comes from `options.cause` or `fields.cause`.
 */
export class ApiError extends Error {
  constructor(message, fields = {}, options = undefined) {
    fields ??= {};
    super(message, options ?? ('cause' in fields ? { cause: fields.cause } : undefined));
    this.kind = fields.kind ?? KIND_OF_CLASS.get(new.target) ?? 'unknown';
    this.status = fields.status ?? null;
    this.code = fields.code ?? this.kind;
    this.details = fields.details ?? null;
    this.fieldErrors = fields.fieldErrors ?? [];
    this.requestId = fields.requestId ?? null;
    this.retryAfterMs = fields.retryAfterMs ?? null;
    this.rateLimit = fields.rateLimit ?? null;
    this.retryable = fields.retryable ?? RETRYABLE_KINDS.includes(this.kind);
    this.attempts = fields.attempts ?? 0;
    this.history = fields.history ?? [];
    this.method = fields.method ?? null;
    // steadfetch passes URLs already redacted; toJSON redacts again for errors built by hand.
    this.url = fields.url ?? null;
    this.hint = fields.hint ?? '';
    this.bodyText = fields.bodyText ?? null;
    if (fields.scope !== undefined && fields.scope !== null) this.scope = fields.scope;
    // Only on the errors of an open circuit breaker (no request sent), like `scope` on timeouts.
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
// wasm that cannot load never reaches the crate). Adding a kind here is two lines, its class and its
// guard: the package exports both and scripts/kinds.mjs declares them in js/index.d.ts (the JSDoc
// is the declaration's; `@property` adds a field, a subclass's kinds join its base's `kind`).
const CLASS_BY_KIND = { __proto__: null, unknown: ApiError };
const KIND_OF_CLASS = new Map([[ApiError, 'unknown']]);

/** The subclass of `Base` for `kind`. The name is set explicitly: minifiers rename classes. */
function errorClass(name, kind, Base = ApiError) {
  const Class = class extends Base {};
  for (const target of [Class, Class.prototype]) Object.defineProperty(target, 'name', { value: name, writable: true, configurable: true });
  CLASS_BY_KIND[kind] = Class;
  KIND_OF_CLASS.set(Class, kind);
  return Class;
}

/** 400. */
export const BadRequestError = errorClass('BadRequestError', 'bad_request');
/** 401: the credentials are missing, wrong, expired or revoked. */
export const AuthenticationError = errorClass('AuthenticationError', 'authentication');
/** 402: never retried, the billing state must change. */
export const PaymentRequiredError = errorClass('PaymentRequiredError', 'payment_required');
/** 403. */
export const PermissionDeniedError = errorClass('PermissionDeniedError', 'permission_denied');
/** 404, 410. */
export const NotFoundError = errorClass('NotFoundError', 'not_found');
/** 409. */
export const ConflictError = errorClass('ConflictError', 'conflict');
/** 422, and any error carrying field errors with no better class. */
export const ValidationError = errorClass('ValidationError', 'validation');
/** 429, and a rate limit answered with another status (GitHub's 403 with remaining 0). */
export const RateLimitError = errorClass('RateLimitError', 'rate_limited');
/** 500, 501, 502, 504 and other 5xx; 503 and 529 are its subclass ServiceUnavailableError. */
export const ServerError = errorClass('ServerError', 'server');
/** 503, 529. */
export const ServiceUnavailableError = errorClass('ServiceUnavailableError', 'unavailable', ServerError);
/** 408 from the server. */
export const RequestTimeoutError = errorClass('RequestTimeoutError', 'request_timeout');
/**
 * The client's own attempt timeout or whole-call deadline, or a caller's `AbortSignal.timeout()`.
 * @property {TimeoutScope} scope What ran out: one attempt's `timeoutMs`, the call's `deadlineMs` or the caller's signal.
 */
export const TimeoutError = errorClass('TimeoutError', 'timeout');
/** No response at all: offline, DNS, CORS, connection reset. */
export const NetworkError = errorClass('NetworkError', 'network');
/** The caller's signal aborted; `cause` is the signal's reason. */
export const AbortError = errorClass('AbortError', 'aborted');
/** A 2xx whose body does not match `responseType`. */
export const ResponseParseError = errorClass('ResponseParseError', 'parse');
/**
 * The wasm module could not be loaded (wrong URL, file missing, CSP without 'wasm-unsafe-eval',
 * a runtime that forbids compiling wasm from bytes): thrown by the package entry, never the crate.
 * `code` names the problem, `hint` the fix.
 * @property {'wasm_http_error' | 'wasm_missing' | 'wasm_permission' | 'wasm_blocked_by_csp' | 'wasm_compile_forbidden' | 'wasm_invalid' | 'wasm_mismatch' | 'wasm_unavailable'} code
 */
export const SetupError = errorClass('SetupError', 'setup');

const RETRYABLE_KINDS = ['rate_limited', 'server', 'unavailable', 'request_timeout', 'timeout', 'network'];

// The brand lives on the prototype: every instance has it without a per-error defineProperty.
Object.defineProperty(ApiError.prototype, BRAND, { value: true });
Object.defineProperty(ApiError.prototype, 'name', { value: 'ApiError', writable: true, configurable: true });

/**
 * Every error the wasm module hands out, hook payloads and final rejections alike, built from one
 * fields object (`message` and the fields of ApiError's constructor, `cause` only when there is
 * one): the subclass for `fields.kind`, or with `draft` an ErrorDraft holding the fields.
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
 * Called by the wasm module: createApiError from the fields given positionally (one call, not one
 * per field). Numbers that may be null come as NaN for null; `scope` 'circuit' is `circuitOpen`.
 */
export function apiError(draft, message, kind, status, code, details, fieldErrors, requestId, retryAfterMs, rateLimit,
  retryable, attempts, history, method, url, hint, bodyText, scope, cause, response, data) {
  const fields = {
    message, kind, status: status === status ? status : null, code, details, fieldErrors, requestId: requestId ?? null,
    retryAfterMs: retryAfterMs === retryAfterMs ? retryAfterMs : null, rateLimit, retryable, attempts, history, method,
    url: redactUrl(url), hint, bodyText: bodyText ?? null,
  };
  if (scope === 'circuit') fields.circuitOpen = true;
  else fields.scope = scope ?? null;
  if (cause !== undefined) fields.cause = cause;
  if (response !== undefined) {
    fields.response = response;
    fields.data = data;
  }
  return createApiError(fields, draft);
}

/** Called by the wasm module: one attempt of `history`. */
export function historyEntry(attempt, status, kind, code, requestId, durationMs, delayMs, delaySource) {
  return { attempt, status, kind, code, requestId, durationMs, delayMs, delaySource };
}

// Guards check the brand and the kind's class, so they also work on errors from another realm (an
// iframe, a worker's copy) where `instanceof` fails; a subclass's kinds pass its base's guard.
export function isApiError(e) {
  return e instanceof ApiError || (typeof e === 'object' && e !== null && e[BRAND] === true);
}
const guard = (Class) => (e) => isApiError(e) && (CLASS_BY_KIND[e.kind] === Class || CLASS_BY_KIND[e.kind]?.prototype instanceof Class);

export const isBadRequestError = guard(BadRequestError);
export const isAuthenticationError = guard(AuthenticationError);
export const isPaymentRequiredError = guard(PaymentRequiredError);
export const isPermissionDeniedError = guard(PermissionDeniedError);
export const isNotFoundError = guard(NotFoundError);
export const isConflictError = guard(ConflictError);
export const isValidationError = guard(ValidationError);
export const isRateLimitError = guard(RateLimitError);
export const isServerError = guard(ServerError);
export const isServiceUnavailableError = guard(ServiceUnavailableError);
export const isRequestTimeoutError = guard(RequestTimeoutError);
export const isTimeoutError = guard(TimeoutError);
export const isNetworkError = guard(NetworkError);
export const isAbortError = guard(AbortError);
export const isResponseParseError = guard(ResponseParseError);
export const isSetupError = guard(SetupError);
