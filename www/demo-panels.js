// The demo's panels. Each `run` is shown verbatim (Function.prototype.toString) as the panel's code.
import { makeRequestWithRetry, createClient } from '/js/index.js';

const unique = () => Math.random().toString(36).slice(2, 10);

export const PANELS = [
  {
    id: 'toptickets', title: 'TopTickets (FastAPI): invalid priority',
    about: 'A 422 with {"detail": [{loc, msg, type}]} becomes a ValidationError with dotted field paths. Never retried.',
    run: ({ base, signal, onRetry, onError }) => makeRequestWithRetry(`${base}/toptickets/v1/tickets`, {
      method: 'POST', headers: { Authorization: 'Bearer tt_live_demo' },
      json: { customer_name: 'John Doe', customer_email: 'john@example.com', subject: 'Help needed', priority: 'critical' },
      signal, onRetry, onError,
    }),
  },
  {
    id: 'jobs', title: 'Jobs API (seed 001): drop-in makeRequestWithRetry',
    about: 'The seed\'s own signature, (url, options, maxRetries). 503 SERVICE_UNAVAILABLE is retried after 0.5 s and 1 s (seed 001 uses 1 s, 2 s), then thrown.',
    run: ({ base, signal, onRetry, onError }) => makeRequestWithRetry(
      `${base}/jobs/v1/status/503`, { signal, onRetry, onError, backoff: { baseMs: 500, jitter: 'none' } }, 2),
  },
  {
    id: 'operations1', title: 'Operations1: plain 502, five attempts',
    about: 'No error body at all: the status alone gives ServerError "HTTP 502 Bad Gateway" after 4 retries.',
    run: ({ base, signal, onRetry, onError }) => makeRequestWithRetry(`${base}/operations1/tenants/acme/users/7?status=502`, {
      maxRetries: 4, backoff: { baseMs: 200 }, timeoutMs: 5000, signal, onRetry, onError,
    }),
  },
  {
    id: 'tiptree', title: 'Tiptree: rate limit with details.rate_limit.reset',
    about: 'No Retry-After header: the wait comes from the body\'s reset time (epoch seconds). (Its own gate scope: all panels share one mock origin, where real APIs would each have their own.)',
    run: ({ base, signal, onRetry, onError }) => makeRequestWithRetry(`${base}/tiptree/v1/limited?resetIn=2`, {
      maxRetries: 1, originGate: 'tiptree', signal, onRetry, onError,
    }),
  },
  {
    id: 'ticksupply', title: 'Ticksupply: 402 is never retried',
    about: 'payment_required: retrying cannot help, even with an idempotency key. X-Api-Key auth through createClient.',
    run: ({ base, signal, onRetry, onError }) => createClient({ prefixUrl: `${base}/ticksupply/v1`, apiKey: 'ts_demo', auth: 'x-api-key' })
      .post('/exports', { json: { stream: 'btc' }, idempotencyKey: true, signal, onRetry, onError }),
  },
  {
    id: 'retry-after', title: '429 with Retry-After: 2',
    about: 'The server\'s hint is used as given (no jitter), then the call succeeds. (Its own gate scope, as above.)',
    run: ({ base, signal, onRetry, onError }) => makeRequestWithRetry(
      `${base}/s/flaky?fail=1&status=429&retryAfter=2&key=${unique()}`, { originGate: 'retry-after', signal, onRetry, onError }),
  },
  {
    id: 'flaky', title: 'Flaky 503, 503, then 200',
    about: 'Exponential backoff with full jitter; the third attempt succeeds.',
    run: ({ base, signal, onRetry, onError }) => makeRequestWithRetry(
      `${base}/s/flaky?fail=2&status=503&key=${unique()}`, { backoff: { baseMs: 600 }, signal, onRetry, onError }),
  },
  {
    id: 'timeout', title: 'Slow server and timeout',
    about: 'Headers take 3 s; each attempt gives up after 800 ms (TimeoutError, scope "attempt"), retried once.',
    run: ({ base, signal, onRetry, onError }) => makeRequestWithRetry(`${base}/s/slow-headers?ms=3000`, {
      timeoutMs: 800, maxRetries: 1, backoff: { baseMs: 300 }, signal, onRetry, onError,
    }),
  },
  {
    id: 'network', title: 'Network down',
    about: 'Nothing listens on port 65535: a NetworkError, retried, then thrown.',
    run: ({ signal, onRetry, onError }) => makeRequestWithRetry('http://127.0.0.1:65535/v1/ping', {
      maxRetries: 2, backoff: { baseMs: 300 }, signal, onRetry, onError,
    }),
  },
  {
    id: 'html502', title: 'HTML 502 from a proxy',
    about: 'The message is the page\'s title, not the page; bodyText keeps an excerpt.',
    run: ({ base, signal, onRetry, onError }) => makeRequestWithRetry(`${base}/s/html502`, {
      maxRetries: 1, backoff: { baseMs: 300 }, signal, onRetry, onError,
    }),
  },
  {
    id: 'validation', title: 'Validation with field errors',
    about: 'Tiptree\'s details.errors[] as a table of fieldErrors.',
    run: ({ base, signal, onRetry, onError }) => makeRequestWithRetry(`${base}/tiptree/v1/agents`, {
      method: 'POST', headers: { Authorization: 'Bearer tp_demo' }, json: { name: '', model: 'gpt-5' }, signal, onRetry, onError,
    }),
  },
  {
    id: 'deadline', title: 'Deadline exceeded',
    about: 'deadlineMs bounds the whole call, waits included: TimeoutError with scope "deadline".',
    run: ({ base, signal, onRetry, onError }) => makeRequestWithRetry(`${base}/s/slow-headers?ms=5000`, {
      deadlineMs: 1500, timeoutMs: 10000, signal, onRetry, onError,
    }),
  },
  {
    id: 'idempotent', title: 'Idempotent POST retried safely',
    about: 'The first two replies are lost (503 after the charge was applied). The same Idempotency-Key is sent each time, so the charge applies once.',
    run: async ({ base, signal, onRetry, onError }) => {
      const key = unique();
      const charge = await makeRequestWithRetry(`${base}/s/charge?fail=2&key=${key}`, {
        method: 'POST', json: { amount: 4200 }, idempotencyKey: true, backoff: { baseMs: 300 }, signal, onRetry, onError,
      });
      const seen = await makeRequestWithRetry(`${base}/s/stats?key=${key}`);
      return { charge, serverSaw: { calls: seen.calls, keys: seen.uniqueKeys.length, applied: seen.applied } };
    },
  },
  {
    id: 'payment', title: '402 never retried',
    about: 'PaymentRequiredError at once: the billing state must change first.',
    run: ({ base, signal, onRetry, onError }) => makeRequestWithRetry(`${base}/ticksupply/v1/exports`, {
      method: 'POST', headers: { 'X-Api-Key': 'ts_demo' }, json: {}, maxRetries: 5, signal, onRetry, onError,
    }),
  },
  {
    id: 'gate', title: '20 calls hit a rate limit', rows: 20, toggle: 'origin gate',
    about: 'Calls start 50 ms apart against an API that answers the first with 429 Retry-After: 1 and stays limited for 1 s. With the gate, that one 429 holds every later call (striped: the shared wait) and each sends once; without it, every call gets its own 429 first.',
    run: async ({ base, signal, row, gate }) => {
      const key = unique();
      const calls = Array.from({ length: 20 }, (_, i) => new Promise((r) => setTimeout(r, 50 * i)).then(() => row(i, (onRetry) =>
        makeRequestWithRetry(`${base}/g/rl?key=${key}&block=1000&i=${i}`, { originGate: gate && 'gate-panel', signal, onRetry }))));
      const results = await Promise.allSettled(calls);
      const seen = await makeRequestWithRetry(`${base}/g/stats?key=${key}`, { originGate: false });
      return { succeeded: results.filter((r) => r.status === 'fulfilled').length, serverRequests: seen.count };
    },
  },
  {
    id: 'xss', title: 'Hostile message stays text',
    about: 'An error message containing markup is rendered with textContent, never as HTML.',
    run: ({ base, signal, onRetry, onError }) => makeRequestWithRetry(
      `${base}/s/status/400?body=${encodeURIComponent('{"error":{"code":"xss","message":"<img src=x onerror=alert(1)>"}}')}&h-Content-Type=application/json`,
      { signal, onRetry, onError }),
  },
  {
    id: 'token-refresh', title: 'Token refresh: beforeRequest + 401',
    about: 'The stored token has expired: the 401 (WWW-Authenticate read from error.headers) refreshes it once, and beforeRequest puts the new token on the retry.',
    run: async ({ base, signal, onRetry, onError, log }) => {
      const key = unique();
      let token = 'expired-token';
      const api = createClient({
        prefixUrl: `${base}/s`, backoff: { baseMs: 300, jitter: 'none' },
        beforeRequest: ({ init, attempt }) => {
          init.headers.set('Authorization', `Bearer ${token}`);
          log(`attempt ${attempt} sends Bearer ${token}`);
        },
        shouldRetry: async (error, attempt) => {
          if (error.status !== 401 || attempt > 1) return undefined;
          log(`401, WWW-Authenticate: ${error.headers.get('www-authenticate')}; refreshing the token`);
          token = (await makeRequestWithRetry(`${base}/s/token?key=${key}`, { signal })).token;
          return true;
        },
      });
      return api.get(`protected?key=${key}`, { signal, onRetry, onError });
    },
  },
  {
    id: 'stream', title: 'Stream and stop',
    about: 'Server-sent events read from the Response (responseType "response"). Cancel aborts the signal: the stream stops at once, as with native fetch.',
    run: async ({ base, signal, onError, log }) => {
      const response = await makeRequestWithRetry(`${base}/s/stream?chunks=12&ms=250&key=${unique()}`, {
        responseType: 'response', signal, onError,
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let events = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const line of value.split('\n')) {
          if (line.startsWith('data: ')) log(`event ${++events}: ${line.slice(6)}`);
        }
      }
      return `received all ${events} events`;
    },
  },
];
