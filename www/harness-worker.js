// A module worker for the package tests: steadfetch must work where there is no window.
import { makeRequestWithRetry, isRateLimitError, RateLimitError } from '/js/index.js';

self.onmessage = async ({ data: api }) => {
  try {
    await makeRequestWithRetry(`${api}/s/flaky?fail=9&status=429&retryAfterMs=20&key=worker`, { maxRetries: 1 });
    self.postMessage({ resolved: true });
  } catch (e) {
    self.postMessage({ name: e.name, guard: isRateLimitError(e), instance: e instanceof RateLimitError, attempts: e.attempts, delays: e.history.map((h) => h.delayMs) });
  }
};
