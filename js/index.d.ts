// Type declarations for steadfetch.

/** What went wrong, one word per error class. */
export type ErrorKind =
  | 'bad_request' | 'authentication' | 'payment_required' | 'permission_denied' | 'not_found'
  | 'conflict' | 'validation' | 'rate_limited' | 'server' | 'unavailable' | 'request_timeout'
  | 'timeout' | 'network' | 'aborted' | 'parse' | 'setup' | 'unknown';

export interface FieldError {
  /** Dotted path of the invalid field, e.g. `body.priority`. */
  field: string;
  message: string;
  code: string | null;
}

export interface RateLimitInfo {
  limit: number | null;
  remaining: number | null;
  /** When the window resets, epoch milliseconds. */
  resetAt: number | null;
}

export interface AttemptRecord {
  attempt: number;
  status: number | null;
  kind: ErrorKind;
  code: string | null;
  requestId: string | null;
  durationMs: number;
  /** The wait planned after this attempt, if it was retried (a gate wait added to it). */
  delayMs: number | null;
  /** 'gate' when the origin's gate (another call's server wait) held the retry longer. */
  delaySource: 'server' | 'backoff' | 'gate' | null;
}

export interface ApiErrorJSON {
  name: string; kind: ErrorKind; status: number | null; code: string; message: string;
  details: unknown; fieldErrors: FieldError[]; requestId: string | null; retryAfterMs: number | null;
  rateLimit: RateLimitInfo | null; retryable: boolean; attempts: number; history: AttemptRecord[];
  method: string | null; url: string | null; hint: string; bodyText: string | null;
  scope?: TimeoutScope;
  /** Only on the error of a call refused by an open circuit breaker (no request sent). */
  circuitOpen?: true;
  /** The response headers as a plain object, credential-like headers `REDACTED`; null without a response. */
  headers: Record<string, string> | null;
}

/** What ran out: one attempt's `timeoutMs`, the call's `deadlineMs`, or the caller's signal
 * (`AbortSignal.timeout(ms)`, aborted with a `TimeoutError` reason). */
export type TimeoutScope = 'attempt' | 'deadline' | 'signal';

/**
 * The fields an error is built from: the second argument of every error class's constructor
 * (test doubles build errors as steadfetch would). Omitted fields take the defaults: `kind` the
 * class's, `code` the kind, `retryable` whether that kind is retried, `null`/`[]`/`0` elsewhere.
 */
export interface ApiErrorFields<K extends ErrorKind = ErrorKind> {
  kind?: K;
  status?: number | null;
  code?: string;
  details?: unknown;
  fieldErrors?: FieldError[];
  requestId?: string | null;
  retryAfterMs?: number | null;
  rateLimit?: RateLimitInfo | null;
  retryable?: boolean;
  attempts?: number;
  history?: AttemptRecord[];
  method?: string | null;
  url?: string | null;
  hint?: string;
  bodyText?: string | null;
  scope?: TimeoutScope;
  /** An open circuit breaker's error. */
  circuitOpen?: boolean;
  response?: Response | null;
  /** Defaults to `response.headers`. */
  headers?: Headers | null;
  data?: unknown;
  /** The same as `options.cause`. */
  cause?: unknown;
}

