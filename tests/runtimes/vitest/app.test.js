// An app's unit test under Vitest + jsdom, calling the real mock API through steadfetch.
import { test, expect } from 'vitest';
import { makeRequestWithRetry, ApiError, NetworkError, RateLimitError, isRateLimitError } from 'steadfetch';

test('runs under jsdom', () => {
  expect(typeof window).toBe('object');
  expect(document.createElement('div').tagName).toBe('DIV');
});

test('a closed port is a NetworkError', async () => {
  const e = await makeRequestWithRetry(`${process.env.CLOSED_URL}/x`, { maxRetries: 0 }).catch((x) => x);
  expect(e).toBeInstanceOf(NetworkError);
  expect(e).toBeInstanceOf(ApiError);
  expect(e.kind).toBe('network');
});

test('a 429 from the API is a RateLimitError with its Retry-After', async () => {
  const e = await makeRequestWithRetry(`${process.env.API_URL}/s/flaky?fail=9&status=429&retryAfter=600&key=vitest-${Math.random()}`).catch((x) => x);
  expect(e).toBeInstanceOf(RateLimitError);
  expect(isRateLimitError(e)).toBe(true);
  expect(e.retryAfterMs).toBe(600000);
});
