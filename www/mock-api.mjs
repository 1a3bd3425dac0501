// The local mock API: each seed's dialect on its own path prefix, plus failure scenarios.
// Node only, no dependencies; listens on 127.0.0.1. Used by `npm test` and `npm start`.
import { seedRoutes } from './mock-seeds.mjs';
import { scenarioRoutes } from './mock-scenarios.mjs';
import { chaosRoutes } from './mock-chaos.mjs';
import { replayRoutes } from './mock-replay.mjs';
import { gateRoutes } from './mock-gate.mjs';

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

/** Reads the request body (capped at 1 MiB). */
export function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= 1 << 20) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

/** Sends a response; `body` objects are JSON. */
export function send(res, status, body, headers = {}) {
  if (res.destroyed || res.headersSent) return;
  const isText = typeof body === 'string' || Buffer.isBuffer(body);
  const payload = body === undefined || body === null ? '' : isText ? body : JSON.stringify(body);
  const type = isText ? 'text/plain; charset=utf-8' : 'application/json';
  res.writeHead(status, { 'Content-Type': type, ...headers });
  res.end(status === 204 || status === 205 ? undefined : payload);
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