/** The base class of every error steadfetch throws. */
export class ApiError extends Error {
  /** `new RateLimitError('slow', { status: 429, retryAfterMs: 1000 }, { cause })`: kind `rate_limited`. */
  constructor(message?: string, fields?: ApiErrorFields, options?: { cause?: unknown });
  readonly kind: ErrorKind;
  /** HTTP status, or null when no response arrived. */
  readonly status: number | null;
  /** The API's machine code, else a default per status/kind (e.g. `too_many_requests`). */
  readonly code: string;
  /** The API's extra information, untouched. */
  readonly details: unknown;
  readonly fieldErrors: FieldError[];
  readonly requestId: string | null;
  /** How long the server asked to wait, in ms. */
  readonly retryAfterMs: number | null;
  readonly rateLimit: RateLimitInfo | null;
  /** Whether this failure could succeed on a retry. */
  readonly retryable: boolean;
  /** Requests sent, including the last (0 when the signal was aborted before the first). */
  readonly attempts: number;
  readonly history: AttemptRecord[];
  readonly method: string | null;
  /** The URL with credentials removed. */
  readonly url: string | null;
  /** What to do about it. */
  readonly hint: string;
  /** The first 8 KiB of the response body. */
  readonly bodyText: string | null;
  /** Only on the error of a call refused by an open circuit breaker (no request sent). */
  readonly circuitOpen?: true;
  /** The response's headers (`WWW-Authenticate`, `Location`, rate-limit headers…); null without a response. */
  readonly headers: Headers | null;
  /** The Response, its body already read (use `data`); null without a response. */
  readonly response: Response | null;
  /** The whole parsed body: the JSON value, else the text (error bodies are read up to 256 KiB); null without a response. */
  readonly data: unknown;
  readonly cause?: unknown;
  toJSON(): ApiErrorJSON;
}
export class BadRequestError extends ApiError { readonly kind: 'bad_request'; }
export class AuthenticationError extends ApiError { readonly kind: 'authentication'; }
export class PaymentRequiredError extends ApiError { readonly kind: 'payment_required'; }
export class PermissionDeniedError extends ApiError { readonly kind: 'permission_denied'; }
export class NotFoundError extends ApiError { readonly kind: 'not_found'; }
export class ConflictError extends ApiError { readonly kind: 'conflict'; }
export class ValidationError extends ApiError { readonly kind: 'validation'; }
export class RateLimitError extends ApiError { readonly kind: 'rate_limited'; }
export class ServerError extends ApiError { readonly kind: 'server' | 'unavailable'; }
export class ServiceUnavailableError extends ServerError { readonly kind: 'unavailable'; }
export class RequestTimeoutError extends ApiError { readonly kind: 'request_timeout'; }
export class TimeoutError extends ApiError {
  readonly kind: 'timeout';
  /** Whether one attempt's `timeoutMs`, the whole call's `deadlineMs` or the caller's signal ran out. */
  readonly scope: TimeoutScope;
}
export class NetworkError extends ApiError { readonly kind: 'network'; }
export class AbortError extends ApiError { readonly kind: 'aborted'; }
export class ResponseParseError extends ApiError { readonly kind: 'parse'; }
/**
 * The wasm module could not be loaded (wrong URL, file missing, CSP without 'wasm-unsafe-eval',
 * a runtime that forbids compiling wasm from bytes). `code` names the problem, `hint` the fix.
 */
export class SetupError extends ApiError {
  readonly kind: 'setup';
  readonly code: 'wasm_http_error' | 'wasm_missing' | 'wasm_permission' | 'wasm_blocked_by_csp'
    | 'wasm_compile_forbidden' | 'wasm_invalid' | 'wasm_mismatch' | 'wasm_unavailable';
}

/** An `ApiError` whose `kind` is not one of a subclass's (a `parseError` may answer `'unknown'`). */
export interface UnknownApiError extends ApiError { readonly kind: 'unknown'; }

/**
 * Every error steadfetch rejects with, as a union: `switch (e.kind)` and `instanceof` narrow it
 * (`case 'timeout': e.scope`, `case 'setup': e.code`). `isApiError(e)` gives this type.
 */
export type AnyApiError =
  | BadRequestError | AuthenticationError | PaymentRequiredError | PermissionDeniedError | NotFoundError
  | ConflictError | ValidationError | RateLimitError | ServerError | ServiceUnavailableError
  | RequestTimeoutError | TimeoutError | NetworkError | AbortError | ResponseParseError | SetupError
  | UnknownApiError;

export function isApiError(e: unknown): e is AnyApiError;
export function isBadRequestError(e: unknown): e is BadRequestError;
export function isAuthenticationError(e: unknown): e is AuthenticationError;
export function isPaymentRequiredError(e: unknown): e is PaymentRequiredError;
export function isPermissionDeniedError(e: unknown): e is PermissionDeniedError;
export function isNotFoundError(e: unknown): e is NotFoundError;
export function isConflictError(e: unknown): e is ConflictError;
export function isValidationError(e: unknown): e is ValidationError;
export function isRateLimitError(e: unknown): e is RateLimitError;
export function isServerError(e: unknown): e is ServerError;
export function isServiceUnavailableError(e: unknown): e is ServiceUnavailableError;
export function isRequestTimeoutError(e: unknown): e is RequestTimeoutError;
export function isTimeoutError(e: unknown): e is TimeoutError;
export function isNetworkError(e: unknown): e is NetworkError;
export function isAbortError(e: unknown): e is AbortError;
export function isResponseParseError(e: unknown): e is ResponseParseError;
export function isSetupError(e: unknown): e is SetupError;

export interface RetryInfo {
  /** The attempt that failed (1-based); 0 for a gate wait before the first request. */
  attempt: number;
  nextAttempt: number;
  delayMs: number;
  /** 'gate': waiting for the origin's gate (`error` is then the RateLimitError/ServiceUnavailableError a call that cannot wait gets). */
  delaySource: 'server' | 'backoff' | 'gate';
  error: AnyApiError;
  method: string;
  url: string;
}

/** What `beforeRequest` receives: `init` is this attempt's copy (its `headers` a `Headers`). */
export interface BeforeRequestContext {
  url: string | URL;
  init: RequestInit & { headers: Headers; method: string };
  /** 1-based. */
  attempt: number;
}

