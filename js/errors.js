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

/** The base class of every error steadfetch throws. */
export class ApiError extends Error {
  constructor(message, fields = {}, options = undefined) {
    super(message, options);
    this.kind = fields.kind ?? 'unknown';
    this.status = fields.status ?? null;
    this.code = fields.code ?? this.kind;
    this.details = fields.details ?? null;
    this.fieldErrors = fields.fieldErrors ?? [];
    this.requestId = fields.requestId ?? null;
    this.retryAfterMs = fields.retryAfterMs ?? null;
    this.rateLimit = fields.rateLimit ?? null;
    this.retryable = fields.retryable ?? false;
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

const CLASS_BY_KIND = {
  bad_request: BadRequestError, authentication: AuthenticationError,
  payment_required: PaymentRequiredError, permission_denied: PermissionDeniedError,
  not_found: NotFoundError, conflict: ConflictError, validation: ValidationError,
  rate_limited: RateLimitError, server: ServerError, unavailable: ServiceUnavailableError,
  request_timeout: RequestTimeoutError, timeout: TimeoutError, network: NetworkError,
  aborted: AbortError, parse: ResponseParseError, unknown: ApiError,
};

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
 * Called by the wasm module with positional fields (one call instead of a property set per
 * field): builds the subclass for `kind`, or with `draft` only keeps the fields (see ErrorDraft).
 */
export function createApiError(draft, ...fields) {
  return draft ? new ErrorDraft(fields) : buildApiError(...fields);
}

function buildApiError(message, kind, status, code, details, fieldErrors, requestId, retryAfterMs,
  rateLimit, retryable, attempts, history, method, url, hint, bodyText, scope, cause) {
  const Class = CLASS_BY_KIND[kind] ?? ApiError;
  // The module marks an open circuit's error with the scope 'circuit' (no extra field to pass).
  const circuitOpen = scope === 'circuit';
  const fields = { kind, status, code, details, fieldErrors, requestId, retryAfterMs, rateLimit, retryable,
    attempts, history, method, url, hint, bodyText, scope: circuitOpen ? null : scope, circuitOpen };
  return new Class(message, fields, cause === undefined ? undefined : { cause });
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
  return value instanceof ErrorDraft ? buildApiError(...value.fields) : value;
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
