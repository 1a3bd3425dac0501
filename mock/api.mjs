// The local mock API: each seed's dialect on its own path prefix, plus failure scenarios.
// Node only, no dependencies; listens on 127.0.0.1. Used by `npm test` and `npm start`.
import { seedRoutes } from './seeds.mjs';
import { scenarioRoutes } from './scenarios.mjs';
import { chaosRoutes } from './chaos.mjs';
import { replayRoutes } from './replay.mjs';
import { gateRoutes } from './gate.mjs';
export { readBody, send } from './http.mjs';

const EXPOSED = [
  'Retry-After', 'retry-after-ms', 'RateLimit', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset',
  'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'x-should-retry', 'X-Request-Id',
  'Request-Id', 'X-Amzn-RequestId', 'CF-Ray', 'Content-Type', 'Content-Length', 'WWW-Authenticate',
  'Location', 'X-Quota-Left', 'X-Session-Token',
].join(', ');

let requestCounter = 0;

/** Shared state: counters per scenario key and side effects per idempotency key. */
export function createState() {
  return { counters: new Map(), charges: new Map(), applied: 0, requests: 0 };
}

function cors(req, res) {
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD');
  res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '*');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED);
  res.setHeader('Access-Control-Max-Age', '600');
}

/** Handles one request; returns false when no route matched. */
export async function handleApi(req, res, state) {
  cors(req, res);
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method === 'OPTIONS') {
    res.writeHead(204);
    res.end();
    return true;
  }
  state.requests += 1;
  res.setHeader('X-Request-Id', `req_${(++requestCounter).toString(16).padStart(16, '0')}`);
  const ctx = { req, res, url, state, path: url.pathname, query: url.searchParams };
  for (const routes of [seedRoutes, scenarioRoutes, chaosRoutes, replayRoutes, gateRoutes]) {
    for (const [pattern, handler] of routes) {
      const match = pattern.exec(url.pathname);
      if (match) {
        ctx.params = match.groups ?? {};
        await handler(ctx);
        return true;
      }
    }
  }
  return false;
}
