// The error classes of steadfetch. The wasm module imports this file and re-exports the classes
// from the package root, so a page has exactly one identity per class.

const BRAND = Symbol.for('steadfetch.ApiError');
const SECRET_PARAMS = ['api_key', 'apikey', 'api-key', 'key', 'token', 'access_token', 'refresh_token',
  'id_token', 'auth', 'password', 'secret', 'client_secret', 'signature', 'sig'];

/** Removes userinfo and credential query parameters from a URL string. */
export function redactUrl(url) {
  if (typeof url !== 'string' || url === '') return url ?? null;
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    for (const name of [...u.searchParams.keys()]) {
      if (SECRET_PARAMS.includes(name.toLowerCase())) u.searchParams.set(name, 'REDACTED');
    }
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

/** Response headers that may carry credentials: toJSON shows them as REDACTED. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key)$|token|secret|session|signature|password|credential/i;

/** Headers as a plain object for logs, credentials redacted; null without headers. */
export function redactHeaders(headers) {
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
    return {
      name: this.name, kind: this.kind, status: this.status, code: this.code, message: this.message,
      details: this.details, fieldErrors: this.fieldErrors, requestId: this.requestId,
      retryAfterMs: this.retryAfterMs, rateLimit: this.rateLimit, retryable: this.retryable,
      attempts: this.attempts, history: this.history, method: this.method, url: redactUrl(this.url),
      hint: this.hint, bodyText: this.bodyText, ...(this.scope !== undefined ? { scope: this.scope } : {}),
      ...(this.circuitOpen ? { circuitOpen: true } : {}),
      headers: redactHeaders(this.headers),
    };
  }
}

export class BadRequestError extends ApiError {}
export class AuthenticationError extends ApiError {}
export class PaymentRequiredError extends ApiError {}
export class PermissionDeniedError extends ApiError {}
export class NotFoundError extends ApiError {}
export class ConflictError extends ApiError {}
export class ValidationError extends ApiError {}
export class RateLimitError extends ApiError {}
export class ServerError extends ApiError {}
export class ServiceUnavailableError extends ServerError {}
export class RequestTimeoutError extends ApiError {}
export class TimeoutError extends ApiError {}
export class NetworkError extends ApiError {}
export class AbortError extends ApiError {}
export class ResponseParseError extends ApiError {}
/** The wasm module could not be loaded (thrown by the package entry, never by the crate). */
export class SetupError extends ApiError {}

const RETRYABLE_KINDS = ['rate_limited', 'server', 'unavailable', 'request_timeout', 'timeout', 'network'];

const CLASS_BY_KIND = {
  bad_request: BadRequestError, authentication: AuthenticationError,
  payment_required: PaymentRequiredError, permission_denied: PermissionDeniedError,
  not_found: NotFoundError, conflict: ConflictError, validation: ValidationError,
  rate_limited: RateLimitError, server: ServerError, unavailable: ServiceUnavailableError,
  request_timeout: RequestTimeoutError, timeout: TimeoutError, network: NetworkError,
  aborted: AbortError, parse: ResponseParseError, unknown: ApiError,
};
const KIND_OF_CLASS = new Map(Object.entries(CLASS_BY_KIND).map(([kind, Class]) => [Class, kind]));
KIND_OF_CLASS.set(SetupError, 'setup');

// Names are set explicitly: minifiers rename classes, and `name` must survive a production build.
for (const [name, Class] of Object.entries({
  ApiError, BadRequestError, AuthenticationError, PaymentRequiredError, PermissionDeniedError,
  NotFoundError, ConflictError, ValidationError, RateLimitError, ServerError, ServiceUnavailableError,
  RequestTimeoutError, TimeoutError, NetworkError, AbortError, ResponseParseError, SetupError,
})) {
  Object.defineProperty(Class.prototype, 'name', { value: name, writable: true, configurable: true });
}

// The brand lives on the prototype: every instance has it without a per-error defineProperty.
Object.defineProperty(ApiError.prototype, BRAND, { value: true });

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

/** Called by the wasm module: one attempt of `history`. */
export function historyEntry(attempt, status, kind, code, requestId, durationMs, delayMs, delaySource) {
  return { attempt, status, kind, code, requestId, durationMs, delayMs, delaySource };
}

// Guards check the brand and kind, so they also work on errors from another realm (iframe, worker
// copy) where `instanceof` fails.
const hasKind = (kinds) => (e) => isApiError(e) && kinds.includes(e.kind);

export function isApiError(e) {
  return e instanceof ApiError || (typeof e === 'object' && e !== null && e[BRAND] === true);
}
export const isBadRequestError = hasKind(['bad_request']);
export const isAuthenticationError = hasKind(['authentication']);
export const isPaymentRequiredError = hasKind(['payment_required']);
export const isPermissionDeniedError = hasKind(['permission_denied']);
export const isNotFoundError = hasKind(['not_found']);
export const isConflictError = hasKind(['conflict']);
export const isValidationError = hasKind(['validation']);
export const isRateLimitError = hasKind(['rate_limited']);
export const isServerError = hasKind(['server', 'unavailable']);
export const isServiceUnavailableError = hasKind(['unavailable']);
export const isRequestTimeoutError = hasKind(['request_timeout']);
export const isTimeoutError = hasKind(['timeout']);
export const isNetworkError = hasKind(['network']);
export const isAbortError = hasKind(['aborted']);
export const isResponseParseError = hasKind(['parse']);
export const isSetupError = hasKind(['setup']);
