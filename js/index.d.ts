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
  scope?: 'attempt' | 'deadline';
  circuitOpen?: true;
}

/** The base class of every error steadfetch throws. */
export class ApiError extends Error {
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
  /** Whether one attempt's `timeoutMs` or the whole call's `deadlineMs` ran out. */
  readonly scope: 'attempt' | 'deadline';
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

export function isApiError(e: unknown): e is ApiError;
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
  error: ApiError;
  method: string;
  url: string;
}

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
  /** Whole call including waits, ms. Default none. */
  deadlineMs?: number;
  /** Longest server-requested wait accepted; longer fails at once. Default 60000. */
  maxRetryAfterMs?: number;
  /** Wait assumed for a 429/503 without any hint; default none (backoff). */
  defaultRetryAfterMs?: number;
  /** Sent unchanged on every attempt; `true` generates one. Makes POST/PATCH retryable. */
  idempotencyKey?: string | boolean;
  /** Default 'Idempotency-Key'. */
  idempotencyHeader?: string;
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
  onError?: (error: ApiError) => void;
  /** true/false decides; anything else keeps the default rule. */
  shouldRetry?: (error: ApiError, attempt: number) => boolean | undefined;
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

export type RequestOptions = Omit<RequestInit, 'signal'> & RetryOptions;

export function makeRequestWithRetry<T = unknown>(
  url: string | URL,
  options?: RequestOptions,
  maxRetries?: number,
): Promise<T>;

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
  baseUrl?: string | URL;
  apiKey?: string;
  /** How apiKey is sent, or a function returning extra headers per request. Default 'bearer'. */
  auth?: 'bearer' | 'x-api-key' | ((request: { method: string; url: string }) => HeadersInit | Promise<HeadersInit>);
}

export interface Client {
  request<T = unknown>(path: string | URL, options?: RequestOptions): Promise<T>;
  get<T = unknown>(path: string | URL, options?: RequestOptions): Promise<T>;
  post<T = unknown>(path: string | URL, options?: RequestOptions): Promise<T>;
  put<T = unknown>(path: string | URL, options?: RequestOptions): Promise<T>;
  patch<T = unknown>(path: string | URL, options?: RequestOptions): Promise<T>;
  delete<T = unknown>(path: string | URL, options?: RequestOptions): Promise<T>;
}

export function createClient(config?: ClientConfig): Client;