export interface DownloadProgress {
  /** Bytes received so far. */
  loaded: number;
  /** Content-Length (the whole when done), or null when unknown. */
  total: number | null;
  /** 0–100, null when the total is unknown; the last report is 100. */
  percent: number | null;
}

type MaybePromise<T> = T | Promise<T>;

export interface BackoffOptions {
  /** First delay, ms. Default 1000 (seeds 000/001: 1 s, 2 s, 4 s). */
  baseMs?: number;
  /** Growth per retry. Default 2. */
  factor?: number;
  /** Largest delay, ms. Default 30000. */
  maxMs?: number;
  /** Default 'full' (AWS): spreads a burst of clients. */
  jitter?: 'full' | 'equal' | 'none';
}

export type ResponseType = 'auto' | 'json' | 'text' | 'response';

export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  backoff?: BackoffOptions;
  /** Statuses to retry. Default [408, 425, 429, 500, 502, 503, 504, 520–527, 529]; a rate limit
   * answered with another status (GitHub's 403) is retried when 429 is in the list. */
  retryOn?: number[];
  /** Default true. */
  retryNetworkErrors?: boolean;
  /** Default true. */
  retryOnTimeout?: boolean;
  /** Per attempt, ms; false for none. Default 30000. */
  timeoutMs?: number | false;
  /** Whole call including waits, ms (and a streamed body's reading). Default none. */
  deadlineMs?: number;
  /** Longest server-requested wait accepted; longer fails at once. Default 60000. */
  maxRetryAfterMs?: number;
  /** Wait assumed for a 429/503 without any hint; default none (backoff). */
  defaultRetryAfterMs?: number;
  /** Sent unchanged on every attempt; `true` generates one. Makes POST/PATCH retryable. */
  idempotencyKey?: string | boolean;
  /** Default 'Idempotency-Key'. */
  idempotencyHeader?: string;
  /** Aborts the request, any wait, and a streamed body (`responseType: 'response'`). A
   * `TimeoutError` reason (`AbortSignal.timeout(ms)`) gives a TimeoutError with scope 'signal'. */
  signal?: AbortSignal | null;
  /** Before each wait, after beforeRetry. May be async (awaited). */
  onRetry?: (info: RetryInfo) => unknown;
  /** Once, with the error that is thrown (after beforeError). May be async (awaited). */
  onError?: (error: AnyApiError) => unknown;
  /** true/false decides; anything else keeps the default rule. May be async. */
  shouldRetry?: (error: AnyApiError, attempt: number) => MaybePromise<boolean | undefined | null | void>;
  /** Default 'auto': JSON by Content-Type, else text; null for 204/205/empty. */
  responseType?: ResponseType;
  /** Teach the normalizer an API: what you return is merged over the generic result. May be
   * async. `body` is the parsed JSON (or the text), `response` the Response (body used). */
  parseError?: (body: unknown, response: Response) => ParsedErrorFields | undefined | null | Promise<ParsedErrorFields | undefined | null>;
  /** Declare a 2xx body an error (Slack's `{ ok: false }`); it is then normalized like any
   * error response. May be async. */
  isError?: (body: unknown, response: Response) => boolean | Promise<boolean>;
  /** Headers holding the request id. Default X-Request-Id, Request-Id, X-Amzn-RequestId,
   * X-Amz-Request-Id, X-Ms-Request-Id, X-GitHub-Request-Id, X-Correlation-Id, Twilio-Request-Id,
   * X-Okta-Request-Id, X-Slack-Req-Id, X-Amz-Cf-Id, CF-Ray. */
  requestIdHeaders?: string[];
  /** Per-origin token bucket (AWS standard mode); false disables. */
  retryBudget?: false | { capacity?: number; retryCost?: number; timeoutCost?: number };
  /** JSON body shortcut: stringified, with Content-Type application/json. */
  json?: unknown;
  /**
   * A server wait (429/503 with Retry-After or a rate-limit reset, or remaining 0 until a reset)
   * holds every call to the origin until then. Default true (the page-wide scope); false opts out;
   * a string is a named scope with gates of its own; on createClient, 'client' gives the client one.
   */
  originGate?: boolean | string;
  /** Splits an origin into buckets with separate gates (e.g. GitHub's search vs core). */
  gateKey?: (url: string) => string | undefined;
  /** Requests in flight per origin (and gate scope), queued first come first served. Default unlimited. */
  maxConcurrent?: number;
  /** Opt-in: fail at once while an origin keeps failing. true = { failureThreshold: 5, windowMs: 60000, cooldownMs: 30000 }. */
  circuitBreaker?: boolean | { failureThreshold?: number; windowMs?: number; cooldownMs?: number };
  /** Share gates, circuit state and retry-budget spending with same-origin tabs and workers (BroadcastChannel). Default false. */
  shareAcrossTabs?: boolean;
  /** Before every attempt: change this attempt's `url`/`init` (fresh headers) by mutating `init`
   * or returning `{ url, init }`. May be async. */
  beforeRequest?: (request: BeforeRequestContext) => MaybePromise<{ url?: string | URL; init?: RequestInit } | undefined | null | void>;
  /** After every response arrives, before it is judged: may return a replacement Response. May be async. */
  afterResponse?: (context: { response: Response; attempt: number }) => MaybePromise<Response | undefined | null | void>;
  /** After the retry rules chose to retry, before onRetry and the wait: `false` stops (the error is thrown). May be async. */
  beforeRetry?: (context: { error: AnyApiError; attempt: number; delayMs: number }) => MaybePromise<boolean | undefined | null | void>;
  /** Once, before the final error is thrown: may return the ApiError to throw instead. May be async. */
  beforeError?: (error: AnyApiError) => MaybePromise<ApiError | undefined | void>;
  /** The fetch used for the API calls (Next.js options, test doubles, instrumented fetch). Default: the global fetch at call time. */
  fetch?: (input: string | URL, init: RequestInit) => Promise<Response>;
  /** Merged into the URL; a name given replaces the URL's own values of that name. */
  searchParams?: string | URLSearchParams | Record<string, string | number | boolean | undefined> | Array<[string, string]>;
  /** Download progress of the success body (not with responseType 'response', whose body is yours). May be async. */
  onDownloadProgress?: (progress: DownloadProgress) => unknown;
}

