// A server-side render entry, built with `vite build --ssr` and run under Node.
import { makeRequestWithRetry, ApiError, NetworkError, RateLimitError } from 'steadfetch';

export async function render(api, closed) {
  const network = await makeRequestWithRetry(`${closed}/x`, { maxRetries: 0 }).catch((e) => e);
  const rate = await makeRequestWithRetry(`${api}/s/flaky?fail=9&status=429&retryAfter=600&key=ssr-${Math.random()}`).catch((e) => e);
  return JSON.stringify({
    network: [network.name, network instanceof NetworkError, network instanceof ApiError],
    rate: [rate.name, rate instanceof RateLimitError, rate.retryAfterMs],
  });
}
