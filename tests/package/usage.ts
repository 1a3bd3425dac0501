// Type-checked against the shipped declarations by `tsc --noEmit` (tests/js/consumer.test.mjs).
import {
  makeRequestWithRetry, createClient, ApiError, RateLimitError, TimeoutError, ServiceUnavailableError, isApiError, isRateLimitError,
  ready, isSetupError, SetupError,
  type ApiErrorJSON, type RequestOptions, type RetryInfo, type FieldError,
} from 'steadfetch';

interface Ticket { id: string; subject: string }

const options: RequestOptions = {
  method: 'POST', headers: { Authorization: 'Bearer x' }, json: { subject: 'Help' }, maxRetries: 3,
  timeoutMs: 30000, deadlineMs: 60000, backoff: { baseMs: 1000, factor: 2, maxMs: 30000, jitter: 'full' },
  retryOn: [429, 503], idempotencyKey: true, signal: new AbortController().signal, responseType: 'json',
  onRetry: (info: RetryInfo) => console.warn(info.attempt, info.delayMs, info.error.kind),
  onError: (e: ApiError) => console.error(e.toJSON()),
  shouldRetry: (e, attempt) => (e.status === 409 && attempt < 2 ? true : undefined),
  retryBudget: { capacity: 100 },
  parseError: (body, response) => (response.status === 400 ? { code: String((body as { id?: string }).id), kind: 'validation' } : undefined),
  isError: async (body) => (body as { ok?: boolean }).ok === false,
};

export async function demo(): Promise<string> {
  const ticket = await makeRequestWithRetry<Ticket>('https://api.example.com/v1/tickets', options);
  const seedStyle: unknown = await makeRequestWithRetry('https://api.example.com/v1/jobs', { method: 'GET' }, 5);
  const client = createClient({ prefixUrl: 'https://api.example.com/v1', apiKey: 'k', auth: 'x-api-key', timeoutMs: 5000 });
  const list = await client.get<Ticket[]>('/tickets');
  await client.post('/tickets', { json: { subject: 'x' }, idempotencyKey: 'abc' });
  try {
    await client.delete('/tickets/1');
  } catch (e) {
    if (isRateLimitError(e)) {
      const wait: number | null = e.retryAfterMs;
      const reset: number | null = e.rateLimit?.resetAt ?? null;
      return `${wait} ${reset}`;
    }
    if (e instanceof TimeoutError) {
      const scope: 'attempt' | 'deadline' | 'signal' = e.scope;
      return scope;
    }
    if (isApiError(e)) {
      switch (e.kind) {
        case 'validation': {
          const fields: FieldError[] = e.fieldErrors;
          return fields.map((f) => `${f.field}: ${f.message}`).join(', ');
        }
        case 'rate_limited':
          return String(e instanceof RateLimitError);
        default: {
          const json: ApiErrorJSON = e.toJSON();
          return `${json.code} ${e.requestId ?? ''} ${e.history.length} ${e.hint}`;
        }
      }
    }
  }
  return `${ticket.subject} ${list.length} ${String(seedStyle)}`;
}

/** Self-hosted wasm: ready() takes a URL, a Response (or its promise), bytes or a compiled module. */
export async function preload(bytes: Uint8Array, module: WebAssembly.Module): Promise<string> {
  await ready(new URL('https://cdn.example.com/steadfetch_bg.wasm'));
  await ready(fetch('/steadfetch_bg.wasm'));
  await ready(bytes);
  await ready(module);
  try {
    await ready();
  } catch (e) {
    if (isSetupError(e)) return `${e.code} ${e.hint} ${e instanceof SetupError && e.kind === 'setup'}`;
  }
  return 'loaded';
}

// Politeness per origin: the options and what they add to errors and onRetry.
export async function polite(): Promise<string> {
  const github = createClient({
    baseUrl: 'https://api.github.com', originGate: 'client', maxConcurrent: 4, shareAcrossTabs: true,
    gateKey: (url: string) => (url.includes('/search/') ? 'search' : 'core'),
    circuitBreaker: { failureThreshold: 5, windowMs: 60000, cooldownMs: 30000 },
    onRetry: (info) => { const source: 'server' | 'backoff' | 'gate' = info.delaySource; void source; },
  });
  try {
    return await github.get<string>('/search/code?q=x', { originGate: false, circuitBreaker: true });
  } catch (e) {
    if (e instanceof ServiceUnavailableError && e.circuitOpen === true) return `probe in ${e.retryAfterMs} ms`;
    return e instanceof ApiError ? String(e.toJSON().circuitOpen ?? false) : 'other';
  }
}
