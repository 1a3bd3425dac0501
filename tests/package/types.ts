// Issue 12, gap 6: the declarations narrow, infer and construct as the runtime behaves. Checked by
// `tsc --strict` (tests/js/consumer.test.mjs) against the shipped js/index.d.ts.
import {
  makeRequestWithRetry, createClient, ApiError, RateLimitError, TimeoutError, SetupError, ServerError,
  NotFoundError, isApiError, isTimeoutError,
  type AnyApiError, type RequestOptions, type ClientConfig, type ApiErrorFields, type DownloadProgress,
} from 'steadfetch';

/** Compile-time equality: `expectType<Equal<A, B>>(true)` fails to compile unless A and B are the same. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function expectType<T extends true>(value: T): T {
  return value;
}

interface Ticket { id: string }

export async function results(url: string): Promise<void> {
  const json = await makeRequestWithRetry<Ticket>(url);
  expectType<Equal<typeof json, Ticket>>(true);
  const explicitJson = await makeRequestWithRetry<Ticket>(url, { responseType: 'json' });
  expectType<Equal<typeof explicitJson, Ticket>>(true);
  const response = await makeRequestWithRetry(url, { responseType: 'response' });
  expectType<Equal<typeof response, Response>>(true);
  const text = await makeRequestWithRetry(url, { responseType: 'text' });
  expectType<Equal<typeof text, string | null>>(true);
  const untyped = await makeRequestWithRetry(url);
  expectType<Equal<typeof untyped, unknown>>(true);
  // Options typed as RequestOptions (responseType unknown statically): the caller's T.
  const chosen: RequestOptions = { responseType: 'json', maxRetries: 1 };
  const declared = await makeRequestWithRetry<Ticket>(url, chosen);
  expectType<Equal<typeof declared, Ticket>>(true);

  const client = createClient({ baseUrl: 'https://api.example.com/v1/', prefixUrl: '/v1' });
  const one = await client.get<Ticket>('tickets/1');
  expectType<Equal<typeof one, Ticket>>(true);
  const head = await client.head('tickets/1', { responseType: 'response' });
  expectType<Equal<typeof head, Response>>(true);
  const posted = await client.post<Ticket>('tickets', { json: { subject: 'x' }, searchParams: { draft: true } });
  expectType<Equal<typeof posted, Ticket>>(true);
}

/** `switch (e.kind)` and `instanceof` narrow the union; `isApiError` gives it. */
export function narrowing(e: unknown): string {
  if (!isApiError(e)) return 'not ours';
  expectType<Equal<typeof e, AnyApiError>>(true);
  switch (e.kind) {
    case 'timeout': {
      expectType<Equal<typeof e, TimeoutError>>(true);
      const scope: 'attempt' | 'deadline' | 'signal' = e.scope;
      return scope;
    }
    case 'setup':
      return e.code; // SetupError's code union
    case 'rate_limited':
      return `${e.retryAfterMs ?? 0} ${e.headers?.get('retry-after') ?? ''}`;
    case 'unavailable':
      expectType<Equal<typeof e, ServerError | import('steadfetch').ServiceUnavailableError>>(true);
      return e.name;
    default:
      return `${e.kind} ${String(e.data)} ${e.response?.status ?? ''}`;
  }
}

export function byClass(e: unknown): string {
  if (e instanceof NotFoundError) {
    expectType<Equal<typeof e.kind, 'not_found'>>(true);
    return e.kind;
  }
  if (isTimeoutError(e)) return e.scope;
  return '';
}

/** Constructors as test doubles use them. */
export function doubles(): ApiError[] {
  const cause = new Error('root');
  const fields: ApiErrorFields = { status: 429, retryAfterMs: 1000, data: { error: 'slow' }, headers: new Headers(), cause };
  const rate = new RateLimitError('slow', fields);
  const withOptions = new RateLimitError('slow', { status: 429 }, { cause });
  const setup = new SetupError('no wasm', { code: 'wasm_missing' });
  const plain = new ApiError();
  return [rate, withOptions, setup, plain, new TimeoutError('late', { scope: 'signal' })];
}

/** RequestInit-compatible options: a RequestInit goes in as is, signal may be null. */
export async function fromFetch(init: RequestInit, url: string): Promise<unknown> {
  await makeRequestWithRetry(url, { signal: null, body: null, headers: [['a', 'b']] });
  const config: ClientConfig = { ...init, apiKey: 'k', auth: async ({ attempt }) => ({ 'X-Attempt': String(attempt) }) };
  createClient(config);
  return makeRequestWithRetry(url, init);
}

/** Every hook, sync and async, with what it may return. */
export const hooks: RequestOptions = {
  beforeRequest: async ({ url, init, attempt }) => {
    init.headers.set('Authorization', `Bearer ${attempt}`);
    return attempt > 1 ? { url: new URL(String(url)), init: { cache: 'no-store' } } : undefined;
  },
  afterResponse: ({ response }) => (response.status === 304 ? new Response('{}') : undefined),
  beforeRetry: async ({ error, attempt, delayMs }) => error.kind !== 'rate_limited' || attempt < 2 || delayMs < 5000,
  beforeError: (error) => (error.status === 404 ? new NotFoundError('No such ticket', { status: 404, cause: error }) : undefined),
  shouldRetry: async (error) => (error.status === 401 ? true : undefined),
  onRetry: async (info) => { console.warn(info.error.kind); },
  onError: async (error) => { console.error(error.toJSON().headers); },
  onDownloadProgress: (p: DownloadProgress) => console.log(p.loaded, p.total, p.percent),
  fetch: (input, init) => fetch(input, init),
  searchParams: new URLSearchParams({ page: '2' }),
};
