// An app's unit test under node:test, calling the real mock API through steadfetch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRequestWithRetry, ApiError, NetworkError, RateLimitError } from 'steadfetch';

test('a closed port is a NetworkError', async () => {
  const e = await makeRequestWithRetry(`${process.env.CLOSED_URL}/x`, { maxRetries: 0 }).catch((x) => x);
  assert.ok(e instanceof NetworkError && e instanceof ApiError, String(e));
  assert.equal(e.kind, 'network');
});

test('a 429 from the API is a RateLimitError with its Retry-After', async () => {
  const e = await makeRequestWithRetry(`${process.env.API_URL}/s/flaky?fail=9&status=429&retryAfter=600&key=nodetest-${Math.random()}`).catch((x) => x);
  assert.ok(e instanceof RateLimitError, String(e));
  assert.equal(e.retryAfterMs, 600000);
});
