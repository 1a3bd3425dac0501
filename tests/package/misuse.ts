// Issue 12, gap 6: misuse that must NOT type-check. `tsc` fails on any `@ts-expect-error` line that
// compiles, so each line below proves the declarations reject it.
import { makeRequestWithRetry, createClient, RateLimitError, isApiError, type RequestOptions } from 'steadfetch';

export async function misuse(e: unknown): Promise<void> {
  // @ts-expect-error maxRetries is a number
  await makeRequestWithRetry('x', { maxRetries: 'three' });
  // @ts-expect-error no such responseType
  await makeRequestWithRetry('x', { responseType: 'blob' });
  const response = await makeRequestWithRetry('x', { responseType: 'response' });
  // @ts-expect-error a Response is not a string
  const asText: string = response;
  // @ts-expect-error hooks are functions
  await makeRequestWithRetry('x', { beforeRequest: 'refresh' });
  // @ts-expect-error beforeError returns an ApiError (or nothing), not a string
  await makeRequestWithRetry('x', { beforeError: () => 'oops' });
  // @ts-expect-error afterResponse returns a Response (or nothing)
  await makeRequestWithRetry('x', { afterResponse: () => 42 });
  // @ts-expect-error searchParams take strings, numbers and booleans
  await makeRequestWithRetry('x', { searchParams: { when: new Date() } });
  // @ts-expect-error the kind comes from the class; a wrong one is refused
  new RateLimitError('slow', { kind: 'nope' });
  // @ts-expect-error fields is an object
  new RateLimitError('slow', 429);
  // @ts-expect-error createClient has no "prefix" (it is prefixUrl)
  createClient({ prefix: '/v1' });
  if (isApiError(e)) {
    if (e.kind === 'not_found') {
      // @ts-expect-error only TimeoutError has a scope
      console.log(e.scope);
    }
    // @ts-expect-error headers are read-only Headers, not a record
    console.log(e.headers?.['retry-after']);
  }
  const options: RequestOptions = {};
  // @ts-expect-error timeoutMs is a number or false
  options.timeoutMs = true;
  void asText;
}