/** What `parseError` may return: any of these replaces the generic value. */
export interface ParsedErrorFields {
  kind?: ErrorKind;
  code?: string;
  message?: string;
  fieldErrors?: Array<{ field: string; message: string; code?: string | null }>;
  /** Overrides the retry rule for this response (like the server's `x-should-retry`). */
  retryable?: boolean;
  retryAfterMs?: number;
  requestId?: string;
}

/** A fetch `RequestInit` (a `RequestInit` object is accepted as is) plus steadfetch's options. */
export type RequestOptions = Omit<RequestInit, 'signal'> & RetryOptions;

export function makeRequestWithRetry(url: string | URL, options: RequestOptions & { responseType: 'response' }, maxRetries?: number): Promise<Response>;
export function makeRequestWithRetry(url: string | URL, options: RequestOptions & { responseType: 'text' }, maxRetries?: number): Promise<string | null>;
/** Resolves with the parsed JSON as `T` (text for non-JSON bodies, null for 204/205/empty). */
export function makeRequestWithRetry<T = unknown>(url: string | URL, options?: RequestOptions, maxRetries?: number): Promise<T>;

export function resetRetryBudget(origin?: string): Promise<void>;

/** Where the wasm module may come from, for apps that host it themselves (CDN, strict CSP). */
export type WasmInput =
  | string | URL | Request | Response | BufferSource | WebAssembly.Module
  | Promise<Response | BufferSource | WebAssembly.Module>;

/**
 * Loads the wasm module ahead of the first call (optional), from `input` if given, else as the
 * runtime's entry says. Rejects with a SetupError; a later call tries again. Once loaded, later
 * inputs are ignored.
 */
export function ready(input?: WasmInput): Promise<unknown>;

export interface ClientConfig extends RequestOptions {
  /** Paths are resolved against it as `new URL(path, baseUrl)` (mind the trailing slash:
   * `new URL('tickets', 'https://api.example.com/v1/')`). */
  baseUrl?: string | URL;
  /** Joined to every relative path as a string: `https://api.example.com/v1` + `/tickets`. */
  prefixUrl?: string | URL;
  apiKey?: string;
  /** How apiKey is sent, or a function returning extra headers, run before every attempt. Default 'bearer'. */
  auth?: 'bearer' | 'x-api-key' | ((request: { method: string; url: string; attempt: number }) => HeadersInit | undefined | void | Promise<HeadersInit | undefined | void>);
}

type ClientMethod = {
  (path: string | URL, options: RequestOptions & { responseType: 'response' }): Promise<Response>;
  (path: string | URL, options: RequestOptions & { responseType: 'text' }): Promise<string | null>;
  <T = unknown>(path: string | URL, options?: RequestOptions): Promise<T>;
};

export interface Client {
  request: ClientMethod;
  get: ClientMethod;
  post: ClientMethod;
  put: ClientMethod;
  patch: ClientMethod;
  delete: ClientMethod;
  /** Resolves with null (a HEAD response has no body), or the Response with `responseType: 'response'`. */
  head: ClientMethod;
}

export function createClient(config?: ClientConfig): Client;
